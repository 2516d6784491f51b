/* csv.c — a streaming CSV reader over libcsv. It feeds libcsv one physical
 * line at a time so that every row knows the line it starts on, can tell
 * the separator (comma, tab, semicolon) from the first line, and refuses NUL
 * bytes, over-long rows, over-wide rows and broken quoting with the file and
 * line. Bytes come from input.c (files or memory, plain or gzip, encodings).
 * Memory stays bounded by the row cap whatever the file size. */
#include "base.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

struct csv_reader {
    struct csv_state st;
    int sniff;       /* the separator is still to be told */
    struct buf head; /* the first line, held until it is whole */
    struct input_info *info;
};

static int state_init(struct csv_state *st, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                      struct err *e)
{
    memset(st, 0, sizeof *st);
    if (csv_init(&st->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
        return err_set(e, ERR_NOMEM, "cannot start the CSV parser");
    st->fn = fn;
    st->ctx = ctx;
    st->e = e;
    st->label = (o && o->label) ? o->label : "(memory)";
    st->max_row_bytes = (o && o->max_row_bytes) ? o->max_row_bytes : 1 << 20;
    st->max_fields = (o && o->max_fields) ? o->max_fields : 512;
    st->data.max = st->max_row_bytes + st->max_fields + 16;
    st->line = (o && o->first_line > 0) ? o->first_line : 1;
    return 0;
}

int csv_begin(struct csv_reader **out, const struct csv_opts *o, csv_row_fn fn, void *ctx,
              struct err *e)
{
    struct csv_reader *r = xcalloc(1, sizeof *r);
    int rc = state_init(&r->st, o, fn, ctx, e);
    if (rc) {
        free(r);
        return rc;
    }
    r->sniff = o && o->sniff;
    r->info = o ? o->info : NULL;
    r->head.max = r->st.max_row_bytes + 16;
    if (r->info) r->info->delim = ',';
    *out = r;
    return 0;
}

/* Tells the separator from the first line: the most frequent of comma, tab
 * and semicolon outside quotes (comma on a tie with semicolon). A
 * tab-separated file whose first line has no quote is read without quoting,
 * as bulk downloads are written. */
static void sniff(struct csv_reader *r, const char *p, size_t n)
{
    size_t comma = 0, tab = 0, semi = 0, quotes = 0;
    int in_q = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') in_q = !in_q, quotes++;
        if (in_q) continue;
        comma += p[i] == ',';
        tab += p[i] == '\t';
        semi += p[i] == ';';
    }
    char d = ',';
    if (tab && tab >= comma && tab >= semi)
        d = '\t';
    else if (semi > comma)
        d = ';';
    csv_set_delim(&r->st.parser, (unsigned char)d);
    if (d == '\t' && !quotes) csv_set_quote(&r->st.parser, 0);
    if (r->info) r->info->delim = d;
}

int csv_push(struct csv_reader *r, const char *p, size_t n)
{
    if (r->st.rc) return r->st.rc;
    if (!r->sniff) return feed(&r->st, p, n);
    const char *nl = memchr(p, '\n', n);
    size_t piece = nl ? (size_t)(nl - p) + 1 : n;
    if (buf_append(&r->head, p, piece)) {
        err_at(r->st.e, r->st.label, 1, 0, NULL);
        return r->st.rc = err_set(r->st.e, ERR_LIMIT, "the first line is longer than %zu bytes",
                                  r->st.max_row_bytes);
    }
    if (!nl) return 0;
    r->sniff = 0;
    sniff(r, r->head.p, r->head.len);
    int rc = feed(&r->st, r->head.p, r->head.len);
    buf_free(&r->head);
    return rc ? rc : feed(&r->st, p + piece, n - piece);
}

int csv_end(struct csv_reader *r, int rc)
{
    if (!rc && r->sniff && r->head.len) {
        sniff(r, r->head.p, r->head.len);
        rc = feed(&r->st, r->head.p, r->head.len);
    }
    rc = state_finish(&r->st, rc);
    buf_free(&r->head);
    free(r);
    return rc;
}

static int push_chunk(const char *p, size_t n, void *ctx, struct err *e)
{
    (void)e;
    return csv_push(ctx, p, n);
}

int csv_read(const struct csv_src *src, const struct csv_opts *o, csv_row_fn fn, void *ctx,
             struct err *e)
{
    struct csv_opts oo = o ? *o : (struct csv_opts){0};
    if (!oo.label) oo.label = src->label ? src->label : src->path ? src->path : "(memory)";
    struct csv_reader *r;
    int rc = csv_begin(&r, &oo, fn, ctx, e);
    if (rc) return rc;
    struct input_opts io = {.progress = oo.progress,
                            .label = oo.label,
                            .encoding = oo.encoding,
                            .rows = &r->st.rows,
                            .info = oo.info};
    rc = input_read(src, &io, push_chunk, r, e);
    return csv_end(r, rc);
}

int csv_read_mem(const char *data, size_t len, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                 struct err *e)
{
    struct csv_src src = {.data = data, .len = len};
    return csv_read(&src, o, fn, ctx, e);
}

int csv_read_file(const char *path, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                  struct err *e)
{
    struct csv_src src = {.path = path};
    return csv_read(&src, o, fn, ctx, e);
}

void csv_put(FILE *f, const char *s)
{
    csv_put_sep(f, s, ',');
}

void csv_put_sep(FILE *f, const char *s, char sep)
{
    if (!s) return;
    const char special[] = {sep, '"', '\r', '\n', 0};
    if (!strpbrk(s, special) && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
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
