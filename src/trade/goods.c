/* goods.c — the commodity structure of a reporter's trade with a partner:
 * each HS code's value and share in a year, the year before and the change,
 * compound annual growth (CAGR) since a chosen year, net weight, quantity
 * and unit value (US$ per tonne), sorted by value, growth or CAGR. */
#include "trade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct good {
    char code[12];
    struct flow_row sum;               /* the year's rows: value, weight, quantity */
    int64_t prev, base;                /* the year before, the CAGR's first year */
    unsigned prev_months, base_months; /* their months (0: whole years) */
    int has_cur, has_prev, has_base;
    double growth, cagr; /* %, NAN when there is no base */
};

static int flow_wanted(const char *want, const char *flow)
{
    if (!want || str_ieq(want, "turnover")) return strcmp(flow, "X") == 0 || strcmp(flow, "M") == 0;
    return str_ieq(want, flow);
}

static int cmp_code_year(const void *a, const void *b)
{
    const struct flow_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : x->year - y->year;
}

/* Adds one row of the report's year into g: value, weight, quantity. */
static int add_year_row(struct good *g, const struct flow_row *r)
{
    if (g->has_cur) return flow_row_add(&g->sum, r);
    g->sum = *r;
    g->has_cur = 1;
    return 0;
}

/* The codes' values in the span, grouped by code; the year's total. */
static int goods_sum(const struct trade_query *q, int from, struct flow_set *fs, struct good **out,
                     size_t *ng, int64_t *total, struct cited *cited, struct err *e)
{
    struct good *g = NULL;
    int over = 0;
    *ng = 0;
    *total = 0;
    if (fs->n) qsort(fs->rows, fs->n, sizeof *fs->rows, cmp_code_year);
    for (size_t i = 0; i < fs->n; i++) {
        const struct flow_row *r = &fs->rows[i];
        if (!flow_wanted(q->flow, r->flow)) continue;
        if (!*ng || strcmp(g[*ng - 1].code, r->code) != 0) {
            g = xrealloc(g, (*ng + 1) * sizeof *g);
            memset(&g[*ng], 0, sizeof *g);
            str_copy(g[(*ng)++].code, r->code, sizeof g->code);
        }
        struct good *k = &g[*ng - 1];
        if (r->year == q->year || r->year == q->year - 1 || r->year == from)
            cited_add(cited, r); /* every year shown: its sources and HS edition */
        if (r->year == q->year) {
            over |= add_year_row(k, r);
            over |= __builtin_add_overflow(*total, r->value, total);
        }
        if (r->year == q->year - 1) {
            over |= __builtin_add_overflow(k->prev, r->value, &k->prev);
            k->has_prev = 1;
            k->prev_months |= r->months;
        }
        if (r->year == from) {
            over |= __builtin_add_overflow(k->base, r->value, &k->base);
            k->has_base = 1;
            k->base_months |= r->months;
        }
    }
    for (size_t i = 0; i < *ng; i++) {
        struct good *k = &g[i];
        /* like for like: a part year against the same months, or nothing */
        unsigned m = trade_whole(k->sum.months);
        k->growth = k->has_prev && k->prev && m == trade_whole(k->prev_months)
                        ? trade_change_pct(k->sum.value, k->prev)
                        : NAN;
        double cur = (double)k->sum.value;
        k->cagr = k->has_base && k->base > 0 && cur > 0 && !m && !trade_whole(k->base_months)
                      ? 100.0 * (pow(cur / (double)k->base, 1.0 / (q->year - from)) - 1)
                      : NAN;
    }
    *out = g;
    return over ? err_set(e, ERR_LIMIT, "the sum of the trade values overflows") : 0;
}

/* Descending on the key (value, growth or cagr); codes without it last;
 * then by value and code. */
static int cmp_good(const void *a, const void *b, void *key)
{
    const struct good *x = a, *y = b;
    const char *sort_key = key;
    if (x->has_cur != y->has_cur) return y->has_cur - x->has_cur;
    if (sort_key && strcmp(sort_key, "value") != 0) {
        double u = strcmp(sort_key, "growth") == 0 ? x->growth : x->cagr;
        double v = strcmp(sort_key, "growth") == 0 ? y->growth : y->cagr;
        if (isnan(u) != isnan(v)) return isnan(u) ? 1 : -1;
        if (!isnan(u) && u != v) return u < v ? 1 : -1;
    }
    if (x->sum.value != y->sum.value) return x->sum.value < y->sum.value ? 1 : -1;
    return strcmp(x->code, y->code);
}

static const char *const goods_cols[] = {
    "rank",       "hs",       "description",  "value_usd", "share_pct",     "previous_usd",
    "change_pct", "cagr_pct", "net_weight_t", "quantity",  "quantity_unit", "unit_value_usd_per_t"};
static const enum col_type goods_types[] = {COL_INT,  COL_TEXT,  COL_TEXT, COL_MONEY,
                                            COL_REAL, COL_MONEY, COL_REAL, COL_REAL,
                                            COL_MASS, COL_REAL,  COL_TEXT, COL_REAL};

