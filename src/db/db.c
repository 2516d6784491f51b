/* db.c — opening a corridor database (and refusing anything else),
 * migrations, checked statements, write transactions with their audit row,
 * savepoints, integrity check, backup and the fault injector. The only file
 * of corridor that calls SQLite. */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SCHEMA_PREFIX "src/db/schema/"
#define BUSY_SECONDS 10 /* how long a writer waits for another */
/* PRAGMA application_id of a corridor database: "CoRr" */
#define CORRIDOR_APP_ID 0x436f5272

struct db {
    sqlite3 *h;
    char *path;
    char actor[128];
    long fault_left; /* steps until an injected fault; 0 = none */
    long steps;
    sqlite3_stmt *local_name; /* local_name()'s lookup, prepared once */
};

struct db_stmt {
    sqlite3_stmt *st;
    struct db *db;
};

/* ---- errors and faults ------------------------------------------------------ */

static int fail_code(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_CONFLICT;
    case SQLITE_NOMEM:
        return ERR_NOMEM;
    default:
        return ERR_DB;
    }
}

/* Why a database cannot be written, told by what can be written: the file
 * itself, or the directory where SQLite keeps its log and lock files. */
static int readonly_cause(const char *path, const char *msg, struct err *e)
{
    if (path && access(path, W_OK) != 0)
        return err_set(e, ERR_IO,
                       "the database file is read-only (its permissions or a read-only file "
                       "system): corridor can read it but not write to it (%s)",
                       msg);
    char dir[4096];
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (slash == path) str_copy(dir, "/", sizeof dir);
    else if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else str_copy(dir, ".", sizeof dir);
    if (path && access(dir, W_OK) != 0)
        return err_set(e, ERR_IO,
                       "the directory %s cannot be written: SQLite keeps the database's "
                       "write-ahead log and lock files beside it, so the database cannot be "
                       "written either (%s)",
                       dir, msg);
    return err_set(e, ERR_DB, "database: %s", msg); /* a read-only connection */
}

/* Fills e from the connection's last error, naming the cause people can act
 * on (busy, read-only, full, damaged) rather than SQLite's words alone. */
static int db_fail(struct db *db, struct err *e, int rc)
{
    const char *msg = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    int code = rc & 0xff;
    /* a fault of the file itself names the file, unless a place is named already */
    if (db && db->path && !e->file[0] &&
        (code == SQLITE_READONLY || code == SQLITE_FULL || code == SQLITE_CORRUPT ||
         code == SQLITE_IOERR || code == SQLITE_CANTOPEN))
        err_at(e, db->path, 0, 0, NULL);
    switch (code) {
    case SQLITE_BUSY:
        return err_set(e, ERR_CONFLICT, "the database is busy: another writer holds it (%s)", msg);
    case SQLITE_READONLY:
        return readonly_cause(db ? db->path : NULL, msg, e);
    case SQLITE_FULL:
        return err_set(e, ERR_IO,
                       "the disk is full (or a quota is reached): nothing of this change was "
                       "stored (%s)",
                       msg);
    case SQLITE_CORRUPT:
        return err_set(e, ERR_DB,
                       "the database file is damaged (%s): restore it from a backup "
                       "('corridor db backup' makes them)",
                       msg);
    case SQLITE_IOERR:
        return err_set(e, ERR_IO, "reading or writing the database failed (%s)", msg);
    case SQLITE_CANTOPEN:
        return err_set(e, ERR_IO,
                       "the database cannot be opened: its directory is missing or cannot be "
                       "read (%s)",
                       msg);
    default:
        return err_set(e, fail_code(rc), "database: %s", msg);
    }
}

/* 1 when the fault injector says this step fails. */
static int fault(struct db *db, struct err *e)
{
    db->steps++;
    if (db->fault_left > 0 && --db->fault_left == 0) {
        err_set(e, ERR_DB, "database: disk I/O error (injected fault)");
        return 1;
    }
    return 0;
}

void db_fault_after(struct db *db, long n)
{
    db->fault_left = n > 0 ? n : 0;
    db->steps = 0;
}

