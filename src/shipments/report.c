/* report.c — what is known about shipments: the list, one shipment's
 * events, the time to cross each border crossing per month, and the
 * fulfilment of agreements' annual caps. */
#include "shipments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void text_cols(struct table *t, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        table_col(t, names[i], COL_TEXT, NULL, 0);
}

int ship_list(struct db *db, const struct ship_filter *f, struct table **out, struct err *e)
{
    struct table *t = table_new("shipments", N_("Shipments"));
    static const char *const a[] = {"reference", "date", "status", "agreement", "hs"};
    text_cols(t, a, 5);
    table_col(t, "net_t", COL_MASS, NULL, 0);
    table_col(t, "value_usd", COL_MONEY, NULL, 0);
    static const char *const b[] = {"exporter", "importer", "origin", "dest",
                                    "crossing", "mode",     "source"};
    text_cols(t, b, 7);
    int rc = db_fill(db, t, e,
                     "SELECT s.reference, s.planned_date, s.status, coalesce(a.code, ''), "
                     "s.hs, s.net_g, s.value_cents, x.name, i.name, s.origin || "
                     "coalesce('/' || s.origin_region, ''), s.dest, coalesce(s.crossing, ''), "
                     "s.mode, s.source FROM shipment s JOIN party x ON x.id = s.exporter_id "
                     "JOIN party i ON i.id = s.importer_id LEFT JOIN agreement a ON a.id = "
                     "s.agreement_id WHERE (?1 IS NULL OR a.code = ?1 COLLATE NOCASE) AND "
                     "(?2 IS NULL OR s.status = ?2 COLLATE NOCASE) AND (?3 IS NULL OR "
                     "s.crossing = ?3 COLLATE NOCASE) AND (?4 IS NULL OR s.planned_date >= ?4) "
                     "AND (?5 IS NULL OR s.planned_date <= ?5) AND (?6 IS NULL OR s.hs LIKE ?6 "
                     "|| '%') ORDER BY s.planned_date, s.reference",
                     "tttttt", f->agreement, f->status, f->crossing, f->from, f->to, f->hs);
    int64_t g = 0, cents = 0;
    for (size_t r = 0; !rc && r < t->nrows; r++)
        if (__builtin_add_overflow(g, table_cell(t, r, 5)->i, &g) ||
            __builtin_add_overflow(cents, table_cell(t, r, 6)->i, &cents))
            rc = err_set(e, ERR_LIMIT, "the totals of these shipments overflow");
    if (rc) {
        table_free(t);
        return rc;
    }
    char m[40], v[40];
    if (t->nrows)
        table_note(
            t,
            t->nrows == 1 ? TF("%zu shipment, %s t, US$ %s.") : TF("%zu shipments, %s t, US$ %s."),
            t->nrows, mass_format_t(g, 1, m, sizeof m), dec_format_grouped(cents, 2, v, sizeof v));
    else
        table_note(t, TF("No shipment matches these filters."));
    *out = t;
    return 0;
}

static int show_notes(struct db_stmt *st, struct table *t)
{
    char m[40], v[40];
    table_note(t, TF("HS %s, %s t, US$ %s; %s -> %s; from %s to %s via %s by %s"),
               db_col_str(st, 2), mass_format_t(db_col_int(st, 3), 1, m, sizeof m),
               dec_format_grouped(db_col_int(st, 4), 2, v, sizeof v), db_col_str(st, 5),
               db_col_str(st, 6), db_col_str(st, 8), db_col_str(st, 9), db_col_str(st, 10),
               T(db_col_str(st, 11)));
    const char *plant = db_col_str(st, 12), *docs = db_col_str(st, 13), *src = db_col_str(st, 15);
    table_note(t, TF("Agreement %s; establishment %s; documents %s; planned %s; source %s"),
               db_col_str(st, 7), *plant ? plant : "-", *docs ? docs : "-", db_col_str(st, 14),
               *src ? src : "-");
    return 0;
}

