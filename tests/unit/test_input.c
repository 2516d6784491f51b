/* test_input.c — unit tests for the bytes under every reader: encodings
 * told and converted (also when a chunk boundary cuts a character), UTF-16
 * refused, the CSV separator told from the first line, and the streaming
 * JSON record reader: records, exact numbers, escapes, what surrounds the
 * records, and every refusal with its line and column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#include <zlib.h>

/* ---- input ---- */

struct sink {
    struct buf b;
    int calls;
};

static int collect(const char *p, size_t n, void *ctx, struct err *e)
{
    (void)e;
    struct sink *s = ctx;
    s->calls++;
    return buf_append(&s->b, p, n);
}

/* Reads data (in memory) with auto encoding; returns rc, fills out. */
static int read_auto(const char *data, size_t len, struct sink *s, struct input_info *info,
                     struct err *e)
{
    memset(s, 0, sizeof *s);
    struct csv_src src = {.data = data, .len = len, .label = "t"};
    struct input_opts o = {.encoding = INPUT_AUTO, .info = info};
    return input_read(&src, &o, collect, s, e);
}

static void test_encodings(void **state)
{
    (void)state;
    struct sink s;
    struct input_info info = {0};
    struct err e = {0};
    /* Windows-1252: é, €, ü become UTF-8 */
    assert_int_equal(read_auto("Caf\xe9 \x80 T\xfcrkiye", 14, &s, &info, &e), 0);
    assert_string_equal(s.b.p, "Caf\xc3\xa9 \xe2\x82\xac T\xc3\xbcrkiye");
    assert_string_equal(info.encoding, "Windows-1252");
    buf_free(&s.b);
    /* UTF-8 passes through; a BOM is dropped */
    assert_int_equal(read_auto("\xef\xbb\xbf"
                               "Caf\xc3\xa9",
                               8, &s, &info, &e),
                     0);
    assert_string_equal(s.b.p, "Caf\xc3\xa9");
    assert_string_equal(info.encoding, "UTF-8 with BOM");
    buf_free(&s.b);
    assert_int_equal(read_auto("plain", 5, &s, &info, &e), 0);
    assert_string_equal(info.encoding, "ASCII");
    buf_free(&s.b);
    /* UTF-8 then a Latin-1 byte: refused, never guessed; the line named */
    assert_int_equal(read_auto("a\xc3\xa9\nb\nc\xe9", 8, &s, &info, &e), ERR_INPUT);
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "mixed encodings"));
    buf_free(&s.b);
    /* UTF-16 with its byte order mark */
    assert_int_equal(read_auto("\xff\xfes\0o\0", 6, &s, &info, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "UTF-16"));
    buf_free(&s.b);
}

/* A character cut by the boundary of gzip's output chunks arrives whole. */
static void test_cut_character(void **state)
{
    (void)state;
    size_t n = 256 * 1024 + 7;
    char *text = malloc(n + 1);
    memset(text, 'a', n);
    /* a two-byte character across the 256 KiB boundary */
    text[256 * 1024 - 1] = '\xc3';
    text[256 * 1024] = '\xa9';
    text[n] = 0;
    struct sink s;
    struct input_info info = {0};
    struct err e = {0};
    assert_int_equal(read_auto(text, n, &s, &info, &e), 0);
    assert_int_equal(s.b.len, n);
    assert_memory_equal(s.b.p, text, n);
    assert_string_equal(info.encoding, "UTF-8");
    assert_true(s.calls >= 2);
    buf_free(&s.b);
    /* the same text cut after its lead byte, at the very end: not UTF-8,
     * and UTF-8 came before, so refused */
    text[n - 1] = '\xc3';
    assert_int_equal(read_auto(text, n, &s, &info, &e), ERR_INPUT);
    buf_free(&s.b);
    free(text);
}

/* One gzip member holding n copies of c, appended to b. */
static void gzip_member(struct buf *b, char c, size_t n)
{
    char *plain = malloc(n);
    memset(plain, c, n);
    z_stream zs = {0};
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, n);
    unsigned char *out = malloc(cap);
    zs.next_in = (unsigned char *)plain, zs.avail_in = (uInt)n;
    zs.next_out = out, zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    buf_append(b, out, cap - zs.avail_out);
    deflateEnd(&zs);
    free(out);
    free(plain);
}

/* The cap on inflated bytes holds over all members, not each one; bytes
 * after the last member are refused; a member cut short too. */