long db_fault_steps(const struct db *db)
{
    return db->steps;
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
    if (fault(db, e)) return ERR_DB;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : db_fail(db, e, rc);
}

/* ---- statements --------------------------------------------------------------- */

static int bind_va(sqlite3_stmt *st, const char *types, va_list ap)
{
    int rc = SQLITE_OK;
    for (int i = 0; types && types[i] && rc == SQLITE_OK; i++) {
        switch (types[i]) {
        case 't': {
            const char *s = va_arg(ap, const char *);
            rc = s ? sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(st, i + 1);
            break;
        }
        case 'i':
            rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'n':
            rc = sqlite3_bind_int(st, i + 1, va_arg(ap, int));
            break;
        case 'p': { /* an optional integer: NULL pointer binds NULL */
            const int64_t *v = va_arg(ap, const int64_t *);
            rc = v ? sqlite3_bind_int64(st, i + 1, *v) : sqlite3_bind_null(st, i + 1);
            break;
        }
        default:
            rc = SQLITE_MISUSE;
        }
    }
    return rc;
}

static int prepare_va(struct db *db, struct db_stmt **out, struct err *e, const char *sql,
                      const char *types, va_list ap)
{
    *out = NULL;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return db_fail(db, e, rc);
    if ((rc = bind_va(st, types, ap)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return err_set(e, ERR_INTERNAL, "binding a query's parameters failed (%s)",
                       sqlite3_errstr(rc));
    }
    *out = xmalloc(sizeof **out);
    (*out)->st = st;
    (*out)->db = db;
    return 0;
}

int db_prepare(struct db *db, struct db_stmt **st, struct err *e, const char *sql,
               const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    int rc = prepare_va(db, st, e, sql, types, ap);
    va_end(ap);
    return rc;
}

int db_rebind(struct db_stmt *st, struct err *e, const char *types, ...)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
    va_list ap;
    va_start(ap, types);
    int rc = bind_va(st->st, types, ap);
    va_end(ap);
    return rc == SQLITE_OK ? 0
                           : err_set(e, ERR_INTERNAL, "binding failed (%s)", sqlite3_errstr(rc));
}

int db_step(struct db_stmt *st, struct err *e)
{
    if (fault(st->db, e)) return ERR_DB;
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    return db_fail(st->db, e, rc);
}

void db_finalize(struct db_stmt *st)
{
    if (!st) return;
    sqlite3_finalize(st->st);
    free(st);
}

int db_param_count(struct db_stmt *st)
{
    return sqlite3_bind_parameter_count(st->st);
}

int db_col_null(struct db_stmt *st, int i)
{
    return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

int64_t db_col_int(struct db_stmt *st, int i)
{
    return sqlite3_column_int64(st->st, i);
}

double db_col_real(struct db_stmt *st, int i)
{
    return sqlite3_column_double(st->st, i);
}

const char *db_col_str(struct db_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st->st, i);
    return s ? (const char *)s : "";
}

const char *db_col_text(struct db_stmt *st, int i, char *out, size_t size)
{
    return str_copy(out, db_col_str(st, i), size);
}

int db_col_copy(struct db_stmt *st, int i, char *out, size_t size, struct err *e)
{
    const char *s = db_col_str(st, i);
    size_t n = strlen(s);
    if (n >= size)
        return err_set(e, ERR_LIMIT,
                       "a stored value of %zu bytes is longer than corridor reads (%zu): "
                       "refusing to decide on part of it",
                       n, size - 1);
    memcpy(out, s, n + 1);
    return 0;
}

int db_run(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
    struct db_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = prepare_va(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc) return rc;
    while ((rc = db_step(st, e)) == 1) {
    }
    db_finalize(st);
    return rc;
}

int64_t db_changes(struct db *db)
{
    return sqlite3_changes64(db->h);
}

int64_t db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

/* Prepares, binds and takes the first step: 1 with *st on the row, 0 when
 * there is none, or an error; the caller finalizes *st. */