static void goods_row(struct table *t, size_t r, const struct good *g, const char *desc,
                      size_t rank, int64_t total)
{
    table_set_int(t, r, 0, (int64_t)rank);
    table_set_text(t, r, 1, g->code);
    table_set_text(t, r, 2, desc);
    const struct flow_row *s = &g->sum;
    table_set_int(t, r, 3, s->value);
    table_set_real(t, r, 4, trade_pct(s->value, total));
    if (g->has_prev) table_set_int(t, r, 5, g->prev);
    if (!isnan(g->growth)) table_set_real(t, r, 6, g->growth);
    if (!isnan(g->cagr)) table_set_real(t, r, 7, g->cagr);
    if (s->has_net) table_set_int(t, r, 8, s->net);
    if (s->has_qty) {
        table_set_real(t, r, 9, (double)s->qty / 1000.0);
        table_set_text(t, r, 10, s->unit);
    }
    /* cents per gram times 10^4 is dollars per tonne */
    if (s->has_net && s->net > 0)
        table_set_real(t, r, 11, (double)s->value / (double)s->net * 10000.0);
}

static int goods_rows(struct db *db, struct table *t, const struct trade_query *q,
                      const struct good *g, size_t ng, int64_t total, struct err *e)
{
    size_t shown = 0;
    for (size_t i = 0; i < ng && g[i].has_cur; i++) {
        if (q->top > 0 && (int)shown >= q->top) break;
        char desc[512];
        int rc = trade_hs_name(db, g[i].code, desc, sizeof desc, e);
        if (rc) return rc;
        goods_row(t, table_add_row(t), &g[i], desc, ++shown, total);
    }
    return 0;
}

static struct table *goods_table(const struct trade_query *q, int from, const char *rn,
                                 const char *pn)
{
    char title[400], year[16], base[16];
    const char *fmt = !q->flow || str_ieq(q->flow, "turnover")
                          ? TF("Trade of %s with %s by HS %d-digit code, %d, as reported by %s")
                      : str_ieq(q->flow, "X")
                          ? TF("Exports of %s with %s by HS %d-digit code, %d, as reported by %s")
                          : TF("Imports of %s with %s by HS %d-digit code, %d, as reported by %s");
    snprintf(title, sizeof title, fmt, rn, pn, q->level, q->year, rn);
    struct table *t = table_new("goods", title);
    for (size_t i = 0; i < sizeof goods_cols / sizeof *goods_cols; i++) {
        const char *unit = i == 11 ? "US$/t" : goods_types[i] == COL_REAL && i != 9 ? "%" : NULL;
        size_t c = table_col(t, goods_cols[i], goods_types[i], unit, i == 9 ? 3 : 2);
        if (i >= 7) table_optional(t, c); /* CAGR, weight, quantity: where the data have them */
    }
    snprintf(year, sizeof year, "%d", q->year);
    snprintf(base, sizeof base, "%d", from);
    table_context(t, "reporter", q->reporter);
    table_context(t, "partner", q->partner);
    table_context(t, "year", year);
    table_context(t, "flow", q->flow ? q->flow : "turnover");
    table_context(t, "cagr_from", base);
    return t;
}

int trade_goods(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    int from = q->from ? q->from : q->year - 5;
    if (from >= q->year) {
        err_set(e, ERR_INPUT, "the growth span must start before %d (from is %d)", q->year, from);
        return err_field(e, "from");
    }
    struct flow_set fs = {0};
    /* the years shown only: this one, the one before, the CAGR's first */
    struct pick p = {q->reporter, NULL, q->partner, q->source, q->year - 1, q->year, q->level, 0};
    struct pick base = {q->reporter, NULL, q->partner, q->source, from, from, q->level, 0};
    struct good *g = NULL;
    size_t ng = 0;
    int64_t total = 0;
    struct cited cited = {0};
    char rn[96] = "", pn[96] = "", money[48];
    int rc = pick_flows(db, &p, &fs, e);
    if (!rc && from < q->year - 1) rc = pick_flows(db, &base, &fs, e);
    if (!rc) rc = goods_sum(q, from, &fs, &g, &ng, &total, &cited, e);
    free(fs.rows);
    if (!rc && ng) qsort_r(g, ng, sizeof *g, cmp_good, (void *)q->sort);
    if (!rc) rc = trade_country_name(db, q->reporter, rn, sizeof rn, e);
    if (!rc) rc = trade_country_name(db, q->partner, pn, sizeof pn, e);
    struct table *t = goods_table(q, from, rn, pn);
    if (!rc) rc = goods_rows(db, t, q, g, ng, total, e);
    if (!rc && !t->nrows) {
        table_note(t, TF("No data at HS %d-digit level for %s with %s in %d."), q->level, rn, pn,
                   q->year);
    } else if (!rc) {
        table_note(t, TF("Total of all codes: US$ %s; shares are of this total."),
                   dec_format_grouped(total, 2, money, sizeof money));
        table_note(t,
                   TF("change_pct is on %d; cagr_pct is the compound annual growth from %d to "
                      "%d. Sorted by %s."),
                   q->year - 1, from, q->year,
                   !q->sort || strcmp(q->sort, "value") == 0 ? T("value")
                   : strcmp(q->sort, "growth") == 0          ? T("change on the year before")
                                                             : "CAGR");
        table_note(t, TF("Net weight, quantity and unit value (US$ per tonne of net weight) are "
                         "shown where every row summed gives them (and one unit)."));
    }
    if (!rc) rc = note_cited(db, t, &cited, e);
    free(g);
    return trade_give(t, rc, out);
}
