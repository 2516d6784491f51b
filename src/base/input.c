/* input.c — the bytes of an input, whatever wraps them: a file or memory,
 * plain or gzip (detected by content, several members allowed, a stream cut
 * before its trailer refused), with a UTF-8 byte order mark stripped and,
 * when asked, the text encoding told and converted: UTF-8 passes through;
 * Windows-1252 (a superset of Latin-1's printable characters) and
 * Windows-1251 (Cyrillic, as Russian-language Windows saves CSV) become
 * UTF-8, told apart by how their high bytes fall.
 * The readers of CSV and JSON sit on top and see only UTF-8 chunks. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define CHUNK (256 * 1024)

static const char truncated[] =
    "the gzip data is cut short (it ends before its trailer): an incomplete download?";

enum { ENC_UNKNOWN, ENC_IS_UTF8, ENC_IS_1252, ENC_IS_1251 };

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

/* Windows-1251's 0x80..0xBF (0xC0..0xFF are U+0410..U+044F, А to я). */
static const unsigned short cp1251_hi[64] = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409,
    0x2039, 0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x0098, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0,
    0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB,
    0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6,
    0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457};

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

/* Converts a single-byte text (Windows-1252 or -1251) to UTF-8. */
static int to_utf8_from_legacy(struct input *in, const unsigned char *p, size_t n)
{
    buf_reset(&in->out);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80) continue;
        if (i > run) buf_append(&in->out, p + run, i - run);
        unsigned cp = in->enc == ENC_IS_1251
                          ? (p[i] >= 0xC0 ? 0x0410u + (p[i] - 0xC0u) : cp1251_hi[p[i] - 0x80])
                          : (p[i] < 0xA0 ? cp1252_c1[p[i] - 0x80] : p[i]);
        put_utf8(&in->out, cp);
        run = i + 1;
    }
    if (n > run) buf_append(&in->out, p + run, n - run);
    return pass_on(in, in->out.p ? in->out.p : "", in->out.len);
}

/* What the words of a single-byte text say: Russian words are made of bytes
 * from 0xC0 up alone (cyr; strong when 3 letters or longer); Western words
 * mix such letters with ASCII ones (lat: Estat\xedstica, Gr\xf6\xdfe). */
struct evidence {
    size_t cyr, strong, lat;
    size_t at_strong, at_lat; /* where the first of each starts */
};

static struct evidence weigh(const unsigned char *p, size_t n)
{
    struct evidence ev = {0};
    for (size_t i = 0; i < n;) {
        size_t ascii = 0, high = 0, j = i;
        for (; j < n && (p[j] >= 0xC0 || ((p[j] | 32) >= 'a' && (p[j] | 32) <= 'z')); j++)
            p[j] >= 0xC0 ? high++ : ascii++;
        if (high && !ascii && high >= 3 && !ev.strong++) ev.at_strong = i;
        if (high && !ascii) ev.cyr++;
        if (high && ascii && !ev.lat++) ev.at_lat = i;
        i = j > i ? j : i + 1;
    }
    return ev;
}

static int looks_cyrillic(const unsigned char *p, size_t n)
{
    struct evidence ev = weigh(p, n);
    return ev.cyr > ev.lat;
}

/* Once told, a single-byte text must keep looking the same: a part that
 * reads the other way is refused rather than stored garbled. */
static int still_same(struct input *in, const unsigned char *p, size_t n)
{
    struct evidence ev = weigh(p, n);
    int other = in->enc == ENC_IS_1252 ? ev.strong && !ev.lat : ev.lat >= 2 && !ev.cyr;
    if (!other) return 0;
    size_t at = in->enc == ENC_IS_1252 ? ev.at_strong : ev.at_lat;
    err_at(in->e, in->label, in->lines + 1 + count_lines((const char *)p, at), 0, NULL);
    return err_set(in->e, ERR_INPUT,
                   "the text reads as %s up to here and as %s from here: its encoding cannot be "
                   "told (save the file as UTF-8)",
                   in->enc == ENC_IS_1252 ? "Windows-1252 (Western)" : "Windows-1251 (Cyrillic)",
                   in->enc == ENC_IS_1252 ? "Cyrillic" : "Western");
}