int ship_show(struct db *db, const char *reference, struct table **out, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT s.id, s.status, s.hs, s.net_g, s.value_cents, x.name, i.name, "
                        "coalesce(a.code, '-'), s.origin || coalesce('/' || s.origin_region, ''), "
                        "s.dest || coalesce('/' || s.dest_region, ''), coalesce(s.crossing, '-'), "
                        "s.mode, s.plant, s.documents, s.planned_date, s.source, s.reference, "
                        "coalesce((SELECT zone FROM crossing WHERE code = s.crossing), 'UTC') "
                        "FROM shipment s JOIN party x ON x.id = s.exporter_id "
                        "JOIN party i ON i.id = s.importer_id "
                        "LEFT JOIN agreement a ON a.id = s.agreement_id "
                        "WHERE s.reference = ?1 COLLATE NOCASE",
                        "t", reference);
    if (!rc) rc = db_step(st, e);
    if (rc <= 0) {
        db_finalize(st);
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND, "no shipment with reference '%s'", reference);
            return err_field(e, "reference");
        }
        return rc;
    }
    char title[400];
    snprintf(title, sizeof title, TF("Shipment %s: %s"), db_col_str(st, 16),
             T(db_col_str(st, 1)));
    struct table *t = table_new("shipment_events", title);
    show_notes(st, t);
    int64_t id = db_col_int(st, 0);
    char zone[24];
    db_col_text(st, 17, zone, sizeof zone);
    db_finalize(st);
    static const char *const names[] = {"event", "at", "local_time", "place", "note"};
    text_cols(t, names, 5);
    rc = db_fill(db, t, e,
                 "SELECT event, at, '', place, note FROM shipment_event WHERE shipment_id = ?1 "
                 "ORDER BY at, id",
                 "i", id);
    if (rc) {
        table_free(t);
        return rc;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        char local[48];
        timestamp_local(table_cell(t, r, 1)->s, zone, local, sizeof local);
        table_set_text(t, r, 2, local);
    }
    table_note(t, TF("Local times are in %s, the time zone of the shipment's border crossing"),
               zone);
    *out = t;
    return 0;
}

double ship_percentile(const double *v, size_t n, double p)
{
    if (!n) return NAN;
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (pos - (double)lo);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Adds the row of one crossing and month from its sorted hours. */
static void times_row(struct table *t, const char *crossing, const char *month, double *hours,
                      size_t n)
{
    qsort(hours, n, sizeof *hours, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += hours[i];
    size_t r = table_add_row(t);
    table_set_text(t, r, 0, crossing);
    table_set_text(t, r, 1, month);
    table_set_int(t, r, 2, (int64_t)n);
    table_set_real(t, r, 3, ship_percentile(hours, n, 0.5));
    table_set_real(t, r, 4, ship_percentile(hours, n, 0.9));
    table_set_real(t, r, 5, sum / (double)n);
}

int ship_crossing_times(struct db *db, const struct ship_filter *f, struct table **out,
                        struct err *e)
{
    return ship_crossing_times_by(db, f, 0, out, e);
}

int ship_crossing_times_by(struct db *db, const struct ship_filter *f, int yearly,
                           struct table **out, struct err *e)
{
    struct table *t =
        table_new("crossing_times", N_("Time to cross: arrival at the crossing to exit on the other "
                                    "side, hours"));
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, yearly ? "year" : "month", COL_TEXT, NULL, 0);
    table_col(t, "shipments", COL_INT, NULL, 0);
    table_col(t, "median_h", COL_REAL, "h", 1);
    table_col(t, "p90_h", COL_REAL, "h", 1);
    table_col(t, "mean_h", COL_REAL, "h", 1);
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT s.crossing, substr(a.at, 1, ?4), a.at, c.at FROM shipment s "
                        "JOIN shipment_event a ON a.shipment_id = s.id AND a.event = 'arrived' "
                        "JOIN shipment_event c ON c.shipment_id = s.id AND c.event = 'crossed' "
                        "WHERE s.crossing IS NOT NULL AND (?1 IS NULL OR s.crossing = ?1 COLLATE "
                        "NOCASE) AND (?2 IS NULL OR a.at >= ?2) AND (?3 IS NULL OR a.at < "
                        "date(?3, '+1 day')) ORDER BY s.crossing, substr(a.at, 1, ?4)",
                        "tttn", f->crossing, f->from, f->to, yearly ? 4 : 7);
    char crossing[32] = "", month[8] = "";
    double *hours = NULL;
    size_t n = 0, cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        if (n && (strcmp(crossing, db_col_str(st, 0)) || strcmp(month, db_col_str(st, 1)))) {
            times_row(t, crossing, month, hours, n);
            n = 0;
        }
        db_col_text(st, 0, crossing, sizeof crossing);
        db_col_text(st, 1, month, sizeof month);
        if (n == cap) hours = xrealloc(hours, (cap = cap ? cap * 2 : 32) * sizeof *hours);
        hours[n++] = timestamp_hours(db_col_str(st, 3)) - timestamp_hours(db_col_str(st, 2));
    }
    db_finalize(st);
    if (!rc && n) times_row(t, crossing, month, hours, n);
    free(hours);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_note(t, TF("In the manner of CAREC's corridor performance indicators: queueing, "
                     "inspection, transshipment and clearance all count; percentiles interpolate "
                     "linearly between ranks."));
    *out = t;
    return 0;
}

/* ---- fulfilment ---------------------------------------------------------------- */

struct commodity {
    char prefix[16];
    int64_t declared, shipped, delivered, declared_cents;
};

#define MAX_COMMODITIES 32

struct tally {
    struct commodity cm[MAX_COMMODITIES], all;
    size_t nc;
};

