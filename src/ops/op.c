/* op.c — running an operation: a READ as it is, a WRITE inside db_write()
 * with its audit row; the CSV import of any record operation (one row, one
 * call, each in a savepoint, the file in one transaction: all or nothing
 * unless rejects are asked for); and the rejects file, written aside and
 * renamed into place, which may never name the database or an input. */
#include "ops.h"

#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void op_call_init(struct op_call *c, const struct op *op)
{
    memset(c, 0, sizeof *c);
    c->op = op;
    c->verdict = -1;
}

void op_call_reset(struct op_call *c)
{
    for (int i = 0; i < c->nout; i++)
        table_free(c->out[i]);
    c->nout = 0;
    free(c->before);
    free(c->after);
    free(c->text);
    c->before = c->after = c->text = NULL;
    c->verdict = -1;
    c->why.n = 0;
    c->id[0] = c->done[0] = 0;
    c->nstats = 0;
}

void op_call_free(struct op_call *c)
{
    if (!c) return;
    op_call_reset(c);
    for (int i = 0; i < OP_MAX_PARAMS; i++) {
        free(c->v[i].s);
        c->v[i].s = NULL;
        c->v[i].present = 0;
    }
}

void op_out(struct op_call *c, struct table *t)
{
    if (c->nout < OP_MAX_TABLES)
        c->out[c->nout++] = t;
    else
        table_free(t);
}

void op_stat(struct op_call *c, const char *name, int64_t v)
{
    if (c->nstats < OP_MAX_STATS) c->stats[c->nstats++] = (struct op_stat){name, v};
}

int64_t op_stat_get(const struct op_call *c, const char *name)
{
    for (int i = 0; i < c->nstats; i++)
        if (strcmp(c->stats[i].name, name) == 0) return c->stats[i].v;
    return 0;
}

int op_give(struct op_call *c, int rc, struct table **t)
{
    if (!rc) op_out(c, *t);
    return rc;
}

void op_done(struct op_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->done, sizeof c->done, fmt, ap);
    va_end(ap);
}

