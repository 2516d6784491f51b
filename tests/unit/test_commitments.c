/* test_commitments.c — unit tests for the commitments area: the registry
 * agrees with the operation that names it, figures read for people, a
 * window that has not started holds nothing, a year with months missing is
 * no data (never zero), the flags and their order on given dates, and a
 * stored commitment the registry does not know fails the report instead of
 * vanishing from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commitments/commitments.h"
#include "ops/ops.h"
#include "support.h"

static void test_registry_matches_operation(void **state)
{
    (void)state;
    const struct op_cmd *cmd = op_find("commitments", "add");
    assert_non_null(cmd);
    int i = op_param_index(cmd->op, "indicator");
    assert_true(i >= 0);
    char names[512] = "";
    for (const struct cmt_indicator *in = cmt_indicators; in->name; in++) {
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? "|" : "",
                 in->name);
        assert_true(in->scale > 0 && 1000000 % in->scale == 0);
        assert_non_null(in->read);
        assert_true(strlen(in->definition) > 40);
        assert_true(in->kind != CMT_STATE || in->top > 0);
        assert_ptr_equal(cmt_indicator_find(in->name), in);
    }
    assert_string_equal(cmd->op->params[i].allowed, names);
    assert_null(cmt_indicator_find("beef"));
    assert_null(cmt_indicator_find(NULL));
}

static void test_human_figures(void **state)
{
    (void)state;
    const struct cmt_indicator *usd = cmt_indicator_find("trade_turnover_usd"),
                               *t = cmt_indicator_find("beef_exports_t"),
                               *v = cmt_indicator_find("tourist_arrivals"),
                               *s = cmt_indicator_find("market_open");
    char out[64];
    cmt_human(usd, 43820000000.0, out, sizeof out);
    assert_string_equal(out, "US$ 43.82 bn");
    cmt_human(usd, 1500000.0, out, sizeof out);
    assert_string_equal(out, "US$ 1.5 m");
    cmt_human(usd, 12345.0, out, sizeof out);
    assert_string_equal(out, "US$ 12,345");
    cmt_human(t, 1380.4, out, sizeof out);
    assert_string_equal(out, "1,380 t");
    cmt_human(t, -2500.0, out, sizeof out);
    assert_string_equal(out, "-2,500 t");
    cmt_human(v, 655000.0, out, sizeof out);
    assert_string_equal(out, "655,000 visitors");
    cmt_human(s, 1.0, out, sizeof out);
    assert_string_equal(out, "level 1");
}

static int meeting(struct db *db, struct ref *ref)
{
    struct err e = {0};
    const char *kv[] = {"code", "M", "title", "t", "date", "2024-06-01", "place", "Almaty", NULL};
    return run_op(db, ref, "commitments", "add-meeting", kv, &e);
}

static int typed(struct db *db, struct ref *ref, const char *code, const char *due,
                 const char *status)
{
    struct err e = {0};
    const char *kv[] = {"code", code,  "meeting", "M",      "text", "x", "owner",
                        "o",    "due", due,       "status", status, NULL};
    return run_op(db, ref, "commitments", "add", kv, &e);
}

static void test_window_and_missing_year(void **state)
{
    (void)state;
    struct db *db;
    struct ref *ref;
    struct err e = {0};
    assert_int_equal(memory_db(&db, &ref), 0);
    struct cmt_spec beef = {"beef_exports_t", "0201,0202", "KAZ", "CHN", "", "2024-06-01", ""};
    struct cmt_value v;
    /* before the window starts: nothing yet, and that is a figure */
    assert_int_equal(cmt_indicator_read(db, &beef, "2024-01-01", &v, &e), 0);
    assert_int_equal(v.found, 1);
    assert_int_equal(v.v, 0);
    /* eleven months of 2024: the year is no data, and says why */
    for (int m = 1; m <= 11; m++) {
        char month[4];
        snprintf(month, sizeof month, "%d", m);
        const char *kv[] = {"year", "2024", "month",    month, "from", "CHN",
                            "to",   "KAZ",  "visitors", "10",  NULL};
        assert_int_equal(run_op(db, ref, "tourism", "add", kv, &e), 0);
    }
    struct cmt_spec tour = {"tourist_arrivals", "", "CHN", "KAZ", "", "2024-06-01", ""};
    assert_int_equal(cmt_indicator_read(db, &tour, "2025-03-01", &v, &e), 0);
    assert_int_equal(v.found, 0);
    assert_non_null(strstr(v.why, "2024: 11 of 12 months"));
    /* a window that ended before the year did reads no year at all */
    str_copy(tour.end, "2024-12-30", sizeof tour.end);
    assert_int_equal(cmt_indicator_read(db, &tour, "2025-03-01", &v, &e), 0);
    assert_int_equal(v.found, 0);
    assert_non_null(strstr(v.why, "no whole year ends between 2024-06-01 and 2024-12-30"));
    /* an agreement that does not exist is an error, not level 0 */
    struct cmt_spec agr = {"agreement_status", "NOPE", "", "", "", "2024-06-01", ""};
    assert_true(cmt_indicator_read(db, &agr, "2025-03-01", &v, &e) < 0);
    ref_free(ref);
    db_close(db);
}

