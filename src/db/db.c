/* db.c — opening the database, migrations, transactions, audit, integrity
 * check and backup. The only place that sets connection pragmas. */
#include "db.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SCHEMA_PREFIX "src/db/schema/"

const char *db_default_path(void)
{
    const char *p = getenv("CORRIDOR_DB");
    return (p && *p) ? p : "corridor.db";
}

int db_fail(struct db *db, struct err *e, const char *what)
{
    int ext = db && db->h ? sqlite3_extended_errcode(db->h) : SQLITE_ERROR;
    int code = (ext & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT
               : (ext & 0xff) == SQLITE_BUSY     ? ERR_CONFLICT
                                                 : ERR_DB;
    return err_set(e, code, "%s: %s", what, db && db->h ? sqlite3_errmsg(db->h) : "no database");
}

int db_prepare(struct db *db, const char *sql, sqlite3_stmt **st, struct err *e)
{
    if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
        return db_fail(db, e, "preparing a query");
    return 0;
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = db_fail(db, e, "database");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

int db_begin(struct db *db, struct err *e)
{
    return db_exec(db, "BEGIN IMMEDIATE", e);
}

int db_commit(struct db *db, struct err *e)
{
    return db_exec(db, "COMMIT", e);
}

void db_rollback(struct db *db)
{
    if (db && db->h && !sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", 0, 0, 0);
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

const char *db_col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return str_copy(out, s ? (const char *)s : "", size);
}

int db_lookup(struct db *db, const char *sql, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) return 0;
    db_bind_text(st, 1, key);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found && out) db_col_text(st, 0, out, size);
    sqlite3_finalize(st);
    return found;
}

void db_fill_table(sqlite3_stmt *st, struct table *t)
{
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t r = table_add_row(t);
        for (size_t c = 0; c < t->ncols && (int)c < sqlite3_column_count(st); c++) {
            if (sqlite3_column_type(st, (int)c) == SQLITE_NULL) continue;
            if (t->cols[c].type == COL_TEXT)
                table_set_text(t, r, c, (const char *)sqlite3_column_text(st, (int)c));
            else
                table_set_int(t, r, c, sqlite3_column_int64(st, (int)c));
        }
    }
    sqlite3_finalize(st);
}

int db_schema_version(struct db *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* Applies embedded migrations src/db/schema/NNNN_name.sql whose number is
 * above user_version, each in its own transaction with the version bump. */
static int migrate(struct db *db, struct err *e)
{
    int have = db_schema_version(db);
    const char *name;
    for (size_t i = 0; (name = asset_name(i)); i++) {
        if (strncmp(name, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX)) != 0) continue;
        int num = atoi(name + strlen(SCHEMA_PREFIX));
        if (num <= have) continue;
        const char *sql = asset_get(name, NULL);
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", num);
        int rc = db_begin(db, e);
        if (!rc) rc = db_exec(db, sql, e);
        if (!rc) rc = db_exec(db, bump, e);
        if (!rc) rc = db_commit(db, e);
        if (rc) {
            db_rollback(db);
            return err_set(e, ERR_DB, "migration %s failed: %s", name, e->msg);
        }
        have = num;
    }
    return 0;
}

int db_open(const char *path, int create, struct db **out, struct err *e)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_NOTFOUND,
                       "no database here; create one with 'corridor init' or 'corridor demo'");
    }
    struct db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    const char *user = getenv("CORRIDOR_USER");
    if (!user || !*user) user = getenv("USER");
    snprintf(db->actor, sizeof db->actor, "cli:%s", (user && *user) ? user : "unknown");
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        err_at(e, path, 0, 0, NULL);
        int rc = db_fail(db, e, "cannot open the database");
        db_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    int rc = db_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16000;",
                     e);
    if (!rc) rc = migrate(db, e);
    if (rc) {
        err_at(e, path, 0, 0, NULL);
        db_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db) return;
    sqlite3_close(db->h);
    free(db->path);
    free(db);
}

