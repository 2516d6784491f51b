/* sources.c — the register of where trade figures come from: publisher,
 * publication date, address, and whether the rows are synthetic. Reports cite
 * it under every table. */
#include "trade.h"

#include <string.h>

struct src_load {
    struct db *db;
    sqlite3_stmt *st;
    int col[6];
    const char *file;
    int n;
};

static int src_row(const struct csv_row *r, void *ctx, struct err *e)
{
    static const char *names[] = {"name", "publisher", "published", "url", "synthetic", "note"};
    struct src_load *s = ctx;
    if (s->col[0] == -2) {
        for (int i = 0; i < 6; i++)
            if ((s->col[i] = csv_find(r, names[i])) < 0) {
                err_at(e, s->file, r->line, 0, names[i]);
                return err_set(e, ERR_INPUT, "sources file lacks this column");
            }
        return 0;
    }
    sqlite3_reset(s->st);
    for (int i = 0; i < 6; i++) {
        const char *v = (size_t)s->col[i] < r->nfields ? r->fields[s->col[i]] : "";
        if (i == 0 && !*v) {
            err_at(e, s->file, r->line, s->col[i] + 1, "name");
            return err_set(e, ERR_INPUT, "a source needs a name");
        }
        if (i == 4) {
            if (strcmp(v, "0") && strcmp(v, "1") && !str_ieq(v, "yes") && !str_ieq(v, "no") && *v) {
                err_at(e, s->file, r->line, s->col[i] + 1, "synthetic");
                return err_set(e, ERR_INPUT, "'%s' is not 0/1 or yes/no", v);
            }
            sqlite3_bind_int(s->st, 5, strcmp(v, "1") == 0 || str_ieq(v, "yes"));
            continue;
        }
        if (!str_valid_utf8(v, strlen(v)) || strlen(v) > 1000) {
            err_at(e, s->file, r->line, s->col[i] + 1, names[i]);
            return err_set(e, ERR_INPUT, "not valid text (UTF-8, at most 1000 bytes)");
        }
        sqlite3_bind_text(s->st, i + 1, v, -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(s->st) != SQLITE_DONE) {
        err_at(e, s->file, r->line, 0, NULL);
        return db_fail(s->db, e, "storing the source");
    }
    s->n++;
    return 0;
}

int trade_sources_import(struct db *db, const char *path, int embedded, struct err *e)
{
    struct src_load s = {.db = db, .file = path};
    s.col[0] = -2;
    int rc = db_begin(db, e);
    if (!rc)
        rc = db_prepare(db,
                        "INSERT INTO source(name, publisher, published, url, synthetic, note) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET "
                        "publisher = excluded.publisher, published = excluded.published, "
                        "url = excluded.url, synthetic = excluded.synthetic, note = excluded.note",
                        &s.st, e);
    struct csv_opts o = {.label = path};
    if (!rc) {
        if (embedded) {
            size_t len;
            const char *data = asset_get(path, &len);
            rc = data ? csv_read_mem(data, len, &o, src_row, &s, e)
                      : err_set(e, ERR_INTERNAL, "%s is not embedded", path);
        } else {
            rc = csv_read_file(path, &o, src_row, &s, e);
        }
    }
    sqlite3_finalize(s.st);
    if (!rc) {
        char after[64];
        snprintf(after, sizeof after, "{\"sources\":%d}", s.n);
        rc = db_audit(db, "trade.sources", "source", NULL, NULL, after, e);
    }
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    return rc;
}

int trade_sources_list(struct db *db, struct table **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT s.name, s.publisher, s.published, "
                        "CASE WHEN s.synthetic THEN 'yes' ELSE 'no' END, "
                        "(SELECT count(*) FROM trade_flow t WHERE t.source_id = s.id), s.note "
                        "FROM source s ORDER BY s.synthetic, s.published, s.name",
                        &st, e);
    if (rc) return rc;
    struct table *t = table_new("sources", "Sources of trade figures");
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "publisher", COL_TEXT, NULL, 0);
    table_col(t, "published", COL_TEXT, NULL, 0);
    table_col(t, "synthetic", COL_TEXT, NULL, 0);
    table_col(t, "rows", COL_INT, NULL, 0);
    table_col(t, "note", COL_TEXT, NULL, 0);
    db_fill_table(st, t);
    *out = t;
    return 0;
}
