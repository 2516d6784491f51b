/* test_db.c — unit tests for db/: only a corridor database is opened (a
 * missing, empty, foreign or newer one is refused and left untouched),
 * migrations, db_write's transaction with its audit row (kept with the
 * commit, lost with the rollback or a dry run), and every failure read as a
 * failure: injected faults, a full database, a busy one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "support.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/corridor-dbtest-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static const char *file(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* Runs SQL on a file with SQLite itself, as another program would. */
static void raw(const char *path, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* The bytes of a file, to see that nothing changed them. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *p = malloc(1 << 20);
    *len = fread(p, 1, 1 << 20, f);
    fclose(f);
    return p;
}

static void test_open_missing_refused(void **state)
{
    (void)state;
    struct db *db = (struct db *)1;
    struct err e = {0};
    const char *path = file("none.db");
    assert_int_equal(db_open(path, DB_READ, &db, NULL, &e), ERR_NOTFOUND);
    assert_null(db);
    assert_string_equal(e.file, path);
    assert_non_null(strstr(e.msg, "corridor init"));
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
}

static void test_migrate_and_pragmas(void **state)
{
    (void)state;
    assert_true(db_schema_current() >= 3);
    struct db *db;
    struct err e = {0};
    int created = 0;
    assert_int_equal(db_open(file("a.db"), DB_CREATE, &db, &created, &e), 0);
    assert_true(created);
    assert_int_equal(db_schema_version(db, &e), db_schema_current());
    assert_int_equal(scalar(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(scalar(db, "PRAGMA application_id"), 0x436f5272);
    assert_int_equal(scalar(db, "SELECT count(*) FROM pragma_table_list WHERE name = "
                                "'trade_flow' AND strict = 1"),
                     1);
    db_close(db);
    /* reopening applies nothing twice; a read connection cannot write */
    assert_int_equal(db_open(file("a.db"), DB_READ, &db, &created, &e), 0);
    assert_false(created);
    assert_int_equal(db_schema_version(db, &e), db_schema_current());
    assert_int_equal(db_run(db, &e, "INSERT INTO source(name) VALUES ('x')", NULL), ERR_DB);
    db_close(db);
    db_close(NULL);
}

static void test_foreign_and_empty_refused(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    /* another application's database: refused in every mode, not one byte changed */
    const char *other = file("other.db");
    raw(other, "PRAGMA application_id = 42; CREATE TABLE notes(x); INSERT INTO notes VALUES (1)");
    size_t n1, n2;
    char *before = slurp(other, &n1);
    enum db_mode modes[] = {DB_READ, DB_WRITE, DB_CREATE};
    for (int i = 0; i < 3; i++) {
        err_clear(&e);
        assert_int_equal(db_open(other, modes[i], &db, NULL, &e), ERR_CONFLICT);
        assert_non_null(strstr(e.msg, "another application's SQLite database"));
    }
    char *after = slurp(other, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", other);
    assert_int_equal(access(side, F_OK), -1);
    /* an empty file: not a corridor database to read, but one init may fill */
    const char *empty = file("empty.db");
    fclose(fopen(empty, "w"));
    assert_int_equal(db_open(empty, DB_READ, &db, NULL, &e), ERR_NOTFOUND);
    assert_non_null(strstr(e.msg, "an empty database"));
    struct stat st;
    assert_int_equal(stat(empty, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(db_open(empty, DB_CREATE, &db, NULL, &e), 0);
    db_close(db);
    /* not SQLite at all */
    const char *text = file("text.db");
    FILE *f = fopen(text, "w");
    fputs("this is not a database, it is a shopping list of some length..........\n", f);
    fclose(f);
    assert_int_equal(db_open(text, DB_WRITE, &db, NULL, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "not a SQLite database"));
}

static void test_newer_and_older_schema(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    const char *path = file("newer.db");
    assert_int_equal(db_open(path, DB_CREATE, &db, NULL, &e), 0);
    db_close(db);
    raw(path, "PRAGMA user_version = 99");
    for (int m = DB_READ; m <= DB_CREATE; m++) {
        assert_int_equal(db_open(path, (enum db_mode)m, &db, NULL, &e), ERR_CONFLICT);
        char want[128];
        snprintf(want, sizeof want, "schema version 99 is newer than this corridor's (%d)",
                 db_schema_current());
        assert_non_null(strstr(e.msg, want));
    }
    raw(path, "PRAGMA user_version = 2");
    assert_int_equal(db_open(path, DB_WRITE, &db, NULL, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "older than this corridor's"));
    assert_non_null(strstr(e.msg, "corridor init"));
}

/* A write transaction's work: one source, refused on demand. */
struct wctx {
    int fail;
    struct db *db;
};

static int write_source(void *ctx, struct db_change *ch, struct err *e)
{
    struct wctx *w = ctx;
    int rc = db_run(w->db, e, "INSERT INTO source(name) VALUES ('s1')", NULL);
    ch->action = "x.add";
    ch->entity = "thing";
    ch->id = "1";
    ch->after = "{\"a\":1}";
    return rc ? rc : w->fail ? err_set(e, ERR_INPUT, "refused by the test") : 0;
}

static void test_write_and_audit(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    assert_int_equal(db_open(file("b.db"), DB_CREATE, &db, NULL, &e), 0);
    db_set_actor(db, "unit");
    struct wctx w = {1, db};
    assert_int_equal(db_write(db, write_source, &w, 0, &e), ERR_INPUT);
    assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM source"), 0);
    w.fail = 0;
    assert_int_equal(db_write(db, write_source, &w, 1, &e), 0); /* a dry run */
    assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM source"), 0);
    assert_int_equal(db_write(db, write_source, &w, 0, &e), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM source"), 1);
    struct table *t;
    assert_int_equal(db_audit_list(db, "thing", 10, &t, &e), 0);
    assert_int_equal(t->nrows, 1);
    assert_string_equal(table_cell(t, 0, 2)->s, "unit");
    assert_string_equal(table_cell(t, 0, 3)->s, "x.add");
    assert_true(table_cell(t, 0, 6)->null); /* no before */
    assert_string_equal(table_cell(t, 0, 7)->s, "{\"a\":1}");
    table_free(t);
    /* a constraint violation is a conflict, and rolls back */
    assert_int_equal(db_write(db, write_source, &w, 0, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "UNIQUE"));
    assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 1);
    assert_false(db_in_transaction(db));
    db_close(db);
}

/* Every step of a read can fail; the failure comes back as an error, never
 * as "no rows" or a short table. */
static void test_read_faults(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    assert_int_equal(db_open(file("c.db"), DB_CREATE, &db, NULL, &e), 0);
    assert_int_equal(db_exec(db, "INSERT INTO source(name) VALUES ('s1'), ('s2'), ('s3')", &e), 0);
    for (long n = 1; n <= 3; n++) {
        struct table *t = table_new("t", "");
        table_col(t, "name", COL_TEXT, NULL, 0);
        db_fault_after(db, n);
        err_clear(&e);
        assert_int_equal(db_fill(db, t, &e, "SELECT name FROM source ORDER BY id", NULL), ERR_DB);
        assert_non_null(strstr(e.msg, "injected"));
        table_free(t);
    }
    db_fault_after(db, 1);
    char out[16];
    assert_int_equal(db_lookup(db, &e, out, sizeof out, "SELECT name FROM source", NULL), ERR_DB);
    db_fault_after(db, 0);
    assert_int_equal(db_lookup(db, &e, out, sizeof out, "SELECT name FROM source WHERE 0", NULL),
                     0);
    db_close(db);
}

static void test_check_and_backup(void **state)
{
    (void)state;
    struct db *db, *copy;
    struct err e = {0};
    assert_int_equal(db_open(file("d.db"), DB_CREATE, &db, NULL, &e), 0);
    assert_int_equal(db_exec(db, "INSERT INTO source(name) VALUES ('s1')", &e), 0);
    struct table *t;
    assert_int_equal(db_check(db, &t, &e), 0);
    assert_int_equal(t->nrows, 0);
    assert_non_null(strstr(t->notes[0], "integrity ok"));
    table_free(t);
    assert_int_equal(db_backup(db, file("d-backup.db"), &e), 0);
    assert_int_equal(db_backup(db, file("d-backup.db"), &e), ERR_CONFLICT);
    assert_int_equal(db_open(file("d-backup.db"), DB_READ, &copy, NULL, &e), 0);
    assert_int_equal(scalar(copy, "SELECT count(*) FROM source WHERE name = 's1'"), 1);
    db_close(copy);
    db_close(db);
}

/* A full disk: the write fails with a clear error and nothing of it stays. */
static void test_full_database(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    assert_int_equal(db_open(file("full.db"), DB_CREATE, &db, NULL, &e), 0);
    int64_t pages = scalar(db, "PRAGMA page_count");
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA max_page_count = %lld", (long long)pages + 2);
    assert_int_equal(db_exec(db, pragma, &e), 0);
    /* a write that needs many pages: a long note on a new source */
    int rc = db_run(db, &e, "INSERT INTO source(name, note) VALUES ('big', hex(zeroblob(100000)))",
                    NULL);
    assert_int_equal(rc, ERR_IO);
    assert_non_null(strstr(e.msg, "the disk is full (or a quota is reached): nothing of this change was stored"));
    assert_int_equal(scalar(db, "SELECT count(*) FROM source"), 0);
    db_close(db);
}

/* Another writer holds the database: the write is refused as busy. */
static void test_busy(void **state)
{
    (void)state;
    struct db *db, *other;
    struct err e = {0};
    assert_int_equal(db_open(file("busy.db"), DB_CREATE, &db, NULL, &e), 0);
    assert_int_equal(db_open(file("busy.db"), DB_WRITE, &other, NULL, &e), 0);
    assert_int_equal(db_exec(other, "BEGIN IMMEDIATE", &e), 0);
    db_busy_timeout(db, 50);
    struct wctx w = {0, db};
    assert_int_equal(db_write(db, write_source, &w, 0, &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "busy"));
    assert_int_equal(db_exec(other, "ROLLBACK", &e), 0);
    assert_int_equal(db_write(db, write_source, &w, 0, &e), 0);
    db_close(other);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing_refused),
        cmocka_unit_test(test_migrate_and_pragmas),
        cmocka_unit_test(test_foreign_and_empty_refused),
        cmocka_unit_test(test_newer_and_older_schema),
        cmocka_unit_test(test_write_and_audit),
        cmocka_unit_test(test_read_faults),
        cmocka_unit_test(test_check_and_backup),
        cmocka_unit_test(test_full_database),
        cmocka_unit_test(test_busy),
    };
    return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