/* Told UTF-8 until a byte says otherwise: then, if nothing but ASCII came
 * before it, the whole text is Windows-1252; after UTF-8 text (or a UTF-8
 * byte order mark) it is an error, never a guess. */
static int decode(struct input *in, const unsigned char *p, size_t n, int last)
{
    if (in->enc == ENC_IS_1252 || in->enc == ENC_IS_1251) {
        int rc = still_same(in, p, n);
        return rc ? rc : to_utf8_from_legacy(in, p, n);
    }
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
        in->enc = looks_cyrillic(p, n) ? ENC_IS_1251 : ENC_IS_1252;
        return to_utf8_from_legacy(in, p, n);
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
        if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
            err_at(in->e, in->label, 0, 0, NULL);
            return err_set(in->e, ERR_INPUT,
                           "this is a ZIP archive (a zipped download, or an Excel .xlsx workbook): "
                           "unzip it, or save the sheet as CSV, and import that");
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
    const char *enc = in->enc == ENC_IS_1251   ? "Windows-1251"
                      : in->enc == ENC_IS_1252 ? "Windows-1252"
                      : in->bom                ? "UTF-8 with BOM"
                      : in->enc == ENC_IS_UTF8 ? "UTF-8"
                                               : "ASCII";
    str_copy(info->encoding, enc, sizeof info->encoding);
}

/* gzip, inflated as bytes arrive: member after member (as gzip -c >> and
 * bgzip write them), the output counted over all of them against the cap,
 * a member cut short refused, and anything after the last member that is
 * not another one refused too (never silently dropped). */
struct gz {
    z_stream zs;
    int between;        /* a member has ended: the next bytes start another */
    unsigned char pend; /* the first byte of the next member, when a buffer ended on it */
    int npend;
    uint64_t total, max; /* bytes out over all members; the cap (0: none) */
    char *chunk;
};

static int gz_fail(struct input *in, int code, const char *msg)
{
    err_at(in->e, in->label, 0, 0, NULL);
    return err_set(in->e, code, "%s", msg);
}

/* At the boundary between members: is a new member starting? */
static int gz_next_member(struct input *in, struct gz *g)
{
    unsigned char b0 = g->npend ? g->pend : g->zs.next_in[0];
    if (!g->npend && g->zs.avail_in == 1) { /* one byte: decide with the next buffer */
        if (b0 != 0x1f) goto trailing;
        g->pend = b0, g->npend = 1;
        g->zs.avail_in = 0;
        return 1;
    }
    unsigned char b1 = g->npend ? g->zs.next_in[0] : g->zs.next_in[1];
    if (b0 != 0x1f || b1 != 0x8b) goto trailing;
    inflateReset(&g->zs);
    g->between = 0;
    if (g->npend) { /* hand the held byte to zlib first */
        unsigned char *rest = g->zs.next_in;
        uInt left = g->zs.avail_in;
        g->zs.next_in = &g->pend, g->zs.avail_in = 1;
        g->zs.next_out = (unsigned char *)g->chunk, g->zs.avail_out = CHUNK;
        int z = inflate(&g->zs, Z_NO_FLUSH);
        g->npend = 0;
        g->zs.next_in = rest, g->zs.avail_in = left;
        if (z != Z_OK) return gz_fail(in, ERR_INPUT, "cannot decompress: corrupt gzip header");
    }
    return 0;
trailing:
    return gz_fail(in, ERR_INPUT,
                   "the gzip data is followed by bytes that are not gzip: a damaged file, or two "
                   "files stuck together?");
}

