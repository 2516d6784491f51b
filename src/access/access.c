/* access.c — the market-access registers: rules, registered establishments
 * and barriers (inserting, listing, changing an establishment's status).
 * access_check() is in check.c. */
#include "access.h"

#include "../trade/trade.h"

#include <stdlib.h>
#include <string.h>

const struct rec_field access_rule_spec[] = {
    {"hs", RT_HSLIST, 1, NULL},
    {"from", RT_TEXT, 1, NULL},
    {"region", RT_TEXT, 0, NULL},
    {"to", RT_TEXT, 1, NULL},
    {"status", RT_ENUM, 1, "open|pending|suspended|closed"},
    {"documents", RT_LIST, 0, NULL},
    {"legal_basis", RT_TEXT, 0, NULL},
    {"effective_from", RT_DATE, 1, NULL},
    {"effective_to", RT_DATE, 0, NULL},
    {"source", RT_TEXT, 0, NULL},
    {"note", RT_TEXT, 0, NULL},
};
const size_t access_rule_nspec = sizeof access_rule_spec / sizeof access_rule_spec[0];
enum { R_HS, R_FROM, R_REGION, R_TO, R_STATUS, R_DOCS, R_LEGAL, R_EFROM, R_ETO, R_SOURCE, R_NOTE };

const struct rec_field access_plant_spec[] = {
    {"registration", RT_TEXT, 1, NULL},
    {"name", RT_TEXT, 1, NULL},
    {"country", RT_TEXT, 1, NULL},
    {"region", RT_TEXT, 0, NULL},
    {"hs", RT_HSLIST, 1, NULL},
    {"importer", RT_TEXT, 1, NULL},
    {"valid_from", RT_DATE, 1, NULL},
    {"valid_to", RT_DATE, 1, NULL},
    {"status", RT_ENUM, 1, "active|suspended|expired"},
    {"source", RT_TEXT, 0, NULL},
};
const size_t access_plant_nspec = sizeof access_plant_spec / sizeof access_plant_spec[0];
enum { E_REG, E_NAME, E_COUNTRY, E_REGION, E_HS, E_IMPORTER, E_FROM, E_TO, E_STATUS, E_SOURCE };

const struct rec_field access_barrier_spec[] = {
    {"code", RT_TEXT, 1, NULL},
    {"imposing", RT_TEXT, 1, NULL},
    {"affected", RT_TEXT, 1, NULL},
    {"hs", RT_HSLIST, 1, NULL},
    {"ntm_code", RT_TEXT, 1, NULL},
    {"type", RT_TEXT, 0, NULL},
    {"legal_reference", RT_TEXT, 0, NULL},
    {"title", RT_TEXT, 1, NULL},
    {"description", RT_TEXT, 0, NULL},
    {"objective", RT_TEXT, 0, NULL},
    {"authority", RT_TEXT, 0, NULL},
    {"notified", RT_DATE, 0, NULL},
    {"in_force", RT_DATE, 0, NULL},
    {"lifted", RT_DATE, 0, NULL},
    {"status", RT_ENUM, 1, "proposed|in force|lifted"},
    {"rule", RT_INT, 0, NULL},
    {"source", RT_TEXT, 0, NULL},
};
const size_t access_barrier_nspec = sizeof access_barrier_spec / sizeof access_barrier_spec[0];
enum {
    B_CODE,
    B_IMPOSING,
    B_AFFECTED,
    B_HS,
    B_NTM,
    B_TYPE,
    B_LEGAL,
    B_TITLE,
    B_DESC,
    B_OBJ,
    B_AUTH,
    B_NOTIFIED,
    B_INFORCE,
    B_LIFTED,
    B_STATUS,
    B_RULE,
    B_SOURCE
};

static int bind_values(sqlite3_stmt *st, const struct rec_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        db_bind_text(st, (int)i + 1, v[i].present ? v[i].s : NULL);
    return 0;
}

