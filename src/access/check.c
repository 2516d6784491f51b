/* check.c — access_check(): can this product go from here to there on this
 * date? It finds the most specific rule in force (a rule for the exporting
 * region before one for the whole country, a longer HS prefix before a
 * shorter one, the latest before the older), then checks the rule's status,
 * the documents it requires and, where a registered establishment is needed
 * or named, the establishment register, and lists every reason it finds.
 * Any error reading the registers ends the check with that error: a check
 * that could not be made is never "allowed". */
#include "access.h"

#include <stdlib.h>
#include <string.h>

struct plant {
    char name[256], country[8], region[12], scope[512], importer[8], from[11], to[11], status[16];
};

/* The establishment's record: 1 found, 0 not in the register, or an error. */
static int plant_get(struct db *db, const char *reg, struct plant *p, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(
        db, &st, e,
        "SELECT name, country, coalesce(region, ''), hs_scope, importer, "
        "valid_from, valid_to, status FROM establishment WHERE registration = ?1 COLLATE NOCASE",
        "t", reg);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        db_col_text(st, 0, p->name, sizeof p->name); /* shown only */
        struct {
            int col;
            char *out;
            size_t size;
        } fields[] = {{1, p->country, sizeof p->country}, {2, p->region, sizeof p->region},
                      {3, p->scope, sizeof p->scope},     {4, p->importer, sizeof p->importer},
                      {5, p->from, sizeof p->from},       {6, p->to, sizeof p->to},
                      {7, p->status, sizeof p->status}};
        for (size_t i = 0; i < sizeof fields / sizeof fields[0] && rc == 1; i++)
            if (db_col_copy(st, fields[i].col, fields[i].out, fields[i].size, e)) rc = ERR_LIMIT;
    }
    db_finalize(st);
    return rc;
}

static void check_plant(const struct access_query *q, const struct plant *p,
                        struct access_result *r)
{
    struct reasons *w = &r->why;
    const char *reg = q->plant;
    if (strcmp(p->importer, q->importer) != 0)
        reasons_add(w, TF("establishment %s (%s) is registered with %s, not with %s"), reg, p->name,
                    p->importer, q->importer);
    if (strcmp(p->country, q->exporter) != 0)
        reasons_add(w, TF("establishment %s (%s) is in %s, not in the exporting country %s"), reg,
                    p->name, p->country, q->exporter);
    if (q->region && *p->region && strcmp(p->region, q->region) != 0)
        reasons_add(w, TF("establishment %s (%s) is in region %s, not in the declared region %s"),
                    reg, p->name, p->region, q->region);
    if (!str_list_prefix(p->scope, q->hs))
        reasons_add(w, TF("establishment %s (%s) is registered for HS %s, which does not cover %s"),
                    reg, p->name, p->scope, q->hs);
    if (strcmp(p->status, "suspended") == 0)
        reasons_add(w, TF("establishment %s (%s) is suspended"), reg, p->name);
    if (strcmp(p->status, "expired") == 0 || strcmp(p->to, r->date) <= 0)
        reasons_add(w, TF("the registration of establishment %s (%s) expired on %s"), reg, p->name,
                    p->to);
    else if (strcmp(p->from, r->date) > 0)
        reasons_add(w, TF("the registration of establishment %s (%s) is valid only from %s"), reg,
                    p->name, p->from);
}

