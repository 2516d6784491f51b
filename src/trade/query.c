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
    int64_t source_id;
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
    int64_t source_id;
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
        struct cand *c = &cs[n++];
        db_col_text(st, 0, c->region, sizeof c->region);
        db_col_text(st, 1, c->partner, sizeof c->partner);
        c->year = (int)db_col_int(st, 2);
        db_col_text(st, 3, c->flow, sizeof c->flow);
        c->month = (int)db_col_int(st, 4);
        c->level = (int)db_col_int(st, 5);
        db_col_text(st, 6, c->code, sizeof c->code);
        c->source_id = db_col_int(st, 7);
        c->synthetic = (int)db_col_int(st, 8);
        db_col_text(st, 9, c->published, sizeof c->published);
        c->value = db_col_int(st, 10);
    }
    db_finalize(st);
    if (!rc && n) {
        qsort(cs, n, sizeof *cs, cmp_cand);
        for (size_t i = 0, j; i < n; i = j) {
            for (j = i + 1; j < n && cmp_partition(&cs[i], &cs[j]) == 0; j++) {
            }
            choose(&cs[i], &cs[j], out);
        }
        /* sum the chosen rows per code (over months and HS sub-codes) */
        if (out->n) qsort(out->rows, out->n, sizeof *out->rows, cmp_out);
        size_t w = 0;
        for (size_t i = 0; i < out->n && !rc; i++) {
            if (w && cmp_out(&out->rows[w - 1], &out->rows[i]) == 0) {
                if (__builtin_add_overflow(out->rows[w - 1].value, out->rows[i].value,
                                           &out->rows[w - 1].value))
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

/* ---- sources cited under a table ---------------------------------------- */

struct source_set {
    int64_t ids[64];
    int n;
};

static void cite(struct source_set *s, int64_t id)
{
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] == id) return;
    if (s->n < 64) s->ids[s->n++] = id;
}

/* Writes "name (publisher, date)" for a source into out. */
static int source_label(struct db *db, int64_t id, char *out, size_t size, struct err *e)
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

static int note_sources(struct db *db, struct table *t, const struct source_set *s, struct err *e)
{
    for (int i = 0; i < s->n; i++) {
        char label[600];
        int rc = source_label(db, s->ids[i], label, sizeof label, e);
        if (rc) return rc;
        table_note(t, "Source: %s", label);
    }
    return 0;
}

/* ---- per-year exports, imports and turnover ------------------------------ */

struct year_flows {
    int year;
    int has_x, has_m, has_t;
    int overflow; /* a sum went past what 64 bits hold */
    int64_t x, m, t;
};

static int64_t turnover(struct year_flows *y, int *ok)
{
    *ok = 1;
    if (y->has_t) return y->t;
    int64_t s;
    if (y->has_x && y->has_m) {
        if (!__builtin_add_overflow(y->x, y->m, &s)) return s;
        y->overflow = 1;
    }
    *ok = 0;
    return 0;
}

static void fold(struct year_flows *yf, const struct flow_row *r)
{
    int64_t *v = NULL;
    if (strcmp(r->flow, "X") == 0)
        yf->has_x = 1, v = &yf->x;
    else if (strcmp(r->flow, "M") == 0)
        yf->has_m = 1, v = &yf->m;
    else if (strcmp(r->flow, "T") == 0)
        yf->has_t = 1, v = &yf->t;
    if (v && __builtin_add_overflow(*v, r->value, v)) yf->overflow = 1;
}

static int overflowed(const struct year_flows *y, int n, struct err *e)
{
    for (int i = 0; i < n; i++)
        if (y[i].overflow)
            return err_set(e, ERR_LIMIT, "the sum of the trade values of %d overflows", y[i].year);
    return 0;
}

static void set_money_opt(struct table *t, size_t row, size_t col, int ok, int64_t v)
{
    if (ok) table_set_int(t, row, col, v);
}

static double pct(int64_t part, int64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : NAN;
}

/* The change from a to b in % of a (the difference taken exactly). */
static double change_pct(int64_t b, int64_t a)
{
    int64_t d;
    if (__builtin_sub_overflow(b, a, &d)) return 100.0 * ((double)b / (double)a - 1);
    return pct(d, a);
}

/* The name of a code from the reference tables (the code itself when it
 * has none); an error when the database fails. */
static int name_of(struct db *db, const char *sql, const char *code, char *out, size_t size,
                   struct err *e)
{
    int rc = db_lookup(db, e, out, size, sql, "t", code);
    if (rc == 0) str_copy(out, code, size);
    return rc < 0 ? rc : 0;
}

static int country_name(struct db *db, const char *code3, char *out, size_t size, struct err *e)
{
    return name_of(db, "SELECT name FROM country WHERE code3 = ?1", code3, out, size, e);
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
    if ((rc = overflowed(y, *n, e))) {
        free(y);
        *n = 0;
        return rc;
    }
    *out = y;
    return 0;
}

/* Hands t to *out, or frees it on error. */
static int give(struct table *t, int rc, struct table **out)
{
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static void totals_rows(struct table *t, struct year_flows *y, int n)
{
    for (int i = 0; i < n; i++) {
        size_t r = table_add_row(t);
        int ok, okp;
        int64_t bal = 0;
        int bal_ok = y[i].has_x && y[i].has_m && !__builtin_sub_overflow(y[i].x, y[i].m, &bal);
        table_set_int(t, r, 0, y[i].year);
        set_money_opt(t, r, 1, y[i].has_x, y[i].x);
        set_money_opt(t, r, 2, y[i].has_m, y[i].m);
        int64_t to = turnover(&y[i], &ok);
        set_money_opt(t, r, 3, ok, to);
        set_money_opt(t, r, 4, bal_ok, bal);
        if (i && y[i - 1].year == y[i].year - 1) {
            int64_t prev = turnover(&y[i - 1], &okp);
            if (ok && okp && prev) table_set_real(t, r, 5, change_pct(to, prev));
        }
    }
}

int trade_totals(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct year_flows *y;
    int n;
    struct source_set cited = {0};
    char rn[96], pn[96], title[400];
    int rc = yearly(db, q->reporter, q->partner, q->source, q->from, q->to, &y, &n, &cited, e);
    if (rc) return rc;
    if (!(rc = country_name(db, q->reporter, rn, sizeof rn, e)))
        rc = country_name(db, q->partner, pn, sizeof pn, e);
    snprintf(title, sizeof title, "Trade of %s with %s as reported by %s (US$)", rn, pn, rn);
    struct table *t = table_new("totals", title);
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "exports_usd", COL_MONEY, NULL, 0);
    table_col(t, "imports_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_usd", COL_MONEY, NULL, 0);
    table_col(t, "balance_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_growth_pct", COL_REAL, "%", 2);
    if (!rc) totals_rows(t, y, n);
    if (!rc && !n)
        table_note(t, "No data for %s's trade with %s in the years asked for.", rn, pn);
    else if (!rc)
        table_note(t, "Turnover is the published total where the source gives one, else exports "
                      "plus imports; growth is on the previous year.");
    if (!rc) rc = note_sources(db, t, &cited, e);
    free(y);
    return give(t, rc, out);
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

/* The partners' flows of one year (aggregates aside), and the world's. */
static int partner_flows(struct db *db, const struct trade_query *q, struct partner_tot **out,
                         size_t *np, struct partner_tot *world, int *have_world,
                         struct source_set *cited, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, NULL, q->source, q->year, q->year, 0};
    int rc = pick_flows(db, &p, &fs, e);
    struct partner_tot *pt = NULL;
    *np = 0;
    for (size_t i = 0; !rc && i < fs.n; i++) {
        struct flow_row *r = &fs.rows[i];
        cite(cited, r->source_id);
        if (strcmp(r->partner, "WLD") == 0) {
            fold(&world->f, r);
            *have_world = 1;
            continue;
        }
        rc = db_lookup(db, e, NULL, 0,
                       "SELECT 1 FROM country WHERE code3 = ?1 AND kind = 'aggregate'", "t",
                       r->partner);
        if (rc) {
            rc = rc < 0 ? rc : 0;
            continue; /* an aggregate is not a partner */
        }
        if (!*np || strcmp(pt[*np - 1].code, r->partner) != 0) {
            pt = xrealloc(pt, (*np + 1) * sizeof *pt);
            memset(&pt[*np], 0, sizeof *pt);
            str_copy(pt[(*np)++].code, r->partner, sizeof pt->code);
        }
        fold(&pt[*np - 1].f, r);
    }
    free(fs.rows);
    for (size_t i = 0; !rc && i < *np; i++)
        if (pt[i].f.overflow || world->f.overflow)
            rc = err_set(e, ERR_LIMIT, "the sum of the trade values of %d overflows", q->year);
    *out = pt;
    return rc;
}

static int partner_rows(struct db *db, struct table *t, const struct trade_query *q,
                        const struct partner_tot *pt, size_t np, int64_t denom, struct err *e)
{
    for (size_t i = 0; i < np && (q->top <= 0 || (int)i < q->top); i++) {
        size_t r = table_add_row(t);
        char nm[96];
        int rc = country_name(db, pt[i].code, nm, sizeof nm, e);
        if (rc) return rc;
        table_set_int(t, r, 0, (int64_t)i + 1);
        table_set_text(t, r, 1, pt[i].code);
        table_set_text(t, r, 2, nm);
        set_money_opt(t, r, 3, pt[i].f.has_x, pt[i].f.x);
        set_money_opt(t, r, 4, pt[i].f.has_m, pt[i].f.m);
        set_money_opt(t, r, 5, pt[i].ok, pt[i].turnover);
        if (pt[i].ok) table_set_real(t, r, 6, pct(pt[i].turnover, denom));
    }
    return 0;
}

int trade_partners(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct partner_tot *pt = NULL, world = {0};
    size_t np = 0;
    int have_world = 0, world_ok = 0;
    struct source_set cited = {0};
    char rn[96] = "", title[400], money[48];
    int rc = partner_flows(db, q, &pt, &np, &world, &have_world, &cited, e);
    int64_t sum = 0, denom = 0;
    for (size_t i = 0; !rc && i < np; i++) {
        pt[i].turnover = turnover(&pt[i].f, &pt[i].ok);
        if (__builtin_add_overflow(sum, pt[i].turnover, &sum))
            rc = err_set(e, ERR_LIMIT, "the sum of the partners' trade overflows");
    }
    if (!rc) {
        denom = have_world ? turnover(&world.f, &world_ok) : 0;
        if (!world_ok) denom = sum;
        if (np) qsort(pt, np, sizeof *pt, cmp_partner);
        rc = country_name(db, q->reporter, rn, sizeof rn, e);
    }
    snprintf(title, sizeof title, "Trading partners of %s, %d, as reported by %s (US$)", rn,
             q->year, rn);
    struct table *t = table_new("partners", title);
    static const char *const names[] = {"rank",        "partner",      "name",     "exports_usd",
                                        "imports_usd", "turnover_usd", "share_pct"};
    static const enum col_type types[] = {COL_INT,   COL_TEXT,  COL_TEXT, COL_MONEY,
                                          COL_MONEY, COL_MONEY, COL_REAL};
    for (int i = 0; i < 7; i++)
        table_col(t, names[i], types[i], i == 6 ? "%" : NULL, 2);
    if (!rc) rc = partner_rows(db, t, q, pt, np, denom, e);
    dec_format_grouped(denom, 2, money, sizeof money);
    if (!rc && !np)
        table_note(t, "No data for %s's trade with its partners in %d.", rn, q->year);
    else if (!rc && world_ok)
        table_note(t, "Shares are of %s's total trade with the world in %d: US$ %s.", rn, q->year,
                   money);
    else if (!rc)
        table_note(t,
                   "No world total is stored for %d: shares are of the sum of the partners "
                   "listed, US$ %s.",
                   q->year, money);
    if (!rc && np) {
        char nm[96];
        if (!(rc = country_name(db, pt[0].code, nm, sizeof nm, e)))
            table_note(t, "Largest partner: %s (%s), %.1f%% of turnover.", nm, pt[0].code,
                       pct(pt[0].turnover, denom));
    }
    if (!rc) rc = note_sources(db, t, &cited, e);
    free(pt);
    return give(t, rc, out);
}

/* ---- regions ------------------------------------------------------------- */

static int region_rows(struct db *db, struct table *t, const struct flow_set *fs, int denom_ok,
                       int64_t denom, struct source_set *reg_src, struct err *e)
{
    for (size_t i = 0; i < fs->n;) {
        struct year_flows yf = {0};
        size_t j = i;
        for (; j < fs->n && strcmp(fs->rows[j].region, fs->rows[i].region) == 0; j++) {
            fold(&yf, &fs->rows[j]);
            cite(reg_src, fs->rows[j].source_id);
        }
        int ok;
        int64_t to = turnover(&yf, &ok);
        if (yf.overflow) return err_set(e, ERR_LIMIT, "the sum of a region's trade overflows");
        char name[96];
        int rc = name_of(db, "SELECT name FROM region WHERE code = ?1", fs->rows[i].region, name,
                         sizeof name, e);
        if (rc) return rc;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, fs->rows[i].region);
        table_set_text(t, r, 1, name);
        set_money_opt(t, r, 2, yf.has_x, yf.x);
        set_money_opt(t, r, 3, yf.has_m, yf.m);
        set_money_opt(t, r, 4, ok, to);
        if (ok && denom_ok) table_set_real(t, r, 5, pct(to, denom));
        i = j;
    }
    return 0;
}

