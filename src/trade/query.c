/* query.c — the trade reports: totals, partners, regions, goods and mirror.
 * All of them read flows through one query (pick_flows) that applies the
 * counting rules stated in trade.h, so no report can count a flow twice or
 * mix two sources' figures for the same flow. */
#include "trade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One aggregated flow as pick_flows returns it. */
struct flow_row {
    char region[12], partner[8], flow[4], code[12];
    int year;
    int64_t value;
    sqlite3_int64 source_id;
};

struct flow_set {
    struct flow_row *rows;
    size_t n, cap;
};

/* region: NULL = country-level rows only, "*" = any region, else one region.
 * partner: NULL = every partner. level: 0 = totals, else HS digits. */
struct pick {
    const char *reporter, *region, *partner, *source;
    int from, to, level;
};

/* The rows pick_flows chooses from, summed per source, month and level. */
struct cand {
    char region[12], partner[8], flow[4], code[12], published[24];
    int year, month, level, synthetic;
    sqlite3_int64 source_id;
    int64_t value;
};

/* %s: the partner test, chosen in pick_flows (never from input) so that
 * SQLite uses the primary key's (reporter, partner, year) prefix. The rows
 * come back raw: the choice of source, period and level is made in C, which
 * is an order of magnitude faster than SQLite's window functions here. */
static const char pick_sql[] =
    "SELECT t.reporter_region, t.partner, t.year, t.flow, t.month,"
    " CASE WHEN t.hs = 'TOTAL' THEN 0 ELSE length(t.hs) END,"
    " CASE WHEN ?7 = 0 THEN 'TOTAL' ELSE substr(t.hs, 1, ?7) END,"
    " t.source_id, s.synthetic, s.published, t.value_cents"
    " FROM trade_flow t JOIN source s ON s.id = t.source_id"
    " WHERE t.reporter = ?1 AND t.breakdown = ''"
    "  AND (CASE WHEN ?2 IS NULL THEN t.reporter_region = '' WHEN ?2 = '*'"
    "       THEN t.reporter_region <> '' ELSE t.reporter_region = ?2 END)"
    "  AND %s AND (?4 IS NULL OR s.name = ?4) AND t.year BETWEEN ?5 AND ?6"
    "  AND (?7 = 0 OR (t.hs <> 'TOTAL' AND length(t.hs) >= ?7))";

static int cmp_partition(const struct cand *x, const struct cand *y)
{
    int c = strcmp(x->region, y->region);
    if (!c) c = strcmp(x->partner, y->partner);
    if (!c) c = x->year - y->year;
    if (!c) c = strcmp(x->flow, y->flow);
    return c;
}

/* partition, then month, level, code, source */
static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    int c = cmp_partition(x, y);
    if (!c) c = x->month - y->month;
    if (!c) c = x->level - y->level;
    if (!c) c = strcmp(x->code, y->code);
    if (!c) c = (x->source_id > y->source_id) - (x->source_id < y->source_id);
    return c;
}

/* 1 if source a ranks before b: published before synthetic, then the latest
 * publication, then the latest import. */
static int source_better(const struct cand *a, const struct cand *b)
{
    if (a->synthetic != b->synthetic) return a->synthetic < b->synthetic;
    int c = strcmp(a->published, b->published);
    if (c) return c > 0;
    return a->source_id > b->source_id;
}

static int cmp_out(const void *a, const void *b)
{
    const struct flow_row *x = a, *y = b;
    int c = strcmp(x->region, y->region);
    if (!c) c = strcmp(x->partner, y->partner);
    if (!c) c = x->year - y->year;
    if (!c) c = strcmp(x->flow, y->flow);
    if (!c) c = strcmp(x->code, y->code);
    return c;
}

