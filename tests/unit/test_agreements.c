/* test_agreements.c — unit tests for agreements/: parties, terms as dated
 * versions, periods (calendar and July-June), scope matching, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "agreements/agreements.h"
#include "support.h"

static struct db *db;
static struct ref *ref;

static int add(const char *area, const char *verb, const char *const *pairs, struct err *e)
{
    return run_op(db, ref, area, verb, pairs, e);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    if (memory_db(&db, &ref)) return -1;
    const char *p1[] = {"name", "Seller Co", "country", "KZ", "kind", "state-owned", NULL};
    const char *p2[] = {"name",  "Buyer Co", "country", "CN", "region",
                        "CN-65", "kind",     "private", NULL};
    const char *a[] = {"code",   "A1",         "title",   "Test",
                       "kind",   "supply",     "parties", "Seller Co:seller;Buyer Co:buyer",
                       "hs",     "1001, 1206", "cap_t",   "1000",
                       "period", "july-june",  "start",   "2024-07-01",
                       "status", "in force",   NULL};
    if (add("parties", "add", p1, &e)) return -1;
    if (add("parties", "add", p2, &e)) return -1;
    return add("agreements", "add", a, &e);
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    db_close(db);
    return 0;
}

static void test_terms_versions(void **state)
{
    (void)state;
    struct err e = {0};
    int64_t id;
    assert_int_equal(agr_find(db, "A1", &id, &e), 0);
    struct agr_terms t;
    assert_int_equal(agr_terms_at(db, id, "2024-06-30", &t, &e), ERR_NOTFOUND);
    assert_int_equal(agr_terms_at(db, id, "2024-07-01", &t, &e), 0);
    assert_int_equal(t.version, 1);
    assert_int_equal(t.cap_g, 1000000000LL); /* 1,000 t in grams */
    assert_string_equal(t.hs_scope, "1001,1206");
    const char *am[] = {"code", "A1", "effective", "2025-01-01", "cap_t", "2500.5", NULL};
    assert_int_equal(add("agreements", "amend", am, &e), 0);
    assert_int_equal(agr_terms_at(db, id, "2024-12-31", &t, &e), 0);
    assert_int_equal(t.cap_g, 1000000000LL);
    assert_int_equal(agr_terms_at(db, id, "2025-01-01", &t, &e), 0);
    assert_int_equal(t.version, 2);
    assert_int_equal(t.cap_g, 2500500000LL);
    assert_string_equal(t.period_kind, "july-june"); /* unchanged terms carried over */
    /* an amendment may not take effect before the latest version */
    const char *back[] = {"code", "A1", "effective", "2024-12-01", "cap_t", "1", NULL};
    assert_int_equal(add("agreements", "amend", back, &e), ERR_INPUT);
    assert_string_equal(e.field, "effective");
    assert_int_equal(agr_terms_at(db, id, "2030-01-01", &t, &e), 0);
    assert_int_equal(t.version, 2);
}

static void test_periods(void **state)
{
    (void)state;
    struct agr_terms t = {0};
    char label[16], d[11];
    long f, l;
    strcpy(t.period_kind, "july-june");
    agr_period(&t, "2025-03-15", label, &f, &l);
    assert_string_equal(label, "2024/25");
    date_from_days(f, d);
    assert_string_equal(d, "2024-07-01");
    date_from_days(l, d);
    assert_string_equal(d, "2025-06-30");
    agr_period(&t, "2025-07-01", label, &f, &l);
    assert_string_equal(label, "2025/26");
    struct err e = {0};
    assert_int_equal(agr_period_parse(&t, "2024-25", label, &f, &l, &e), 0);
    assert_string_equal(label, "2024/25");
    assert_int_equal(agr_period_parse(&t, "2024", label, &f, &l, &e), ERR_INPUT);
    assert_string_equal(e.field, "period");
    strcpy(t.period_kind, "calendar");
    agr_period(&t, "2024-02-29", label, &f, &l);
    assert_string_equal(label, "2024");
    assert_int_equal(l - f + 1, 366);
}

static void test_scope(void **state)
{
    (void)state;
    struct agr_terms t = {0};
    char out[16];
    strcpy(t.hs_scope, "10,1001,1206");
    assert_string_equal(agr_scope_match(&t, "100199", out, sizeof out), "1001"); /* longest */
    assert_string_equal(agr_scope_match(&t, "100390", out, sizeof out), "10");
    assert_null(agr_scope_match(&t, "120510", out, sizeof out));
}

static void test_refusals(void **state)
{
    (void)state;
    struct err e = {0};
    const char *dup[] = {"name", "Seller Co", "country", "KZ", "kind", "private", NULL};
    assert_int_equal(add("parties", "add", dup, &e), ERR_CONFLICT);
    const char *wrong_region[] = {"name",  "X",    "country", "KZ", "region",
                                  "CN-XJ", "kind", "private", NULL};
    assert_int_equal(add("parties", "add", wrong_region, &e), ERR_INPUT);
    assert_string_equal(e.field, "region");
    const char *one_party[] = {
        "code", "A2",   "title", "T",          "kind",   "supply", "parties", "Seller Co:seller",
        "hs",   "1001", "start", "2024-01-01", "status", "signed", NULL};
    assert_int_equal(add("agreements", "add", one_party, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "two or more parties"));
    int64_t id;
    assert_int_equal(agr_find(db, "A2", &id, &e), ERR_NOTFOUND); /* nothing half-written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_versions),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("agreements", tests, setup, teardown);
}
