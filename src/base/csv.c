/* csv.c — a streaming CSV reader over libcsv. It feeds libcsv one physical
 * line at a time so that every row knows the line it starts on, reads gzip
 * files directly through zlib (plain files pass through gzread unchanged),
 * strips a UTF-8 BOM, and refuses NUL bytes, over-long rows, over-wide rows
 * and broken quoting with the file and line. Memory stays bounded by the row
 * cap whatever the file size. */
#include "base.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#define CSV_CHUNK (256 * 1024)

static const char truncated[] =
    "the gzip data is cut short (it ends before its trailer): an incomplete download?";

struct csv_state {
    struct csv_parser parser;
    csv_row_fn fn;
    void *ctx;
    struct err *e;
    const char *label;
    size_t max_row_bytes, max_fields;
    struct buf data; /* the current row's fields, each NUL-terminated */
    size_t *offs, *lens;
    char **ptrs;
    size_t nf, capf;
    long line, row_line;
    size_t row_bytes;
    int rc;
    uint64_t rows;
};

static void on_field(void *s, size_t len, void *data)
{
    struct csv_state *st = data;
    if (st->rc) return;
    if (st->nf == 0) st->row_line = st->line;
    if (st->nf >= st->max_fields) {
        err_at(st->e, st->label, st->row_line, 0, NULL);
        st->rc = err_set(st->e, ERR_LIMIT, "row has more than %zu fields", st->max_fields);
        return;
    }
    if (st->nf == st->capf) {
        st->capf = st->capf ? st->capf * 2 : 64;
        st->offs = xrealloc(st->offs, st->capf * sizeof *st->offs);
        st->lens = xrealloc(st->lens, st->capf * sizeof *st->lens);
        st->ptrs = xrealloc(st->ptrs, st->capf * sizeof *st->ptrs);
    }
    st->offs[st->nf] = st->data.len;
    st->lens[st->nf] = len;
    /* libcsv's CSV_APPEND_NULL puts a NUL after every field: copy it along */
    if (s ? buf_append(&st->data, s, len + 1) : buf_append(&st->data, "", 1)) {
        err_at(st->e, st->label, st->row_line, 0, NULL);
        st->rc = err_set(st->e, ERR_LIMIT, "row is longer than %zu bytes", st->max_row_bytes);
        return;
    }
    st->nf++;
}

static void on_row(int term, void *data)
{
    (void)term;
    struct csv_state *st = data;
    if (!st->rc) {
        for (size_t i = 0; i < st->nf; i++)
            st->ptrs[i] = st->data.p + st->offs[i];
        struct csv_row row = {st->ptrs, st->lens, st->nf, st->row_line};
        st->rows++;
        st->rc = st->fn(&row, st->ctx, st->e);
    }
    st->nf = 0;
    st->row_bytes = 0;
    buf_reset(&st->data);
}

/* Feeds one buffer, split at newlines. Returns 0 or the stop code. */
static int feed(struct csv_state *st, const char *p, size_t n)
{
    while (n && !st->rc) {
        const char *nl = memchr(p, '\n', n);
        size_t piece = nl ? (size_t)(nl - p) + 1 : n;
        if (memchr(p, 0, piece)) {
            err_at(st->e, st->label, st->line, 0, NULL);
            return st->rc = err_set(st->e, ERR_INPUT, "NUL byte: this is binary data, not CSV");
        }
        st->row_bytes += piece;
        if (st->row_bytes > st->max_row_bytes) {
            err_at(st->e, st->label, st->nf ? st->row_line : st->line, 0, NULL);
            return st->rc =
                       err_set(st->e, ERR_LIMIT, "row is longer than %zu bytes", st->max_row_bytes);
        }
        if (csv_parse(&st->parser, p, piece, on_field, on_row, st) != piece && !st->rc) {
            err_at(st->e, st->label, st->line, 0, NULL);
            return st->rc = err_set(st->e, ERR_INPUT, "malformed CSV quoting (%s)",
                                    csv_strerror(csv_error(&st->parser)));
        }
        if (nl) st->line++;
        p += piece;
        n -= piece;
    }
    return st->rc;
}

