/* test_report.c — unit tests for report/: the CSV, JSON and text renderings
 * of one table agree, money is exact, missing values stay empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"

static struct table *sample(void)
{
    struct table *t = table_new("demo", "Demo table");
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "value_usd", COL_MONEY, NULL, 0);
    table_col(t, "mass_t", COL_MASS, NULL, 0);
    table_col(t, "share_pct", COL_REAL, "%", 2);
    size_t r = table_add_row(t);
    table_set_int(t, r, 0, 2023);
    table_set_text(t, r, 1, "Wheat, \"durum\"");
    table_set_int(t, r, 2, 3150000000005LL);
    table_set_int(t, r, 3, 6000000000LL); /* 6,000 t in grams */
    table_set_real(t, r, 4, 49.5122);
    r = table_add_row(t);
    table_set_int(t, r, 0, 2024);
    table_set_int(t, r, 2, -5);
    table_set_real(t, r, 4, -0.001);
    table_note(t, "Source: %s", "test");
    return t;
}

static char *render(struct table *t, enum report_format f)
{
    char *out = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&out, &n);
    assert_int_equal(report_render(m, t, f), 0);
    fclose(m);
    return out;
}

static void test_csv(void **state)
{
    (void)state;
    struct table *t = sample();
    char *s = render(t, FMT_CSV);
    assert_string_equal(s, "year,name,value_usd,mass_t,share_pct\n"
                           "2023,\"Wheat, \"\"durum\"\"\",31500000000.05,6000.000,49.51\n"
                           "2024,,-0.05,,0.00\n");
    free(s);
    table_free(t);
}

static void test_json(void **state)
{
    (void)state;
    struct table *t = sample();
    char *s = render(t, FMT_JSON);
    json_error_t je;
    json_t *o = json_loads(s, 0, &je);
    assert_non_null(o);
    json_t *row = json_array_get(json_object_get(o, "rows"), 0);
    assert_int_equal(json_integer_value(json_object_get(row, "year")), 2023);
    /* money and mass exactly, as decimal strings */
    assert_string_equal(json_string_value(json_object_get(row, "value_usd")), "31500000000.05");
    assert_string_equal(json_string_value(json_object_get(row, "mass_t")), "6000.000");
    assert_true(fabs(json_real_value(json_object_get(row, "share_pct")) - 49.51) < 1e-9);
    json_t *row2 = json_array_get(json_object_get(o, "rows"), 1);
    assert_true(json_is_null(json_object_get(row2, "name")));
    json_t *col = json_array_get(json_object_get(o, "columns"), 2);
    assert_string_equal(json_string_value(json_object_get(col, "type")), "money");
    assert_string_equal(json_string_value(json_object_get(col, "unit")), "USD");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "notes"), 0)),
                        "Source: test");
    json_decref(o);
    free(s);
    table_free(t);
}

static void test_text(void **state)
{
    (void)state;
    struct table *t = sample();
    char *s = render(t, FMT_TEXT);
    assert_non_null(strstr(s, "Demo table\n\n"));
    /* labels with units for people (a name without a label stays as it is) */
    assert_non_null(strstr(s, "Year  Name                   Value, US$  mass_t, t  Share, %\n"));
    /* 6,000 t with no spurious decimals, right-aligned under "mass_t, t" */
    assert_non_null(strstr(s, "2023  Wheat, \"durum\"  31,500,000,000.05      6,000     49.51\n"));
    free(s);
    /* in Russian: the labels, and numbers with a no-break space and a comma */
    i18n_set("ru");
    s = render(t, FMT_TEXT);
    assert_non_null(strstr(s, "Год  Название"));
    assert_non_null(strstr(s, "31\u00a0500\u00a0000\u00a0000,05"));
    assert_non_null(strstr(s, "Доля, %"));
    i18n_set("en");
    assert_non_null(strstr(s, "\nSource: test\n"));
    free(s);
    table_free(t);
}