static void test_gzip_members(void **state)
{
    (void)state;
    struct buf gz = {0};
    for (int i = 0; i < 4; i++)
        gzip_member(&gz, ' ', 600 * 1024);
    struct sink s = {0};
    struct err e = {0};
    struct csv_src src = {.data = gz.p, .len = gz.len, .max_inflated = 2 << 20};
    struct input_opts o = {0};
    assert_int_equal(input_read(&src, &o, collect, &s, &e), ERR_LIMIT); /* 2.4 MB > 2 MB */
    buf_free(&s.b);
    src.max_inflated = 3 << 20;
    memset(&s, 0, sizeof s);
    assert_int_equal(input_read(&src, &o, collect, &s, &e), 0);
    assert_int_equal(s.b.len, 4 * 600 * 1024);
    buf_free(&s.b);
    buf_append(&gz, "tail", 4); /* not another member */
    src = (struct csv_src){.data = gz.p, .len = gz.len};
    memset(&s, 0, sizeof s);
    assert_int_equal(input_read(&src, &o, collect, &s, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "followed by bytes that are not gzip"));
    buf_free(&s.b);
    src.len = gz.len - 4 - 10; /* the last member without its trailer */
    memset(&s, 0, sizeof s);
    assert_int_equal(input_read(&src, &o, collect, &s, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "cut short"));
    buf_free(&s.b);
    buf_free(&gz);
}

static void test_zip_and_cyrillic(void **state)
{
    (void)state;
    struct sink s;
    struct input_info info = {0};
    struct err e = {0};
    assert_int_equal(read_auto("PK\x03\x04rest", 8, &s, &info, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "ZIP archive"));
    buf_free(&s.b);
    /* Windows-1251: runs of high bytes are Russian words */
    assert_int_equal(read_auto("\xcc\xee\xf1\xea\xe2\xe0;1", 8, &s, &info, &e), 0);
    assert_string_equal(s.b.p, "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0;1"); /* Москва */
    assert_string_equal(info.encoding, "Windows-1251");
    buf_free(&s.b);
}

/* ---- CSV separators ---- */

struct rows {
    int n;
    char first[4][32];
    size_t nf;
};

static int on_row(const struct csv_row *r, void *ctx, struct err *e)
{
    (void)e;
    struct rows *x = ctx;
    if (x->n < 4) str_copy(x->first[x->n], r->fields[r->nfields - 1], sizeof x->first[0]);
    x->nf = r->nfields;
    x->n++;
    return 0;
}

static void sniffed(const char *text, char delim, size_t nf, const char *last)
{
    struct rows x = {0};
    struct input_info info = {0};
    struct csv_opts o = {.sniff = 1, .info = &info};
    struct err e = {0};
    assert_int_equal(csv_read_mem(text, strlen(text), &o, on_row, &x, &e), 0);
    assert_int_equal(info.delim, delim);
    assert_int_equal(x.nf, nf);
    assert_string_equal(x.first[1], last);
}

static void test_separators(void **state)
{
    (void)state;
    sniffed("a,b,c\n1,2,3\n", ',', 3, "3");
    sniffed("a\tb\tc\n1\t2\t3 \"quoted\" text\n", '\t', 3, "3 \"quoted\" text");
    sniffed("a;b;c\n1;2,5;3\n", ';', 3, "3");
    sniffed("\"a,1\"\t\"b\"\n\"x\"\t\"y\"\n", '\t', 2, "y");
    /* a first line longer than the row limit is refused, not held */
    struct csv_opts o = {.sniff = 1, .max_row_bytes = 8};
    struct rows x = {0};
    struct err e = {0};
    assert_int_equal(csv_read_mem("aaaaaaaaaaaaaaaa,b\n", 19, &o, on_row, &x, &e), ERR_LIMIT);
}

/* ---- JSON records ---- */

struct recs {
    int n;
    char dump[2048];
    char meta[512];
};

static int on_rec(const struct jrec *r, void *ctx, struct err *e)
{
    (void)e;
    struct recs *x = ctx;
    size_t o = strlen(x->dump);
    o += (size_t)snprintf(x->dump + o, sizeof x->dump - o, "#%llu@%ld",
                          (unsigned long long)r->index, r->line);
    for (size_t i = 0; i < r->n; i++)
        o += (size_t)snprintf(x->dump + o, sizeof x->dump - o, " %s=%s/%d", r->keys[i], r->vals[i],
                              r->kinds[i]);
    snprintf(x->dump + o, sizeof x->dump - o, ";");
    x->n++;
    return 0;
}

static int on_meta(const char *path, const char *val, int kind, void *ctx, struct err *e)
{
    (void)e;
    struct recs *x = ctx;
    size_t o = strlen(x->meta);
    snprintf(x->meta + o, sizeof x->meta - o, "%s=%s/%d;", path, val, kind);
    return 0;
}

static const char *const arrays[] = {"data", "dataset", NULL};

/* Feeds text in pieces of step bytes; returns rc. */
static int parse(const char *text, size_t step, struct recs *x, struct err *e)
{
    memset(x, 0, sizeof *x);
    struct jrec_reader *r;
    struct jrec_opts o = {.label = "t.json", .arrays = arrays, .meta = on_meta};
    int rc = jrec_begin(&r, &o, on_rec, x, e);
    size_t n = strlen(text);
    for (size_t i = 0; !rc && i < n; i += step)
        rc = jrec_push(r, text + i, n - i < step ? n - i : step);
    return jrec_end(r, rc);
}

