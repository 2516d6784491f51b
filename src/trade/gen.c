/* gen.c — a generator of large synthetic UN Comtrade "plus" files for
 * benchmarks and tests, in two shapes: the API's CSV (every column of its
 * layout, quoted descriptions with commas) and the web site's download (47
 * columns, every non-empty field quoted, a trailing comma, CRLF, Latin-1).
 * Annual data, a TOTAL row and HS6 rows per flow, each summary row followed
 * by breakdown rows (mode of transport, customs procedure) as real
 * downloads have them. Deterministic for a given seed. */
#include "trade.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static const struct {
    int code;
    const char *iso, *name;
} economies[] = {
    {398, "KAZ", "Kazakhstan"},
    {156, "CHN", "China"},
    {643, "RUS", "Russian Federation"},
    {860, "UZB", "Uzbekistan"},
    {417, "KGZ", "Kyrgyzstan"},
    {762, "TJK", "Tajikistan"},
    {795, "TKM", "Turkmenistan"},
    {496, "MNG", "Mongolia"},
    {792, "TUR", "Türkiye"},
    {384, "CIV", "Côte d'Ivoire"},
    {276, "DEU", "Germany"},
    {380, "ITA", "Italy"},
    {528, "NLD", "Netherlands"},
    {410, "KOR", "Rep. of Korea"},
    {392, "JPN", "Japan"},
    {842, "USA", "USA"},
    {344, "HKG", "China, Hong Kong SAR"},
    {446, "MAC", "China, Macao SAR"},
    {356, "IND", "India"},
    {364, "IRN", "Iran"},
    {31, "AZE", "Azerbaijan"},
};
#define NECON (int)(sizeof economies / sizeof economies[0])

/* One generated row. */
struct gen_row {
    int year, lvl, b;
    const char *flow, *flowd, *cmd, *desc, *mot, *motd, *customs;
    int ri, pi;
    long long cents, kg;
};

static const char plus_header[] =
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
    "reporterDesc,flowCode,flowDesc,flowCategory,partnerCode,partnerISO,partnerDesc,"
    "partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
    "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,mosDesc,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,"
    "altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,"
    "grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,"
    "isReported,isAggregate,datasetCode\n";

/* The web site's 47 columns, quoted, as its CSV download names them. */
static const char web_header[] =
    "\"typeCode\",\"freqCode\",\"refPeriodId\",\"refYear\",\"refMonth\",\"period\","
    "\"reporterCode\",\"reporterISO\",\"reporterDesc\",\"flowCode\",\"flowDesc\",\"partnerCode\","
    "\"partnerISO\",\"partnerDesc\",\"partner2Code\",\"partner2ISO\",\"partner2Desc\","
    "\"classificationCode\",\"classificationSearchCode\",\"isOriginalClassification\","
    "\"cmdCode\",\"cmdDesc\",\"aggrLevel\",\"isLeaf\",\"customsCode\",\"customsDesc\",\"mosCode\","
    "\"motCode\",\"motDesc\",\"qtyUnitCode\",\"qtyUnitAbbr\",\"qty\",\"isQtyEstimated\","
    "\"altQtyUnitCode\",\"altQtyUnitAbbr\",\"altQty\",\"isAltQtyEstimated\",\"netWgt\","
    "\"isNetWgtEstimated\",\"grossWgt\",\"isGrossWgtEstimated\",\"cifvalue\",\"fobvalue\","
    "\"primaryValue\",\"legacyEstimationFlag\",\"isReported\",\"isAggregate\"\r\n";

/* A name in Latin-1, as the web site writes it (the names here need no more). */
static const char *latin1(const char *utf8, char *out, size_t size)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)utf8; *p && o + 1 < size; p++)
        out[o++] = (char)(*p == 0xC3 && p[1] ? 0x40 + *++p : *p);
    out[o] = 0;
    return out;
}

static void write_plus(FILE *f, const struct gen_row *g)
{
    fprintf(f,
            "C,A,%d0101,%d,52,%d,%d,%s,\"%s\",%s,%s,,%d,%s,\"%s\",0,W00,"
            "World,H6,HS,true,%s,\"%s\",%d,%s,%s,%s,0,TOTAL MOS,%s,%s,8,"
            "kg,%lld.000,false,-1,N/A,,false,%lld.000,false,,false,,,"
            "%lld.%02lld,0,true,false,%d\n",
            g->year, g->year, g->year, economies[g->ri].code, economies[g->ri].iso,
            economies[g->ri].name, g->flow, g->flowd, economies[g->pi].code, economies[g->pi].iso,
            economies[g->pi].name, g->cmd, g->desc, g->lvl, g->lvl ? "true" : "false", g->customs,
            g->b == 4 ? "Processing" : "TOTAL CPC", g->mot, g->motd, g->kg, g->kg, g->cents / 100,
            g->cents % 100, 20000 + g->year);
}

