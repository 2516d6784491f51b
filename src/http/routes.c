/* routes.c — the route table (method, pattern, handler, role needed, and
 * what the OpenAPI document says of it), dispatch with authentication,
 * authorisation and CSRF checks, the request and response helpers, and the
 * OpenAPI 3 document generated from the table. */
#include "http.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const struct route http_routes[] = {
    {"GET", "/healthz", api_health, "public", "Liveness and schema version", "", NULL},
    {"GET", "/api/v1/openapi.json", api_openapi, "public", "This OpenAPI document", "", NULL},
    {"GET", "/api/v1/trade/totals", api_trade_report, "viewer",
     "Exports, imports, turnover, balance and growth per year",
     "reporter partner source from to format limit cursor", NULL},
    {"GET", "/api/v1/trade/partners", api_trade_report, "viewer",
     "Partners ranked by turnover with their share", "reporter year top source format", NULL},
    {"GET", "/api/v1/trade/regions", api_trade_report, "viewer",
     "Sub-national regions' trade and share of the bilateral total",
     "reporter_country partner year source format", NULL},
    {"GET", "/api/v1/trade/goods", api_trade_report, "viewer",
     "Commodity structure with shares and change on the previous year",
     "reporter partner year level top flow source format limit cursor", NULL},
    {"GET", "/api/v1/trade/mirror", api_trade_report, "viewer",
     "Exports (FOB) against the partner's imports (CIF)", "a b from to level source format", NULL},
    {"GET", "/api/v1/trade/forecast", api_trade_report, "viewer",
     "Projection with 80% and 95% intervals", "reporter partner flow years source format", NULL},
    {"GET", "/api/v1/trade/sources", api_trade_sources, "viewer", "Sources of trade figures",
     "format", NULL},
    {"POST", "/api/v1/trade/imports", api_trade_import, "editor:trade",
     "Import a trade statistics CSV (the body); all or nothing", "format source breakdown dry_run",
     "csv"},
    {"GET", "/api/v1/parties", api_list, "viewer", "Organisations", "country format limit cursor",
     NULL},
    {"POST", "/api/v1/parties", api_record_add, "editor:parties", "Record an organisation", "",
     "json"},
    {"GET", "/api/v1/parties/{name}", api_party_show, "viewer", "One organisation's agreements",
     "format", NULL},
    {"GET", "/api/v1/agreements", api_list, "viewer", "Agreements with the terms in force",
     "date format limit cursor", NULL},
    {"POST", "/api/v1/agreements", api_record_add, "editor:agreements", "Record an agreement", "",
     "json"},
    {"GET", "/api/v1/agreements/fulfilment", api_fulfilment, "viewer",
     "Cap, declared, shipped, delivered, remaining, projection and flags",
     "agreement period date format", NULL},
    {"GET", "/api/v1/agreements/{code}", api_agreement_show, "viewer",
     "Every version of an agreement's terms", "format", NULL},
    {"POST", "/api/v1/agreements/{code}/amendments", api_agreement_amend, "editor:agreements",
     "Amend an agreement from a date", "", "json"},
    {"GET", "/api/v1/access/check", api_access_check, "viewer",
     "Can this product go? Every reason for a refusal", "hs from region to plant docs date", NULL},
    {"GET", "/api/v1/access/rules", api_list, "viewer", "Market-access rules",
     "hs from to date format limit cursor", NULL},
    {"POST", "/api/v1/access/rules", api_record_add, "editor:access", "Record a rule", "", "json"},
    {"GET", "/api/v1/access/plants", api_list, "viewer", "Registered establishments",
     "country date format limit cursor", NULL},
    {"POST", "/api/v1/access/plants", api_record_add, "editor:access",
     "Record a registered establishment", "", "json"},
    {"POST", "/api/v1/access/plants/{registration}/status", api_plant_status, "editor:access",
     "Suspend or reinstate an establishment", "", "json"},
    {"GET", "/api/v1/access/barriers", api_list, "viewer",
     "Non-tariff barriers with the trade they affect", "status format limit cursor", NULL},
    {"POST", "/api/v1/access/barriers", api_record_add, "editor:access", "Record a barrier", "",
     "json"},
    {"GET", "/api/v1/shipments", api_list, "viewer", "Consignments",
     "agreement status crossing from to hs format limit cursor", NULL},
    {"POST", "/api/v1/shipments", api_shipment_declare, "editor:shipments",
     "Declare a consignment through the gates (422 with every reason when refused)", "", "json"},
    {"GET", "/api/v1/shipments/crossing-times", api_crossing_times, "viewer",
     "Hours to cross per crossing and month: median and 90th percentile", "crossing from to format",
     NULL},
    {"GET", "/api/v1/shipments/{reference}", api_shipment_show, "viewer",
     "One consignment and its events", "format", NULL},
    {"POST", "/api/v1/shipments/{reference}/events", api_shipment_event, "editor:shipments",
     "Record a lifecycle event, in order", "", "json"},
    {"GET", "/api/v1/audit", api_audit, "admin", "The audit log, newest first",
     "entity limit format", NULL},
    /* the dashboard */
    {"GET", "/", page_overview, "viewer", NULL, "year", NULL},
    {"GET", "/trade", page_trade, "viewer", NULL, "year", NULL},
    {"GET", "/agreements", page_agreements, "viewer", NULL, "date", NULL},
    {"GET", "/access", page_access, "viewer", NULL, "hs from region to plant docs date", NULL},
    {"GET", "/shipments", page_shipments, "viewer", NULL, "agreement status crossing from to",
     NULL},
    {"POST", "/shipments/events", page_event_post, "editor:shipments", NULL, "", "form"},
    {"GET", "/brief", page_brief, "viewer", NULL, "year", NULL},
    {"GET", "/login", page_login, "public", NULL, "", NULL},
    {"POST", "/login", page_login_post, "public", NULL, "", "form"},
    {"POST", "/logout", page_logout, "public", NULL, "", "form"},
    {"GET", "/static/{file}", page_static, "public", NULL, "", NULL},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];

