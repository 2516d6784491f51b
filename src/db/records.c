/* records.c — the import of CSV files of records (parties, agreements, rules,
 * establishments, barriers, shipments...) shared by every area: header
 * columns matched to the record's fields by name, each row parsed with
 * rec_parse and handed to the area's insert function, the whole file in one
 * BEGIN IMMEDIATE transaction, refusals located at file:line:column, and
 * rejected rows written out with their reasons when asked. Also the JSON
 * form of a record that audit rows keep. */
#include "db.h"

#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

struct rec_import {
    struct db *db;
    const struct rec_field *spec;
    size_t n;
    db_record_fn fn;
    void *ctx;
    const char *path;
    int col[64];
    size_t nheader;
    const struct csv_row *row;
    struct rec_value *vals;
    FILE *rejects;
    struct db_import_stats *stats;
};

static const char *row_get(void *ctx, const char *name)
{
    struct rec_import *im = ctx;
    int k = rec_find(im->spec, im->n, name);
    if (k < 0 || im->col[k] < 0 || (size_t)im->col[k] >= im->row->nfields) return NULL;
    return im->row->fields[im->col[k]];
}

static void reject(struct rec_import *im, const struct csv_row *r, const struct err *e)
{
    fprintf(im->rejects, "%ld,%d,", r->line, e->column);
    csv_put(im->rejects, e->field);
    fputc(',', im->rejects);
    csv_put(im->rejects, e->msg);
    for (size_t i = 0; i < r->nfields; i++) {
        fputc(',', im->rejects);
        csv_put(im->rejects, r->fields[i]);
    }
    fputc('\n', im->rejects);
}

static int on_row(const struct csv_row *r, void *ctx, struct err *e)
{
    struct rec_import *im = ctx;
    if (!im->nheader) {
        for (size_t i = 0; i < im->n; i++) {
            im->col[i] = csv_find(r, im->spec[i].name);
            if (im->col[i] < 0 && im->spec[i].required) {
                err_at(e, im->path, r->line, 0, im->spec[i].name);
                return err_set(e, ERR_INPUT, "the header lacks the required column");
            }
        }
        im->nheader = r->nfields;
        if (im->rejects) {
            fputs("line,column,field,reason", im->rejects);
            for (size_t i = 0; i < r->nfields; i++) {
                fputc(',', im->rejects);
                csv_put(im->rejects, r->fields[i]);
            }
            fputc('\n', im->rejects);
        }
        return 0;
    }
    if (r->nfields == 1 && r->lens[0] == 0) return 0;
    im->stats->read++;
    im->row = r;
    int rc;
    if (r->nfields != im->nheader) {
        err_at(e, im->path, r->line, 0, NULL);
        rc = err_set(e, ERR_INPUT, "row has %zu fields but the header has %zu", r->nfields,
                     im->nheader);
    } else {
        rc = rec_parse(im->spec, im->n, row_get, im, im->vals, e);
        if (!rc) rc = im->fn(im->db, im->vals, im->ctx, e);
        if (rc) {
            int k = e->field[0] ? rec_find(im->spec, im->n, e->field) : -1;
            err_at(e, im->path, r->line, k >= 0 && im->col[k] >= 0 ? im->col[k] + 1 : e->column,
                   NULL);
        }
    }
    if (!rc) {
        im->stats->stored++;
        return 0;
    }
    if (im->rejects && rc != ERR_DB) {
        reject(im, r, e);
        im->stats->rejected++;
        err_clear(e);
        return 0;
    }
    return rc;
}

int db_import_records(struct db *db, const char *path, const struct rec_field *spec, size_t n,
                      db_record_fn fn, void *ctx, const struct db_import_opts *o,
                      struct db_import_stats *stats, struct err *e)
{
    memset(stats, 0, sizeof *stats);
    if (n > 64) return err_set(e, ERR_INTERNAL, "record has too many fields");
    struct rec_value *vals = xcalloc(n, sizeof *vals);
    struct rec_import im = {.db = db,
                            .spec = spec,
                            .n = n,
                            .fn = fn,
                            .ctx = ctx,
                            .path = path,
                            .vals = vals,
                            .stats = stats};
    double t0 = now_seconds();
    if (o && o->rejects && !(im.rejects = fopen(o->rejects, "w"))) {
        free(vals);
        err_at(e, o->rejects, 0, 0, "--skip-bad");
        return err_set(e, ERR_IO, "cannot write the rejects file");
    }
    int rc = db_begin(db, e);
    struct csv_opts co = {.progress = 1};
    if (!rc) rc = csv_read_file(path, &co, on_row, &im, e);
    if (!rc) {
        char base[256], after[160];
        str_copy(base, path, sizeof base);
        snprintf(after, sizeof after, "{\"read\":%llu,\"stored\":%llu,\"rejected\":%llu}",
                 (unsigned long long)stats->read, (unsigned long long)stats->stored,
                 (unsigned long long)stats->rejected);
        rc = db_audit(db, o && o->action ? o->action : "import", o && o->entity ? o->entity : "",
                      basename(base), NULL, after, e);
    }
    if (!rc && !(o && o->dry_run)) rc = db_commit(db, e);
    if (rc || (o && o->dry_run)) db_rollback(db);
    if (im.rejects) fclose(im.rejects);
    stats->seconds = now_seconds() - t0;
    free(vals);
    return rc;
}

char *rec_json(const struct rec_field *spec, size_t n, const struct rec_value *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < n; i++)
        if (v[i].present) json_object_set_new(o, spec[i].name, json_string(v[i].s));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
