/* api.c — the JSON API handlers: each reads its query or body, calls the
 * area's function and sends the table (JSON or CSV) it returns, or an error
 * naming the field at fault. */
#include "http.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(struct req *r, struct err *e, const char *field)
{
    if (field && !e->field[0]) err_at(e, NULL, 0, 0, field);
    return http_send_error(r, e);
}

/* Resolves a country argument; *out stays NULL when absent and optional. */
static int country_arg(struct req *r, const char *name, int required, const char **out,
                       struct err *e)
{
    const char *v = http_arg(r, name);
    *out = NULL;
    if (!v) {
        if (!required) return 0;
        err_at(e, NULL, 0, 0, name);
        return err_set(e, ERR_USAGE, "%s is required", name);
    }
    const struct country *c = ref_country(r->ref, v, e);
    if (!c) {
        err_at(e, NULL, 0, 0, name);
        return ERR_USAGE;
    }
    *out = c->code3;
    return 0;
}

static int int_arg(struct req *r, const char *name, long min, long max, long dflt, long *out,
                   struct err *e)
{
    const char *v = http_arg(r, name);
    *out = dflt;
    if (v && int_parse(v, min, max, out, e)) {
        err_at(e, NULL, 0, 0, name);
        return ERR_USAGE;
    }
    return 0;
}

static int date_arg(struct req *r, const char *name, const char **out, struct err *e)
{
    *out = http_arg(r, name);
    return date_check(*out, ERR_USAGE, name, e);
}

static const char *suffix(struct req *r)
{
    const char *s = strrchr(r->path, '/');
    return s ? s + 1 : r->path;
}

int api_health(struct req *r, struct err *e)
{
    (void)e;
    char json[128];
    snprintf(json, sizeof json, "{\"status\":\"ok\",\"version\":\"%s\",\"schema\":%d}",
             CORRIDOR_VERSION, db_schema_version(r->db));
    return http_send_json(r, 200, json);
}

int api_openapi(struct req *r, struct err *e)
{
    (void)e;
    buf_reset(&r->out);
    http_openapi(&r->out);
    r->status = 200;
    r->ctype = "application/json";
    r->cacheable = 1;
    return 0;
}