static int state_init(struct csv_state *st, const char *label, const struct csv_opts *o,
                      csv_row_fn fn, void *ctx, struct err *e)
{
    memset(st, 0, sizeof *st);
    if (csv_init(&st->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
        return err_set(e, ERR_NOMEM, "cannot start the CSV parser");
    st->fn = fn;
    st->ctx = ctx;
    st->e = e;
    st->label = (o && o->label) ? o->label : label;
    st->max_row_bytes = (o && o->max_row_bytes) ? o->max_row_bytes : 1 << 20;
    st->max_fields = (o && o->max_fields) ? o->max_fields : 512;
    st->data.max = st->max_row_bytes + st->max_fields + 16;
    st->line = 1;
    return 0;
}

static int state_finish(struct csv_state *st, int rc)
{
    if (!rc && !st->rc) {
        if (csv_fini(&st->parser, on_field, on_row, st) && !st->rc) {
            err_at(st->e, st->label, st->nf ? st->row_line : st->line, 0, NULL);
            st->rc = err_set(st->e, ERR_INPUT, "unterminated quoted field at end of file");
        }
        if (!st->rc && st->rows == 0) {
            err_at(st->e, st->label, 0, 0, NULL);
            st->rc = err_set(st->e, ERR_INPUT, "empty file: no header row");
        }
    }
    if (!rc) rc = st->rc;
    csv_free(&st->parser);
    buf_free(&st->data);
    free(st->offs);
    free(st->lens);
    free(st->ptrs);
    return rc;
}

static size_t skip_bom(const char *p, size_t n)
{
    return (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/* Feeds plain bytes, or inflates gzip members (RFC 1952, as gzip writes
 * them, possibly several in a row) and feeds what comes out. A stream that
 * ends before its trailer is refused as truncated, never read as a short
 * file. */
static int feed_mem(struct csv_state *st, const char *data, size_t len, uint64_t max, struct err *e)
{
    if (len < 2 || (unsigned char)data[0] != 0x1f || (unsigned char)data[1] != 0x8b) {
        size_t off = skip_bom(data, len);
        return feed(st, data + off, len - off);
    }
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return err_set(e, ERR_NOMEM, "cannot start decompressing");
    char *chunk = xmalloc(CSV_CHUNK);
    zs.next_in = (unsigned char *)data;
    zs.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    int rc = 0, first = 1, z = Z_OK;
    while (!rc) {
        zs.next_out = (unsigned char *)chunk;
        zs.avail_out = CSV_CHUNK;
        z = inflate(&zs, Z_NO_FLUSH);
        size_t n = CSV_CHUNK - zs.avail_out;
        if (max && zs.total_out > max) {
            err_at(e, st->label, 0, 0, NULL);
            rc = err_set(e, ERR_LIMIT,
                         "the gzip data inflates past %llu MiB: too large to import here",
                         (unsigned long long)(max >> 20));
            break;
        }
        size_t off = first && n ? skip_bom(chunk, n) : 0;
        if (n) first = 0;
        if (n && (rc = feed(st, chunk + off, n - off))) break;
        if (z == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            inflateReset(&zs); /* another member follows */
            continue;
        }
        if (z == Z_BUF_ERROR || (z == Z_OK && zs.avail_in == 0 && n == 0)) {
            err_at(e, st->label, 0, 0, NULL);
            rc = err_set(e, ERR_INPUT, "%s", truncated);
        } else if (z != Z_OK) {
            err_at(e, st->label, 0, 0, NULL);
            rc = err_set(e, ERR_INPUT, "cannot decompress: %s", zs.msg ? zs.msg : "corrupt data");
        }
    }
    inflateEnd(&zs);
    free(chunk);
    return rc;
}

int csv_read_mem(const char *data, size_t len, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                 struct err *e)
{
    struct csv_src src = {.data = data, .len = len};
    return csv_read(&src, o, fn, ctx, e);
}

static int read_gz_file(struct csv_state *st, gzFile gz, const struct csv_opts *o, uint64_t size,
                        struct err *e)
{
    struct progress prog;
    progress_start(&prog, st->label, size, o && o->progress);
    char *chunk = xmalloc(CSV_CHUNK);
    int first = 1, rc = 0, zerr = Z_OK;
    for (;;) {
        int n = gzread(gz, chunk, CSV_CHUNK);
        if (n <= 0) {
            /* 0 is the end only when zlib saw no error: a gzip file cut
             * before its trailer ends with Z_BUF_ERROR */
            const char *msg = gzerror(gz, &zerr);
            if (n < 0 || zerr != Z_OK) {
                err_at(e, st->label, 0, 0, NULL);
                rc = zerr == Z_BUF_ERROR ? err_set(e, ERR_INPUT, "%s", truncated)
                                         : err_set(e, ERR_INPUT, "cannot decompress: %.200s", msg);
            }
            break;
        }
        size_t off = first ? skip_bom(chunk, (size_t)n) : 0;
        first = 0;
        if ((rc = feed(st, chunk + off, (size_t)n - off))) break;
        progress_update(&prog, (uint64_t)gzoffset(gz), st->rows);
    }
    progress_done(&prog);
    free(chunk);
    return rc;
}

int csv_read(const struct csv_src *src, const struct csv_opts *o, csv_row_fn fn, void *ctx,
             struct err *e)
{
    struct csv_state st;
    const char *label = src->label ? src->label : src->path ? src->path : "(memory)";
    struct csv_opts oo = o ? *o : (struct csv_opts){0};
    if (!oo.label) oo.label = label;
    if (!src->path) {
        int rc = state_init(&st, label, &oo, fn, ctx, e);
        if (rc) return rc;
        return state_finish(
            &st, feed_mem(&st, src->data ? src->data : "", src->len, src->max_inflated, e));
    }
    struct stat sb;
    if (stat(src->path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        err_at(e, label, 0, 0, NULL);
        return err_set(e, ERR_NOTFOUND, "cannot read: no such file");
    }
    gzFile gz = gzopen(src->path, "rb");
    if (!gz) {
        err_at(e, label, 0, 0, NULL);
        return err_set(e, ERR_IO, "cannot open for reading");
    }
    gzbuffer(gz, CSV_CHUNK);
    int rc = state_init(&st, label, &oo, fn, ctx, e);
    if (rc) {
        gzclose(gz);
        return rc;
    }
    rc = read_gz_file(&st, gz, &oo, (uint64_t)sb.st_size, e);
    int zc = gzclose(gz);
    if (!rc && zc == Z_BUF_ERROR) {
        err_at(e, label, 0, 0, NULL);
        rc = err_set(e, ERR_INPUT, "%s", truncated);
    }
    return state_finish(&st, rc);
}

int csv_read_file(const char *path, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                  struct err *e)
{
    struct csv_src src = {.path = path};
    return csv_read(&src, o, fn, ctx, e);
}

void csv_put(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int csv_find(const struct csv_row *header, const char *name)
{
    for (size_t i = 0; i < header->nfields; i++) {
        const char *f = header->fields[i];
        while (*f == ' ')
            f++;
        size_t n = strlen(name);
        if (strncasecmp(f, name, n) == 0) {
            const char *rest = f + n;
            while (*rest == ' ')
                rest++;
            if (!*rest) return (int)i;
        }
    }
    return -1;
}

int csv_header_unique(const struct csv_row *h, const char *label, struct err *e)
{
    for (size_t i = 0; i < h->nfields; i++)
        for (size_t j = i + 1; j < h->nfields; j++) {
            char a[256], b[256];
            str_trim(str_copy(a, h->fields[i], sizeof a));
            str_trim(str_copy(b, h->fields[j], sizeof b));
            if (*a && str_ieq(a, b)) {
                err_at(e, label, h->line, (int)j + 1, a);
                return err_set(e, ERR_INPUT,
                               "the header names column '%s' twice (columns %zu and %zu)", a, i + 1,
                               j + 1);
            }
        }
    return 0;
}
