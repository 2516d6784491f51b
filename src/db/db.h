/* db — the one SQLite database: opening with the project's pragmas, the
 * numbered migrations embedded in the binary, statement helpers that only
 * take bound parameters, BEGIN IMMEDIATE write transactions, the audit log
 * written inside each of them, integrity check and online backup.
 *
 * Ownership: db_open returns a handle the caller closes with db_close;
 * statements from db_prepare are finalised by the caller. */
#ifndef CORRIDOR_DB_H
#define CORRIDOR_DB_H

#include <sqlite3.h>

#include "../base/base.h"
#include "../report/report.h"

struct db {
    sqlite3 *h;
    char *path;
    char actor[128]; /* who writes: set by the CLI or the server */
};

/* Opens (create=1: creates) the database at path, sets WAL, foreign keys and
 * busy_timeout, and applies any migration not yet applied. Refuses a missing
 * file when create=0, naming the command that creates one. */
int db_open(const char *path, int create, struct db **out, struct err *e);
void db_close(struct db *db);
/* The path used when --db is not given: $CORRIDOR_DB or ./corridor.db. */
const char *db_default_path(void);

/* Fills e from the connection's last error; returns ERR_DB (or ERR_CONFLICT
 * for constraint violations). what says what was being done. */
int db_fail(struct db *db, struct err *e, const char *what);
int db_prepare(struct db *db, const char *sql, sqlite3_stmt **st, struct err *e);
/* Runs constant SQL (never built from input). */
int db_exec(struct db *db, const char *sql, struct err *e);
int db_begin(struct db *db, struct err *e); /* BEGIN IMMEDIATE */
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);
/* Binds text, or NULL when s is NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Copies column i as text into out (empty for NULL). */
const char *db_col_text(sqlite3_stmt *st, int i, char *out, size_t size);

/* Runs constant SQL with key bound to ?1: 1 if it returns a row (its first
 * column copied into out, when out is given), 0 if none or on error. */
int db_lookup(struct db *db, const char *sql, const char *key, char *out, size_t size);
/* Steps st to the end, adding a row to t for each result row (columns in
 * order; COL_TEXT as text, other types as integers; NULL stays empty), and
 * finalises st. */
void db_fill_table(sqlite3_stmt *st, struct table *t);

/* Writes one audit row (inside the caller's transaction): who (db->actor),
 * when (now, UTC), action, entity, entity id, and before/after as JSON text
 * (either may be NULL). */
int db_audit(struct db *db, const char *action, const char *entity, const char *entity_id,
             const char *before, const char *after, struct err *e);
/* PRAGMA integrity_check and foreign_key_check as a table of problems
 * (empty = healthy) with a note saying so. */
int db_check(struct db *db, struct table **out, struct err *e);
/* Copies the live database to file with SQLite's online backup. */
int db_backup(struct db *db, const char *file, struct err *e);
/* The schema version (highest migration applied). */
int db_schema_version(struct db *db);
/* The audit log, newest first; entity may be NULL for all. */
int db_audit_list(struct db *db, const char *entity, int limit, struct table **out, struct err *e);

/* ---- importing records (every area's `import` command) ---- */

/* Stores one parsed record; returns 0 or a negative code with e filled
 * (e->field naming the field at fault, when one is). */
typedef int (*db_record_fn)(struct db *db, const struct rec_value *v, void *ctx, struct err *e);

struct db_import_opts {
    const char *rejects; /* write bad rows here and go on */
    int dry_run;
    const char *action, *entity; /* for the audit row */
};

struct db_import_stats {
    uint64_t read, stored, rejected;
    double seconds;
};

/* Imports a CSV file of records described by spec, one transaction for the
 * file: all rows or none (unless o->rejects). */
int db_import_records(struct db *db, const char *path, const struct rec_field *spec, size_t n,
                      db_record_fn fn, void *ctx, const struct db_import_opts *o,
                      struct db_import_stats *stats, struct err *e);
/* The record as a compact JSON object of its present fields; free() it. */
char *rec_json(const struct rec_field *spec, size_t n, const struct rec_value *v);

#endif