static int region_notes(struct db *db, struct table *t, const struct trade_query *q, const char *cn,
                        const char *pn, int denom_ok, int64_t denom,
                        const struct source_set *nat_src, const struct source_set *reg_src,
                        struct err *e)
{
    char money[48], label[600];
    int rc = 0;
    if (denom_ok) {
        dec_format_grouped(denom, 2, money, sizeof money);
        rc = source_label(db, nat_src->n ? nat_src->ids[0] : 0, label, sizeof label, e);
        if (!rc)
            table_note(t, "Denominator: %s-reported trade with %s in %d, US$ %s, from %s.", cn, pn,
                       q->year, money, label);
        for (int i = 1; !rc && i < nat_src->n; i++)
            if (!(rc = source_label(db, nat_src->ids[i], label, sizeof label, e)))
                table_note(t, "Denominator also uses: %s.", label);
    } else {
        table_note(t, "No %s-reported total with %s for %d is stored: shares cannot be computed.",
                   cn, pn, q->year);
    }
    for (int i = 0; !rc && i < reg_src->n; i++)
        if (!(rc = source_label(db, reg_src->ids[i], label, sizeof label, e)))
            table_note(t, "Regional figures: %s.", label);
    return rc;
}

int trade_regions(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->region_country, "*", q->partner, q->source, q->year, q->year, 0};
    struct year_flows *nat = NULL;
    int nn = 0, denom_ok = 0;
    struct source_set nat_src = {0}, reg_src = {0};
    char cn[96] = "", pn[96] = "", title[400];
    int rc = pick_flows(db, &p, &fs, e);
    if (!rc)
        rc = yearly(db, q->region_country, q->partner, q->source, q->year, q->year, &nat, &nn,
                    &nat_src, e);
    int64_t denom = !rc && nn ? turnover(&nat[0], &denom_ok) : 0;
    if (!rc) rc = country_name(db, q->region_country, cn, sizeof cn, e);
    if (!rc) rc = country_name(db, q->partner, pn, sizeof pn, e);
    snprintf(title, sizeof title, "Regions of %s in its trade with %s, %d (US$)", cn, pn, q->year);
    struct table *t = table_new("regions", title);
    static const char *const names[] = {"region",      "name",         "exports_usd",
                                        "imports_usd", "turnover_usd", "share_pct"};
    static const enum col_type types[] = {COL_TEXT,  COL_TEXT,  COL_MONEY,
                                          COL_MONEY, COL_MONEY, COL_REAL};
    for (int i = 0; i < 6; i++)
        table_col(t, names[i], types[i], i == 5 ? "%" : NULL, 2);
    if (!rc) rc = region_rows(db, t, &fs, denom_ok, denom, &reg_src, e);
    if (!rc && !fs.n) table_note(t, "No data for regions of %s with %s in %d.", cn, pn, q->year);
    if (!rc) rc = region_notes(db, t, q, cn, pn, denom_ok, denom, &nat_src, &reg_src, e);
    free(fs.rows);
    free(nat);
    return give(t, rc, out);
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

