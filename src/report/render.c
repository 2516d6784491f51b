/* render.c — struct table to aligned text, CSV and JSON. Money is printed as
 * US dollars with two decimals from integer cents (exactly), mass as tonnes
 * with three decimals from grams; reals are rounded to the column's decimals
 * in every format, so the three formats always agree. */
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int report_format_parse(const char *s, enum report_format *out, struct err *e)
{
    if (str_ieq(s, "text"))
        *out = FMT_TEXT;
    else if (str_ieq(s, "csv"))
        *out = FMT_CSV;
    else if (str_ieq(s, "json"))
        *out = FMT_JSON;
    else {
        err_at(e, NULL, 0, 0, "format");
        return err_set(e, ERR_INPUT, "unknown format '%s' (use text, csv or json)", s);
    }
    return 0;
}

static const char *cell_text(const struct table *t, size_t r, size_t c, char *out, size_t size,
                             int grouped)
{
    const struct cell *x = table_cell(t, r, c);
    const struct column *col = &t->cols[c];
    if (x->null) return "";
    switch (col->type) {
    case COL_TEXT:
        return x->s ? x->s : "";
    case COL_INT:
        snprintf(out, size, "%lld", (long long)x->i);
        return out;
    case COL_MONEY:
        return grouped ? dec_format_grouped(x->i, 2, out, size) : dec_format(x->i, 2, out, size);
    case COL_MASS: /* people read kilograms; files get every gram */
        return grouped ? mass_format_t(x->i, 1, out, size) : mass_format_exact(x->i, out, size);
    case COL_REAL:
        snprintf(out, size, "%.*f", col->decimals, x->d);
        if (strcmp(out, "-0") == 0 || strspn(out, "-0.") == strlen(out)) {
            /* never print "-0.00" */
            if (out[0] == '-') memmove(out, out + 1, strlen(out));
        }
        return out;
    }
    return "";
}

const char *report_cell_text(const struct table *t, size_t row, size_t col, char *out, size_t size)
{
    return cell_text(t, row, col, out, size, 0);
}

/* Text a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage
 * return first: names and titles come from others' files) gets a leading
 * apostrophe, which spreadsheets show as text; other text is returned as it
 * is. */
static const char *csv_defuse(const char *v, struct buf *b)
{
    if (!v || !strchr("=+-@\t\r", v[0]) || !v[0]) return v;
    buf_reset(b);
    buf_puts(b, "'");
    buf_puts(b, v);
    return b->p;
}

/* CSV for Excel on this thread: a byte-order mark (so that Excel reads
 * UTF-8), and for readers whose decimal sign is a comma, ';' between fields
 * and ',' in numbers. Set by the front end per request. */
static _Thread_local struct {
    int on, comma;
} excel;

void report_csv_excel(int on, int comma_decimals)
{
    excel.on = on;
    excel.comma = on && comma_decimals;
}

static int render_csv(FILE *f, const struct table *t)
{
    char tmp[64];
    struct buf cell = {0};
    char sep = excel.comma ? ';' : ',';
    if (excel.on) fputs("\xEF\xBB\xBF", f);
    for (size_t c = 0; c < t->ncols; c++) {
        if (c) fputc(sep, f);
        csv_put_sep(f, t->cols[c].name, sep);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c) fputc(sep, f);
            const char *v = cell_text(t, r, c, tmp, sizeof tmp, 0);
            char num[64];
            if (t->cols[c].type == COL_TEXT) {
                v = csv_defuse(v, &cell);
            } else if (excel.comma && v) { /* a number: its point becomes a comma */
                str_copy(num, v, sizeof num);
                char *dot = strchr(num, '.');
                if (dot) *dot = ',';
                v = num;
            }
            csv_put_sep(f, v, sep);
        }
        fputc('\n', f);
    }
    buf_free(&cell);
    return 0;
}

/* Text tables fit this many columns (0: no limit); set by the front end. */
static _Thread_local int text_limit;

void report_text_width(int cols)
{
    text_limit = cols > 0 ? cols : 0;
}

#define TEXT_CAP 24 /* a text column of a table that does not fit is cut to this */

/* Fits the columns into text_limit: long text columns are cut (w narrowed),
 * then secondary columns are left out from the right, then any from the
 * right, never the first. Marks the left-out ones in out; returns the index
 * of the last column kept. */
#define LABEL_MIN 12 /* a header wider than its column's values is cut to this */

