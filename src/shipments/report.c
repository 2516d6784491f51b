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
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT s.reference, s.planned_date, s.status, coalesce(a.code, ''), "
                        "s.hs, s.net_g, s.value_cents, x.name, i.name, s.origin || "
                        "coalesce('/' || s.origin_region, ''), s.dest, coalesce(s.crossing, ''), "
                        "s.mode, s.source FROM shipment s JOIN party x ON x.id = s.exporter_id "
                        "JOIN party i ON i.id = s.importer_id LEFT JOIN agreement a ON a.id = "
                        "s.agreement_id WHERE (?1 IS NULL OR a.code = ?1) AND (?2 IS NULL OR "
                        "s.status = ?2) AND (?3 IS NULL OR s.crossing = ?3) AND (?4 IS NULL OR "
                        "s.planned_date >= ?4) AND (?5 IS NULL OR s.planned_date <= ?5) AND "
                        "(?6 IS NULL OR s.hs LIKE ?6 || '%') ORDER BY s.planned_date, s.reference",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, f->agreement);
    db_bind_text(st, 2, f->status);
    db_bind_text(st, 3, f->crossing);
    db_bind_text(st, 4, f->from);
    db_bind_text(st, 5, f->to);
    db_bind_text(st, 6, f->hs);
    struct table *t = table_new("shipments", "Shipments");
    static const char *const a[] = {"reference", "date", "status", "agreement", "hs"};
    text_cols(t, a, 5);
    table_col(t, "net_t", COL_MASS, NULL, 0);
    table_col(t, "value_usd", COL_MONEY, NULL, 0);
    static const char *const b[] = {"exporter", "importer", "origin", "dest",
                                    "crossing", "mode",     "source"};
    text_cols(t, b, 7);
    int64_t g = 0, cents = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t r = table_add_row(t);
        for (int c = 0; c < 14; c++) {
            if (c == 5 || c == 6)
                table_set_int(t, r, (size_t)c, sqlite3_column_int64(st, c));
            else
                table_set_text(t, r, (size_t)c, (const char *)sqlite3_column_text(st, c));
        }
        g += sqlite3_column_int64(st, 5);
        cents += sqlite3_column_int64(st, 6);
    }
    sqlite3_finalize(st);
    char m[40], v[40];
    table_note(t, "%zu shipments, %s t, US$ %s.", t->nrows, mass_format_t(g, 1, m, sizeof m),
               dec_format_grouped(cents, 2, v, sizeof v));
    *out = t;
    return 0;
}

int ship_show(struct db *db, const char *reference, struct table **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT s.id, s.status, s.hs, s.net_g, s.value_cents, x.name, i.name, "
                        "coalesce(a.code, '-'), s.origin || coalesce('/' || s.origin_region, ''), "
                        "s.dest || coalesce('/' || s.dest_region, ''), coalesce(s.crossing, '-'), "
                        "s.mode, s.plant, s.documents, s.planned_date, s.source FROM shipment s "
                        "JOIN party x ON x.id = s.exporter_id JOIN party i ON i.id = s.importer_id "
                        "LEFT JOIN agreement a ON a.id = s.agreement_id WHERE s.reference = ?1",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, reference);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return err_set(e, ERR_NOTFOUND, "no shipment with reference '%s'", reference);
    }
    char title[200];
    snprintf(title, sizeof title, "Shipment %s: %s", reference, sqlite3_column_text(st, 1));
    struct table *t = table_new("shipment_events", title);
    char m[40], v[40];
    table_note(
        t, "HS %s, %s t, US$ %s; %s -> %s; from %s to %s via %s by %s", sqlite3_column_text(st, 2),
        mass_format_t(sqlite3_column_int64(st, 3), 1, m, sizeof m),
        dec_format_grouped(sqlite3_column_int64(st, 4), 2, v, sizeof v), sqlite3_column_text(st, 5),
        sqlite3_column_text(st, 6), sqlite3_column_text(st, 8), sqlite3_column_text(st, 9),
        sqlite3_column_text(st, 10), sqlite3_column_text(st, 11));
    table_note(t, "Agreement %s; establishment %s; documents %s; planned %s; source %s",
               sqlite3_column_text(st, 7),
               *sqlite3_column_text(st, 12) ? (const char *)sqlite3_column_text(st, 12) : "-",
               *sqlite3_column_text(st, 13) ? (const char *)sqlite3_column_text(st, 13) : "-",
               sqlite3_column_text(st, 14),
               *sqlite3_column_text(st, 15) ? (const char *)sqlite3_column_text(st, 15) : "-");
    sqlite3_int64 id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    static const char *const names[] = {"event", "at", "place", "note"};
    text_cols(t, names, 4);
    if ((rc = db_prepare(db,
                         "SELECT event, at, place, note FROM shipment_event WHERE "
                         "shipment_id = ?1 ORDER BY at, id",
                         &st, e))) {
        table_free(t);
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t r = table_add_row(t);
        for (int c = 0; c < 4; c++)
            table_set_text(t, r, (size_t)c, (const char *)sqlite3_column_text(st, c));
    }
    sqlite3_finalize(st);
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

