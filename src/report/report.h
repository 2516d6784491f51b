/* report — the one result type of corridor, struct table (named, typed,
 * unit-tagged columns plus notes that cite sources), and its renderers: aligned
 * text for terminals, CSV, and JSON. Every query in every area returns a
 * table; the CLI, the API and the brief render the same table.
 *
 * Ownership: table_new returns a table the caller frees with table_free;
 * strings passed in are copied. */
#ifndef CORRIDOR_REPORT_H
#define CORRIDOR_REPORT_H

#include "../base/base.h"

enum col_type {
    COL_TEXT,
    COL_INT,
    COL_MONEY, /* integer US cents, shown as dollars with two decimals */
    COL_MASS,  /* integer grams, shown as tonnes with three decimals */
    COL_REAL,  /* double, shown with the column's decimals */
};

struct column {
    char *name;
    char *unit;
    enum col_type type;
    int decimals;
    char *fixed;  /* a context column: this text on every row (files and JSON only) */
    int optional;  /* text and HTML leave it out when no row has a value */
    int secondary; /* a text table too wide for its width leaves it out first */
};

struct cell {
    int null;
    int64_t i;
    double d;
    char *s;
};

struct table {
    char *name, *title;
    struct column *cols;
    size_t ncols;
    struct cell *cells; /* nrows * ncols, row-major */
    size_t nrows, caprows;
    char **notes;
    size_t nnotes;
    char *empty; /* what an empty table says (default "no data for this selection") */
};

enum report_format { FMT_TEXT, FMT_CSV, FMT_JSON };

struct table *table_new(const char *name, const char *title);
void table_free(struct table *t);
/* Adds a column; decimals only matters for COL_REAL. Returns its index. */
size_t table_col(struct table *t, const char *name, enum col_type type, const char *unit,
                 int decimals);
/* Adds a context column after the others (before any row): every row holds
 * value, so that a row copied out of a CSV file still says what it is about
 * (reporter, partner, year, flow). Text and HTML, which have a title, leave
 * these columns out. */
void table_context(struct table *t, const char *name, const char *value);
/* Marks a column that text and HTML leave out when no row has a value in it
 * (a unit value where no row gives a weight); files and JSON keep it. */
void table_optional(struct table *t, size_t col);
/* Marks a column a text table that does not fit its width leaves out
 * before the others (its detail stays in --wide, CSV and JSON). */
void table_secondary(struct table *t, size_t col);
/* The columns text and HTML show, in order, into idx (room for t->ncols);
 * returns how many. */
size_t table_shown(const struct table *t, size_t *idx);
/* Appends a row of NULL cells and returns its index. */
size_t table_add_row(struct table *t);
struct cell *table_cell(const struct table *t, size_t row, size_t col);
void table_set_text(struct table *t, size_t row, size_t col, const char *s);
void table_set_int(struct table *t, size_t row, size_t col, int64_t v);
void table_set_real(struct table *t, size_t row, size_t col, double v);
/* A new table holding the columns of t called cols (NULL-ended; names t
 * lacks are skipped), in that order, with every row and note: a narrower
 * view for a page. The caller frees it. */
struct table *table_select(const struct table *t, const char *const *cols);
/* Index of the column called name, or -1. */
int table_find_col(const struct table *t, const char *name);
/* What the table says when it has no rows. */
void table_empty(struct table *t, const char *text);
/* Adds a note (a sentence shown under the table: sources, caveats). */
void table_note(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses "text", "csv" or "json". */
int report_format_parse(const char *s, enum report_format *out, struct err *e);
/* Text tables of this thread fit cols columns (0: no limit): long text is
 * cut with "…" and the columns that still do not fit are left out, and
 * named under the table. */
void report_text_width(int cols);
/* t as an Excel workbook into out (workbook.c): the rows on a first sheet,
 * numbers as numbers with units in the headers; the title, asked (the
 * filters, as people read them), the notes and sources on a second. */
int report_workbook(const struct table *t, const char *asked, struct buf *out, struct err *e);
/* CSV of this thread for Excel: a byte-order mark; with comma_decimals
 * (Russian, Kazakh), ';' between fields and ',' in numbers. */
void report_csv_excel(int on, int comma_decimals);
/* Renders t to f in the given format. Returns 0 or ERR_IO. */
int report_render(FILE *f, const struct table *t, enum report_format fmt);
/* Renders several tables: text and CSV one after the other with a blank line
 * between; JSON as the one table, or {"tables":[...]} when there are more. */
int report_render_all(FILE *f, struct table *const *t, int n, enum report_format fmt);
/* Renders rows [offset, offset+limit) of t (limit 0 = all). JSON gains
 * "total_rows" and "next_cursor" (the offset of the next page, as text, or
 * null). */
int report_render_page(FILE *f, const struct table *t, enum report_format fmt, size_t offset,
                       size_t limit);
/* What column c is called for people, in the thread's language, with its
 * unit ("Exports, US$"); its machine name when it has no label. */
const char *report_label(const struct table *t, size_t c, char *out, size_t size);
/* The label of a column name, without a unit (the name itself if none). */
const char *report_label_of(const char *name);
/* Formats one cell as plain text (CSV style, no grouping) into out. */
const char *report_cell_text(const struct table *t, size_t row, size_t col, char *out, size_t size);
/* A text cell as people read it: a word from a fixed list (status, stage,
 * flag...) in the reader's language; any other value as it is. */
const char *report_value_shown(const struct table *t, size_t col, const char *s);
/* 1 if a column of that name holds numbers that name things (a rule, a
 * version, a year) rather than count them: shown without grouping. */
int report_is_id(const char *name);

#endif
