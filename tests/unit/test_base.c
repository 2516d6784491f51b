/* test_base.c — unit tests for base/: exact decimals, the CSV reader's line
 * numbers and refusals, the capped buffer and the string helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/base.h"

static void dec_ok(const char *s, int scale, int64_t want)
{
    struct err e = {0};
    int64_t v = -12345;
    assert_int_equal(dec_parse(s, scale, &v, &e), 0);
    assert_int_equal(v, want);
}

static void dec_bad(const char *s, int scale, const char *msg_part)
{
    struct err e = {0};
    int64_t v;
    assert_int_equal(dec_parse(s, scale, &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, msg_part));
}

static void test_decimal_parse(void **state)
{
    (void)state;
    dec_ok("31500000000", 2, 3150000000000LL);
    dec_ok("1000.50", 2, 100050);
    dec_ok("-0.05", 2, -5);
    dec_ok(" 12 ", 2, 1200);
    dec_ok("1.2345E+3", 2, 123450);
    dec_ok("1e-2", 2, 1);
    dec_ok("0.005", 2, 1); /* half away from zero */
    dec_ok("-0.005", 2, -1);
    dec_ok("0.0049", 2, 0);
    dec_ok("5000.5", 3, 5000500); /* kg at scale 3 = grams */
    dec_ok("+7", 0, 7);
    dec_ok("00012.10", 2, 1210);
    dec_ok("92233720368547758.07", 2, INT64_MAX);
    dec_bad("92233720368547758.08", 2, "out of range");
    dec_bad("1.2.3", 2, "not a number");
    dec_bad("", 2, "not a number");
    dec_bad("12x", 2, "not a number");
    dec_bad("1e", 2, "bad exponent");
    dec_bad("1e999", 2, "out of range");
    dec_bad("NaN", 2, "not a number");
}

static void test_decimal_format(void **state)
{
    (void)state;
    char b[48];
    assert_string_equal(dec_format(100050, 2, b, sizeof b), "1000.50");
    assert_string_equal(dec_format(-5, 2, b, sizeof b), "-0.05");
    assert_string_equal(dec_format(0, 2, b, sizeof b), "0.00");
    assert_string_equal(dec_format_grouped(3150000000000LL, 2, b, sizeof b), "31,500,000,000.00");
    assert_string_equal(dec_format_grouped(-99999, 2, b, sizeof b), "-999.99");
    assert_string_equal(dec_format_grouped(123456, 0, b, sizeof b), "123,456");
}

/* Tonnes for people carry no trailing zeros; files keep three decimals. */
static void test_mass_for_people(void **state)
{
    (void)state;
    char b[48];
    assert_string_equal(mass_format_t(INT64_C(2000000000000), 1, b, sizeof b), "2,000,000");
    assert_string_equal(mass_format_t(12500000, 1, b, sizeof b), "12.5");
    assert_string_equal(mass_format_t(250000, 1, b, sizeof b), "0.25");
    assert_string_equal(mass_format_t(1000, 1, b, sizeof b), "0.001");
    assert_string_equal(mass_format_t(1234567, 1, b, sizeof b), "1.235"); /* to the kilogram */
    assert_string_equal(mass_format_t(400, 1, b, sizeof b), "0");
    assert_string_equal(mass_format_t(-5000000, 1, b, sizeof b), "-5");
    assert_string_equal(mass_format_t(12500000, 0, b, sizeof b), "12.500");
    /* at the limit: no overflow while rounding (9,223,372,036,854,775.807 kg) */
    assert_string_equal(mass_format_t(INT64_MAX, 1, b, sizeof b), "9,223,372,036,854.776");
    assert_string_equal(mass_format_t(INT64_MIN, 1, b, sizeof b), "-9,223,372,036,854.776");
}

static void test_int_parse(void **state)
{
    (void)state;
    struct err e = {0};
    long v;
    assert_int_equal(int_parse("2023", 1900, 2200, &v, &e), 0);
    assert_int_equal(v, 2023);
    assert_int_equal(int_parse("2023.5", 1900, 2200, &v, &e), ERR_INPUT);
    assert_int_equal(int_parse("1800", 1900, 2200, &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "out of range 1900..2200"));
}

struct rows {
    int n;
    long lines[16];
    char first[16][64];
    size_t nf[16];
};

static int collect(const struct csv_row *r, void *ctx, struct err *e)
{
    (void)e;
    struct rows *rs = ctx;
    if (rs->n < 16) {
        rs->lines[rs->n] = r->line;
        rs->nf[rs->n] = r->nfields;
        str_copy(rs->first[rs->n], r->nfields > 1 ? r->fields[1] : r->fields[0], 64);
    }
    rs->n++;
    return 0;
}