/* Text stored before it could be checked is shown with U+FFFD, never
 * dropped from the JSON. */
static void test_json_invalid_utf8(void **state)
{
    (void)state;
    struct table *t = table_new("t", "");
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_set_text(t, table_add_row(t), 0,
                   "Evil\xed\xa0\x80"
                   "Co");
    char *s = render(t, FMT_JSON);
    assert_non_null(strstr(s, "\"name\": \"Evil\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                              "Co\""));
    free(s);
    table_free(t);
    assert_false(str_valid_utf8("\xc0\xaf", 2));     /* overlong */
    assert_false(str_valid_utf8("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(str_valid_utf8("\xc2\x85", 2));     /* C1 control */
    assert_false(str_valid_utf8("\x7f", 1));
    assert_true(str_valid_utf8("\xd0\x90\xe9\xa3\x9f\xf0\x9f\x8c\xbe", 9));
}

static void test_formats_and_lookup(void **state)
{
    (void)state;
    enum report_format f;
    struct err e = {0};
    assert_int_equal(report_format_parse("JSON", &f, &e), 0);
    assert_int_equal(f, FMT_JSON);
    assert_int_equal(report_format_parse("xml", &f, &e), ERR_INPUT);
    assert_string_equal(e.field, "format");
    struct table *t = sample();
    assert_int_equal(table_find_col(t, "mass_t"), 3);
    assert_int_equal(table_find_col(t, "nope"), -1);
    table_free(t);
    table_free(NULL);
}

static void test_html_escaping_and_charts(void **state)
{
    (void)state;
    struct buf b = {0};
    html_esc(&b, "<script>a & 'b' \"c\"</script>");
    assert_string_equal(b.p, "&lt;script&gt;a &amp; &#39;b&#39; &quot;c&quot;&lt;/script&gt;");
    buf_reset(&b);
    html_printf(&b, "<td>%s</td><td>%d</td><td>%.1f%%</td>", "<b>", 42, 12.34);
    assert_string_equal(b.p, "<td>&lt;b&gt;</td><td>42</td><td>12.3%</td>");
    buf_reset(&b);
    double x[3] = {2021, 2022, 2023}, y[3] = {25, NAN, 41};
    struct chart c = {.id = "t",
                      .title = "Trade <both>",
                      .desc = "Trade by year",
                      .xlabel = "Year",
                      .ylabel = "US$ bn",
                      .n = 3,
                      .x = x,
                      .nseries = 1,
                      .highlight = -1};
    c.series[0].name = "China";
    c.series[0].v = y;
    svg_line(&b, &c);
    assert_non_null(strstr(b.p, "role=\"img\""));
    assert_non_null(strstr(b.p, "<title id=\"t-t\">Trade &lt;both&gt;</title>"));
    assert_non_null(strstr(b.p, "<desc id=\"t-d\">Trade by year</desc>"));
    assert_non_null(strstr(b.p, ">US$ bn</text>"));
    /* two points drawn, the missing year is a gap, not a zero */
    int circles = 0;
    for (const char *p = b.p; (p = strstr(p, "<circle")); p++)
        circles++;
    assert_int_equal(circles, 2);
    buf_reset(&b);
    svg_gauge(&b, "g", "Cap", "85% of the cap", 85);
    assert_non_null(strstr(b.p, "gvalue warn"));
    assert_non_null(strstr(b.p, ">85.0%</text>"));
    buf_free(&b);
}

/* Table cells on the dashboard: a code never wraps inside, a list of codes
 * breaks only after its commas, a status is shown in the reader's words. */
static void test_html_cells(void **state)
{
    (void)state;
    struct table *t = table_new("t", "Cells");
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "hs", COL_TEXT, NULL, 0);
    table_col(t, "status", COL_TEXT, NULL, 0);
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "flow_t", COL_REAL, "t", 0);
    table_col(t, "visitors", COL_INT, NULL, 0);
    table_col(t, "rule", COL_INT, NULL, 0);
    size_t r = table_add_row(t);
    table_set_int(t, r, 6, 123456);
    table_set_int(t, r, 3, 2024);
    table_set_real(t, r, 4, 13140000.4);
    table_set_int(t, r, 5, 9999);
    table_set_text(t, r, 0, "FCC-COFCO-WHEAT");
    table_set_text(t, r, 1, "1001,1003,<1205>");
    table_set_text(t, r, 2, "in force");
    struct buf b = {0};
    html_table(&b, t, NULL);
    assert_non_null(strstr(b.p, "<td class=\"tok\">FCC-COFCO-WHEAT</td>"));
    assert_non_null(strstr(b.p, "<td>1001,<wbr>1003,<wbr>&lt;1205&gt;</td>"));
    assert_non_null(strstr(b.p, "<td>in force</td>"));
    /* large numbers grouped, a year and four digits not */
    assert_non_null(strstr(b.p, ">2024</td>"));
    assert_non_null(strstr(b.p, "title=\"13140000\">13,140,000</td>"));
    assert_non_null(strstr(b.p, ">9999</td>"));
    assert_non_null(strstr(b.p, ">123456</td>")); /* a rule's number names it: not grouped */
    i18n_set("ru");
    buf_reset(&b);
    html_table(&b, t, NULL);
    assert_non_null(strstr(b.p, "<td class=\"tok\">действует</td>"));
    assert_non_null(strstr(b.p, ">13\u00a0140\u00a0000</td>"));
    i18n_set("en");
    buf_free(&b);
    table_free(t);
}