static const char *flow_words(const char *flow)
{
    if (!flow || str_ieq(flow, "turnover")) return "Trade";
    return str_ieq(flow, "X") ? "Exports" : "Imports";
}

/* The codes' values this year and last, and this year's total. */
static int goods_sum(const struct trade_query *q, const struct flow_set *fs, struct good **out,
                     size_t *ng, int64_t *total, struct source_set *cited, struct err *e)
{
    struct good *g = NULL;
    int over = 0;
    *ng = 0;
    *total = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const struct flow_row *r = &fs->rows[i];
        if (!flow_wanted(q->flow, r->flow)) continue;
        size_t k = 0;
        while (k < *ng && strcmp(g[k].code, r->code) != 0)
            k++;
        if (k == *ng) {
            g = xrealloc(g, (*ng + 1) * sizeof *g);
            memset(&g[*ng], 0, sizeof *g);
            str_copy(g[(*ng)++].code, r->code, sizeof g->code);
        }
        if (r->year == q->year) {
            over |= __builtin_add_overflow(g[k].cur, r->value, &g[k].cur);
            over |= __builtin_add_overflow(*total, r->value, total);
            g[k].has_cur = 1;
            cite(cited, r->source_id);
        } else {
            over |= __builtin_add_overflow(g[k].prev, r->value, &g[k].prev);
            g[k].has_prev = 1;
        }
    }
    *out = g;
    return over ? err_set(e, ERR_LIMIT, "the sum of the trade values overflows") : 0;
}