static void test_json_records(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"elapsedTime\": \"0.2 secs\", \"count\": 2,\n"
        " \"data\": [\n"
        "  {\"v\": 12345678901234.57, \"s\": \"C\\u00f4te \\\"d\\\" \\ud83d\\ude00\", \"n\": null,"
        " \"b\": true, \"e\": -1.5E+3},\n"
        "  {\"v\": 0, \"s\": \"\", \"nested\": {\"x\": 1}}\n"
        " ],\n"
        " \"validation\": {\"status\": {\"name\": \"Ok\"}}, \"error\": \"\"}\n";
    struct recs x;
    struct err e = {0};
    /* the same records whatever the pieces the bytes come in */
    size_t steps[] = {1, 3, 7, sizeof doc};
    for (size_t k = 0; k < 4; k++) {
        int rc = parse(doc, steps[k], &x, &e);
        /* the second record holds an object: refused */
        assert_int_equal(rc, ERR_INPUT);
        assert_int_equal(x.n, 1);
        assert_string_equal(x.dump, "#1@3 v=12345678901234.57/1 s=C\xc3\xb4te \"d\" "
                                    "\xf0\x9f\x98\x80/0 n=/2 b=true/3 e=-1.5E+3/1;");
        assert_int_equal(e.line, 4);
        assert_non_null(strstr(e.msg, "'nested'"));
    }
    static const char ok[] =
        "{\"count\": 1, \"data\": [{\"a\": 1}], \"validation\": {\"status\":"
        " {\"name\": \"Ok\", \"value\": 0}}, \"list\": [1, [2]], \"error\": \"\"}";
    assert_int_equal(parse(ok, 5, &x, &e), 0);
    assert_string_equal(x.dump, "#1@1 a=1/1;");
    assert_string_equal(x.meta, "count=1/1;validation.status.name=Ok/0;validation.status.value=0/1;"
                                "error=/0;");
    /* a bare array of records */
    assert_int_equal(parse("[{\"a\": \"x\"}, {\"a\": \"y\"}]", 2, &x, &e), 0);
    assert_int_equal(x.n, 2);
}

static void json_bad(const char *text, const char *msg_part, long line, int col)
{
    struct recs x;
    struct err e = {0};
    assert_int_equal(parse(text, 2, &x, &e), ERR_INPUT);
    if (!strstr(e.msg, msg_part)) fail_msg("'%s': got '%s'", text, e.msg);
    assert_int_equal(e.line, line);
    if (col >= 0 && e.column != col) fail_msg("%s: column %d, not %d", text, e.column, col);
}

static void test_json_refusals(void **state)
{
    (void)state;
    json_bad("", "empty", 1, -1);
    json_bad("{\"data\": [{\"a\": 1}]", "ends before", 1, -1);
    json_bad("{\"data\": [{\"a\": 01}]}", "not a JSON number", 1, 17);
    json_bad("{\"data\": [{\"a\": 1.}]}", "not a JSON number", 1, 17);
    json_bad("{\"data\": [{\"a\": tru}]}", "not a JSON value", 1, 17);
    json_bad("{\"data\": [{\"a\": 1,}]}", "a key", 1, 19);
    json_bad("{\"data\": [{\"a\": \"x\ny\"}]}", "control character", 1, 19);
    json_bad("{\"data\": [{\"a\": \"\\x\"}]}", "escape", 1, 19);
    json_bad("{\"data\": [{\"a\": \"\\ud800\"}]}", "surrogate", 1, 24);
    json_bad("{\"data\": [{\"a\": \"\\u0000\"}]}", "NUL", 1, 23);
    json_bad("{\"data\": [{\"a\": 1, \"a\": 2}]}", "twice", 1, 25);
    json_bad("{\"data\": [1]}", "not an object", 1, 11);
    json_bad("{\"data\": [{\"a\": 1}]} x", "after the end", 1, 22);
    json_bad("{\"other\": [{\"a\": 1}]}", "no array of records", 1, -1);
    json_bad("{\"data\": [{\"a\": 1}], \"data\": []}", "second array", 1, 30);
    json_bad("\"just text\"", "starts with", 1, 1);
    json_bad("{\"data\": [{\"a\": 1}]]", "closes nothing", 1, 20);
    char deep[200] = "{\"x\": ";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    json_bad(deep, "nested more than 64", 1, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),     cmocka_unit_test(test_cut_character),
        cmocka_unit_test(test_gzip_members),  cmocka_unit_test(test_zip_and_cyrillic),
        cmocka_unit_test(test_separators),    cmocka_unit_test(test_json_records),
        cmocka_unit_test(test_json_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
