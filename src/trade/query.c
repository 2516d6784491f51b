/* query.c — the trade reports: totals, partners, regions, goods and mirror.
 * All of them read flows through one query (pick_flows) that applies the
 * counting rules stated in trade.h, so no report can count a flow twice or
 * mix two sources' figures for the same flow. */
#include "trade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- per-year exports, imports and turnover ------------------------------ */

struct year_flows {
    int year, month;     /* month 0: the whole year */
    unsigned mx, mm, mt; /* each flow's months summed in (0: an annual figure) */
    int has_x, has_m, has_t;
    int overflow; /* a sum went past what 64 bits hold */
    int64_t x, m, t;
};

static unsigned whole(unsigned months)
{
    return trade_whole(months);
}

/* A part year: some flow summed from some months only. */
static int year_part(const struct year_flows *y)
{
    return whole(y->mx) || whole(y->mm) || whole(y->mt);
}

/* Two periods that hold the same months of each flow compare like for like. */
static int same_months(const struct year_flows *a, const struct year_flows *b)
{
    return whole(a->mx) == whole(b->mx) && whole(a->mm) == whole(b->mm) &&
           whole(a->mt) == whole(b->mt);
}

/* The published total where there is one and it covers the months exports
 * and imports do; else exports plus imports. */
static int64_t turnover(struct year_flows *y, int *ok)
{
    *ok = 1;
    int both = y->has_x && y->has_m;
    if (y->has_t && (!both || whole(y->mt) == 0 || whole(y->mt) == whole(y->mx | y->mm)))
        return y->t;
    int64_t s;
    if (both) {
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
        yf->has_x = 1, v = &yf->x, yf->mx |= r->months;
    else if (strcmp(r->flow, "M") == 0)
        yf->has_m = 1, v = &yf->m, yf->mm |= r->months;
    else if (strcmp(r->flow, "T") == 0)
        yf->has_t = 1, v = &yf->t, yf->mt |= r->months;
    if (v && __builtin_add_overflow(*v, r->value, v)) yf->overflow = 1;
}

/* "exports January-June; imports January-March", for a part year. */
static void part_text(const struct year_flows *y, char *out, size_t size)
{
    static const char *const names[] = {"exports", "imports", "turnover"};
    unsigned m[3] = {whole(y->mx), whole(y->mm), whole(y->mt)};
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < 3 && o < size; i++) {
        if (!m[i]) continue;
        char months[64];
        trade_months_text(m[i], months, sizeof months);
        o += (size_t)snprintf(out + o, size - o, "%s%s %s only", o ? "; " : "", names[i], months);
    }
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

double trade_pct(int64_t part, int64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : NAN;
}

/* The change from a to b in % of a (the difference taken exactly). */
double trade_change_pct(int64_t b, int64_t a)
{
    int64_t d;
    if (__builtin_sub_overflow(b, a, &d)) return 100.0 * ((double)b / (double)a - 1);
    return trade_pct(d, a);
}

/* The name of a code from the reference tables (the code itself when it
 * has none); an error when the database fails. Names follow the reader's
 * language where the reference tables have one. */
static int name_of(struct db *db, const char *sql, const char *code, char *out, size_t size,
                   struct err *e)
{
    int rc = db_lookup(db, e, out, size, sql, "t", code);
    if (rc == 0) str_copy(out, code, size);
    return rc < 0 ? rc : 0;
}

int trade_country_name(struct db *db, const char *code3, char *out, size_t size, struct err *e)
{
    return name_of(db, "SELECT local_name('country', code3, name) FROM country WHERE code3 = ?1",
                   code3, out, size, e);
}

int trade_hs_name(struct db *db, const char *code, char *out, size_t size, struct err *e)
{
    const char *lang = i18n_lang();
    if (strcmp(lang, "en")) {
        int rc = db_lookup(db, e, out, size,
                           "SELECT name FROM hs_name WHERE hscode = ?1 AND "
                           "lang = ?2",
                           "tt", code, lang);
        if (rc) return rc < 0 ? rc : 0;
    }
    int rc = name_of(db, "SELECT description FROM hs WHERE code = ?1", code, out, size, e);
    if (!rc && strcmp(out, code) == 0)
        out[0] = 0;
    else if (!rc && strcmp(lang, "en")) {
        /* no translation at hand: the English description, marked so */
        size_t n = strlen(out);
        if (n + 6 < size) memcpy(out + n, " [en]", 6);
    }
    return rc;
}

/* Per-year (or per-month) flows of reporter with partner (country level),
 * years from..to. */
static int periodic(struct db *db, const struct trade_query *q, int monthly,
                    struct year_flows **out, int *n, struct cited *cited, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, q->partner, q->source, q->from, q->to, 0, monthly};
    int rc = pick_flows(db, &p, &fs, e);
    *out = NULL;
    *n = 0;
    if (rc) {
        free(fs.rows);
        return rc;
    }
    struct year_flows *y = NULL;
    for (size_t i = 0; i < fs.n; i++) {
        const struct flow_row *r = &fs.rows[i];
        if (!*n || y[*n - 1].year != r->year || y[*n - 1].month != r->month) {
            y = xrealloc(y, (size_t)(*n + 1) * sizeof *y);
            memset(&y[*n], 0, sizeof *y);
            y[*n].year = r->year;
            y[(*n)++].month = r->month;
        }
        fold(&y[*n - 1], r);
        if (cited) cited_add(cited, r);
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

static int yearly(struct db *db, const char *reporter, const char *partner, const char *source,
                  int from, int to, struct year_flows **out, int *n, struct cited *cited,
                  struct err *e)
{
    struct trade_query q = {
        .reporter = reporter, .partner = partner, .source = source, .from = from, .to = to};
    return periodic(db, &q, 0, out, n, cited, e);
}

/* Hands t to *out, or frees it on error. */
int trade_give(struct table *t, int rc, struct table **out)
{
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The period a year before y[i] (the same month, for a monthly series), if
 * it holds the same months: a part year is compared like for like or not
 * at all. */
static struct year_flows *year_before(struct year_flows *y, int i)
{
    for (int k = i - 1; k >= 0; k--)
        if (y[k].year == y[i].year - 1 && y[k].month == y[i].month)
            return same_months(&y[k], &y[i]) ? &y[k] : NULL;
    return NULL;
}

static void totals_rows(struct table *t, struct year_flows *y, int n, int monthly)
{
    size_t c = monthly ? 1 : 0;
    for (int i = 0; i < n; i++) {
        size_t r = table_add_row(t);
        int ok, okp;
        int64_t bal = 0;
        int bal_ok = y[i].has_x && y[i].has_m && !__builtin_sub_overflow(y[i].x, y[i].m, &bal);
        table_set_int(t, r, 0, y[i].year);
        if (monthly) table_set_int(t, r, 1, y[i].month);
        set_money_opt(t, r, c + 1, y[i].has_x, y[i].x);
        set_money_opt(t, r, c + 2, y[i].has_m, y[i].m);
        int64_t to = turnover(&y[i], &ok);
        set_money_opt(t, r, c + 3, ok, to);
        set_money_opt(t, r, c + 4, bal_ok, bal);
        struct year_flows *before = year_before(y, i);
        if (before) {
            int64_t prev = turnover(before, &okp);
            if (ok && okp && prev) table_set_real(t, r, c + 5, trade_change_pct(to, prev));
        }
    }
}

static struct table *totals_table(const struct trade_query *q, const char *rn, const char *pn)
{
    char title[400];
    if (q->monthly)
        snprintf(title, sizeof title, TF("Trade of %s with %s as reported by %s (US$), by month"),
                 rn, pn, rn);
    else
        snprintf(title, sizeof title, TF("Trade of %s with %s as reported by %s (US$)"), rn, pn,
                 rn);
    struct table *t = table_new("totals", title);
    table_col(t, "year", COL_INT, NULL, 0);
    if (q->monthly) table_col(t, "month", COL_INT, NULL, 0);
    table_col(t, "exports_usd", COL_MONEY, NULL, 0);
    table_col(t, "imports_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_usd", COL_MONEY, NULL, 0);
    table_col(t, "balance_usd", COL_MONEY, NULL, 0);
    table_col(t, "turnover_growth_pct", COL_REAL, "%", 2);
    table_context(t, "reporter", q->reporter);
    table_context(t, "partner", q->partner);
    return t;
}

int trade_totals(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct year_flows *y;
    int n;
    struct cited cited = {0};
    char rn[96], pn[96];
    int rc = periodic(db, q, q->monthly, &y, &n, &cited, e);
    if (rc) return rc;
    if (!(rc = trade_country_name(db, q->reporter, rn, sizeof rn, e)))
        rc = trade_country_name(db, q->partner, pn, sizeof pn, e);
    struct table *t = totals_table(q, rn, pn);
    if (!rc) totals_rows(t, y, n, q->monthly);
    if (!rc && !n)
        table_note(t,
                   q->monthly ? TF("No monthly data for %s's trade with %s in the years asked for.")
                              : TF("No data for %s's trade with %s in the years asked for."),
                   rn, pn);
    else if (!rc)
        table_note(t, q->monthly ? TF("Turnover is the published total where the source gives "
                                      "one, else exports plus imports; growth is on the same "
                                      "month a year before.")
                                 : TF("Turnover is the published total where the source gives "
                                      "one, else exports plus imports; growth is on the "
                                      "previous year."));
    if (!rc) rc = note_cited(db, t, &cited, e);
    free(y);
    return trade_give(t, rc, out);
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

/* The flows of one year with each partner, with the world, and with the
 * statistical areas that are not partners (490 "Other Asia, nes", bunkers,
 * "areas nes"), each summed. */
struct partner_set {
    struct partner_tot *pt, *agg, world;
    size_t np, nagg;
    int have_world;
    int zeroed; /* flows taken as zero (see zero_missing_flows) */
};

static struct partner_tot *partner_slot(struct partner_tot **v, size_t *n, const char *code)
{
    if (!*n || strcmp((*v)[*n - 1].code, code) != 0) {
        *v = xrealloc(*v, (*n + 1) * sizeof **v);
        memset(&(*v)[*n], 0, sizeof **v);
        str_copy((*v)[(*n)++].code, code, sizeof(*v)->code);
    }
    return &(*v)[*n - 1];
}

/* Comtrade leaves out the rows of zero trade: a flow the reporter gives for
 * some partners but not for this one is zero with this one. */
static int zero_missing_flows(struct partner_tot *pt, size_t np)
{
    int any_x = 0, any_m = 0, zeroed = 0;
    for (size_t i = 0; i < np; i++)
        any_x |= pt[i].f.has_x, any_m |= pt[i].f.has_m;
    for (size_t i = 0; i < np; i++) {
        if (pt[i].f.has_t) continue; /* a published turnover says it all */
        if (any_x && !pt[i].f.has_x) pt[i].f.has_x = 1, pt[i].f.x = 0, zeroed++;
        if (any_m && !pt[i].f.has_m) pt[i].f.has_m = 1, pt[i].f.m = 0, zeroed++;
    }
    return zeroed;
}

static int partner_flows(struct db *db, const struct trade_query *q, struct partner_set *ps,
                         struct cited *cited, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->reporter, NULL, NULL, q->source, q->year, q->year, 0, 0};
    int rc = pick_flows(db, &p, &fs, e);
    memset(ps, 0, sizeof *ps);
    for (size_t i = 0; !rc && i < fs.n; i++) {
        struct flow_row *r = &fs.rows[i];
        cited_add(cited, r);
        if (strcmp(r->partner, "WLD") == 0) {
            fold(&ps->world.f, r);
            ps->have_world = 1;
            continue;
        }
        rc = db_lookup(db, e, NULL, 0,
                       "SELECT 1 FROM country WHERE code3 = ?1 AND kind = 'aggregate'", "t",
                       r->partner);
        if (rc < 0) break;
        if (rc) /* an aggregate is not a partner */
            fold(&partner_slot(&ps->agg, &ps->nagg, r->partner)->f, r);
        else
            fold(&partner_slot(&ps->pt, &ps->np, r->partner)->f, r);
        rc = 0;
    }
    free(fs.rows);
    ps->zeroed = zero_missing_flows(ps->pt, ps->np);
    zero_missing_flows(ps->agg, ps->nagg);
    for (size_t i = 0; !rc && i < ps->np; i++)
        if (ps->pt[i].f.overflow || ps->world.f.overflow)
            rc = err_set(e, ERR_LIMIT, "the sum of the trade values of %d overflows", q->year);
    return rc;
}

static void partner_set_free(struct partner_set *ps)
{
    free(ps->pt);
    free(ps->agg);
}

static int partner_rows(struct db *db, struct table *t, const struct trade_query *q,
                        const struct partner_tot *pt, size_t np, int64_t denom, struct err *e)
{
    for (size_t i = 0; i < np && (q->top <= 0 || (int)i < q->top); i++) {
        size_t r = table_add_row(t);
        char nm[96];
        int rc = trade_country_name(db, pt[i].code, nm, sizeof nm, e);
        if (rc) return rc;
        table_set_int(t, r, 0, (int64_t)i + 1);
        table_set_text(t, r, 1, pt[i].code);
        table_set_text(t, r, 2, nm);
        set_money_opt(t, r, 3, pt[i].f.has_x, pt[i].f.x);
        set_money_opt(t, r, 4, pt[i].f.has_m, pt[i].f.m);
        set_money_opt(t, r, 5, pt[i].ok, pt[i].turnover);
        if (pt[i].ok) table_set_real(t, r, 6, trade_pct(pt[i].turnover, denom));
    }
    return 0;
}

/* The partners of one year ranked by turnover, with the denominator of their
 * shares: the world's turnover where it is stored (world_ok), else their sum. */
static int rank_partners(struct db *db, const struct trade_query *q, struct partner_set *ps,
                         int64_t *denom, int *world_ok, struct cited *cited, struct err *e)
{
    int64_t sum = 0;
    *denom = 0;
    *world_ok = 0;
    int rc = partner_flows(db, q, ps, cited, e);
    for (size_t i = 0; !rc && i < ps->np; i++) {
        ps->pt[i].turnover = turnover(&ps->pt[i].f, &ps->pt[i].ok);
        if (__builtin_add_overflow(sum, ps->pt[i].turnover, &sum))
            rc = err_set(e, ERR_LIMIT, "the sum of the partners' trade overflows");
    }
    if (rc) return rc;
    *denom = ps->have_world ? turnover(&ps->world.f, world_ok) : 0;
    if (!*world_ok) *denom = sum;
    if (ps->np) qsort(ps->pt, ps->np, sizeof *ps->pt, cmp_partner);
    return 0;
}

/* Says which statistical areas were left out of the ranking, and their trade. */
static int note_areas(struct db *db, struct table *t, struct partner_set *ps, struct err *e)
{
    char text[600] = "", money[48], nm[96];
    size_t o = 0;
    for (size_t i = 0; i < ps->nagg && o < sizeof text; i++) {
        int ok, rc = trade_country_name(db, ps->agg[i].code, nm, sizeof nm, e);
        if (rc) return rc;
        int64_t v = turnover(&ps->agg[i].f, &ok);
        if (!ok) v = ps->agg[i].f.has_x ? ps->agg[i].f.x : ps->agg[i].f.m;
        o += (size_t)snprintf(text + o, sizeof text - o, "%s%s %s, US$ %s", i ? "; " : "",
                              ps->agg[i].code, nm, dec_format_grouped(v, 2, money, sizeof money));
    }
    if (ps->nagg)
        table_note(t, TF("Not ranked, being statistical areas rather than partners: %s."), text);
    return 0;
}

static void note_shares(struct table *t, const char *rn, int year, int world_ok, int64_t denom,
                        int zeroed)
{
    char money[48];
    dec_format_grouped(denom, 2, money, sizeof money);
    if (world_ok)
        table_note(t, TF("Shares are of %s's total trade with the world in %d: US$ %s."), rn, year,
                   money);
    else if (denom)
        table_note(t,
                   TF("No world total is stored for %d: shares are of the sum of the partners "
                      "listed, US$ %s."),
                   year, money);
    else
        table_note(t,
                   TF("No world total and no partner's turnover for %d: shares cannot be "
                      "computed."),
                   year);
    if (zeroed)
        table_note(t, TF("A flow the data give for some partners but not for another counts as "
                         "zero with it (Comtrade leaves out rows of zero trade)."));
}

int trade_partners(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct partner_set ps;
    int world_ok;
    int64_t denom;
    struct cited cited = {0};
    char rn[96] = "", title[400];
    int rc = rank_partners(db, q, &ps, &denom, &world_ok, &cited, e);
    if (!rc) rc = trade_country_name(db, q->reporter, rn, sizeof rn, e);
    snprintf(title, sizeof title, TF("Trading partners of %s, %d, as reported by %s (US$)"), rn,
             q->year, rn);
    struct table *t = table_new("partners", title);
    static const char *const names[] = {"rank",        "partner",      "name",     "exports_usd",
                                        "imports_usd", "turnover_usd", "share_pct"};
    static const enum col_type types[] = {COL_INT,   COL_TEXT,  COL_TEXT, COL_MONEY,
                                          COL_MONEY, COL_MONEY, COL_REAL};
    for (int i = 0; i < 7; i++)
        table_col(t, names[i], types[i], i == 6 ? "%" : NULL, 2);
    char year[16];
    snprintf(year, sizeof year, "%d", q->year);
    table_context(t, "reporter", q->reporter);
    table_context(t, "year", year);
    if (!rc) rc = partner_rows(db, t, q, ps.pt, ps.np, denom, e);
    if (!rc && !ps.np)
        table_note(t, TF("No data for %s's trade with its partners in %d."), rn, q->year);
    else if (!rc)
        note_shares(t, rn, q->year, world_ok, denom, ps.zeroed);
    if (!rc && ps.np && denom) {
        char nm[96];
        if (!(rc = trade_country_name(db, ps.pt[0].code, nm, sizeof nm, e)))
            table_note(t, TF("Largest partner: %s (%s), %.1f%% of turnover."), nm, ps.pt[0].code,
                       trade_pct(ps.pt[0].turnover, denom));
    }
    if (!rc) rc = note_areas(db, t, &ps, e);
    if (!rc) rc = note_cited(db, t, &cited, e);
    partner_set_free(&ps);
    return trade_give(t, rc, out);
}

/* ---- regions ------------------------------------------------------------- */

static int region_rows(struct db *db, struct table *t, const struct flow_set *fs, int denom_ok,
                       int64_t denom, struct cited *reg_src, struct err *e)
{
    for (size_t i = 0; i < fs->n;) {
        struct year_flows yf = {0};
        size_t j = i;
        for (; j < fs->n && strcmp(fs->rows[j].region, fs->rows[i].region) == 0; j++) {
            fold(&yf, &fs->rows[j]);
            cited_add(reg_src, &fs->rows[j]);
        }
        int ok;
        int64_t to = turnover(&yf, &ok);
        if (yf.overflow) return err_set(e, ERR_LIMIT, "the sum of a region's trade overflows");
        char name[96];
        int rc = name_of(db, "SELECT local_name('region', code, name) FROM region WHERE code = ?1",
                         fs->rows[i].region, name, sizeof name, e);
        if (rc) return rc;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, fs->rows[i].region);
        table_set_text(t, r, 1, name);
        set_money_opt(t, r, 2, yf.has_x, yf.x);
        set_money_opt(t, r, 3, yf.has_m, yf.m);
        set_money_opt(t, r, 4, ok, to);
        if (ok && denom_ok) table_set_real(t, r, 5, trade_pct(to, denom));
        i = j;
    }
    return 0;
}

static int region_notes(struct db *db, struct table *t, const struct trade_query *q, const char *cn,
                        const char *pn, int denom_ok, int64_t denom, const struct cited *nat_src,
                        const struct cited *reg_src, struct err *e)
{
    char money[48], label[600];
    int rc = 0;
    if (denom_ok) {
        dec_format_grouped(denom, 2, money, sizeof money);
        rc = source_label(db, nat_src->n ? nat_src->ids[0] : 0, label, sizeof label, e);
        if (!rc)
            table_note(t, TF("Denominator: %s-reported trade with %s in %d, US$ %s, from %s."), cn,
                       pn, q->year, money, label);
        for (int i = 1; !rc && i < nat_src->n; i++)
            if (!(rc = source_label(db, nat_src->ids[i], label, sizeof label, e)))
                table_note(t, TF("Denominator also uses: %s."), label);
    } else {
        table_note(t,
                   TF("No %s-reported total with %s for %d is stored: shares cannot be "
                      "computed."),
                   cn, pn, q->year);
    }
    for (int i = 0; !rc && i < reg_src->n; i++)
        if (!(rc = source_label(db, reg_src->ids[i], label, sizeof label, e)))
            table_note(t, TF("Regional figures: %s."), label);
    return rc;
}

int trade_regions(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {q->region_country, "*", q->partner, q->source, q->year, q->year, 0};
    struct year_flows *nat = NULL;
    int nn = 0, denom_ok = 0;
    struct cited nat_src = {0}, reg_src = {0};
    char cn[96] = "", pn[96] = "", title[400];
    int rc = pick_flows(db, &p, &fs, e);
    if (!rc)
        rc = yearly(db, q->region_country, q->partner, q->source, q->year, q->year, &nat, &nn,
                    &nat_src, e);
    int64_t denom = !rc && nn ? turnover(&nat[0], &denom_ok) : 0;
    if (!rc) rc = trade_country_name(db, q->region_country, cn, sizeof cn, e);
    if (!rc) rc = trade_country_name(db, q->partner, pn, sizeof pn, e);
    snprintf(title, sizeof title, TF("Regions of %s in its trade with %s, %d (US$)"), cn, pn,
             q->year);
    struct table *t = table_new("regions", title);
    static const char *const names[] = {"region",      "name",         "exports_usd",
                                        "imports_usd", "turnover_usd", "share_pct"};
    static const enum col_type types[] = {COL_TEXT,  COL_TEXT,  COL_MONEY,
                                          COL_MONEY, COL_MONEY, COL_REAL};
    for (int i = 0; i < 6; i++)
        table_col(t, names[i], types[i], i == 5 ? "%" : NULL, 2);
    char year[16];
    snprintf(year, sizeof year, "%d", q->year);
    table_context(t, "country", q->region_country);
    table_context(t, "partner", q->partner);
    table_context(t, "year", year);
    if (!rc) rc = region_rows(db, t, &fs, denom_ok, denom, &reg_src, e);
    if (!rc && !fs.n)
        table_note(t, TF("No data for regions of %s with %s in %d."), cn, pn, q->year);
    if (!rc) rc = region_notes(db, t, q, cn, pn, denom_ok, denom, &nat_src, &reg_src, e);
    free(fs.rows);
    free(nat);
    return trade_give(t, rc, out);
}

/* ---- value and weight under HS lines (barriers, freight demand) --------- */

/* What one year holds under the lines. */
struct year_value {
    int year, part, unweighed;
    int64_t cents, grams;
    char unweighed_line[12];
};

static struct year_value *year_slot(struct year_value **v, size_t *n, int year)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i].year == year) return &(*v)[i];
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[*n] = (struct year_value){.year = year};
    return &(*v)[(*n)++];
}

