/* pick.c — the one query every trade report reads flows through. It applies
 * the counting rules stated in trade.h (breakdown rows never added, one
 * source per flow, annual before monthly, the coarsest commodity level
 * present), sums what is chosen per code, and keeps what a report must say
 * about its figures: the sources, the HS editions behind them, and where a
 * total had to be built from HS lines because the data hold no all-goods
 * figure. */
#include "trade.h"

#include <stdlib.h>
#include <string.h>

/* The rows pick_flows chooses from, summed per source, month and level. */
struct cand {
    struct flow_row row;
    char published[24], hs[16]; /* hs: the whole code, for the prefix test */
    int month, level, synthetic;
};

/* %s: the partner test, chosen in pick_flows (never from input) so that
 * SQLite uses the primary key's (reporter, partner, year) prefix. The rows
 * come back raw: the choice of source, period and level is made in C, which
 * is an order of magnitude faster than SQLite's window functions here. */
static const char pick_sql[] =
    "SELECT t.reporter_region, t.partner, t.year, t.flow, t.month,"
    " CASE WHEN t.hs = 'TOTAL' THEN 0 ELSE length(t.hs) END,"
    " CASE WHEN ?7 = 0 THEN 'TOTAL' ELSE substr(t.hs, 1, ?7) END,"
    " t.source_id, s.synthetic, s.published, t.value_cents, t.classification,"
    " t.net_g, t.qty, t.qty_unit, t.hs"
    " FROM trade_flow t JOIN source s ON s.id = t.source_id"
    " WHERE t.reporter = ?1 AND t.breakdown = ''"
    "  AND (CASE WHEN ?2 IS NULL THEN t.reporter_region = '' WHEN ?2 = '*'"
    "       THEN t.reporter_region <> '' ELSE t.reporter_region = ?2 END)"
    "  AND %s AND (?4 IS NULL OR s.name = ?4) AND t.year BETWEEN ?5 AND ?6"
    "  AND (?7 = 0 OR (t.hs <> 'TOTAL' AND length(t.hs) >= ?7))";

static int cmp_partition(const struct cand *x, const struct cand *y)
{
    int c = strcmp(x->row.region, y->row.region);
    if (!c) c = strcmp(x->row.partner, y->row.partner);
    if (!c) c = x->row.year - y->row.year;
    if (!c) c = strcmp(x->row.flow, y->row.flow);
    return c;
}

/* partition, then month, level, code, source */
static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    int c = cmp_partition(x, y);
    if (!c) c = x->month - y->month;
    if (!c) c = x->level - y->level;
    if (!c) c = strcmp(x->row.code, y->row.code);
    if (!c) c = (x->row.source_id > y->row.source_id) - (x->row.source_id < y->row.source_id);
    return c;
}

/* 1 if source a ranks before b: published before synthetic, then the latest
 * publication, then the latest import. */
static int source_better(const struct cand *a, const struct cand *b)
{
    if (a->synthetic != b->synthetic) return a->synthetic < b->synthetic;
    int c = strcmp(a->published, b->published);
    if (c) return c > 0;
    return a->row.source_id > b->row.source_id;
}

static int cmp_out(const void *a, const void *b)
{
    const struct flow_row *x = a, *y = b;
    int c = strcmp(x->region, y->region);
    if (!c) c = strcmp(x->partner, y->partner);
    if (!c) c = x->year - y->year;
    if (!c) c = x->month - y->month;
    if (!c) c = strcmp(x->flow, y->flow);
    if (!c) c = strcmp(x->code, y->code);
    return c;
}

static void out_push(struct flow_set *out, const struct cand *c, int keep_month, int from_lines)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->rows = xrealloc(out->rows, out->cap * sizeof *out->rows);
    }
    struct flow_row *r = &out->rows[out->n++];
    *r = c->row;
    r->month = keep_month ? c->month : 0;
    r->months = c->month ? 1u << (c->month - 1) : 0;
    r->lines = 1;
    r->from_lines = from_lines;
}