static void out_push(struct flow_set *out, const struct cand *c)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 64;
        out->rows = xrealloc(out->rows, out->cap * sizeof *out->rows);
    }
    struct flow_row *r = &out->rows[out->n++];
    memcpy(r->region, c->region, sizeof r->region);
    memcpy(r->partner, c->partner, sizeof r->partner);
    memcpy(r->flow, c->flow, sizeof r->flow);
    memcpy(r->code, c->code, sizeof r->code);
    r->year = c->year;
    r->value = c->value;
    r->source_id = c->source_id;
}

/* Applies the counting rules of trade.h to the candidates of one partition
 * [p, end): best source, annual before monthly, coarsest level per period. */
static void choose(const struct cand *p, const struct cand *end, struct flow_set *out)
{
    const struct cand *best = p;
    for (const struct cand *c = p; c < end; c++)
        if (source_better(c, best)) best = c;
    int annual = 0;
    for (const struct cand *c = p; c < end; c++)
        if (c->source_id == best->source_id && c->month == 0) annual = 1;
    for (const struct cand *c = p; c < end;) {
        /* one month (sorted by month, then level): keep the lowest level */
        int month = c->month, level = -1;
        for (; c < end && c->month == month; c++) {
            if (c->source_id != best->source_id || (month == 0) != annual) continue;
            if (level < 0) level = c->level;
            if (c->level == level) out_push(out, c);
        }
    }
}

static int pick_flows(struct db *db, const struct pick *p, struct flow_set *out, struct err *e)
{
    char sql[sizeof pick_sql + 32];
    snprintf(sql, sizeof sql, pick_sql, p->partner ? "t.partner = ?3" : "?3 IS NULL");
    sqlite3_stmt *st;
    int rc = db_prepare(db, sql, &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, p->reporter);
    db_bind_text(st, 2, p->region);
    db_bind_text(st, 3, p->partner);
    db_bind_text(st, 4, p->source);
    sqlite3_bind_int(st, 5, p->from ? p->from : 1900);
    sqlite3_bind_int(st, 6, p->to ? p->to : 2200);
    sqlite3_bind_int(st, 7, p->level);
    struct cand *cs = NULL;
    size_t n = 0, cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            cs = xrealloc(cs, cap * sizeof *cs);
        }
        struct cand *c = &cs[n++];
        db_col_text(st, 0, c->region, sizeof c->region);
        db_col_text(st, 1, c->partner, sizeof c->partner);
        c->year = sqlite3_column_int(st, 2);
        db_col_text(st, 3, c->flow, sizeof c->flow);
        c->month = sqlite3_column_int(st, 4);
        c->level = sqlite3_column_int(st, 5);
        db_col_text(st, 6, c->code, sizeof c->code);
        c->source_id = sqlite3_column_int64(st, 7);
        c->synthetic = sqlite3_column_int(st, 8);
        db_col_text(st, 9, c->published, sizeof c->published);
        c->value = sqlite3_column_int64(st, 10);
    }
    if (s != SQLITE_DONE) rc = db_fail(db, e, "reading trade flows");
    sqlite3_finalize(st);
    if (!rc && n) {
        qsort(cs, n, sizeof *cs, cmp_cand);
        for (size_t i = 0, j; i < n; i = j) {
            for (j = i + 1; j < n && cmp_partition(&cs[i], &cs[j]) == 0; j++) {
            }
            choose(&cs[i], &cs[j], out);
        }
        /* sum the chosen rows per code (over months and HS sub-codes) */
        qsort(out->rows, out->n, sizeof *out->rows, cmp_out);
        size_t w = 0;
        for (size_t i = 0; i < out->n; i++) {
            if (w && cmp_out(&out->rows[w - 1], &out->rows[i]) == 0)
                out->rows[w - 1].value += out->rows[i].value;
            else
                out->rows[w++] = out->rows[i];
        }
        out->n = w;
    }
    free(cs);
    return rc;
}

/* ---- sources cited under a table ---------------------------------------- */

struct source_set {
    sqlite3_int64 ids[64];
    int n;
};

static void cite(struct source_set *s, sqlite3_int64 id)
{
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] == id) return;
    if (s->n < 64) s->ids[s->n++] = id;
}

