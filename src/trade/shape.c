/* shape.c — the shapes of the trade files people bring, told from their
 * header (or a JSON record's keys): UN Comtrade "plus" (web CSV, API JSON,
 * tab-separated bulk files, comtradr's snake_case), legacy Comtrade (35, 22
 * or fewer human-readable columns, the plus site's legacy export, and the
 * legacy API's machine names), CEPII's BACI and its country table, and
 * corridor's native CSV. Column names are compared after folding case and
 * dropping everything but letters and digits, so "Reporter Code",
 * "reporterCode" and "reporter_code" are one name. */
#include "trade.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Accepted (folded) names per field, alternatives separated by '|'. */
static const struct trade_shape shapes[] = {
    [SHAPE_COMTRADE] =
        {"comtrade",
         "UN Comtrade plus (flowCode, primaryValue...)",
         "reporterCode or reporterISO, partnerCode or partnerISO, refYear or period, flowCode, "
         "cmdCode, primaryValue",
         {[TF_REPORTER] = "reportercode",
          [TF_REPORTER_ISO] = "reporteriso",
          [TF_PARTNER] = "partnercode",
          [TF_PARTNER_ISO] = "partneriso",
          [TF_YEAR] = "refyear",
          [TF_MONTH] = "refmonth",
          [TF_PERIOD] = "period",
          [TF_FREQ] = "freqcode",
          [TF_FLOW] = "flowcode",
          [TF_HS] = "cmdcode",
          [TF_VALUE] = "primaryvalue",
          [TF_NETKG] = "netwgt",
          [TF_QTY] = "qty",
          [TF_QTY_UNIT] = "qtyunitabbr",
          [TF_QTY_UNIT_CODE] = "qtyunitcode",
          [TF_P2] = "partner2code",
          [TF_CUSTOMS] = "customscode",
          [TF_MOT] = "motcode",
          [TF_MOS] = "moscode",
          [TF_CLASS] = "classificationcode",
          [TF_TYPE] = "typecode"}},
    [SHAPE_LEGACY] =
        {"comtrade-legacy",
         "legacy UN Comtrade (Trade Flow Code, Trade Value (US$)... or rgCode, TradeValue...)",
         "Reporter Code or Reporter ISO, Partner Code or Partner ISO, Year or Period, Trade Flow "
         "Code or Trade Flow, Commodity Code, Trade Value (US$) (or rtCode, ptCode, yr, rgCode, "
         "cmdCode, TradeValue)",
         {[TF_REPORTER] = "reportercode|rtcode",
          [TF_REPORTER_ISO] = "reporteriso|rt3iso",
          [TF_PARTNER] = "partnercode|ptcode",
          [TF_PARTNER_ISO] = "partneriso|pt3iso",
          [TF_YEAR] = "year|yr",
          [TF_PERIOD] = "period",
          [TF_FLOW] = "tradeflowcode|rgcode",
          [TF_FLOW_TEXT] = "tradeflow|rgdesc",
          [TF_HS] = "commoditycode|cmdcode",
          [TF_VALUE] = "tradevalueus|tradevalue",
          [TF_NETKG] = "netweightkg|netweight",
          [TF_QTY] = "qty|tradequantity",
          [TF_QTY_UNIT] = "qtyunit|qtdesc",
          [TF_QTY_UNIT_CODE] = "qtyunitcode|qtcode",
          [TF_P2] = "2ndpartnercode|pt2code",
          [TF_CUSTOMS] = "customsproccode|cstcode",
          [TF_MOT] = "modeoftransportcode|motcode",
          [TF_CLASS] = "classification|pfcode"}},
    [SHAPE_BACI] = {"baci",
                    "CEPII BACI (t,i,j,k,v,q)",
                    "t, i, j, k, v (and q)",
                    {[TF_YEAR] = "t",
                     [TF_REPORTER] = "i",
                     [TF_PARTNER] = "j",
                     [TF_HS] = "k",
                     [TF_VALUE] = "v",
                     [TF_QTY] = "q"}},
    [SHAPE_NATIVE] = {"native",
                      "corridor's native CSV (source,reporter,...,value_usd)",
                      "source (or --source), reporter, partner, year, flow, hs, value_usd",
                      {[TF_SOURCE] = "source",
                       [TF_REPORTER] = "reporter",
                       [TF_REGION] = "reporterregion",
                       [TF_PARTNER] = "partner",
                       [TF_YEAR] = "year",
                       [TF_MONTH] = "month",
                       [TF_FLOW] = "flow",
                       [TF_HS] = "hs",
                       [TF_VALUE] = "valueusd",
                       [TF_NETKG] = "netkg",
                       [TF_QTY] = "qty",
                       [TF_QTY_UNIT] = "qtyunit",
                       [TF_CLASS] = "classification"}},
    [SHAPE_BACI_COUNTRIES] = {"baci-countries",
                              "CEPII BACI's country table (country_code,...,country_iso3)",
                              "country_code, country_iso3",
                              {[TF_REPORTER] = "countrycode",
                               [TF_REPORTER_ISO] = "countryiso3|iso3digitalpha",
                               [TF_PARTNER_ISO] = "countryiso2|iso2digitalpha",
                               [TF_NAME] = "countryname|countrynamefull|countrynameabbreviation"}},
};