/* The most specific rule in force; r->rule_id stays 0 when none applies. */
static int find_rule(struct db *db, const struct access_query *q, struct access_result *r,
                     char status[16], char region[16], struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT id, status, documents, legal_basis, effective_from, "
                        "coalesce(effective_to, ''), hs_prefix, exporter_region "
                        "FROM access_rule WHERE exporter = ?1 AND importer = ?2 "
                        "AND ?3 LIKE hs_prefix || '%' AND effective_from <= ?4 "
                        "AND (effective_to IS NULL OR effective_to > ?4) "
                        "AND (exporter_region = '' OR exporter_region = ?5) "
                        "ORDER BY exporter_region <> '' DESC, length(hs_prefix) DESC, "
                        "effective_from DESC, id DESC LIMIT 1",
                        "ttttt", q->exporter, q->importer, q->hs, r->date, r->region);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        r->rule_id = db_col_int(st, 0);
        if (db_col_copy(st, 1, status, 16, e) ||
            db_col_copy(st, 2, r->required, sizeof r->required, e) ||
            db_col_copy(st, 7, region, 16, e)) {
            db_finalize(st);
            return ERR_LIMIT;
        }
        const char *until = db_col_str(st, 5), *legal = db_col_str(st, 3);
        char scope[160], when[120];
        if (*region)
            snprintf(scope, sizeof scope, TF("rule %lld: HS %s from %s region %s to %s"),
                     (long long)r->rule_id, db_col_str(st, 6), q->exporter, region, q->importer);
        else
            snprintf(scope, sizeof scope, TF("rule %lld: HS %s from %s to %s"),
                     (long long)r->rule_id, db_col_str(st, 6), q->exporter, q->importer);
        if (*until)
            snprintf(when, sizeof when, TF("%s since %s until %s"), T(status), db_col_str(st, 4),
                     until);
        else
            snprintf(when, sizeof when, TF("%s since %s"), T(status), db_col_str(st, 4));
        snprintf(r->rule, sizeof r->rule, "%s, %s%s%s", scope, when, *legal ? "; " : "", legal);
        str_utf8_fix(r->rule);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int access_market(struct db *db, const char *hs, const char *exporter, const char *importer,
                  const char *date, char status[16], char rule[ACCESS_RULE_TEXT], int64_t *rule_id,
                  struct err *e)
{
    struct access_query q = {.hs = hs, .exporter = exporter, .importer = importer, .date = date};
    struct access_result r;
    memset(&r, 0, sizeof r);
    str_copy(r.date, date, sizeof r.date);
    char region[16];
    status[0] = 0;
    int rc = find_rule(db, &q, &r, status, region, e);
    if (rc) return rc;
    if (!r.rule_id) status[0] = 0;
    str_copy(rule, r.rule, 400);
    *rule_id = r.rule_id;
    return 0;
}

/* Where the product would be open, so the officer knows what to ask. */
static int open_regions(struct db *db, const struct access_query *q, struct access_result *r,
                        struct err *e)
{
    char regions[400] = "";
    int rc = db_lookup(db, e, regions, sizeof regions,
                       "SELECT group_concat(exporter_region, ', ') FROM (SELECT DISTINCT "
                       "exporter_region FROM access_rule WHERE exporter = ?1 AND importer = ?2 "
                       "AND ?3 LIKE hs_prefix || '%' AND effective_from <= ?4 AND "
                       "(effective_to IS NULL OR effective_to > ?4) AND exporter_region <> '' "
                       "AND status = 'open' ORDER BY exporter_region)",
                       "tttt", q->exporter, q->importer, q->hs, r->date);
    if (rc < 0) return rc;
    if (!*regions) return 0;
    if (*r->region)
        reasons_add(&r->why,
                    TF("region excluded: %s is not among the regions from which it is open (%s)"),
                    r->region, regions);
    else
        reasons_add(&r->why, TF("open only from the regions %s: declare the region of origin"),
                    regions);
    return 0;
}

static int check_rule(struct db *db, const struct access_query *q, struct access_result *r,
                      struct err *e)
{
    char status[16] = "", region[16] = "";
    int rc = find_rule(db, q, r, status, region, e);
    if (rc < 0) return rc;
    if (!r->rule_id) {
        snprintf(
            r->rule, sizeof r->rule,
            "no market-access rule recorded for HS %s from %s to %s on %s: general terms apply",
            q->hs, q->exporter, q->importer, r->date);
        return 0;
    }
    if (strcmp(status, "open") == 0) return 0;
    if (*region) {
        reasons_add(
            &r->why, TF("region excluded: HS %s from %s region %s to %s is %s on %s (rule %lld)"),
            q->hs, q->exporter, region, q->importer, T(status), r->date, (long long)r->rule_id);
        return 0;
    }
    reasons_add(&r->why, TF("market %s: HS %s from %s to %s is %s on %s (rule %lld)"), T(status),
                q->hs, q->exporter, q->importer, T(status), r->date, (long long)r->rule_id);
    return open_regions(db, q, r, e);
}