/* Writes "name (publisher, date)" for a source into out. */
static const char *source_label(struct db *db, sqlite3_int64 id, char *out, size_t size,
                                int *synthetic)
{
    sqlite3_stmt *st;
    str_copy(out, "?", size);
    if (sqlite3_prepare_v2(db->h,
                           "SELECT name, publisher, published, synthetic FROM source WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return out;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *pub = (const char *)sqlite3_column_text(st, 1);
        const char *date = (const char *)sqlite3_column_text(st, 2);
        int syn = sqlite3_column_int(st, 3);
        if (synthetic) *synthetic = syn;
        char extra[300] = "";
        if (*pub && *date)
            snprintf(extra, sizeof extra, " (%s, %s)", pub, date);
        else if (*pub || *date)
            snprintf(extra, sizeof extra, " (%s)", *pub ? pub : date);
        snprintf(out, size, "%s%s%s", name, extra, syn ? " [SYNTHETIC]" : "");
    }
    sqlite3_finalize(st);
    return out;
}

static void note_sources(struct db *db, struct table *t, const struct source_set *s)
{
    for (int i = 0; i < s->n; i++) {
        char label[600];
        source_label(db, s->ids[i], label, sizeof label, NULL);
        table_note(t, "Source: %s", label);
    }
}

/* ---- per-year exports, imports and turnover ------------------------------ */

struct year_flows {
    int year;
    int has_x, has_m, has_t;
    int64_t x, m, t;
};

static int64_t turnover(const struct year_flows *y, int *ok)
{
    *ok = 1;
    if (y->has_t) return y->t;
    if (y->has_x && y->has_m) return y->x + y->m;
    *ok = 0;
    return 0;
}

/* Folds rows into per-key year_flows; key selects which rows belong. */
static void fold(struct year_flows *yf, const struct flow_row *r)
{
    if (strcmp(r->flow, "X") == 0)
        yf->has_x = 1, yf->x += r->value;
    else if (strcmp(r->flow, "M") == 0)
        yf->has_m = 1, yf->m += r->value;
    else if (strcmp(r->flow, "T") == 0)
        yf->has_t = 1, yf->t += r->value;
}

static void set_money_opt(struct table *t, size_t row, size_t col, int ok, int64_t v)
{
    if (ok) table_set_int(t, row, col, v);
}

static double pct(int64_t part, int64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : NAN;
}

static const char *country_name(struct db *db, const char *code3, char *out, size_t size)
{
    if (!db_lookup(db, "SELECT name FROM country WHERE code3 = ?1", code3, out, size))
        str_copy(out, code3, size);
    return out;
}

/* Per-year flows of reporter with partner (country level), years from..to. */
static int yearly(struct db *db, const char *reporter, const char *partner, const char *source,
                  int from, int to, struct year_flows **out, int *n, struct source_set *cited,
                  struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {reporter, NULL, partner, source, from, to, 0};
    int rc = pick_flows(db, &p, &fs, e);
    *out = NULL;
    *n = 0;
    if (rc) {
        free(fs.rows);
        return rc;
    }
    struct year_flows *y = NULL;
    for (size_t i = 0; i < fs.n; i++) {
        if (!*n || y[*n - 1].year != fs.rows[i].year) {
            y = xrealloc(y, (size_t)(*n + 1) * sizeof *y);
            memset(&y[*n], 0, sizeof *y);
            y[(*n)++].year = fs.rows[i].year;
        }
        fold(&y[*n - 1], &fs.rows[i]);
        if (cited) cite(cited, fs.rows[i].source_id);
    }
    free(fs.rows);
    *out = y;
    return 0;
}

int trade_totals(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct year_flows *y;
    int n;
    struct source_set cited = {0};
    int rc = yearly(db, q->reporter, q->partner, q->source, q->from, q->to, &y, &n, &cited, e);
    if (rc) return rc;
    char rn[96], pn[96], title[400];
    snprintf(title, sizeof title, "Trade of %s with %s as reported by %s (US$)",
             country_name(db, q->reporter, rn, sizeof rn),
             country_name(db, q->partner, pn, sizeof pn), rn);
    struct table *t = table_new("totals", title);
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "exports_usd", COL_MONEY, NULL, 0);
    table_col(t, "imports_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_usd", COL_MONEY, NULL, 0);
    table_col(t, "balance_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_growth_pct", COL_REAL, "%", 2);
    for (int i = 0; i < n; i++) {
        size_t r = table_add_row(t);
        int ok, okp;
        table_set_int(t, r, 0, y[i].year);
        set_money_opt(t, r, 1, y[i].has_x, y[i].x);
        set_money_opt(t, r, 2, y[i].has_m, y[i].m);
        int64_t to = turnover(&y[i], &ok);
        set_money_opt(t, r, 3, ok, to);
        set_money_opt(t, r, 4, y[i].has_x && y[i].has_m, y[i].x - y[i].m);
        if (i && y[i - 1].year == y[i].year - 1) {
            int64_t prev = turnover(&y[i - 1], &okp);
            if (ok && okp && prev) table_set_real(t, r, 5, pct(to - prev, prev));
        }
    }
    table_note(t, "Turnover is the published total where the source gives one, else exports "
                  "plus imports; growth is on the previous year.");
    note_sources(db, t, &cited);
    free(y);
    *out = t;
    return 0;
}