/* The fields each shape cannot do without (either of a pair will do). */
static const struct {
    int a, b;
    const char *what;
} needed[] = {
    {TF_REPORTER, TF_REPORTER_ISO, "reporter"},
    {TF_PARTNER, TF_PARTNER_ISO, "partner"},
    {TF_YEAR, TF_PERIOD, "year"},
    {TF_FLOW, TF_FLOW_TEXT, "flow"},
    {TF_HS, TF_HS, "commodity code"},
    {TF_VALUE, TF_VALUE, "value"},
};

const struct trade_shape *trade_shape_get(int shape)
{
    return &shapes[shape];
}

int trade_shape_named(const char *name)
{
    for (int i = 0; i < SHAPE_COUNT; i++)
        if (str_ieq(name, shapes[i].name)) return i;
    return -1;
}

void trade_fold_name(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (; *in && o + 1 < size; in++)
        if (isalnum((unsigned char)*in)) out[o++] = (char)tolower((unsigned char)*in);
    out[o] = 0;
}

/* The column (of n folded names) that one of alternatives "a|b" names, or -1. */
static int find(char folded[][64], size_t n, const char *alternatives)
{
    if (!alternatives) return -1;
    char alt[128];
    str_copy(alt, alternatives, sizeof alt);
    for (char *save, *a = strtok_r(alt, "|", &save); a; a = strtok_r(NULL, "|", &save))
        for (size_t i = 0; i < n; i++)
            if (strcmp(folded[i], a) == 0) return (int)i;
    return -1;
}

static int has(char folded[][64], size_t n, const char *name)
{
    return find(folded, n, name) >= 0;
}

/* Which shape the folded names have, or -1. */
static int recognise(char folded[][64], size_t n)
{
    if (has(folded, n, "flowcode") && has(folded, n, "primaryvalue")) return SHAPE_COMTRADE;
    if (has(folded, n, "tradeflowcode|rgcode|tradeflow") &&
        has(folded, n, "tradevalueus|tradevalue"))
        return SHAPE_LEGACY;
    if (has(folded, n, "t") && has(folded, n, "i") && has(folded, n, "j") && has(folded, n, "k") &&
        has(folded, n, "v"))
        return SHAPE_BACI;
    if (has(folded, n, "valueusd") && has(folded, n, "flow")) return SHAPE_NATIVE;
    if (has(folded, n, "countrycode") && has(folded, n, "countryiso3|iso3digitalpha"))
        return SHAPE_BACI_COUNTRIES;
    return -1;
}

static int unknown_shape(char *const *names, size_t n, const char *label, long line, struct err *e)
{
    char seen[200] = "";
    size_t o = 0;
    for (size_t i = 0; i < n && i < 8 && o < sizeof seen; i++)
        o += (size_t)snprintf(seen + o, sizeof seen - o, "%s'%.30s'", i ? ", " : "", names[i]);
    if (n > 8 && o < sizeof seen) snprintf(seen + o, sizeof seen - o, "...");
    err_at(e, label, line, 0, NULL);
    return err_set(e, ERR_INPUT,
                   "not a trade file corridor knows: its columns (%s) match none of %s; %s; %s; "
                   "%s",
                   n ? seen : "none", shapes[SHAPE_COMTRADE].label, shapes[SHAPE_LEGACY].label,
                   shapes[SHAPE_BACI].label, shapes[SHAPE_NATIVE].label);
}

