/* test_ops.c — unit tests for ops/: parameters parsed once for every front
 * end (types, bounds, unknown names, exact money), and the dispatcher under
 * fault injection in the manner of SQLite's own tests: a database failure at
 * every step of a declaration, an import and a report either fails the
 * operation with an error or lets it complete, never writes half of it, and
 * never lets a refused declaration through. Last, gates registered by
 * another area run, and fail closed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shipments/shipments.h"
#include "support.h"

static struct db *db;
static struct ref *ref;
static char path[96];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/corridor-opstest-%d.db", (int)getpid());
    unlink(path);
    struct err e = {0};
    static const char *const none[] = {NULL};
    if (db_open(path, DB_CREATE, &db, NULL, &e) || run_op(db, NULL, "init", NULL, none, &e) ||
        ref_open(db, &ref, &e))
        return -1;
    int rc = seed_wheat(db, ref, &e);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    db_close(db);
    unlink(path);
    return 0;
}

/* ---- parameters ---- */

static void test_parameters(void **state)
{
    (void)state;
    struct err e = {0};
    const char *bad_year[] = {"reporter", "KAZ", "partner", "CHN", "from", "20x3", NULL};
    assert_int_equal(run_op(db, ref, "trade", "totals", bad_year, &e), ERR_INPUT);
    assert_string_equal(e.field, "from");
    const char *far[] = {"reporter", "KAZ", "partner", "CHN", "from", "2300", NULL};
    assert_int_equal(run_op(db, ref, "trade", "totals", far, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "from 1900 to 2200"));
    const char *country[] = {"reporter", "Kazakhstan", "partner", "156", NULL};
    struct op_call c;
    assert_int_equal(run_op_keep(db, ref, "trade", "totals", country, &c, &e), 0);
    assert_string_equal(op_s(&c, "reporter"), "KAZ");
    assert_string_equal(op_s(&c, "partner"), "CHN");
    op_call_free(&c);
    const char *missing[] = {"reporter", "KAZ", NULL};
    assert_int_equal(run_op(db, ref, "trade", "totals", missing, &e), ERR_USAGE);
    assert_string_equal(e.field, "partner");
    /* money exactly, whatever its spelling; an enum in any case */
    const struct op_cmd *cmd = op_find("shipments", "declare");
    op_call_init(&c, cmd->op);
    c.ref = ref;
    const struct op_param *value = &cmd->op->params[op_param_index(cmd->op, "value_usd")];
    struct op_value v = {0};
    assert_int_equal(op_parse_value(&c, value, "1234567.894999999999", &v, &e), 0);
    assert_int_equal(v.i, 123456789);
    assert_string_equal(v.s, "1234567.89");
    assert_int_equal(op_parse_value(&c, value, "1.5e3", &v, &e), 0);
    assert_int_equal(v.i, 150000);
    assert_int_equal(op_parse_value(&c, value, "5e16", &v, &e), ERR_INPUT);
    assert_int_equal(op_parse_value(&c, value, "-1", &v, &e), ERR_INPUT);
    const struct op_param *mode = &cmd->op->params[op_param_index(cmd->op, "mode")];
    assert_int_equal(op_parse_value(&c, mode, "RAIL", &v, &e), 0);
    assert_string_equal(v.s, "rail");
    const struct op_param *hs = &cmd->op->params[op_param_index(cmd->op, "hs")];
    assert_int_equal(op_parse_value(&c, hs, "1234", &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "not in the HS2022 nomenclature"));
    assert_int_equal(op_parse_value(&c, hs, "10019910", &v, &e), 0); /* a national line of 100199 */
    free(v.s);
    op_call_free(&c);
    /* an empty flag is no flag: the default holds */
    const char *src[] = {"name", "Empty Flag", "synthetic", "", NULL};
    assert_int_equal(run_op(db, ref, "trade", "source-add", src, &e), 0);
    assert_int_equal(scalar(db, "SELECT synthetic FROM source WHERE name = 'Empty Flag'"), 0);
    const char *yes[] = {"name", "Yes Flag", "synthetic", "TRUE", NULL};
    assert_int_equal(run_op(db, ref, "trade", "source-add", yes, &e), 0);
    assert_int_equal(scalar(db, "SELECT synthetic FROM source WHERE name = 'Yes Flag'"), 1);
    const char *maybe[] = {"name", "Maybe Flag", "synthetic", "maybe", NULL};
    assert_int_equal(run_op(db, ref, "trade", "source-add", maybe, &e), ERR_INPUT);
}

/* ---- faults ---- */

static int64_t count(const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return scalar(db, sql);
}

static int declare(const char *reference, const char *tonnes, struct err *e)
{
    const char *p[] = {"reference", reference,    "exporter",  "S",          "importer",
                       "B",         "agreement",  "W",         "hs",         "100199",
                       "net_t",     tonnes,       "value_usd", "1000",       "origin",
                       "KAZ",       "dest",       "CHN",       "mode",       "rail",
                       "documents", "phyto-cert", "date",      "2024-06-01", NULL};
    return run_op(db, ref, "shipments", "declare", p, e);
}