/* Adds what flow under one HS line (read at its own length) gives per year,
 * citing the sources in cited when given. */
static int add_line(struct db *db, const struct pick *base, const char *flow, const char *line,
                    struct year_value **v, size_t *n, struct cited *cited, struct err *e)
{
    struct flow_set fs = {0};
    struct pick pk = *base;
    pk.level = (int)strlen(line);
    int rc = pick_flows(db, &pk, &fs, e);
    for (size_t i = 0; !rc && i < fs.n; i++) {
        const struct flow_row *r = &fs.rows[i];
        if (strcmp(r->flow, flow) != 0 || strcmp(r->code, line) != 0) continue;
        struct year_value *y = year_slot(v, n, r->year);
        y->part |= trade_part_year(r->months);
        if (!r->has_net && !y->unweighed++)
            str_copy(y->unweighed_line, line, sizeof y->unweighed_line);
        if (cited) cited_add(cited, r);
        if (__builtin_add_overflow(y->cents, r->value, &y->cents) ||
            (r->has_net && __builtin_add_overflow(y->grams, r->net, &y->grams)))
            rc = err_set(e, ERR_LIMIT, "the sum of the trade values or weights overflows");
    }
    free(fs.rows);
    return rc;
}

/* Splits "10,1205" into lines, leaving out a line under another one given
 * (counted with it) and repeats. Returns how many, or -1 past 64. */
