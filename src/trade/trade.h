/* trade — official trade statistics: importers for UN Comtrade "plus" and
 * legacy CSV and for corridor's native CSV (with sub-national reporter
 * regions), the source register, and the reports analysts ask for first:
 * totals by year, partner ranking, regional share, commodity structure,
 * mirror comparison and forecast with intervals and backtest.
 *
 * Every report returns a struct table (see report/); the caller frees it.
 *
 * Counting rules shared by all reports (so no flow is ever counted twice):
 * breakdown rows (second partner, customs procedure, transport mode) are never
 * added; for each reporter, region, partner, year and flow one source is used
 * (a published source before a synthetic one, then the latest imported);
 * annual rows before monthly ones; and the coarsest commodity level present
 * (TOTAL before chapters before headings...). Turnover is the published
 * total (flow T) where the chosen source gives one, else exports + imports. */
#ifndef CORRIDOR_TRADE_H
#define CORRIDOR_TRADE_H

#include "../ref/ref.h"

struct op_call;

struct trade_import_opts {
    const char *format;   /* auto or a shape's name (comtrade, comtrade-legacy, baci...) */
    const char *source;   /* source name for every row (NULL: default) */
    FILE *rejects;        /* write rejected rows here and go on (NULL: all or nothing) */
    uint64_t max_rejects; /* more rejected rows than this fail the import (0: no limit) */
    size_t max_row_bytes; /* the longest row (0: the reader's default) */
    int breakdown;        /* keep breakdown rows (never added to totals) */
    int progress;         /* progress bar on a terminal */
};

struct trade_import_stats {
    char format[24];    /* the shape read */
    char container[64]; /* "CSV, Windows-1252", "JSON", "tab-separated, gzip"... */
    uint64_t read, kept, inserted, revised, duplicates, breakdown_dropped, rejected;
    uint64_t aliases; /* BACI country table: codes learnt */
    double seconds;
};

/* Imports one file (or body) inside the caller's write transaction: the
 * rows are all stored or, on the first bad one, the caller rolls back
 * (unless opts->rejects is set). Fills stats; on refusal e names the file,
 * line, column and field. */
int trade_import(struct db *db, const struct ref *ref, const struct csv_src *src,
                 const struct trade_import_opts *opts, struct trade_import_stats *stats,
                 struct err *e);
/* One line summary of an import, for people. */
void trade_import_summary(char *out, size_t size, const char *label,
                          const struct trade_import_stats *s);

/* ---- the shapes of trade files (shape.c, used by import.c) ---- */

/* What a trade file's columns can tell. */
enum trade_field {
    TF_SOURCE,
    TF_REPORTER,
    TF_REPORTER_ISO,
    TF_REGION,
    TF_PARTNER,
    TF_PARTNER_ISO,
    TF_YEAR,
    TF_MONTH,
    TF_PERIOD,
    TF_FREQ,
    TF_FLOW,
    TF_FLOW_TEXT,
    TF_HS,
    TF_VALUE,
    TF_NETKG,
    TF_QTY,
    TF_QTY_UNIT,
    TF_QTY_UNIT_CODE,
    TF_P2,
    TF_CUSTOMS,
    TF_MOT,
    TF_MOS,
    TF_CLASS,
    TF_TYPE,
    TF_NAME,
    TF_COUNT
};
enum trade_shape_id {
    SHAPE_COMTRADE,
    SHAPE_LEGACY,
    SHAPE_BACI,
    SHAPE_NATIVE,
    SHAPE_BACI_COUNTRIES,
    SHAPE_COUNT
};
struct trade_shape {
    const char *name;            /* as --format names it */
    const char *label;           /* for people: what it is and how it is told */
    const char *needs;           /* for people: the columns it cannot do without */
    const char *names[TF_COUNT]; /* folded column names, alternatives split by '|' */
};
const struct trade_shape *trade_shape_get(int shape);
/* The shape called name ("comtrade"...), or -1. */
int trade_shape_named(const char *name);
/* Lower-cases and keeps letters and digits: "Trade Value (US$)" -> "tradevalueus". */
void trade_fold_name(const char *in, char *out, size_t size);
/* Tells the shape of a header (or forces want, unless NULL or "auto") and
 * maps its columns into col (-1: absent). Refuses two columns with one
 * (folded) name, a header of no known shape (naming the shapes compared
 * with) and a header without a column the shape needs. */
int trade_shape_map(char *const *names, size_t n, const char *want, const char *label, long line,
                    int *shape, int col[TF_COUNT], struct err *e);
