/* access.c — the market-access registers: rules, registered establishments
 * and barriers (recording them, listing them, changing an establishment's
 * status). access_check() is in check.c, the operation table in ops.c. */
#include "access.h"

#include "../ops/ops.h"
#include "../trade/trade.h"

#include <stdlib.h>
#include <string.h>

int access_rule_add(struct op_call *c, struct err *e)
{
    const char *hs = op_s(c, "hs"), *from = op_s(c, "from"), *to = op_s(c, "to");
    const char *region = op_s(c, "region");
    if (op_has(c, "effective_to") && op_i(c, "effective_to") <= op_i(c, "effective_from")) {
        err_set(e, ERR_INPUT, "effective_to %s is not after effective_from %s",
                op_s(c, "effective_to"), op_s(c, "effective_from"));
        return err_field(e, "effective_to");
    }
    snprintf(c->id, sizeof c->id, "%.12s %.4s%s%.12s->%.4s from %.10s", hs, from, region ? "/" : "",
             region ? region : "", to, op_s(c, "effective_from"));
    op_done(c, "rule for HS %s recorded", hs);
    return db_run(c->db, e,
                  "INSERT INTO access_rule(hs_prefix, exporter, exporter_region, importer, "
                  "status, documents, legal_basis, effective_from, effective_to, source, note) "
                  "VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5, coalesce(?6, ''), coalesce(?7, ''), "
                  "?8, ?9, coalesce(?10, ''), coalesce(?11, ''))",
                  "ttttttttttt", hs, from, region, to, op_s(c, "status"), op_s(c, "documents"),
                  op_s(c, "legal_basis"), op_s(c, "effective_from"), op_s(c, "effective_to"),
                  op_s(c, "source"), op_s(c, "note"));
}

/* A registration or code already in a register, whatever its case: the
 * conflict (naming field), 0 when free, or a database error. */
static int taken(struct db *db, const char *sql, const char *key, const char *what,
                 const char *field, struct err *e)
{
    int rc = db_lookup(db, e, NULL, 0, sql, "t", key);
    if (rc == 1) {
        err_set(e, ERR_CONFLICT, "%s %s is already in the register", what, key);
        return err_field(e, field);
    }
    return rc;
}

int access_plant_add(struct op_call *c, struct err *e)
{
    const char *reg = op_s(c, "registration");
    int rc = taken(c->db, "SELECT 1 FROM establishment WHERE registration = ?1 COLLATE NOCASE", reg,
                   "registration", "registration", e);
    if (rc) return rc;
    if (op_i(c, "valid_to") <= op_i(c, "valid_from")) {
        err_set(e, ERR_INPUT, "valid_to %s is not after valid_from %s", op_s(c, "valid_to"),
                op_s(c, "valid_from"));
        return err_field(e, "valid_to");
    }
    rc = db_run(c->db, e,
                "INSERT INTO establishment(registration, name, country, region, hs_scope, "
                "importer, valid_from, valid_to, status, source) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(?10, ''))",
                "tttttttttt", reg, op_s(c, "name"), op_s(c, "country"), op_s(c, "region"),
                op_s(c, "hs"), op_s(c, "importer"), op_s(c, "valid_from"), op_s(c, "valid_to"),
                op_s(c, "status"), op_s(c, "source"));
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "registration %s is already in the register", reg);
        return err_field(e, "registration");
    }
    op_done(c, "establishment %s recorded", reg);
    return rc;
}