static int hs_lines_split(const char *hs_lines, char *buf, size_t size, char *keep[64])
{
    char *lines[65];
    int nl = 0, nk = 0;
    str_copy(buf, hs_lines, size);
    for (char *save, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (nl == 64) return -1;
        lines[nl++] = p;
    }
    for (int i = 0; i < nl; i++) {
        int inside = 0;
        for (int k = 0; k < nl && !inside; k++)
            inside = (k != i && strlen(lines[k]) < strlen(lines[i]) &&
                      strncmp(lines[i], lines[k], strlen(lines[k])) == 0) ||
                     (k < i && strcmp(lines[k], lines[i]) == 0);
        if (!inside) keep[nk++] = lines[i];
    }
    return nk;
}

int trade_value_hs(struct db *db, const char *reporter, const char *partner, const char *flow,
                   const char *hs_lines, int *year, int64_t *cents, struct err *e)
{
    char buf[512], *lines[64];
    int nl = hs_lines_split(hs_lines, buf, sizeof buf, lines);
    if (nl < 0) return err_set(e, ERR_LIMIT, "more than 64 HS lines");
    struct year_value *v = NULL;
    size_t ny = 0;
    struct pick base = {reporter, NULL, partner};
    int rc = 0;
    for (int i = 0; !rc && i < nl; i++)
        rc = add_line(db, &base, flow, lines[i], &v, &ny, NULL, e);
    *year = 0;
    *cents = 0;
    for (size_t i = 0; !rc && i < ny; i++) /* the latest whole year */
        if (!v[i].part && v[i].year > *year) *year = v[i].year, *cents = v[i].cents;
    free(v);
    return rc;
}