/* The flow code of a flow's name ("Re-export" -> RX), or -1. */
int trade_flow_of_text(const char *text, char out[8]);
/* The unit of a legacy quantity code 1..13 ("" for 1, no quantity), or NULL. */
const char *trade_legacy_unit(long code);
/* Checks a classification code: H0..H6 kept as such, "" or HS as "HS" (as
 * reported); SITC, BEC and services refused naming them. */
int trade_classification(const char *code, char out[8], struct err *e);
/* The year of an HS edition ("H6" -> "2022"), or NULL. */
const char *trade_edition_year(const char *classification);
/* The HS edition a BACI file's name states (BACI_HS17_Y2022_V202401.csv ->
 * H5), else "HS". */
void trade_baci_edition(const char *path, char out[8]);

/* The operations' functions (parameters: see trade_ops). */
int trade_import_op(struct op_call *c, struct err *e);
int trade_source_add(struct op_call *c, struct err *e);
int trade_sources_list(struct db *db, struct table **out, struct err *e);

/* Filters shared by the reports; codes are resolved alpha-3 codes. */
struct trade_query {
    const char *reporter, *partner, *source;
    const char *region_country; /* regions: the reporting country */
    int year, from, to;         /* 0 = not set */
    int level;                  /* goods: 2, 4, 6; mirror: 0 or 2 */
    int top;                    /* 0 = all */
    const char *flow;           /* X, M, or NULL/"turnover" */
    int years;                  /* forecast horizon */
    int monthly;                /* totals: by month */
    const char *sort;           /* goods: value, growth or cagr */
};

int trade_totals(struct db *db, const struct trade_query *q, struct table **out, struct err *e);
int trade_partners(struct db *db, const struct trade_query *q, struct table **out, struct err *e);
int trade_regions(struct db *db, const struct trade_query *q, struct table **out, struct err *e);
int trade_goods(struct db *db, const struct trade_query *q, struct table **out, struct err *e);
int trade_mirror(struct db *db, const struct trade_query *q, struct table **out, struct err *e);
int trade_forecast(struct db *db, const struct trade_query *q, struct table **out, struct err *e);

/* Facts for the dashboard and the brief, as typed values with the sources
 * they rest on (of that year only). found is 0 when there is no figure. */
struct trade_fact {
    int found;
    int part;          /* a part year: some flow summed from some months only */
    int64_t value;     /* turnover, cents */
    double growth_pct; /* on the year before; NAN when that year is missing */
    char source[1200];
    char coverage[600]; /* "January-June only; from N HS lines; no all-goods total in the data
                           (...)", or "" */
};
struct trade_rank {
    int found;
    int rank; /* 1 = the largest partner */
    double share_pct;
    char source[1200];
};
struct trade_share {
    int found;
    int64_t value, total; /* the region's turnover and the country's, cents */
    double share_pct;
    char source[1200];
};
/* reporter's turnover with partner in year, as reporter reports it. */
int trade_fact_turnover(struct db *db, const char *reporter, const char *partner, int year,
                        struct trade_fact *f, struct err *e);
/* partner's rank among reporter's partners in year, and its share. */
int trade_fact_rank(struct db *db, const char *reporter, const char *partner, int year,
                    struct trade_rank *r, struct err *e);
/* region's share of its country's trade with partner in year. */
int trade_fact_region(struct db *db, const char *country, const char *region, const char *partner,
                      int year, struct trade_share *s, struct err *e);
/* The latest whole year with a turnover reported (0 when none): a year summed
 * from some months only is not chosen. */
int trade_latest_year(struct db *db, const char *reporter, const char *partner, int *year,
                      struct err *e);

/* The latest year's value of reporter's flow (X or M) with partner under the
 * comma-separated HS prefixes, by the counting rules above. *year is 0 when
 * no such trade is stored. */
int trade_value_hs(struct db *db, const char *reporter, const char *partner, const char *flow,
                   const char *hs_lines, int *year, int64_t *cents, struct err *e);
/* The net weight of one year's trade under HS lines ("10,1205"), in grams,
 * and the sources it rests on ("; "-separated). Fails, never reads as zero,
 * when a line has no trade that year, only some months, or rows without a
 * weight. */
struct trade_weight_query {
    const char *reporter, *partner, *flow, *hs_lines;
    int year;
};
int trade_weight_hs(struct db *db, const struct trade_weight_query *q, int64_t *grams,
                    char *sources, size_t size, struct err *e);