int access_check(struct db *db, const struct access_query *q, struct access_result *r,
                 struct err *e)
{
    memset(r, 0, sizeof *r);
    int rc = date_check(q->date, ERR_INPUT, "date", e);
    if (rc) return rc;
    if (q->date)
        str_copy(r->date, q->date, sizeof r->date);
    else
        date_today(r->date);
    if (!ref_hs_valid(q->hs) || strcmp(q->hs, "TOTAL") == 0) {
        err_set(e, ERR_INPUT, "'%s' is not an HS code (2 to 10 digits)", q->hs);
        return err_field(e, "hs");
    }
    /* the establishment first: its region stands for the origin when none is declared */
    struct plant p;
    int have_plant = 0;
    if (q->plant && *q->plant) {
        rc = plant_get(db, q->plant, &p, e);
        if (rc < 0) return rc;
        have_plant = rc == 1;
    }
    if (q->region) {
        str_copy(r->region, q->region, sizeof r->region);
    } else if (have_plant && *p.region && strcmp(p.country, q->exporter) == 0) {
        str_copy(r->region, p.region, sizeof r->region);
        r->region_from_plant = 1;
    }
    if ((rc = check_rule(db, q, r, e))) return rc;
    /* documents the rule requires (the registration is checked below) */
    char req[sizeof r->required];
    str_copy(req, r->required, sizeof req);
    int needs_plant = 0;
    for (char *save, *d = strtok_r(req, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
        if (strcmp(d, "plant-registration") == 0) {
            needs_plant = 1;
            continue;
        }
        if (!q->docs || !str_list_has(q->docs, d))
            reasons_add(&r->why, TF("missing document: %s (required by rule %lld)"), d,
                        (long long)r->rule_id);
    }
    if (q->plant && *q->plant) {
        if (have_plant)
            check_plant(q, &p, r);
        else
            reasons_add(&r->why, TF("establishment %s is not in the register (unregistered plant)"),
                        q->plant);
    } else if (needs_plant) {
        reasons_add(&r->why,
                    TF("a registered establishment is required (rule %lld): none was given"),
                    (long long)r->rule_id);
    }
    r->allowed = r->why.n == 0;
    return 0;
}

struct table *access_result_table(const struct access_query *q, const struct access_result *r)
{
    char title[400];
    const char *outcome = r->allowed ? T("ALLOWED") : T("REFUSED");
    if (*r->region)
        snprintf(title, sizeof title, TF("Access check: HS %s from %s region %s to %s on %s: %s"),
                 q->hs, q->exporter, r->region, q->importer, r->date, outcome);
    else
        snprintf(title, sizeof title, TF("Access check: HS %s from %s to %s on %s: %s"), q->hs,
                 q->exporter, q->importer, r->date, outcome);
    struct table *t = table_new("access_check", title);
    table_col(t, "outcome", COL_TEXT, NULL, 0);
    table_col(t, "reason", COL_TEXT, NULL, 0);
    if (r->allowed) {
        size_t row = table_add_row(t);
        table_set_text(t, row, 0, "allowed");
        table_set_text(t, row, 1, T("every requirement in force on the date is met"));
    }
    for (int i = 0; i < r->why.n; i++) {
        size_t row = table_add_row(t);
        table_set_text(t, row, 0, "refused");
        table_set_text(t, row, 1, r->why.r[i]);
    }
    table_note(t, TF("Applicable: %s."), r->rule);
    if (r->region_from_plant)
        table_note(t,
                   TF("Region %s was taken from establishment %s's registration (none was "
                      "declared)."),
                   r->region, q->plant);
    if (r->required[0]) table_note(t, TF("Required documents: %s."), r->required);
    return t;
}