/* ---- matching ---- */

static int match(const char *pattern, const char *path, const char **params, char *store,
                 size_t size)
{
    size_t o = 0;
    int np = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *end = strchr(pattern, '}');
            size_t n = strcspn(path, "/");
            if (!end || n == 0 || np == HTTP_MAX_PARAMS || o + n + 1 > size) return 0;
            memcpy(store + o, path, n);
            store[o + n] = 0;
            params[np++] = store + o;
            o += n + 1;
            pattern = end + 1;
            path += n;
            continue;
        }
        if (*pattern++ != *path++) return 0;
    }
    return !*pattern && !*path;
}

static _Thread_local char param_store[1024];

const char *http_arg(struct req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    return v && *v ? v : NULL;
}

/* ---- bodies ---- */

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Finds name in an application/x-www-form-urlencoded body; decodes into a
 * per-thread buffer (valid until the next call). */
static const char *form_field(struct req *r, const char *name)
{
    static _Thread_local char out[2048];
    const char *p = r->body.p;
    size_t n = strlen(name);
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t o = 0;
            for (size_t i = n + 1; i < len && o + 1 < sizeof out; i++) {
                if (p[i] == '+')
                    out[o++] = ' ';
                else if (p[i] == '%' && i + 2 < len && hexval(p[i + 1]) >= 0 &&
                         hexval(p[i + 2]) >= 0) {
                    out[o++] = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
                    i += 2;
                } else
                    out[o++] = p[i];
            }
            out[o] = 0;
            return out;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

const char *http_field(struct req *r, const char *name)
{
    if (r->route && r->route->body && strcmp(r->route->body, "form") == 0)
        return form_field(r, name);
    json_t *v = r->json ? json_object_get(r->json, name) : NULL;
    static _Thread_local char num[64];
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_real(v)) {
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        return num;
    }
    return ""; /* objects, arrays, booleans: refused by the record parser as empty */
}

/* ---- responses ---- */

int http_send_json(struct req *r, unsigned status, const char *json)
{
    r->status = status;
    r->ctype = "application/json";
    buf_reset(&r->out);
    buf_puts(&r->out, json);
    return 0;
}

static int is_api(const struct req *r)
{
    return strncmp(r->path, "/api/", 5) == 0 || strcmp(r->path, "/healthz") == 0;
}

/* Sends {"error":{"code","message","field"}} for the API, a page for the
 * dashboard. code names the error (err_code_name, or unauthorized/forbidden). */