/* 1 if a kept row's code is a prefix of c's: c is part of what is kept. */
static int covered(const struct cand *const *kept, size_t n, const struct cand *c)
{
    for (size_t i = 0; i < n && kept[i]->level < c->level; i++)
        if (strncmp(c->hs, kept[i]->hs, strlen(kept[i]->hs)) == 0) return 1;
    return 0;
}

static int cmp_level_code(const void *a, const void *b)
{
    const struct cand *x = *(const struct cand *const *)a, *y = *(const struct cand *const *)b;
    int c = x->level - y->level;
    if (!c) c = strcmp(x->hs, y->hs);
    if (!c) c = x->month - y->month;
    return c;
}

/* Keeps, of one source's rows rows[0..n) (sorted by level, code, month),
 * those that add up without counting a flow twice. Per code: its annual
 * row where there is one, else its months. Across codes: the all-goods row
 * where there is one, else every code that no coarser kept code already
 * holds (02 and 870380 both; 0201 not under 02). */
static void keep_codes(const struct pick *pk, const struct cand **rows, size_t n,
                       struct flow_set *out)
{
    const struct cand **kept = xmalloc((n ? n : 1) * sizeof *kept);
    size_t nk = 0;
    int total = n && rows[0]->level == 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(rows[j]->hs, rows[i]->hs) == 0; j++) {
        }
        if (total ? rows[i]->level != 0 : covered(kept, nk, rows[i])) continue;
        kept[nk++] = rows[i];
        int annual = rows[i]->month == 0; /* months sort after the annual row */
        for (size_t k = i; k < (annual ? i + 1 : j); k++)
            out_push(out, rows[k], pk->monthly, pk->level == 0 && rows[k]->level > 0);
    }
    free(kept);
}

/* Applies the counting rules of trade.h to the candidates of one partition
 * [p, end): the best source (for totals among those giving an all-goods
 * row, and among those giving annual rows, when any does; for a monthly
 * series, monthly rows only), then the rows that add up. */
static void choose(const struct pick *pk, const struct cand *p, const struct cand *end,
                   struct flow_set *out)
{
    int want_total = 0, want_annual = 0;
    for (const struct cand *c = p; c < end && pk->level == 0; c++)
        if (c->level == 0 && (!pk->monthly || c->month)) want_total = 1;
    for (const struct cand *c = p; c < end && !pk->monthly; c++)
        if (c->month == 0 && (!want_total || c->level == 0)) want_annual = 1;
    const struct cand *best = NULL;
    for (const struct cand *c = p; c < end; c++)
        if ((!pk->monthly || c->month) && (!want_total || c->level == 0) &&
            (!want_annual || c->month == 0) && (!best || source_better(c, best)))
            best = c;
    if (!best) return;
    const struct cand **rows = xmalloc((size_t)(end - p) * sizeof *rows);
    size_t n = 0;
    for (const struct cand *c = p; c < end; c++)
        if (c->row.source_id == best->row.source_id && (!pk->monthly || c->month)) rows[n++] = c;
    if (!pk->monthly) {
        qsort(rows, n, sizeof *rows, cmp_level_code);
        keep_codes(pk, rows, n, out);
    } else { /* each month apart (the candidates come sorted by month) */
        for (size_t i = 0, j; i < n; i = j) {
            for (j = i + 1; j < n && rows[j]->month == rows[i]->month; j++) {
            }
            qsort(rows + i, j - i, sizeof *rows, cmp_level_code);
            keep_codes(pk, rows + i, j - i, out);
        }
    }
    free(rows);
}

int flow_row_add(struct flow_row *a, const struct flow_row *b)
{
    int over = __builtin_add_overflow(a->value, b->value, &a->value);
    if (a->has_net && b->has_net)
        over |= __builtin_add_overflow(a->net, b->net, &a->net);
    else
        a->has_net = 0;
    if (a->has_qty && b->has_qty && strcmp(a->unit, b->unit) == 0)
        over |= __builtin_add_overflow(a->qty, b->qty, &a->qty);
    else
        a->has_qty = 0;
    a->editions |= b->editions;
    a->months |= b->months;
    a->lines += b->lines;
    a->from_lines |= b->from_lines;
    return over;
}

