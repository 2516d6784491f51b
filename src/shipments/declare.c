/* declare.c — declaring a consignment through the registry of gates, and
 * recording its lifecycle events in order. */
#include "shipments.h"

#include "../ops/ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- the gates ------------------------------------------------------------- */

/* Gate: market access on the planned date. */
static int gate_access(struct db *db, const struct ship_consignment *s, struct reasons *why,
                       struct err *e)
{
    struct access_query q = {s->hs,    s->origin,    s->origin_region, s->dest,
                             s->plant, s->documents, s->date};
    struct access_result r;
    int rc = access_check(db, &q, &r, e);
    for (int i = 0; !rc && i < r.why.n; i++)
        reasons_add(why, TF("market access: %s"), r.why.r[i]);
    return rc;
}

/* Sum of net mass and value of the agreement's live declarations in a
 * period. SQLite's sum() fails on overflow, and the failure stops the gate. */
static int declared_in(struct db *db, int64_t agreement, const char *first, const char *last,
                       int64_t *g, int64_t *cents, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT coalesce(sum(net_g), 0), coalesce(sum(value_cents), 0) "
                        "FROM shipment WHERE agreement_id = ?1 AND planned_date BETWEEN ?2 AND ?3 "
                        "AND status <> 'rejected'",
                        "itt", agreement, first, last);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        *g = db_col_int(st, 0);
        *cents = db_col_int(st, 1);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_DB, "the declared total could not be read");
    }
    db_finalize(st);
    return rc;
}

static void cap_reasons(const struct ship_consignment *s, const struct agr_terms *t,
                        const char *label, int64_t g, int64_t cents, struct reasons *why)
{
    int64_t after;
    if (t->has_cap_g && (__builtin_add_overflow(g, s->net_g, &after) || after > t->cap_g)) {
        char cap[40], done[40], left[40], this[40];
        int64_t remaining = t->cap_g > g ? t->cap_g - g : 0;
        reasons_add(why,
                    TF("the declaration would exceed the annual cap of agreement %s for %s: cap %s "
                       "t, declared %s t, remaining %s t, this declaration %s t"),
                    s->agreement, label, mass_format_t(t->cap_g, 1, cap, sizeof cap),
                    mass_format_t(g, 1, done, sizeof done),
                    mass_format_t(remaining, 1, left, sizeof left),
                    mass_format_t(s->net_g, 1, this, sizeof this));
    }
    if (t->has_cap_cents &&
        (__builtin_add_overflow(cents, s->value_cents, &after) || after > t->cap_cents)) {
        char cap[40], left[40];
        int64_t remaining = t->cap_cents > cents ? t->cap_cents - cents : 0;
        reasons_add(why,
                    TF("the declaration would exceed the annual value cap of agreement %s for %s: "
                       "cap US$ %s, remaining US$ %s"),
                    s->agreement, label, dec_format_grouped(t->cap_cents, 2, cap, sizeof cap),
                    dec_format_grouped(remaining, 2, left, sizeof left));
    }
}

/* Gate: the agreement's status, dates, parties, scope and remaining cap. */
static int gate_agreement(struct db *db, const struct ship_consignment *s, struct reasons *why,
                          struct err *e)
{
    if (!s->agreement_id) return 0;
    struct agr_terms t;
    int rc = agr_terms_at(db, s->agreement_id, s->date, &t, e);
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        reasons_add(why, TF("agreement %s has no terms in force on %s"), s->agreement, s->date);
        return 0;
    }
    if (rc) return rc;
    if (strcmp(t.status, "in force") != 0 && strcmp(t.status, "signed") != 0)
        reasons_add(why, TF("agreement %s is %s on %s (terms version %d)"), s->agreement,
                    T(t.status), s->date, t.version);
    if (strcmp(s->date, t.start) < 0 || (t.end[0] && strcmp(s->date, t.end) > 0))
        reasons_add(why, TF("%s is outside the term of agreement %s (%s to %s)"), s->date,
                    s->agreement, t.start, t.end[0] ? t.end : "open");
    int xp = agr_is_party(db, s->agreement_id, s->exporter_id, e);
    int ip = xp < 0 ? xp : agr_is_party(db, s->agreement_id, s->importer_id, e);
    if (xp < 0 || ip < 0) return xp < 0 ? xp : ip;
    if (!xp && !ip)
        reasons_add(why, TF("neither %s nor %s is a party to agreement %s"), s->exporter,
                    s->importer, s->agreement);
    char prefix[16];
    if (!agr_scope_match(&t, s->hs, prefix, sizeof prefix))
        reasons_add(why, TF("HS %s is outside the scope of agreement %s (HS %s)"), s->hs,
                    s->agreement, t.hs_scope);
    char label[16], first[11], last[11];
    long f, l;
    agr_period(&t, s->date, label, &f, &l);
    date_from_days(f, first);
    date_from_days(l, last);
    int64_t g = 0, cents = 0;
    if ((rc = declared_in(db, s->agreement_id, first, last, &g, &cents, e))) return rc;
    cap_reasons(s, &t, label, g, cents, why);
    return 0;
}

