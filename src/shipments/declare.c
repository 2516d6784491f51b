/* declare.c — declaring a consignment through its gates, and recording its
 * lifecycle events in order. */
#include "shipments.h"

#include <stdlib.h>
#include <string.h>

const struct rec_field ship_spec[] = {
    {"reference", RT_TEXT, 1, NULL},
    {"exporter", RT_TEXT, 1, NULL},
    {"importer", RT_TEXT, 1, NULL},
    {"agreement", RT_TEXT, 0, NULL},
    {"hs", RT_TEXT, 1, NULL},
    {"net_t", RT_TONNES, 1, NULL},
    {"value_usd", RT_USD, 1, NULL},
    {"origin", RT_TEXT, 1, NULL},
    {"origin_region", RT_TEXT, 0, NULL},
    {"dest", RT_TEXT, 1, NULL},
    {"dest_region", RT_TEXT, 0, NULL},
    {"crossing", RT_TEXT, 0, NULL},
    {"mode", RT_ENUM, 1, "rail|road|air|sea|multimodal"},
    {"plant", RT_TEXT, 0, NULL},
    {"documents", RT_LIST, 0, NULL},
    {"date", RT_DATE, 1, NULL},
    {"source", RT_TEXT, 0, NULL},
};
const size_t ship_nspec = sizeof ship_spec / sizeof ship_spec[0];
enum {
    S_REF,
    S_EXP,
    S_IMP,
    S_AGR,
    S_HS,
    S_NET,
    S_VALUE,
    S_ORIGIN,
    S_OREGION,
    S_DEST,
    S_DREGION,
    S_CROSSING,
    S_MODE,
    S_PLANT,
    S_DOCS,
    S_DATE,
    S_SOURCE
};

const struct rec_field ship_event_spec[] = {
    {"reference", RT_TEXT, 1, NULL},
    {"event", RT_ENUM, 1, "departed|arrived|cleared|transshipped|crossed|delivered|rejected"},
    {"at", RT_TIMESTAMP, 1, NULL},
    {"place", RT_TEXT, 0, NULL},
    {"note", RT_TEXT, 0, NULL},
};
const size_t ship_event_nspec = sizeof ship_event_spec / sizeof ship_event_spec[0];

