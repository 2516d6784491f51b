/* table.c — building and freeing struct table, the result type every query
 * returns. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct table *table_new(const char *name, const char *title)
{
    struct table *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name ? name : "");
    t->title = xstrdup(title ? title : "");
    str_utf8_fix(t->title); /* a title cut to its buffer ends at a character's edge */
    return t;
}

void table_free(struct table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    for (size_t c = 0; c < t->ncols; c++) {
        free(t->cols[c].name);
        free(t->cols[c].unit);
        free(t->cols[c].fixed);
    }
    for (size_t n = 0; n < t->nnotes; n++)
        free(t->notes[n]);
    free(t->notes);
    free(t->empty);
    free(t->cols);
    free(t->cells);
    free(t->name);
    free(t->title);
    free(t);
}

size_t table_col(struct table *t, const char *name, enum col_type type, const char *unit,
                 int decimals)
{
    /* columns are declared before rows; adding one later would break the layout */
    if (t->nrows) return (size_t)-1;
    t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
    t->cols[t->ncols] = (struct column){xstrdup(name), xstrdup(unit ? unit : ""), type,
                                        type == COL_MONEY  ? 2
                                        : type == COL_MASS ? 3
                                                           : decimals,
                                        NULL};
    return t->ncols++;
}

void table_context(struct table *t, const char *name, const char *value)
{
    size_t c = table_col(t, name, COL_TEXT, NULL, 0);
    if (c != (size_t)-1) t->cols[c].fixed = xstrdup(value ? value : "");
}

void table_optional(struct table *t, size_t col)
{
    if (col < t->ncols) t->cols[col].optional = 1;
}

void table_secondary(struct table *t, size_t col)
{
    if (col < t->ncols) t->cols[col].secondary = 1;
}

size_t table_shown(const struct table *t, size_t *idx)
{
    size_t n = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].fixed) continue;
        int any = !t->cols[c].optional;
        for (size_t r = 0; r < t->nrows && !any; r++)
            any = !table_cell(t, r, c)->null;
        if (any) idx[n++] = c;
    }
    return n;
}

size_t table_add_row(struct table *t)
{
    if (t->nrows == t->caprows) {
        t->caprows = t->caprows ? t->caprows * 2 : 16;
        t->cells = xrealloc(t->cells, t->caprows * t->ncols * sizeof *t->cells);
    }
    struct cell *row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++)
        row[c] = t->cols[c].fixed ? (struct cell){.s = xstrdup(t->cols[c].fixed)}
                                  : (struct cell){.null = 1};
    return t->nrows++;
}

struct cell *table_cell(const struct table *t, size_t row, size_t col)
{
    return t->cells + row * t->ncols + col;
}

void table_set_text(struct table *t, size_t row, size_t col, const char *s)
{
    struct cell *c = table_cell(t, row, col);
    free(c->s);
    c->s = xstrdup(s);
    c->null = s == NULL;
}

void table_set_int(struct table *t, size_t row, size_t col, int64_t v)
{
    struct cell *c = table_cell(t, row, col);
    c->i = v;
    c->d = (double)v;
    c->null = 0;
}

void table_set_real(struct table *t, size_t row, size_t col, double v)
{
    struct cell *c = table_cell(t, row, col);
    c->d = v;
    c->null = v != v; /* NaN means "no value" */
}

int table_find_col(const struct table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0) return (int)c;
    return -1;
}

void table_note(struct table *t, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    str_utf8_fix(buf); /* a long note cut ends at a character's edge */
    t->notes = xrealloc(t->notes, (t->nnotes + 1) * sizeof *t->notes);
    t->notes[t->nnotes++] = xstrdup(buf);
}

void table_empty(struct table *t, const char *text)
{
    free(t->empty);
    t->empty = xstrdup(text);
}

struct table *table_select(const struct table *t, const char *const *cols)
{
    struct table *s = table_new(t->name, t->title);
    size_t idx[64], n = 0;
    for (size_t k = 0; cols[k] && n < 64; k++) {
        int c = table_find_col(t, cols[k]);
        if (c < 0) continue;
        idx[n++] = (size_t)c;
        table_col(s, t->cols[c].name, t->cols[c].type, t->cols[c].unit, t->cols[c].decimals);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        size_t row = table_add_row(s);
        for (size_t k = 0; k < n; k++) {
            const struct cell *x = table_cell(t, r, idx[k]);
            struct cell *y = table_cell(s, row, k);
            *y = *x;
            y->s = x->s ? xstrdup(x->s) : NULL;
        }
    }
    for (size_t i = 0; i < t->nnotes; i++)
        table_note(s, "%s", t->notes[i]);
    if (t->empty) table_empty(s, t->empty);
    return s;
}