#define MAX_GATES 16

static const struct ship_gate builtin[] = {
    {"market access", gate_access},
    {"agreement", gate_agreement},
};
static const struct ship_gate *gates[MAX_GATES] = {&builtin[0], &builtin[1]};
static int ngates = 2;

int ship_gate_register(const struct ship_gate *g)
{
    for (int i = 0; i < ngates; i++)
        if (gates[i] == g) return 0;
    if (ngates == MAX_GATES) return ERR_LIMIT;
    gates[ngates++] = g;
    return 0;
}

/* ---- declaring ------------------------------------------------------------- */

/* Resolves the parties, the agreement and the crossing of a declaration. */
static int resolve(struct op_call *c, struct ship_consignment *s, char crossing[32], struct err *e)
{
    int rc;
    if ((rc = agr_party_find(c->db, s->exporter, &s->exporter_id, e)))
        return err_field(e, "exporter");
    if ((rc = agr_party_find(c->db, s->importer, &s->importer_id, e)))
        return err_field(e, "importer");
    if (s->agreement && (rc = agr_find(c->db, s->agreement, &s->agreement_id, e)))
        return err_field(e, "agreement");
    if (s->crossing) {
        if ((rc = ship_crossing_find(c->db, s->crossing, crossing, e))) return rc;
        s->crossing = crossing;
    }
    rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM shipment WHERE reference = ?1 COLLATE NOCASE",
                   "t", s->reference);
    if (rc < 0) return rc;
    if (rc == 1) {
        err_set(e, ERR_CONFLICT, "shipment %s is already declared", s->reference);
        return err_field(e, "reference");
    }
    return 0;
}

int ship_crossing_find(struct db *db, const char *text, char code[32], struct err *e)
{
    /* its code, its name in any language, either side's town (Dostyk, 霍尔果斯);
     * a name two crossings share (Khorgos) is refused with both */
    char found[400] = "";
    int rc = db_lookup(db, e, found, sizeof found,
                       "SELECT group_concat(code, ', ') FROM (SELECT DISTINCT code FROM ("
                       "SELECT code FROM crossing WHERE ?1 COLLATE NOCASE IN (code, name, "
                       "kz_side, cn_side) UNION ALL SELECT code FROM place_name WHERE kind = "
                       "'crossing' AND ?1 COLLATE NOCASE IN (name, substr(name, 1, instr(name, "
                       "' / ') - 1), trim(substr(name, instr(name, ' / ') + 3)))) ORDER BY code)",
                       "t", text);
    if (rc < 0) return rc;
    if (rc == 1 && found[0] && !strchr(found, ',')) return str_copy(code, found, 32), 0;
    if (rc == 1 && found[0]) {
        err_set(e, ERR_INPUT, "'%.60s' names more than one border crossing (%s): give its code",
                text, found);
        return err_field(e, "crossing");
    }
    char known[400] = "";
    rc = db_lookup(db, e, known, sizeof known, "SELECT group_concat(code, ', ') FROM crossing",
                   NULL);
    if (rc < 0) return rc;
    err_set(e, ERR_NOTFOUND, "unknown border crossing '%.60s' (%s)", text, known);
    return err_field(e, "crossing");
}

static int store(struct op_call *c, const struct ship_consignment *s, struct err *e)
{
    int rc = db_run(c->db, e,
                    "INSERT INTO shipment(reference, exporter_id, importer_id, agreement_id, hs, "
                    "net_g, value_cents, origin, origin_region, dest, dest_region, crossing, mode, "
                    "plant, documents, planned_date, status, source) VALUES (?1, ?2, ?3, "
                    "nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(?14, ''), "
                    "coalesce(?15, ''), ?16, 'declared', coalesce(?17, ''))",
                    "tiiitiittttttttt"
                    "t",
                    s->reference, s->exporter_id, s->importer_id, s->agreement_id, s->hs, s->net_g,
                    s->value_cents, s->origin, s->origin_region, s->dest, s->dest_region,
                    s->crossing, s->mode, s->plant, s->documents, s->date, op_s(c, "source"));
    if (rc) return rc;
    int64_t id = db_last_id(c->db);
    /* declared for the planned day: from its midnight where the crossing
     * keeps time (before 2005, or with no crossing, midnight UTC) */
    char zone[24] = "UTC", midnight[17], at[17];
    if (s->crossing && (rc = db_lookup(c->db, e, zone, sizeof zone,
                                       "SELECT zone FROM crossing WHERE code = ?1", "t",
                                       s->crossing)) < 0)
        return rc;
    snprintf(midnight, sizeof midnight, "%.10sT00:00", s->date);
    struct err ignore = {0};
    if (timestamp_utc(midnight, zone, at, &ignore)) str_copy(at, midnight, sizeof at);
    return db_run(c->db, e,
                  "INSERT INTO shipment_event(shipment_id, event, at) VALUES (?1, 'declared', ?2)",
                  "it", id, at);
}