static int finish_insert(struct db *db, sqlite3_stmt *st, const char *action, const char *entity,
                         const char *id, const struct rec_field *spec, size_t n,
                         const struct rec_value *v, struct err *e)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "storing the record");
    sqlite3_finalize(st);
    if (rc) return rc;
    char *after = rec_json(spec, n, v);
    rc = db_audit(db, action, entity, id, NULL, after, e);
    free(after);
    return rc;
}

int access_rule_insert(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    const struct ref *ref = ctx;
    struct rec_value w[sizeof access_rule_spec / sizeof access_rule_spec[0]];
    memcpy(w, v, sizeof w);
    const char *from = ref_country_field(ref, v[R_FROM].s, "from", e), *to = NULL, *reg = NULL;
    if (!from || !(to = ref_country_field(ref, v[R_TO].s, "to", e))) return e->code;
    if (!(reg = ref_region_field(ref, v[R_REGION].s, from, "region", e))) return e->code;
    if (strchr(v[R_HS].s, ',')) {
        err_set(e, ERR_INPUT, "one HS prefix per rule");
        return err_field(e, "hs");
    }
    if (v[R_ETO].present && v[R_ETO].i <= v[R_EFROM].i) {
        err_set(e, ERR_INPUT, "effective_to %s is not after effective_from %s", v[R_ETO].s,
                v[R_EFROM].s);
        return err_field(e, "effective_to");
    }
    str_copy(w[R_FROM].s, from, sizeof w[R_FROM].s);
    str_copy(w[R_TO].s, to, sizeof w[R_TO].s);
    str_copy(w[R_REGION].s, reg, sizeof w[R_REGION].s);
    w[R_REGION].present = 1;
    w[R_DOCS].present = 1;
    w[R_LEGAL].present = 1;
    w[R_SOURCE].present = 1;
    w[R_NOTE].present = 1;
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO access_rule(hs_prefix, exporter, exporter_region, importer, "
                        "status, documents, legal_basis, effective_from, effective_to, source, "
                        "note) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                        &st, e);
    if (rc) return rc;
    bind_values(st, w, access_rule_nspec);
    char id[96];
    snprintf(id, sizeof id, "%.12s %.4s%s%.12s->%.4s from %.10s", v[R_HS].s, from, *reg ? "/" : "",
             reg, to, v[R_EFROM].s);
    return finish_insert(db, st, "access.rule.add", "access_rule", id, access_rule_spec,
                         access_rule_nspec, v, e);
}

int access_plant_insert(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    const struct ref *ref = ctx;
    struct rec_value w[sizeof access_plant_spec / sizeof access_plant_spec[0]];
    memcpy(w, v, sizeof w);
    const char *c3 = ref_country_field(ref, v[E_COUNTRY].s, "country", e), *imp = NULL, *reg;
    if (!c3 || !(imp = ref_country_field(ref, v[E_IMPORTER].s, "importer", e))) return e->code;
    if (!(reg = ref_region_field(ref, v[E_REGION].s, c3, "region", e))) return e->code;
    if (v[E_TO].i <= v[E_FROM].i) {
        err_set(e, ERR_INPUT, "valid_to %s is not after valid_from %s", v[E_TO].s, v[E_FROM].s);
        return err_field(e, "valid_to");
    }
    str_copy(w[E_COUNTRY].s, c3, sizeof w[E_COUNTRY].s);
    str_copy(w[E_IMPORTER].s, imp, sizeof w[E_IMPORTER].s);
    str_copy(w[E_REGION].s, reg, sizeof w[E_REGION].s);
    w[E_REGION].present = *reg != 0;
    w[E_SOURCE].present = 1;
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO establishment(registration, name, country, region, hs_scope, "
                        "importer, valid_from, valid_to, status, source) "
                        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                        &st, e);
    if (rc) return rc;
    bind_values(st, w, access_plant_nspec);
    rc = finish_insert(db, st, "access.plant.add", "establishment", v[E_REG].s, access_plant_spec,
                       access_plant_nspec, v, e);
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "registration %s is already in the register", v[E_REG].s);
        return err_field(e, "registration");
    }
    return rc;
}