static int first_row(struct db *db, struct db_stmt **st, struct err *e, const char *sql,
                     const char *types, va_list ap)
{
    int rc = prepare_va(db, st, e, sql, types, ap);
    return rc ? rc : db_step(*st, e);
}

int db_lookup(struct db *db, struct err *e, char *out, size_t size, const char *sql,
              const char *types, ...)
{
    struct db_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = first_row(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc == 1 && out) db_col_text(st, 0, out, size);
    db_finalize(st);
    return rc;
}

int db_lookup_int(struct db *db, struct err *e, int64_t *out, const char *sql, const char *types,
                  ...)
{
    struct db_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = first_row(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc == 1) *out = db_col_int(st, 0);
    db_finalize(st);
    return rc;
}

int db_join(struct db *db, struct err *e, struct buf *out, const char *sep, const char *sql,
            const char *types, ...)
{
    struct db_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = prepare_va(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc) return rc;
    while ((rc = db_step(st, e)) == 1)
        buf_printf(out, "%s%s", out->len ? sep : "", db_col_str(st, 0));
    db_finalize(st);
    return rc;
}

int db_fill(struct db *db, struct table *t, struct err *e, const char *sql, const char *types, ...)
{
    struct db_stmt *st;
    va_list ap;
    va_start(ap, types);
    int rc = prepare_va(db, &st, e, sql, types, ap);
    va_end(ap);
    if (rc) return rc;
    int ncols = sqlite3_column_count(st->st);
    while ((rc = db_step(st, e)) == 1) {
        size_t r = table_add_row(t);
        for (size_t c = 0; c < t->ncols && (int)c < ncols; c++) {
            if (db_col_null(st, (int)c)) continue;
            if (t->cols[c].type == COL_TEXT)
                table_set_text(t, r, c, db_col_str(st, (int)c));
            else if (t->cols[c].type == COL_REAL)
                table_set_real(t, r, c, db_col_real(st, (int)c));
            else
                table_set_int(t, r, c, db_col_int(st, (int)c));
        }
    }
    db_finalize(st);
    return rc;
}

/* ---- transactions -------------------------------------------------------------- */

int db_in_transaction(struct db *db)
{
    return !sqlite3_get_autocommit(db->h);
}

int db_savepoint(struct db *db, struct err *e)
{
    return db_exec(db, "SAVEPOINT corridor_sp", e);
}

int db_release(struct db *db, struct err *e)
{
    return db_exec(db, "RELEASE corridor_sp", e);
}

void db_rollback_to(struct db *db)
{
    /* never fault-injected: undoing must always be possible */
    if (db_in_transaction(db))
        sqlite3_exec(db->h, "ROLLBACK TO corridor_sp; RELEASE corridor_sp", NULL, NULL, NULL);
}

static void rollback(struct db *db)
{
    if (db_in_transaction(db)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* Writers of this process queue here for the write lock, woken in turn,
 * instead of each polling SQLite's lock with the busy handler's growing
 * sleeps (which gave concurrent writers a tail of most of a second). Other
 * processes still meet the busy handler. The wait is bounded as it is. One
 * lock for the process: a process writes one database (the server's, the
 * command's). */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

static int writer_lock(struct err *e)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_SECONDS;
    if (pthread_mutex_timedlock(&writer, &until) == 0) return 0;
    return err_set(e, ERR_CONFLICT,
                   "the database is busy: another writer holds it (waited %d s)", BUSY_SECONDS);
}

int db_write(struct db *db, db_write_fn fn, void *ctx, int dry_run, struct err *e)
{
    int outer = !db_in_transaction(db);
    if (outer && writer_lock(e)) return ERR_CONFLICT;
    int rc = outer ? db_exec(db, "BEGIN IMMEDIATE", e) : db_savepoint(db, e);
    if (rc) {
        if (outer) pthread_mutex_unlock(&writer);
        return rc;
    }
    struct db_change ch = {0};
    rc = fn(ctx, &ch, e);
    if (!rc && ch.action) rc = db_audit(db, &ch, e);
    if (!rc && !dry_run) rc = outer ? db_exec(db, "COMMIT", e) : db_release(db, e);
    if (rc || dry_run) {
        if (outer)
            rollback(db);
        else
            db_rollback_to(db);
    }
    if (outer) pthread_mutex_unlock(&writer);
    return rc;
}

int db_audit(struct db *db, const struct db_change *ch, struct err *e)
{
    return db_run(db, e,
                  "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                  "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3, ?4, ?5, ?6)",
                  "tttttt", db->actor, ch->action, ch->entity ? ch->entity : "", ch->id, ch->before,
                  ch->after);
}

/* ---- opening ------------------------------------------------------------------- */

const char *db_default_path(void)
{
    const char *p = getenv("CORRIDOR_DB");
    return (p && *p) ? p : "corridor.db";
}

const char *db_path(const struct db *db)
{
    return db->path;
}

void db_set_actor(struct db *db, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->actor, sizeof db->actor, fmt, ap);
    va_end(ap);
}

