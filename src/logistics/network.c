/* network.c — the corridor as a network: recording places, projects, links
 * (a capacity step is a further row of the same link from its opening date)
 * and demand, each by its natural key so that a file imported again changes
 * nothing; the import of any of them by name; and listing them. Writes run
 * inside the dispatcher's transaction. */
#include "logistics.h"

#include "../agreements/agreements.h"
#include "../trade/trade.h"
#include "../ops/ops.h"

#include <string.h>

/* 1 if the node exists; 0 with e naming field otherwise (or an error). */
static int need_node(struct op_call *c, const char *code, const char *field, struct err *e)
{
    int rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM lgx_node WHERE code = ?1", "t", code);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no place '%s' in the network (import the nodes first)", code);
        return err_field(e, field);
    }
    return rc < 0 ? rc : 0;
}

int lgx_node_add(struct op_call *c, struct err *e)
{
    str_copy(c->id, op_s(c, "code"), sizeof c->id);
    op_done(c, "place %s recorded", op_s(c, "code"));
    return db_run(c->db, e,
                  "INSERT INTO lgx_node(code, name, country, region, kind, source) VALUES (?1, ?2, "
                  "?3, ?4, ?5, coalesce(?6, '')) ON CONFLICT(code) DO UPDATE SET name = ?2, "
                  "country = ?3, region = ?4, kind = ?5, source = coalesce(?6, '')",
                  "tttttt", op_s(c, "code"), op_s(c, "name"), op_s(c, "country"),
                  op_s(c, "region"), op_s(c, "kind"), op_s(c, "source"));
}

int lgx_project_add(struct op_call *c, struct err *e)
{
    str_copy(c->id, op_s(c, "name"), sizeof c->id);
    op_done(c, "project %s recorded, opening %s", op_s(c, "name"), op_s(c, "opens"));
    int64_t cost = op_i(c, "cost_usd");
    return db_run(c->db, e,
                  "INSERT INTO lgx_project(name, status, cost_usd, opens, source) VALUES (?1, ?2, "
                  "?3, ?4, coalesce(?5, '')) ON CONFLICT(name) DO UPDATE SET status = ?2, "
                  "cost_usd = ?3, opens = ?4, source = coalesce(?5, '')",
                  "ttptt", op_s(c, "name"), op_s(c, "status"),
                  op_has(c, "cost_usd") ? &cost : NULL, op_s(c, "opens"), op_s(c, "source"));
}

static int link_checks(struct op_call *c, struct err *e)
{
    int rc = need_node(c, op_s(c, "from"), "from", e);
    if (!rc) rc = need_node(c, op_s(c, "to"), "to", e);
    if (rc) return rc;
    if (strcmp(op_s(c, "from"), op_s(c, "to")) == 0) {
        err_set(e, ERR_INPUT, "a link joins two different places");
        return err_field(e, "to");
    }
    if (op_has(c, "opens") && op_has(c, "closes") && op_i(c, "closes") <= op_i(c, "opens")) {
        err_set(e, ERR_INPUT, "the link closes (%s) before it opens (%s)", op_s(c, "closes"),
                op_s(c, "opens"));
        return err_field(e, "closes");
    }
    const char *x = op_s(c, "crossing");
    if (x) {
        rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM crossing WHERE code = ?1", "t", x);
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND,
                    "unknown border crossing '%s' (ALAKOL, ALTYNKOL, BAKHTY, DOSTYK-RAIL, "
                    "KOLZHAT, MAIKAPCHAGAI, NURZHOLY)",
                    x);
            return err_field(e, "crossing");
        }
        if (rc < 0) return rc;
    }
    const char *p = op_s(c, "project");
    if (p) {
        rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM lgx_project WHERE name = ?1", "t", p);
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND, "no project '%s' (import the projects first)", p);
            return err_field(e, "project");
        }
        if (rc < 0) return rc;
    }
    return 0;
}

/* A further row of a link (a capacity step) keeps its ends, mode and
 * crossing: a different route is a link of its own. */