static size_t fit(const struct table *t, const size_t *idx, size_t nc, size_t *w, const size_t *vw,
                  char *out)
{
    size_t total = 0, last = nc - 1;
    for (size_t k = 0; k < nc; k++)
        total += w[k] + (k ? 2 : 0);
    if (!text_limit || total <= (size_t)text_limit) return last;
    size_t *cut = xcalloc(nc, sizeof *cut); /* what each column gave up, to give back */
    for (size_t k = 0; k < nc; k++)
        if (t->cols[idx[k]].type == COL_TEXT && w[k] > TEXT_CAP)
            cut[k] = w[k] - TEXT_CAP, total -= cut[k], w[k] = TEXT_CAP;
    /* long headers over short values ("По данным экспортёра, долл. США"):
     * the header is cut before any column is left out */
    for (size_t k = 0; k < nc && total > (size_t)text_limit; k++) {
        size_t keep = vw[k] > LABEL_MIN ? vw[k] : LABEL_MIN;
        if (w[k] > keep) cut[k] += w[k] - keep, total -= w[k] - keep, w[k] = keep;
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = nc; k-- > 1 && total > (size_t)text_limit;)
            if (!out[k] && (pass || t->cols[idx[k]].secondary)) out[k] = 1, total -= w[k] + 2;
    /* the room left goes back to the columns cut, from the left */
    for (size_t k = 0; k < nc; k++) {
        size_t room = total < (size_t)text_limit ? (size_t)text_limit - total : 0;
        size_t back = out[k] ? 0 : cut[k] < room ? cut[k] : room;
        w[k] += back, total += back;
    }
    free(cut);
    while (last && out[last])
        last--;
    return last;
}

/* One cell of a text table: numbers to the right; the last column kept
 * is not padded on its right. */
static void put_cell(FILE *f, const char *s, size_t width, int right, int first, int last)
{
    size_t pad = width - str_width(s);
    fprintf(f, "%s%*s%s%*s", first ? "" : "  ", right ? (int)pad : 0, "", s,
            right || last ? 0 : (int)pad, "");
}

static int render_text(FILE *f, const struct table *t)
{
    char tmp[64], cut[160];
    size_t *idx = xcalloc(t->ncols ? t->ncols : 1, sizeof *idx);
    size_t nc = table_shown(t, idx);
    size_t *w = xcalloc(nc ? nc : 1, sizeof *w), *vw = xcalloc(nc ? nc : 1, sizeof *vw);
    char *out = xcalloc(nc ? nc : 1, 1);                     /* left out to fit */
    char(*label)[160] = xcalloc(nc ? nc : 1, sizeof *label); /* for people, in their language */
    for (size_t k = 0; k < nc; k++) {
        report_label(t, idx[k], label[k], sizeof label[k]);
        w[k] = str_width(label[k]);
        for (size_t r = 0; r < t->nrows; r++) {
            char local[96];
            const char *x = cell_text(t, r, idx[k], tmp, sizeof tmp, 1);
            if (t->cols[idx[k]].type != COL_TEXT)
                x = i18n_number(x, local, sizeof local);
            else
                x = report_value_shown(t, idx[k], x);
            size_t n = str_width(x);
            if (n > vw[k]) vw[k] = n;
        }
        if (vw[k] > w[k]) w[k] = vw[k];
    }
    size_t last = nc ? fit(t, idx, nc, w, vw, out) : 0;
    if (t->title[0]) fprintf(f, "%s\n\n", T(t->title));
    for (size_t k = 0; k < nc; k++)
        if (!out[k])
            put_cell(f, str_clip(label[k], w[k], cut, sizeof cut), w[k],
                     t->cols[idx[k]].type != COL_TEXT, k == 0, k == last);
    fputc('\n', f);
    for (size_t k = 0; k < nc; k++) {
        if (out[k]) continue;
        fputs(k ? "  " : "", f);
        for (size_t i = 0; i < w[k]; i++)
            fputc('-', f);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t k = 0; k < nc; k++) {
            if (out[k]) continue;
            char local[96];
            int right = t->cols[idx[k]].type != COL_TEXT;
            const char *s = cell_text(t, r, idx[k], tmp, sizeof tmp, 1);
            s = right ? i18n_number(s, local, sizeof local) /* 2 000 000,5 in Russian */
                      : str_clip(report_value_shown(t, idx[k], s), w[k], cut, sizeof cut);
            put_cell(f, s, w[k], right, k == 0, k == last);
        }
        fputc('\n', f);
    }
    if (t->nrows == 0)
        fprintf(f, "%s\n", T(t->empty ? t->empty : N_("no data for this selection")));
    for (size_t n = 0; n < t->nnotes; n++) {
        char local[2400];
        fprintf(f, "%s%s\n", n ? "" : "\n", i18n_numbers_in(t->notes[n], local, sizeof local));
    }
    int told = 0; /* the columns left out, by name */
    for (size_t k = 0; k < nc; k++) {
        if (!out[k]) continue;
        if (!told++) fprintf(f, "\n%s (%d):", T("Left out to fit the width"), text_limit);
        fprintf(f, "%s %s", told > 1 ? ";" : "", label[k]);
    }
    if (told) fprintf(f, ". %s\n", T("--wide shows every column; --format csv every value."));
    free(label);
    free(out);
    free(w);
    free(vw);
    free(idx);
    return 0;
}

