/* test_invest.c — unit tests for the investment area's rules that need no
 * database (the stage machine, the trackers' amounts and shares, the sector
 * mapping) and for the .xlsx reader underneath the AEI importer, on small
 * workbooks written here with libzip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "invest/invest.h"

static void test_stage_machine(void **state)
{
    (void)state;
    /* one step at a time along the main line */
    assert_true(inv_stage_allowed(INV_IDEA, 0, INV_ANNOUNCED));
    assert_true(inv_stage_allowed(INV_SIGNED, 0, INV_CONSTRUCTION));
    assert_false(inv_stage_allowed(INV_ANNOUNCED, 0, INV_CONSTRUCTION));
    assert_false(inv_stage_allowed(INV_SIGNED, 0, INV_ANNOUNCED)); /* no way back */
    assert_false(inv_stage_allowed(INV_SIGNED, 0, INV_SIGNED));
    /* stalled or cancelled from any stage that is not final */
    for (int s = INV_IDEA; s <= INV_CONSTRUCTION; s++) {
        assert_true(inv_stage_allowed(s, 0, INV_STALLED));
        assert_true(inv_stage_allowed(s, 0, INV_CANCELLED));
    }
    /* final stages go nowhere */
    for (int to = 0; to < INV_NSTAGES; to++) {
        assert_false(inv_stage_allowed(INV_COMMISSIONED, 0, to));
        assert_false(inv_stage_allowed(INV_CANCELLED, 0, to));
    }
    /* a stalled project resumes where it stopped, or one step on */
    assert_true(inv_stage_allowed(INV_STALLED, INV_SIGNED, INV_SIGNED));
    assert_true(inv_stage_allowed(INV_STALLED, INV_SIGNED, INV_CONSTRUCTION));
    assert_false(inv_stage_allowed(INV_STALLED, INV_SIGNED, INV_COMMISSIONED));
    assert_false(inv_stage_allowed(INV_STALLED, INV_SIGNED, INV_ANNOUNCED));
    assert_true(inv_stage_allowed(INV_STALLED, INV_SIGNED, INV_CANCELLED));
    char m[160];
    assert_string_equal(inv_stage_moves(INV_ANNOUNCED, 0, m, sizeof m),
                        "signed, stalled or cancelled");
    assert_string_equal(inv_stage_moves(INV_STALLED, INV_CONSTRUCTION, m, sizeof m),
                        "construction, commissioned or cancelled");
    assert_string_equal(inv_stage_moves(INV_COMMISSIONED, 0, m, sizeof m),
                        "none: commissioned is final");
    assert_int_equal(inv_stage_parse("Agreement Signed"), INV_SIGNED);
    assert_int_equal(inv_stage_parse("under construction"), INV_CONSTRUCTION);
    assert_int_equal(inv_stage_parse("planning"), -1);
    assert_int_equal(inv_stage_parse(NULL), -1);
}

static void aei_ok(const char *s, int number, int64_t cents)
{
    struct err e = {0};
    int64_t v = -1;
    assert_int_equal(inv_parse_aei_millions(s, number, &v, &e), 0);
    assert_int_equal(v, cents);
}

static void aei_bad(const char *s, int number, const char *part)
{
    struct err e = {0};
    int64_t v;
    assert_int_equal(inv_parse_aei_millions(s, number, &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, part));
}