static int same_route(struct op_call *c, struct err *e)
{
    char other[400];
    int rc = db_lookup(c->db, e, other, sizeof other,
                       "SELECT from_node || ' to ' || to_node || ' by ' || mode || CASE WHEN "
                       "coalesce(crossing, '') = '' THEN '' ELSE ' across ' || crossing END "
                       "FROM lgx_link WHERE code = ?1 AND opens <> coalesce(?2, '') AND "
                       "(from_node <> ?3 OR to_node <> ?4 OR mode <> ?5 OR coalesce(crossing, "
                       "'') <> coalesce(?6, '')) LIMIT 1",
                       "tttttt", op_s(c, "code"), op_s(c, "opens"), op_s(c, "from"),
                       op_s(c, "to"), op_s(c, "mode"), op_s(c, "crossing"));
    if (rc < 0) return rc;
    if (rc == 0) return 0;
    err_set(e, ERR_INPUT,
            "link %s runs from %s: a capacity step keeps its ends, mode and crossing (give a "
            "different route a code of its own)",
            op_s(c, "code"), other);
    return err_field(e, "from");
}

int lgx_link_add(struct op_call *c, struct err *e)
{
    int rc = link_checks(c, e);
    if (!rc) rc = same_route(c, e);
    if (rc) return rc;
    str_copy(c->id, op_s(c, "code"), sizeof c->id);
    op_done(c, "link %s recorded%s%s", op_s(c, "code"), op_has(c, "opens") ? " from " : "",
            op_has(c, "opens") ? op_s(c, "opens") : "");
    double km = (double)op_i(c, "length_km") / 1e6;
    char kms[32];
    snprintf(kms, sizeof kms, "%.6f", km);
    return db_run(
        c->db, e,
        "INSERT INTO lgx_link(code, from_node, to_node, mode, crossing, length_km, capacity_t, "
        "cost_usd_t, opens, closes, project, source) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS REAL), "
        "?7, ?8, coalesce(?9, ''), coalesce(?10, ''), ?11, coalesce(?12, '')) "
        "ON CONFLICT(code, opens) DO UPDATE SET from_node = ?2, to_node = ?3, mode = ?4, "
        "crossing = ?5, length_km = CAST(?6 AS REAL), capacity_t = ?7, cost_usd_t = ?8, "
        "closes = coalesce(?10, ''), project = ?11, source = coalesce(?12, '')",
        "ttttttiitttt", op_s(c, "code"), op_s(c, "from"), op_s(c, "to"), op_s(c, "mode"),
        op_s(c, "crossing"), kms, op_i(c, "capacity_t_year"), op_i(c, "cost_usd_t"),
        op_s(c, "opens"), op_s(c, "closes"), op_s(c, "project"), op_s(c, "source"));
}

/* The origin and destination of a demand: places of the network, and not
 * the same one. */
static int need_route(struct op_call *c, struct err *e)
{
    int rc = need_node(c, op_s(c, "origin"), "origin", e);
    if (!rc) rc = need_node(c, op_s(c, "destination"), "destination", e);
    if (!rc && strcmp(op_s(c, "origin"), op_s(c, "destination")) == 0) {
        err_set(e, ERR_INPUT, "freight goes from one place to another");
        rc = err_field(e, "destination");
    }
    return rc;
}

int lgx_demand_add(struct op_call *c, struct err *e)
{
    int rc = need_route(c, e);
    if (rc) return rc;
    snprintf(c->id, sizeof c->id, "%s %s-%s %s", op_s(c, "year"), op_s(c, "origin"),
             op_s(c, "destination"), op_s(c, "commodity"));
    op_done(c, "demand %s recorded", c->id);
    return db_run(c->db, e,
                  "INSERT INTO lgx_demand(year, origin, destination, commodity, tonnes, source) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, '')) ON CONFLICT(year, origin, "
                  "destination, commodity) DO UPDATE SET tonnes = ?5, source = coalesce(?6, '')",
                  "itttit", op_i(c, "year"), op_s(c, "origin"), op_s(c, "destination"),
                  op_s(c, "commodity"), op_i(c, "tonnes"), op_s(c, "source"));
}

/* Demand from a supply agreement: its annual cap in tonnes, as the terms in
 * force in the middle of the year set it, between two places. */
