/* test_trade.c — unit tests for trade/: forecast models against values
 * computed independently (numpy/scipy for the log-linear fit), the backtest,
 * the importer's all-or-nothing rule and its counters, and the counting rules
 * of the totals (TOTAL before detail, published before synthetic). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trade/trade.h"
#include "support.h"

static const int cx[] = {2015, 2016, 2021, 2022, 2023, 2024};
static const double cy[] = {14.3e9, 13.1e9, 25e9, 31.2e9, 41e9, 43.82e9};

static void test_loglinear_matches_numpy(void **state)
{
    (void)state;
    struct trade_fc fc[2];
    struct err e = {0};
    assert_int_equal(trade_fc_fit(MODEL_LOGLINEAR, cx, cy, 6, 2, fc, &e), 0);
    /* numpy.polyfit on log values, scipy t quantiles with 4 df */
    assert_true(fabs(fc[0].point - 48511673935.51) < 1.0);
    assert_true(fabs(fc[0].lo80 - 39071970209.08) < 1.0);
    assert_true(fabs(fc[0].hi95 - 71785052819.16) < 1.0);
    assert_true(fabs(fc[1].point - 55504250149.85) < 1.0);
    assert_true(fabs(fc[1].lo95 - 36794320510.51) < 1.0);
}

static void test_backtest(void **state)
{
    (void)state;
    /* numpy: mean APE of one-step log-linear forecasts from origins 3, 4, 5 */
    assert_true(fabs(trade_fc_backtest(MODEL_LOGLINEAR, cx, cy, 6, 3) - 12.263361495) < 1e-6);
    int x[] = {2000, 2001, 2002, 2003, 2004, 2005};
    double y[6];
    for (int i = 0; i < 6; i++)
        y[i] = 100.0 * pow(1.1, i);
    assert_true(trade_fc_backtest(MODEL_LOGLINEAR, x, y, 6, 3) < 1e-9);
    assert_true(trade_fc_backtest(MODEL_LOGLINEAR, x, y, 3, 3) < 0); /* no origin */
}

static void test_exact_growth_and_constant(void **state)
{
    (void)state;
    int x[] = {2010, 2011, 2012, 2013, 2014};
    double y[5], c[5];
    for (int i = 0; i < 5; i++)
        y[i] = 200.0 * pow(1.25, i), c[i] = 7.5e9;
    struct trade_fc fc[3];
    struct err e = {0};
    assert_int_equal(trade_fc_fit(MODEL_LOGLINEAR, x, y, 5, 3, fc, &e), 0);
    assert_true(fabs(fc[2].point - 200.0 * pow(1.25, 7)) < 1e-6);
    assert_true(fabs(fc[2].hi95 - fc[2].lo95) < 1e-6); /* a perfect fit has no spread */
    assert_int_equal(trade_fc_fit(MODEL_HOLT_DAMPED, x, c, 5, 3, fc, &e), 0);
    for (int k = 0; k < 3; k++) {
        assert_true(fabs(fc[k].point / 7.5e9 - 1) < 1e-9);
        assert_true(fabs(fc[k].hi80 / 7.5e9 - 1) < 1e-9);
    }
    /* damped trend on growth: below the undamped path, above the last value */
    assert_int_equal(trade_fc_fit(MODEL_HOLT_DAMPED, x, y, 5, 3, fc, &e), 0);
    assert_true(fc[0].point > y[4]);
    assert_true(fc[2].point <= 200.0 * pow(1.25, 7) + 1e-6);
    assert_true(fc[2].lo95 <= fc[2].lo80 && fc[2].lo80 <= fc[2].point);
    assert_true(fc[2].point <= fc[2].hi80 && fc[2].hi80 <= fc[2].hi95);
}

static void test_fit_refusals(void **state)
{
    (void)state;
    struct trade_fc fc[1];
    struct err e = {0};
    int x[] = {2020, 2021, 2022};
    double y[] = {1, 0, 3};
    assert_int_equal(trade_fc_fit(MODEL_LOGLINEAR, x, y, 2, 1, fc, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "at least 3 years"));
    assert_int_equal(trade_fc_fit(MODEL_HOLT_DAMPED, x, y, 3, 1, fc, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "positive"));
}

/* ---- import and totals on a real database ---- */

static struct db *db;
static struct ref *ref;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    strcpy(dir, "/tmp/corridor-tradetest-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/t.db", dir);
    static const char *const none[] = {NULL};
    if (db_open(path, DB_CREATE, &db, NULL, &e) || run_op(db, NULL, "init", NULL, none, &e))
        return -1;
    return ref_open(db, &ref, &e);
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static int64_t count(void)
{
    return scalar(db, "SELECT count(*) FROM trade_flow");
}

/* Imports a file through the operation, as `corridor trade import` does;
 * rejects (may be NULL) receives the rows set aside. */