int ship_declare(struct op_call *c, struct err *e)
{
    struct ship_consignment s = {op_s(c, "reference"),
                                 op_s(c, "hs"),
                                 op_s(c, "origin"),
                                 op_s(c, "origin_region"),
                                 op_s(c, "dest"),
                                 op_s(c, "dest_region"),
                                 op_s(c, "crossing"),
                                 op_s(c, "mode"),
                                 op_s(c, "plant"),
                                 op_s(c, "documents"),
                                 op_s(c, "date"),
                                 op_s(c, "exporter"),
                                 op_s(c, "importer"),
                                 op_s(c, "agreement"),
                                 0,
                                 0,
                                 0,
                                 op_i(c, "net_t"),
                                 op_i(c, "value_usd")};
    if (strlen(s.hs) < 4) {
        err_set(e, ERR_INPUT, "a consignment needs an HS code of 4 to 10 digits, not %s", s.hs);
        return err_field(e, "hs");
    }
    char crossing[32];
    int rc = resolve(c, &s, crossing, e);
    if (rc) return rc;
    str_copy(c->id, s.reference, sizeof c->id);
    for (int i = 0; i < ngates; i++)
        if ((rc = gates[i]->check(c->db, &s, &c->why, e))) return rc;
    if (c->why.n) {
        char msg[sizeof e->msg];
        return err_set(e, ERR_REFUSED, "shipment %s refused: %s", s.reference,
                       reasons_join(&c->why, msg, sizeof msg));
    }
    op_done(c, "shipment %s declared", s.reference);
    return store(c, &s, e);
}

/* ---- events ------------------------------------------------------------------ */

static int event_rank(const char *ev)
{
    static const char *const order[] = {"declared",     "departed", "arrived",   "cleared",
                                        "transshipped", "crossed",  "delivered", NULL};
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], ev) == 0) return i;
    return 100; /* rejected */
}

int ship_event(struct op_call *c, struct err *e)
{
    const char *ref = op_s(c, "reference"), *ev = op_s(c, "event");
    struct db_stmt *st;
    int rc = db_prepare(c->db, &st, e,
                        "SELECT s.id, s.status, (SELECT max(at) FROM shipment_event x WHERE "
                        "x.shipment_id = s.id), s.reference, coalesce(x.zone, 'UTC') "
                        "FROM shipment s LEFT JOIN crossing x ON x.code = s.crossing "
                        "WHERE s.reference = ?1 COLLATE NOCASE",
                        "t", ref);
    if (!rc) rc = db_step(st, e);
    int64_t sid = 0;
    char status[16] = "", last[20] = "", zone[24] = "UTC", at[17];
    if (rc == 1) {
        sid = db_col_int(st, 0);
        db_col_text(st, 1, status, sizeof status);
        db_col_text(st, 2, last, sizeof last);
        db_col_text(st, 3, c->id, sizeof c->id);
        db_col_text(st, 4, zone, sizeof zone);
    }
    db_finalize(st);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no shipment with reference '%s'", ref);
        return err_field(e, "reference");
    }
    if (rc < 0) return rc;
    if (op_s(c, "zone")) snprintf(zone, sizeof zone, "%s", op_s(c, "zone"));
    if (timestamp_utc(op_s(c, "at"), zone, at, e)) return err_field(e, "at");
    if (strcmp(status, "delivered") == 0 || strcmp(status, "rejected") == 0) {
        err_set(e, ERR_CONFLICT, "shipment %s is %s: no event can follow", c->id, status);
        return err_field(e, "event");
    }
    if (strcmp(ev, "rejected") != 0 && event_rank(ev) <= event_rank(status)) {
        err_set(e, ERR_CONFLICT, "event '%s' is out of order: shipment %s is already %s", ev, c->id,
                status);
        return err_field(e, "event");
    }
    if (strcmp(at, last) < 0) {
        err_set(e, ERR_CONFLICT, "event time %s UTC is before the shipment's last event (%s UTC)",
                at, last);
        return err_field(e, "at");
    }
    rc = db_run(c->db, e,
                "INSERT INTO shipment_event(shipment_id, event, at, place, note) "
                "VALUES (?1, ?2, ?3, coalesce(?4, ''), coalesce(?5, ''))",
                "ittt"
                "t",
                sid, ev, at, op_s(c, "place"), op_s(c, "note"));
    if (!rc) rc = db_run(c->db, e, "UPDATE shipment SET status = ?2 WHERE id = ?1", "it", sid, ev);
    if (rc) return rc;
    char before[64];
    snprintf(before, sizeof before, "{\"status\":\"%s\"}", status);
    c->before = xstrdup(before);
    char local[40];
    timestamp_local(at, zone, local, sizeof local);
    if (strcmp(zone, "UTC"))
        op_done(c, "shipment %s %s at %s UTC (%s, %s)", c->id, ev, at, local, zone);
    else
        op_done(c, "shipment %s %s at %s UTC", c->id, ev, at);
    return 0;
}