static unsigned edition_bit(const char *cls)
{
    return cls[0] == 'H' && cls[1] >= '0' && cls[1] <= '6' && !cls[2] ? 1u << (cls[1] - '0')
                                                                      : 1u << 7;
}

static void read_cand(struct db_stmt *st, struct cand *c)
{
    struct flow_row *r = &c->row;
    memset(c, 0, sizeof *c);
    db_col_text(st, 0, r->region, sizeof r->region);
    db_col_text(st, 1, r->partner, sizeof r->partner);
    r->year = (int)db_col_int(st, 2);
    db_col_text(st, 3, r->flow, sizeof r->flow);
    c->month = (int)db_col_int(st, 4);
    c->level = (int)db_col_int(st, 5);
    db_col_text(st, 6, r->code, sizeof r->code);
    r->source_id = db_col_int(st, 7);
    c->synthetic = (int)db_col_int(st, 8);
    db_col_text(st, 9, c->published, sizeof c->published);
    r->value = db_col_int(st, 10);
    char cls[8];
    db_col_text(st, 11, cls, sizeof cls);
    r->editions = edition_bit(cls);
    r->has_net = !db_col_null(st, 12);
    r->net = db_col_int(st, 12);
    r->has_qty = !db_col_null(st, 13);
    r->qty = db_col_int(st, 13);
    db_col_text(st, 14, r->unit, sizeof r->unit);
    db_col_text(st, 15, c->hs, sizeof c->hs);
}

int pick_flows(struct db *db, const struct pick *p, struct flow_set *out, struct err *e)
{
    char sql[sizeof pick_sql + 32];
    snprintf(sql, sizeof sql, pick_sql, p->partner ? "t.partner = ?3" : "?3 IS NULL");
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e, sql, "ttttnnn", p->reporter, p->region, p->partner, p->source,
                        p->from ? p->from : 1900, p->to ? p->to : 2200, p->level);
    struct cand *cs = NULL;
    size_t n = 0, cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            cs = xrealloc(cs, cap * sizeof *cs);
        }
        read_cand(st, &cs[n++]);
    }
    db_finalize(st);
    if (!rc && n) {
        qsort(cs, n, sizeof *cs, cmp_cand);
        for (size_t i = 0, j; i < n; i = j) {
            for (j = i + 1; j < n && cmp_partition(&cs[i], &cs[j]) == 0; j++) {
            }
            choose(p, &cs[i], &cs[j], out);
        }
        /* sum the chosen rows per code (over months and HS sub-codes) */
        if (out->n) qsort(out->rows, out->n, sizeof *out->rows, cmp_out);
        size_t w = 0;
        for (size_t i = 0; i < out->n && !rc; i++) {
            if (w && cmp_out(&out->rows[w - 1], &out->rows[i]) == 0) {
                if (flow_row_add(&out->rows[w - 1], &out->rows[i]))
                    rc = err_set(e, ERR_LIMIT, "the sum of these trade values overflows");
            } else {
                out->rows[w++] = out->rows[i];
            }
        }
        out->n = w;
    }
    free(cs);
    return rc;
}

/* ---- what the figures rest on ------------------------------------------------ */

int trade_part_year(unsigned months)
{
    return months != 0 && months != 0xFFFu;
}

unsigned trade_whole(unsigned months)
{
    return trade_part_year(months) ? months : 0;
}

void trade_months_text(unsigned months, char *out, size_t size)
{
    static const char *const names[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
    size_t o = 0;
    int runs = 0;
    out[0] = 0;
    for (int m = 0; m < 12 && o < size; m++) {
        if (!(months & (1u << m))) continue;
        int last = m;
        while (last + 1 < 12 && (months & (1u << (last + 1))))
            last++;
        if (++runs > 3) {
            snprintf(out, size, "%d months", __builtin_popcount(months & 0xFFFu));
            return;
        }
        o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "", names[m]);
        if (last > m && o < size) o += (size_t)snprintf(out + o, size - o, "-%s", names[last]);
        m = last;
    }
}