/* ---- the selection every report reads (pick.c, used by the reports) ---- */

/* One chosen flow, summed per code (and month, for a monthly series). */
struct flow_row {
    char region[12], partner[8], flow[4], code[12], unit[24];
    int year, month;
    int64_t value, net, qty; /* cents, grams, thousandths of unit */
    int has_net, has_qty;    /* every row summed had a weight; a quantity in one unit */
    unsigned editions;       /* bit n: HS edition Hn; bit 7: edition not stated */
    unsigned months;         /* bit m-1: month m summed in; 0: an annual figure */
    int lines;               /* rows summed */
    int from_lines;          /* a total built from HS lines: no all-goods row */
    int64_t source_id;
};
struct flow_set {
    struct flow_row *rows;
    size_t n, cap;
};
/* region: NULL = country-level rows only, "*" = any region, else one region.
 * partner: NULL = every partner. level: 0 = totals, else HS digits.
 * monthly: keep months apart, from monthly rows only. */
struct pick {
    const char *reporter, *region, *partner, *source;
    int from, to, level, monthly;
};
int pick_flows(struct db *db, const struct pick *p, struct flow_set *out, struct err *e);
/* Adds b into a: values, and weights and quantities while every row has
 * them (quantities in one unit). Returns 1 on overflow. */
int flow_row_add(struct flow_row *a, const struct flow_row *b);

/* What a report's figures rest on: sources, HS editions, totals built from
 * HS lines. */
struct cited {
    int64_t ids[64];
    int n;
    unsigned editions;
    uint64_t lines;
    char gaps[12][16]; /* "2023 X": the year and flow a total was built for */
    int ngaps;
    char partial[8][40]; /* "2024 (January-June)": years summed from some months only */
    int npartial;
};
void cited_add(struct cited *s, const struct flow_row *r);
/* "name (publisher, date) [SYNTHETIC]" of a source. */
int source_label(struct db *db, int64_t id, char *out, size_t size, struct err *e);
/* "H5 (HS 2017), H6 (HS 2022)" */
void cited_editions(const struct cited *s, char *out, size_t size);
/* "from 3 HS lines; no all-goods total in the data (2023 X)", or "" */
void cited_coverage(const struct cited *s, char *out, size_t size);
/* "2024 holds January-June only", or "" */
void cited_partial(const struct cited *s, char *out, size_t size);
/* 1 when months (a flow_row's) are some months of a year, not all 12 nor an
 * annual figure. */
int trade_part_year(unsigned months);
/* months as compared: 0 for a whole year (annual, or all twelve months). */
unsigned trade_whole(unsigned months);
/* "January-June", "January-March, May" or "8 months" for a month mask. */
void trade_months_text(unsigned months, char *out, size_t size);
/* The notes under a report: sources, editions, coverage. */
int note_cited(struct db *db, struct table *t, const struct cited *s, struct err *e);

/* Helpers the reports share (query.c). */
double trade_pct(int64_t part, int64_t whole);        /* NAN when whole is 0 */
double trade_change_pct(int64_t now, int64_t before); /* in % of before */
int trade_country_name(struct db *db, const char *code3, char *out, size_t size, struct err *e);
int trade_hs_name(struct db *db, const char *code, char *out, size_t size, struct err *e);
int trade_give(struct table *t, int rc, struct table **out); /* *out = t, or frees t on error */

/* Forecasting core, exposed for tests. Fits the series (x years, y values,
 * n points, years may have gaps) and predicts h years after the last one. */
enum trade_model { MODEL_LOGLINEAR, MODEL_HOLT_DAMPED };
struct trade_fc {
    double point, lo80, hi80, lo95, hi95;
};
/* Returns 0 and fills out[0..h-1], or ERR_INPUT if there are too few points. */
int trade_fc_fit(enum trade_model m, const int *x, const double *y, int n, int h,
                 struct trade_fc *out, struct err *e);
/* Rolling-origin backtest: one-step-ahead forecasts from every origin with at
 * least min_train points; returns the mean absolute percentage error (%), or
 * a negative number when no origin could be tested. */
double trade_fc_backtest(enum trade_model m, const int *x, const double *y, int n, int min_train);

/* Writes a synthetic UN Comtrade "plus" CSV with rows data rows (summary and
 * breakdown rows, HS6 detail) for benchmarks; web: in the shape of the web
 * site's download (47 quoted columns, trailing commas, CRLF, Latin-1). */
int trade_generate(const char *path, long rows, unsigned seed, int web, struct err *e);

#endif