int ship_crossing_times(struct db *db, const struct ship_filter *f, struct table **out,
                        struct err *e)
{
    sqlite3_stmt *st;
    int rc =
        db_prepare(db,
                   "SELECT s.crossing, substr(a.at, 1, 7), a.at, c.at FROM shipment s "
                   "JOIN shipment_event a ON a.shipment_id = s.id AND a.event = 'arrived' "
                   "JOIN shipment_event c ON c.shipment_id = s.id AND c.event = 'crossed' "
                   "WHERE s.crossing IS NOT NULL AND (?1 IS NULL OR s.crossing = ?1) "
                   "AND (?2 IS NULL OR a.at >= ?2) AND (?3 IS NULL OR a.at < date(?3, '+1 day')) "
                   "ORDER BY s.crossing, substr(a.at, 1, 7)",
                   &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, f->crossing);
    db_bind_text(st, 2, f->from);
    db_bind_text(st, 3, f->to);
    struct table *t =
        table_new("crossing_times", "Time to cross: arrival at the crossing to exit on the other "
                                    "side, hours");
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "month", COL_TEXT, NULL, 0);
    table_col(t, "shipments", COL_INT, NULL, 0);
    table_col(t, "median_h", COL_REAL, "h", 1);
    table_col(t, "p90_h", COL_REAL, "h", 1);
    table_col(t, "mean_h", COL_REAL, "h", 1);
    char key[64] = "", crossing[32] = "", month[8] = "";
    double *hours = NULL;
    size_t n = 0, cap = 0;
    for (int more = 1; more;) {
        more = sqlite3_step(st) == SQLITE_ROW;
        char k[64] = "";
        if (more)
            snprintf(k, sizeof k, "%s|%s", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
        if (n && (!more || strcmp(k, key) != 0)) {
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
            n = 0;
        }
        if (!more) break;
        str_copy(key, k, sizeof key);
        db_col_text(st, 0, crossing, sizeof crossing);
        db_col_text(st, 1, month, sizeof month);
        double h = timestamp_hours((const char *)sqlite3_column_text(st, 3)) -
                   timestamp_hours((const char *)sqlite3_column_text(st, 2));
        if (n == cap) hours = xrealloc(hours, (cap = cap ? cap * 2 : 32) * sizeof *hours);
        hours[n++] = h;
    }
    sqlite3_finalize(st);
    free(hours);
    table_note(t, "In the manner of CAREC's corridor performance indicators: queueing, "
                  "inspection, transshipment and clearance all count; percentiles interpolate "
                  "linearly between ranks.");
    *out = t;
    return 0;
}

/* ---- fulfilment ---------------------------------------------------------------- */

struct commodity {
    char prefix[16];
    int64_t declared, shipped, delivered, declared_cents;
};