int access_plant_status(struct op_call *c, struct err *e)
{
    const char *reg = op_s(c, "registration"), *status = op_s(c, "status");
    char before[32];
    int rc = db_lookup(c->db, e, before, sizeof before,
                       "SELECT status FROM establishment WHERE registration = ?1 COLLATE NOCASE",
                       "t", reg);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no establishment with registration '%s'", reg);
        return err_field(e, "registration");
    }
    if (rc < 0) return rc;
    rc = db_run(c->db, e,
                "UPDATE establishment SET status = ?2 WHERE registration = ?1 COLLATE NOCASE", "tt",
                reg, status);
    if (rc) return rc;
    char json[64];
    snprintf(json, sizeof json, "{\"status\":\"%s\"}", before);
    c->before = xstrdup(json);
    snprintf(json, sizeof json, "{\"status\":\"%s\"}", status);
    c->after = xstrdup(json);
    op_done(c, "establishment %s is now %s", reg, status);
    return 0;
}

int access_barrier_add(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code"), *n = op_s(c, "ntm_code");
    int rc = taken(c->db, "SELECT 1 FROM barrier WHERE code = ?1 COLLATE NOCASE", code, "barrier",
                   "code", e);
    if (rc) return rc;
    if (n[0] < 'A' || n[0] > 'P' || strspn(n + 1, "0123456789") != strlen(n + 1)) {
        err_set(e, ERR_INPUT,
                "'%s' is not an UNCTAD NTM code (a chapter letter A-P, then digits, e.g. A14)", n);
        return err_field(e, "ntm_code");
    }
    if (op_has(c, "rule")) {
        rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM access_rule WHERE id = ?1", "i",
                       op_i(c, "rule"));
        if (rc < 0) return rc;
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND, "no market-access rule %s (see 'corridor access rules')",
                    op_s(c, "rule"));
            return err_field(e, "rule");
        }
    }
    rc = db_run(c->db, e,
                "INSERT INTO barrier(code, imposing, affected, hs_lines, ntm_code, type, "
                "legal_reference, title, description, objective, authority, notified, "
                "in_force, lifted, status, rule_id, source) VALUES (?1, ?2, ?3, ?4, ?5, "
                "coalesce(?6, ''), coalesce(?7, ''), ?8, coalesce(?9, ''), coalesce(?10, ''), "
                "coalesce(?11, ''), ?12, ?13, ?14, ?15, CAST(?16 AS INTEGER), coalesce(?17, ''))",
                "ttttttttttttttttt", code, op_s(c, "imposing"), op_s(c, "affected"), op_s(c, "hs"),
                n, op_s(c, "type"), op_s(c, "legal_reference"), op_s(c, "title"),
                op_s(c, "description"), op_s(c, "objective"), op_s(c, "authority"),
                op_s(c, "notified"), op_s(c, "in_force"), op_s(c, "lifted"), op_s(c, "status"),
                op_s(c, "rule"), op_s(c, "source"));
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "barrier %s is already in the register", code);
        return err_field(e, "code");
    }
    op_done(c, "barrier %s recorded", code);
    return rc;
}

/* ---- listings ---- */

static void cols(struct table *t, const char *const *names, size_t n, int first_int)
{
    for (size_t i = 0; i < n; i++)
        table_col(t, names[i], (i == 0 && first_int) ? COL_INT : COL_TEXT, NULL, 0);
}