int api_trade_report(struct req *r, struct err *e)
{
    struct trade_query q = {0};
    long v;
    const char *what = suffix(r);
    int rc = 0;
    if (strcmp(what, "mirror") == 0) {
        rc = country_arg(r, "a", 1, &q.reporter, e);
        if (!rc) rc = country_arg(r, "b", 1, &q.partner, e);
    } else if (strcmp(what, "regions") == 0) {
        rc = country_arg(r, "reporter_country", 1, &q.region_country, e);
        if (!rc) rc = country_arg(r, "partner", 1, &q.partner, e);
    } else {
        rc = country_arg(r, "reporter", 1, &q.reporter, e);
        if (!rc) rc = country_arg(r, "partner", strcmp(what, "partners") != 0, &q.partner, e);
    }
    q.source = http_arg(r, "source");
    q.flow = http_arg(r, "flow");
    if (!rc && !(rc = int_arg(r, "year", 1900, 2200, 0, &v, e))) q.year = (int)v;
    if (!rc && !(rc = int_arg(r, "from", 1900, 2200, 0, &v, e))) q.from = (int)v;
    if (!rc && !(rc = int_arg(r, "to", 1900, 2200, 0, &v, e))) q.to = (int)v;
    if (!rc && !(rc = int_arg(r, "top", 1, 100000, 0, &v, e))) q.top = (int)v;
    if (!rc && !(rc = int_arg(r, "years", 1, 20, 3, &v, e))) q.years = (int)v;
    long dflt_level = strcmp(what, "goods") == 0 ? 2 : 0;
    if (!rc && !(rc = int_arg(r, "level", 0, 6, dflt_level, &v, e))) q.level = (int)v;
    if (!rc && q.flow && !str_ieq(q.flow, "X") && !str_ieq(q.flow, "M") &&
        !str_ieq(q.flow, "turnover")) {
        err_at(e, NULL, 0, 0, "flow");
        rc = err_set(e, ERR_USAGE, "flow must be X, M or turnover");
    }
    if (!rc &&
        (strcmp(what, "partners") == 0 || strcmp(what, "regions") == 0 ||
         strcmp(what, "goods") == 0) &&
        !q.year) {
        err_at(e, NULL, 0, 0, "year");
        rc = err_set(e, ERR_USAGE, "year is required");
    }
    if (!rc && strcmp(what, "goods") == 0 && (q.level < 2 || q.level % 2)) {
        err_at(e, NULL, 0, 0, "level");
        rc = err_set(e, ERR_USAGE, "level must be 2, 4 or 6");
    }
    if (!rc && strcmp(what, "mirror") == 0 && q.level != 0 && q.level != 2) {
        err_at(e, NULL, 0, 0, "level");
        rc = err_set(e, ERR_USAGE, "level must be 0 or 2");
    }
    if (rc) return fail(r, e, NULL);
    struct table *t = NULL;
    if (strcmp(what, "totals") == 0)
        rc = trade_totals(r->db, &q, &t, e);
    else if (strcmp(what, "partners") == 0)
        rc = trade_partners(r->db, &q, &t, e);
    else if (strcmp(what, "regions") == 0)
        rc = trade_regions(r->db, &q, &t, e);
    else if (strcmp(what, "goods") == 0)
        rc = trade_goods(r->db, &q, &t, e);
    else if (strcmp(what, "mirror") == 0)
        rc = trade_mirror(r->db, &q, &t, e);
    else
        rc = trade_forecast(r->db, &q, &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_trade_sources(struct req *r, struct err *e)
{
    struct table *t;
    int rc = trade_sources_list(r->db, &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_trade_import(struct req *r, struct err *e)
{
    char tmp[] = "/tmp/corridor-upload-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err_set(e, ERR_IO, "cannot stage the upload");
        return fail(r, e, NULL);
    }
    FILE *f = fdopen(fd, "w");
    int ok = f && fwrite(r->body.p ? r->body.p : "", 1, r->body.len, f) == r->body.len;
    if (f) fclose(f);
    struct trade_import_opts o = {.format = http_arg(r, "format"),
                                  .source = http_arg(r, "source"),
                                  .breakdown = http_arg(r, "breakdown") != NULL,
                                  .dry_run = http_arg(r, "dry_run") != NULL};
    struct trade_import_stats s;
    int rc = ok ? trade_import_file(r->db, r->ref, tmp, &o, &s, e)
                : err_set(e, ERR_IO, "cannot stage the upload");
    unlink(tmp);
    if (rc) {
        if (e->file[0]) str_copy(e->file, "body", sizeof e->file);
        return fail(r, e, NULL);
    }
    char json[512];
    snprintf(json, sizeof json,
             "{\"format\":\"%s\",\"dry_run\":%s,\"read\":%llu,\"stored\":%llu,\"new\":%llu,"
             "\"revised\":%llu,\"duplicates\":%llu,\"breakdown_dropped\":%llu}",
             s.format, o.dry_run ? "true" : "false", (unsigned long long)s.read,
             (unsigned long long)s.kept, (unsigned long long)s.inserted,
             (unsigned long long)s.revised, (unsigned long long)s.duplicates,
             (unsigned long long)s.breakdown_dropped);
    return http_send_json(r, o.dry_run ? 200 : 201, json);
}

/* ---- records: the same specs and insert functions as the CLI ---- */

static const struct {
    const char *path;
    const struct rec_field *spec;
    const size_t *n;
    db_record_fn fn;
} writable[] = {
    {"/api/v1/parties", agr_party_spec, &agr_party_nspec, agr_party_insert},
    {"/api/v1/agreements", agr_spec, &agr_nspec, agr_insert},
    {"/api/v1/access/rules", access_rule_spec, &access_rule_nspec, access_rule_insert},
    {"/api/v1/access/plants", access_plant_spec, &access_plant_nspec, access_plant_insert},
    {"/api/v1/access/barriers", access_barrier_spec, &access_barrier_nspec, access_barrier_insert},
};

static const char *field_get(void *ctx, const char *name)
{
    return http_field(ctx, name);
}

/* Parses the JSON body into v through spec and runs fn in one write
 * transaction. */
static int write_record(struct req *r, const struct rec_field *spec, size_t n, db_record_fn fn,
                        void *ctx, struct rec_value *v, struct err *e)
{
    int rc = rec_parse(spec, n, field_get, r, v, e);
    if (!rc) rc = db_begin(r->db, e);
    if (!rc) rc = fn(r->db, v, ctx, e);
    if (!rc) rc = db_commit(r->db, e);
    if (rc) db_rollback(r->db);
    return rc;
}

int api_record_add(struct req *r, struct err *e)
{
    for (size_t i = 0; i < sizeof writable / sizeof writable[0]; i++) {
        if (strcmp(writable[i].path, r->path) != 0) continue;
        struct rec_value *v = xcalloc(*writable[i].n, sizeof *v);
        int rc = write_record(r, writable[i].spec, *writable[i].n, writable[i].fn, r->ref, v, e);
        if (!rc) {
            json_t *o = json_pack("{s:s}", "created", v[0].s);
            char *s = json_dumps(o, JSON_COMPACT);
            http_send_json(r, 201, s);
            free(s);
            json_decref(o);
        }
        free(v);
        return rc ? fail(r, e, NULL) : 0;
    }
    err_set(e, ERR_NOTFOUND, "no such collection");
    return fail(r, e, NULL);
}

int api_list(struct req *r, struct err *e)
{
    struct table *t = NULL;
    const char *a, *b, *d;
    int rc;
    if (strcmp(r->path, "/api/v1/parties") == 0) {
        rc = country_arg(r, "country", 0, &a, e);
        if (!rc) rc = agr_party_list(r->db, a, &t, e);
    } else if (strcmp(r->path, "/api/v1/agreements") == 0) {
        rc = date_arg(r, "date", &d, e);
        if (!rc) rc = agr_list(r->db, d, &t, e);
    } else if (strcmp(r->path, "/api/v1/access/rules") == 0) {
        rc = country_arg(r, "from", 0, &a, e);
        if (!rc) rc = country_arg(r, "to", 0, &b, e);
        if (!rc) rc = date_arg(r, "date", &d, e);
        if (!rc) rc = access_rules_list(r->db, http_arg(r, "hs"), a, b, d, &t, e);
    } else if (strcmp(r->path, "/api/v1/access/plants") == 0) {
        rc = country_arg(r, "country", 0, &a, e);
        if (!rc) rc = date_arg(r, "date", &d, e);
        if (!rc) rc = access_plants_list(r->db, a, d, &t, e);
    } else if (strcmp(r->path, "/api/v1/access/barriers") == 0) {
        rc = access_barriers_list(r->db, http_arg(r, "status"), &t, e);
    } else {
        struct ship_filter f = {
            http_arg(r, "agreement"), http_arg(r, "status"), http_arg(r, "crossing"), NULL, NULL,
            http_arg(r, "hs")};
        rc = date_arg(r, "from", &f.from, e);
        if (!rc) rc = date_arg(r, "to", &f.to, e);
        if (!rc) rc = ship_list(r->db, &f, &t, e);
    }
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_party_show(struct req *r, struct err *e)
{
    struct table *t;
    int rc = agr_party_show(r->db, r->params[0], &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_agreement_show(struct req *r, struct err *e)
{
    struct table *t;
    int rc = agr_show(r->db, r->params[0], &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

static int amend(struct db *db, const struct rec_value *v, void *code, struct err *e)
{
    return agr_amend(db, code, v, e);
}

int api_agreement_amend(struct req *r, struct err *e)
{
    struct rec_value v[16];
    int rc = write_record(r, agr_amend_spec, agr_amend_nspec, amend, (void *)r->params[0], v, e);
    if (rc) return fail(r, e, NULL);
    return http_send_json(r, 201, "{\"amended\":true}");
}

int api_fulfilment(struct req *r, struct err *e)
{
    struct table *t;
    const char *d;
    int rc = date_arg(r, "date", &d, e);
    if (!rc) rc = ship_fulfilment(r->db, http_arg(r, "agreement"), http_arg(r, "period"), d, &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_access_check(struct req *r, struct err *e)
{
    const char *from, *to, *region = NULL, *hs = http_arg(r, "hs");
    int rc = country_arg(r, "from", 1, &from, e);
    if (!rc) rc = country_arg(r, "to", 1, &to, e);
    if (!rc && !hs) {
        err_at(e, NULL, 0, 0, "hs");
        rc = err_set(e, ERR_USAGE, "hs is required");
    }
    if (!rc && http_arg(r, "region")) {
        const struct region *g = ref_region(r->ref, http_arg(r, "region"), e);
        if (g)
            region = g->code;
        else
            rc = ERR_USAGE, err_at(e, NULL, 0, 0, "region");
    }
    if (rc) return fail(r, e, NULL);
    struct access_query q = {
        hs, from, region, to, http_arg(r, "plant"), http_arg(r, "docs"), http_arg(r, "date")};
    struct access_result res;
    if ((rc = access_check(r->db, &q, &res, e))) {
        if (!strncmp(e->field, "--", 2)) memmove(e->field, e->field + 2, strlen(e->field) - 1);
        return fail(r, e, NULL);
    }
    json_t *reasons = json_array();
    for (int i = 0; i < res.nreasons; i++)
        json_array_append_new(reasons, json_string(res.reasons[i]));
    json_t *o = json_pack("{s:b,s:s,s:s,s:s,s:o}", "allowed", res.allowed, "date", res.date, "rule",
                          res.rule, "required", res.required, "reasons", reasons);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    http_send_json(r, 200, s);
    r->cacheable = 1;
    free(s);
    json_decref(o);
    return 0;
}

int api_plant_status(struct req *r, struct err *e)
{
    const char *status = http_field(r, "status");
    if (!status) {
        err_at(e, NULL, 0, 0, "status");
        err_set(e, ERR_USAGE, "status is required");
        return fail(r, e, NULL);
    }
    int rc = access_plant_set_status(r->db, r->params[0], status, e);
    if (rc) {
        if (!strcmp(e->field, "--status")) str_copy(e->field, "status", sizeof e->field);
        return fail(r, e, NULL);
    }
    return http_send_json(r, 200, "{\"updated\":true}");
}

int api_shipment_declare(struct req *r, struct err *e)
{
    struct rec_value v[24];
    struct ship_decision d;
    int rc = rec_parse(ship_spec, ship_nspec, field_get, r, v, e);
    if (!rc) rc = db_begin(r->db, e);
    if (!rc) rc = ship_declare(r->db, r->ref, v, &d, e);
    if (!rc) rc = db_commit(r->db, e);
    if (rc) db_rollback(r->db);
    if (rc == ERR_REFUSED) {
        json_t *reasons = json_array();
        for (int i = 0; i < d.nreasons; i++)
            json_array_append_new(reasons, json_string(d.reasons[i]));
        json_t *o = json_pack("{s:{s:s,s:s,s:n,s:o}}", "error", "code", "refused", "message",
                              e->msg, "field", "reasons", reasons);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        http_send_json(r, 422, s);
        free(s);
        json_decref(o);
        return 0;
    }
    if (rc) return fail(r, e, NULL);
    json_t *o = json_pack("{s:s}", "declared", v[0].s);
    char *s = json_dumps(o, JSON_COMPACT);
    http_send_json(r, 201, s);
    free(s);
    json_decref(o);
    return 0;
}

int api_shipment_show(struct req *r, struct err *e)
{
    struct table *t;
    int rc = ship_show(r->db, r->params[0], &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

/* The reference comes from the path, the rest from the body. */
static const char *event_get(void *ctx, const char *name)
{
    struct req *r = ctx;
    return strcmp(name, "reference") == 0 ? r->params[0] : http_field(r, name);
}

int api_shipment_event(struct req *r, struct err *e)
{
    struct rec_value v[8];
    int rc = rec_parse(ship_event_spec, ship_event_nspec, event_get, r, v, e);
    if (!rc) rc = db_begin(r->db, e);
    if (!rc) rc = ship_event_record(r->db, v, NULL, e);
    if (!rc) rc = db_commit(r->db, e);
    if (rc) {
        db_rollback(r->db);
        return fail(r, e, NULL);
    }
    return http_send_json(r, 201, "{\"recorded\":true}");
}

int api_crossing_times(struct req *r, struct err *e)
{
    struct ship_filter f = {0};
    struct table *t;
    f.crossing = http_arg(r, "crossing");
    int rc = date_arg(r, "from", &f.from, e);
    if (!rc) rc = date_arg(r, "to", &f.to, e);
    if (!rc) rc = ship_crossing_times(r->db, &f, &t, e);
    return rc ? fail(r, e, NULL) : http_send_table(r, t, e);
}

int api_audit(struct req *r, struct err *e)
{
    long limit;
    struct table *t;
    int rc = int_arg(r, "limit", 1, 10000, 100, &limit, e);
    if (!rc) rc = db_audit_list(r->db, http_arg(r, "entity"), (int)limit, &t, e);
    if (rc) return fail(r, e, NULL);
    rc = http_send_table(r, t, e);
    r->cacheable = 0;
    return rc;
}