/* A gauge runs to 100%: past it the arc is full and an overflow mark says
 * so; below it there is none. */
static void test_gauge_to_100(void **state)
{
    (void)state;
    struct buf b = {0};
    svg_gauge(&b, "g", "cap", "cap used", 130);
    /* the value arc ends where the track does: (110 + 80, 125) */
    assert_non_null(strstr(b.p, "A80 80 0 0 1 190.0 125.0\"><title>130.0%</title>"));
    assert_non_null(strstr(b.p, "class=\"gover\""));
    assert_non_null(strstr(b.p, ">100%</text>"));
    buf_free(&b);
    svg_gauge(&b, "g", "cap", "cap used", 50);
    /* half way: the top of the arc, (110, 45) */
    assert_non_null(strstr(b.p, "A80 80 0 0 1 110.0 45.0\""));
    assert_null(strstr(b.p, "gover"));
    buf_free(&b);
}

/* A header much wider than its values is cut before any column is left
 * out, and gets back the room that is left: at 30 columns, "Year" (4) and a
 * 28-column header over one-digit values: 4 + 2 + 28 = 34 is cut to 18, then
 * 12 columns go back (24: 23 characters and "…"). */
static void test_text_cuts_headers_first(void **state)
{
    (void)state;
    struct table *t = table_new("t", "");
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "a_very_long_column_name_here", COL_INT, NULL, 0);
    size_t r = table_add_row(t);
    table_set_int(t, r, 0, 2024);
    table_set_int(t, r, 1, 1);
    report_text_width(30);
    char *s = render(t, FMT_TEXT);
    report_text_width(0);
    assert_non_null(strstr(s, "Year  a_very_long_column_name\u2026\n"));
    assert_non_null(strstr(s, "2024"
                              "  "
                              "                       "
                              "1\n")); /* gap, 23 of pad */
    assert_null(strstr(s, "Left out"));
    free(s);
    table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_formats_and_lookup),
        cmocka_unit_test(test_json_invalid_utf8),
        cmocka_unit_test(test_html_escaping_and_charts),
        cmocka_unit_test(test_gauge_to_100),
        cmocka_unit_test(test_html_cells),
        cmocka_unit_test(test_text_cuts_headers_first),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