static int import(const char *file, FILE *rejects, struct op_call *keep, struct err *e)
{
    const char *pairs[] = {"file", file, NULL};
    return run_op_full(db, ref, "trade", "import", pairs, rejects, keep, e);
}

#define HDR                                                                                        \
    "source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,net_kg,qty,qty_unit\n"

static void test_import_all_or_nothing(void **state)
{
    (void)state;
    struct err e = {0};
    const char *p = write_file("bad.csv", HDR "pub,KAZ,,CHN,2020,,X,TOTAL,10,,,\n"
                                              "pub,KAZ,,CHN,2020,,M,TOTAL,-5,,,\n");
    assert_int_equal(import(p, NULL, NULL, &e), ERR_INPUT);
    assert_int_equal(e.line, 3);
    assert_int_equal(e.column, 9);
    assert_string_equal(e.field, "value_usd");
    assert_non_null(strstr(e.msg, "is not between 0 and US$ 10 trillion"));
    assert_int_equal(count(), 0);

    char *mem = NULL;
    size_t len = 0;
    FILE *rej = open_memstream(&mem, &len);
    struct op_call c;
    err_clear(&e);
    assert_int_equal(import(p, rej, &c, &e), 0);
    fclose(rej);
    assert_int_equal(op_stat_get(&c, "read"), 2);
    assert_int_equal(op_stat_get(&c, "stored"), 1);
    assert_int_equal(op_stat_get(&c, "rejected"), 1);
    op_call_free(&c);
    assert_non_null(strstr(mem, "3,9,value_usd,"));
    free(mem);
    assert_int_equal(count(), 1);
}

static void test_totals_counting_rules(void **state)
{
    (void)state;
    struct err e = {0};
    /* published TOTAL and synthetic detail for the same flow: TOTAL wins; a
     * year with detail only sums the codes that do not overlap: chapter 10
     * (70.00, which holds 1001) and heading 2709 (1.00) */
    const char *p = write_file("rules.csv", HDR "pub,CHN,,KAZ,2021,,X,TOTAL,100.00,,,\n"
                                                "syn,CHN,,KAZ,2021,,X,10,60.00,,,\n"
                                                "syn,CHN,,KAZ,2021,,X,27,40.00,,,\n"
                                                "syn,CHN,,KAZ,2021,,X,1001,60.00,,,\n"
                                                "syn,CHN,,KAZ,2022,,X,10,70.00,,,\n"
                                                "syn,CHN,,KAZ,2022,,X,1001,69.00,,,\n"
                                                "syn,CHN,,KAZ,2022,,X,2709,1.00,,,\n"
                                                "syn,CHN,,KAZ,2022,1,M,TOTAL,5.00,,,\n"
                                                "syn,CHN,,KAZ,2022,2,M,TOTAL,6.00,,,\n");
    assert_int_equal(import(p, NULL, NULL, &e), 0);
    assert_int_equal(db_exec(db, "UPDATE source SET synthetic = 1 WHERE name = 'syn'", &e), 0);
    struct trade_query q = {.reporter = "CHN", .partner = "KAZ"};
    struct table *t;
    assert_int_equal(trade_totals(db, &q, &t, &e), 0);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(table_cell(t, 0, 1)->i, 10000); /* 2021 exports: the TOTAL */
    assert_int_equal(table_cell(t, 1, 1)->i, 7100);  /* 2022: chapter 10 and 2709 */
    assert_int_equal(table_cell(t, 1, 2)->i, 1100);  /* months summed */
    assert_int_equal(table_cell(t, 1, 3)->i, 8200);
    table_free(t);
    struct trade_query g = {
        .reporter = "CHN", .partner = "KAZ", .year = 2022, .level = 4, .flow = "X"};
    assert_int_equal(trade_goods(db, &g, &t, &e), 0);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(table_cell(t, 0, 1)->s, "1001");
    assert_int_equal(table_cell(t, 0, 3)->i, 6900);
    assert_true(fabs(table_cell(t, 0, 4)->d - 98.571428) < 1e-4);
    assert_int_equal(table_cell(t, 0, 5)->i, 6000); /* 2021 heading 1001 */
    assert_true(fabs(table_cell(t, 0, 6)->d - 15.0) < 1e-9);
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest math[] = {
        cmocka_unit_test(test_loglinear_matches_numpy),
        cmocka_unit_test(test_backtest),
        cmocka_unit_test(test_exact_growth_and_constant),
        cmocka_unit_test(test_fit_refusals),
    };
    const struct CMUnitTest store[] = {
        cmocka_unit_test(test_import_all_or_nothing),
        cmocka_unit_test(test_totals_counting_rules),
    };
    return cmocka_run_group_tests_name("trade forecast", math, NULL, NULL) +
           cmocka_run_group_tests_name("trade store", store, setup, teardown);
}