static void test_csv_lines_bom_crlf_quotes(void **state)
{
    (void)state;
    const char data[] = "\xEF\xBB\xBF"
                        "a,b\r\n"
                        "1,\"x, \"\"y\"\"\"\r\n"
                        "\r\n"
                        "2,\"multi\nline\"\n"
                        "3,last";
    struct rows rs = {0};
    struct err e = {0};
    assert_int_equal(csv_read_mem(data, sizeof data - 1, NULL, collect, &rs, &e), 0);
    assert_int_equal(rs.n, 4);
    assert_string_equal(rs.first[0], "b");
    assert_string_equal(rs.first[1], "x, \"y\"");
    assert_int_equal(rs.lines[1], 2);
    assert_string_equal(rs.first[2], "multi\nline");
    assert_int_equal(rs.lines[2], 4);
    assert_int_equal(rs.lines[3], 6);
    assert_string_equal(rs.first[3], "last");
}

static void test_csv_refusals(void **state)
{
    (void)state;
    struct rows rs = {0};
    struct err e = {0};
    const char nul[] = "a,b\n1,2\n3,\0\n";
    assert_int_equal(csv_read_mem(nul, sizeof nul - 1, NULL, collect, &rs, &e), ERR_INPUT);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "NUL byte"));

    err_clear(&e);
    const char quote[] = "a,b\n1,\"open\n";
    assert_int_equal(csv_read_mem(quote, sizeof quote - 1, NULL, collect, &rs, &e), ERR_INPUT);
    assert_int_equal(e.line, 2);
    assert_non_null(strstr(e.msg, "unterminated"));

    err_clear(&e);
    assert_int_equal(csv_read_mem("", 0, NULL, collect, &rs, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "empty file"));

    err_clear(&e);
    struct csv_opts o = {.max_row_bytes = 16, .max_fields = 3};
    const char wide[] = "a,b,c,d\n";
    assert_int_equal(csv_read_mem(wide, sizeof wide - 1, &o, collect, &rs, &e), ERR_LIMIT);
    assert_non_null(strstr(e.msg, "more than 3 fields"));
    err_clear(&e);
    const char longrow[] = "a,b\n0123456789,0123456789\n";
    assert_int_equal(csv_read_mem(longrow, sizeof longrow - 1, &o, collect, &rs, &e), ERR_LIMIT);
    assert_int_equal(e.line, 2);
}

static void test_csv_find(void **state)
{
    (void)state;
    char *f[] = {"refYear", " flowCode ", "CIFValue"};
    size_t l[] = {7, 10, 8};
    struct csv_row h = {f, l, 3, 1};
    assert_int_equal(csv_find(&h, "refyear"), 0);
    assert_int_equal(csv_find(&h, "flowCode"), 1);
    assert_int_equal(csv_find(&h, "cifvalue"), 2);
    assert_int_equal(csv_find(&h, "flow"), -1);
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct buf b = {.max = 8};
    assert_int_equal(buf_puts(&b, "1234"), 0);
    assert_int_equal(buf_printf(&b, "%d", 567), 0);
    assert_string_equal(b.p, "1234567");
    assert_int_equal(buf_puts(&b, "8"), ERR_LIMIT);
    assert_string_equal(b.p, "1234567");
    buf_free(&b);
    buf_free(NULL);
}

static void test_strings(void **state)
{
    (void)state;
    assert_true(str_ieq("KaZ", "kaz"));
    assert_false(str_ieq("KAZ", "KAZA"));
    assert_int_equal(str_distance("KZX", "KAZ"), 2);
    assert_int_equal(str_distance("Kazakstan", "Kazakhstan"), 1);
    assert_true(str_valid_utf8("Türkiye", strlen("Türkiye")));
    assert_false(str_valid_utf8("\xff\xfe", 2));
    assert_false(str_valid_utf8("a\x01", 2));
    char s[] = "  x y \r\n";
    assert_string_equal(str_trim(s), "x y");
}

static void test_err_table(void **state)
{
    (void)state;
    assert_int_equal(err_exit_status(ERR_REFUSED), 1);
    assert_int_equal(err_exit_status(ERR_USAGE), 2);
    assert_int_equal(err_http_status(ERR_NOTFOUND), 404);
    assert_int_equal(err_http_status(ERR_LIMIT), 413);
    assert_string_equal(err_code_name(ERR_INPUT), "invalid_input");
}

/* Times typed in a crossing's zone, to UTC and back. The expected values
 * were worked out by hand from the zones' rules and agree with the tz
 * database (Python's zoneinfo gives the same UTC times). */
