/* gen.c — a generator of large synthetic UN Comtrade "plus" CSV files for
 * benchmarks and tests: every column of the real layout, annual data, a TOTAL
 * row and HS6 rows per flow, each summary row followed by breakdown rows (mode
 * of transport, customs procedure) as real downloads have them, and quoted
 * descriptions with commas. Deterministic for a given seed. */
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

int trade_generate(const char *path, long rows, unsigned seed, struct err *e)
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
    fputs("typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
          "reporterDesc,flowCode,flowDesc,flowCategory,partnerCode,partnerISO,partnerDesc,"
          "partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
          "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
          "mosCode,mosDesc,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,"
          "altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,"
          "grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,"
          "isReported,isAggregate,datasetCode\n",
          f);
    uint64_t s = 0x9E3779B97F4A7C15ull ^ seed;
    long written = 0;
    static const char *mots[] = {"2100", "3100", "1000", "9000"};
    static const char *motd[] = {"Sea", "Rail", "Air", "Other"};
    for (int year = 2015; written < rows; year++) {
        for (int ri = 0; ri < NECON && written < rows; ri++) {
            for (int pi = 0; pi < NECON && written < rows; pi++) {
                if (pi == ri) continue;
                for (int fl = 0; fl < 2 && written < rows; fl++) {
                    const char *flow = fl ? "M" : "X", *flowd = fl ? "Import" : "Export";
                    /* one TOTAL row then HS6 rows for this flow */
                    for (int k = 0; k < 600 && written < rows; k++) {
                        char cmd[16], desc[64];
                        int lvl = 6;
                        if (k == 0) {
                            strcpy(cmd, "TOTAL");
                            strcpy(desc, "All Commodities");
                            lvl = 0;
                        } else {
                            /* unique per k: chapter, heading, subheading */
                            int ch = 1 + (k - 1) % 96, hd = 1 + (k - 1) / 96;
                            if (ch == 77) ch = 97;
                            snprintf(cmd, sizeof cmd, "%02d%02d10", ch, hd);
                            snprintf(desc, sizeof desc, "Synthetic goods %s, other, n.e.c.", cmd);
                        }
                        int nb = (int)(rng_next(&s) % 5); /* breakdown rows that follow */
                        for (int b = 0; b <= nb && written < rows; b++) {
                            uint64_t r = rng_next(&s);
                            long long cents = (long long)(r % 5000000000ull) + 100;
                            long long kg = (long long)(r % 90000000ull) + 1;
                            const char *mot = b ? mots[(b - 1) % 4] : "0";
                            const char *motdesc = b ? motd[(b - 1) % 4] : "TOTAL MOT";
                            const char *customs = b == 4 ? "C01" : "C00";
                            fprintf(f,
                                    "C,A,%d0101,%d,52,%d,%d,%s,\"%s\",%s,%s,,%d,%s,\"%s\",0,W00,"
                                    "World,H6,HS,true,%s,\"%s\",%d,%s,%s,%s,0,TOTAL MOS,%s,%s,8,"
                                    "kg,%lld.000,false,-1,N/A,,false,%lld.000,false,,false,,,"
                                    "%lld.%02lld,0,true,false,%d\n",
                                    year, year, year, economies[ri].code, economies[ri].iso,
                                    economies[ri].name, flow, flowd, economies[pi].code,
                                    economies[pi].iso, economies[pi].name, cmd, desc, lvl,
                                    lvl ? "true" : "false", customs,
                                    b == 4 ? "Processing" : "TOTAL CPC", mot, motdesc, kg, kg,
                                    cents / 100, cents % 100, 20000 + year);
                            written++;
                        }
                    }
                }
            }
        }
    }
    int bad = ferror(f);
    if (fclose(f) || bad) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_IO, "writing the file failed");
    }
    return 0;
}