/* The web download: every non-empty field quoted, a comma after the last
 * one, CRLF, Latin-1, values with three decimals, no quantity unit (-1). */
static void write_web(FILE *f, const struct gen_row *g)
{
    char rn[64], pn[64], value[40], cif[44] = "", fob[44] = "";
    snprintf(value, sizeof value, "\"%lld.%02lld0\"", g->cents / 100, g->cents % 100);
    str_copy(*g->flow == 'M' ? cif : fob, value, sizeof cif); /* imports CIF, exports FOB */
    fprintf(f,
            "\"C\",\"A\",\"%d0101\",\"%d\",\"52\",\"%d\",\"%d\",\"%s\",\"%s\",\"%s\",\"%s\","
            "\"%d\",\"%s\",\"%s\",\"0\",\"W00\",\"World\",\"H6\",\"HS\",\"True\",\"%s\",\"%s\","
            "\"%d\",\"%s\",\"%s\",\"%s\",\"0\",\"%s\",\"%s\",\"-1\",\"N/A\",\"0\",\"False\",\"-1\","
            "\"N/A\",\"0\",\"False\",\"%lld.000\",\"False\",,\"False\",%s,%s,%s,\"0\",\"True\","
            "\"False\",\r\n",
            g->year, g->year, g->year, economies[g->ri].code, economies[g->ri].iso,
            latin1(economies[g->ri].name, rn, sizeof rn), g->flow, g->flowd, economies[g->pi].code,
            economies[g->pi].iso, latin1(economies[g->pi].name, pn, sizeof pn), g->cmd, g->desc,
            g->lvl, g->lvl ? "True" : "False", g->customs, g->b == 4 ? "Processing" : "TOTAL CPC",
            g->mot, g->motd, g->kg, cif, fob, value);
}

/* Each flow of each pair of economies, year after year: a TOTAL row and HS6
 * rows, each summary row followed by 0-4 breakdown rows. */
static long generate(FILE *f, long rows, unsigned seed, int web)
{
    uint64_t s = 0x9E3779B97F4A7C15ull ^ seed;
    long written = 0;
    static const char *mots[] = {"2100", "3100", "1000", "9000"};
    static const char *motd[] = {"Sea", "Rail", "Air", "Other"};
    struct gen_row g;
    for (g.year = 2015; written < rows; g.year++)
        for (g.ri = 0; g.ri < NECON && written < rows; g.ri++)
            for (g.pi = 0; g.pi < NECON && written < rows; g.pi++) {
                if (g.pi == g.ri) continue;
                for (int fl = 0; fl < 2 && written < rows; fl++) {
                    g.flow = fl ? "M" : "X", g.flowd = fl ? "Import" : "Export";
                    for (int k = 0; k < 600 && written < rows; k++) {
                        char cmd[16], desc[64];
                        g.lvl = k ? 6 : 0;
                        if (k == 0) {
                            strcpy(cmd, "TOTAL");
                            strcpy(desc, "All Commodities");
                        } else { /* unique per k: chapter, heading, subheading */
                            int ch = 1 + (k - 1) % 96, hd = 1 + (k - 1) / 96;
                            if (ch == 77) ch = 97;
                            snprintf(cmd, sizeof cmd, "%02d%02d10", ch, hd);
                            snprintf(desc, sizeof desc, "Synthetic goods %s, other, n.e.c.", cmd);
                        }
                        g.cmd = cmd, g.desc = desc;
                        int nb = (int)(rng_next(&s) % 5); /* breakdown rows that follow */
                        for (g.b = 0; g.b <= nb && written < rows; g.b++) {
                            uint64_t r = rng_next(&s);
                            g.cents = (long long)(r % 5000000000ull) + 100;
                            g.kg = (long long)(r % 90000000ull) + 1;
                            g.mot = g.b ? mots[(g.b - 1) % 4] : "0";
                            g.motd = g.b ? motd[(g.b - 1) % 4] : "TOTAL MOT";
                            g.customs = g.b == 4 ? "C01" : "C00";
                            if (web)
                                write_web(f, &g);
                            else
                                write_plus(f, &g);
                            written++;
                        }
                    }
                }
            }
    return written;
}

int trade_generate(const char *path, long rows, unsigned seed, int web, struct err *e)
{
    if (rows < 1 || rows > 100000000L) {
        err_at(e, NULL, 0, 0, "rows");
        return err_set(e, ERR_USAGE, "rows must be 1..100000000");
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_IO, "cannot write the file");
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    fputs(web ? web_header : plus_header, f);
    generate(f, rows, seed, web);
    int bad = ferror(f);
    if (fclose(f) || bad) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_IO, "writing the file failed");
    }
    return 0;
}
