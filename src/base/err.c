/* err.c — the error type every corridor function fills instead of exiting,
 * and the single table that maps error codes to exit and HTTP statuses. */
#include "base.h"

#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (!e) return code;
    /* formatted aside first: an argument may be e->msg itself */
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    str_utf8_fix(msg); /* "%.20s" may have cut a character in two */
    memcpy(e->msg, msg, sizeof msg);
    e->code = code;
    return code;
}

void err_at(struct err *e, const char *file, long line, int column, const char *field)
{
    if (!e) return;
    if (file) str_utf8_fix(str_copy(e->file, file, sizeof e->file));
    e->line = line;
    e->column = column;
    if (field) str_utf8_fix(str_copy(e->field, field, sizeof e->field));
}

int err_field(struct err *e, const char *field)
{
    if (!e) return ERR_INPUT;
    str_utf8_fix(str_copy(e->field, field, sizeof e->field));
    return e->code ? e->code : ERR_INPUT;
}

void err_clear(struct err *e)
{
    if (e) memset(e, 0, sizeof *e);
}

static const struct {
    int code;
    const char *name;
    int exit_status;
    int http_status;
} err_table[] = {
    {ERR_OK, "ok", 0, 200},
    {ERR_USAGE, "usage", 2, 400},
    {ERR_INPUT, "invalid_input", 3, 400},
    {ERR_NOTFOUND, "not_found", 4, 404},
    {ERR_CONFLICT, "conflict", 5, 409},
    {ERR_REFUSED, "refused", 1, 422},
    {ERR_IO, "io", 6, 500},
    {ERR_DB, "database", 7, 500},
    {ERR_LIMIT, "limit", 8, 413},
    {ERR_NOMEM, "out_of_memory", 9, 503},
    {ERR_INTERNAL, "internal", 10, 500},
};

static int err_index(int code)
{
    for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
        if (err_table[i].code == code) return (int)i;
    return (int)(sizeof err_table / sizeof err_table[0]) - 1;
}

int err_exit_status(int code)
{
    return err_table[err_index(code)].exit_status;
}

int err_http_status(int code)
{
    return err_table[err_index(code)].http_status;
}

const char *err_code_name(int code)
{
    return err_table[err_index(code)].name;
}

void err_print(const struct err *e, FILE *f)
{
    fputs("corridor: ", f);
    if (e->file[0]) {
        fputs(e->file, f);
        if (e->line > 0) fprintf(f, ":%ld", e->line);
        if (e->column > 0) fprintf(f, ":%d", e->column);
        fputs(": ", f);
    } else if (e->line > 0) {
        fprintf(f, TF("line %ld: "), e->line);
    }
    if (e->field[0]) fprintf(f, TF("field '%s': "), e->field);
    fprintf(f, "%s\n", e->msg[0] ? e->msg : err_code_name(e->code));
}

void reasons_add(struct reasons *r, const char *fmt, ...)
{
    if (r->n >= REASONS_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->r[r->n], sizeof r->r[0], fmt, ap);
    va_end(ap);
    str_utf8_fix(r->r[r->n++]); /* a reason cut to its buffer ends at a character's edge */
}

char *reasons_join(const struct reasons *r, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < r->n && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "; " : "", r->r[i]);
    return out;
}