int trade_shape_map(char *const *names, size_t n, const char *want, const char *label, long line,
                    int *shape, int col[TF_COUNT], struct err *e)
{
    if (n > 512) n = 512;
    char(*folded)[64] = xcalloc(n ? n : 1, sizeof *folded);
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        trade_fold_name(names[i], folded[i], sizeof folded[i]);
    for (size_t i = 0; i < n && !rc; i++)
        for (size_t j = i + 1; j < n && !rc; j++)
            if (folded[i][0] && strcmp(folded[i], folded[j]) == 0) {
                err_at(e, label, line, (int)j + 1, names[j]);
                rc = err_set(e, ERR_INPUT,
                             "columns %zu ('%.60s') and %zu ('%.60s') name the same thing: "
                             "which one is meant?",
                             i + 1, names[i], j + 1, names[j]);
            }
    int s = -1;
    if (!rc) {
        s = want && !str_ieq(want, "auto") ? trade_shape_named(want) : recognise(folded, n);
        if (s < 0) rc = unknown_shape(names, n, label, line, e);
    }
    for (int f = 0; !rc && f < TF_COUNT; f++)
        col[f] = find(folded, n, shapes[s].names[f]);
    for (size_t k = 0; !rc && k < sizeof needed / sizeof *needed; k++) {
        int a = needed[k].a, b = needed[k].b;
        if (s == SHAPE_BACI_COUNTRIES) /* a code and its ISO alpha-3 code */
            a = b = k == 0 ? TF_REPORTER : TF_REPORTER_ISO;
        if (col[a] >= 0 || col[b] >= 0 || (s == SHAPE_BACI && a == TF_FLOW)) continue;
        int seen = recognise(folded, n);
        err_at(e, label, line, 0, seen >= 0 && seen != s ? NULL : needed[k].what);
        if (seen >= 0 && seen != s)
            rc = err_set(e, ERR_INPUT, "the format %s was asked for, but the header is %s's",
                         shapes[s].name, shapes[seen].name);
        else
            rc = err_set(e, ERR_INPUT, "the header lacks a %s column: a %s file needs %s",
                         needed[k].what, shapes[s].name, shapes[s].needs);
    }
    free(folded);
    if (!rc) *shape = s;
    return rc;
}

/* ---- flows, units and classifications ------------------------------------ */

int trade_flow_of_text(const char *text, char out[8])
{
    static const struct {
        const char *folded, *code;
    } flows[] = {
        {"import", "M"},
        {"imports", "M"},
        {"export", "X"},
        {"exports", "X"},
        {"reexport", "RX"},
        {"reexports", "RX"},
        {"reimport", "RM"},
        {"reimports", "RM"},
        {"importofgoodsforinwardprocessing", "MIP"},
        {"exportofgoodsafterinwardprocessing", "XIP"},
        {"importofgoodsafteroutwardprocessing", "MOP"},
        {"exportofgoodsforoutwardprocessing", "XOP"},
        {"foreignimport", "FM"},
        {"domesticexport", "DX"},
    };
    char f[64];
    trade_fold_name(text ? text : "", f, sizeof f);
    for (size_t i = 0; i < sizeof flows / sizeof *flows; i++)
        if (strcmp(f, flows[i].folded) == 0) {
            str_copy(out, flows[i].code, 8);
            return 0;
        }
    return -1;
}

const char *trade_legacy_unit(long code)
{
    static const char *const units[] = {"",         "",      "m2", "1000kWh", "m",
                                        "items",    "pairs", "l",  "kg",      "1000items",
                                        "packages", "dozen", "m3", "carat"};
    return code >= 1 && code <= 13 ? units[code] : NULL;
}

int trade_classification(const char *code, char out[8], struct err *e)
{
    char c[16];
    if (str_trim_copy(c, sizeof c, code))
        return err_set(e, ERR_INPUT,
                       "classification '%.16s...' is not one corridor knows (H0 to "
                       "H6, HS)",
                       code);
    str_upper(c);
    if (!*c || strcmp(c, "HS") == 0) {
        str_copy(out, "HS", 8);
        return 0;
    }
    if (c[0] == 'H' && c[1] >= '0' && c[1] <= '6' && !c[2]) {
        str_copy(out, c, 8);
        return 0;
    }
    const char *what = c[0] == 'S' && c[1] >= '1' && c[1] <= '4' && !c[2]
                           ? "SITC (Standard International Trade Classification)"
                       : c[0] == 'B'              ? "BEC (Broad Economic Categories)"
                       : strncmp(c, "EB", 2) == 0 ? "EBOPS (services)"
                                                  : NULL;
    if (what)
        return err_set(e, ERR_INPUT,
                       "classification %s is %s, not HS: corridor keeps goods trade by HS code "
                       "only, so these codes would be read as HS codes of other goods; download "
                       "the HS version (H0 to H6) instead",
                       c, what);
    return err_set(e, ERR_INPUT, "classification '%.16s' is not one corridor knows (H0 to H6, HS)",
                   code);
}

const char *trade_edition_year(const char *classification)
{
    static const char *const years[] = {"1992", "1996", "2002", "2007", "2012", "2017", "2022"};
    if (classification[0] == 'H' && classification[1] >= '0' && classification[1] <= '6')
        return years[classification[1] - '0'];
    return NULL;
}

void trade_baci_edition(const char *path, char out[8])
{
    static const char *const tags[] = {"HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22"};
    str_copy(out, "HS", 8);
    const char *base = path ? strrchr(path, '/') : NULL;
    base = base ? base + 1 : path ? path : "";
    for (int i = 0; i < 7; i++) {
        char tag[8];
        snprintf(tag, sizeof tag, "_%s_", tags[i]);
        if (strstr(base, tag)) snprintf(out, 8, "H%d", i);
    }
}
