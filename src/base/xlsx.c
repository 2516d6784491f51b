/* xlsx.c — reading the sheets of an Excel workbook (.xlsx) as rows, the way
 * csv.c reads a CSV file: libzip opens the archive (from a file or from
 * memory), expat parses the parts. The workbook names the sheets and the
 * relationships part says which file holds each; shared strings are read
 * once; a sheet is then streamed row by row, each cell put at the column its
 * reference ("C6") names, so that skipped empty cells stay empty fields.
 *
 * Hostile workbooks are bounded: every part is read through a cap on its
 * inflated size, shared strings have a total cap, a row has at most Excel's
 * 16,384 columns and max_row_bytes of text, and documents declaring a DTD
 * (the door to entity expansion) are refused. */
#include "base.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define PART_MAX (64ull << 20)      /* inflated bytes of one part (expat may hold a whole
                                       token of it: a sheet of a tracker is a few MB) */
#define STRINGS_MAX (64u << 20)     /* bytes of all shared strings */
#define STRINGS_COUNT (2u << 20)    /* shared strings */
#define STRING_COST 32              /* bytes a shared string costs beyond its text */
#define SHEETS_MAX 256
#define COLS_MAX 16384              /* Excel's own limit (XFD) */
#define ROWS_MAX 1048576            /* and its rows */
#define ROW_BYTES 1048576

struct xlsx {
    zip_t *zip;
    char label[256];
    char *names[SHEETS_MAX], *paths[SHEETS_MAX], *rids[SHEETS_MAX];
    size_t nsheets;
    unsigned long long part_max; /* PART_MAX, or the source's own cap when lower */
    char **strings; /* the shared strings */
    size_t nstrings, capstrings, strbytes;
};

/* ---- one part, through expat ------------------------------------------------------ */

struct parse {
    XML_Parser p;
    struct err *e;
    int failed; /* e is filled */
    void *user;
};

/* The local part of an expanded name "uri|local". */
static const char *local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

static void stop(struct parse *ps, int code, const char *what)
{
    if (!ps->failed) err_set(ps->e, code, "%s", what);
    ps->failed = 1;
    XML_StopParser(ps->p, XML_FALSE);
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                       int internal)
{
    stop(ud, ERR_INPUT, "the workbook declares a document type, which no Excel file does");
}

/* Streams the part called name through a parser with the given handlers
 * (user data ps); ERR_NOTFOUND when the archive has no such part. */
static int parse_part(struct xlsx *x, const char *name, struct parse *ps, XML_StartElementHandler s,
                      XML_EndElementHandler en, XML_CharacterDataHandler text, struct err *e)
{
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        err_at(e, x->label, 0, 0, NULL);
        return err_set(e, ERR_INPUT, "the workbook has no part %s: not a whole .xlsx file", name);
    }
    zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!zf) {
        err_at(e, x->label, 0, 0, NULL);
        return err_set(e, ERR_INPUT, "cannot open %s inside the workbook: %s", name,
                       zip_strerror(x->zip));
    }
    XML_Parser p = XML_ParserCreateNS(NULL, '|');
    ps->p = p;
    ps->e = e;
    XML_SetUserData(p, ps);
    XML_SetElementHandler(p, s, en);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    enum { CHUNK = 64 * 1024 };
    char *b = malloc(CHUNK);
    unsigned long long total = 0;
    int rc = b ? 0 : ERR_NOMEM;
    for (;;) {
        if (rc) break;
        zip_int64_t n = zip_fread(zf, b, CHUNK);
        if (n < 0) {
            err_at(e, x->label, 0, 0, NULL);
            rc = err_set(e, ERR_INPUT, "%s inside the workbook is damaged: %s", name,
                         zip_file_strerror(zf));
            break;
        }
        total += (unsigned long long)n;
        if (total > x->part_max) {
            err_at(e, x->label, 0, 0, NULL);
            rc = err_set(e, ERR_LIMIT, "%s inside the workbook inflates past %llu MiB", name,
                         x->part_max >> 20);
            break;
        }
        if (XML_Parse(p, b, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (!ps->failed) {
                err_at(e, x->label, (long)XML_GetCurrentLineNumber(p),
                       (int)XML_GetCurrentColumnNumber(p) + 1, NULL);
                err_set(e, ERR_INPUT, "%s inside the workbook is not well-formed XML: %s", name,
                        XML_ErrorString(XML_GetErrorCode(p)));
            }
            rc = e->code ? e->code : ERR_INPUT;
            break;
        }
        if (n == 0) break;
    }
    free(b);
    XML_ParserFree(p);
    zip_fclose(zf);
    if (rc && !e->file[0]) err_at(e, x->label, 0, 0, NULL);
    return rc;
}