int lgx_demand_from_agreement(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "agreement");
    int64_t id;
    struct agr_terms t;
    char mid[16];
    snprintf(mid, sizeof mid, "%04d-07-01", (int)op_i(c, "year") % 10000);
    int rc = agr_find(c->db, code, &id, e);
    if (!rc) rc = agr_terms_at(c->db, id, mid, &t, e);
    if (rc) return err_field(e, "agreement");
    if (!t.has_cap_g) {
        err_set(e, ERR_INPUT, "agreement %s has no cap in tonnes on %s", code, mid);
        return err_field(e, "agreement");
    }
    rc = need_route(c, e);
    if (rc) return rc;
    char commodity[600], source[200];
    snprintf(commodity, sizeof commodity, "HS %s (agreement %s)", t.hs_scope, code);
    snprintf(source, sizeof source, "the annual cap of agreement %s in force on %s (terms version %d)",
             code, mid, t.version);
    int64_t tonnes = t.cap_g / 1000000;
    snprintf(c->id, sizeof c->id, "%s %s-%s %s", op_s(c, "year"), op_s(c, "origin"),
             op_s(c, "destination"), code);
    op_done(c, "demand of %lld t a year from agreement %s recorded for %s", (long long)tonnes, code,
            op_s(c, "year"));
    return db_run(c->db, e,
                  "INSERT INTO lgx_demand(year, origin, destination, commodity, tonnes, source) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(year, origin, destination, "
                  "commodity) DO UPDATE SET tonnes = ?5, source = ?6",
                  "itttit", op_i(c, "year"), op_s(c, "origin"), op_s(c, "destination"), commodity,
                  tonnes, source);
}

/* Demand from trade statistics: the net weight the trade reports under HS
 * lines in a year (the counting rules of the trade reports), scaled, between
 * two places. A line without trade, a part year or a row without a weight is
 * refused: a demand is never read from a gap as zero. */
int lgx_demand_from_trade(struct op_call *c, struct err *e)
{
    int year = (int)op_i(c, "year");
    struct trade_weight_query q = {op_s(c, "reporter"), op_s(c, "partner"), op_s(c, "flow"),
                                   op_s(c, "hs"),
                                   op_has(c, "trade_year") ? (int)op_i(c, "trade_year") : year};
    int rc = need_route(c, e);
    if (rc) return rc;
    int64_t grams;
    char cites[1200], commodity[200], source[1600];
    if (trade_weight_hs(c->db, &q, &grams, cites, sizeof cites, e)) return err_field(e, "hs");
    /* tonnes = grams x millionths of a percent / (10^6 g x 10^6 x 100), rounded */
    __int128 scaled = (__int128)grams * op_i(c, "scale_pct");
    int64_t tonnes = (int64_t)((scaled + (__int128)50000000000000) / (__int128)100000000000000);
    if (tonnes > 2000000000) {
        err_set(e, ERR_LIMIT, "%lld t is more than the 2000000000 t a demand row holds",
                (long long)tonnes);
        return err_field(e, "scale_pct");
    }
    if (op_has(c, "commodity"))
        str_copy(commodity, op_s(c, "commodity"), sizeof commodity);
    else
        snprintf(commodity, sizeof commodity, "HS %s (%s %s %s)", q.hs_lines, q.reporter,
                 strcmp(q.flow, "X") == 0 ? "exports to" : "imports from", q.partner);
    if (strlen(commodity) > 100) { /* the name is the demand's key: never cut */
        err_set(e, ERR_INPUT, "the HS lines are too many to name the demand by them: name it "
                              "with --commodity (at most 100 bytes)");
        return err_field(e, "commodity");
    }
    snprintf(source, sizeof source, "net weight of %s %s %s under HS %s in %d x %s%%: %s",
             q.reporter, strcmp(q.flow, "X") == 0 ? "exports to" : "imports from", q.partner,
             q.hs_lines, q.year, op_s(c, "scale_pct"), cites);
    snprintf(c->id, sizeof c->id, "%d %.30s-%.30s %.60s", year, op_s(c, "origin"), op_s(c, "destination"),
             commodity);
    op_done(c, "demand of %lld t recorded for %d (net weight of %d trade under HS %s)",
            (long long)tonnes, year, q.year, q.hs_lines);
    return db_run(c->db, e,
                  "INSERT INTO lgx_demand(year, origin, destination, commodity, tonnes, source) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(year, origin, destination, "
                  "commodity) DO UPDATE SET tonnes = ?5, source = ?6",
                  "itttit", (int64_t)year, op_s(c, "origin"), op_s(c, "destination"), commodity,
                  tonnes, source);
}

/* logistics import WHAT FILE: the CSV import of the record operation WHAT
 * names, in the import's own transaction. */
