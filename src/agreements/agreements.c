/* agreements.c — parties and agreements: recording them (every front end
 * reaches these through the operation table), amending and closing
 * agreements as dated versions of their terms, and reading the terms in
 * force on a date. Writes run inside the dispatcher's transaction. */
#include "agreements.h"

#include "../ops/ops.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- parties ---------------------------------------------------------------- */

int agr_party_find(struct db *db, const char *name, int64_t *id, struct err *e)
{
    int rc =
        db_lookup_int(db, e, id, "SELECT id FROM party WHERE name = ?1 COLLATE NOCASE", "t", name);
    if (rc == 0)
        return err_set(e, ERR_NOTFOUND, "no party named '%s' (see 'corridor parties list')", name);
    return rc < 0 ? rc : 0;
}

int agr_party_add(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    int64_t id;
    struct err tmp = {0};
    int rc = agr_party_find(c->db, name, &id, &tmp);
    if (rc == 0) {
        err_set(e, ERR_CONFLICT, "a party named '%s' already exists", name);
        return err_field(e, "name");
    }
    if (rc != ERR_NOTFOUND) return *e = tmp, rc;
    op_done(c, "party %s recorded", name);
    return db_run(c->db, e,
                  "INSERT INTO party(name, country, region, kind, origin, source, note) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ''), coalesce(?7, ''))",
                  "ttttttt", name, op_s(c, "country"), op_s(c, "region"), op_s(c, "kind"),
                  op_s(c, "origin"), op_s(c, "source"), op_s(c, "note"));
}