static int goods_rows(struct db *db, struct table *t, const struct trade_query *q,
                      const struct good *g, size_t ng, int64_t total, struct err *e)
{
    size_t shown = 0;
    for (size_t i = 0; i < ng; i++) {
        if (!g[i].has_cur) continue;
        if (q->top > 0 && (int)shown >= q->top) break;
        char desc[512];
        int rc = name_of(db, "SELECT description FROM hs WHERE code = ?1", g[i].code, desc,
                         sizeof desc, e);
        if (rc) return rc;
        if (strcmp(desc, g[i].code) == 0) desc[0] = 0;
        size_t r = table_add_row(t);
        table_set_int(t, r, 0, (int64_t)++shown);
        table_set_text(t, r, 1, g[i].code);
        table_set_text(t, r, 2, desc);
        table_set_int(t, r, 3, g[i].cur);
        table_set_real(t, r, 4, pct(g[i].cur, total));
        if (g[i].has_prev) {
            table_set_int(t, r, 5, g[i].prev);
            if (g[i].prev) table_set_real(t, r, 6, change_pct(g[i].cur, g[i].prev));
        }
    }
    return 0;
}

int trade_goods(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, q->partner, q->source, q->year - 1, q->year, q->level};
    struct good *g = NULL;
    size_t ng = 0;
    int64_t total = 0;
    struct source_set cited = {0};
    char rn[96] = "", pn[96] = "", title[400], money[48];
    int rc = pick_flows(db, &p, &fs, e);
    if (!rc) rc = goods_sum(q, &fs, &g, &ng, &total, &cited, e);
    free(fs.rows);
    if (!rc && ng) qsort(g, ng, sizeof *g, cmp_good);
    if (!rc) rc = country_name(db, q->reporter, rn, sizeof rn, e);
    if (!rc) rc = country_name(db, q->partner, pn, sizeof pn, e);
    snprintf(title, sizeof title, "%s of %s with %s by HS %d-digit code, %d, as reported by %s",
             flow_words(q->flow), rn, pn, q->level, q->year, rn);
    struct table *t = table_new("goods", title);
    static const char *const names[] = {"rank",      "hs",           "description", "value_usd",
                                        "share_pct", "previous_usd", "change_pct"};
    static const enum col_type types[] = {COL_INT,  COL_TEXT,  COL_TEXT, COL_MONEY,
                                          COL_REAL, COL_MONEY, COL_REAL};
    for (int i = 0; i < 7; i++)
        table_col(t, names[i], types[i], types[i] == COL_REAL ? "%" : NULL, 2);
    if (!rc) rc = goods_rows(db, t, q, g, ng, total, e);
    if (!rc && !t->nrows)
        table_note(t, "No data at HS %d-digit level for %s with %s in %d.", q->level, rn, pn,
                   q->year);
    else if (!rc)
        table_note(t, "Total of all codes: US$ %s; shares are of this total.",
                   dec_format_grouped(total, 2, money, sizeof money));
    if (!rc) rc = note_sources(db, t, &cited, e);
    free(g);
    return give(t, rc, out);
}