static const char *flag_of(const struct table *t, size_t row)
{
    return table_cell(t, row, (size_t)table_find_col(t, "flag"))->s;
}

static void test_flags_in_order(void **state)
{
    (void)state;
    struct db *db;
    struct ref *ref;
    struct err e = {0};
    assert_int_equal(memory_db(&db, &ref), 0);
    assert_int_equal(meeting(db, ref), 0);
    assert_int_equal(typed(db, ref, "A-DROPPED", "2024-07-01", "dropped"), 0);
    assert_int_equal(typed(db, ref, "B-DONE", "2024-07-01", "done"), 0);
    assert_int_equal(typed(db, ref, "C-LATE", "2024-07-01", "in progress"), 0);
    assert_int_equal(typed(db, ref, "D-SOON", "2024-09-29", "open"), 0);  /* 90 days */
    assert_int_equal(typed(db, ref, "E-LATER", "2024-09-30", "open"), 0); /* 91 days */
    assert_int_equal(typed(db, ref, "F-WORKING", "2024-08-01", "in progress"), 0);
    struct table *t;
    assert_int_equal(cmt_report(db, NULL, "2024-07-01", &t, &e), 0);
    assert_int_equal(t->nrows, 6);
    /* on its due date a commitment is not yet overdue */
    const char *want[][2] = {{"C-LATE", "on track"},   {"F-WORKING", "on track"},
                             {"E-LATER", "on track"},  {"B-DONE", "done"},
                             {"A-DROPPED", "dropped"}, {NULL, NULL}};
    assert_string_equal(table_cell(t, 0, 0)->s, "D-SOON");
    assert_string_equal(flag_of(t, 0), "at risk");
    for (size_t r = 1; want[r - 1][0]; r++) {
        assert_string_equal(table_cell(t, r, 0)->s, want[r - 1][0]);
        assert_string_equal(flag_of(t, r), want[r - 1][1]);
    }
    table_free(t);
    assert_int_equal(cmt_report(db, NULL, "2024-07-02", &t, &e), 0);
    assert_string_equal(table_cell(t, 0, 0)->s, "C-LATE");
    assert_string_equal(flag_of(t, 0), "overdue");
    assert_string_equal(table_cell(t, 1, 0)->s, "D-SOON");
    assert_string_equal(flag_of(t, 1), "at risk");
    /* a day later E-LATER too has 90 days to go */
    assert_string_equal(table_cell(t, 2, 0)->s, "E-LATER");
    assert_string_equal(flag_of(t, 2), "at risk");
    assert_string_equal(table_cell(t, 3, 0)->s, "F-WORKING");
    assert_string_equal(flag_of(t, 3), "on track");
    assert_string_equal(flag_of(t, 4), "done");
    assert_string_equal(flag_of(t, 5), "dropped");
    table_free(t);
    /* one meeting's commitments only */
    assert_int_equal(cmt_report(db, "OTHER", "2024-07-02", &t, &e), 0);
    assert_int_equal(t->nrows, 0);
    table_free(t);
    ref_free(ref);
    db_close(db);
}

static void test_unknown_indicator_fails(void **state)
{
    (void)state;
    struct db *db;
    struct ref *ref;
    struct err e = {0};
    assert_int_equal(memory_db(&db, &ref), 0);
    assert_int_equal(meeting(db, ref), 0);
    assert_int_equal(typed(db, ref, "K", "2025-01-01", "open"), 0);
    assert_int_equal(
        db_run(db, &e, "UPDATE commitment SET indicator = 'gone' WHERE code = 'K'", NULL), 0);
    struct table *t = (struct table *)1;
    assert_true(cmt_report(db, NULL, "2024-07-02", &t, &e) < 0);
    assert_null(t);
    assert_non_null(strstr(e.msg, "unknown indicator 'gone'"));
    ref_free(ref);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_matches_operation), cmocka_unit_test(test_human_figures),
        cmocka_unit_test(test_window_and_missing_year),    cmocka_unit_test(test_flags_in_order),
        cmocka_unit_test(test_unknown_indicator_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