/* ---- the workbook: sheet names and their parts ------------------------------------- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct parse *ps = ud;
    struct xlsx *x = ps->user;
    if (strcmp(local(name), "sheet") != 0) return;
    const char *n = attr(atts, "name"), *rid = attr(atts, "id");
    if (!n || !rid) return stop(ps, ERR_INPUT, "a sheet of the workbook has no name or id");
    if (x->nsheets == SHEETS_MAX) return stop(ps, ERR_LIMIT, "the workbook has too many sheets");
    x->names[x->nsheets] = xstrdup(n);
    x->rids[x->nsheets] = xstrdup(rid);
    x->nsheets++;
}

static void rel_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct parse *ps = ud;
    struct xlsx *x = ps->user;
    if (strcmp(local(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    for (size_t i = 0; id && target && i < x->nsheets; i++) {
        if (strcmp(x->rids[i], id) != 0 || x->paths[i]) continue;
        struct buf b = {0};
        /* targets are relative to xl/, or absolute from the archive's root */
        if (target[0] == '/')
            buf_puts(&b, target + 1);
        else
            buf_printf(&b, "xl/%s", target);
        x->paths[i] = b.p ? b.p : xstrdup("");
    }
}

/* ---- shared strings ---------------------------------------------------------------- */

struct sst {
    struct xlsx *x;
    struct buf cur;
    int in_si, in_t, in_rph; /* inside a string, its text, a phonetic run */
};

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct parse *ps = ud;
    struct sst *s = ps->user;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        s->in_si = 1;
        buf_reset(&s->cur);
        buf_puts(&s->cur, "");
    } else if (strcmp(n, "rPh") == 0)
        s->in_rph = 1;
    else if (strcmp(n, "t") == 0 && s->in_si && !s->in_rph)
        s->in_t = 1;
}

static void sst_end(void *ud, const XML_Char *name)
{
    struct parse *ps = ud;
    struct sst *s = ps->user;
    struct xlsx *x = s->x;
    const char *n = local(name);
    if (strcmp(n, "t") == 0) s->in_t = 0;
    if (strcmp(n, "rPh") == 0) s->in_rph = 0;
    if (strcmp(n, "si") != 0) return;
    s->in_si = 0;
    x->strbytes += s->cur.len + 1 + STRING_COST;
    if (x->nstrings == STRINGS_COUNT || x->strbytes > STRINGS_MAX)
        return stop(ps, ERR_LIMIT, "the workbook's shared strings pass their limit (64 MiB)");
    if (x->nstrings == x->capstrings) {
        x->capstrings = x->capstrings ? x->capstrings * 2 : 256;
        x->strings = xrealloc(x->strings, x->capstrings * sizeof *x->strings);
    }
    x->strings[x->nstrings++] = xstrdup(s->cur.p ? s->cur.p : "");
}

static void sst_text(void *ud, const XML_Char *t, int n)
{
    struct parse *ps = ud;
    struct sst *s = ps->user;
    if (s->in_t && buf_append(&s->cur, t, (size_t)n))
        stop(ps, ERR_LIMIT, "a shared string of the workbook is too long");
}

/* ---- opening ----------------------------------------------------------------------- */

void xlsx_close(struct xlsx *x)
{
    if (!x) return;
    if (x->zip) zip_discard(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->names[i]);
        free(x->paths[i]);
        free(x->rids[i]);
    }
    for (size_t i = 0; i < x->nstrings; i++)
        free(x->strings[i]);
    free(x->strings);
    free(x);
}