/* ---- value under HS lines (for barriers) ---------------------------------- */

static int hs_matches(const char *code, const char *lines)
{
    char buf[512];
    str_copy(buf, lines, sizeof buf);
    for (char *save, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        if (strncmp(code, p, strlen(p)) == 0) return 1;
    return 0;
}

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
        if (strcmp(r->flow, flow) != 0 || r->year < *year || !hs_matches(r->code, hs_lines))
            continue;
        if (r->year > *year) *year = r->year, *cents = 0;
        if (__builtin_add_overflow(*cents, r->value, cents))
            rc = err_set(e, ERR_LIMIT, "the sum of the trade values overflows");
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

/* Both sides' flows into cells: side 0 is A reporting, side 1 is B. */
static int mirror_cells(struct db *db, const struct trade_query *q, struct mirror_cell **cells,
                        size_t *nc, struct source_set *cited, struct err *e)
{
    const char *a = q->reporter, *b = q->partner;
    int over = 0;
    for (int side = 0; side < 2; side++) {
        struct flow_set fs = {0};
        struct pick p = {side ? b : a, NULL, side ? a : b, q->source, q->from, q->to, q->level};
        int rc = pick_flows(db, &p, &fs, e);
        for (size_t i = 0; !rc && i < fs.n; i++) {
            struct flow_row *r = &fs.rows[i];
            int x = strcmp(r->flow, "X") == 0, m = strcmp(r->flow, "M") == 0;
            if (!x && !m) continue;
            int slot = side == 0 ? (x ? 0 : 3) : (x ? 2 : 1);
            struct mirror_cell *c = mirror_slot(cells, nc, r->year, r->code);
            c->has[slot] = 1;
            over |= __builtin_add_overflow(c->v[slot], r->value, &c->v[slot]);
            cite(cited, r->source_id);
        }
        free(fs.rows);
        if (rc) return rc;
    }
    return over ? err_set(e, ERR_LIMIT, "the sum of the trade values overflows") : 0;
}

static void mirror_rows(struct table *t, const struct trade_query *q,
                        const struct mirror_cell *cells, size_t nc, size_t c0)
{
    for (size_t i = 0; i < nc; i++)
        for (int dir = 0; dir < 2; dir++) {
            int xs = dir ? 2 : 0, ms = dir ? 3 : 1;
            const struct mirror_cell *c = &cells[i];
            if (!c->has[xs] && !c->has[ms]) continue;
            size_t r = table_add_row(t);
            char d[32];
            int64_t gap;
            snprintf(d, sizeof d, "%s->%s", dir ? q->partner : q->reporter,
                     dir ? q->reporter : q->partner);
            table_set_int(t, r, 0, c->year);
            if (q->level) table_set_text(t, r, 1, c->code);
            table_set_text(t, r, c0, d);
            set_money_opt(t, r, c0 + 1, c->has[xs], c->v[xs]);
            set_money_opt(t, r, c0 + 2, c->has[ms], c->v[ms]);
            if (c->has[xs] && c->has[ms] && !__builtin_sub_overflow(c->v[ms], c->v[xs], &gap)) {
                table_set_int(t, r, c0 + 3, gap);
                if (c->v[xs]) table_set_real(t, r, c0 + 4, change_pct(c->v[ms], c->v[xs]));
            }
        }
}

int trade_mirror(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct mirror_cell *cells = NULL;
    size_t nc = 0;
    struct source_set cited = {0};
    int rc = mirror_cells(db, q, &cells, &nc, &cited, e);
    if (!rc && nc) qsort(cells, nc, sizeof *cells, cmp_mirror);
    char title[300];
    snprintf(title, sizeof title,
             "Mirror comparison %s-%s: exports as the exporter reports them "
             "(FOB) against imports as the importer reports them (CIF), US$",
             q->reporter, q->partner);
    struct table *t = table_new("mirror", title);
    table_col(t, "year", COL_INT, NULL, 0);
    if (q->level) table_col(t, "hs", COL_TEXT, NULL, 0);
    size_t c0 = t->ncols;
    table_col(t, "direction", COL_TEXT, NULL, 0);
    table_col(t, "exporter_reports_usd", COL_MONEY, NULL, 0);
    table_col(t, "importer_reports_usd", COL_MONEY, NULL, 0);
    table_col(t, "gap_usd", COL_MONEY, NULL, 0);
    table_col(t, "gap_pct", COL_REAL, "%", 2);
    if (!rc) mirror_rows(t, q, cells, nc, c0);
    if (!rc && !nc)
        table_note(t, "No data for %s or %s in the years asked for.", q->reporter, q->partner);
    table_note(t, "gap = importer's figure - exporter's figure; gap_pct is of the exporter's "
                  "figure. Imports are valued CIF (with freight and insurance), exports FOB; "
                  "timing, transit and partner attribution also open gaps.");
    if (!rc) rc = note_sources(db, t, &cited, e);
    free(cells);
    return give(t, rc, out);
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
    if (cite_into) rc = note_sources(db, cite_into, &cited, e);
    free(y);
    return rc;
}

/* ---- facts for the dashboard and the brief --------------------------------- */

/* The sources of a set, cited as one phrase. */
static int cite_all(struct db *db, const struct source_set *s, char *out, size_t size,
                    struct err *e)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < s->n && o < size; i++) {
        char label[600];
        int rc = source_label(db, s->ids[i], label, sizeof label, e);
        if (rc) return rc;
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "; " : "", label);
    }
    return 0;
}