static void test_time_zones(void **state)
{
    (void)state;
    char n[32], u[17], l[48];
    struct err e = {0};
    assert_int_equal(timestamp_norm("2024-10-20 13:00", n, sizeof n), 0);
    assert_string_equal(n, "2024-10-20T13:00");
    assert_int_equal(timestamp_norm("2024-10-20T13:00:59Z", n, sizeof n), 0);
    assert_string_equal(n, "2024-10-20T13:00Z");
    assert_int_equal(timestamp_norm("2024-10-20T13:00+05:00", n, sizeof n), 0);
    assert_string_equal(n, "2024-10-20T13:00+05:00");
    assert_int_equal(timestamp_norm("2024-10-20T13:00+5", n, sizeof n), ERR_INPUT);
    assert_int_equal(timestamp_norm("2024-10-20T13:00+15:00", n, sizeof n), ERR_INPUT);
    assert_int_equal(timestamp_norm("2024-10-20T13:00Z+05:00", n, sizeof n), ERR_INPUT);
    /* offsets the world uses: to +14:00, in quarter hours */
    assert_int_equal(timestamp_norm("2024-10-20T13:00+14:59", n, sizeof n), ERR_INPUT);
    assert_int_equal(timestamp_norm("2024-10-20T13:00+05:07", n, sizeof n), ERR_INPUT);
    assert_int_equal(timestamp_norm("2024-10-20T13:00+05:45", n, sizeof n), 0);
    static const struct {
        const char *in, *zone, *utc;
    } ok[] = {
        {"2024-01-15T13:00", "Asia/Almaty", "2024-01-15T07:00"},   /* UTC+6 */
        {"2024-10-20T13:00", "Asia/Almaty", "2024-10-20T08:00"},   /* UTC+5 */
        {"2024-02-29T22:59", "Asia/Almaty", "2024-02-29T16:59"},   /* last minute of +6 only */
        {"2024-03-01T00:30", "Asia/Almaty", "2024-02-29T19:30"},   /* only +5 fits */
        {"2024-10-20T13:00", "Asia/Urumqi", "2024-10-20T07:00"},
        {"2024-10-20T01:00", "Asia/Shanghai", "2024-10-19T17:00"}, /* back a day */
        {"2024-10-20T13:00Z", "Asia/Shanghai", "2024-10-20T13:00"},
        {"2024-10-20T01:00+08:00", "UTC", "2024-10-19T17:00"},
        {"2024-12-31T23:30-02:00", "Asia/Almaty", "2025-01-01T01:30"}, /* on a year */
        {"2004-06-01T10:00", "UTC", "2004-06-01T10:00"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(timestamp_utc(ok[i].in, ok[i].zone, u, &e), 0);
        assert_string_equal(u, ok[i].utc);
    }
    /* 23:30 on 29 February 2024 happened twice in Almaty, at 17:30 and 18:30 UTC */
    assert_int_equal(timestamp_utc("2024-02-29T23:30", "Asia/Almaty", u, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "happened twice"));
    /* an offset may not carry a time out of the years corridor stores */
    assert_int_equal(timestamp_norm("2200-12-31T23:59-14:00", n, sizeof n), 0);
    assert_int_equal(timestamp_utc(n, "UTC", u, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "2201-01-01T13:59 in UTC, outside the years 1900 to 2200"));
    assert_int_equal(timestamp_utc("2004-06-01T10:00", "Asia/Almaty", u, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "before 2005"));
    timestamp_local("2024-02-29T17:59", "Asia/Almaty", l, sizeof l);
    assert_string_equal(l, "2024-02-29 23:59 UTC+6");
    timestamp_local("2024-02-29T18:00", "Asia/Almaty", l, sizeof l);
    assert_string_equal(l, "2024-02-29 23:00 UTC+5");
    timestamp_local("2024-12-31T20:00", "Asia/Shanghai", l, sizeof l);
    assert_string_equal(l, "2025-01-01 04:00 UTC+8");
    timestamp_local("2024-01-01T00:00", "UTC", l, sizeof l);
    assert_string_equal(l, "2024-01-01 00:00 UTC");
    assert_true(zone_known("Asia/Urumqi") && !zone_known("Asia/Tokyo") && !zone_known(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_parse), cmocka_unit_test(test_decimal_format),
        cmocka_unit_test(test_int_parse),     cmocka_unit_test(test_csv_lines_bom_crlf_quotes),
        cmocka_unit_test(test_csv_refusals),  cmocka_unit_test(test_csv_find),
        cmocka_unit_test(test_buf_cap),       cmocka_unit_test(test_strings),
        cmocka_unit_test(test_err_table),     cmocka_unit_test(test_time_zones),
        cmocka_unit_test(test_mass_for_people),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