int trade_weight_hs(struct db *db, const struct trade_weight_query *q, int64_t *grams,
                    char *sources, size_t size, struct err *e)
{
    char buf[512], *lines[64];
    int nl = hs_lines_split(q->hs_lines, buf, sizeof buf, lines);
    if (nl < 0) return err_set(e, ERR_LIMIT, "more than 64 HS lines");
    if (nl == 0) return err_set(e, ERR_INPUT, "no HS line given");
    struct pick base = {q->reporter, NULL, q->partner, NULL, q->year, q->year};
    struct cited cited = {0};
    int rc = 0;
    *grams = 0;
    for (int i = 0; !rc && i < nl; i++) {
        struct year_value *v = NULL;
        size_t ny = 0;
        rc = add_line(db, &base, q->flow, lines[i], &v, &ny, &cited, e);
        if (!rc && !ny)
            rc = err_set(e, ERR_INPUT, "no %s of %s %s %s under HS %s in %d",
                         strcmp(q->flow, "X") == 0 ? "exports" : "imports", q->reporter,
                         strcmp(q->flow, "X") == 0 ? "to" : "from", q->partner, lines[i], q->year);
        else if (!rc && v[0].part)
            rc = err_set(e, ERR_INPUT, "%d holds only some months of %s's trade under HS %s",
                         q->year, q->reporter, lines[i]);
        else if (!rc && v[0].unweighed)
            rc = err_set(e, ERR_INPUT, "the trade under HS %s in %d has no net weight",
                         v[0].unweighed_line, q->year);
        else if (!rc && __builtin_add_overflow(*grams, v[0].grams, grams))
            rc = err_set(e, ERR_LIMIT, "the sum of the weights overflows");
        free(v);
    }
    sources[0] = 0;
    for (int i = 0; !rc && i < cited.n; i++) {
        char label[300];
        rc = source_label(db, cited.ids[i], label, sizeof label, e);
        if (!rc)
            snprintf(sources + strlen(sources), size - strlen(sources), "%s%s", i ? "; " : "",
                     label);
    }
    return rc;
}

