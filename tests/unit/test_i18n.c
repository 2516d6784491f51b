/* test_i18n.c — unit tests for the languages: tags and Accept-Language
 * headers choose the right language, each thread keeps its own, and the
 * compiled catalogues (GNU gettext) translate the interface while English
 * stays the source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "base/base.h"

static void test_tags(void **state)
{
    (void)state;
    assert_int_equal(i18n_lang_index("ru"), 1);
    assert_int_equal(i18n_lang_index("ru-RU"), 1);
    assert_int_equal(i18n_lang_index("KK"), 2);
    assert_int_equal(i18n_lang_index("zh_CN"), 3);
    assert_int_equal(i18n_lang_index("rus"), -1);
    assert_int_equal(i18n_lang_index("z"), -1);
    assert_int_equal(i18n_lang_index(NULL), -1);
    assert_string_equal(i18n_lang_code(9), "en");
}

static void test_accept_language(void **state)
{
    (void)state;
    assert_string_equal(i18n_accept("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
    assert_string_equal(i18n_accept("de-DE, ru;q=0.7, en;q=0.9"), "en");
    assert_string_equal(i18n_accept("kk-KZ;q=0.5,ru-KZ;q=0.4"), "kk");
    assert_null(i18n_accept("de, fr;q=0.5"));
    assert_null(i18n_accept(""));
    assert_null(i18n_accept(NULL));
    assert_null(i18n_accept("ru;q=0"));
    /* q-values as the standard writes them: 0 to 1, three decimals at most */
    assert_string_equal(i18n_accept("ru;q=1e999, zh;q=0.5"), "zh");
    assert_string_equal(i18n_accept("ru;q=2, kk;q=0.2"), "kk");
    assert_string_equal(i18n_accept("ru;q=0.1234, kk;q=0.001"), "kk");
    assert_string_equal(i18n_accept("ru ;q=0.9, en;q=0.8"), "ru"); /* space before ';' */
    /* an item too long to be a language of ours is skipped, never cut to one */
    char longer[200];
    snprintf(longer, sizeof longer, "ru-%0100d;q=0, en;q=0.1", 0);
    assert_string_equal(i18n_accept(longer), "en");
}

static void *other(void *arg)
{
    (void)arg;
    i18n_set("zh");
    return (void *)(strcmp(T("Overview"), "概览") == 0 ? "ok" : "bad");
}

static void test_translations(void **state)
{
    (void)state;
    assert_true(i18n_ready());
    i18n_set("ru");
    assert_string_equal(i18n_lang(), "ru");
    assert_string_equal(T("Overview"), "Обзор");
    assert_string_equal(T("overdue"), "просрочено");
    assert_string_equal(T("a sentence no catalogue holds"), "a sentence no catalogue holds");
    /* another thread's language is its own */
    pthread_t t;
    void *res;
    pthread_create(&t, NULL, other, NULL);
    pthread_join(t, &res);
    assert_string_equal(res, "ok");
    assert_string_equal(T("Overview"), "Обзор");
    i18n_set("kk");
    assert_string_equal(T("Commitments"), "Міндеттемелер");
    i18n_set("tlh");
    assert_string_equal(i18n_lang(), "en");
    assert_string_equal(T("Overview"), "Overview");
}

/* Numbers inside a sentence written the reader's way; dates, codes and
 * addresses left as they are. */
static void test_numbers_in_text(void **state)
{
    (void)state;
    char out[256];
    const char *s = "Shipments: 28, 1,670,440 t, US$ 416,603,000.00; +30.7% on 2024-10-12 at "
                    "127.0.0.1, KZ-19, HS 1001, v1.2";
    i18n_set("en");
    assert_ptr_equal(i18n_numbers_in(s, out, sizeof out), s);
    assert_string_equal(i18n_decimal(30, 1, out, sizeof out), "30.0");
    i18n_set("ru");
    assert_string_equal(i18n_decimal(30, 1, out, sizeof out), "30,0");
    assert_string_equal(i18n_decimal(43.8249, 2, out, sizeof out), "43,82");
    assert_string_equal(i18n_numbers_in(s, out, sizeof out),
                        "Shipments: 28, 1\u00a0670\u00a0440 t, US$ 416\u00a0603\u00a0000,00; "
                        "+30,7% on 2024-10-12 at 127.0.0.1, KZ-19, HS 1001, v1.2");
    i18n_set("en");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_in_text), cmocka_unit_test(test_tags),
        cmocka_unit_test(test_accept_language),
        cmocka_unit_test(test_translations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
