/* test_tourism.c — unit tests for the tourism area's counting rule: a
 * month's unsplit row wins over its splits, splits add up, a window names
 * the months it lacks and never reads them as zero, crossings stay apart
 * from the country's figure, and bad rows are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "tourism/tourism.h"

static int add(struct db *db, struct ref *ref, const char *month, const char *crossing,
               const char *purpose, const char *visitors)
{
    struct err e = {0};
    const char *kv[] = {"year", "2024", "month", month, "from", "CHN", "to", "KAZ",
                        "crossing", crossing, "purpose", purpose, "mode", "all",
                        "visitors", visitors, NULL};
    return run_op(db, ref, "tourism", "add", kv, &e);
}

static void test_counting_rule(void **state)
{
    (void)state;
    struct db *db;
    struct ref *ref;
    assert_int_equal(memory_db(&db, &ref), 0);
    /* January: splits only (100 + 50); February: a total (400) and a split
     * (300) the total covers; March: nothing; April: 7 */
    assert_int_equal(add(db, ref, "1", "", "leisure", "100"), 0);
    assert_int_equal(add(db, ref, "1", "", "business", "50"), 0);
    assert_int_equal(add(db, ref, "2", "", "all", "400"), 0);
    assert_int_equal(add(db, ref, "2", "", "leisure", "300"), 0);
    assert_int_equal(add(db, ref, "4", "", "all", "7"), 0);
    assert_int_equal(add(db, ref, "1", "NURZHOLY", "all", "90"), 0);
    struct err e = {0};
    int64_t v;
    int missing;
    char names[100];
    int jan = 2024 * 12;
    assert_int_equal(tour_window(db, "CHN", "KAZ", "", jan, jan + 1, &v, &missing, names,
                                 sizeof names, &e), 0);
    assert_int_equal(v, 550);
    assert_int_equal(missing, 0);
    assert_int_equal(tour_window(db, "CHN", "KAZ", "", jan, jan + 3, &v, &missing, names,
                                 sizeof names, &e), 0);
    assert_int_equal(missing, 1);
    assert_string_equal(names, "2024-03");
    assert_int_equal(v, 557); /* what there is; the caller shows no total */
    /* the crossing's own series */
    assert_int_equal(tour_window(db, "CHN", "KAZ", "NURZHOLY", jan, jan, &v, &missing, names,
                                 sizeof names, &e), 0);
    assert_int_equal(v, 90);
    /* the other direction has nothing: every month missing, none zero */
    assert_int_equal(tour_window(db, "KAZ", "CHN", "", jan, jan + 1, &v, &missing, names,
                                 sizeof names, &e), 0);
    assert_int_equal(missing, 2);
    assert_string_equal(names, "2024-01, 2024-02");
    /* refused: an unknown crossing, a purpose not on the list, month 13 */
    assert_int_not_equal(add(db, ref, "5", "ALMATY-AIRPORT", "all", "1"), 0);
    assert_int_not_equal(add(db, ref, "5", "", "holiday", "1"), 0);
    assert_int_not_equal(add(db, ref, "13", "", "all", "1"), 0);
    assert_int_equal(scalar(db, "SELECT count(*) FROM tour_flow"), 6);
    ref_free(ref);
    db_close(db);
}

static void test_month_names(void **state)
{
    (void)state;
    char s[8];
    tour_month_name(2023 * 12 + 10, s);
    assert_string_equal(s, "2023-11");
    tour_month_name(2024 * 12, s);
    assert_string_equal(s, "2024-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counting_rule),
        cmocka_unit_test(test_month_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