static int send_error_as(struct req *r, unsigned status, const char *code, const struct err *e)
{
    char msg[900];
    if (e->line > 0 && e->column > 0)
        snprintf(msg, sizeof msg, "%s (line %ld, column %d)", e->msg, e->line, e->column);
    else if (e->line > 0)
        snprintf(msg, sizeof msg, "%s (line %ld)", e->msg, e->line);
    else
        str_copy(msg, e->msg, sizeof msg);
    r->status = status;
    r->cacheable = 0;
    buf_reset(&r->out);
    if (is_api(r)) {
        json_t *o = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", code, "message", msg, "field",
                              e->field[0] ? json_string(e->field) : json_null());
        char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        buf_puts(&r->out,
                 s ? s : "{\"error\":{\"code\":\"internal\",\"message\":\"\",\"field\":null}}");
        free(s);
        json_decref(o);
        r->ctype = "application/json";
        return 0;
    }
    struct html_page p = {T("Error"), NULL, r->user.name[0] ? r->user.name : NULL, r->csrf, 0};
    html_page_begin(&r->out, &p);
    html_printf(&r->out, "<p class=\"error\">%s%s%s</p>", msg, e->field[0] ? " — " : "", e->field);
    if (status == 401) html_printf(&r->out, "<p><a href=\"/login\">%s</a></p>", T("Sign in"));
    html_printf(&r->out, "<p><a href=\"/\">%s</a></p>", T("Back to the overview"));
    html_page_end(&r->out, &p);
    r->ctype = "text/html; charset=utf-8";
    return 0;
}

int http_send_error(struct req *r, const struct err *e)
{
    int code = e->code ? e->code : ERR_INTERNAL;
    unsigned status = (unsigned)err_http_status(code);
    return send_error_as(r, status, err_code_name(code), e);
}

int http_send_table(struct req *r, struct table *t, struct err *e)
{
    const char *fmt = http_arg(r, "format");
    const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
    int csv = (fmt && str_ieq(fmt, "csv")) || (!fmt && accept && strstr(accept, "text/csv"));
    if (fmt && !csv && !str_ieq(fmt, "json")) {
        table_free(t);
        err_at(e, NULL, 0, 0, "format");
        err_set(e, ERR_USAGE, "format must be json or csv");
        return http_send_error(r, e);
    }
    long limit = 0, offset = 0;
    struct err pe = {0};
    const char *l = http_arg(r, "limit"), *c = http_arg(r, "cursor");
    if ((l && int_parse(l, 1, 10000, &limit, &pe)) ||
        (c && int_parse(c, 0, 100000000, &offset, &pe))) {
        table_free(t);
        err_at(e, NULL, 0, 0, l && int_parse(l, 1, 10000, &limit, &pe) ? "limit" : "cursor");
        err_set(e, ERR_USAGE, "limit must be 1..10000 and cursor a value from next_cursor");
        return http_send_error(r, e);
    }
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    report_render_page(f, t, csv ? FMT_CSV : FMT_JSON, (size_t)offset, (size_t)limit);
    fclose(f);
    table_free(t);
    r->status = 200;
    r->ctype = csv ? "text/csv; charset=utf-8" : "application/json";
    buf_reset(&r->out);
    buf_append(&r->out, mem, len);
    free(mem);
    r->cacheable = 1;
    return 0;
}

void http_set_actor(struct req *r)
{
    if (r->user.name[0])
        snprintf(r->db->actor, sizeof r->db->actor, "token:%s", r->user.name);
    else
        str_copy(r->db->actor, "anonymous", sizeof r->db->actor);
}

/* ---- dispatch ---- */

static int authenticate(struct req *r, struct err *e)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (h) {
        if (strncmp(h, "Bearer ", 7) != 0)
            return err_set(e, ERR_USAGE, "Authorization must be 'Bearer TOKEN'");
        if (auth_token_check(r->db, h + 7, &r->user, e))
            return err_set(e, ERR_NOTFOUND, "invalid or revoked token");
        return 0;
    }
    const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "corridor_session");
    struct err tmp = {0};
    if (sid && auth_session_check(r->db, sid, &r->user, r->csrf, &tmp) == 0) {
        r->via_session = 1;
        str_copy(r->sid, sid, sizeof r->sid);
    }
    return 0;
}

static int unauthorised(struct req *r, unsigned status, const char *msg)
{
    struct err e = {0};
    err_set(&e, ERR_REFUSED, "%s", msg);
    return send_error_as(r, status, status == 401 ? "unauthorized" : "forbidden", &e);
}

