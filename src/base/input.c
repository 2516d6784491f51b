/* input.c — the bytes of an input, whatever wraps them: a file or memory,
 * plain or gzip (detected by content, several members allowed, a stream cut
 * before its trailer refused), with a UTF-8 byte order mark stripped and,
 * when asked, the text encoding told and converted: UTF-8 passes through,
 * Windows-1252 (a superset of Latin-1's printable characters) becomes UTF-8.
 * The readers of CSV and JSON sit on top and see only UTF-8 chunks. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

static const char truncated[] =
    "the gzip data is cut short (it ends before its trailer): an incomplete download?";

enum { ENC_UNKNOWN, ENC_IS_UTF8, ENC_IS_1252 };

struct input {
    const struct input_opts *o;
    const char *label;
    input_fn fn;
    void *ctx;
    struct err *e;
    int first;     /* nothing seen yet (for the byte order mark) */
    int enc;       /* what the text turned out to be */
    int bom;       /* it began with a UTF-8 byte order mark */
    char carry[4]; /* a UTF-8 sequence cut by the chunk's end */
    size_t ncarry;
    long lines;      /* newlines passed on, for messages */
    struct buf out;  /* converted text */
    struct buf join; /* a cut sequence and the chunk after it */
};

/* Windows-1252's 0x80..0x9F; the five unassigned bytes keep their C1 code. */
static const unsigned short cp1252_c1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* The length of the well-formed UTF-8 prefix of p[0..n) (RFC 3629). *cut
 * is set when what follows is a sequence the end of the buffer cut short. */
static size_t utf8_prefix(const unsigned char *p, size_t n, int *cut)
{
    size_t i = 0;
    *cut = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & UINT64_C(0x8080808080808080)) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c < 0xC2 || c > 0xF4) return i;
        for (size_t k = 1; k < len; k++) {
            if (i + k >= n) {
                *cut = 1;
                return i;
            }
            unsigned d = p[i + k];
            if ((d & 0xC0) != 0x80) return i;
            if (k == 1 && ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F) ||
                           (c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F)))
                return i;
        }
        i += len;
    }
    return i;
}

static void put_utf8(struct buf *b, unsigned cp)
{
    char u[3];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    } else {
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    }
    buf_append(b, u, n);
}

static long count_lines(const char *p, size_t n)
{
    long k = 0;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + n - q))); q++)
        k++;
    return k;
}

static int pass_on(struct input *in, const char *p, size_t n)
{
    if (!n) return 0;
    if (in->o->encoding == INPUT_AUTO) in->lines += count_lines(p, n);
    return in->fn(p, n, in->ctx, in->e);
}

static int to_utf8_from_1252(struct input *in, const unsigned char *p, size_t n)
{
    buf_reset(&in->out);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80) continue;
        if (i > run) buf_append(&in->out, p + run, i - run);
        put_utf8(&in->out, p[i] < 0xA0 ? cp1252_c1[p[i] - 0x80] : p[i]);
        run = i + 1;
    }
    if (n > run) buf_append(&in->out, p + run, n - run);
    return pass_on(in, in->out.p ? in->out.p : "", in->out.len);
}

/* Told UTF-8 until a byte says otherwise: then, if nothing but ASCII came
 * before it, the whole text is Windows-1252; after UTF-8 text (or a UTF-8
 * byte order mark) it is an error, never a guess. */
static int decode(struct input *in, const unsigned char *p, size_t n, int last)
{
    if (in->enc == ENC_IS_1252) return to_utf8_from_1252(in, p, n);
    int cut;
    size_t ok = utf8_prefix(p, n, &cut);
    if (ok == n || (cut && !last)) {
        for (size_t i = 0; i < ok && in->enc == ENC_UNKNOWN; i++)
            if (p[i] >= 0x80) in->enc = ENC_IS_UTF8;
        memcpy(in->carry, p + ok, n - ok);
        in->ncarry = n - ok;
        return pass_on(in, (const char *)p, ok);
    }
    int had_utf8 = in->enc != ENC_UNKNOWN; /* UTF-8 passed on, or a BOM */
    for (size_t i = 0; i < ok && !had_utf8; i++)
        had_utf8 = p[i] >= 0x80;
    if (!had_utf8) { /* nothing but ASCII before this byte */
        in->enc = ENC_IS_1252;
        return to_utf8_from_1252(in, p, n);
    }
    err_at(in->e, in->label, in->lines + 1 + count_lines((const char *)p, ok), 0, NULL);
    return err_set(in->e, ERR_INPUT,
                   "byte 0x%02X is not UTF-8, though the text before it was: mixed encodings "
                   "(save the file as UTF-8)",
                   p[ok]);
}

static int take(struct input *in, const char *p, size_t n, int last)
{
    if (in->first && n) {
        in->first = 0;
        const unsigned char *u = (const unsigned char *)p;
        if (n >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[3] == 0) ||
                       (u[0] == 0xFE && u[1] == 0xFF && u[2] == 0))) {
            err_at(in->e, in->label, 1, 0, NULL);
            return err_set(in->e, ERR_INPUT,
                           "the text is UTF-16 (as Excel's \"Unicode Text\" saves it): save it as "
                           "CSV UTF-8 and import that");
        }
        if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3, n -= 3;
            in->bom = 1;
            in->enc = ENC_IS_UTF8;
        }
    }
    if (in->o->encoding != INPUT_AUTO) return pass_on(in, p, n);
    if (!in->ncarry) return decode(in, (const unsigned char *)p, n, last);
    /* complete the sequence the last chunk cut */
    buf_reset(&in->join);
    buf_append(&in->join, in->carry, in->ncarry);
    buf_append(&in->join, p, n);
    in->ncarry = 0;
    return decode(in, (const unsigned char *)in->join.p, in->join.len, last);
}