int access_plant_set_status(struct db *db, const char *registration, const char *status,
                            struct err *e)
{
    if (strcmp(status, "active") && strcmp(status, "suspended") && strcmp(status, "expired")) {
        err_at(e, NULL, 0, 0, "--status");
        return err_set(e, ERR_USAGE, "status must be active, suspended or expired");
    }
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT status FROM establishment WHERE registration = ?1", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, registration);
    char before[64];
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(before, sizeof before, "{\"status\":\"%s\"}", sqlite3_column_text(st, 0));
    } else {
        sqlite3_finalize(st);
        return err_set(e, ERR_NOTFOUND, "no establishment with registration '%s'", registration);
    }
    sqlite3_finalize(st);
    if ((rc = db_begin(db, e))) return rc;
    if (!(rc = db_prepare(db, "UPDATE establishment SET status = ?2 WHERE registration = ?1", &st,
                          e))) {
        db_bind_text(st, 1, registration);
        db_bind_text(st, 2, status);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "updating the establishment");
        sqlite3_finalize(st);
    }
    char after[64];
    snprintf(after, sizeof after, "{\"status\":\"%s\"}", status);
    if (!rc)
        rc = db_audit(db, "access.plant.status", "establishment", registration, before, after, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    return rc;
}

int access_barrier_insert(struct db *db, const struct rec_value *v, void *ctx, struct err *e)
{
    const struct ref *ref = ctx;
    struct rec_value w[sizeof access_barrier_spec / sizeof access_barrier_spec[0]];
    memcpy(w, v, sizeof w);
    const char *imp = ref_country_field(ref, v[B_IMPOSING].s, "imposing", e), *aff = NULL;
    if (!imp || !(aff = ref_country_field(ref, v[B_AFFECTED].s, "affected", e))) return e->code;
    const char *n = v[B_NTM].s;
    if (n[0] < 'A' || n[0] > 'P' || strspn(n + 1, "0123456789") != strlen(n + 1)) {
        err_set(e, ERR_INPUT,
                "'%s' is not an UNCTAD NTM code (a chapter letter A-P, then "
                "digits, e.g. A14)",
                n);
        return err_field(e, "ntm_code");
    }
    str_copy(w[B_IMPOSING].s, imp, sizeof w[B_IMPOSING].s);
    str_copy(w[B_AFFECTED].s, aff, sizeof w[B_AFFECTED].s);
    static const int text_cols[] = {B_TYPE, B_LEGAL, B_DESC, B_OBJ, B_AUTH, B_SOURCE};
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++)
        w[text_cols[i]].present = 1;
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO barrier(code, imposing, affected, hs_lines, ntm_code, type, "
                        "legal_reference, title, description, objective, authority, notified, "
                        "in_force, lifted, status, rule_id, source) "
                        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
                        &st, e);
    if (rc) return rc;
    bind_values(st, w, access_barrier_nspec);
    if (v[B_RULE].present) sqlite3_bind_int64(st, B_RULE + 1, v[B_RULE].i);
    rc = finish_insert(db, st, "access.barrier.add", "barrier", v[B_CODE].s, access_barrier_spec,
                       access_barrier_nspec, v, e);
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "barrier %s exists, or rule %s does not", v[B_CODE].s,
                v[B_RULE].present ? v[B_RULE].s : "-");
        return err_field(e, "code");
    }
    return rc;
}

/* ---- listings ---- */

static void cols(struct table *t, const char *const *names, size_t n, int first_int)
{
    for (size_t i = 0; i < n; i++)
        table_col(t, names[i], (i == 0 && first_int) ? COL_INT : COL_TEXT, NULL, 0);
}

