/* ops.c — the operations of the trade area: importing statistics and
 * sources, the reports, and the synthetic file generator for benchmarks. */
#include "trade.h"

#include "../ops/ops.h"

#include <stdlib.h>
#include <string.h>

#define P_SOURCE                                                                                   \
    {                                                                                              \
        "source", PT_TEXT, 0, NULL, 0, 200, NULL, "only figures from this source (its name)"       \
    }

static const struct op_param import_params[] = {
    {"file", PT_FILE, PF_REQUIRED | PF_POS | PF_MANY, NULL, 0, 0, NULL,
     "the files to import (CSV, tab-separated or JSON; plain or .gz), each in one transaction"},
    {"format", PT_ENUM, 0, "auto|comtrade|comtrade-legacy|baci|baci-countries|native", 0, 0, "auto",
     "the file's shape (auto: told by its header or its first record's keys)"},
    {"source", PT_TEXT, 0, NULL, 0, 200, NULL,
     "the source of every row (default: UN Comtrade, or the native file's source column)"},
    {"filename", PT_TEXT, 0, NULL, 0, 255, NULL,
     "the file's name as downloaded, when it is sent as a request body (BACI's names give the HS "
     "edition and release); it names the file in messages"},
    {"breakdown", PT_FLAG, 0, NULL, 0, 0, NULL,
     "keep breakdown rows (second partner, customs procedure, transport mode); never added to "
     "totals"},
    {0},
};

static const struct op_param source_add_params[] = {
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "the source's short name, as rows cite it"},
    {"publisher", PT_TEXT, 0, NULL, 0, 300, NULL, "who published it"},
    {"published", PT_CODE, 0, NULL, 0, 10, NULL, "when (YYYY, YYYY-MM or YYYY-MM-DD)"},
    {"url", PT_TEXT, 0, NULL, 0, 1000, NULL, "where to read it"},
    {"synthetic", PT_FLAG, 0, NULL, 0, 0, "no", "made-up demonstration figures"},
    {"note", PT_TEXT, 0, NULL, 0, 1000, NULL, "what it says"},
    {0},
};

static const struct op_param no_params[] = {{0}};