static int add_to(struct commodity *k, int64_t g, int64_t c, int shipped, int delivered)
{
    int over = __builtin_add_overflow(k->declared, g, &k->declared) |
               __builtin_add_overflow(k->declared_cents, c, &k->declared_cents);
    if (shipped || delivered) over |= __builtin_add_overflow(k->shipped, g, &k->shipped);
    if (delivered) over |= __builtin_add_overflow(k->delivered, g, &k->delivered);
    return over;
}

/* Sums the agreement's consignments of the period known on the as-of date,
 * per commodity of its scope, by their events. */
static int tally_period(struct db *db, const struct agr_terms *tm, const char *first,
                        const char *last, const char *asof, struct tally *y, struct err *e)
{
    char scope[512];
    str_copy(scope, tm->hs_scope, sizeof scope);
    memset(y, 0, sizeof *y);
    str_copy(y->all.prefix, "all", sizeof y->all.prefix);
    for (char *save, *p = strtok_r(scope, ",", &save); p && y->nc < MAX_COMMODITIES;
         p = strtok_r(NULL, ",", &save))
        str_copy(y->cm[y->nc++].prefix, p, sizeof y->cm->prefix);
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT s.hs, s.net_g, s.value_cents, "
                        "EXISTS (SELECT 1 FROM shipment_event x WHERE x.shipment_id = s.id AND "
                        "x.event = 'departed' AND x.at <= ?4 || 'T23:59'), "
                        "EXISTS (SELECT 1 FROM shipment_event x WHERE x.shipment_id = s.id AND "
                        "x.event = 'delivered' AND x.at <= ?4 || 'T23:59') "
                        "FROM shipment s WHERE s.agreement_id = ?1 AND s.planned_date BETWEEN ?2 "
                        "AND ?3 AND s.planned_date <= ?4 AND NOT EXISTS (SELECT 1 FROM "
                        "shipment_event x WHERE x.shipment_id = s.id AND x.event = 'rejected' "
                        "AND x.at <= ?4 || 'T23:59')",
                        "ittt", tm->agreement_id, first, last, asof);
    while (!rc && (rc = db_step(st, e)) == 1) {
        char pfx[16];
        int64_t g = db_col_int(st, 1), c = db_col_int(st, 2);
        int shipped = (int)db_col_int(st, 3), delivered = (int)db_col_int(st, 4);
        struct commodity *k = NULL;
        if (agr_scope_match(tm, db_col_str(st, 0), pfx, sizeof pfx))
            for (size_t i = 0; i < y->nc; i++)
                if (strcmp(y->cm[i].prefix, pfx) == 0) k = &y->cm[i];
        int over = add_to(&y->all, g, c, shipped, delivered);
        if (k) over |= add_to(k, g, c, shipped, delivered);
        rc = over ? err_set(e, ERR_LIMIT, "the totals of agreement %s overflow", tm->code) : 0;
    }
    db_finalize(st);
    return rc;
}

/* The row of the whole agreement: the cap, its use, the pace and flags. */
static void cap_cells(struct table *t, size_t r, const struct agr_terms *tm,
                      const struct commodity *k, long elapsed, long span)
{
    table_set_int(t, r, 11, tm->version);
    if (elapsed >= 1 && elapsed < span)
        table_set_int(t, r, 9, (int64_t)llround((double)k->declared * span / elapsed));
    else if (elapsed >= span)
        table_set_int(t, r, 9, k->declared);
    const char *flag = "";
    if (tm->has_cap_g) {
        double pct = 100.0 * (double)k->declared / (double)tm->cap_g;
        table_set_int(t, r, 3, tm->cap_g);
        table_set_int(t, r, 7, tm->cap_g - k->declared);
        table_set_real(t, r, 8, pct);
        if (pct >= 100)
            flag = "cap reached";
        else if (pct >= 80)
            flag = "80% of cap";
        else if (elapsed >= 1 && elapsed < span &&
                 (double)k->declared * span / elapsed > (double)tm->cap_g)
            flag = "on pace to exceed cap";
    }
    if (tm->has_cap_cents) {
        table_set_int(t, r, 13, tm->cap_cents);
        table_set_int(t, r, 14, tm->cap_cents - k->declared_cents);
    }
    table_set_text(t, r, 12, flag);
}

/* The terms and period to report for one agreement: rc 1 when there is
 * nothing to show (not yet in force). */