/* ---- mirror -------------------------------------------------------------- */

struct mirror_cell {
    int year;
    char code[12];
    int has[4];
    int64_t v[4];       /* A's X to B, B's M from A, B's X to A, A's M from B */
    unsigned months[4]; /* their months (a part year is compared with the same months) */
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
                        size_t *nc, struct cited *cited, struct err *e)
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
            c->months[slot] |= r->months;
            over |= __builtin_add_overflow(c->v[slot], r->value, &c->v[slot]);
            cited_add(cited, r);
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
            if (c->has[xs] && c->has[ms] && whole(c->months[xs]) == whole(c->months[ms]) &&
                !__builtin_sub_overflow(c->v[ms], c->v[xs], &gap)) {
                table_set_int(t, r, c0 + 3, gap);
                if (c->v[xs]) table_set_real(t, r, c0 + 4, trade_change_pct(c->v[ms], c->v[xs]));
            }
        }
}

int trade_mirror(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    struct mirror_cell *cells = NULL;
    size_t nc = 0;
    struct cited cited = {0};
    int rc = mirror_cells(db, q, &cells, &nc, &cited, e);
    if (!rc && nc) qsort(cells, nc, sizeof *cells, cmp_mirror);
    char title[300];
    snprintf(title, sizeof title,
             TF("Mirror comparison %s-%s: exports as the exporter reports them "
                "(FOB) against imports as the importer reports them (CIF), US$"),
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
        table_note(t, TF("No data for %s or %s in the years asked for."), q->reporter, q->partner);
    table_note(t, TF("gap = importer's figure - exporter's figure; gap_pct is of the exporter's "
                     "figure. Imports are valued CIF (with freight and insurance), exports FOB; "
                     "timing, transit and partner attribution also open gaps."));
    if (!rc) rc = note_cited(db, t, &cited, e);
    free(cells);
    return trade_give(t, rc, out);
}

/* Used by forecast.c: the yearly series of one flow ("turnover", X, M). */
int trade_series(struct db *db, const struct trade_query *q, int **years, double **values, int *n,
                 struct table *cite_into, struct err *e);

int trade_series(struct db *db, const struct trade_query *q, int **years, double **values, int *n,
                 struct table *cite_into, struct err *e)
{
    struct year_flows *y;
    int ny;
    struct cited cited = {0};
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
        if (!ok || v <= 0 || year_part(&y[i])) continue; /* whole years only */
        (*years)[*n] = y[i].year;
        (*values)[(*n)++] = (double)v;
    }
    if (cite_into) rc = note_cited(db, cite_into, &cited, e);
    free(y);
    return rc;
}