/* ---- partners ------------------------------------------------------------ */

struct partner_tot {
    char code[8];
    struct year_flows f;
    int64_t turnover;
    int ok;
};

static int cmp_partner(const void *a, const void *b)
{
    const struct partner_tot *x = a, *y = b;
    if (x->turnover != y->turnover) return x->turnover < y->turnover ? 1 : -1;
    return strcmp(x->code, y->code);
}

static int is_aggregate(struct db *db, const char *code3)
{
    return db_lookup(db, "SELECT 1 FROM country WHERE code3 = ?1 AND kind = 'aggregate'", code3,
                     NULL, 0);
}

int trade_partners(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, NULL, q->source, q->year, q->year, 0};
    int rc = pick_flows(db, &p, &fs, e);
    if (rc) {
        free(fs.rows);
        return rc;
    }
    struct partner_tot *pt = NULL, world = {0};
    size_t np = 0;
    int have_world = 0;
    struct source_set cited = {0};
    for (size_t i = 0; i < fs.n; i++) {
        struct flow_row *r = &fs.rows[i];
        if (strcmp(r->partner, "WLD") == 0) {
            fold(&world.f, r);
            have_world = 1;
            cite(&cited, r->source_id);
            continue;
        }
        if (is_aggregate(db, r->partner)) continue;
        if (!np || strcmp(pt[np - 1].code, r->partner) != 0) {
            pt = xrealloc(pt, (np + 1) * sizeof *pt);
            memset(&pt[np], 0, sizeof *pt);
            str_copy(pt[np++].code, r->partner, sizeof pt->code);
        }
        fold(&pt[np - 1].f, r);
        cite(&cited, r->source_id);
    }
    free(fs.rows);
    int64_t sum = 0;
    for (size_t i = 0; i < np; i++) {
        pt[i].turnover = turnover(&pt[i].f, &pt[i].ok);
        sum += pt[i].turnover;
    }
    int world_ok = 0;
    int64_t denom = have_world ? turnover(&world.f, &world_ok) : 0;
    if (!world_ok) denom = sum;
    qsort(pt, np, sizeof *pt, cmp_partner);

    char rn[96], title[400];
    snprintf(title, sizeof title, "Trading partners of %s, %d, as reported by %s (US$)",
             country_name(db, q->reporter, rn, sizeof rn), q->year, rn);
    struct table *t = table_new("partners", title);
    table_col(t, "rank", COL_INT, NULL, 0);
    table_col(t, "partner", COL_TEXT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "exports_usd", COL_MONEY, NULL, 0);
    table_col(t, "imports_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_usd", COL_MONEY, NULL, 0);
    table_col(t, "share_pct", COL_REAL, "%", 2);
    for (size_t i = 0; i < np && (q->top <= 0 || (int)i < q->top); i++) {
        size_t r = table_add_row(t);
        char nm[96];
        table_set_int(t, r, 0, (int64_t)i + 1);
        table_set_text(t, r, 1, pt[i].code);
        table_set_text(t, r, 2, country_name(db, pt[i].code, nm, sizeof nm));
        set_money_opt(t, r, 3, pt[i].f.has_x, pt[i].f.x);
        set_money_opt(t, r, 4, pt[i].f.has_m, pt[i].f.m);
        set_money_opt(t, r, 5, pt[i].ok, pt[i].turnover);
        if (pt[i].ok) table_set_real(t, r, 6, pct(pt[i].turnover, denom));
    }
    char money[48];
    dec_format_grouped(denom, 2, money, sizeof money);
    if (world_ok)
        table_note(t, "Shares are of %s's total trade with the world in %d: US$ %s.", rn, q->year,
                   money);
    else
        table_note(t,
                   "No world total is stored for %d: shares are of the sum of the partners "
                   "listed, US$ %s.",
                   q->year, money);
    if (np) {
        char nm[96];
        table_note(t, "Largest partner: %s (%s), %.1f%% of turnover.",
                   country_name(db, pt[0].code, nm, sizeof nm), pt[0].code,
                   pct(pt[0].turnover, denom));
    }
    note_sources(db, t, &cited);
    free(pt);
    *out = t;
    return 0;
}