const char *db_engine_version(void)
{
    return sqlite3_libversion();
}

void db_busy_timeout(struct db *db, int ms)
{
    sqlite3_busy_timeout(db->h, ms);
}

/* The highest migration embedded in the binary. */
int db_schema_current(void)
{
    int top = 0;
    const char *name;
    for (size_t i = 0; (name = asset_name(i)); i++)
        if (strncmp(name, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX)) == 0) {
            int num = atoi(name + strlen(SCHEMA_PREFIX));
            if (num > top) top = num;
        }
    return top;
}

static int pragma_int(struct db *db, const char *sql, int64_t *out, struct err *e)
{
    int rc = db_lookup_int(db, e, out, sql, NULL);
    return rc < 0 ? rc : 0;
}

int db_schema_version(struct db *db, struct err *e)
{
    int64_t v = -1;
    int rc = pragma_int(db, "PRAGMA user_version", &v, e);
    return rc ? rc : (int)v;
}

/* Applies embedded migrations src/db/schema/NNNN_name.sql whose number is
 * above user_version, each in its own transaction with the version bump,
 * and marks the file as corridor's. */
static int migrate(struct db *db, int have, struct err *e)
{
    const char *name;
    for (size_t i = 0; (name = asset_name(i)); i++) {
        if (strncmp(name, SCHEMA_PREFIX, strlen(SCHEMA_PREFIX)) != 0) continue;
        int num = atoi(name + strlen(SCHEMA_PREFIX));
        if (num <= have) continue;
        char bump[96];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d; PRAGMA application_id = %d", num,
                 CORRIDOR_APP_ID);
        int rc = db_exec(db, "BEGIN IMMEDIATE", e);
        if (!rc) rc = db_exec(db, asset_get(name, NULL), e);
        if (!rc) rc = db_exec(db, bump, e);
        if (!rc) rc = db_exec(db, "COMMIT", e);
        if (rc) {
            rollback(db);
            return err_set(e, ERR_DB, "migration %s failed: %.300s", name,
                           e->msg); /* err_set copes */
        }
        have = num;
    }
    char stamp[64];
    snprintf(stamp, sizeof stamp, "PRAGMA application_id = %d", CORRIDOR_APP_ID);
    return db_exec(db, stamp, e);
}

/* What the file is, read without writing to it: a corridor database, an
 * empty one, or someone else's. */