int trade_fact_turnover(struct db *db, const char *reporter, const char *partner, int year,
                        struct trade_fact *f, struct err *e)
{
    struct year_flows *y;
    int n;
    struct source_set cited = {0}, all = {0};
    memset(f, 0, sizeof *f);
    f->growth_pct = NAN;
    int rc = yearly(db, reporter, partner, NULL, year, year, &y, &n, &cited, e);
    if (rc) return rc;
    int ok = 0;
    if (n) f->value = turnover(&y[0], &ok);
    free(y);
    if (!ok) return 0;
    f->found = 1;
    if ((rc = yearly(db, reporter, partner, NULL, year - 1, year - 1, &y, &n, &all, e))) return rc;
    int okp = 0;
    int64_t prev = n ? turnover(&y[0], &okp) : 0;
    free(y);
    if (okp && prev) f->growth_pct = change_pct(f->value, prev);
    return cite_all(db, &cited, f->source, sizeof f->source, e);
}

int trade_fact_rank(struct db *db, const char *reporter, const char *partner, int year,
                    struct trade_rank *out, struct err *e)
{
    struct trade_query q = {.reporter = reporter, .year = year};
    struct partner_tot *pt = NULL, world = {0};
    size_t np = 0;
    int have_world = 0, world_ok = 0;
    struct source_set cited = {0};
    memset(out, 0, sizeof *out);
    int rc = partner_flows(db, &q, &pt, &np, &world, &have_world, &cited, e);
    int64_t sum = 0;
    for (size_t i = 0; !rc && i < np; i++) {
        pt[i].turnover = turnover(&pt[i].f, &pt[i].ok);
        if (__builtin_add_overflow(sum, pt[i].turnover, &sum))
            rc = err_set(e, ERR_LIMIT, "the sum of the partners' trade overflows");
    }
    if (!rc) {
        int64_t denom = have_world ? turnover(&world.f, &world_ok) : 0;
        if (!world_ok) denom = sum;
        if (np) qsort(pt, np, sizeof *pt, cmp_partner);
        for (size_t i = 0; i < np && !out->found; i++)
            if (strcmp(pt[i].code, partner) == 0 && pt[i].ok) {
                out->found = 1;
                out->rank = (int)i + 1;
                out->share_pct = pct(pt[i].turnover, denom);
            }
        if (out->found) rc = cite_all(db, &cited, out->source, sizeof out->source, e);
    }
    free(pt);
    return rc;
}