int lgx_import(struct op_call *c, struct err *e)
{
    static const char *const what[][2] = {
        {"nodes", "node-add"}, {"projects", "project-add"}, {"links", "link-add"},
        {"demand", "demand-add"}};
    const char *verb = NULL;
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++)
        if (strcmp(op_s(c, "what"), what[i][0]) == 0) verb = what[i][1];
    const struct op_cmd *cmd = verb ? op_find("logistics", verb) : NULL;
    if (!cmd) return err_set(e, ERR_INTERNAL, "no operation for %s", op_s(c, "what"));
    struct op_call a;
    op_call_init(&a, cmd->op);
    a.db = c->db;
    a.ref = c->ref;
    a.rejects = c->rejects;
    a.max_rejects = c->max_rejects;
    a.max_row_bytes = c->max_row_bytes;
    a.progress = c->progress;
    struct csv_src src = op_input(c);
    int rc = op_import(&a, &src, e);
    if (!rc) {
        str_copy(c->done, a.done, sizeof c->done);
        static const char *const stats[] = {"read", "stored", "rejected"};
        for (size_t i = 0; i < 3; i++)
            op_stat(c, stats[i], op_stat_get(&a, stats[i]));
        str_copy(c->id, src.label ? src.label : src.path, sizeof c->id);
    }
    op_call_free(&a);
    return rc;
}

/* ---- listing ---- */

int lgx_node_table(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("nodes", N_("Places of the network"));
    static const char *const cols[] = {"code", "name", "country", "region", "kind", "source"};
    for (size_t i = 0; i < 6; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT code, name, country, region, kind, source FROM lgx_node ORDER BY code",
                     NULL);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_empty(t, N_("nothing recorded"));
    *out = t;
    return 0;
}

static int list(struct op_call *c, const char *name, const char *title, const char *const *cols,
                const enum col_type *types, size_t n, const char *sql, struct err *e)
{
    struct table *t = table_new(name, title);
    for (size_t i = 0; i < n; i++)
        table_col(t, cols[i], types[i], types[i] == COL_MONEY ? "US$" : NULL,
                  types[i] == COL_REAL ? 1 : 0);
    int rc = db_fill(c->db, t, e, sql, NULL);
    table_empty(t, N_("nothing recorded"));
    return op_give(c, rc, &t);
}

int lgx_nodes(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, lgx_node_table(c->db, &t, e), &t);
}

int lgx_links(struct op_call *c, struct err *e)
{
    static const char *const cols[] = {"code",       "from",  "to",     "mode",    "crossing",
                                       "length_km",  "capacity_t_year", "cost_usd_t", "opens",
                                       "closes",     "project", "source"};
    static const enum col_type ty[] = {COL_TEXT, COL_TEXT,  COL_TEXT,  COL_TEXT,
                                       COL_TEXT, COL_REAL,  COL_INT,   COL_MONEY,
                                       COL_TEXT, COL_TEXT,  COL_TEXT,  COL_TEXT};
    return list(c, "links", "Links of the network (a capacity step is a further row)", cols, ty,
                12,
                "SELECT code, from_node, to_node, mode, crossing, length_km, capacity_t, "
                "cost_usd_t, opens, closes, project, source FROM lgx_link ORDER BY code, opens",
                e);
}

int lgx_demand_list(struct op_call *c, struct err *e)
{
    static const char *const cols[] = {"year",   "origin", "destination",
                                       "commodity", "tonnes", "source"};
    static const enum col_type ty[] = {COL_INT, COL_TEXT, COL_TEXT, COL_TEXT, COL_INT, COL_TEXT};
    return list(c, "demand", "Freight demand", cols, ty, 6,
                "SELECT year, origin, destination, commodity, tonnes, source FROM lgx_demand "
                "ORDER BY year, origin, destination, commodity",
                e);
}

int lgx_projects(struct op_call *c, struct err *e)
{
    static const char *const cols[] = {"name", "status", "cost_usd", "opens", "source"};
    static const enum col_type ty[] = {COL_TEXT, COL_TEXT, COL_MONEY, COL_TEXT, COL_TEXT};
    return list(c, "projects", "Infrastructure projects", cols, ty, 5,
                "SELECT name, status, cost_usd, opens, source FROM lgx_project ORDER BY opens, "
                "name",
                e);
}