static int fulfil_one(struct db *db, sqlite3_int64 aid, const char *period, const char *asof,
                      int skip_missing, struct table *t, struct err *e)
{
    struct agr_terms tm;
    char label[16], first[11], last[11], when[11];
    long f, l;
    int rc;
    if (period) {
        /* read the period against the latest terms, then take the terms in
         * force on the as-of date or the period's last day, whichever is first */
        if ((rc = agr_terms_at(db, aid, asof, &tm, e)) == ERR_NOTFOUND)
            rc = agr_terms_at(db, aid, "9999-12-31", &tm, e);
        if (rc) return rc;
        if ((rc = agr_period_parse(&tm, period, label, &f, &l, e))) return rc;
    } else {
        if ((rc = agr_terms_at(db, aid, asof, &tm, e))) {
            if (rc != ERR_NOTFOUND || !skip_missing) return rc;
            err_clear(e); /* not yet in force: nothing to show for it */
            return 0;
        }
        agr_period(&tm, asof, label, &f, &l);
    }
    date_from_days(f, first);
    date_from_days(l, last);
    long asof_days = date_text_days(asof);
    str_copy(when, asof_days < l ? asof : last, sizeof when);
    if (asof_days < f) str_copy(when, first, sizeof when);
    struct err tmp = {0};
    if (agr_terms_at(db, aid, when, &tm, &tmp)) return 0; /* not yet in force: nothing to show */
    /* shipments of the period known on the as-of date, by their events */
    sqlite3_stmt *st;
    if ((rc = db_prepare(db,
                         "SELECT s.hs, s.net_g, s.value_cents, "
                         "EXISTS (SELECT 1 FROM shipment_event x WHERE x.shipment_id = s.id AND "
                         "x.event = 'departed' AND x.at <= ?4 || 'T23:59'), "
                         "EXISTS (SELECT 1 FROM shipment_event x WHERE x.shipment_id = s.id AND "
                         "x.event = 'delivered' AND x.at <= ?4 || 'T23:59') "
                         "FROM shipment s WHERE s.agreement_id = ?1 AND s.planned_date BETWEEN ?2 "
                         "AND ?3 AND s.planned_date <= ?4 AND NOT EXISTS (SELECT 1 FROM "
                         "shipment_event x WHERE x.shipment_id = s.id AND x.event = 'rejected' "
                         "AND x.at <= ?4 || 'T23:59')",
                         &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, aid);
    db_bind_text(st, 2, first);
    db_bind_text(st, 3, last);
    db_bind_text(st, 4, asof);
    struct commodity cm[32];
    size_t nc = 0;
    char scope[512];
    str_copy(scope, tm.hs_scope, sizeof scope);
    for (char *save, *p = strtok_r(scope, ",", &save); p && nc < 32;
         p = strtok_r(NULL, ",", &save)) {
        memset(&cm[nc], 0, sizeof cm[nc]);
        str_copy(cm[nc++].prefix, p, sizeof cm->prefix);
    }
    struct commodity all = {.prefix = "all"};
    while (sqlite3_step(st) == SQLITE_ROW) {
        char pfx[16];
        const char *hs = (const char *)sqlite3_column_text(st, 0);
        int64_t g = sqlite3_column_int64(st, 1), c = sqlite3_column_int64(st, 2);
        int shipped = sqlite3_column_int(st, 3), delivered = sqlite3_column_int(st, 4);
        struct commodity *k = NULL;
        if (agr_scope_match(&tm, hs, pfx, sizeof pfx))
            for (size_t i = 0; i < nc; i++)
                if (strcmp(cm[i].prefix, pfx) == 0) k = &cm[i];
        struct commodity *targets[2] = {&all, k};
        for (int j = 0; j < 2; j++) {
            if (!targets[j]) continue;
            targets[j]->declared += g;
            targets[j]->declared_cents += c;
            if (shipped || delivered) targets[j]->shipped += g;
            if (delivered) targets[j]->delivered += g;
        }
    }
    sqlite3_finalize(st);
    long elapsed = asof_days - f + 1, span = l - f + 1;
    for (size_t i = 0; i <= nc; i++) {
        struct commodity *k = i < nc ? &cm[i] : &all;
        if (i < nc && !k->declared) continue;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, tm.code);
        table_set_text(t, r, 1, label);
        table_set_text(t, r, 2, k->prefix);
        table_set_int(t, r, 4, k->declared);
        table_set_int(t, r, 5, k->shipped);
        table_set_int(t, r, 6, k->delivered);
        table_set_int(t, r, 10, k->declared_cents);
        if (i < nc) continue;
        /* the cap and its use belong to the whole agreement */
        table_set_int(t, r, 11, tm.version);
        if (elapsed >= 1 && elapsed < span)
            table_set_int(t, r, 9, (int64_t)llround((double)k->declared * span / elapsed));
        else if (elapsed >= span)
            table_set_int(t, r, 9, k->declared);
        const char *flag = "";
        if (tm.has_cap_g) {
            double pct = 100.0 * (double)k->declared / (double)tm.cap_g;
            table_set_int(t, r, 3, tm.cap_g);
            table_set_int(t, r, 7, tm.cap_g - k->declared);
            table_set_real(t, r, 8, pct);
            if (pct >= 100)
                flag = "cap reached";
            else if (pct >= 80)
                flag = "80% of cap";
            else if (elapsed >= 1 && elapsed < span &&
                     (double)k->declared * span / elapsed > (double)tm.cap_g)
                flag = "on pace to exceed cap";
        }
        if (tm.has_cap_cents) {
            table_set_int(t, r, 13, tm.cap_cents);
            table_set_int(t, r, 14, tm.cap_cents - k->declared_cents);
        }
        table_set_text(t, r, 12, flag);
    }
    return 0;
}

int ship_fulfilment(struct db *db, const char *agreement, const char *period, const char *date,
                    struct table **out, struct err *e)
{
    char asof[11];
    if (date) {
        int rc = date_check(date, ERR_USAGE, "--date", e);
        if (rc) return rc;
        str_copy(asof, date, sizeof asof);
    } else {
        date_today(asof);
    }
    char title[160];
    snprintf(title, sizeof title, "Fulfilment of agreements' annual caps as on %s", asof);
    struct table *t = table_new("fulfilment", title);
    table_col(t, "agreement", COL_TEXT, NULL, 0);
    table_col(t, "period", COL_TEXT, NULL, 0);
    table_col(t, "commodity", COL_TEXT, NULL, 0);
    table_col(t, "cap_t", COL_MASS, NULL, 0);
    table_col(t, "declared_t", COL_MASS, NULL, 0);
    table_col(t, "shipped_t", COL_MASS, NULL, 0);
    table_col(t, "delivered_t", COL_MASS, NULL, 0);
    table_col(t, "remaining_t", COL_MASS, NULL, 0);
    table_col(t, "pct_of_cap", COL_REAL, "%", 1);
    table_col(t, "projected_t", COL_MASS, NULL, 0);
    table_col(t, "declared_usd", COL_MONEY, NULL, 0);
    table_col(t, "terms_version", COL_INT, NULL, 0);
    table_col(t, "flag", COL_TEXT, NULL, 0);
    table_col(t, "cap_usd", COL_MONEY, NULL, 0);
    table_col(t, "remaining_usd", COL_MONEY, NULL, 0);
    int rc = 0;
    if (agreement) {
        sqlite3_int64 id;
        if (!(rc = agr_find(db, agreement, &id, e))) rc = fulfil_one(db, id, period, asof, 0, t, e);
    } else {
        sqlite3_stmt *st;
        if (!(rc = db_prepare(db, "SELECT id FROM agreement ORDER BY code", &st, e))) {
            while (!rc && sqlite3_step(st) == SQLITE_ROW)
                rc = fulfil_one(db, sqlite3_column_int64(st, 0), period, asof, 1, t, e);
            sqlite3_finalize(st);
        }
    }
    if (rc) {
        table_free(t);
        return rc;
    }
    table_note(t, "Declared counts every consignment declared under the agreement for the "
                  "period and not rejected; shipped, those departed; delivered, those delivered "
                  "(all as known on the date). Remaining = cap - declared. Projected = declared "
                  "at the pace so far, to the period's end.");
    *out = t;
    return 0;
}

int ship_latest_date(struct db *db, char out[11], struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT coalesce(max(planned_date), '') FROM shipment", &st, e);
    if (rc) return rc;
    out[0] = 0;
    if (sqlite3_step(st) == SQLITE_ROW) db_col_text(st, 0, out, 11);
    sqlite3_finalize(st);
    return 0;
}