int access_rules_list(struct db *db, const char *hs, const char *exporter, const char *importer,
                      const char *date, struct table **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT id, hs_prefix, exporter, exporter_region, importer, status, "
                        "documents, effective_from, effective_to, legal_basis, source FROM "
                        "access_rule WHERE (?1 IS NULL OR ?1 LIKE hs_prefix || '%' OR hs_prefix "
                        "LIKE ?1 || '%') AND (?2 IS NULL OR exporter = ?2) AND (?3 IS NULL OR "
                        "importer = ?3) AND (?4 IS NULL OR (effective_from <= ?4 AND "
                        "(effective_to IS NULL OR effective_to > ?4))) "
                        "ORDER BY hs_prefix, exporter, importer, effective_from, exporter_region",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, hs);
    db_bind_text(st, 2, exporter);
    db_bind_text(st, 3, importer);
    db_bind_text(st, 4, date);
    struct table *t = table_new("access_rules", "Market-access rules");
    static const char *const names[] = {
        "id",           "hs",          "from",      "region",
        "to",           "status",      "documents", "effective_from",
        "effective_to", "legal_basis", "source"};
    cols(t, names, 11, 1);
    db_fill_table(st, t);
    if (date) table_note(t, "Rules in force on %s.", date);
    *out = t;
    return 0;
}

int access_plants_list(struct db *db, const char *country3, const char *date, struct table **out,
                       struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT registration, name, country, region, hs_scope, importer, "
                        "valid_from, valid_to, CASE WHEN status = 'active' AND ?2 IS NOT NULL "
                        "AND valid_to <= ?2 THEN 'expired' ELSE status END, source "
                        "FROM establishment WHERE ?1 IS NULL OR country = ?1 "
                        "ORDER BY country, registration",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, country3);
    db_bind_text(st, 2, date);
    struct table *t = table_new("establishments", "Registered establishments");
    static const char *const names[] = {"registration", "name",     "country",    "region",
                                        "hs",           "importer", "valid_from", "valid_to",
                                        "status",       "source"};
    cols(t, names, 10, 0);
    db_fill_table(st, t);
    if (date)
        table_note(t, "Status as on %s (a registration past its valid_to date is expired).", date);
    *out = t;
    return 0;
}

int access_barriers_list(struct db *db, const char *status, struct table **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc =
        db_prepare(db,
                   "SELECT code, ntm_code, imposing, affected, hs_lines, title, status, "
                   "coalesce(in_force, ''), coalesce(lifted, ''), legal_reference, "
                   "coalesce(rule_id, ''), source FROM barrier WHERE ?1 IS NULL OR status = ?1 "
                   "ORDER BY code",
                   &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, status);
    struct table *t = table_new("barriers", "Non-tariff barriers and the trade they affect");
    static const char *const names[] = {"code",  "ntm",    "imposing", "affected", "hs",
                                        "title", "status", "in_force", "lifted"};
    cols(t, names, 9, 0);
    table_col(t, "trade_year", COL_INT, NULL, 0);
    table_col(t, "trade_usd", COL_MONEY, NULL, 0);
    table_col(t, "trade_basis", COL_TEXT, NULL, 0);
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t r = table_add_row(t);
        for (int c = 0; c < 9; c++)
            table_set_text(t, r, (size_t)c, (const char *)sqlite3_column_text(st, c));
        const char *imp = (const char *)sqlite3_column_text(st, 2);
        const char *aff = (const char *)sqlite3_column_text(st, 3);
        const char *lines = (const char *)sqlite3_column_text(st, 4);
        const char *legal = (const char *)sqlite3_column_text(st, 9);
        if (*legal) table_note(t, "%s: %s", sqlite3_column_text(st, 0), legal);
        int year;
        int64_t cents;
        char basis[96];
        struct err tmp = {0};
        if (trade_value_hs(db, imp, aff, "M", lines, &year, &cents, &tmp) == 0 && year) {
            snprintf(basis, sizeof basis, "%s imports from %s", imp, aff);
        } else if (trade_value_hs(db, aff, imp, "X", lines, &year, &cents, &tmp) == 0 && year) {
            snprintf(basis, sizeof basis, "%s exports to %s (mirror)", aff, imp);
        } else {
            continue;
        }
        table_set_int(t, r, 9, year);
        table_set_int(t, r, 10, cents);
        table_set_text(t, r, 11, basis);
    }
    sqlite3_finalize(st);
    table_note(t, "Trade affected: the latest year of trade statistics under the barrier's HS "
                  "lines, as the importing side reports it where it can.");
    *out = t;
    return 0;
}
