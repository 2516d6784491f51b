/* test_shipments.c — unit tests for shipments/: gates in order with every
 * reason, the cap held under concurrent declarations from separate
 * connections, events in order, percentiles, fulfilment figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
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
    struct err e = {0};
    snprintf(path, sizeof path, "/tmp/corridor-shiptest-%d.db", (int)getpid());
    unlink(path);
    static const char *const none[] = {NULL};
    if (db_open(path, DB_CREATE, &db, NULL, &e) || run_op(db, NULL, "init", NULL, none, &e) ||
        ref_open(db, &ref, &e))
        return -1;
    const char *p3[] = {"name", "Other", "country", "KAZ", "kind", "private", NULL};
    int rc = seed_wheat(db, ref, &e);
    if (!rc) rc = run_op(db, ref, "parties", "add", p3, &e);
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

static int declare(struct db *d, const struct ref *rf, const char *reference, const char *exporter,
                   const char *hs, const char *tonnes, const char *docs, const char *date,
                   struct reasons *why, struct err *e)
{
    const char *p[] = {"reference", reference,   "exporter",  exporter, "importer",
                       "B",         "agreement", "W",         "hs",     hs,
                       "net_t",     tonnes,      "value_usd", "1000",   "origin",
                       "KAZ",       "dest",      "CHN",       "mode",   "rail",
                       "documents", docs,        "date",      date,     NULL};
    struct op_call c;
    int rc = run_op_keep(d, rf, "shipments", "declare", p, &c, e);
    if (why) *why = c.why;
    op_call_free(&c);
    return rc;
}

static void test_gates_and_reasons(void **state)
{
    (void)state;
    struct reasons d;
    struct err e = {0};
    assert_int_equal(
        declare(db, ref, "S1", "S", "100199", "60", "phyto-cert", "2024-03-01", &d, &e), 0);
    /* three reasons at once: document, not a party, over the cap */
    assert_int_equal(declare(db, ref, "S2", "Other", "100199", "50", NULL, "2024-04-01", &d, &e),
                     ERR_REFUSED);
    assert_int_equal(d.n, 2);
    assert_non_null(strstr(d.r[0], "missing document: phyto-cert"));
    assert_non_null(strstr(d.r[1], "remaining 40 t, this declaration 50 t"));
    /* scope: HS outside the agreement; the importer is a party so no party reason */
    assert_int_equal(declare(db, ref, "S3", "S", "120600", "1", "phyto-cert", "2024-04-01", &d, &e),
                     ERR_REFUSED);
    assert_non_null(strstr(d.r[0], "outside the scope of agreement W"));
    /* bad reference data is an input error, not a refusal */
    assert_int_equal(
        declare(db, ref, "S4", "Nobody", "100199", "1", "phyto-cert", "2024-04-01", &d, &e),
        ERR_NOTFOUND);
    assert_string_equal(e.field, "exporter");
    assert_int_equal(declare(db, ref, "S1", "S", "100199", "1", "phyto-cert", "2024-04-01", &d, &e),
                     ERR_CONFLICT);
    /* the next period starts afresh */
    assert_int_equal(
        declare(db, ref, "S5", "S", "100199", "100", "phyto-cert", "2025-01-02", &d, &e), 0);
}

struct racer {
    const char *reference;
    int rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct db *own;
    struct ref *rf;
    struct err e = {0};
    if (db_open(path, DB_WRITE, &own, NULL, &e) || ref_open(own, &rf, &e)) {
        r->rc = -99;
        return NULL;
    }
    struct reasons d;
    r->rc = declare(own, rf, r->reference, "S", "100199", "15", "phyto-cert", "2024-06-01", &d, &e);
    ref_free(rf);
    db_close(own);
    return NULL;
}

static void test_concurrent_cap(void **state)
{
    (void)state;
    /* 40 t remain in 2024; four connections race for 15 t each: two win */
    struct racer r[4] = {{"R1", 1}, {"R2", 1}, {"R3", 1}, {"R4", 1}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, race, &r[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    int won = 0, refused = 0;
    for (int i = 0; i < 4; i++) {
        won += r[i].rc == 0;
        refused += r[i].rc == ERR_REFUSED;
    }
    assert_int_equal(won, 2);
    assert_int_equal(refused, 2);
    struct table *t;
    struct err e = {0};
    assert_int_equal(ship_fulfilment(db, "W", "2024", "2024-12-31", &t, &e), 0);
    size_t all = t->nrows - 1;
    assert_string_equal(table_cell(t, all, 2)->s, "all");
    assert_int_equal(table_cell(t, all, 4)->i, 90000000); /* 60 + 2 x 15 t, in grams */
    assert_int_equal(table_cell(t, all, 7)->i, 10000000);
    assert_true(fabs(table_cell(t, all, 8)->d - 90.0) < 1e-9);
    assert_string_equal(table_cell(t, all, 12)->s, "80% of cap");
    table_free(t);
}

static int event(const char *reference, const char *ev, const char *at, struct err *e)
{
    const char *p[] = {"reference", reference, "event", ev, "at", at, NULL};
    return run_op(db, ref, "shipments", "event", p, e);
}

static void test_events_in_order(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(event("S1", "departed", "2024-03-01T08:00", &e), 0);
    assert_int_equal(event("S1", "arrived", "2024-03-02T08:00", &e), 0);
    assert_int_equal(event("S1", "departed", "2024-03-03T08:00", &e), ERR_CONFLICT);
    assert_int_equal(event("S1", "crossed", "2024-03-01T09:00", &e), ERR_CONFLICT);
    assert_string_equal(e.field, "at");
    assert_int_equal(event("S1", "crossed", "2024-03-04T20:00", &e), 0);
    struct table *t;
    struct ship_filter f = {0};
    assert_int_equal(ship_crossing_times(db, &f, &t, &e), 0);
    assert_int_equal(t->nrows, 0); /* no crossing named for S1 */
    table_free(t);
    assert_int_equal(event("S1", "rejected", "2024-03-05T00:00", &e), 0);
    assert_int_equal(event("S1", "delivered", "2024-03-06T00:00", &e), ERR_CONFLICT);
}

static void test_percentile(void **state)
{
    (void)state;
    double v[] = {4, 6, 10, 20};
    assert_true(fabs(ship_percentile(v, 4, 0.5) - 8.0) < 1e-12);
    assert_true(fabs(ship_percentile(v, 4, 0.9) - 17.0) < 1e-12);
    assert_true(fabs(ship_percentile(v, 1, 0.9) - 4.0) < 1e-12);
    assert_true(isnan(ship_percentile(v, 0, 0.5)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gates_and_reasons),
        cmocka_unit_test(test_concurrent_cap),
        cmocka_unit_test(test_events_in_order),
        cmocka_unit_test(test_percentile),
    };
    return cmocka_run_group_tests_name("shipments", tests, setup, teardown);
}