/* ---- facts for the dashboard and the brief --------------------------------- */

/* The sources of a set, cited as one phrase. */
static int cite_all(struct db *db, const struct cited *s, char *out, size_t size, struct err *e)
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
    struct cited cited = {0}, all = {0};
    memset(f, 0, sizeof *f);
    f->growth_pct = NAN;
    int rc = yearly(db, reporter, partner, NULL, year, year, &y, &n, &cited, e);
    if (rc) return rc;
    int ok = 0;
    struct year_flows cur = {0};
    if (n) cur = y[0], f->value = turnover(&y[0], &ok);
    free(y);
    if (!ok) return 0;
    f->found = 1;
    f->part = year_part(&cur);
    if ((rc = yearly(db, reporter, partner, NULL, year - 1, year - 1, &y, &n, &all, e))) return rc;
    int okp = 0;
    int64_t prev = n && same_months(&y[0], &cur) ? turnover(&y[0], &okp) : 0; /* like for like */
    free(y);
    if (okp && prev) f->growth_pct = trade_change_pct(f->value, prev);
    char part[200], lines[300];
    cited_coverage(&cited, lines, sizeof lines);
    part_text(&cur, part, sizeof part);
    snprintf(f->coverage, sizeof f->coverage, "%s%s%s", part, *part && *lines ? "; " : "", lines);
    return cite_all(db, &cited, f->source, sizeof f->source, e);
}

