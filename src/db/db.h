/* db — the one SQLite database and the only code that calls SQLite: opening
 * (with the project's pragmas, and only a corridor database), the numbered
 * migrations embedded in the binary, statements that take bound parameters
 * only and whose every step is checked, write transactions with their audit
 * row (db_write), savepoints for importers, integrity check, online backup,
 * and a fault injector for tests.
 *
 * Every step either returns a row, says "done", or fails with an error: an
 * error is never read as "no rows". Ownership: db_open returns a handle the
 * caller closes with db_close; statements from db_prepare are finalised by
 * the caller with db_finalize (NULL is safe). This interface is also the
 * seam where a second storage engine would plug in. */
#ifndef CORRIDOR_DB_H
#define CORRIDOR_DB_H

#include "../base/base.h"
#include "../report/report.h"

struct db;
struct db_stmt;

/* What a command may do with the database it opens. */
enum db_mode {
    DB_READ,   /* an existing corridor database at the current schema, read only */
    DB_WRITE,  /* the same, read and write */
    DB_CREATE, /* create it, or migrate an existing corridor database (init, demo) */
};

/* Opens the database at path. DB_READ and DB_WRITE refuse a missing file, a
 * file that is not a corridor database (another application's, an empty
 * one) and a schema older or newer than this program's, naming both
 * versions; nothing is written to such a file. DB_CREATE creates the file
 * (or takes an empty one or a corridor database) and applies every
 * migration not yet applied. *created says whether the file was new (may be
 * NULL). */
int db_open(const char *path, enum db_mode mode, struct db **out, int *created, struct err *e);
void db_close(struct db *db);
/* The path used when --db is not given: $CORRIDOR_DB or ./corridor.db. */
const char *db_default_path(void);
const char *db_path(const struct db *db);
/* Who writes, for the audit log ("cli:USER", "token:NAME"). */
void db_set_actor(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The schema version this program writes, and the database's. */
int db_schema_current(void);
int db_schema_version(struct db *db, struct err *e);

/* ---- statements ---- */

/* Prepares sql (constant text, never built from input) and binds the
 * arguments described by types, one character each: 't' text (const char *,
 * NULL binds NULL), 'i' int64_t, 'n' int, 'p' an optional integer
 * (const int64_t *, NULL binds NULL). Returns 0 or an error. */
int db_prepare(struct db *db, struct db_stmt **st, struct err *e, const char *sql,
               const char *types, ...);
/* 1 when a row is ready, 0 when done, or a negative error (with e filled). */
int db_step(struct db_stmt *st, struct err *e);
/* Resets and clears the bindings, then binds anew as db_prepare does. */
int db_rebind(struct db_stmt *st, struct err *e, const char *types, ...);
void db_finalize(struct db_stmt *st);
/* The number of parameters the statement takes. */
int db_param_count(struct db_stmt *st);
int db_col_null(struct db_stmt *st, int i);
int64_t db_col_int(struct db_stmt *st, int i);
double db_col_real(struct db_stmt *st, int i);
/* Column text; "" for NULL; valid until the next step. */
const char *db_col_str(struct db_stmt *st, int i);
/* Copies column i into out (size bytes, always terminated); returns out.
 * For display only: a longer value is cut. */
const char *db_col_text(struct db_stmt *st, int i, char *out, size_t size);
/* Copies column i into out whole, or fails (ERR_LIMIT) when it does not
 * fit: for values a decision rests on, which must never be cut short. */
int db_col_copy(struct db_stmt *st, int i, char *out, size_t size, struct err *e);

/* Runs a statement that returns no rows (prepare, bind, step to the end). */
int db_run(struct db *db, struct err *e, const char *sql, const char *types, ...);
/* Rows changed by the last statement, and the last inserted row id. */
int64_t db_changes(struct db *db);
int64_t db_last_id(struct db *db);
/* The first column of the first row of a query: 1 found (copied into out,
 * if out is given), 0 no row, or a negative error. */
int db_lookup(struct db *db, struct err *e, char *out, size_t size, const char *sql,
              const char *types, ...);
/* The same for an integer. */
int db_lookup_int(struct db *db, struct err *e, int64_t *out, const char *sql, const char *types,
                  ...);
/* Adds a row to t for each result row (columns in order; COL_TEXT as text,
 * COL_REAL as a double, other types as integers; NULL stays empty). Returns
 * 0 or the error that stopped it (the rows read so far stay in t; callers
 * free t on error). */
int db_fill(struct db *db, struct table *t, struct err *e, const char *sql, const char *types, ...);
/* Appends the first column of every result row to out, sep between them
 * (and before the first when out already holds text). 0 or an error. */
int db_join(struct db *db, struct err *e, struct buf *out, const char *sep, const char *sql,
            const char *types, ...);

/* ---- writing ---- */

/* The audit row of a change: action ("agreements.add"), entity
 * ("agreement"), the entity's id, and the record before and after as JSON
 * text (either may be NULL). */
struct db_change {
    const char *action, *entity, *id, *before, *after;
};

/* The work of a write transaction: fills ch (or leaves ch->action NULL for
 * no audit row) and returns 0 or an error. */
typedef int (*db_write_fn)(void *ctx, struct db_change *ch, struct err *e);

/* Runs fn inside BEGIN IMMEDIATE, writes the audit row it describes, and
 * commits; on any error (or when dry_run) rolls everything back. Inside a
 * transaction already open, runs in a savepoint instead. */
int db_write(struct db *db, db_write_fn fn, void *ctx, int dry_run, struct err *e);
/* Writes one audit row (inside the caller's transaction): who, when (now,
 * UTC) and what. */
int db_audit(struct db *db, const struct db_change *ch, struct err *e);
/* Savepoints, for importers that keep or drop one record at a time. */
int db_savepoint(struct db *db, struct err *e);
int db_release(struct db *db, struct err *e);
void db_rollback_to(struct db *db);
/* 1 inside a transaction. */
int db_in_transaction(struct db *db);

/* ---- the database as a whole ---- */

/* PRAGMA integrity_check and foreign_key_check as a table of problems
 * (empty = healthy) with a note saying so. */
int db_check(struct db *db, struct table **out, struct err *e);
/* Copies the live database to file with SQLite's online backup. */
int db_backup(struct db *db, const char *file, struct err *e);
/* The audit log, newest first; entity may be NULL for all. */
int db_audit_list(struct db *db, const char *entity, int limit, struct table **out, struct err *e);
/* A number that changes whenever another connection commits (PRAGMA
 * data_version), for caches; -1 on error. */
int64_t db_data_version(struct db *db);
/* Truncates the write-ahead log (at shutdown). */
int db_checkpoint(struct db *db, struct err *e);
/* The SQLite library's version, for --version. */
const char *db_engine_version(void);
/* Milliseconds to wait for another writer before failing with "busy". */
void db_busy_timeout(struct db *db, int ms);

/* ---- fault injection (tests) ---- */

/* Makes the n-th statement step from now fail as an I/O error would (n = 0
 * turns it off). Every code path must then fail with an error, write
 * nothing half and let no gate pass. */
void db_fault_after(struct db *db, long n);
/* Steps taken since the last db_fault_after (to size a fault loop). */
long db_fault_steps(const struct db *db);
/* Runs constant SQL directly (tests and the server's pragmas). */
int db_exec(struct db *db, const char *sql, struct err *e);

#endif