static const struct op_param totals_params[] = {
    {"reporter", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the reporting country"},
    {"partner", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "its partner"},
    P_SOURCE,
    {"from", PT_YEAR, 0, NULL, 0, 0, NULL, "the first year"},
    {"to", PT_YEAR, 0, NULL, 0, 0, NULL, "the last year"},
    {"monthly", PT_FLAG, 0, NULL, 0, 0, "no",
     "month by month (from monthly figures), growth on the same month a year before"},
    {0},
};

static const struct op_param partners_params[] = {
    {"reporter", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the reporting country"},
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    {"top", PT_INT, 0, NULL, 1, 100000, NULL, "only the first N partners"},
    P_SOURCE,
    {0},
};

static const struct op_param regions_params[] = {
    {"reporter_country", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL,
     "the country whose regions report"},
    {"partner", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the partner"},
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    P_SOURCE,
    {0},
};

static const struct op_param goods_params[] = {
    {"reporter", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the reporting country"},
    {"partner", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "its partner"},
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    {"level", PT_ENUM, 0, "2|4|6", 0, 0, "2", "HS digits: chapters, headings or subheadings"},
    {"top", PT_INT, 0, NULL, 1, 100000, NULL, "only the first N codes"},
    {"flow", PT_ENUM, 0, "X|M|turnover", 0, 0, "turnover", "exports, imports or both"},
    {"from", PT_YEAR, 0, NULL, 0, 0, NULL,
     "the first year of the compound annual growth (default: five years before --year)"},
    {"sort", PT_ENUM, 0, "value|growth|cagr", 0, 0, "value",
     "largest value first, fastest growth on the year before, or fastest CAGR"},
    P_SOURCE,
    {0},
};

static const struct op_param mirror_params[] = {
    {"a", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "one side"},
    {"b", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the other side"},
    {"from", PT_YEAR, 0, NULL, 0, 0, NULL, "the first year"},
    {"to", PT_YEAR, 0, NULL, 0, 0, NULL, "the last year"},
    {"level", PT_ENUM, 0, "0|2", 0, 0, "0", "0 for totals, 2 for HS chapters"},
    P_SOURCE,
    {0},
};

static const struct op_param forecast_params[] = {
    {"reporter", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the reporting country"},
    {"partner", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "its partner"},
    {"flow", PT_ENUM, 0, "turnover|X|M", 0, 0, "turnover", "what to project"},
    {"years", PT_INT, 0, NULL, 1, 20, "3", "how many years ahead"},
    P_SOURCE,
    {0},
};

static const struct op_param gen_params[] = {
    {"rows", PT_INT, 0, NULL, 1, 100000000, "1000", "how many data rows"},
    {"out", PT_OUTPUT, PF_REQUIRED, NULL, 0, 0, NULL, "the file to write"},
    {"seed", PT_INT, 0, NULL, 0, 1000000000, "1", "the random seed"},
    {"shape", PT_ENUM, 0, "api|web", 0, 0, "api",
     "the API's CSV, or the web site's download (quoted, trailing commas, CRLF, Latin-1)"},
    {0},
};

/* The filters of a report, read from whichever of them the op has. */
static int query_of(const struct op_call *c, struct trade_query *q, struct err *e)
{
    memset(q, 0, sizeof *q);
    const struct op *op = c->op;
#define HAS(n) (op_param_index(op, n) >= 0)
    if (HAS("reporter")) q->reporter = op_s(c, "reporter");
    if (HAS("partner")) q->partner = op_s(c, "partner");
    if (HAS("a")) q->reporter = op_s(c, "a"), q->partner = op_s(c, "b");
    if (HAS("reporter_country")) q->region_country = op_s(c, "reporter_country");
    if (HAS("year")) q->year = (int)op_i(c, "year");
    if (HAS("from")) q->from = (int)op_i(c, "from");
    if (HAS("to")) q->to = (int)op_i(c, "to");
    if (HAS("top")) q->top = (int)op_i(c, "top");
    if (HAS("level")) q->level = atoi(op_s(c, "level"));
    if (HAS("flow")) q->flow = op_s(c, "flow");
    if (HAS("years")) q->years = (int)op_i(c, "years");
    if (HAS("monthly")) q->monthly = (int)op_i(c, "monthly");
    if (HAS("sort")) q->sort = op_s(c, "sort");
    q->source = op_s(c, "source");
#undef HAS
    if (q->from && q->to && q->from > q->to) {
        err_set(e, ERR_INPUT, "from %d is after to %d", q->from, q->to);
        return err_field(e, "from");
    }
    return 0;
}

typedef int (*report_fn)(struct db *, const struct trade_query *, struct table **, struct err *);

static int report(struct op_call *c, report_fn fn, struct err *e)
{
    struct trade_query q;
    struct table *t = NULL;
    int rc = query_of(c, &q, e);
    if (!rc) rc = fn(c->db, &q, &t, e);
    return op_give(c, rc, &t);
}

static int totals(struct op_call *c, struct err *e)
{
    return report(c, trade_totals, e);
}

static int partners(struct op_call *c, struct err *e)
{
    return report(c, trade_partners, e);
}

static int regions(struct op_call *c, struct err *e)
{
    return report(c, trade_regions, e);
}

static int goods(struct op_call *c, struct err *e)
{
    return report(c, trade_goods, e);
}

static int mirror(struct op_call *c, struct err *e)
{
    return report(c, trade_mirror, e);
}

static int forecast(struct op_call *c, struct err *e)
{
    return report(c, trade_forecast, e);
}

static int sources(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, trade_sources_list(c->db, &t, e), &t);
}

static int gen(struct op_call *c, struct err *e)
{
    int rc = op_check_output(op_s(c, "out"), "generated file", "out", NULL, NULL, 0, e);
    if (!rc)
        rc = trade_generate(op_s(c, "out"), op_i(c, "rows"), (unsigned)op_i(c, "seed"),
                            str_ieq(op_s(c, "shape"), "web"), e);
    if (rc) return rc;
    char msg[600];
    snprintf(msg, sizeof msg, "corridor: wrote %lld synthetic UN Comtrade rows to %s\n",
             (long long)op_i(c, "rows"), op_s(c, "out"));
    c->text = xstrdup(msg);
    return 0;
}

const struct op trade_ops[] = {
    {"trade", "import", OP_WRITE, trade_import_op, import_params,
     "import UN Comtrade (plus, legacy: CSV, TSV, JSON), CEPII BACI or native files, plain or "
     ".gz; all or nothing per file",
     "trade import comtrade-download.csv.gz", NULL, "trade_flow", NULL, OPF_ROWS},
    {"trade", "source-add", OP_WRITE, trade_source_add, source_add_params,
     "record (or revise) a source of figures: publisher, date, synthetic or not",
     "trade source-add --name 'GACC 2024' --publisher 'China Customs' --published 2024-01-12", NULL,
     "source", "import-sources", 0},
    {"trade", "sources", OP_READ, sources, no_params,
     "the sources of figures: publisher, date, synthetic or not", "trade sources", NULL, NULL, NULL,
     0},
    {"trade", "totals", OP_READ, totals, totals_params,
     "exports, imports, turnover, balance and growth per year",
     "trade totals --reporter KAZ --partner CHN", NULL, NULL, NULL, 0},
    {"trade", "partners", OP_READ, partners, partners_params,
     "partners ranked by turnover with their share of the reporter's trade",
     "trade partners --reporter KAZ --year 2023 --top 5", NULL, NULL, NULL, 0},
    {"trade", "regions", OP_READ, regions, regions_params,
     "sub-national regions' trade with the partner and their share of the bilateral total",
     "trade regions --reporter-country CHN --partner KAZ --year 2023", NULL, NULL, NULL, 0},
    {"trade", "goods", OP_READ, goods, goods_params,
     "commodity structure: value, share, change, CAGR, weight, quantity and unit value per HS "
     "code",
     "trade goods --reporter KAZ --partner CHN --year 2023 --level 4 --flow X --sort cagr", NULL,
     NULL, NULL, 0},
    {"trade", "mirror", OP_READ, mirror, mirror_params,
     "what each side reports of the same flows, with the gap", "trade mirror --a KAZ --b CHN", NULL,
     NULL, NULL, 0},
    {"trade", "forecast", OP_READ, forecast, forecast_params,
     "projection with 80% and 95% intervals; model chosen by backtest",
     "trade forecast --reporter CHN --partner KAZ --years 3", NULL, NULL, NULL, 0},
    {"gen", "trade", OP_READ, gen, gen_params,
     "write a large synthetic UN Comtrade plus file for benchmarks",
     "gen trade --rows 1000000 --out big.csv", NULL, NULL, NULL,
     OPF_LOCAL | OPF_NODB | OPF_NOFORMAT},
    {0},
};