int trade_fact_region(struct db *db, const char *country, const char *region, const char *partner,
                      int year, struct trade_share *out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {country, region, partner, NULL, year, year, 0};
    struct source_set cited = {0};
    struct year_flows reg = {0}, *nat = NULL;
    int nn = 0, ok = 0, nat_ok = 0;
    memset(out, 0, sizeof *out);
    int rc = pick_flows(db, &p, &fs, e);
    for (size_t i = 0; !rc && i < fs.n; i++) {
        fold(&reg, &fs.rows[i]);
        cite(&cited, fs.rows[i].source_id);
    }
    free(fs.rows);
    if (!rc) rc = yearly(db, country, partner, NULL, year, year, &nat, &nn, &cited, e);
    if (!rc && fs.n && nn) {
        out->value = turnover(&reg, &ok);
        out->total = turnover(&nat[0], &nat_ok);
        if (reg.overflow) rc = err_set(e, ERR_LIMIT, "the sum of the region's trade overflows");
        if (!rc && ok && nat_ok && out->total) {
            out->found = 1;
            out->share_pct = pct(out->value, out->total);
            rc = cite_all(db, &cited, out->source, sizeof out->source, e);
        }
    }
    free(nat);
    return rc;
}

int trade_latest_year(struct db *db, const char *reporter, const char *partner, int *year,
                      struct err *e)
{
    struct year_flows *y;
    int n, ok;
    *year = 0;
    int rc = yearly(db, reporter, partner, NULL, 0, 0, &y, &n, NULL, e);
    for (int i = 0; !rc && i < n; i++) {
        turnover(&y[i], &ok);
        if (ok) *year = y[i].year;
    }
    if (!rc) free(y);
    return rc;
}