void cited_add(struct cited *s, const struct flow_row *r)
{
    int seen = 0;
    for (int i = 0; i < s->n && !seen; i++)
        seen = s->ids[i] == r->source_id;
    if (!seen && s->n < 64) s->ids[s->n++] = r->source_id;
    s->editions |= r->editions;
    if (trade_part_year(r->months) && r->month == 0) {
        char what[40], months[32];
        trade_months_text(r->months, months, sizeof months);
        snprintf(what, sizeof what, "%d (%s)", r->year, months);
        int known = 0;
        for (int i = 0; i < s->npartial && !known; i++)
            known = strcmp(s->partial[i], what) == 0;
        if (!known && s->npartial < 8) str_copy(s->partial[s->npartial++], what, sizeof what);
    }
    if (!r->from_lines) return;
    s->lines += (uint64_t)r->lines;
    char what[16];
    snprintf(what, sizeof what, "%d %s", r->year, r->flow);
    for (int i = 0; i < s->ngaps; i++)
        if (strcmp(s->gaps[i], what) == 0) return;
    if (s->ngaps < 12) str_copy(s->gaps[s->ngaps++], what, sizeof s->gaps[0]);
}

int source_label(struct db *db, int64_t id, char *out, size_t size, struct err *e)
{
    struct db_stmt *st;
    str_copy(out, "?", size);
    int rc = db_prepare(db, &st, e,
                        "SELECT name, publisher, published, synthetic FROM source WHERE id = ?1",
                        "i", id);
    if (!rc && (rc = db_step(st, e)) == 1) {
        const char *name = db_col_str(st, 0), *pub = db_col_str(st, 1), *date = db_col_str(st, 2);
        int syn = (int)db_col_int(st, 3);
        char extra[300] = "";
        if (*pub && *date)
            snprintf(extra, sizeof extra, " (%s, %s)", pub, date);
        else if (*pub || *date)
            snprintf(extra, sizeof extra, " (%s)", *pub ? pub : date);
        snprintf(out, size, "%s%s%s", name, extra, syn ? " [SYNTHETIC]" : "");
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

void cited_editions(const struct cited *s, char *out, size_t size)
{
    size_t o = 0;
    int n = 0;
    out[0] = 0;
    for (int b = 0; b < 7; b++)
        if (s->editions & (1u << b)) {
            char cls[3] = {'H', (char)('0' + b), 0};
            o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%sH%d (HS %s)",
                                  n++ ? ", " : "", b, trade_edition_year(cls));
        }
    if (s->editions & (1u << 7))
        snprintf(out + o, o < size ? size - o : 0, "%sas reported (edition not stated)",
                 n++ ? ", " : "");
}

void cited_coverage(const struct cited *s, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    if (!s->ngaps) return;
    o += (size_t)snprintf(out, size, "from %llu HS line%s; no all-goods total in the data (",
                          (unsigned long long)s->lines, s->lines == 1 ? "" : "s");
    for (int i = 0; i < s->ngaps && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? ", " : "", s->gaps[i]);
    if (o < size) snprintf(out + o, size - o, "%s)", s->ngaps == 12 ? "..." : "");
}

void cited_partial(const struct cited *s, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < s->npartial && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "; " : "", s->partial[i]);
}

int note_cited(struct db *db, struct table *t, const struct cited *s, struct err *e)
{
    char text[600];
    for (int i = 0; i < s->n; i++) {
        int rc = source_label(db, s->ids[i], text, sizeof text, e);
        if (rc) return rc;
        table_note(t, TF("Source: %s"), text);
    }
    if (s->editions & 0x7Fu) { /* nothing to say when no source states one */
        cited_editions(s, text, sizeof text);
        int mixed = __builtin_popcount(s->editions & 0x7Fu) > 1;
        table_note(t,
                   mixed ? TF("HS editions mixed: %s: codes below the chapter may not compare "
                              "across editions")
                         : TF("HS edition: %s."),
                   text);
    }
    if (s->ngaps) {
        cited_coverage(s, text, sizeof text);
        table_note(t, TF("Coverage: %s: these totals add only the goods the data hold."), text);
    }
    if (s->npartial) {
        cited_partial(s, text, sizeof text);
        table_note(t,
                   TF("Part years, summed from the months the data hold: %s. They are not whole "
                      "years: growth against a year of other months is left out."),
                   text);
    }
    return 0;
}