static int identify(struct db *db, enum db_mode mode, int *version, struct err *e)
{
    int64_t app = 0, ver = 0, objects = 0, legacy = 0;
    int rc = pragma_int(db, "PRAGMA application_id", &app, e);
    if (!rc) rc = pragma_int(db, "PRAGMA user_version", &ver, e);
    if (!rc) rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &objects, e);
    if (!rc)
        rc = pragma_int(db,
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                        "name IN ('audit', 'trade_flow', 'country')",
                        &legacy, e);
    if (rc) {
        if (strstr(e->msg, "not a database"))
            return err_set(e, ERR_CONFLICT,
                           "this file is not a SQLite database, let alone a corridor one; "
                           "corridor did not touch it");
        return rc;
    }
    /* databases made before corridor stamped its application_id */
    int ours = (app == CORRIDOR_APP_ID || (app == 0 && legacy == 3 && ver >= 1)) && ver >= 0;
    if (!ours && (app != 0 || objects > 0))
        return err_set(e, ERR_CONFLICT,
                       "this is another application's SQLite database (application_id %lld, "
                       "%lld object%s in its schema): corridor will not write to it",
                       (long long)app, (long long)objects, objects == 1 ? "" : "s");
    if (!ours && mode != DB_CREATE)
        return err_set(e, ERR_NOTFOUND,
                       "an empty database, not a corridor one; create one with 'corridor init' "
                       "or 'corridor demo'");
    int current = db_schema_current();
    if (ver > current)
        return err_set(e, ERR_CONFLICT,
                       "the database's schema version %lld is newer than this corridor's (%d): "
                       "use a newer corridor",
                       (long long)ver, current);
    if (ver < current && mode != DB_CREATE)
        return err_set(e, ERR_CONFLICT,
                       "the database's schema version %lld is older than this corridor's (%d): "
                       "run 'corridor init --db %s' to upgrade it",
                       (long long)ver, current, db->path);
    *version = (int)ver;
    return 0;
}

/* Reads what a file is through a read-only connection, so that nothing is
 * written to a file that turns out not to be corridor's: no journal rolled
 * back, no write-ahead log checkpointed. When SQLite cannot read it so
 * (a journal waits to be rolled back), it reads the main file as it stands
 * (immutable) to tell whose it is. */
static int peek(const char *path, enum db_mode mode, int *version, struct err *e)
{
    struct db p = {.path = (char *)path};
    int rc = sqlite3_open_v2(path, &p.h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(p.h, 1);
        sqlite3_busy_timeout(p.h, BUSY_SECONDS * 1000);
        rc = identify(&p, mode, version, e);
    } else {
        rc = db_fail(&p, e, rc);
    }
    int ext = p.h ? sqlite3_extended_errcode(p.h) : 0;
    sqlite3_close(p.h);
    p.h = NULL;
    if (rc != ERR_DB || ((ext & 0xff) != SQLITE_READONLY && (ext & 0xff) != SQLITE_CANTOPEN))
        return rc;
    struct buf uri = {0};
    buf_puts(&uri, "file:");
    for (const char *c = path; *c; c++)
        strchr("%?#", *c) ? buf_printf(&uri, "%%%02X", (unsigned char)*c) : buf_append(&uri, c, 1);
    buf_puts(&uri, "?immutable=1");
    err_clear(e);
    rc = sqlite3_open_v2(uri.p, &p.h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    buf_free(&uri);
    rc = rc == SQLITE_OK ? identify(&p, mode, version, e) : db_fail(&p, e, rc);
    sqlite3_close(p.h);
    return rc;
}

static void remove_files(const char *path)
{
    static const char *const side[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[4200];
        snprintf(f, sizeof f, "%s%s", path, side[i]);
        unlink(f);
    }
}

/* SQL: local_name(kind, code, name) is the name of a country, region or
 * crossing in the reader's language (the first recorded in place_name), or
 * name when there is none or the reader reads English. */
static void local_name_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *lang = i18n_lang();
    if (!strcmp(lang, "en") || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_value(cx, argv[2]);
        return;
    }
    struct db *db = sqlite3_user_data(cx);
    int rc = SQLITE_OK;
    if (!db->local_name)
        rc = sqlite3_prepare_v2(db->h,
                                "SELECT name FROM place_name WHERE kind = ?1 AND code = ?2 AND "
                                "lang = ?3 ORDER BY rowid LIMIT 1",
                                -1, &db->local_name, NULL);
    sqlite3_stmt *st = db->local_name;
    if (rc == SQLITE_OK) {
        sqlite3_bind_value(st, 1, argv[0]);
        sqlite3_bind_value(st, 2, argv[1]);
        sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
    }
    if (rc == SQLITE_ROW)
        sqlite3_result_value(cx, sqlite3_column_value(st, 0));
    else if (rc == SQLITE_DONE)
        sqlite3_result_value(cx, argv[2]);
    else
        sqlite3_result_error(cx, "the place names could not be read", -1);
    if (st) sqlite3_reset(st);
}