static int fulfil_terms(struct db *db, int64_t aid, const char *period, const char *asof,
                        int skip_missing, struct agr_terms *tm, char label[16], long *f, long *l,
                        struct err *e)
{
    int rc;
    if (period) {
        /* read the period against the latest terms, then take the terms in
         * force on the as-of date or the period's last day, whichever is first */
        if ((rc = agr_terms_at(db, aid, asof, tm, e)) == ERR_NOTFOUND) {
            err_clear(e);
            rc = agr_terms_at(db, aid, "9999-12-31", tm, e);
        }
        if (!rc) rc = agr_period_parse(tm, period, label, f, l, e);
        if (rc) return rc;
    } else {
        if ((rc = agr_terms_at(db, aid, asof, tm, e))) {
            if (rc != ERR_NOTFOUND || !skip_missing) return rc;
            err_clear(e);
            return 1;
        }
        agr_period(tm, asof, label, f, l);
    }
    char first[11], last[11], when[11];
    date_from_days(*f, first);
    date_from_days(*l, last);
    long asof_days = date_text_days(asof);
    str_copy(when, asof_days < *l ? asof : last, sizeof when);
    if (asof_days < *f) str_copy(when, first, sizeof when);
    rc = agr_terms_at(db, aid, when, tm, e);
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        return 1;
    }
    return rc;
}

static int fulfil_one(struct db *db, int64_t aid, const char *period, const char *asof,
                      int skip_missing, struct table *t, struct err *e)
{
    struct agr_terms tm;
    char label[16], first[11], last[11];
    long f, l;
    int rc = fulfil_terms(db, aid, period, asof, skip_missing, &tm, label, &f, &l, e);
    if (rc) return rc == 1 ? 0 : rc;
    date_from_days(f, first);
    date_from_days(l, last);
    struct tally y;
    if ((rc = tally_period(db, &tm, first, last, asof, &y, e))) return rc;
    long elapsed = date_text_days(asof) - f + 1, span = l - f + 1;
    for (size_t i = 0; i <= y.nc; i++) {
        struct commodity *k = i < y.nc ? &y.cm[i] : &y.all;
        if (i < y.nc && !k->declared) continue;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, tm.code);
        table_set_text(t, r, 1, label);
        table_set_text(t, r, 2, k->prefix);
        table_set_int(t, r, 4, k->declared);
        table_set_int(t, r, 5, k->shipped);
        table_set_int(t, r, 6, k->delivered);
        table_set_int(t, r, 10, k->declared_cents);
        if (i == y.nc) cap_cells(t, r, &tm, k, elapsed, span); /* the cap is the agreement's */
    }
    return 0;
}

static struct table *fulfilment_table(const char *asof)
{
    char title[400];
    snprintf(title, sizeof title, TF("Fulfilment of agreements' annual caps as on %s"), asof);
    struct table *t = table_new("fulfilment", title);
    static const struct {
        const char *name;
        enum col_type type;
    } cols[] = {
        {"agreement", COL_TEXT},   {"period", COL_TEXT},        {"commodity", COL_TEXT},
        {"cap_t", COL_MASS},       {"declared_t", COL_MASS},    {"shipped_t", COL_MASS},
        {"delivered_t", COL_MASS}, {"remaining_t", COL_MASS},   {"pct_of_cap", COL_REAL},
        {"projected_t", COL_MASS}, {"declared_usd", COL_MONEY}, {"terms_version", COL_INT},
        {"flag", COL_TEXT},        {"cap_usd", COL_MONEY},      {"remaining_usd", COL_MONEY}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i].name, cols[i].type, cols[i].type == COL_REAL ? "%" : NULL, 1);
    return t;
}

int ship_fulfilment(struct db *db, const char *agreement, const char *period, const char *date,
                    struct table **out, struct err *e)
{
    char asof[11];
    if (date)
        str_copy(asof, date, sizeof asof);
    else
        date_today(asof);
    struct table *t = fulfilment_table(asof);
    int rc = 0;
    if (agreement) {
        int64_t id;
        if ((rc = agr_find(db, agreement, &id, e))) err_field(e, "agreement");
        if (!rc) rc = fulfil_one(db, id, period, asof, 0, t, e);
    } else {
        struct db_stmt *st;
        rc = db_prepare(db, &st, e, "SELECT id FROM agreement ORDER BY code", NULL);
        while (!rc && (rc = db_step(st, e)) == 1)
            rc = fulfil_one(db, db_col_int(st, 0), period, asof, 1, t, e);
        db_finalize(st);
    }
    if (rc) {
        table_free(t);
        return rc;
    }
    if (!t->nrows) table_note(t, TF("No agreement has terms in force on %s."), asof);
    table_note(t, TF("Declared counts every consignment declared under the agreement for the "
                     "period and not rejected; shipped, those departed; delivered, those "
                     "delivered (all as known on the date). Remaining = cap - declared. "
                     "Projected = declared at the pace so far, to the period's end."));
    *out = t;
    return 0;
}

int ship_latest_date(struct db *db, char out[11], struct err *e)
{
    out[0] = 0;
    int rc =
        db_lookup(db, e, out, 11, "SELECT coalesce(max(planned_date), '') FROM shipment", NULL);
    return rc < 0 ? rc : 0;
}