/* ---- regions ------------------------------------------------------------- */

int trade_regions(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->region_country, "*", q->partner, q->source, q->year, q->year, 0};
    int rc = pick_flows(db, &p, &fs, e);
    struct year_flows *nat = NULL;
    int nn = 0;
    struct source_set nat_src = {0}, reg_src = {0};
    if (!rc)
        rc = yearly(db, q->region_country, q->partner, q->source, q->year, q->year, &nat, &nn,
                    &nat_src, e);
    if (rc) {
        free(fs.rows);
        return rc;
    }
    int denom_ok = 0;
    int64_t denom = nn ? turnover(&nat[0], &denom_ok) : 0;
    char cn[96], pn[96], title[400];
    snprintf(title, sizeof title, "Regions of %s in its trade with %s, %d (US$)",
             country_name(db, q->region_country, cn, sizeof cn),
             country_name(db, q->partner, pn, sizeof pn), q->year);
    struct table *t = table_new("regions", title);
    table_col(t, "region", COL_TEXT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "exports_usd", COL_MONEY, NULL, 0);
    table_col(t, "imports_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_usd", COL_MONEY, NULL, 0);
    table_col(t, "share_pct", COL_REAL, "%", 2);
    for (size_t i = 0; i < fs.n;) {
        struct year_flows yf = {0};
        size_t j = i;
        for (; j < fs.n && strcmp(fs.rows[j].region, fs.rows[i].region) == 0; j++) {
            fold(&yf, &fs.rows[j]);
            cite(&reg_src, fs.rows[j].source_id);
        }
        size_t r = table_add_row(t);
        int ok;
        int64_t to = turnover(&yf, &ok);
        table_set_text(t, r, 0, fs.rows[i].region);
        char name[96];
        if (db_lookup(db, "SELECT name FROM region WHERE code = ?1", fs.rows[i].region, name,
                      sizeof name))
            table_set_text(t, r, 1, name);
        set_money_opt(t, r, 2, yf.has_x, yf.x);
        set_money_opt(t, r, 3, yf.has_m, yf.m);
        set_money_opt(t, r, 4, ok, to);
        if (ok && denom_ok) table_set_real(t, r, 5, pct(to, denom));
        i = j;
    }
    if (denom_ok) {
        char money[48], label[600];
        dec_format_grouped(denom, 2, money, sizeof money);
        source_label(db, nat_src.n ? nat_src.ids[0] : 0, label, sizeof label, NULL);
        table_note(t, "Denominator: %s-reported trade with %s in %d, US$ %s, from %s.", cn, pn,
                   q->year, money, label);
        for (int i = 1; i < nat_src.n; i++) {
            source_label(db, nat_src.ids[i], label, sizeof label, NULL);
            table_note(t, "Denominator also uses: %s.", label);
        }
    } else {
        table_note(t, "No %s-reported total with %s for %d is stored: shares cannot be computed.",
                   cn, pn, q->year);
    }
    for (int i = 0; i < reg_src.n; i++) {
        char label[600];
        source_label(db, reg_src.ids[i], label, sizeof label, NULL);
        table_note(t, "Regional figures: %s.", label);
    }
    free(fs.rows);
    free(nat);
    *out = t;
    return 0;
}