int db_open(const char *path, enum db_mode mode, struct db **out, int *created, struct err *e)
{
    *out = NULL;
    int existed = access(path, F_OK) == 0, version = 0;
    if (created) *created = !existed;
    if (mode != DB_CREATE && !existed) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_NOTFOUND,
                       "no database here; create one with 'corridor init' or 'corridor demo'");
    }
    /* nothing is written before the file is known to be corridor's */
    int rc = existed ? peek(path, mode, &version, e) : 0;
    if (rc) {
        err_at(e, path, 0, 0, NULL);
        return rc;
    }
    struct db *db = xcalloc(1, sizeof *db);
    db->path = xstrdup(path);
    const char *user = getenv("CORRIDOR_USER");
    if (!user || !*user) user = getenv("USER");
    db_set_actor(db, "cli:%s", (user && *user) ? user : "unknown");
    int flags =
        SQLITE_OPEN_READWRITE | (mode == DB_CREATE ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = db_fail(db, e, rc);
    } else {
        sqlite3_busy_timeout(db->h, BUSY_SECONDS * 1000);
        sqlite3_extended_result_codes(db->h, 1);
        sqlite3_create_function(db->h, "local_name", 3, SQLITE_UTF8, db,
                                local_name_fn, NULL, NULL);
        rc = identify(db, mode, &version, e); /* again: the file may have changed since */
    }
    if (!rc && mode != DB_READ) rc = db_exec(db, "PRAGMA journal_mode=WAL", e);
    if (!rc)
        rc = db_exec(db,
                     "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
                     "PRAGMA cache_size=-16000;",
                     e);
    if (!rc && mode == DB_CREATE) rc = migrate(db, version, e);
    if (!rc && mode == DB_READ) rc = db_exec(db, "PRAGMA query_only=ON", e);
    if (rc) {
        err_at(e, path, 0, 0, NULL);
        db_close(db);
        if (!existed) remove_files(path);
        return rc;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db) return;
    sqlite3_finalize(db->local_name);
    sqlite3_close(db->h);
    free(db->path);
    free(db);
}

/* ---- the database as a whole ------------------------------------------------- */

int db_check(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("db_check", N_("Database check"));
    table_empty(t, N_("no problems found"));
    table_col(t, "check", COL_TEXT, NULL, 0);
    table_col(t, "problem", COL_TEXT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT 'integrity', integrity_check FROM pragma_integrity_check "
                     "WHERE integrity_check <> 'ok' UNION ALL "
                     "SELECT 'foreign_keys', \"table\" || ' row ' || rowid || ' -> ' || parent "
                     "FROM pragma_foreign_key_check",
                     NULL);
    int version = rc ? 0 : db_schema_version(db, e);
    if (!rc && version < 0) rc = version;
    if (rc) {
        table_free(t);
        return rc;
    }
    table_note(t, TF("%s: schema version %d, %s"), db->path, version,
               t->nrows ? T("PROBLEMS FOUND") : T("integrity ok, foreign keys ok"));
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
    struct table *t = table_new("audit", N_("Audit log (newest first)"));
    const char *names[] = {"id", "at", "actor", "action", "entity", "entity_id", "before", "after"};
    for (int c = 0; c < 8; c++)
        table_col(t, names[c], c == 0 ? COL_INT : COL_TEXT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit "
                     "WHERE ?1 IS NULL OR entity = ?1 ORDER BY id DESC LIMIT ?2",
                     "tn", entity, limit > 0 ? limit : 50);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int64_t db_data_version(struct db *db)
{
    struct err e = {0};
    int64_t v = -1;
    return db_lookup_int(db, &e, &v, "PRAGMA data_version", NULL) == 1 ? v : -1;
}

int db_checkpoint(struct db *db, struct err *e)
{
    return db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", e);
}