static int give(struct table *t, int rc, struct table **out)
{
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

int access_rules_list(struct db *db, const char *hs, const char *exporter, const char *importer,
                      const char *date, struct table **out, struct err *e)
{
    struct table *t = table_new("access_rules", N_("Market-access rules"));
    static const char *const names[] = {
        "id",           "hs",          "from",      "region",
        "to",           "status",      "documents", "effective_from",
        "effective_to", "legal_basis", "source"};
    cols(t, names, 11, 1);
    int rc = db_fill(db, t, e,
                     "SELECT id, hs_prefix, exporter, exporter_region, importer, status, "
                     "documents, effective_from, effective_to, legal_basis, source FROM "
                     "access_rule WHERE (?1 IS NULL OR ?1 LIKE hs_prefix || '%' OR hs_prefix "
                     "LIKE ?1 || '%') AND (?2 IS NULL OR exporter = ?2) AND (?3 IS NULL OR "
                     "importer = ?3) AND (?4 IS NULL OR (effective_from <= ?4 AND "
                     "(effective_to IS NULL OR effective_to > ?4))) "
                     "ORDER BY hs_prefix, exporter, importer, effective_from, exporter_region",
                     "tttt", hs, exporter, importer, date);
    if (date) table_note(t, TF("Rules in force on %s."), date);
    return give(t, rc, out);
}

int access_plants_list(struct db *db, const char *country3, const char *date, struct table **out,
                       struct err *e)
{
    struct table *t = table_new("establishments", N_("Registered establishments"));
    static const char *const names[] = {"registration", "name",     "country",    "region",
                                        "hs",           "importer", "valid_from", "valid_to",
                                        "status",       "source"};
    cols(t, names, 10, 0);
    int rc = db_fill(db, t, e,
                     "SELECT registration, name, country, region, hs_scope, importer, "
                     "valid_from, valid_to, CASE WHEN status = 'active' AND valid_to <= ?2 "
                     "THEN 'expired' WHEN status = 'active' AND valid_from > ?2 THEN 'pending' "
                     "ELSE status END, source FROM establishment WHERE ?1 IS NULL OR country = ?1 "
                     "ORDER BY country, registration",
                     "tt", country3, date);
    table_note(t,
               TF("Status on %s: a registration past its valid_to date is expired, one not yet "
                  "valid is pending."),
               date);
    return give(t, rc, out);
}

/* Fills the trade a barrier affects into row r: the imposing country's
 * imports from the affected one, or the affected side's exports (mirror). */
static int barrier_trade(struct db *db, struct table *t, size_t r, const char *imp, const char *aff,
                         const char *lines, struct err *e)
{
    int year;
    int64_t cents;
    char basis[96];
    int rc = trade_value_hs(db, imp, aff, "M", lines, &year, &cents, e);
    if (!rc && year) {
        snprintf(basis, sizeof basis, "%s imports from %s", imp, aff);
    } else if (!rc) {
        rc = trade_value_hs(db, aff, imp, "X", lines, &year, &cents, e);
        if (!rc && year) snprintf(basis, sizeof basis, "%s exports to %s (mirror)", aff, imp);
    }
    if (rc || !year) return rc;
    table_set_int(t, r, 9, year);
    table_set_int(t, r, 10, cents);
    table_set_text(t, r, 11, basis);
    return 0;
}

int access_barriers_list(struct db *db, const char *status, struct table **out, struct err *e)
{
    struct table *t = table_new("barriers", N_("Non-tariff barriers and the trade they affect"));
    static const char *const names[] = {"code",  "ntm",    "imposing", "affected", "hs",
                                        "title", "status", "in_force", "lifted"};
    cols(t, names, 9, 0);
    table_col(t, "trade_year", COL_INT, NULL, 0);
    table_col(t, "trade_usd", COL_MONEY, NULL, 0);
    table_col(t, "trade_basis", COL_TEXT, NULL, 0);
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT code, ntm_code, imposing, affected, hs_lines, title, status, "
                        "coalesce(in_force, ''), coalesce(lifted, ''), legal_reference "
                        "FROM barrier WHERE ?1 IS NULL OR status = ?1 ORDER BY code",
                        "t", status);
    while (!rc && (rc = db_step(st, e)) == 1) {
        size_t r = table_add_row(t);
        for (int c = 0; c < 9; c++)
            table_set_text(t, r, (size_t)c, db_col_str(st, c));
        if (*db_col_str(st, 9)) table_note(t, "%s: %s", db_col_str(st, 0), db_col_str(st, 9));
        rc = barrier_trade(db, t, r, db_col_str(st, 2), db_col_str(st, 3), db_col_str(st, 4), e);
    }
    db_finalize(st);
    table_note(t, TF("Trade affected: the latest year of trade statistics under the barrier's "
                     "HS lines, as the importing side reports it where it can."));
    return give(t, rc, out);
}