static int gz_feed(struct input *in, struct gz *g, const unsigned char *p, size_t n)
{
    g->zs.next_in = (unsigned char *)p;
    g->zs.avail_in = (uInt)n;
    for (;;) {
        if (g->between) {
            if (!g->zs.avail_in) return 0;
            int rc = gz_next_member(in, g);
            if (rc < 0) return rc;
            if (rc == 1) return 0;
        }
        g->zs.next_out = (unsigned char *)g->chunk;
        g->zs.avail_out = CHUNK;
        int z = inflate(&g->zs, Z_NO_FLUSH);
        size_t got = CHUNK - g->zs.avail_out;
        g->total += got;
        if (g->max && g->total > g->max) {
            err_at(in->e, in->label, 0, 0, NULL);
            return err_set(in->e, ERR_LIMIT,
                           "the gzip data inflates past %llu MiB: too large to import here",
                           (unsigned long long)(g->max >> 20));
        }
        int rc = got ? take(in, g->chunk, got, 0) : 0;
        if (rc) return rc;
        if (z == Z_STREAM_END) {
            g->between = 1;
            continue;
        }
        if (z == Z_BUF_ERROR || (z == Z_OK && !g->zs.avail_in && g->zs.avail_out)) return 0;
        if (z != Z_OK) {
            err_at(in->e, in->label, 0, 0, NULL);
            return err_set(in->e, ERR_INPUT, "cannot decompress: %s",
                           g->zs.msg ? g->zs.msg : "corrupt data");
        }
    }
}

/* Reads raw bytes in chunks from a file or memory, inflating gzip. */
struct raw {
    FILE *f;
    const unsigned char *data;
    size_t len, off;
};

static size_t raw_next(struct raw *r, unsigned char *buf, size_t size, int *err)
{
    if (r->f) {
        size_t n = fread(buf, 1, size, r->f);
        *err = ferror(r->f);
        return n;
    }
    size_t n = r->len - r->off < size ? r->len - r->off : size;
    memcpy(buf, r->data + r->off, n);
    r->off += n;
    return n;
}

static int read_raw(struct input *in, struct raw *r, uint64_t size, uint64_t max)
{
    struct progress prog;
    progress_start(&prog, in->label, size, in->o->progress && r->f);
    unsigned char *buf = xmalloc(CHUNK);
    struct gz g = {.max = max};
    int rc = 0, gzip = -1, ioerr = 0;
    uint64_t done = 0;
    for (size_t n; !rc && (n = raw_next(r, buf, CHUNK, &ioerr)) > 0;) {
        if (gzip < 0) { /* told by the first bytes */
            gzip = n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
            if (in->o->info) in->o->info->gzip = gzip;
            if (gzip && inflateInit2(&g.zs, 16 + MAX_WBITS) != Z_OK)
                rc = err_set(in->e, ERR_NOMEM, "cannot start decompressing");
            if (gzip) g.chunk = xmalloc(CHUNK);
        }
        if (!rc) rc = gzip ? gz_feed(in, &g, buf, n) : take(in, (const char *)buf, n, 0);
        done += n;
        progress_update(&prog, done, in->o->rows ? *in->o->rows : 0);
    }
    if (!rc && ioerr) rc = gz_fail(in, ERR_IO, "reading the file failed");
    if (!rc && gzip == 1 && (!g.between || g.npend)) rc = gz_fail(in, ERR_INPUT, truncated);
    if (gzip == 1) inflateEnd(&g.zs);
    progress_done(&prog);
    free(g.chunk);
    free(buf);
    return rc;
}

static int read_file(struct input *in, const char *path, uint64_t max)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        err_at(in->e, in->label, 0, 0, NULL);
        return err_set(in->e, ERR_NOTFOUND, "cannot read: no such file");
    }
    struct raw r = {.f = fopen(path, "rb")};
    if (!r.f) {
        err_at(in->e, in->label, 0, 0, NULL);
        return err_set(in->e, ERR_IO, "cannot open for reading");
    }
    int rc = read_raw(in, &r, (uint64_t)sb.st_size, max);
    fclose(r.f);
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
        rc = read_file(&in, src->path, src->max_inflated);
    } else {
        struct raw r = {.data = (const unsigned char *)(src->data ? src->data : ""),
                        .len = src->len};
        rc = read_raw(&in, &r, src->len, src->max_inflated);
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
