/* agreements.c — parties and agreements: inserting them (from flags or CSV
 * rows, through the same record specs), amending and closing agreements as
 * dated versions of their terms, and reading the terms in force on a date. */
#include "agreements.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- parties ---------------------------------------------------------------- */

const struct rec_field agr_party_spec[] = {
    {"name", RT_TEXT, 1, NULL},
    {"country", RT_TEXT, 1, NULL},
    {"region", RT_TEXT, 0, NULL},
    {"kind", RT_ENUM, 1, "state-owned|private|agency|government|international"},
    {"origin", RT_TEXT, 0, NULL},
    {"source", RT_TEXT, 0, NULL},
    {"note", RT_TEXT, 0, NULL},
};
const size_t agr_party_nspec = sizeof agr_party_spec / sizeof agr_party_spec[0];

enum { P_NAME, P_COUNTRY, P_REGION, P_KIND, P_ORIGIN, P_SOURCE, P_NOTE };

static int step_done(struct db *db, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, what);
    sqlite3_finalize(st);
    return rc;
}

int agr_party_insert(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    const struct ref *ref = ctx;
    const char *c3 = ref_country_field(ref, v[P_COUNTRY].s, "country", e), *region, *origin = NULL;
    if (!c3 || !(region = ref_region_field(ref, v[P_REGION].s, c3, "region", e))) return e->code;
    if (v[P_ORIGIN].present && !(origin = ref_country_field(ref, v[P_ORIGIN].s, "origin", e)))
        return e->code;
    sqlite3_int64 id;
    struct err tmp = {0};
    if (agr_party_find(db, v[P_NAME].s, &id, &tmp) == 0) {
        err_set(e, ERR_CONFLICT, "a party named '%s' already exists", v[P_NAME].s);
        return err_field(e, "name");
    }
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO party(name, country, region, kind, origin, source, note) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, v[P_NAME].s);
    db_bind_text(st, 2, c3);
    db_bind_text(st, 3, *region ? region : NULL);
    db_bind_text(st, 4, v[P_KIND].s);
    db_bind_text(st, 5, origin);
    db_bind_text(st, 6, v[P_SOURCE].s);
    db_bind_text(st, 7, v[P_NOTE].s);
    if ((rc = step_done(db, st, "storing the party", e))) return rc;
    char *after = rec_json(agr_party_spec, agr_party_nspec, v);
    rc = db_audit(db, "parties.add", "party", v[P_NAME].s, NULL, after, e);
    free(after);
    return rc;
}

int agr_party_find(struct db *db, const char *name, sqlite3_int64 *id, struct err *e)
{
    sqlite3_stmt *st;
    int rc =
        db_prepare(db, "SELECT id FROM party WHERE name = ?1 OR CAST(id AS TEXT) = ?1", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, name);
    if (sqlite3_step(st) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else
        rc = err_set(e, ERR_NOTFOUND, "no party named '%s' (see 'corridor parties list')", name);
    sqlite3_finalize(st);
    return rc;
}

static int fill(struct db *db, const char *sql, const char *b1, const char *b2, struct table *t,
                struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db, sql, &st, e);
    if (rc) return rc;
    if (sqlite3_bind_parameter_count(st) >= 1) db_bind_text(st, 1, b1);
    if (sqlite3_bind_parameter_count(st) >= 2) db_bind_text(st, 2, b2);
    db_fill_table(st, t);
    return 0;
}