/* ---- goods --------------------------------------------------------------- */

struct good {
    char code[12];
    int64_t cur, prev;
    int has_cur, has_prev;
};

static int cmp_good(const void *a, const void *b)
{
    const struct good *x = a, *y = b;
    if (x->cur != y->cur) return x->cur < y->cur ? 1 : -1;
    return strcmp(x->code, y->code);
}

static int flow_wanted(const char *want, const char *flow)
{
    if (!want || str_ieq(want, "turnover")) return strcmp(flow, "X") == 0 || strcmp(flow, "M") == 0;
    return str_ieq(want, flow);
}

static const char *hs_description(struct db *db, const char *code, char *out, size_t size)
{
    if (!db_lookup(db, "SELECT description FROM hs WHERE code = ?1", code, out, size))
        str_copy(out, "", size);
    return out;
}

static const char *flow_words(const char *flow)
{
    if (!flow || str_ieq(flow, "turnover")) return "Trade";
    return str_ieq(flow, "X") ? "Exports" : "Imports";
}

int trade_goods(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, q->partner, q->source, q->year - 1, q->year, q->level};
    int rc = pick_flows(db, &p, &fs, e);
    if (rc) {
        free(fs.rows);
        return rc;
    }
    struct good *g = NULL;
    size_t ng = 0;
    int64_t total = 0;
    struct source_set cited = {0};
    for (size_t i = 0; i < fs.n; i++) {
        struct flow_row *r = &fs.rows[i];
        if (!flow_wanted(q->flow, r->flow)) continue;
        size_t k = 0;
        while (k < ng && strcmp(g[k].code, r->code) != 0)
            k++;
        if (k == ng) {
            g = xrealloc(g, (ng + 1) * sizeof *g);
            memset(&g[ng], 0, sizeof *g);
            str_copy(g[ng++].code, r->code, sizeof g->code);
        }
        if (r->year == q->year) {
            g[k].cur += r->value, g[k].has_cur = 1, total += r->value;
            cite(&cited, r->source_id);
        } else {
            g[k].prev += r->value, g[k].has_prev = 1;
        }
    }
    free(fs.rows);
    qsort(g, ng, sizeof *g, cmp_good);
    char rn[96], pn[96], title[400];
    snprintf(title, sizeof title, "%s of %s with %s by HS %d-digit code, %d, as reported by %s",
             flow_words(q->flow), country_name(db, q->reporter, rn, sizeof rn),
             country_name(db, q->partner, pn, sizeof pn), q->level, q->year, rn);
    struct table *t = table_new("goods", title);
    table_col(t, "rank", COL_INT, NULL, 0);
    table_col(t, "hs", COL_TEXT, NULL, 0);
    table_col(t, "description", COL_TEXT, NULL, 0);
    table_col(t, "value_usd", COL_MONEY, NULL, 0);
    table_col(t, "share_pct", COL_REAL, "%", 2);
    table_col(t, "previous_usd", COL_MONEY, NULL, 0);
    table_col(t, "change_pct", COL_REAL, "%", 2);
    size_t shown = 0;
    for (size_t i = 0; i < ng; i++) {
        if (!g[i].has_cur) continue;
        if (q->top > 0 && (int)shown >= q->top) break;
        size_t r = table_add_row(t);
        char desc[512];
        table_set_int(t, r, 0, (int64_t)++shown);
        table_set_text(t, r, 1, g[i].code);
        table_set_text(t, r, 2, hs_description(db, g[i].code, desc, sizeof desc));
        table_set_int(t, r, 3, g[i].cur);
        table_set_real(t, r, 4, pct(g[i].cur, total));
        if (g[i].has_prev) {
            table_set_int(t, r, 5, g[i].prev);
            if (g[i].prev) table_set_real(t, r, 6, pct(g[i].cur - g[i].prev, g[i].prev));
        }
    }
    char money[48];
    table_note(t, "Total of all codes: US$ %s; shares are of this total.",
               dec_format_grouped(total, 2, money, sizeof money));
    note_sources(db, t, &cited);
    free(g);
    *out = t;
    return 0;
}

