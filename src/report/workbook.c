/* workbook.c — a table as an Excel workbook (libxlsxwriter): a first sheet
 * with the rows, numbers as numbers (money in dollars with cents, masses in
 * tonnes, counts grouped) under headers that carry their units, the header
 * row frozen and filtered; a second sheet with the title, what was asked
 * (the filters), the notes and sources, and when it was made. libxlsxwriter
 * writes files only: the workbook is made in a private temporary file, read
 * back and removed. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The cell format of a numeric column (NULL for text). */
static lxw_format *number_format(lxw_workbook *wb, const struct table *t, size_t c)
{
    const struct column *col = &t->cols[c];
    char code[32];
    switch (col->type) {
    case COL_TEXT:
        return NULL;
    case COL_INT:
        str_copy(code, report_is_id(col->name) ? "0" : "#,##0", sizeof code);
        break;
    case COL_MONEY:
        str_copy(code, "#,##0.00", sizeof code);
        break;
    case COL_MASS:
        str_copy(code, "#,##0.000", sizeof code);
        break;
    default: {
        int d = col->decimals < 0 ? 0 : col->decimals > 10 ? 10 : col->decimals;
        snprintf(code, sizeof code, "#,##0%s%.*s", d ? "." : "", d, "0000000000");
    }
    }
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, code);
    return f;
}

static double cell_number(const struct column *col, const struct cell *x)
{
    switch (col->type) {
    case COL_MONEY:
        return (double)x->i / 100.0;
    case COL_MASS:
        return (double)x->i / 1e6;
    case COL_REAL: { /* the figure CSV and JSON give: rounded to the column's decimals */
        double scale = pow(10.0, col->decimals < 0 ? 0 : col->decimals > 10 ? 10 : col->decimals);
        return round(x->d * scale) / scale;
    }
    default:
        return (double)x->i;
    }
}

static void data_sheet(lxw_workbook *wb, const struct table *t)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    lxw_format *fmt[256] = {0};
    size_t ncols = t->ncols < 256 ? t->ncols : 256;
    for (size_t c = 0; c < ncols; c++) {
        char label[256];
        report_label(t, c, label, sizeof label);
        worksheet_write_string(ws, 0, (lxw_col_t)c, label, bold);
        fmt[c] = number_format(wb, t, c);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->cols[c].type == COL_TEXT ? 24 : 16,
                             NULL);
    }
    for (size_t r = 0; r < t->nrows && r < LXW_ROW_MAX - 1; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const struct cell *x = table_cell(t, r, c);
            const struct column *col = &t->cols[c];
            lxw_row_t row = (lxw_row_t)(r + 1);
            if (col->fixed)
                worksheet_write_string(ws, row, (lxw_col_t)c, col->fixed, NULL);
            else if (x->null)
                continue;
            else if (col->type == COL_TEXT)
                worksheet_write_string(ws, row, (lxw_col_t)c, x->s ? x->s : "", NULL);
            else
                worksheet_write_number(ws, row, (lxw_col_t)c, cell_number(col, x), fmt[c]);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (ncols)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(t->nrows < LXW_ROW_MAX - 1 ? t->nrows : 0),
                             (lxw_col_t)(ncols - 1));
}

static void about_sheet(lxw_workbook *wb, const struct table *t, const char *asked)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "About");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_set_column(ws, 0, 0, 18, bold);
    worksheet_set_column(ws, 1, 1, 100, NULL);
    char made[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(made, sizeof made, "%Y-%m-%d %H:%M UTC", &tm);
    lxw_row_t row = 0;
    worksheet_write_string(ws, row, 0, T("Title"), NULL);
    worksheet_write_string(ws, row++, 1, t->title ? T(t->title) : t->name, NULL);
    worksheet_write_string(ws, row, 0, T("Asked for"), NULL);
    worksheet_write_string(ws, row++, 1, asked && *asked ? asked : T("everything"), NULL);
    worksheet_write_string(ws, row, 0, T("Rows"), NULL);
    worksheet_write_number(ws, row++, 1, (double)t->nrows, NULL);
    for (size_t i = 0; i < t->nnotes; i++) {
        worksheet_write_string(ws, row, 0, i ? "" : T("Notes and sources"), NULL);
        worksheet_write_string(ws, row++, 1, t->notes[i], NULL);
    }
    worksheet_write_string(ws, row, 0, T("Made"), NULL);
    worksheet_write_string(ws, row, 1, made, NULL);
}

int report_workbook(const struct table *t, const char *asked, struct buf *out, struct err *e)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/corridor-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return err_set(e, ERR_IO, "cannot make a temporary file for the workbook");
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    int rc = wb ? 0 : err_set(e, ERR_IO, "cannot start the workbook");
    if (!rc) {
        data_sheet(wb, t);
        about_sheet(wb, t, asked);
        if (workbook_close(wb) != LXW_NO_ERROR)
            rc = err_set(e, ERR_IO, "cannot write the workbook (disk full?)");
    }
    FILE *f = rc ? NULL : fopen(path, "rb");
    if (!rc && !f) rc = err_set(e, ERR_IO, "cannot read the workbook back");
    char chunk[65536];
    size_t n;
    buf_reset(out);
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(out, chunk, n)) {
            rc = err_set(e, ERR_LIMIT, "the workbook is too large to send; ask for less");
            break;
        }
    if (f) fclose(f);
    unlink(path);
    return rc;
}