int agr_party_list(struct db *db, const char *country3, struct table **out, struct err *e)
{
    struct table *t = table_new("parties", "Parties");
    const char *cols[] = {"id", "name", "country", "region", "kind", "origin", "source"};
    for (int i = 0; i < 7; i++)
        table_col(t, cols[i], i ? COL_TEXT : COL_INT, NULL, 0);
    int rc = fill(db,
                  "SELECT id, name, country, region, kind, origin, source FROM party "
                  "WHERE ?1 IS NULL OR country = ?1 ORDER BY name",
                  country3, NULL, t, e);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

int agr_party_show(struct db *db, const char *name, struct table **out, struct err *e)
{
    sqlite3_int64 id;
    int rc = agr_party_find(db, name, &id, e);
    if (rc) return rc;
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    struct table *t = table_new("party_agreements", name);
    const char *cols[] = {"agreement", "title", "role"};
    for (int i = 0; i < 3; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    rc = fill(db,
              "SELECT a.code, a.title, ap.role FROM agreement_party ap "
              "JOIN agreement a ON a.id = ap.agreement_id WHERE ap.party_id = ?1 ORDER BY a.code",
              ids, NULL, t, e);
    sqlite3_stmt *st;
    if (!rc && !(rc = db_prepare(db,
                                 "SELECT country, coalesce(region,''), kind, "
                                 "coalesce(origin,''), source, note FROM party WHERE id = ?1",
                                 &st, e))) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            table_note(t, "%s: country %s%s%s, %s%s%s; source: %s%s%s", name,
                       sqlite3_column_text(st, 0), *sqlite3_column_text(st, 1) ? ", region " : "",
                       sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                       *sqlite3_column_text(st, 3) ? ", origin " : "", sqlite3_column_text(st, 3),
                       *sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "-",
                       *sqlite3_column_text(st, 5) ? "; " : "", sqlite3_column_text(st, 5));
        sqlite3_finalize(st);
    }
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

/* ---- agreements ------------------------------------------------------------- */

const struct rec_field agr_spec[] = {
    {"code", RT_TEXT, 1, NULL},
    {"title", RT_TEXT, 1, NULL},
    {"kind", RT_ENUM, 1, "supply|framework"},
    {"parties", RT_TEXT, 1, NULL},
    {"hs", RT_HSLIST, 1, NULL},
    {"cap_t", RT_TONNES, 0, NULL},
    {"cap_usd", RT_USD, 0, NULL},
    {"period", RT_ENUM, 0, "calendar|july-june"},
    {"start", RT_DATE, 1, NULL},
    {"end", RT_DATE, 0, NULL},
    {"status", RT_ENUM, 1, "proposed|signed|in force|expired|terminated"},
    {"source", RT_TEXT, 0, NULL},
    {"note", RT_TEXT, 0, NULL},
};
const size_t agr_nspec = sizeof agr_spec / sizeof agr_spec[0];
enum {
    A_CODE,
    A_TITLE,
    A_KIND,
    A_PARTIES,
    A_HS,
    A_CAPT,
    A_CAPUSD,
    A_PERIOD,
    A_START,
    A_END,
    A_STATUS,
    A_SOURCE,
    A_NOTE
};

/* An amendment as a CSV row: the agreement's code, then the amendment. */
const struct rec_field agr_amend_row_spec[] = {
    {"code", RT_TEXT, 1, NULL},
    {"effective", RT_DATE, 1, NULL},
    {"hs", RT_HSLIST, 0, NULL},
    {"cap_t", RT_TONNES, 0, NULL},
    {"cap_usd", RT_USD, 0, NULL},
    {"period", RT_ENUM, 0, "calendar|july-june"},
    {"end", RT_DATE, 0, NULL},
    {"status", RT_ENUM, 0, "proposed|signed|in force|expired|terminated"},
    {"note", RT_TEXT, 0, NULL},
};
const size_t agr_amend_row_nspec = sizeof agr_amend_row_spec / sizeof agr_amend_row_spec[0];
const struct rec_field *const agr_amend_spec = agr_amend_row_spec + 1;
const size_t agr_amend_nspec = sizeof agr_amend_row_spec / sizeof agr_amend_row_spec[0] - 1;
enum { M_EFFECTIVE, M_HS, M_CAPT, M_CAPUSD, M_PERIOD, M_END, M_STATUS, M_NOTE };

int agr_find(struct db *db, const char *code, sqlite3_int64 *id, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT id FROM agreement WHERE code = ?1", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, code);
    if (sqlite3_step(st) == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else
        rc = err_set(e, ERR_NOTFOUND,
                     "no agreement with code '%s' (see 'corridor agreements "
                     "list')",
                     code);
    sqlite3_finalize(st);
    return rc;
}

static int insert_terms(struct db *db, const struct agr_terms *t, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO agreement_terms(agreement_id, version, effective, hs_scope, "
                        "cap_g, cap_cents, period_kind, start_date, end_date, status, note) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, t->agreement_id);
    sqlite3_bind_int(st, 2, t->version);
    db_bind_text(st, 3, t->effective);
    db_bind_text(st, 4, t->hs_scope);
    if (t->has_cap_g) sqlite3_bind_int64(st, 5, t->cap_g);
    if (t->has_cap_cents) sqlite3_bind_int64(st, 6, t->cap_cents);
    db_bind_text(st, 7, t->period_kind);
    db_bind_text(st, 8, t->start);
    db_bind_text(st, 9, t->end[0] ? t->end : NULL);
    db_bind_text(st, 10, t->status);
    db_bind_text(st, 11, "");
    return step_done(db, st, "storing the agreement terms", e);
}

static char *terms_json(const struct agr_terms *t)
{
    char cap[40] = "", usd[40] = "";
    if (t->has_cap_g) dec_format(t->cap_g, 6, cap, sizeof cap);
    if (t->has_cap_cents) dec_format(t->cap_cents, 2, usd, sizeof usd);
    json_t *o =
        json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "version", t->version, "effective",
                  t->effective, "hs", t->hs_scope, "cap_t", cap, "cap_usd", usd, "period",
                  t->period_kind, "start", t->start, "end", t->end, "status", t->status);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

/* Parses "Name:role;Name:role" and links the parties. */
static int link_parties(struct db *db, sqlite3_int64 id, const char *list, struct err *e)
{
    char buf[512];
    str_copy(buf, list, sizeof buf);
    int n = 0, rc = 0;
    for (char *save, *item = strtok_r(buf, ";", &save); item && !rc;
         item = strtok_r(NULL, ";", &save)) {
        char *colon = strrchr(item, ':');
        if (!colon) {
            err_set(e, ERR_INPUT,
                    "'%s' should be NAME:ROLE (roles: buyer, seller, guarantor, "
                    "coordinator, carrier, signatory)",
                    str_trim(item));
            return err_field(e, "parties");
        }
        *colon = 0;
        char *name = str_trim(item), *role = str_trim(colon + 1);
        sqlite3_int64 pid;
        if ((rc = agr_party_find(db, name, &pid, e))) return err_field(e, "parties");
        sqlite3_stmt *st;
        if ((rc = db_prepare(db,
                             "INSERT INTO agreement_party(agreement_id, party_id, role) "
                             "VALUES (?1, ?2, ?3)",
                             &st, e)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, pid);
        db_bind_text(st, 3, role);
        if (sqlite3_step(st) != SQLITE_DONE) {
            sqlite3_finalize(st);
            err_set(e, ERR_INPUT,
                    "role '%s' of %s is not one of buyer, seller, guarantor, "
                    "coordinator, carrier, signatory (or is listed twice)",
                    role, name);
            return err_field(e, "parties");
        }
        sqlite3_finalize(st);
        n++;
    }
    if (n < 2) {
        err_set(e, ERR_INPUT, "an agreement needs two or more parties, %d given", n);
        return err_field(e, "parties");
    }
    return rc;
}

int agr_insert(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    (void)ctx;
    sqlite3_int64 id;
    struct err tmp = {0};
    if (agr_find(db, v[A_CODE].s, &id, &tmp) == 0) {
        err_set(e, ERR_CONFLICT, "an agreement with code '%s' already exists", v[A_CODE].s);
        return err_field(e, "code");
    }
    if (v[A_END].present && v[A_END].i < v[A_START].i) {
        err_set(e, ERR_INPUT, "end %s is before start %s", v[A_END].s, v[A_START].s);
        return err_field(e, "end");
    }
    if ((v[A_CAPT].present && v[A_CAPT].i == 0) || (v[A_CAPUSD].present && v[A_CAPUSD].i == 0)) {
        err_set(e, ERR_INPUT, "a cap must be above zero (leave it out for no cap)");
        return err_field(e, v[A_CAPT].present && v[A_CAPT].i == 0 ? "cap_t" : "cap_usd");
    }
    sqlite3_stmt *st;
    int rc = db_prepare(db, "INSERT INTO agreement(code, title, kind, source) VALUES (?1,?2,?3,?4)",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, v[A_CODE].s);
    db_bind_text(st, 2, v[A_TITLE].s);
    db_bind_text(st, 3, v[A_KIND].s);
    db_bind_text(st, 4, v[A_SOURCE].s);
    if ((rc = step_done(db, st, "storing the agreement", e))) return rc;
    id = sqlite3_last_insert_rowid(db->h);
    if ((rc = link_parties(db, id, v[A_PARTIES].s, e))) return rc;
    struct agr_terms t = {.agreement_id = id, .version = 1};
    str_copy(t.effective, v[A_START].s, sizeof t.effective);
    str_copy(t.hs_scope, v[A_HS].s, sizeof t.hs_scope);
    t.has_cap_g = v[A_CAPT].present, t.cap_g = v[A_CAPT].i;
    t.has_cap_cents = v[A_CAPUSD].present, t.cap_cents = v[A_CAPUSD].i;
    str_copy(t.period_kind, v[A_PERIOD].present ? v[A_PERIOD].s : "calendar", sizeof t.period_kind);
    str_copy(t.start, v[A_START].s, sizeof t.start);
    str_copy(t.end, v[A_END].s, sizeof t.end);
    str_copy(t.status, v[A_STATUS].s, sizeof t.status);
    if ((rc = insert_terms(db, &t, e))) return rc;
    char *after = rec_json(agr_spec, agr_nspec, v);
    rc = db_audit(db, "agreements.add", "agreement", v[A_CODE].s, NULL, after, e);
    free(after);
    return rc;
}

static int latest_terms(struct db *db, sqlite3_int64 id, struct agr_terms *t, struct err *e)
{
    return agr_terms_at(db, id, "9999-12-31", t, e);
}

int agr_amend(struct db *db, const char *code, const struct rec_value *v, struct err *e)
{
    sqlite3_int64 id;
    struct agr_terms t;
    int rc = agr_find(db, code, &id, e);
    if (!rc) rc = latest_terms(db, id, &t, e);
    if (rc) return rc;
    char *before = terms_json(&t);
    if (strcmp(v[M_EFFECTIVE].s, t.effective) <= 0) {
        free(before);
        err_set(e, ERR_INPUT, "an amendment must take effect after version %d (%s)", t.version,
                t.effective);
        return err_field(e, "effective");
    }
    if (strcmp(t.status, "expired") == 0 || strcmp(t.status, "terminated") == 0) {
        free(before);
        return err_set(e, ERR_CONFLICT, "agreement %s is %s since %s", code, t.status, t.effective);
    }
    t.version++;
    str_copy(t.effective, v[M_EFFECTIVE].s, sizeof t.effective);
    if (v[M_HS].present) str_copy(t.hs_scope, v[M_HS].s, sizeof t.hs_scope);
    if (v[M_CAPT].present) t.has_cap_g = v[M_CAPT].i > 0, t.cap_g = v[M_CAPT].i;
    if (v[M_CAPUSD].present) t.has_cap_cents = v[M_CAPUSD].i > 0, t.cap_cents = v[M_CAPUSD].i;
    if (v[M_PERIOD].present) str_copy(t.period_kind, v[M_PERIOD].s, sizeof t.period_kind);
    if (v[M_END].present) str_copy(t.end, v[M_END].s, sizeof t.end);
    if (v[M_STATUS].present) str_copy(t.status, v[M_STATUS].s, sizeof t.status);
    if (t.end[0] && strcmp(t.end, t.start) < 0) {
        free(before);
        err_set(e, ERR_INPUT, "end %s is before start %s", t.end, t.start);
        return err_field(e, "end");
    }
    rc = insert_terms(db, &t, e);
    if (!rc && v[M_NOTE].present) {
        sqlite3_stmt *st;
        if (!(rc = db_prepare(db,
                              "UPDATE agreement_terms SET note = ?3 WHERE agreement_id = ?1 "
                              "AND version = ?2",
                              &st, e))) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int(st, 2, t.version);
            db_bind_text(st, 3, v[M_NOTE].s);
            rc = step_done(db, st, "storing the note", e);
        }
    }
    char *after = terms_json(&t);
    if (!rc) rc = db_audit(db, "agreements.amend", "agreement", code, before, after, e);
    free(before);
    free(after);
    return rc;
}

int agr_amend_record(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    (void)ctx;
    return agr_amend(db, v[0].s, v + 1, e);
}

int agr_close(struct db *db, const char *code, const char *status, const char *date, struct err *e)
{
    struct rec_value v[8];
    memset(v, 0, sizeof v);
    v[M_EFFECTIVE].present = 1;
    str_copy(v[M_EFFECTIVE].s, date, sizeof v[M_EFFECTIVE].s);
    v[M_STATUS].present = 1;
    str_copy(v[M_STATUS].s, status, sizeof v[M_STATUS].s);
    v[M_END].present = 1;
    str_copy(v[M_END].s, date, sizeof v[M_END].s);
    return agr_amend(db, code, v, e);
}

int agr_terms_at(struct db *db, sqlite3_int64 id, const char *date, struct agr_terms *t,
                 struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT t.version, t.effective, t.hs_scope, t.cap_g, t.cap_cents, "
                        "t.period_kind, t.start_date, coalesce(t.end_date, ''), t.status, a.code "
                        "FROM agreement_terms t JOIN agreement a ON a.id = t.agreement_id "
                        "WHERE t.agreement_id = ?1 AND t.effective <= ?2 "
                        "ORDER BY t.version DESC LIMIT 1",
                        &st, e);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, date);
    memset(t, 0, sizeof *t);
    if (sqlite3_step(st) == SQLITE_ROW) {
        t->agreement_id = id;
        t->version = sqlite3_column_int(st, 0);
        db_col_text(st, 1, t->effective, sizeof t->effective);
        db_col_text(st, 2, t->hs_scope, sizeof t->hs_scope);
        t->has_cap_g = sqlite3_column_type(st, 3) != SQLITE_NULL;
        t->cap_g = sqlite3_column_int64(st, 3);
        t->has_cap_cents = sqlite3_column_type(st, 4) != SQLITE_NULL;
        t->cap_cents = sqlite3_column_int64(st, 4);
        db_col_text(st, 5, t->period_kind, sizeof t->period_kind);
        db_col_text(st, 6, t->start, sizeof t->start);
        db_col_text(st, 7, t->end, sizeof t->end);
        db_col_text(st, 8, t->status, sizeof t->status);
        db_col_text(st, 9, t->code, sizeof t->code);
    } else {
        rc = err_set(e, ERR_NOTFOUND, "the agreement has no terms in force on %s", date);
    }
    sqlite3_finalize(st);
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
    err_at(e, NULL, 0, 0, "--period");
    return err_set(e, ERR_USAGE, "'%s' is not a %s period (e.g. %s)", label,
                   mj ? "July-June" : "calendar", mj ? "2024/25" : "2024");
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

int agr_list(struct db *db, const char *date, struct table **out, struct err *e)
{
    char d[11];
    if (date)
        str_copy(d, date, sizeof d);
    else
        date_today(d);
    struct table *t = table_new("agreements", "");
    char title[96];
    snprintf(title, sizeof title, "Agreements as in force on %s", d);
    free(t->title);
    t->title = xstrdup(title);
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "title", COL_TEXT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    table_col(t, "status", COL_TEXT, NULL, 0);
    table_col(t, "hs", COL_TEXT, NULL, 0);
    table_col(t, "cap_t", COL_MASS, NULL, 0);
    table_col(t, "cap_usd", COL_MONEY, NULL, 0);
    table_col(t, "period", COL_TEXT, NULL, 0);
    table_col(t, "start", COL_TEXT, NULL, 0);
    table_col(t, "end", COL_TEXT, NULL, 0);
    table_col(t, "version", COL_INT, NULL, 0);
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT id, code, title, kind FROM agreement ORDER BY code", &st, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct agr_terms tm;
        struct err tmp = {0};
        size_t r = table_add_row(t);
        for (int c = 0; c < 3; c++)
            table_set_text(t, r, (size_t)c, (const char *)sqlite3_column_text(st, c + 1));
        if (agr_terms_at(db, sqlite3_column_int64(st, 0), d, &tm, &tmp)) {
            table_set_text(t, r, 3, "not yet effective");
            continue;
        }
        table_set_text(t, r, 3, tm.status);
        table_set_text(t, r, 4, tm.hs_scope);
        if (tm.has_cap_g) table_set_int(t, r, 5, tm.cap_g);
        if (tm.has_cap_cents) table_set_int(t, r, 6, tm.cap_cents);
        table_set_text(t, r, 7, tm.period_kind);
        table_set_text(t, r, 8, tm.start);
        if (tm.end[0]) table_set_text(t, r, 9, tm.end);
        table_set_int(t, r, 10, tm.version);
    }
    sqlite3_finalize(st);
    *out = t;
    return 0;
}

int agr_show(struct db *db, const char *code, struct table **out, struct err *e)
{
    sqlite3_int64 id;
    int rc = agr_find(db, code, &id, e);
    if (rc) return rc;
    char ids[32], title[400];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
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
    rc = fill(db,
              "SELECT version, effective, status, hs_scope, cap_g, cap_cents, period_kind, "
              "start_date, end_date, note FROM agreement_terms WHERE agreement_id = ?1 "
              "ORDER BY version",
              ids, NULL, t, e);
    sqlite3_stmt *st;
    if (!rc &&
        !(rc = db_prepare(db, "SELECT title, kind, source FROM agreement WHERE id = ?1", &st, e))) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(title, sizeof title, "%s: %s (%s agreement), terms by version", code,
                     sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
            free(t->title);
            t->title = xstrdup(title);
            if (*sqlite3_column_text(st, 2))
                table_note(t, "Source: %s", sqlite3_column_text(st, 2));
        }
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = db_prepare(db,
                                 "SELECT p.name, ap.role, p.country FROM agreement_party ap "
                                 "JOIN party p ON p.id = ap.party_id WHERE ap.agreement_id = ?1 "
                                 "ORDER BY ap.role, p.name",
                                 &st, e))) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW)
            table_note(t, "Party: %s (%s), %s", sqlite3_column_text(st, 0),
                       sqlite3_column_text(st, 2), sqlite3_column_text(st, 1));
        sqlite3_finalize(st);
    }
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}
