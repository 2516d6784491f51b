/* fuzz_csv.c — libFuzzer target: the CSV reader over arbitrary bytes must
 * either read rows or refuse with a located error, never crash or leak. */
#include <stdint.h>
#include <string.h>

#include "base/base.h"

static int row(const struct csv_row *r, void *ctx, struct err *e)
{
    (void)e;
    size_t *n = ctx;
    for (size_t i = 0; i < r->nfields; i++) *n += strlen(r->fields[i]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = {0};
    size_t n = 0;
    struct csv_opts o = {.max_row_bytes = 4096, .max_fields = 64};
    int rc = csv_read_mem((const char *)data, size, &o, row, &n, &e);
    if (rc && !e.msg[0]) __builtin_trap(); /* every refusal says why */
    return 0;
}