static void reason(struct ship_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reason(struct ship_decision *d, const char *fmt, ...)
{
    if (d->nreasons >= SHIP_MAX_REASONS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reasons[d->nreasons++], sizeof d->reasons[0], fmt, ap);
    va_end(ap);
}

/* Sum of net mass and value of the agreement's live declarations in a period. */
static int declared_in(struct db *db, sqlite3_int64 agreement, const char *first, const char *last,
                       int64_t *g, int64_t *cents, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT coalesce(sum(net_g), 0), coalesce(sum(value_cents), 0) "
                        "FROM shipment WHERE agreement_id = ?1 AND planned_date BETWEEN ?2 AND ?3 "
                        "AND status <> 'rejected'",
                        &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, agreement);
    db_bind_text(st, 2, first);
    db_bind_text(st, 3, last);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *g = sqlite3_column_int64(st, 0);
        *cents = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

static int is_party(struct db *db, sqlite3_int64 agreement, sqlite3_int64 party)
{
    sqlite3_stmt *st;
    int yes = 0;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT 1 FROM agreement_party WHERE agreement_id = ?1 AND "
                           "party_id = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, agreement);
        sqlite3_bind_int64(st, 2, party);
        yes = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return yes;
}

/* Gate 3: the agreement's status, dates, parties, scope and remaining cap. */
static int gate_agreement(struct db *db, sqlite3_int64 aid, const struct rec_value *v,
                          sqlite3_int64 exporter, sqlite3_int64 importer, struct ship_decision *d,
                          struct err *e)
{
    struct agr_terms t;
    struct err tmp = {0};
    const char *code = v[S_AGR].s, *date = v[S_DATE].s;
    if (agr_terms_at(db, aid, date, &t, &tmp)) {
        reason(d, "agreement %s has no terms in force on %s", code, date);
        return 0;
    }
    if (strcmp(t.status, "in force") != 0 && strcmp(t.status, "signed") != 0)
        reason(d, "agreement %s is %s on %s (terms version %d)", code, t.status, date, t.version);
    if (strcmp(date, t.start) < 0 || (t.end[0] && strcmp(date, t.end) > 0))
        reason(d, "%s is outside the term of agreement %s (%s to %s)", date, code, t.start,
               t.end[0] ? t.end : "open");
    if (!is_party(db, aid, exporter) && !is_party(db, aid, importer))
        reason(d, "neither %s nor %s is a party to agreement %s", v[S_EXP].s, v[S_IMP].s, code);
    char prefix[16];
    if (!agr_scope_match(&t, v[S_HS].s, prefix, sizeof prefix))
        reason(d, "HS %s is outside the scope of agreement %s (HS %s)", v[S_HS].s, code,
               t.hs_scope);
    char label[16], first[11], last[11];
    long f, l;
    agr_period(&t, date, label, &f, &l);
    date_from_days(f, first);
    date_from_days(l, last);
    int64_t g = 0, cents = 0;
    int rc = declared_in(db, aid, first, last, &g, &cents, e);
    if (rc) return rc;
    if (t.has_cap_g && g + v[S_NET].i > t.cap_g) {
        char cap[40], done[40], left[40], this[40];
        int64_t remaining = t.cap_g > g ? t.cap_g - g : 0;
        reason(d,
               "the declaration would exceed the annual cap of agreement %s for %s: cap %s t, "
               "declared %s t, remaining %s t, this declaration %s t",
               code, label, mass_format_t(t.cap_g, 1, cap, sizeof cap),
               mass_format_t(g, 1, done, sizeof done),
               mass_format_t(remaining, 1, left, sizeof left),
               mass_format_t(v[S_NET].i, 1, this, sizeof this));
    }
    if (t.has_cap_cents && cents + v[S_VALUE].i > t.cap_cents) {
        char cap[40], left[40];
        int64_t remaining = t.cap_cents > cents ? t.cap_cents - cents : 0;
        reason(d,
               "the declaration would exceed the annual value cap of agreement %s for %s: "
               "cap US$ %s, remaining US$ %s",
               code, label, dec_format_grouped(t.cap_cents, 2, cap, sizeof cap),
               dec_format_grouped(remaining, 2, left, sizeof left));
    }
    return 0;
}

int ship_gate_capacity(struct db *db, const char *crossing, const char *date, int64_t net_g,
                       struct ship_decision *d, struct err *e)
{
    /* Extension point: the logistics area will compare the consignment with
     * the crossing's capacity for the period and the load already booked.
     * Until crossing capacities are stored, every crossing has room. */
    (void)db, (void)crossing, (void)date, (void)net_g, (void)d, (void)e;
    return 0;
}

int ship_declare(struct db *db, const struct ref *ref, const struct rec_value *v,
                 struct ship_decision *dout, struct err *e)
{
    struct ship_decision local;
    struct ship_decision *d = dout ? dout : &local;
    memset(d, 0, sizeof *d);
    /* gate 1: reference data */
    const char *origin, *dest, *oreg, *dreg;
    if (!(origin = ref_country_field(ref, v[S_ORIGIN].s, "origin", e))) return e->code;
    if (!(dest = ref_country_field(ref, v[S_DEST].s, "dest", e))) return e->code;
    if (!(oreg = ref_region_field(ref, v[S_OREGION].s, origin, "origin_region", e))) return e->code;
    if (!(dreg = ref_region_field(ref, v[S_DREGION].s, dest, "dest_region", e))) return e->code;
    if (!ref_hs_valid(v[S_HS].s) || strlen(v[S_HS].s) < 4) {
        err_set(e, ERR_INPUT, "'%s' is not an HS code of 4 to 10 digits", v[S_HS].s);
        return err_field(e, "hs");
    }
    if (v[S_NET].i < 1000) {
        err_set(e, ERR_INPUT, "net mass must be at least 1 kg");
        return err_field(e, "net_t");
    }
    sqlite3_int64 exporter, importer, aid = 0;
    int rc;
    if ((rc = agr_party_find(db, v[S_EXP].s, &exporter, e))) return err_field(e, "exporter");
    if ((rc = agr_party_find(db, v[S_IMP].s, &importer, e))) return err_field(e, "importer");
    if (v[S_AGR].present && (rc = agr_find(db, v[S_AGR].s, &aid, e)))
        return err_field(e, "agreement");
    sqlite3_stmt *st;
    if (v[S_CROSSING].present) {
        if (!db_lookup(db, "SELECT 1 FROM crossing WHERE code = ?1", v[S_CROSSING].s, NULL, 0)) {
            err_set(e, ERR_NOTFOUND,
                    "unknown border crossing '%s' (DOSTYK-RAIL, ALTYNKOL, "
                    "NURZHOLY, ALAKOL, BAKHTY, MAIKAPCHAGAI, KOLZHAT)",
                    v[S_CROSSING].s);
            return err_field(e, "crossing");
        }
    }
    if (db_lookup(db, "SELECT 1 FROM shipment WHERE reference = ?1", v[S_REF].s, NULL, 0)) {
        err_set(e, ERR_CONFLICT, "shipment %s is already declared", v[S_REF].s);
        return err_field(e, "reference");
    }
    /* gate 2: market access on the planned date */
    struct access_query aq = {v[S_HS].s,
                              origin,
                              *oreg ? oreg : NULL,
                              dest,
                              v[S_PLANT].present ? v[S_PLANT].s : NULL,
                              v[S_DOCS].present ? v[S_DOCS].s : NULL,
                              v[S_DATE].s};
    struct access_result ar;
    if ((rc = access_check(db, &aq, &ar, e))) return rc;
    for (int i = 0; i < ar.nreasons; i++)
        reason(d, "market access: %s", ar.reasons[i]);
    /* gate 3: the agreement's scope and remaining cap */
    if (aid && (rc = gate_agreement(db, aid, v, exporter, importer, d, e))) return rc;
    /* gate 4: crossing capacity */
    if (v[S_CROSSING].present &&
        (rc = ship_gate_capacity(db, v[S_CROSSING].s, v[S_DATE].s, v[S_NET].i, d, e)))
        return rc;
    if (d->nreasons) {
        char msg[sizeof e->msg];
        size_t o = (size_t)snprintf(msg, sizeof msg, "shipment %s refused: ", v[S_REF].s);
        for (int i = 0; i < d->nreasons && o < sizeof msg; i++)
            o += (size_t)snprintf(msg + o, sizeof msg - o, "%s%s", i ? "; " : "", d->reasons[i]);
        return err_set(e, ERR_REFUSED, "%s", msg);
    }
    if ((rc = db_prepare(db,
                         "INSERT INTO shipment(reference, exporter_id, importer_id, agreement_id, "
                         "hs, net_g, value_cents, origin, origin_region, dest, dest_region, "
                         "crossing, mode, plant, documents, planned_date, status, source) VALUES "
                         "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,'declared',?17)",
                         &st, e)))
        return rc;
    db_bind_text(st, 1, v[S_REF].s);
    sqlite3_bind_int64(st, 2, exporter);
    sqlite3_bind_int64(st, 3, importer);
    if (aid) sqlite3_bind_int64(st, 4, aid);
    db_bind_text(st, 5, v[S_HS].s);
    sqlite3_bind_int64(st, 6, v[S_NET].i); /* tonnes parsed at scale 6 are grams */
    sqlite3_bind_int64(st, 7, v[S_VALUE].i);
    db_bind_text(st, 8, origin);
    db_bind_text(st, 9, *oreg ? oreg : NULL);
    db_bind_text(st, 10, dest);
    db_bind_text(st, 11, *dreg ? dreg : NULL);
    db_bind_text(st, 12, v[S_CROSSING].present ? v[S_CROSSING].s : NULL);
    db_bind_text(st, 13, v[S_MODE].s);
    db_bind_text(st, 14, v[S_PLANT].s);
    db_bind_text(st, 15, v[S_DOCS].s);
    db_bind_text(st, 16, v[S_DATE].s);
    db_bind_text(st, 17, v[S_SOURCE].s);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "storing the shipment");
    sqlite3_finalize(st);
    if (rc) return rc;
    sqlite3_int64 sid = sqlite3_last_insert_rowid(db->h);
    if ((rc = db_prepare(db,
                         "INSERT INTO shipment_event(shipment_id, event, at) VALUES "
                         "(?1, 'declared', ?2 || 'T00:00')",
                         &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, sid);
    db_bind_text(st, 2, v[S_DATE].s);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "storing the event");
    sqlite3_finalize(st);
    if (rc) return rc;
    char *after = rec_json(ship_spec, ship_nspec, v);
    rc = db_audit(db, "shipments.declare", "shipment", v[S_REF].s, NULL, after, e);
    free(after);
    return rc;
}

int ship_declare_record(struct db *db, const struct rec_value *v, void *ref, struct err *e)
{
    return ship_declare(db, ref, v, NULL, e);
}

static int event_rank(const char *ev)
{
    static const char *const order[] = {"declared",     "departed", "arrived",   "cleared",
                                        "transshipped", "crossed",  "delivered", NULL};
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], ev) == 0) return i;
    return 100; /* rejected */
}