static void test_aei_amounts(void **state)
{
    (void)state;
    /* the CSV export: "." (or ",") separates thousands */
    aei_ok(" $\t1.890 ", 0, INT64_C(189000000000));
    aei_ok("$1,890", 0, INT64_C(189000000000));
    aei_ok("$ 200", 0, INT64_C(20000000000));
    aei_ok("\xc2\xa0$\xc2\xa0" "12.345.678", 0, INT64_C(1234567800000000));
    aei_ok("95", 0, INT64_C(9500000000));
    aei_bad(" $\t1.89 ", 0, "three digits");
    aei_bad("1.8900", 0, "whole US$ millions");
    aei_bad("1,890.5", 0, "whole US$ millions");
    aei_bad("1.890,000", 0, "whole US$ millions"); /* two separators */
    aei_bad(".890", 0, "whole US$ millions");
    aei_bad("-100", 0, "whole US$ millions");
    aei_bad("", 0, "no amount");
    aei_bad(" $\t ", 0, "no amount");
    aei_bad("1.234.567.890.123", 0, "too large");
    /* a number cell of the workbook: millions, exactly, decimals allowed */
    aei_ok("1890", 1, INT64_C(189000000000));
    aei_ok("1.89", 1, INT64_C(189000000));
    aei_ok("1.5E3", 1, INT64_C(150000000000));
    aei_bad("-5", 1, "not an amount");
    aei_bad("abc", 1, "not an amount");
}

static void share_ok(const char *s, int64_t bp, int has)
{
    struct err e = {0};
    int64_t v = -1;
    int h = -1;
    assert_int_equal(inv_parse_share(s, &v, &h, &e), 0);
    assert_int_equal(h, has);
    if (has) assert_int_equal(v, bp);
}

static void test_shares_and_amounts(void **state)
{
    (void)state;
    share_ok("0.51", 5100, 1);
    share_ok("1", 10000, 1);
    share_ok("0", 0, 1);
    share_ok("51%", 5100, 1);
    share_ok("51.5 %", 5150, 1);
    share_ok("", 0, 0);
    share_ok(NULL, 0, 0);
    struct err e = {0};
    int64_t v;
    int h;
    assert_int_equal(inv_parse_share("1.5", &v, &h, &e), ERR_INPUT);
    assert_int_equal(inv_parse_share("120%", &v, &h, &e), ERR_INPUT);
    assert_int_equal(inv_parse_share("half", &v, &h, &e), ERR_INPUT);
    assert_int_equal(inv_parse_amount("1 234 567.5", &v, &e), 0);
    assert_int_equal(v, 123456750);
    assert_int_equal(inv_parse_amount("1234,50", &v, &e), 0); /* a decimal comma */
    assert_int_equal(v, 123450);
    assert_int_equal(inv_parse_amount("1,234.50", &v, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "reads two ways"));
    assert_int_equal(inv_parse_amount("1,234,567", &v, &e), ERR_INPUT);
    assert_int_equal(inv_parse_amount("1,500", &v, &e), ERR_INPUT); /* thousands, or 1.5? */
    assert_int_equal(inv_parse_amount("1,5", &v, &e), 0);
    assert_int_equal(v, 150);
    assert_int_equal(inv_parse_amount("-5", &v, &e), ERR_INPUT);
}

static void test_sector_mapping(void **state)
{
    (void)state;
    assert_string_equal(inv_sector_map("aei", "Energy", "Oil"), "B");
    assert_string_equal(inv_sector_map("aei", "energy", "Hydro"), "D");
    assert_string_equal(inv_sector_map("aei", "Metals", "Steel"), "C");
    assert_string_equal(inv_sector_map("aei", "Metals", "Copper"), "B");
    assert_string_equal(inv_sector_map("aei", " Real estate ", "Construction"), "F");
    assert_string_equal(inv_sector_map("aei", "Other", ""), "");
    assert_null(inv_sector_map("aei", "Space mining", ""));
    assert_string_equal(inv_sector_map("aiddata", "TRANSPORT AND STORAGE", ""), "H");
    assert_string_equal(inv_sector_map("aiddata", "Energy", ""), "D"); /* any case */
    assert_string_equal(inv_sector_name("C"), "Manufacturing");
    assert_null(inv_sector_name("Z"));
}

/* ---- the .xlsx reader ---- */

static const char wb_xml[] =
    "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/"
    "spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships\"><sheets><sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Dataset 1\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";