int db_audit(struct db *db, const char *action, const char *entity, const char *entity_id,
             const char *before, const char *after, struct err *e)
{
    static const char sql[] =
        "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
        "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = db_prepare(db, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, db->actor);
    db_bind_text(st, 2, action);
    db_bind_text(st, 3, entity);
    db_bind_text(st, 4, entity_id);
    db_bind_text(st, 5, before);
    db_bind_text(st, 6, after);
    if (sqlite3_step(st) != SQLITE_DONE) rc = db_fail(db, e, "writing the audit log");
    sqlite3_finalize(st);
    return rc;
}

int db_check(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("db_check", "Database check");
    table_col(t, "check", COL_TEXT, NULL, 0);
    table_col(t, "problem", COL_TEXT, NULL, 0);
    static const struct {
        const char *name, *sql;
    } checks[] = {
        {"integrity", "PRAGMA integrity_check"},
        {"foreign_keys", "SELECT \"table\" || ' row ' || rowid || ' -> ' || parent "
                         "FROM pragma_foreign_key_check"},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        sqlite3_stmt *st;
        int rc = db_prepare(db, checks[i].sql, &st, e);
        if (rc) {
            table_free(t);
            return rc;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *s = (const char *)sqlite3_column_text(st, 0);
            if (s && strcmp(s, "ok") == 0) continue;
            size_t r = table_add_row(t);
            table_set_text(t, r, 0, checks[i].name);
            table_set_text(t, r, 1, s ? s : "(null)");
        }
        sqlite3_finalize(st);
    }
    table_note(t, "%s: schema version %d, %s", db->path, db_schema_version(db),
               t->nrows ? "PROBLEMS FOUND" : "integrity ok, foreign keys ok");
    *out = t;
    return 0;
}

int db_backup(struct db *db, const char *file, struct err *e)
{
    sqlite3 *dst;
    if (access(file, F_OK) == 0) {
        err_at(e, file, 0, 0, NULL);
        return err_set(e, ERR_CONFLICT, "backup file already exists; choose a new name");
    }
    if (sqlite3_open_v2(file, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        err_at(e, file, 0, 0, NULL);
        err_set(e, ERR_IO, "cannot create the backup: %s", sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return ERR_IO;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
    int rc = 0;
    if (!b) {
        rc = err_set(e, ERR_DB, "backup failed: %s", sqlite3_errmsg(dst));
    } else {
        int s;
        while ((s = sqlite3_backup_step(b, 256)) == SQLITE_OK || s == SQLITE_BUSY ||
               s == SQLITE_LOCKED)
            if (s != SQLITE_OK) sqlite3_sleep(20);
        sqlite3_backup_finish(b);
        if (s != SQLITE_DONE) rc = err_set(e, ERR_DB, "backup failed: %s", sqlite3_errstr(s));
    }
    sqlite3_close(dst);
    if (rc) {
        err_at(e, file, 0, 0, NULL);
        unlink(file);
    }
    return rc;
}

int db_audit_list(struct db *db, const char *entity, int limit, struct table **out, struct err *e)
{
    static const char sql[] = "SELECT id, at, actor, action, entity, entity_id, before, after "
                              "FROM audit "
                              "WHERE ?1 IS NULL OR entity = ?1 ORDER BY id DESC LIMIT ?2";
    sqlite3_stmt *st;
    int rc = db_prepare(db, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, entity);
    sqlite3_bind_int(st, 2, limit > 0 ? limit : 50);
    struct table *t = table_new("audit", "Audit log (newest first)");
    const char *names[] = {"id", "at", "actor", "action", "entity", "entity_id", "before", "after"};
    for (int c = 0; c < 8; c++)
        table_col(t, names[c], c == 0 ? COL_INT : COL_TEXT, NULL, 0);
    db_fill_table(st, t);
    *out = t;
    return 0;
}
