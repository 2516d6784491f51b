/* test_ref.c — unit tests for ref/: the reference files install completely,
 * codes resolve from every form, unknown codes get suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ref/ref.h"

static struct db *db;
static struct ref *ref;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    if (db_open(":memory:", DB_CREATE, &db, NULL, &e)) return -1;
    if (ref_install(db, &e) || ref_install(db, &e)) return -1; /* second is a no-op */
    return ref_open(db, &ref, &e);
}

static int teardown(void **state)
{
    (void)state;
    ref_free(ref);
    db_close(db);
    return 0;
}

static void test_counts(void **state)
{
    (void)state;
    struct table *t;
    struct err e = {0};
    /* 249 ISO countries, and the 57 statistical areas and former economies
     * of country-extra.csv that ISO lacks */
    assert_int_equal(ref_country_count(ref), 249 + 57);
    assert_int_equal(ref_list_regions(db, "KAZ", &t, &e), 0);
    assert_int_equal(t->nrows, 20);
    table_free(t);
    assert_int_equal(ref_list_regions(db, "CHN", &t, &e), 0);
    assert_int_equal(t->nrows, 31);
    table_free(t);
    assert_int_equal(ref_list_hs(db, NULL, 2, NULL, &t, &e), 0);
    assert_int_equal(t->nrows, 97);
    table_free(t);
    assert_int_equal(ref_list_hs(db, NULL, 6, NULL, &t, &e), 0);
    assert_int_equal(t->nrows, 5613);
    table_free(t);
    assert_int_equal(ref_list_hs(db, "1001", 0, NULL, &t, &e), 0);
    assert_string_equal(table_cell(t, 0, 3)->s, "Wheat and meslin");
    table_free(t);
}

/* Codes UN Comtrade uses beyond ISO, and the one it uses differently. */
static void test_comtrade_areas(void **state)
{
    (void)state;
    struct err e = {0};
    const struct {
        const char *code, *code3;
    } cases[] = {{"X1", "X1"},   {"837", "X1"},  {"_X", "_AN"},   {"899", "_AN"}, {"EU2", "EUR"},
                 {"97", "EUR"},  {"W00", "WLD"}, {"473", "C473"}, {"568", "E19"}, {"577", "F19"},
                 {"637", "A59"}, {"490", "S19"}, {"58", "BLX"},   {"200", "CSK"}, {"280", "C280"},
                 {"530", "ANT"}, {"711", "ZA1"}, {"736", "C736"}, {"810", "SUN"}, {"849", "PUS"},
                 {"891", "SCG"}, {"697", "R20"}, {"842", "USA"},  {"492", "MCO"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct country *c = ref_country(ref, cases[i].code, &e);
        assert_non_null(c);
        assert_string_equal(c->code3, cases[i].code3);
    }
    assert_string_equal(ref_country_comtrade(ref, "492", &e)->code3, "C492");
    assert_string_equal(ref_country_comtrade(ref, "398", &e)->code3, "KAZ");
    assert_non_null(strstr(ref_country(ref, "490", &e)->note, "Taiwan"));
    assert_null(ref_comtrade_differs(ref, "398"));
}

/* Names in Russian, Kazakh and Chinese, in either case (Kazakh letters
 * such as Қ/қ and Ә/ә fold too), and a name in one script never taken for
 * another place. */
static void test_names_in_four_languages(void **state)
{
    (void)state;
    struct err e = {0};
    const char *kaz[] = {"Казахстан", "КАЗАХСТАН", "казахстан", "Қазақстан",
                         "ҚАЗАҚСТАН", "қазақстан", "哈萨克斯坦"};
    for (size_t i = 0; i < sizeof kaz / sizeof kaz[0]; i++) {
        const struct country *c = ref_country(ref, kaz[i], &e);
        assert_non_null(c);
        assert_string_equal(c->code3, "KAZ");
    }
    assert_string_equal(ref_country(ref, "ӘЗІРБАЙЖАН", &e)->code3, "AZE");
    assert_string_equal(ref_country(ref, "Россия", &e)->code3, "RUS");
    assert_string_equal(ref_country(ref, "中国", &e)->code3, "CHN");
    assert_string_equal(ref_region(ref, "шыңжаң", &e)->code, "CN-XJ");
    assert_null(ref_country(ref, "Шыңжаң", &e)); /* a region, not a country */
    assert_null(ref_region(ref, "Қытай", &e));   /* a country, not a region */
    assert_null(ref_country(ref, "Казахстанн", &e));
    assert_non_null(strstr(e.msg, "KAZ (Kazakhstan)"));
}

static void test_resolve_forms(void **state)
{
    (void)state;
    struct err e = {0};
    const char *forms[] = {"KAZ", "kaz", "KZ", "kz", "398", " Kazakhstan "};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const struct country *c = ref_country(ref, forms[i], &e);
        assert_non_null(c);
        assert_string_equal(c->code3, "KAZ");
    }
    assert_string_equal(ref_country(ref, "156", &e)->code3, "CHN");
    assert_string_equal(ref_country(ref, "344", &e)->code3, "HKG");
    assert_string_equal(ref_country(ref, "MO", &e)->code3, "MAC");
    assert_string_equal(ref_country(ref, "842", &e)->code3, "USA"); /* Comtrade code */
    assert_string_equal(ref_country(ref, "004", &e)->code3, "AFG");
    const struct country *w = ref_country(ref, "0", &e);
    assert_string_equal(w->code3, "WLD");
    assert_true(w->aggregate);
    assert_string_equal(ref_region(ref, "cn-xj", &e)->code, "CN-XJ");
    assert_string_equal(ref_region(ref, "CN-65", &e)->code, "CN-XJ");
    assert_string_equal(ref_region(ref, "KZ-ALA", &e)->code, "KZ-75");
}

static void test_unknown_suggests(void **state)
{
    (void)state;
    struct err e = {0};
    assert_null(ref_country(ref, "KZX", &e));
    assert_int_equal(e.code, ERR_INPUT);
    assert_non_null(strstr(e.msg, "unknown country 'KZX'; did you mean KAZ (Kazakhstan)"));
    assert_null(ref_country(ref, "", &e));
    assert_null(ref_region(ref, "CN-XX", &e));
    assert_non_null(strstr(e.msg, "did you mean CN-"));
    /* a region code is not a country */
    assert_null(ref_country(ref, "CN-XJ", &e));
}

static void test_hs_valid(void **state)
{
    (void)state;
    assert_true(ref_hs_valid("TOTAL"));
    assert_true(ref_hs_valid("01"));
    assert_true(ref_hs_valid("010121"));
    assert_false(ref_hs_valid("1"));
    assert_false(ref_hs_valid("123"));
    assert_false(ref_hs_valid("10a1"));
    assert_false(ref_hs_valid(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_comtrade_areas),
        cmocka_unit_test(test_resolve_forms),
        cmocka_unit_test(test_unknown_suggests),
        cmocka_unit_test(test_names_in_four_languages),
        cmocka_unit_test(test_hs_valid),
    };
    return cmocka_run_group_tests_name("ref", tests, setup, teardown);
}
