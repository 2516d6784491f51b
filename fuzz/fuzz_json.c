/* fuzz_json.c — libFuzzer target: in any object jansson accepts, the raw
 * value spans line up with jansson's members one to one, and a number's
 * text read exactly as money never disagrees with its sign or crashes. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