static void test_declaration_faults(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(declare("A", "10", &e), 0);
    /* the steps a declaration takes, counted on one that succeeds */
    db_fault_after(db, 1000000);
    assert_int_equal(declare("STEPS", "10", &e), 0);
    long steps = db_fault_steps(db);
    db_fault_after(db, 0);
    assert_true(steps > 10);
    int64_t ships = count("shipment"), audits = count("audit");
    for (long n = 1; n <= steps; n++) {
        db_fault_after(db, n);
        err_clear(&e);
        int rc = declare("F", "10", &e);
        db_fault_after(db, 0);
        assert_true(rc == ERR_DB || rc == ERR_NOTFOUND || rc == ERR_INPUT);
        assert_non_null(strstr(e.msg, "injected"));
        assert_int_equal(count("shipment"), ships);
        assert_int_equal(count("audit"), audits);
        assert_false(db_in_transaction(db));
    }
    /* 20 t are declared of 100 t: 90 t more are over the cap, and no fault
     * at any step lets them through */
    for (long n = 1; n <= steps + 5; n++) {
        db_fault_after(db, n);
        err_clear(&e);
        int rc = declare("OVER", "90", &e);
        db_fault_after(db, 0);
        assert_int_not_equal(rc, 0);
        assert_int_equal(count("shipment"), ships);
    }
    assert_int_equal(declare("F", "10", &e), 0);
}

static int import_parties(const char *csv, FILE *rejects, struct err *e)
{
    struct op_call c;
    op_call_init(&c, op_find("parties", "import")->op);
    c.db = db;
    c.ref = ref;
    c.rejects = rejects;
    struct csv_src src = {.data = csv, .len = strlen(csv), .label = "p.csv"};
    int rc = op_import(&c, &src, e);
    op_call_free(&c);
    return rc;
}

static void test_import_faults(void **state)
{
    (void)state;
    struct err e = {0};
    static const char csv[] = "name,country,kind\nI1,KAZ,private\nI2,CHN,private\nI3,KAZ,agency\n";
    static const char other[] =
        "name,country,kind\nJ1,KAZ,private\nJ2,CHN,private\nJ3,KAZ,agency\n";
    db_fault_after(db, 1000000);
    assert_int_equal(import_parties(csv, NULL, &e), 0);
    long steps = db_fault_steps(db);
    db_fault_after(db, 0);
    int64_t parties = count("party"), audits = count("audit");
    /* a failing database is never a bad row to set aside: --skip-bad or not,
     * the import fails whole */
    FILE *rejects = tmpfile();
    for (int skip = 0; skip < 2; skip++)
        for (long n = 1; n <= steps; n++) {
            db_fault_after(db, n);
            err_clear(&e);
            assert_int_equal(import_parties(other, skip ? rejects : NULL, &e), ERR_DB);
            db_fault_after(db, 0);
            assert_int_equal(count("party"), parties); /* all or nothing */
            assert_int_equal(count("audit"), audits);
            assert_false(db_in_transaction(db));
        }
    fclose(rejects);
    assert_int_equal(import_parties(other, NULL, &e), 0);
    assert_int_equal(count("party"), parties + 3);
}

static void test_read_faults(void **state)
{
    (void)state;
    struct err e = {0};
    const char *p[] = {"agreement", "W", NULL};
    struct op_call c;
    db_fault_after(db, 1000000);
    assert_int_equal(run_op_keep(db, ref, "shipments", "list", p, &c, &e), 0);
    long steps = db_fault_steps(db);
    db_fault_after(db, 0);
    size_t rows = c.out[0]->nrows;
    assert_true(rows >= 3);
    op_call_free(&c);
    for (long n = 1; n <= steps; n++) {
        db_fault_after(db, n);
        err_clear(&e);
        int rc = run_op_keep(db, ref, "shipments", "list", p, &c, &e);
        db_fault_after(db, 0);
        assert_int_equal(rc, ERR_DB); /* never a shorter list */
        assert_int_equal(c.nout, 0);
        op_call_free(&c);
    }
}

/* ---- gates from elsewhere ---- */

static int gate_refuses(struct db *d, const struct ship_consignment *s, struct reasons *why,
                        struct err *e)
{
    (void)d, (void)e;
    if (strcmp(s->reference, "BIG") == 0) reasons_add(why, "crossing full for %s", s->date);
    return 0;
}

static int gate_fails(struct db *d, const struct ship_consignment *s, struct reasons *why,
                      struct err *e)
{
    (void)d, (void)why;
    if (strcmp(s->reference, "BROKEN") == 0)
        return err_set(e, ERR_DB, "the capacity could not be read");
    return 0;
}

static void test_gate_registry(void **state)
{
    (void)state;
    static const struct ship_gate g1 = {"test capacity", gate_refuses};
    static const struct ship_gate g2 = {"test failure", gate_fails};
    assert_int_equal(ship_gate_register(&g1), 0);
    assert_int_equal(ship_gate_register(&g2), 0);
    assert_int_equal(ship_gate_register(&g2), 0); /* once is enough */
    struct err e = {0};
    int64_t ships = count("shipment");
    assert_int_equal(declare("BIG", "1", &e), ERR_REFUSED);
    assert_non_null(strstr(e.msg, "crossing full for 2024-06-01"));
    assert_int_equal(declare("BROKEN", "1", &e), ERR_DB);
    assert_int_equal(count("shipment"), ships);
    assert_int_equal(declare("SMALL", "1", &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parameters),    cmocka_unit_test(test_declaration_faults),
        cmocka_unit_test(test_import_faults), cmocka_unit_test(test_read_faults),
        cmocka_unit_test(test_gate_registry),
    };
    return cmocka_run_group_tests_name("ops", tests, setup, teardown);
}