static void note_encoding(struct input *in)
{
    struct input_info *info = in->o->info;
    if (!info) return;
    const char *enc = in->enc == ENC_IS_1252   ? "Windows-1252"
                      : in->bom                ? "UTF-8 with BOM"
                      : in->enc == ENC_IS_UTF8 ? "UTF-8"
                                               : "ASCII";
    str_copy(info->encoding, enc, sizeof info->encoding);
}

/* Inflates gzip members from memory, a stream cut short refused. */
static int inflate_mem(struct input *in, const char *data, size_t len, uint64_t max)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return err_set(in->e, ERR_NOMEM, "cannot start decompressing");
    char *chunk = xmalloc(CHUNK);
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    int rc = 0, z = Z_OK;
    while (!rc) {
        zs.next_out = (unsigned char *)chunk;
        zs.avail_out = CHUNK;
        z = inflate(&zs, Z_NO_FLUSH);
        size_t n = CHUNK - zs.avail_out;
        if (max && zs.total_out > max) {
            err_at(in->e, in->label, 0, 0, NULL);
            rc = err_set(in->e, ERR_LIMIT,
                         "the gzip data inflates past %llu MiB: too large to import here",
                         (unsigned long long)(max >> 20));
            break;
        }
        if (n && (rc = take(in, chunk, n, 0))) break;
        if (z == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs); /* another member follows */
            continue;
        }
        if (z == Z_BUF_ERROR || (z == Z_OK && zs.avail_in == 0 && n == 0)) {
            err_at(in->e, in->label, 0, 0, NULL);
            rc = err_set(in->e, ERR_INPUT, "%s", truncated);
        } else if (z != Z_OK) {
            err_at(in->e, in->label, 0, 0, NULL);
            rc = err_set(in->e, ERR_INPUT, "cannot decompress: %s",
                         zs.msg ? zs.msg : "corrupt data");
        }
    }
    inflateEnd(&zs);
    free(chunk);
    return rc;
}

static int read_file(struct input *in, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        err_at(in->e, in->label, 0, 0, NULL);
        return err_set(in->e, ERR_NOTFOUND, "cannot read: no such file");
    }
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        err_at(in->e, in->label, 0, 0, NULL);
        return err_set(in->e, ERR_IO, "cannot open for reading");
    }
    gzbuffer(gz, CHUNK);
    if (in->o->info) in->o->info->gzip = !gzdirect(gz);
    struct progress prog;
    progress_start(&prog, in->label, (uint64_t)sb.st_size, in->o->progress);
    char *chunk = xmalloc(CHUNK);
    int rc = 0, zerr = Z_OK;
    for (;;) {
        int n = gzread(gz, chunk, CHUNK);
        if (n <= 0) {
            /* 0 is the end only when zlib saw no error: a gzip file cut
             * before its trailer ends with Z_BUF_ERROR */
            const char *msg = gzerror(gz, &zerr);
            if (n < 0 || zerr != Z_OK) {
                err_at(in->e, in->label, 0, 0, NULL);
                rc = zerr == Z_BUF_ERROR
                         ? err_set(in->e, ERR_INPUT, "%s", truncated)
                         : err_set(in->e, ERR_INPUT, "cannot decompress: %.200s", msg);
            }
            break;
        }
        if ((rc = take(in, chunk, (size_t)n, 0))) break;
        progress_update(&prog, (uint64_t)gzoffset(gz), in->o->rows ? *in->o->rows : 0);
    }
    progress_done(&prog);
    free(chunk);
    int zc = gzclose(gz);
    if (!rc && zc == Z_BUF_ERROR) {
        err_at(in->e, in->label, 0, 0, NULL);
        rc = err_set(in->e, ERR_INPUT, "%s", truncated);
    }
    return rc;
}

int input_read(const struct csv_src *src, const struct input_opts *o, input_fn fn, void *ctx,
               struct err *e)
{
    static const struct input_opts none = {0};
    struct input in = {.o = o ? o : &none, .fn = fn, .ctx = ctx, .e = e, .first = 1};
    in.label = in.o->label  ? in.o->label
               : src->label ? src->label
               : src->path  ? src->path
                            : "(memory)";
    in.out.max = 4 * CHUNK + 64;
    in.join.max = CHUNK + 64;
    int rc = 0;
    if (src->path) {
        rc = read_file(&in, src->path);
    } else {
        const char *d = src->data ? src->data : "";
        int gz = src->len >= 2 && (unsigned char)d[0] == 0x1f && (unsigned char)d[1] == 0x8b;
        if (in.o->info) in.o->info->gzip = gz;
        if (gz) rc = inflate_mem(&in, d, src->len, src->max_inflated);
        for (size_t off = 0, n; !gz && off < src->len && !rc; off += n) {
            n = src->len - off < CHUNK ? src->len - off : CHUNK;
            rc = take(&in, d + off, n, 0);
        }
    }
    if (!rc && in.ncarry) {
        char tail[4];
        size_t k = in.ncarry;
        memcpy(tail, in.carry, k);
        in.ncarry = 0;
        rc = decode(&in, (const unsigned char *)tail, k, 1);
    }
    if (!rc) note_encoding(&in);
    buf_free(&in.out);
    buf_free(&in.join);
    return rc;
}