int ship_event_record(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    (void)ctx;
    const char *ref = v[0].s, *ev = v[1].s, *at = v[2].s;
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT s.id, s.status, (SELECT max(at) FROM shipment_event x WHERE "
                        "x.shipment_id = s.id) FROM shipment s WHERE s.reference = ?1",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, ref);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        err_set(e, ERR_NOTFOUND, "no shipment with reference '%s'", ref);
        return err_field(e, "reference");
    }
    sqlite3_int64 sid = sqlite3_column_int64(st, 0);
    char status[16], last[20];
    db_col_text(st, 1, status, sizeof status);
    db_col_text(st, 2, last, sizeof last);
    sqlite3_finalize(st);
    if (strcmp(status, "delivered") == 0 || strcmp(status, "rejected") == 0) {
        err_set(e, ERR_CONFLICT, "shipment %s is %s: no event can follow", ref, status);
        return err_field(e, "event");
    }
    if (strcmp(ev, "rejected") != 0 && event_rank(ev) <= event_rank(status)) {
        err_set(e, ERR_CONFLICT, "event '%s' is out of order: shipment %s is already %s", ev, ref,
                status);
        return err_field(e, "event");
    }
    if (strcmp(at, last) < 0) {
        err_set(e, ERR_CONFLICT, "event time %s is before the shipment's last event (%s)", at,
                last);
        return err_field(e, "at");
    }
    if ((rc = db_prepare(db,
                         "INSERT INTO shipment_event(shipment_id, event, at, place, note) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, sid);
    db_bind_text(st, 2, ev);
    db_bind_text(st, 3, at);
    db_bind_text(st, 4, v[3].present ? v[3].s : "");
    db_bind_text(st, 5, v[4].present ? v[4].s : "");
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "storing the event");
    sqlite3_finalize(st);
    if (!rc && !(rc = db_prepare(db, "UPDATE shipment SET status = ?2 WHERE id = ?1", &st, e))) {
        sqlite3_bind_int64(st, 1, sid);
        db_bind_text(st, 2, ev);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "updating the shipment");
        sqlite3_finalize(st);
    }
    if (rc) return rc;
    char before[64], *after = rec_json(ship_event_spec, ship_event_nspec, v);
    snprintf(before, sizeof before, "{\"status\":\"%s\"}", status);
    rc = db_audit(db, "shipments.event", "shipment", ref, before, after, e);
    free(after);
    return rc;
}
