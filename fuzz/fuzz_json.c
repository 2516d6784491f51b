/* fuzz_json.c — libFuzzer target: in any object jansson accepts, the raw
 * value spans line up with jansson's members one to one, and a number's
 * text read exactly as money never disagrees with its sign or crashes. And
 * the streaming record reader never accepts what jansson refuses, and when
 * it accepts, hands over as many records as jansson's array holds. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static int count_record(const struct jrec *r, void *ctx, struct err *e)
{
    (void)r, (void)e;
    ++*(size_t *)ctx;
    return 0;
}

static int to_buf(const char *p, size_t n, void *ctx, struct err *e)
{
    (void)e;
    return buf_append(ctx, p, n);
}

/* The record reader against jansson, on the text as the importer sees it
 * (decoded to UTF-8). */
static void records_vs_jansson(const uint8_t *data, size_t size)
{
    static const char *const arrays[] = {"data", "dataset", NULL};
    struct buf text = {0};
    struct err e = {0};
    struct csv_src src = {.data = (const char *)data, .len = size};
    struct input_opts io = {.encoding = INPUT_AUTO};
    if (input_read(&src, &io, to_buf, &text, &e) || !text.p) {
        buf_free(&text);
        return;
    }
    size_t n = 0;
    struct jrec_reader *r;
    struct jrec_opts o = {.arrays = arrays};
    int rc = jrec_begin(&r, &o, count_record, &n, &e);
    if (!rc) rc = jrec_push(r, text.p, text.len);
    rc = jrec_end(r, rc);
    if (rc == 0) {
        json_error_t je;
        json_t *j = json_loadb(text.p, text.len, 0, &je);
        /* jansson refuses numbers past a double or an int64; the reader
         * keeps their digits, which is its point */
        if (!j && (strstr(je.text, "overflow") || strstr(je.text, "too big"))) {
            buf_free(&text);
            return;
        }
        if (!j) __builtin_trap(); /* accepted what is not JSON */
        json_t *a = json_is_array(j) ? j : json_object_get(j, "data");
        if (!json_is_array(a)) a = json_object_get(j, "dataset");
        if (!json_is_array(a) || json_array_size(a) != n) __builtin_trap();
        json_decref(j);
    }
    buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    records_vs_jansson(data, size);
    json_error_t je;
    json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!o) return 0;
    if (!json_is_object(o)) {
        json_decref(o);
        return 0;
    }
    char *raw[64] = {0};
    int n = json_raw_values((const char *)data, size, raw, 64);
    if (memchr(data, 0, size)) { /* jansson skips a NUL; the scanner refuses it */
        if (n != -1) __builtin_trap();
        json_decref(o);
        return 0;
    }
    if (n != (int)json_object_size(o)) __builtin_trap();
    const char *key;
    json_t *v;
    int i = 0;
    json_object_foreach(o, key, v)
    {
        if (i < 64 && json_is_number(v)) {
            /* the digits, read exactly, agree with jansson's double to its precision */
            struct err e = {0};
            int64_t cents;
            double d = json_number_value(v);
            if (dec_parse(raw[i], 2, &cents, &e) == 0 &&
                fabs((double)cents / 100 - d) > 0.006 + fabs(d) * 1e-12)
                __builtin_trap();
        }
        i++;
    }
    for (int k = 0; k < n && k < 64; k++)
        free(raw[k]);
    json_decref(o);
    return 0;
}