static json_t *cell_json(const struct table *t, size_t r, size_t c)
{
    const struct cell *x = table_cell(t, r, c);
    const struct column *col = &t->cols[c];
    if (x->null) return json_null();
    switch (col->type) {
    case COL_TEXT: {
        json_t *j = json_string(x->s ? x->s : "");
        if (!j) { /* stored before it could be checked: shown, never dropped */
            char *clean = str_utf8_clean(x->s);
            j = json_string(clean);
            free(clean);
        }
        return j;
    }
    case COL_INT:
        return json_integer(x->i);
    case COL_MONEY: {
        /* exact: a decimal string of dollars and cents, never a float */
        char b[48];
        return json_string(dec_format(x->i, 2, b, sizeof b));
    }
    case COL_MASS: {
        char b[48];
        return json_string(mass_format_exact(x->i, b, sizeof b));
    }
    case COL_REAL: {
        double p = pow(10, col->decimals);
        return json_real(round(x->d * p) / p);
    }
    }
    return json_null();
}

static const char *type_name(enum col_type t)
{
    static const char *names[] = {"text", "integer", "money", "mass", "number"};
    return names[t];
}

static json_t *table_json_page(const struct table *t, size_t from, size_t to);

/* The JSON shape: {"table","title","columns":[{name,type,unit}],
 * "rows":[{column: value}],"notes":[...]}. Money is US dollars and mass
 * tonnes, both as exact decimal strings ("31500000000.00", "150000.000"):
 * a JSON number would be read as a double by most clients. */
static json_t *table_json(const struct table *t)
{
    return table_json_page(t, 0, t->nrows);
}

static json_t *table_json_page(const struct table *t, size_t from, size_t to)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array(), *notes = json_array();
    json_object_set_new(o, "table", json_string(t->name));
    json_object_set_new(o, "title", json_string(t->title));
    for (size_t c = 0; c < t->ncols; c++) {
        const struct column *col = &t->cols[c];
        const char *unit = col->type == COL_MONEY ? "USD" : col->type == COL_MASS ? "t" : col->unit;
        json_array_append_new(cols, json_pack("{s:s,s:s,s:s}", "name", col->name, "type",
                                              type_name(col->type), "unit", unit));
    }
    for (size_t r = from; r < to; r++) {
        json_t *row = json_object();
        for (size_t c = 0; c < t->ncols; c++)
            json_object_set_new(row, t->cols[c].name, cell_json(t, r, c));
        json_array_append_new(rows, row);
    }
    for (size_t n = 0; n < t->nnotes; n++)
        json_array_append_new(notes, json_string(t->notes[n]));
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "rows", rows);
    json_object_set_new(o, "notes", notes);
    return o;
}

int report_render(FILE *f, const struct table *t, enum report_format fmt)
{
    int rc = 0;
    if (fmt == FMT_CSV)
        rc = render_csv(f, t);
    else if (fmt == FMT_TEXT)
        rc = render_text(f, t);
    else {
        json_t *o = table_json(t);
        if (json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)))
            rc = ERR_IO;
        fputc('\n', f);
        json_decref(o);
    }
    return ferror(f) ? ERR_IO : rc;
}

int report_render_all(FILE *f, struct table *const *t, int n, enum report_format fmt)
{
    if (fmt != FMT_JSON || n == 1) {
        int rc = 0;
        for (int i = 0; i < n && !rc; i++) {
            if (i) fputc('\n', f);
            rc = report_render(f, t[i], fmt);
        }
        return rc;
    }
    json_t *o = json_object(), *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, table_json(t[i]));
    json_object_set_new(o, "tables", a);
    int rc = json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
                 ? ERR_IO
                 : 0;
    fputc('\n', f);
    json_decref(o);
    return ferror(f) ? ERR_IO : rc;
}

int report_render_page(FILE *f, const struct table *t, enum report_format fmt, size_t offset,
                       size_t limit)
{
    size_t from = offset < t->nrows ? offset : t->nrows;
    size_t to = limit && from + limit < t->nrows ? from + limit : t->nrows;
    if (fmt != FMT_JSON) {
        /* a view of the rows asked for, sharing the table's cells */
        struct table view = *t;
        view.cells = t->cells + from * t->ncols;
        view.nrows = to - from;
        return report_render(f, &view, fmt);
    }
    json_t *o = table_json_page(t, from, to);
    json_object_set_new(o, "total_rows", json_integer((json_int_t)t->nrows));
    if (to < t->nrows) {
        char next[32];
        snprintf(next, sizeof next, "%zu", to);
        json_object_set_new(o, "next_cursor", json_string(next));
    } else {
        json_object_set_new(o, "next_cursor", json_null());
    }
    int rc =
        json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) ? ERR_IO : 0;
    json_decref(o);
    return rc;
}