static const char rels_xml[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
    "2006/relationships\"><Relationship Id=\"rId2\" Type=\"x\" Target=\"worksheets/b.xml\"/>"
    "<Relationship Id=\"rId1\" Type=\"x\" Target=\"/xl/worksheets/a.xml\"/></Relationships>";
static const char sst_xml[] =
    "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
    "main\"><si><t>Year</t></si><si><r><rPr><b/></rPr><t>Inv</t></r><r><t xml:space=\"preserve\">"
    "estor &amp; co</t></r><rPh><t>IGNORED</t></rPh></si><si><t>T\xc3\xbcrkiye</t></si></sst>";
/* prefixed elements, skipped cells and rows, every cell type */
static const char sheet_xml[] =
    "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"
    "spreadsheetml/2006/main\"><x:sheetData>"
    "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c><x:c r=\"C2\" t=\"s\"><x:v>1</x:v>"
    "</x:c></x:row>"
    "<x:row r=\"5\"><x:c r=\"A5\"><x:v>2019</x:v></x:c><x:c r=\"B5\" t=\"inlineStr\"><x:is>"
    "<x:t>January</x:t></x:is></x:c><x:c r=\"C5\" t=\"s\"><x:v>2</x:v></x:c>"
    "<x:c r=\"D5\" t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E5\" t=\"str\"><x:f>A1</x:f><x:v>f</x:v>"
    "</x:c><x:c r=\"F5\" s=\"3\"/><x:c r=\"AA5\"><x:v>1.5E3</x:v></x:c></x:row>"
    "</x:sheetData></x:worksheet>";

static void make_xlsx(const char *path, const char *wb, const char *sheet, const char *sst)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    const char *names[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/sharedStrings.xml", "xl/worksheets/b.xml", "xl/worksheets/a.xml"};
    const char *data[] = {wb, rels_xml, sst, sheet, "<worksheet><sheetData/></worksheet>"};
    for (int i = 0; i < 5; i++) {
        if (!data[i]) continue;
        zip_source_t *s = zip_source_buffer(z, data[i], strlen(data[i]), 0);
        assert_true(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

struct got {
    char rows[8][8][32];
    char types[8][8];
    long line[8];
    size_t nf[8];
    int n;
};

static int keep(const struct csv_row *r, void *ctx, struct err *e)
{
    struct got *g = ctx;
    (void)e;
    if (g->n == 8) return ERR_LIMIT;
    g->line[g->n] = r->line;
    g->nf[g->n] = r->nfields;
    for (size_t i = 0; i < r->nfields && i < 8; i++) {
        str_copy(g->rows[g->n][i], r->fields[i], 32);
        g->types[g->n][i] = r->types ? r->types[i] : '?';
    }
    g->n++;
    return 0;
}

static int read_book(const char *wb, const char *sheet, const char *sst, struct got *g,
                     struct err *e)
{
    char path[] = "/tmp/corridor-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    make_xlsx(path, wb, sheet, sst);
    struct csv_src src = {.path = path};
    struct xlsx *x = NULL;
    int rc = xlsx_open(&src, &x, e);
    if (!rc) {
        int i = xlsx_find_sheet(x, "dataset 1");
        assert_int_equal(i, 1);
        rc = xlsx_read_sheet(x, (size_t)i, 0, keep, g, e);
    }
    xlsx_close(x);
    unlink(path);
    return rc;
}

static void test_xlsx_cells(void **state)
{
    (void)state;
    struct got g = {0};
    struct err e = {0};
    assert_int_equal(read_book(wb_xml, sheet_xml, sst_xml, &g, &e), 0);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.line[0], 2); /* the row's own number */
    assert_int_equal(g.nf[0], 3);
    assert_string_equal(g.rows[0][0], "Year");
    assert_string_equal(g.rows[0][1], ""); /* B2 skipped */
    assert_string_equal(g.rows[0][2], "Investor & co"); /* runs joined, phonetic left out */
    assert_int_equal(g.line[1], 5);
    assert_int_equal(g.nf[1], 27); /* up to AA */
    assert_string_equal(g.rows[1][0], "2019");
    assert_string_equal(g.rows[1][1], "January");
    assert_string_equal(g.rows[1][2], "T\xc3\xbcrkiye");
    assert_string_equal(g.rows[1][3], "TRUE");
    assert_string_equal(g.rows[1][4], "f");
    assert_string_equal(g.rows[1][5], "");
    assert_memory_equal(g.types[1], "nssbs", 5); /* numbers from text */
    assert_int_equal(g.types[1][5], 0);
    /* cells without a reference follow the one before, empty or not */
    struct got h = {0};
    const char *noref = "<worksheet><sheetData><row r=\"1\"><c/><c t=\"str\"><v>b</v></c>"
                        "<c><v>3</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, noref, sst_xml, &h, &e), 0);
    assert_int_equal(h.nf[0], 3);
    assert_string_equal(h.rows[0][0], "");
    assert_string_equal(h.rows[0][1], "b");
    assert_string_equal(h.rows[0][2], "3");
}

static void test_xlsx_refusals(void **state)
{
    (void)state;
    struct got g = {0};
    struct err e = {0};
    /* a document type declaration: the door to entity expansion */
    const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x:worksheet "
                      "xmlns:x=\"u\"><x:sheetData/></x:worksheet>";
    assert_int_equal(read_book(wb_xml, dtd, sst_xml, &g, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "document type"));
    /* a shared string that is not there */
    memset(&e, 0, sizeof e);
    const char *far = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"
                      "</sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, far, sst_xml, &g, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "shared string"));
    assert_int_equal(e.line, 1);
    /* rows out of order, and a reference that is not one */
    memset(&e, 0, sizeof e);
    const char *back = "<worksheet><sheetData><row r=\"3\"/><row r=\"2\"/></sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, back, sst_xml, &g, &e), ERR_INPUT);
    memset(&e, 0, sizeof e);
    const char *ref = "<worksheet><sheetData><row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"
                      "</sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, ref, sst_xml, &g, &e), ERR_INPUT);
    /* a cell far to the right (a sparse row costs a column each), a cell met
       twice, a row number Excel cannot have */
    memset(&e, 0, sizeof e);
    const char *wide = "<worksheet><sheetData><row r=\"7\"><c r=\"XFD7\" t=\"str\"><v>x</v></c>"
                       "</row></sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, wide, sst_xml, &g, &e), ERR_LIMIT);
    assert_non_null(strstr(e.msg, "sheet 'Dataset 1': a cell lies beyond column 512"));
    assert_int_equal(e.line, 7);
    memset(&e, 0, sizeof e);
    const char *twice = "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"><v>1</v></c>"
                        "<c r=\"A2\"><v>2</v></c></row></sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, twice, sst_xml, &g, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "appears twice"));
    memset(&e, 0, sizeof e);
    const char *far_row = "<worksheet><sheetData><row r=\"1048577\"/></sheetData></worksheet>";
    assert_int_equal(read_book(wb_xml, far_row, sst_xml, &g, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "not one of Excel's"));
    /* malformed XML names the part */
    memset(&e, 0, sizeof e);
    assert_int_equal(read_book(wb_xml, "<worksheet><sheetData>", sst_xml, &g, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "xl/worksheets/b.xml"));
    /* no workbook part at all; bytes that are no archive */
    memset(&e, 0, sizeof e);
    struct xlsx *x = NULL;
    char path[] = "/tmp/corridor-xlsx-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    make_xlsx(path, NULL, sheet_xml, sst_xml);
    struct csv_src src = {.path = path};
    assert_int_equal(xlsx_open(&src, &x, &e), ERR_INPUT);
    assert_non_null(strstr(e.msg, "xl/workbook.xml"));
    assert_string_equal(e.file, path);
    assert_null(x);
    unlink(path);
    struct csv_src junk = {.data = "PK\x03\x04garbage", .len = 11};
    assert_int_equal(xlsx_open(&junk, &x, &e), ERR_INPUT);
    assert_null(x);
    xlsx_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_machine),   cmocka_unit_test(test_aei_amounts),
        cmocka_unit_test(test_shares_and_amounts), cmocka_unit_test(test_sector_mapping),
        cmocka_unit_test(test_xlsx_cells),      cmocka_unit_test(test_xlsx_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