char *op_params_json(const struct op_call *c)
{
    json_t *o = json_object();
    for (int i = 0; c->op->params && c->op->params[i].name; i++)
        if (c->v[i].present && c->op->params[i].type != PT_FILE)
            json_object_set_new(o, c->op->params[i].name, json_string(c->v[i].s));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
json_t *op_reasons_json(const struct reasons *why)
{
    json_t *list = json_array();
    for (int i = 0; i < why->n; i++) {
        /* never an empty list for a refusal: a reason jansson cannot take says so */
        json_t *one = json_string(why->r[i]);
        json_array_append_new(list, one ? one : json_string("(a reason not in UTF-8)"));
    }
    return list;
}


char *op_result_json(const struct op_call *c, int indent)
{
    json_t *o = json_object(), *tables = json_array();
    if (c->verdict >= 0) {
        json_object_set_new(o, "allowed", json_boolean(c->verdict == 1));
        json_object_set_new(o, "reasons", op_reasons_json(&c->why));
    }
    for (int i = 0; i < c->nout; i++) {
        char *mem = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&mem, &len);
        report_render(f, c->out[i], FMT_JSON);
        fclose(f);
        json_array_append_new(tables, json_loadb(mem, len, 0, NULL));
        free(mem);
    }
    json_object_set_new(o, "tables", tables);
    char *s = json_dumps(o, (indent ? JSON_INDENT(indent) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* The audit row of one call: AREA.VERB, the entity, the record's id (the
 * first parameter's value unless the op named it). */
static void change_of(struct op_call *c, const char *verb, struct db_change *ch, char *action,
                      size_t size)
{
    snprintf(action, size, "%s%s%s", c->op->area, verb ? "." : "", verb ? verb : "");
    if (!c->id[0] && c->op->params && c->op->params[0].name && c->v[0].present)
        str_copy(c->id, c->v[0].s, sizeof c->id);
    if (!c->after) c->after = op_params_json(c);
    ch->action = action;
    ch->entity = c->op->entity ? c->op->entity : c->op->area;
    ch->id = c->id[0] ? c->id : NULL;
    ch->before = c->before;
    ch->after = c->after;
}

struct write_ctx {
    struct op_call *c;
    char action[96];
};

/* The rejects file is on disk before the rows it sets aside are committed:
 * a full disk fails the import, never leaves it stored with its rejects
 * lost. */
static int rejects_flush(struct op_call *c, struct err *e)
{
    if (!c->rejects) return 0;
    int fd = fileno(c->rejects); /* -1 for the API's memory stream */
    if (fflush(c->rejects) == 0 && !ferror(c->rejects) && (fd < 0 || fsync(fd) == 0)) return 0;
    err_at(e, NULL, 0, 0, "skip_bad");
    return err_set(e, ERR_IO, "cannot write the rejects file (disk full?): nothing was imported");
}

static int write_one(void *ctx, struct db_change *ch, struct err *e)
{
    struct write_ctx *w = ctx;
    int rc = w->c->op->run(w->c, e);
    if (!rc) rc = rejects_flush(w->c, e);
    if (!rc) change_of(w->c, w->c->op->verb, ch, w->action, sizeof w->action);
    return rc;
}

int op_execute(struct op_call *c, struct err *e)
{
    if (c->op->kind == OP_READ || (c->op->flags & OPF_OWN_TX)) return c->op->run(c, e);
    int rc = c->op->prepare ? c->op->prepare(c, e) : 0;
    if (rc) return rc;
    struct write_ctx w = {c, ""};
    return db_write(c->db, write_one, &w, c->dry_run, e);
}

/* ---- importing a CSV file of records ---------------------------------------- */

struct import {
    struct op_call *c;
    const char *label;
    int col[OP_MAX_PARAMS]; /* the header column of each parameter, or -1 */
    size_t nheader;
    const struct csv_row *row;
    uint64_t read, stored, rejected;
    char action[96];
};

static const char *row_get(void *ctx, const char *name)
{
    struct import *im = ctx;
    int k = op_param_index(im->c->op, name);
    if (k < 0 || im->col[k] < 0 || (size_t)im->col[k] >= im->row->nfields) return NULL;
    return im->row->fields[im->col[k]];
}

/* The columns a record's file may have: its parameters, files aside. */
static int is_column(const struct op_param *p)
{
    return p->type != PT_FILE && p->type != PT_OUTPUT;
}

static int read_header(struct import *im, const struct csv_row *r, struct err *e)
{
    const struct op *op = im->c->op;
    int rc = csv_header_unique(r, im->label, e);
    if (rc) return rc;
    for (int i = 0; i < OP_MAX_PARAMS; i++)
        im->col[i] = -1;
    for (size_t f = 0; f < r->nfields; f++) {
        char name[128];
        str_trim(str_copy(name, r->fields[f], sizeof name));
        if (strlen(r->fields[f]) >= sizeof name) str_copy(name, "(a very long name)", sizeof name);
        int k = -1;
        for (int i = 0; op->params[i].name && k < 0; i++)
            if (is_column(&op->params[i]) && str_ieq(op->params[i].name, name)) k = i;
        if (k < 0) {
            struct buf cols = {0};
            for (int i = 0; op->params[i].name; i++)
                if (is_column(&op->params[i]))
                    buf_printf(&cols, "%s%s", cols.len ? ", " : "", op->params[i].name);
            err_at(e, im->label, r->line, (int)f + 1, name);
            err_set(e, ERR_INPUT, "unknown column '%.60s' (the columns are %.400s)", name, cols.p);
            buf_free(&cols);
            return ERR_INPUT;
        }
        im->col[k] = (int)f;
    }
    for (int i = 0; op->params[i].name; i++)
        if ((op->params[i].flags & PF_REQUIRED) && is_column(&op->params[i]) && im->col[i] < 0) {
            err_at(e, im->label, r->line, 0, op->params[i].name);
            return err_set(e, ERR_INPUT, "the header lacks the required column '%s'",
                           op->params[i].name);
        }
    im->nheader = r->nfields;
    if (im->c->rejects) op_reject_header(im->c->rejects, r);
    return 0;
}

void op_reject_header(FILE *f, const struct csv_row *header)
{
    fputs("line,column,field,reason", f);
    for (size_t i = 0; i < header->nfields; i++) {
        fputc(',', f);
        csv_put(f, header->fields[i]);
    }
    fputc('\n', f);
}

void op_reject_row(FILE *f, const struct csv_row *r, const struct err *e)
{
    fprintf(f, "%ld,%d,", r->line, e->column);
    csv_put(f, e->field);
    fputc(',', f);
    csv_put(f, e->msg);
    for (size_t i = 0; i < r->nfields; i++) {
        fputc(',', f);
        csv_put(f, r->fields[i]);
    }
    fputc('\n', f);
}

/* One record: parsed, then stored with its audit row in a savepoint that is
 * released, or rolled back so that nothing of a refused record stays. */
static int import_record(struct import *im, const struct csv_row *r, struct err *e)
{
    struct op_call *c = im->c;
    if (r->nfields != im->nheader) {
        err_at(e, im->label, r->line, 0, NULL);
        return err_set(e, ERR_INPUT, "row has %zu fields but the header has %zu", r->nfields,
                       im->nheader);
    }
    op_call_reset(c);
    int rc = op_parse(c, row_get, im, e);
    if (!rc) rc = db_savepoint(c->db, e);
    if (rc) return rc;
    rc = c->op->run(c, e);
    if (!rc) {
        struct db_change ch;
        change_of(c, c->op->verb, &ch, im->action, sizeof im->action);
        rc = db_audit(c->db, &ch, e);
    }
    if (!rc) rc = db_release(c->db, e);
    if (rc) db_rollback_to(c->db);
    return rc;
}

/* Errors of the data, which --skip-bad may set aside; anything else (the
 * database failing, memory, a limit) stops the import. */
static int recoverable(int code)
{
    return code == ERR_INPUT || code == ERR_NOTFOUND || code == ERR_CONFLICT ||
           code == ERR_REFUSED || code == ERR_USAGE;
}

static int on_row(const struct csv_row *r, void *ctx, struct err *e)
{
    struct import *im = ctx;
    if (!im->nheader) return read_header(im, r, e);
    if (r->nfields == 1 && r->lens[0] == 0) return 0; /* a blank line */
    im->read++;
    im->row = r;
    int rc = import_record(im, r, e);
    if (!rc) {
        im->stored++;
        return 0;
    }
    int k = e->field[0] ? op_param_index(im->c->op, e->field) : -1;
    if (!e->file[0])
        err_at(e, im->label, r->line, k >= 0 && im->col[k] >= 0 ? im->col[k] + 1 : e->column, NULL);
    return op_set_aside(im->c, r, rc, im->label, &im->rejected, e);
}

int op_set_aside(struct op_call *c, const struct csv_row *r, int rc, const char *label,
                 uint64_t *rejected, struct err *e)
{
    if (!c->rejects || !recoverable(rc)) return rc;
    if (c->max_rejects && *rejected >= c->max_rejects) {
        err_clear(e);
        err_at(e, label, r->line, 0, NULL);
        return err_set(e, ERR_LIMIT, "more than %llu rows refused: nothing was imported",
                       (unsigned long long)c->max_rejects);
    }
    op_reject_row(c->rejects, r, e);
    (*rejected)++;
    err_clear(e);
    return 0;
}

struct import_ctx {
    struct import *im;
    const struct csv_src *src;
    char action[96], id[256], after[160];
};

static int import_all(void *ctx, struct db_change *ch, struct err *e)
{
    struct import_ctx *x = ctx;
    struct import *im = x->im;
    struct csv_opts co = {
        .progress = im->c->progress, .label = im->label, .max_row_bytes = im->c->max_row_bytes};
    int rc = csv_read(x->src, &co, on_row, im, e);
    if (!rc) rc = rejects_flush(im->c, e);
    if (rc) return rc;
    op_call_reset(im->c);
    snprintf(x->after, sizeof x->after, "{\"read\":%llu,\"stored\":%llu,\"rejected\":%llu}",
             (unsigned long long)im->read, (unsigned long long)im->stored,
             (unsigned long long)im->rejected);
    char base[256];
    str_copy(base, im->label, sizeof base);
    str_copy(x->id, basename(base), sizeof x->id);
    snprintf(x->action, sizeof x->action, "%s.%s", im->c->op->area, im->c->op->import);
    ch->action = x->action;
    ch->entity = im->c->op->entity;
    ch->id = x->id;
    ch->after = x->after;
    return 0;
}

int op_import(struct op_call *c, const struct csv_src *src, struct err *e)
{
    struct import im = {.c = c};
    im.label = src->label ? src->label : src->path ? src->path : "(body)";
    struct import_ctx x = {.im = &im, .src = src};
    int rc = db_write(c->db, import_all, &x, c->dry_run, e);
    op_call_reset(c);
    op_stat(c, "read", (int64_t)im.read);
    op_stat(c, "stored", (int64_t)im.stored);
    op_stat(c, "rejected", (int64_t)im.rejected);
    if (!rc)
        op_done(c, "%s: read %llu rows, stored %llu, rejected %llu", im.label,
                (unsigned long long)im.read, (unsigned long long)im.stored,
                (unsigned long long)im.rejected);
    return rc;
}

/* ---- the rejects file ------------------------------------------------------------- */

/* The absolute path a name resolves to, links followed, whether the file
 * exists or would be created in an existing directory; NULL if neither. */
static char *canonical(const char *path)
{
    char *r = realpath(path, NULL);
    if (r) return r;
    char dir[4096], base[4096];
    str_copy(dir, path, sizeof dir);
    str_copy(base, path, sizeof base);
    char *d = realpath(dirname(dir), NULL);
    if (!d) return NULL;
    struct buf b = {0};
    buf_printf(&b, "%s/%s", d, basename(base));
    free(d);
    return b.p;
}

/* 1 if a and b are, or would be, the same file: the same inode, or the same
 * resolved path (links followed, as SQLite follows them to name its -wal). */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char *ra = canonical(a), *rb = canonical(b);
    int same = ra && rb ? strcmp(ra, rb) == 0 : strcmp(a, b) == 0;
    free(ra);
    free(rb);
    return same;
}

/* 1 if the file starts as every SQLite database does. */
static int is_sqlite(const char *path)
{
    char head[16] = "";
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

int op_check_output(const char *path, const char *what, const char *field, const char *db_path,
                    const char *const *inputs, int ninputs, struct err *e)
{
    static const char *const side[] = {"", "-wal", "-shm", "-journal"};
    const char *clash = NULL;
    /* the database's side files are named after the file its name leads to */
    char *real = db_path ? canonical(db_path) : NULL;
    for (size_t i = 0; db_path && !clash && i < sizeof side / sizeof side[0]; i++) {
        char p[4200], q[4200];
        snprintf(p, sizeof p, "%s%s", db_path, side[i]);
        snprintf(q, sizeof q, "%s%s", real ? real : db_path, side[i]);
        if (same_file(path, p) || same_file(path, q)) clash = "the database";
    }
    free(real);
    for (int i = 0; !clash && i < ninputs; i++)
        if (inputs[i] && same_file(path, inputs[i])) clash = "the input file";
    if (!clash && is_sqlite(path)) clash = "a database";
    /* a name SQLite would take for a database's journal beside it */
    for (size_t i = 1; !clash && i < sizeof side / sizeof side[0]; i++) {
        size_t n = strlen(path), k = strlen(side[i]);
        char stem[4200];
        if (n <= k || n - k >= sizeof stem || strcmp(path + n - k, side[i]) != 0) continue;
        snprintf(stem, sizeof stem, "%.*s", (int)(n - k), path);
        if (is_sqlite(stem)) clash = "a database's journal";
    }
    struct stat st;
    if (!clash && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        clash = "something that is not a plain file";
    if (!clash) return 0;
    err_at(e, path, 0, 0, field);
    return err_set(e, ERR_USAGE, "the %s would overwrite %s; name another file", what, clash);
}

int op_mkstemp(char *tmpl)
{
    int fd = mkstemp(tmpl);
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0) fchmod(fd, 0666 & ~mask); /* as any new file, not mkstemp's 0600 */
    return fd;
}

int op_rejects_open(struct op_rejects *r, const char *path, const char *db_path,
                    const char *const *inputs, int ninputs, struct err *e)
{
    memset(r, 0, sizeof *r);
    int rc = op_check_output(path, "rejects file", "skip_bad", db_path, inputs, ninputs, e);
    if (rc) return rc;
    /* a link is written through: the file it leads to is replaced, not the
       link (nor /dev/stdout) */
    char *real = canonical(path);
    int n = snprintf(r->tmp, sizeof r->tmp, "%s.tmp-XXXXXX", real ? real : path);
    str_copy(r->path, real ? real : path, sizeof r->path);
    free(real);
    if (n < 0 || (size_t)n >= sizeof r->tmp) {
        err_at(e, path, 0, 0, "skip_bad");
        return err_set(e, ERR_USAGE, "the rejects file's name is too long");
    }
    int fd = op_mkstemp(r->tmp);
    if (fd < 0 || !(r->f = fdopen(fd, "w"))) {
        if (fd >= 0) close(fd), unlink(r->tmp);
        err_at(e, path, 0, 0, "skip_bad");
        return err_set(e, ERR_IO, "cannot write the rejects file beside it");
    }
    return 0;
}

int op_rejects_close(struct op_rejects *r, int keep, struct err *e)
{
    if (!r->f) return 0;
    int bad = ferror(r->f) | fclose(r->f);
    r->f = NULL;
    if (keep && !bad && rename(r->tmp, r->path) == 0) return 0;
    if (!keep || bad) {
        unlink(r->tmp);
        if (!keep) return 0;
        err_at(e, r->path, 0, 0, "skip_bad");
        return err_set(e, ERR_IO, "cannot write the rejects file");
    }
    /* the rows are stored; only the last step, the rename, failed */
    err_at(e, r->path, 0, 0, "skip_bad");
    return err_set(e, ERR_IO,
                   "the import is stored, but its rejects could not be renamed into place: they "
                   "are in %.300s",
                   r->tmp);
}

struct csv_src op_input(const struct op_call *c)
{
    const char *name = op_param_index(c->op, "filename") >= 0 ? op_s(c, "filename") : NULL;
    if (!c->body) return (struct csv_src){.path = op_s(c, "file"), .label = name};
    return (struct csv_src){.data = c->body,
                            .len = c->body_len,
                            .label = name       ? name
                                     : c->label ? c->label
                                                : "body",
                            .max_inflated = c->max_inflated};
}