int trade_fact_rank(struct db *db, const char *reporter, const char *partner, int year,
                    struct trade_rank *out, struct err *e)
{
    struct trade_query q = {.reporter = reporter, .year = year};
    struct partner_set ps;
    int world_ok;
    int64_t denom;
    struct cited cited = {0};
    memset(out, 0, sizeof *out);
    int rc = rank_partners(db, &q, &ps, &denom, &world_ok, &cited, e);
    for (size_t i = 0; !rc && i < ps.np && !out->found; i++)
        if (strcmp(ps.pt[i].code, partner) == 0 && ps.pt[i].ok) {
            out->found = 1;
            out->rank = (int)i + 1;
            out->share_pct = trade_pct(ps.pt[i].turnover, denom);
        }
    if (!rc && out->found) rc = cite_all(db, &cited, out->source, sizeof out->source, e);
    partner_set_free(&ps);
    return rc;
}

int trade_fact_region(struct db *db, const char *country, const char *region, const char *partner,
                      int year, struct trade_share *out, struct err *e)
{
    struct flow_set fs = {0};
    struct pick p = {country, region, partner, NULL, year, year, 0};
    struct cited cited = {0};
    struct year_flows reg = {0}, *nat = NULL;
    int nn = 0, ok = 0, nat_ok = 0;
    memset(out, 0, sizeof *out);
    int rc = pick_flows(db, &p, &fs, e);
    for (size_t i = 0; !rc && i < fs.n; i++) {
        fold(&reg, &fs.rows[i]);
        cited_add(&cited, &fs.rows[i]);
    }
    free(fs.rows);
    if (!rc) rc = yearly(db, country, partner, NULL, year, year, &nat, &nn, &cited, e);
    if (!rc && fs.n && nn) {
        out->value = turnover(&reg, &ok);
        out->total = turnover(&nat[0], &nat_ok);
        if (reg.overflow) rc = err_set(e, ERR_LIMIT, "the sum of the region's trade overflows");
        if (!rc && ok && nat_ok && out->total) {
            out->found = 1;
            out->share_pct = trade_pct(out->value, out->total);
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
    for (int i = 0; !rc && i < n; i++) { /* the latest whole year */
        turnover(&y[i], &ok);
        if (ok && !year_part(&y[i])) *year = y[i].year;
    }
    if (!rc) free(y);
    return rc;
}