static int open_zip(struct xlsx *x, const struct csv_src *src, struct err *e)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = src->path ? zip_source_file_create(src->path, 0, -1, &ze)
                                 : zip_source_buffer_create(src->data, src->len, 0, &ze);
    if (zs) {
        x->zip = zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
        if (!x->zip) zip_source_free(zs);
    }
    if (!x->zip) {
        err_at(e, x->label, 0, 0, NULL);
        err_set(e, ERR_INPUT, "not a readable .xlsx workbook (the ZIP archive: %s)",
                zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    return x->zip ? 0 : ERR_INPUT;
}

int xlsx_open(const struct csv_src *src, struct xlsx **out, struct err *e)
{
    *out = NULL;
    struct xlsx *x = xcalloc(1, sizeof *x);
    str_copy(x->label, src->label ? src->label : src->path ? src->path : "(body)", sizeof x->label);
    x->part_max = src->max_inflated && src->max_inflated < PART_MAX ? src->max_inflated : PART_MAX;
    int rc = open_zip(x, src, e);
    struct parse ps = {.user = x};
    if (!rc) rc = parse_part(x, "xl/workbook.xml", &ps, wb_start, NULL, NULL, e);
    if (!rc && !x->nsheets) {
        err_at(e, x->label, 0, 0, NULL);
        rc = err_set(e, ERR_INPUT, "the workbook has no sheets");
    }
    struct parse pr = {.user = x};
    if (!rc) rc = parse_part(x, "xl/_rels/workbook.xml.rels", &pr, rel_start, NULL, NULL, e);
    for (size_t i = 0; !rc && i < x->nsheets; i++)
        if (!x->paths[i]) {
            err_at(e, x->label, 0, 0, NULL);
            rc = err_set(e, ERR_INPUT, "the workbook does not say where sheet '%s' is",
                         x->names[i]);
        }
    struct sst s = {.x = x, .cur = {.max = ROW_BYTES}};
    struct parse pss = {.user = &s};
    /* a workbook of numbers and inline strings has no shared strings */
    if (!rc && zip_name_locate(x->zip, "xl/sharedStrings.xml", 0) >= 0)
        rc = parse_part(x, "xl/sharedStrings.xml", &pss, sst_start, sst_end, sst_text, e);
    buf_free(&s.cur);
    if (rc) {
        xlsx_close(x);
        return rc;
    }
    *out = x;
    return 0;
}

size_t xlsx_sheets(const struct xlsx *x)
{
    return x->nsheets;
}

const char *xlsx_sheet_name(const struct xlsx *x, size_t i)
{
    return i < x->nsheets ? x->names[i] : NULL;
}

int xlsx_find_sheet(const struct xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->nsheets; i++)
        if (str_ieq(x->names[i], name)) return (int)i;
    return -1;
}

/* ---- a sheet, row by row ----------------------------------------------------------- */

struct sheet {
    struct xlsx *x;
    const char *name;
    csv_row_fn fn;
    void *ctx;
    size_t max_row_bytes;
    long row; /* the current row's number */
    char *fields[XLSX_COLS];
    size_t lens[XLSX_COLS], nfields, bytes;
    char types[XLSX_COLS];
    size_t col, next; /* the current cell's column (0-based), and the next one's */
    char type[12];    /* its t attribute */
    struct buf text;  /* its value */
    int in_v, in_t, in_is, in_row, in_cell;
};

static char blank[1]; /* every empty field points here */

/* "AB12" -> column 27 (0-based); -1 if it is not a cell reference. */
static long ref_column(const char *r)
{
    long c = 0;
    size_t i = 0;
    for (; r[i] >= 'A' && r[i] <= 'Z' && i < 4; i++)
        c = c * 26 + (r[i] - 'A' + 1);
    if (!i || c > COLS_MAX) return -1;
    for (size_t k = i; r[k]; k++)
        if (r[k] < '0' || r[k] > '9') return -1;
    return c - 1;
}

static void clear_row(struct sheet *s)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i] != blank) free(s->fields[i]);
    s->nfields = s->bytes = 0;
}

static void put_cell(struct parse *ps, struct sheet *s)
{
    const char *v = s->text.p ? s->text.p : "";
    char kind = 'n';
    if (strcmp(s->type, "s") == 0) {
        char *end;
        unsigned long k = strtoul(v, &end, 10);
        if (!*v || *end || k >= s->x->nstrings)
            return stop(ps, ERR_INPUT, "a cell refers to a shared string the workbook lacks");
        v = s->x->strings[k];
        kind = 's';
    } else if (strcmp(s->type, "b") == 0) {
        v = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
        kind = 'b';
    } else if (strcmp(s->type, "inlineStr") == 0 || strcmp(s->type, "str") == 0) {
        kind = 's';
    } else if (strcmp(s->type, "e") == 0) {
        kind = 'e';
    }
    if (!*v) return; /* an empty cell (formatting only) */
    if (s->col < s->nfields && s->fields[s->col] != blank)
        return stop(ps, ERR_INPUT, "a cell of the row appears twice");
    size_t n = strlen(v);
    s->bytes += n + 1;
    if (s->bytes > s->max_row_bytes) return stop(ps, ERR_LIMIT, "a row is too long");
    for (; s->nfields <= s->col; s->nfields++) {
        s->fields[s->nfields] = blank;
        s->lens[s->nfields] = 0;
        s->types[s->nfields] = 0;
    }
    s->fields[s->col] = xstrdup(v);
    s->lens[s->col] = n;
    s->types[s->col] = kind;
}

