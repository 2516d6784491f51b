/* fuzz_xlsx.c — libFuzzer target: the .xlsx reader over arbitrary sheet and
 * shared-strings XML (the input, split at its first NUL byte), packed into a
 * real archive with libzip, and the AEI amount and share parsers over every
 * cell it yields. Each must read or refuse with a reason, never crash, leak
 * or hang. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "base/base.h"
#include "invest/invest.h"

static int row(const struct csv_row *r, void *ctx, struct err *e)
{
    (void)ctx;
    for (size_t i = 0; i < r->nfields; i++) {
        struct err x = {0};
        int64_t v;
        int has;
        if (inv_parse_aei_millions(r->fields[i], (int)(i & 1), &v, &x) && !x.msg[0])
            __builtin_trap();
        if (inv_parse_share(r->fields[i], &v, &has, &x) && !x.msg[0]) __builtin_trap();
    }
    (void)e;
    return 0;
}

static const char wb[] =
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"Dataset 1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";
static const char rels[] =
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, 0, size);
    size_t ns = nul ? (size_t)(nul - (const char *)data) : size;
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz-xlsx-%d.xlsx", (int)getpid());
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    if (!z) return 0;
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"};
    const void *parts[] = {wb, rels, data, nul ? nul + 1 : ""};
    size_t lens[] = {sizeof wb - 1, sizeof rels - 1, ns, nul ? size - ns - 1 : 0};
    for (int i = 0; i < 4; i++)
        zip_file_add(z, names[i], zip_source_buffer(z, parts[i], lens[i], 0), ZIP_FL_OVERWRITE);
    if (zip_close(z) != 0) {
        zip_discard(z);
        return 0;
    }
    struct csv_src src = {.path = path};
    struct xlsx *x = NULL;
    struct err e = {0};
    int rc = xlsx_open(&src, &x, &e);
    if (!rc) rc = xlsx_read_sheet(x, 0, 4096, row, NULL, &e);
    if (rc && !e.msg[0]) __builtin_trap(); /* every refusal says why */
    xlsx_close(x);
    unlink(path);
    return 0;
}
