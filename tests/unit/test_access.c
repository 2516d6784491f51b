/* test_access.c — unit tests for access/: the most specific rule wins,
 * rules are dated, every reason is listed, establishments are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "access/access.h"
#include "support.h"

static struct db *db;
static struct ref *ref;

static int rule(const char *hs, const char *region, const char *status, const char *docs,
                const char *from, const char *to)
{
    struct err e = {0};
    const char *p[] = {
        "hs",           hs,       "from", "KAZ",       "region", region,           "to",
        "CHN",          "status", status, "documents", docs,     "effective_from", from,
        "effective_to", to,       NULL};
    return run_op(db, ref, "access", "rule-add", p, &e);
}

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    if (memory_db(&db, &ref)) return -1;
    int rc = rule("02", NULL, "open", "vet-cert", "2019-01-01", NULL);
    rc |= rule("0202", NULL, "suspended", NULL, "2021-12-01", NULL);
    rc |= rule("0202", "KZ-19", "open", "vet-cert,plant-registration", "2024-02-07", NULL);
    const char *plant[] = {"registration", "P1",     "name",       "Plant",      "country",
                           "KAZ",          "region", "KZ-19",      "hs",         "0202",
                           "importer",     "CHN",    "valid_from", "2024-02-01", "valid_to",
                           "2029-02-01",   "status", "active",     NULL};
    rc |= run_op(db, ref, "access", "plant-add", plant, &e);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    db_close(db);
    return 0;
}

static struct access_result check(const char *hs, const char *region, const char *plant,
                                  const char *docs, const char *date)
{
    struct access_query q = {hs, "KAZ", region, "CHN", plant, docs, date};
    struct access_result r;
    struct err e = {0};
    assert_int_equal(access_check(db, &q, &r, &e), 0);
    return r;
}

static void test_specificity_and_dates(void **state)
{
    (void)state;
    struct access_result r = check("020130", NULL, NULL, "vet-cert", "2020-01-01");
    assert_true(r.allowed); /* the chapter rule */
    assert_int_equal(r.rule_id, 1);
    r = check("020230", NULL, NULL, "vet-cert", "2020-01-01");
    assert_true(r.allowed); /* before the suspension: the chapter rule still */
    r = check("020230", NULL, NULL, "vet-cert", "2022-06-01");
    assert_false(r.allowed);
    assert_int_equal(r.rule_id, 2); /* the longer prefix */
    assert_non_null(strstr(r.why.r[0], "suspended"));
    r = check("020230", "KZ-19", "P1", "vet-cert", "2024-03-01");
    assert_true(r.allowed);
    assert_int_equal(r.rule_id, 3); /* the region's rule */
    r = check("020230", "KZ-35", NULL, "vet-cert", "2024-03-01");
    assert_false(r.allowed);
    assert_int_equal(r.why.n, 2);
    assert_non_null(strstr(r.why.r[1], "region excluded: KZ-35"));
    r = check("9999", NULL, NULL, NULL, "2024-03-01");
    assert_true(r.allowed);
    assert_int_equal(r.rule_id, 0);
}

static void test_every_reason(void **state)
{
    (void)state;
    /* no vet-cert, no plant: two reasons from one rule */
    struct access_result r = check("020230", "KZ-19", NULL, "phyto-cert", "2024-03-01");
    assert_int_equal(r.why.n, 2);
    assert_non_null(strstr(r.why.r[0], "missing document: vet-cert"));
    assert_non_null(strstr(r.why.r[1], "registered establishment is required"));
    /* a plant out of scope, not yet valid, in another region */
    r = check("020130", "KZ-19", "P1", "vet-cert", "2023-01-01");
    assert_int_equal(r.why.n, 2);
    assert_non_null(strstr(r.why.r[0], "does not cover 020130"));
    assert_non_null(strstr(r.why.r[1], "valid only from 2024-02-01"));
    struct err e = {0};
    const char *suspend[] = {"registration", "P1", "status", "suspended", NULL};
    const char *reinstate[] = {"registration", "P1", "status", "active", NULL};
    const char *nope[] = {"registration", "NOPE", "status", "active", NULL};
    assert_int_equal(run_op(db, ref, "access", "plant-status", suspend, &e), 0);
    r = check("020230", "KZ-19", "P1", "vet-cert", "2024-03-01");
    assert_int_equal(r.why.n, 1);
    assert_non_null(strstr(r.why.r[0], "is suspended"));
    assert_int_equal(run_op(db, ref, "access", "plant-status", reinstate, &e), 0);
    r = check("020230", "KZ-19", "P1", "vet-cert", "2029-02-01");
    assert_non_null(strstr(r.why.r[0], "expired on 2029-02-01"));
    assert_int_equal(run_op(db, ref, "access", "plant-status", nope, &e), ERR_NOTFOUND);
}

/* A stored value longer than the check reads is never cut to a prefix that
 * would cover more goods: the check fails instead. */
static void test_long_stored_values_fail_closed(void **state)
{
    (void)state;
    struct err e = {0};
    char sql[2000];
    int n = snprintf(sql, sizeof sql, "UPDATE establishment SET hs_scope = '");
    for (int i = 0; i < 102; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, "1001,");
    snprintf(sql + n, sizeof sql - (size_t)n, "0207' WHERE registration = 'P1'");
    assert_int_equal(db_exec(db, sql, &e), 0);
    struct access_query q = {"020230", "KAZ", "KZ-19", "CHN", "P1", "vet-cert", "2024-03-01"};
    struct access_result r;
    assert_int_equal(access_check(db, &q, &r, &e), ERR_LIMIT);
    assert_non_null(strstr(e.msg, "longer than corridor reads"));
    assert_int_equal(
        db_exec(db, "UPDATE establishment SET hs_scope = '0202' WHERE registration = 'P1'", &e), 0);
    assert_int_equal(access_check(db, &q, &r, &e), 0);
    assert_true(r.allowed);
    /* and a list that long is refused on the way in */
    const char *rule[] = {
        "hs",        "0203", "from",           "KAZ",        "to", "CHN", "status", "open",
        "documents", sql,    "effective_from", "2020-01-01", NULL};
    assert_int_equal(run_op(db, ref, "access", "rule-add", rule, &e), ERR_INPUT);
    assert_string_equal(e.field, "documents");
}

static void test_bad_input(void **state)
{
    (void)state;
    struct access_query q = {"02x2", "KAZ", NULL, "CHN", NULL, NULL, "2024-01-01"};
    struct access_result r;
    struct err e = {0};
    assert_int_equal(access_check(db, &q, &r, &e), ERR_INPUT);
    assert_string_equal(e.field, "hs");
    q.hs = "0202";
    q.date = "2024-13-01";
    assert_int_equal(access_check(db, &q, &r, &e), ERR_INPUT);
    assert_int_equal(rule("0202", NULL, "open", NULL, "2024-01-01", "2023-01-01"), ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_specificity_and_dates),
        cmocka_unit_test(test_every_reason),
        cmocka_unit_test(test_long_stored_values_fail_closed),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("access", tests, setup, teardown);
}
