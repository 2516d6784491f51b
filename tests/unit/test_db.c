/* test_db.c — unit tests for db/: migrations on open, pragmas, the audit row
 * written inside a transaction and lost with its rollback, check and backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

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

static int64_t scalar(struct db *db, const char *sql)
{
    sqlite3_stmt *st;
    struct err e = {0};
    assert_int_equal(db_prepare(db, sql, &st, &e), 0);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_open_missing_refused(void **state)
{
    (void)state;
    struct db *db = (struct db *)1;
    struct err e = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/none.db", dir);
    assert_int_equal(db_open(path, 0, &db, &e), ERR_NOTFOUND);
    assert_null(db);
    assert_string_equal(e.file, path);
    assert_non_null(strstr(e.msg, "corridor init"));
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
}

/* The highest migration number embedded in the binary. */
static int latest_migration(void)
{
    int max = 0;
    const char *name;
    for (size_t i = 0; (name = asset_name(i)); i++)
        if (strncmp(name, "src/db/schema/", 14) == 0 && atoi(name + 14) > max)
            max = atoi(name + 14);
    return max;
}

static void test_migrate_and_pragmas(void **state)
{
    (void)state;
    assert_true(latest_migration() >= 3);
    struct db *db;
    struct err e = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    assert_int_equal(db_open(path, 1, &db, &e), 0);
    assert_int_equal(db_schema_version(db), latest_migration());
    assert_int_equal(scalar(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM pragma_table_list WHERE name = 'trade_flow' "
                                "AND strict = 1"),
                     1);
    db_close(db);
    /* reopening applies nothing twice */
    assert_int_equal(db_open(path, 0, &db, &e), 0);
    assert_int_equal(db_schema_version(db), latest_migration());
    db_close(db);
    db_close(NULL);
}

static void test_audit_in_transaction(void **state)
{
    (void)state;
    struct db *db;
    struct err e = {0};
    char path[128];
    snprintf(path, sizeof path, "%s/b.db", dir);
    assert_int_equal(db_open(path, 1, &db, &e), 0);
    str_copy(db->actor, "unit", sizeof db->actor);
    assert_int_equal(db_begin(db, &e), 0);
    assert_int_equal(db_audit(db, "x.add", "thing", "1", NULL, "{\"a\":1}", &e), 0);
    db_rollback(db);
    assert_int_equal(scalar(db, "SELECT count(*) FROM audit"), 0);
    assert_int_equal(db_begin(db, &e), 0);
    assert_int_equal(db_audit(db, "x.add", "thing", "1", NULL, "{\"a\":1}", &e), 0);
    assert_int_equal(db_commit(db, &e), 0);
    struct table *t;
    assert_int_equal(db_audit_list(db, "thing", 10, &t, &e), 0);
    assert_int_equal(t->nrows, 1);
    assert_string_equal(table_cell(t, 0, 2)->s, "unit");
    assert_string_equal(table_cell(t, 0, 3)->s, "x.add");
    assert_true(table_cell(t, 0, 6)->null); /* no before */
    assert_string_equal(table_cell(t, 0, 7)->s, "{\"a\":1}");
    table_free(t);
    db_close(db);
}

static void test_check_and_backup(void **state)
{
    (void)state;
    struct db *db, *copy;
    struct err e = {0};
    char path[128], bpath[128];
    snprintf(path, sizeof path, "%s/c.db", dir);
    snprintf(bpath, sizeof bpath, "%s/c-backup.db", dir);
    assert_int_equal(db_open(path, 1, &db, &e), 0);
    assert_int_equal(db_exec(db, "INSERT INTO source(name) VALUES ('s1')", &e), 0);
    struct table *t;
    assert_int_equal(db_check(db, &t, &e), 0);
    assert_int_equal(t->nrows, 0);
    assert_non_null(strstr(t->notes[0], "integrity ok"));
    table_free(t);
    assert_int_equal(db_backup(db, bpath, &e), 0);
    assert_int_equal(db_backup(db, bpath, &e), ERR_CONFLICT);
    assert_int_equal(db_open(bpath, 0, &copy, &e), 0);
    assert_int_equal(scalar(copy, "SELECT count(*) FROM source WHERE name = 's1'"), 1);
    db_close(copy);
    /* a constraint violation maps to a conflict, not a crash */
    assert_int_equal(db_exec(db, "INSERT INTO source(name) VALUES ('s1')", &e), ERR_CONFLICT);
    assert_non_null(strstr(e.msg, "UNIQUE"));
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing_refused),
        cmocka_unit_test(test_migrate_and_pragmas),
        cmocka_unit_test(test_audit_in_transaction),
        cmocka_unit_test(test_check_and_backup),
    };
    return cmocka_run_group_tests_name("db", tests, setup, teardown);
}
