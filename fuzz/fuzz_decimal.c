/* fuzz_decimal.c — libFuzzer target: exact decimal parsing never crashes,
 * and what it accepts survives a round trip through dec_format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64) return 0;
    char s[65];
    memcpy(s, data, size);
    s[size] = 0;
    static const int scales[] = {0, 2, 3, 6};
    for (size_t k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        struct err e = {0};
        int64_t v, w;
        if (dec_parse(s, scales[k], &v, &e) != 0) continue;
        char out[48];
        dec_format(v, scales[k], out, sizeof out);
        if (dec_parse(out, scales[k], &w, &e) != 0 || w != v) __builtin_trap();
    }
    return 0;
}