int http_dispatch(struct req *r, struct err *e)
{
    const struct route *rt = NULL;
    int path_known = 0;
    for (size_t i = 0; i < http_nroutes && !rt; i++) {
        const char *params[HTTP_MAX_PARAMS] = {0};
        if (!match(http_routes[i].pattern, r->path, params, param_store, sizeof param_store))
            continue;
        path_known = 1;
        if (strcmp(http_routes[i].method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0)) {
            rt = &http_routes[i];
            memcpy(r->params, params, sizeof params);
        }
    }
    if (!rt) {
        if (!path_known) {
            err_set(e, ERR_NOTFOUND, "no route for %s", r->path);
            return http_send_error(r, e);
        }
        err_set(e, ERR_USAGE, "method %s is not allowed here", r->method);
        return send_error_as(r, 405, "method_not_allowed", e);
    }
    r->route = rt;
    if (authenticate(r, e)) return unauthorised(r, 401, e->msg);
    if (strcmp(rt->need, "public") != 0) {
        int anonymous = !r->user.role[0];
        if (strcmp(rt->need, "viewer") == 0) {
            if (anonymous && !r->open_reads)
                return unauthorised(r, 401, "sign in or send a token: this server is private");
        } else if (anonymous) {
            return unauthorised(r, 401, "this needs a token with a role that may write");
        } else if (!auth_can(&r->user, rt->need)) {
            char msg[160];
            snprintf(msg, sizeof msg, "role %s may not do this (needs %s or admin)", r->user.role,
                     rt->need);
            return unauthorised(r, 403, msg);
        }
    }
    if (rt->body && strcmp(rt->body, "json") == 0) {
        json_error_t je;
        if (!r->body.len) {
            err_set(e, ERR_USAGE, "a JSON object is expected in the body");
            return http_send_error(r, e);
        }
        r->json = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES, &je);
        if (!r->json || !json_is_object((json_t *)r->json)) {
            if (r->json)
                err_set(e, ERR_USAGE, "the body must be a JSON object");
            else
                err_set(e, ERR_USAGE, "malformed JSON at line %d, column %d: %s", je.line,
                        je.column, je.text);
            json_decref(r->json);
            r->json = NULL;
            return http_send_error(r, e);
        }
    }
    /* writes through a session (forms, or JSON from the page) must carry its CSRF token */
    if (strcmp(r->method, "POST") == 0 && r->via_session) {
        const char *t = rt->body && strcmp(rt->body, "form") == 0
                            ? form_field(r, "csrf")
                            : MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!t || !auth_equal(t, r->csrf)) {
            json_decref(r->json);
            r->json = NULL;
            return unauthorised(r, 403, "the form's CSRF token is missing or wrong");
        }
    }
    http_set_actor(r);
    int rc = rt->fn(r, e);
    json_decref(r->json);
    r->json = NULL;
    return rc;
}

/* ---- OpenAPI ---- */

static void add_params(json_t *params, const char *list, const char *in)
{
    char buf[256];
    str_copy(buf, list, sizeof buf);
    for (char *save, *p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
        json_array_append_new(params,
                              json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", p, "in", in, "required",
                                        strcmp(in, "path") == 0, "schema", "type", "string"));
}

void http_openapi(struct buf *out)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < http_nroutes; i++) {
        const struct route *rt = &http_routes[i];
        if (!rt->summary) continue; /* dashboard pages are not API */
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        json_t *params = json_array();
        for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
            char name[64];
            size_t n = strcspn(p + 1, "}");
            snprintf(name, sizeof name, "%.*s", (int)n, p + 1);
            add_params(params, name, "path");
        }
        add_params(params, rt->query, "query");
        json_t *op = json_pack("{s:s,s:o,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}", "summary",
                               rt->summary, "parameters", params, "responses", "200", "description",
                               "OK", "400", "description", "invalid input", "401", "description",
                               "no or bad token", "403", "description", "role may not do this");
        json_object_set_new(op, "x-role", json_string(rt->need));
        if (strcmp(rt->need, "public") != 0)
            json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
        if (rt->body)
            json_object_set_new(
                op, "requestBody",
                json_pack("{s:b,s:{s:{}}}", "required", 1, "content",
                          strcmp(rt->body, "csv") == 0 ? "text/csv" : "application/json"));
        char method[8];
        str_copy(method, rt->method, sizeof method);
        for (char *m = method; *m; m++)
            *m = (char)(*m - 'A' + 'a');
        json_object_set_new(item, method, op);
    }
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s}}}}", "openapi", "3.0.3", "info",
        "title", "corridor API", "version", CORRIDOR_VERSION, "description",
        "Kazakhstan-China trade and investment cooperation: trade statistics, agreements, "
        "market access and shipments. Errors are {\"error\":{\"code\",\"message\",\"field\"}}; "
        "lists take limit and cursor (next_cursor) and format=csv.",
        "servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearer", "type",
        "http", "scheme", "bearer");
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    buf_puts(out, s);
    free(s);
    json_decref(doc);
}

void http_list_routes(FILE *f)
{
    for (size_t i = 0; i < http_nroutes; i++)
        fprintf(f, "%s %s %s%s\n", http_routes[i].method, http_routes[i].pattern,
                http_routes[i].need, http_routes[i].summary ? " api" : " page");
}
