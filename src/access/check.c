/* check.c — access_check(): can this product go from here to there on this
 * date? It finds the most specific rule in force (a rule for the exporting
 * region before one for the whole country, a longer HS prefix before a
 * shorter one, the latest before the older), then checks the rule's status,
 * the documents it requires and, where a registered establishment is needed
 * or named, the establishment register, and lists every reason it finds. */
#include "access.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void add_reason(struct access_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add_reason(struct access_result *r, const char *fmt, ...)
{
    if (r->nreasons >= ACCESS_MAX_REASONS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reasons[r->nreasons++], sizeof r->reasons[0], fmt, ap);
    va_end(ap);
}

/* 1 if the comma-separated list has the item. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, item, n) == 0) return 1;
        p += k;
        if (*p) p++;
    }
    return 0;
}

static int scope_covers(const char *scope, const char *hs)
{
    for (const char *p = scope; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k && strncmp(hs, p, k) == 0) return 1;
        p += k;
        if (*p) p++;
    }
    return 0;
}

static void check_plant(struct db *db, const struct access_query *q, struct access_result *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT name, country, coalesce(region, ''), hs_scope, importer, "
                           "valid_from, valid_to, status FROM establishment "
                           "WHERE registration = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    db_bind_text(st, 1, q->plant);
    if (sqlite3_step(st) != SQLITE_ROW) {
        add_reason(r, "establishment %s is not in the register (unregistered plant)", q->plant);
        sqlite3_finalize(st);
        return;
    }
    const char *name = (const char *)sqlite3_column_text(st, 0);
    const char *country = (const char *)sqlite3_column_text(st, 1);
    const char *region = (const char *)sqlite3_column_text(st, 2);
    const char *scope = (const char *)sqlite3_column_text(st, 3);
    const char *importer = (const char *)sqlite3_column_text(st, 4);
    const char *from = (const char *)sqlite3_column_text(st, 5);
    const char *to = (const char *)sqlite3_column_text(st, 6);
    const char *status = (const char *)sqlite3_column_text(st, 7);
    if (strcmp(importer, q->importer) != 0)
        add_reason(r, "establishment %s (%s) is registered with %s, not with %s", q->plant, name,
                   importer, q->importer);
    if (strcmp(country, q->exporter) != 0)
        add_reason(r, "establishment %s (%s) is in %s, not in the exporting country %s", q->plant,
                   name, country, q->exporter);
    if (q->region && *region && strcmp(region, q->region) != 0)
        add_reason(r, "establishment %s (%s) is in region %s, not in the declared region %s",
                   q->plant, name, region, q->region);
    if (!scope_covers(scope, q->hs))
        add_reason(r, "establishment %s (%s) is registered for HS %s, which does not cover %s",
                   q->plant, name, scope, q->hs);
    if (strcmp(status, "suspended") == 0)
        add_reason(r, "establishment %s (%s) is suspended", q->plant, name);
    else if (strcmp(status, "expired") == 0 || strcmp(to, r->date) <= 0)
        add_reason(r, "the registration of establishment %s (%s) expired on %s", q->plant, name,
                   to);
    else if (strcmp(from, r->date) > 0)
        add_reason(r, "the registration of establishment %s (%s) is valid only from %s", q->plant,
                   name, from);
    sqlite3_finalize(st);
}

int access_check(struct db *db, const struct access_query *q, struct access_result *r,
                 struct err *e)
{
    memset(r, 0, sizeof *r);
    if (q->date) {
        int rc = date_check(q->date, ERR_INPUT, "--date", e);
        if (rc) return rc;
        str_copy(r->date, q->date, sizeof r->date);
    } else {
        date_today(r->date);
    }
    if (!ref_hs_valid(q->hs) || strcmp(q->hs, "TOTAL") == 0) {
        err_at(e, NULL, 0, 0, "--hs");
        return err_set(e, ERR_INPUT, "'%s' is not an HS code (2 to 10 digits)", q->hs);
    }
    /* the most specific rule in force */
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT id, status, documents, legal_basis, effective_from, "
                        "coalesce(effective_to, ''), hs_prefix, exporter_region, source "
                        "FROM access_rule WHERE exporter = ?1 AND importer = ?2 "
                        "AND ?3 LIKE hs_prefix || '%' AND effective_from <= ?4 "
                        "AND (effective_to IS NULL OR effective_to > ?4) "
                        "AND (exporter_region = '' OR exporter_region = ?5) "
                        "ORDER BY exporter_region <> '' DESC, length(hs_prefix) DESC, "
                        "effective_from DESC, id DESC LIMIT 1",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, q->exporter);
    db_bind_text(st, 2, q->importer);
    db_bind_text(st, 3, q->hs);
    db_bind_text(st, 4, r->date);
    db_bind_text(st, 5, q->region ? q->region : "");
    char status[16] = "", region[16] = "", prefix[16] = "";
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->rule_id = sqlite3_column_int64(st, 0);
        db_col_text(st, 1, status, sizeof status);
        db_col_text(st, 2, r->required, sizeof r->required);
        db_col_text(st, 6, prefix, sizeof prefix);
        db_col_text(st, 7, region, sizeof region);
        snprintf(r->rule, sizeof r->rule, "rule %lld: HS %s from %s%s%s to %s, %s since %s%s%s%s%s",
                 (long long)r->rule_id, prefix, q->exporter, *region ? " region " : "", region,
                 q->importer, status, sqlite3_column_text(st, 4),
                 *sqlite3_column_text(st, 5) ? " until " : "", sqlite3_column_text(st, 5),
                 *sqlite3_column_text(st, 3) ? "; " : "", sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    if (!r->rule_id) {
        snprintf(r->rule, sizeof r->rule,
                 "no market-access rule recorded for HS %s from %s to %s "
                 "on %s: general terms apply",
                 q->hs, q->exporter, q->importer, r->date);
    } else if (strcmp(status, "open") != 0) {
        if (*region)
            add_reason(r, "region excluded: HS %s from %s region %s to %s is %s on %s (rule %lld)",
                       q->hs, q->exporter, region, q->importer, status, r->date,
                       (long long)r->rule_id);
        else
            add_reason(r, "market %s: HS %s from %s to %s is %s on %s (rule %lld)", status, q->hs,
                       q->exporter, q->importer, status, r->date, (long long)r->rule_id);
        /* say where it would be open, so the officer knows what to ask */
        if (!*region &&
            !(rc = db_prepare(db,
                              "SELECT group_concat(exporter_region, ', ') FROM (SELECT DISTINCT "
                              "exporter_region FROM access_rule WHERE exporter = ?1 AND importer = "
                              "?2 AND ?3 LIKE hs_prefix || '%' AND effective_from <= ?4 AND "
                              "(effective_to IS NULL OR effective_to > ?4) AND exporter_region <> "
                              "'' AND status = 'open' ORDER BY exporter_region)",
                              &st, e))) {
            db_bind_text(st, 1, q->exporter);
            db_bind_text(st, 2, q->importer);
            db_bind_text(st, 3, q->hs);
            db_bind_text(st, 4, r->date);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                if (q->region)
                    add_reason(r,
                               "region excluded: %s is not among the regions from which it "
                               "is open (%s)",
                               q->region, sqlite3_column_text(st, 0));
                else
                    add_reason(r, "open only from the regions %s: declare the region of origin",
                               sqlite3_column_text(st, 0));
            }
            sqlite3_finalize(st);
        }
        if (rc) return rc;
    }
    /* documents the rule requires (the registration is checked below) */
    char req[256];
    str_copy(req, r->required, sizeof req);
    int needs_plant = 0;
    for (char *save, *d = strtok_r(req, ",", &save); d; d = strtok_r(NULL, ",", &save)) {
        if (strcmp(d, "plant-registration") == 0) {
            needs_plant = 1;
            continue;
        }
        if (!q->docs || !list_has(q->docs, d))
            add_reason(r, "missing document: %s (required by rule %lld)", d, (long long)r->rule_id);
    }
    if (q->plant && *q->plant)
        check_plant(db, q, r);
    else if (needs_plant)
        add_reason(r, "a registered establishment is required (rule %lld): none was given",
                   (long long)r->rule_id);
    r->allowed = r->nreasons == 0;
    return 0;
}

struct table *access_result_table(const struct access_query *q, const struct access_result *r)
{
    char title[400];
    snprintf(title, sizeof title, "Access check: HS %s from %s%s%s to %s on %s: %s", q->hs,
             q->exporter, q->region ? " region " : "", q->region ? q->region : "", q->importer,
             r->date, r->allowed ? "ALLOWED" : "REFUSED");
    struct table *t = table_new("access_check", title);
    table_col(t, "outcome", COL_TEXT, NULL, 0);
    table_col(t, "reason", COL_TEXT, NULL, 0);
    if (r->allowed) {
        size_t row = table_add_row(t);
        table_set_text(t, row, 0, "allowed");
        table_set_text(t, row, 1, "every requirement in force on the date is met");
    }
    for (int i = 0; i < r->nreasons; i++) {
        size_t row = table_add_row(t);
        table_set_text(t, row, 0, "refused");
        table_set_text(t, row, 1, r->reasons[i]);
    }
    table_note(t, "Applicable: %s.", r->rule);
    if (r->required[0]) table_note(t, "Required documents: %s.", r->required);
    return t;
}