static void start_row(struct parse *ps, struct sheet *s, const char **atts)
{
    const char *r = attr(atts, "r");
    long k = r ? atol(r) : s->row + 1;
    if (k < 1 || k > ROWS_MAX) return stop(ps, ERR_INPUT, "a row number is not one of Excel's");
    if (k <= s->row) return stop(ps, ERR_INPUT, "the sheet's rows are out of order");
    s->row = k;
    s->in_row = 1;
    s->next = 0;
    clear_row(s);
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct parse *ps = ud;
    struct sheet *s = ps->user;
    const char *n = local(name);
    if (strcmp(n, "row") == 0) {
        start_row(ps, s, atts);
    } else if (strcmp(n, "c") == 0 && s->in_row) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long c = r ? ref_column(r) : (long)s->next;
        if (c < 0) return stop(ps, ERR_INPUT, "a cell has a reference that is not one");
        if (c >= XLSX_COLS)
            return stop(ps, ERR_LIMIT, "a cell lies beyond column 512 (a sheet this wide is no "
                                       "tracker's)");
        s->col = (size_t)c;
        s->next = (size_t)c + 1;
        str_copy(s->type, t ? t : "n", sizeof s->type);
        buf_reset(&s->text);
        s->in_cell = 1;
    } else if (s->in_cell && strcmp(n, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_cell && strcmp(n, "is") == 0) {
        s->in_is = 1;
    } else if (s->in_is && strcmp(n, "t") == 0) {
        s->in_t = 1;
    }
}

static void sh_end(void *ud, const XML_Char *name)
{
    struct parse *ps = ud;
    struct sheet *s = ps->user;
    const char *n = local(name);
    if (strcmp(n, "v") == 0) s->in_v = 0;
    if (strcmp(n, "t") == 0) s->in_t = 0;
    if (strcmp(n, "is") == 0) s->in_is = 0;
    if (strcmp(n, "c") == 0 && s->in_cell) {
        s->in_cell = 0;
        put_cell(ps, s);
    }
    if (strcmp(n, "row") != 0 || !s->in_row || ps->failed) return;
    s->in_row = 0;
    char *none[1] = {blank};
    size_t zero[1] = {0};
    struct csv_row row = {s->nfields ? s->fields : none, s->nfields ? s->lens : zero,
                          s->nfields ? s->nfields : 1, s->row, s->nfields ? s->types : ""};
    int rc = s->fn(&row, s->ctx, ps->e);
    if (rc) {
        if (!ps->e->code) err_set(ps->e, rc, "stopped");
        ps->failed = 1;
        XML_StopParser(ps->p, XML_FALSE);
    }
}

static void sh_text(void *ud, const XML_Char *t, int n)
{
    struct parse *ps = ud;
    struct sheet *s = ps->user;
    if ((s->in_v || s->in_t) && buf_append(&s->text, t, (size_t)n))
        stop(ps, ERR_LIMIT, "a cell holds too much text");
}

int xlsx_read_sheet(struct xlsx *x, size_t i, size_t max_row_bytes, csv_row_fn fn, void *ctx,
                    struct err *e)
{
    if (i >= x->nsheets) return err_set(e, ERR_INTERNAL, "no sheet %zu", i);
    struct sheet *s = xcalloc(1, sizeof *s);
    *s = (struct sheet){.x = x,
                        .name = x->names[i],
                        .fn = fn,
                        .ctx = ctx,
                        .max_row_bytes = max_row_bytes ? max_row_bytes : ROW_BYTES,
                        .text = {.max = ROW_BYTES}};
    struct parse ps = {.user = s};
    e->file[0] = 0;
    int rc = parse_part(x, x->paths[i], &ps, sh_start, sh_end, sh_text, e);
    if (rc && ps.failed && !e->line) {
        /* the reader's own refusal: where in the sheet */
        char msg[sizeof e->msg + 320];
        snprintf(msg, sizeof msg, "sheet '%.300s': %s", s->name, e->msg);
        str_utf8_fix(str_copy(e->msg, msg, sizeof e->msg));
        err_at(e, x->label, s->row, s->in_cell || s->col ? (int)s->col + 1 : 0, NULL);
    }
    clear_row(s);
    buf_free(&s->text);
    free(s);
    return rc;
}