/* ---- value under HS lines (for barriers) ---------------------------------- */

int trade_value_hs(struct db *db, const char *reporter, const char *partner, const char *flow,
                   const char *hs_lines, int *year, int64_t *cents, struct err *e)
{
    char buf[512];
    int level = 2;
    str_copy(buf, hs_lines, sizeof buf);
    for (char *save, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        if ((int)strlen(p) > level) level = (int)strlen(p);
    struct flow_set fs = {0};
    struct pick pk = {reporter, NULL, partner, NULL, 0, 0, level};
    int rc = pick_flows(db, &pk, &fs, e);
    *year = 0;
    *cents = 0;
    for (size_t i = 0; !rc && i < fs.n; i++) {
        const struct flow_row *r = &fs.rows[i];
        if (strcmp(r->flow, flow) != 0 || r->year < *year) continue;
        str_copy(buf, hs_lines, sizeof buf);
        int match = 0;
        for (char *save, *p = strtok_r(buf, ",", &save); p && !match;
             p = strtok_r(NULL, ",", &save))
            match = strncmp(r->code, p, strlen(p)) == 0;
        if (!match) continue;
        if (r->year > *year) *year = r->year, *cents = 0;
        *cents += r->value;
    }
    free(fs.rows);
    return rc;
}

/* ---- mirror -------------------------------------------------------------- */

struct mirror_cell {
    int year;
    char code[12];
    int has[4];
    int64_t v[4]; /* A's X to B, B's M from A, B's X to A, A's M from B */
};

static struct mirror_cell *mirror_slot(struct mirror_cell **cells, size_t *n, int year,
                                       const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if ((*cells)[i].year == year && strcmp((*cells)[i].code, code) == 0) return &(*cells)[i];
    *cells = xrealloc(*cells, (*n + 1) * sizeof **cells);
    struct mirror_cell *c = &(*cells)[(*n)++];
    memset(c, 0, sizeof *c);
    c->year = year;
    str_copy(c->code, code, sizeof c->code);
    return c;
}

static int cmp_mirror(const void *a, const void *b)
{
    const struct mirror_cell *x = a, *y = b;
    if (x->year != y->year) return x->year - y->year;
    return strcmp(x->code, y->code);
}

int trade_mirror(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    const char *a = q->reporter, *b = q->partner;
    struct mirror_cell *cells = NULL;
    size_t nc = 0;
    struct source_set cited = {0};
    for (int side = 0; side < 2; side++) {
        struct flow_set fs = {0};
        struct pick p = {side ? b : a, NULL, side ? a : b, q->source, q->from, q->to, q->level};
        int rc = pick_flows(db, &p, &fs, e);
        if (rc) {
            free(fs.rows);
            free(cells);
            return rc;
        }
        for (size_t i = 0; i < fs.n; i++) {
            struct flow_row *r = &fs.rows[i];
            int x = strcmp(r->flow, "X") == 0, m = strcmp(r->flow, "M") == 0;
            if (!x && !m) continue;
            int slot = side == 0 ? (x ? 0 : 3) : (x ? 2 : 1);
            struct mirror_cell *c = mirror_slot(&cells, &nc, r->year, r->code);
            c->has[slot] = 1;
            c->v[slot] += r->value;
            cite(&cited, r->source_id);
        }
        free(fs.rows);
    }
    qsort(cells, nc, sizeof *cells, cmp_mirror);
    char title[300];
    snprintf(title, sizeof title,
             "Mirror comparison %s-%s: exports as the exporter reports them "
             "(FOB) against imports as the importer reports them (CIF), US$",
             a, b);
    struct table *t = table_new("mirror", title);
    table_col(t, "year", COL_INT, NULL, 0);
    if (q->level) table_col(t, "hs", COL_TEXT, NULL, 0);
    size_t c0 = t->ncols;
    table_col(t, "direction", COL_TEXT, NULL, 0);
    table_col(t, "exporter_reports_usd", COL_MONEY, NULL, 0);
    table_col(t, "importer_reports_usd", COL_MONEY, NULL, 0);
    table_col(t, "gap_usd", COL_MONEY, NULL, 0);
    table_col(t, "gap_pct", COL_REAL, "%", 2);
    for (size_t i = 0; i < nc; i++) {
        for (int dir = 0; dir < 2; dir++) {
            int xs = dir ? 2 : 0, ms = dir ? 3 : 1;
            const struct mirror_cell *c = &cells[i];
            if (!c->has[xs] && !c->has[ms]) continue;
            size_t r = table_add_row(t);
            char d[32];
            snprintf(d, sizeof d, "%s->%s", dir ? b : a, dir ? a : b);
            table_set_int(t, r, 0, c->year);
            if (q->level) table_set_text(t, r, 1, c->code);
            table_set_text(t, r, c0, d);
            set_money_opt(t, r, c0 + 1, c->has[xs], c->v[xs]);
            set_money_opt(t, r, c0 + 2, c->has[ms], c->v[ms]);
            if (c->has[xs] && c->has[ms]) {
                table_set_int(t, r, c0 + 3, c->v[ms] - c->v[xs]);
                if (c->v[xs]) table_set_real(t, r, c0 + 4, pct(c->v[ms] - c->v[xs], c->v[xs]));
            }
        }
    }
    table_note(t, "gap = importer's figure - exporter's figure; gap_pct is of the exporter's "
                  "figure. Imports are valued CIF (with freight and insurance), exports FOB; "
                  "timing, transit and partner attribution also open gaps.");
    note_sources(db, t, &cited);
    free(cells);
    *out = t;
    return 0;
}

/* Used by forecast.c: the yearly series of one flow ("turnover", X, M). */
int trade_series(struct db *db, const struct trade_query *q, int **years, double **values, int *n,
                 struct table *cite_into, struct err *e);

int trade_series(struct db *db, const struct trade_query *q, int **years, double **values, int *n,
                 struct table *cite_into, struct err *e)
{
    struct year_flows *y;
    int ny;
    struct source_set cited = {0};
    int rc = yearly(db, q->reporter, q->partner, q->source, q->from, q->to, &y, &ny, &cited, e);
    if (rc) return rc;
    *years = xmalloc((size_t)(ny ? ny : 1) * sizeof **years);
    *values = xmalloc((size_t)(ny ? ny : 1) * sizeof **values);
    *n = 0;
    for (int i = 0; i < ny; i++) {
        int ok = 0;
        int64_t v = 0;
        if (!q->flow || str_ieq(q->flow, "turnover"))
            v = turnover(&y[i], &ok);
        else if (str_ieq(q->flow, "X"))
            ok = y[i].has_x, v = y[i].x;
        else if (str_ieq(q->flow, "M"))
            ok = y[i].has_m, v = y[i].m;
        if (!ok || v <= 0) continue;
        (*years)[*n] = y[i].year;
        (*values)[(*n)++] = (double)v;
    }
    if (cite_into) note_sources(db, cite_into, &cited);
    free(y);
    return 0;
}