int agr_party_list(struct db *db, const char *country3, struct table **out, struct err *e)
{
    struct table *t = table_new("parties", N_("Parties"));
    const char *cols[] = {"id", "name", "country", "region", "kind", "origin", "source"};
    for (int i = 0; i < 7; i++)
        table_col(t, cols[i], i ? COL_TEXT : COL_INT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT id, name, country, region, kind, origin, source FROM party "
                     "WHERE ?1 IS NULL OR country = ?1 ORDER BY name",
                     "t", country3);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static int party_note(struct db *db, int64_t id, const char *name, struct table *t, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT country, coalesce(region,''), kind, coalesce(origin,''), source, "
                        "note FROM party WHERE id = ?1",
                        "i", id);
    if (!rc && (rc = db_step(st, e)) == 1) {
        const char *region = db_col_str(st, 1), *origin = db_col_str(st, 3);
        const char *src = db_col_str(st, 4), *note = db_col_str(st, 5);
        table_note(t, TF("%s: country %s%s%s, %s%s%s; source: %s%s%s"), name, db_col_str(st, 0),
                   *region ? T(", region ") : "", region, db_col_str(st, 2),
                   *origin ? T(", origin ") : "", origin, *src ? src : "-", *note ? "; " : "",
                   note);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int agr_party_show(struct db *db, const char *name, struct table **out, struct err *e)
{
    int64_t id;
    int rc = agr_party_find(db, name, &id, e);
    if (rc) return rc;
    struct table *t = table_new("party_agreements", name);
    const char *cols[] = {"agreement", "title", "role"};
    for (int i = 0; i < 3; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    rc =
        db_fill(db, t, e,
                "SELECT a.code, a.title, ap.role FROM agreement_party ap "
                "JOIN agreement a ON a.id = ap.agreement_id WHERE ap.party_id = ?1 ORDER BY a.code",
                "i", id);
    if (!rc) rc = party_note(db, id, name, t, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* ---- agreements ------------------------------------------------------------- */

int agr_find(struct db *db, const char *code, int64_t *id, struct err *e)
{
    int rc = db_lookup_int(db, e, id, "SELECT id FROM agreement WHERE code = ?1 COLLATE NOCASE",
                           "t", code);
    if (rc == 0)
        return err_set(e, ERR_NOTFOUND,
                       "no agreement with code '%s' (see 'corridor agreements list')", code);
    return rc < 0 ? rc : 0;
}

int agr_is_party(struct db *db, int64_t agreement, int64_t party, struct err *e)
{
    return db_lookup(db, e, NULL, 0,
                     "SELECT 1 FROM agreement_party WHERE agreement_id = ?1 AND party_id = ?2",
                     "ii", agreement, party);
}

static int insert_terms(struct db *db, const struct agr_terms *t, const char *note, struct err *e)
{
    int rc = db_run(db, e,
                    "INSERT INTO agreement_terms(agreement_id, version, effective, hs_scope, "
                    "period_kind, start_date, end_date, status, note) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(?9, ''))",
                    "inttttttt", t->agreement_id, t->version, t->effective, t->hs_scope,
                    t->period_kind, t->start, t->end[0] ? t->end : NULL, t->status, note);
    /* the caps are set apart: a NULL cap is "no cap" */
    if (!rc && t->has_cap_g)
        rc = db_run(
            db, e, "UPDATE agreement_terms SET cap_g = ?3 WHERE agreement_id = ?1 AND version = ?2",
            "ini", t->agreement_id, t->version, t->cap_g);
    if (!rc && t->has_cap_cents)
        rc = db_run(db, e,
                    "UPDATE agreement_terms SET cap_cents = ?3 WHERE agreement_id = ?1 AND "
                    "version = ?2",
                    "ini", t->agreement_id, t->version, t->cap_cents);
    return rc;
}

static char *terms_json(const struct agr_terms *t)
{
    char cap[40] = "", usd[40] = "";
    if (t->has_cap_g) mass_format_exact(t->cap_g, cap, sizeof cap);
    if (t->has_cap_cents) dec_format(t->cap_cents, 2, usd, sizeof usd);
    json_t *o =
        json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "version", t->version, "effective",
                  t->effective, "hs", t->hs_scope, "cap_t", cap, "cap_usd", usd, "period",
                  t->period_kind, "start", t->start, "end", t->end, "status", t->status);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

static const char roles_words[] = "buyer, seller, guarantor, coordinator, carrier, signatory";

/* Parses "Name:role;Name:role" and links the parties. */
static int link_parties(struct db *db, int64_t id, const char *list, struct err *e)
{
    char buf[1024];
    str_copy(buf, list, sizeof buf);
    int n = 0, rc = 0;
    for (char *save, *item = strtok_r(buf, ";", &save); item && !rc;
         item = strtok_r(NULL, ";", &save)) {
        char *colon = strrchr(item, ':');
        if (!colon) {
            err_set(e, ERR_INPUT, "'%s' should be NAME:ROLE (roles: %s)", str_trim(item),
                    roles_words);
            return err_field(e, "parties");
        }
        *colon = 0;
        char *name = str_trim(item), *role = str_trim(colon + 1);
        int64_t pid;
        if ((rc = agr_party_find(db, name, &pid, e))) return err_field(e, "parties");
        rc = db_run(db, e,
                    "INSERT INTO agreement_party(agreement_id, party_id, role) VALUES (?1, ?2, ?3)",
                    "iit", id, pid, role);
        if (rc == ERR_CONFLICT) {
            err_set(e, ERR_INPUT, "role '%s' of %s is not one of %s (or is listed twice)", role,
                    name, roles_words);
            return err_field(e, "parties");
        }
        n++;
    }
    if (!rc && n < 2) {
        err_set(e, ERR_INPUT, "an agreement needs two or more parties, %d given", n);
        return err_field(e, "parties");
    }
    return rc;
}

int agr_add(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    int64_t id;
    struct err tmp = {0};
    int rc = agr_find(c->db, code, &id, &tmp);
    if (rc == 0) {
        err_set(e, ERR_CONFLICT, "an agreement with code '%s' already exists", code);
        return err_field(e, "code");
    }
    if (rc != ERR_NOTFOUND) return *e = tmp, rc;
    if (op_has(c, "end") && op_i(c, "end") < op_i(c, "start")) {
        err_set(e, ERR_INPUT, "end %s is before start %s", op_s(c, "end"), op_s(c, "start"));
        return err_field(e, "end");
    }
    rc = db_run(
        c->db, e,
        "INSERT INTO agreement(code, title, kind, source) VALUES (?1, ?2, ?3, coalesce(?4, ''))",
        "tttt", code, op_s(c, "title"), op_s(c, "kind"), op_s(c, "source"));
    if (rc) return rc;
    id = db_last_id(c->db);
    if ((rc = link_parties(c->db, id, op_s(c, "parties"), e))) return rc;
    struct agr_terms t = {.agreement_id = id, .version = 1};
    str_copy(t.effective, op_s(c, "start"), sizeof t.effective);
    str_copy(t.hs_scope, op_s(c, "hs"), sizeof t.hs_scope);
    t.has_cap_g = op_has(c, "cap_t"), t.cap_g = op_i(c, "cap_t");
    t.has_cap_cents = op_has(c, "cap_usd"), t.cap_cents = op_i(c, "cap_usd");
    str_copy(t.period_kind, op_s(c, "period"), sizeof t.period_kind);
    str_copy(t.start, op_s(c, "start"), sizeof t.start);
    str_copy(t.end, op_has(c, "end") ? op_s(c, "end") : "", sizeof t.end);
    str_copy(t.status, op_s(c, "status"), sizeof t.status);
    op_done(c, "agreement %s recorded", code);
    return insert_terms(c->db, &t, op_s(c, "note"), e);
}

/* What an amendment changes; NULL and 0 leave a term as it was. A cap of 0
 * removes the cap. */
struct change {
    const char *effective, *hs, *period, *end, *status, *note;
    int set_cap_g, set_cap_cents;
    int64_t cap_g, cap_cents;
};

static int latest_terms(struct db *db, int64_t id, struct agr_terms *t, struct err *e)
{
    return agr_terms_at(db, id, "9999-12-31", t, e);
}

static int amend_terms(struct op_call *c, const char *code, const struct change *m, struct err *e)
{
    int64_t id;
    struct agr_terms t;
    int rc = agr_find(c->db, code, &id, e);
    if (!rc) rc = latest_terms(c->db, id, &t, e);
    if (rc) return rc;
    if (strcmp(m->effective, t.effective) <= 0) {
        err_set(e, ERR_INPUT, "an amendment must take effect after version %d (%s)", t.version,
                t.effective);
        return err_field(e, "effective");
    }
    if (strcmp(t.status, "expired") == 0 || strcmp(t.status, "terminated") == 0)
        return err_set(e, ERR_CONFLICT, "agreement %s is %s since %s", code, t.status, t.effective);
    c->before = terms_json(&t);
    t.version++;
    str_copy(t.effective, m->effective, sizeof t.effective);
    if (m->hs) str_copy(t.hs_scope, m->hs, sizeof t.hs_scope);
    if (m->set_cap_g) t.has_cap_g = m->cap_g > 0, t.cap_g = m->cap_g;
    if (m->set_cap_cents) t.has_cap_cents = m->cap_cents > 0, t.cap_cents = m->cap_cents;
    if (m->period) str_copy(t.period_kind, m->period, sizeof t.period_kind);
    if (m->end) str_copy(t.end, m->end, sizeof t.end);
    if (m->status) str_copy(t.status, m->status, sizeof t.status);
    if (t.end[0] && strcmp(t.end, t.start) < 0) {
        err_set(e, ERR_INPUT, "end %s is before start %s", t.end, t.start);
        return err_field(e, "end");
    }
    c->after = terms_json(&t);
    str_copy(c->id, code, sizeof c->id);
    return insert_terms(c->db, &t, m->note, e);
}

int agr_amend(struct op_call *c, struct err *e)
{
    struct change m = {op_s(c, "effective"), op_s(c, "hs"),        op_s(c, "period"),
                       op_s(c, "end"),       op_s(c, "status"),    op_s(c, "note"),
                       op_has(c, "cap_t"),   op_has(c, "cap_usd"), op_i(c, "cap_t"),
                       op_i(c, "cap_usd")};
    int rc = amend_terms(c, op_s(c, "code"), &m, e);
    if (!rc) op_done(c, "agreement %s amended from %s", op_s(c, "code"), m.effective);
    return rc;
}

int agr_close(struct op_call *c, struct err *e)
{
    const char *date = op_s(c, "date"), *status = op_s(c, "status");
    struct change m = {.effective = date, .end = date, .status = status};
    int rc = amend_terms(c, op_s(c, "code"), &m, e);
    if (rc && strcmp(e->field, "effective") == 0) str_copy(e->field, "date", sizeof e->field);
    if (!rc) op_done(c, "agreement %s %s on %s", op_s(c, "code"), status, date);
    return rc;
}

int agr_terms_at(struct db *db, int64_t id, const char *date, struct agr_terms *t, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT t.version, t.effective, t.hs_scope, t.cap_g, t.cap_cents, "
                        "t.period_kind, t.start_date, coalesce(t.end_date, ''), t.status, a.code "
                        "FROM agreement_terms t JOIN agreement a ON a.id = t.agreement_id "
                        "WHERE t.agreement_id = ?1 AND t.effective <= ?2 "
                        "ORDER BY t.version DESC LIMIT 1",
                        "it", id, date);
    memset(t, 0, sizeof *t);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        t->agreement_id = id;
        t->version = (int)db_col_int(st, 0);
        t->has_cap_g = !db_col_null(st, 3);
        t->cap_g = db_col_int(st, 3);
        t->has_cap_cents = !db_col_null(st, 4);
        t->cap_cents = db_col_int(st, 4);
        /* the terms decide declarations: read whole, or not at all */
        rc = db_col_copy(st, 1, t->effective, sizeof t->effective, e);
        if (!rc) rc = db_col_copy(st, 2, t->hs_scope, sizeof t->hs_scope, e);
        if (!rc) rc = db_col_copy(st, 5, t->period_kind, sizeof t->period_kind, e);
        if (!rc) rc = db_col_copy(st, 6, t->start, sizeof t->start, e);
        if (!rc) rc = db_col_copy(st, 7, t->end, sizeof t->end, e);
        if (!rc) rc = db_col_copy(st, 8, t->status, sizeof t->status, e);
        if (!rc) rc = db_col_copy(st, 9, t->code, sizeof t->code, e);
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOTFOUND, "the agreement has no terms in force on %s", date);
    }
    db_finalize(st);
    return rc;
}

void agr_period(const struct agr_terms *t, const char *date, char label[16], long *first,
                long *last)
{
    int y, m, d;
    if (date_parse(date, &y, &m, &d)) y = 1970, m = 1;
    if (strcmp(t->period_kind, "july-june") == 0) {
        int y0 = m >= 7 ? y : y - 1;
        snprintf(label, 16, "%d/%02d", y0, (y0 + 1) % 100);
        *first = date_days(y0, 7, 1);
        *last = date_days(y0 + 1, 6, 30);
    } else {
        snprintf(label, 16, "%d", y);
        *first = date_days(y, 1, 1);
        *last = date_days(y, 12, 31);
    }
}

int agr_period_parse(const struct agr_terms *t, const char *label, char norm[16], long *first,
                     long *last, struct err *e)
{
    int y = 0, y2 = -1;
    char sep = 0;
    int n = sscanf(label, "%d%c%d", &y, &sep, &y2);
    int mj = strcmp(t->period_kind, "july-june") == 0;
    char date[11];
    if (n >= 1 && y >= 1900 && y <= 2200) {
        if (!mj && n == 1) {
            snprintf(date, sizeof date, "%04d-06-30", y);
            agr_period(t, date, norm, first, last);
            return 0;
        }
        if (mj && n == 3 && (sep == '/' || sep == '-') && (y2 == (y + 1) % 100 || y2 == y + 1)) {
            snprintf(date, sizeof date, "%04d-07-01", y);
            agr_period(t, date, norm, first, last);
            return 0;
        }
    }
    err_set(e, ERR_INPUT, "'%s' is not a %s period of agreement %s (e.g. %s)", label,
            mj ? "July-June" : "calendar", t->code, mj ? "2024/25" : "2024");
    return err_field(e, "period");
}

const char *agr_scope_match(const struct agr_terms *t, const char *hs, char *out, size_t size)
{
    char buf[512];
    str_copy(buf, t->hs_scope, sizeof buf);
    const char *best = NULL;
    size_t bestn = 0;
    for (char *save, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(p);
        if (strncmp(hs, p, n) == 0 && n > bestn) best = p, bestn = n;
    }
    if (!best) return NULL;
    return str_copy(out, best, size);
}

static void terms_row(struct table *t, size_t r, const struct agr_terms *tm)
{
    table_set_text(t, r, 3, tm->status);
    table_set_text(t, r, 4, tm->hs_scope);
    if (tm->has_cap_g) table_set_int(t, r, 5, tm->cap_g);
    if (tm->has_cap_cents) table_set_int(t, r, 6, tm->cap_cents);
    table_set_text(t, r, 7, tm->period_kind);
    table_set_text(t, r, 8, tm->start);
    if (tm->end[0]) table_set_text(t, r, 9, tm->end);
    table_set_int(t, r, 10, tm->version);
}

int agr_list(struct db *db, const char *date, struct table **out, struct err *e)
{
    char title[400];
    snprintf(title, sizeof title, TF("Agreements as in force on %s"), date);
    struct table *t = table_new("agreements", title);
    static const struct {
        const char *name;
        enum col_type type;
    } cols[] = {{"code", COL_TEXT},     {"title", COL_TEXT},  {"kind", COL_TEXT},
                {"status", COL_TEXT},   {"hs", COL_TEXT},     {"cap_t", COL_MASS},
                {"cap_usd", COL_MONEY}, {"period", COL_TEXT}, {"start", COL_TEXT},
                {"end", COL_TEXT},      {"version", COL_INT}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        size_t c = table_col(t, cols[i].name, cols[i].type, NULL, 0);
        /* a narrow terminal keeps the caps before the lists and dates */
        if (i == 4 || i >= 7) table_secondary(t, c);
    }
    struct db_stmt *st;
    int rc =
        db_prepare(db, &st, e, "SELECT id, code, title, kind FROM agreement ORDER BY code", NULL);
    while (!rc && (rc = db_step(st, e)) == 1) {
        struct agr_terms tm;
        size_t r = table_add_row(t);
        for (int c = 0; c < 3; c++)
            table_set_text(t, r, (size_t)c, db_col_str(st, c + 1));
        rc = agr_terms_at(db, db_col_int(st, 0), date, &tm, e);
        if (rc == ERR_NOTFOUND) {
            err_clear(e);
            table_set_text(t, r, 3, "not yet effective");
            rc = 0;
        } else if (!rc) {
            terms_row(t, r, &tm);
        }
    }
    db_finalize(st);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static int agreement_title(struct db *db, int64_t id, const char *code, struct table *t,
                           struct err *e)
{
    struct db_stmt *st;
    int rc =
        db_prepare(db, &st, e, "SELECT title, kind, source FROM agreement WHERE id = ?1", "i", id);
    if (!rc && (rc = db_step(st, e)) == 1) {
        char title[400];
        snprintf(title, sizeof title, TF("%s: %s (%s agreement), terms by version"), code,
                 db_col_str(st, 0), db_col_str(st, 1));
        free(t->title);
        t->title = xstrdup(title);
        if (*db_col_str(st, 2)) table_note(t, TF("Source: %s"), db_col_str(st, 2));
        rc = 0;
    }
    db_finalize(st);
    if (rc) return rc;
    rc = db_prepare(db, &st, e,
                    "SELECT p.name, ap.role, p.country FROM agreement_party ap "
                    "JOIN party p ON p.id = ap.party_id WHERE ap.agreement_id = ?1 "
                    "ORDER BY ap.role, p.name",
                    "i", id);
    while (!rc && (rc = db_step(st, e)) == 1) {
        table_note(t, TF("Party: %s (%s), %s"), db_col_str(st, 0), db_col_str(st, 2),
                   db_col_str(st, 1));
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int agr_show(struct db *db, const char *code, struct table **out, struct err *e)
{
    int64_t id;
    int rc = agr_find(db, code, &id, e);
    if (rc) return rc;
    struct table *t = table_new("agreement_terms", code);
    table_col(t, "version", COL_INT, NULL, 0);
    table_col(t, "effective", COL_TEXT, NULL, 0);
    table_col(t, "status", COL_TEXT, NULL, 0);
    table_col(t, "hs", COL_TEXT, NULL, 0);
    table_col(t, "cap_t", COL_MASS, NULL, 0);
    table_col(t, "cap_usd", COL_MONEY, NULL, 0);
    table_col(t, "period", COL_TEXT, NULL, 0);
    table_col(t, "start", COL_TEXT, NULL, 0);
    table_col(t, "end", COL_TEXT, NULL, 0);
    table_col(t, "note", COL_TEXT, NULL, 0);
    rc = db_fill(db, t, e,
                 "SELECT version, effective, status, hs_scope, cap_g, cap_cents, period_kind, "
                 "start_date, end_date, note FROM agreement_terms WHERE agreement_id = ?1 "
                 "ORDER BY version",
                 "i", id);
    if (!rc) rc = agreement_title(db, id, code, t, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
