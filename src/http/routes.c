/* routes.c — the route table (method, pattern, handler, role needed, and
 * what the OpenAPI document says of it), dispatch with authentication,
 * authorisation and CSRF checks, the request and response helpers, and the
 * OpenAPI 3 document generated from the table. */
#include "http.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const struct route http_routes[] = {
    {"GET", "/healthz", api_health, "public", "Liveness and schema version", NULL},
    {"GET", "/api/v1/openapi.json", api_openapi, "public", "This OpenAPI document", NULL},
    {"GET", "/", page_overview, "viewer", NULL, NULL},
    {"GET", "/trade", page_trade, "viewer", NULL, NULL},
    {"GET", "/agreements", page_agreements, "viewer", NULL, NULL},
    {"GET", "/access", page_access, "viewer", NULL, NULL},
    {"GET", "/shipments", page_shipments, "viewer", NULL, NULL},
    {"POST", "/shipments/events", page_event_post, "editor:shipments", NULL, "form"},
    {"GET", "/investment", page_invest, "viewer", NULL, NULL},
    {"GET", "/logistics", page_logistics, "viewer", NULL, NULL},
    {"GET", "/tourism", page_tourism, "viewer", NULL, NULL},
    {"GET", "/commitments", page_commitments, "viewer", NULL, NULL},
    {"GET", "/glossary", page_glossary, "viewer", NULL, NULL},
    {"GET", "/alerts", page_alerts, "viewer", NULL, NULL},
    {"GET", "/brief", page_brief, "viewer", NULL, NULL},
    {"GET", "/login", page_login, "public", NULL, NULL},
    {"POST", "/login", page_login_post, "public", NULL, "form"},
    {"POST", "/logout", page_logout, "public", NULL, "form"},
    {"GET", "/account", page_account, "public", NULL, NULL},
    {"POST", "/account/password", page_account_password, "public", NULL, "form"},
    {"GET", "/static/{file}", page_static, "public", NULL, NULL},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];

#define API_PREFIX "/api/v1/"

const struct op_cmd *http_api_cmd(const char *path)
{
    if (strncmp(path, API_PREFIX, strlen(API_PREFIX)) != 0) return NULL;
    char area[64], verb[64] = "";
    const char *p = path + strlen(API_PREFIX);
    size_t n = strcspn(p, "/");
    if (!n || n >= sizeof area) return NULL;
    snprintf(area, sizeof area, "%.*s", (int)n, p);
    p += n;
    if (*p == '/') {
        p++;
        n = strlen(p);
        if (!n || n >= sizeof verb || strchr(p, '/')) return NULL;
        str_copy(verb, p, sizeof verb);
    }
    const struct op_cmd *c = op_find(area, verb[0] ? verb : NULL);
    return c && !(c->op->flags & OPF_LOCAL) ? c : NULL;
}

const char *http_cmd_method(const struct op_cmd *c)
{
    return c->op->kind == OP_READ && !c->import ? "GET" : "POST";
}

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

void http_choose_lang(struct req *r)
{
    const char *asked = http_arg(r, "lang");
    r->lang_cookie[0] = 0;
    int api = strncmp(r->path, "/api/", 5) == 0;
    if (asked && i18n_lang_index(asked) >= 0) {
        i18n_set(asked);
        if (!api) /* a page remembers the choice */
            snprintf(r->lang_cookie, sizeof r->lang_cookie,
                     "corridor_lang=%s; Path=/; Max-Age=31536000; SameSite=Lax%s", i18n_lang(),
                     r->secure_cookies ? "; Secure" : "");
        return;
    }
    /* the API answers machines: in English unless ?lang= asks */
    if (api) {
        i18n_set("en");
        return;
    }
    const char *kept = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "corridor_lang");
    if (kept && i18n_lang_index(kept) >= 0) {
        i18n_set(kept);
        return;
    }
    i18n_set(i18n_accept(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language")));
}

/* ---- bodies ---- */

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Finds name in an application/x-www-form-urlencoded body and decodes its
 * value into out (size bytes, cut there); NULL when absent. */
const char *http_form_into(struct req *r, const char *name, char *out, size_t size)
{
    const char *p = r->body.p;
    size_t n = strlen(name);
    while (p && *p && size) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            size_t o = 0;
            for (size_t i = n + 1; i < len && o + 1 < size; i++) {
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

/* The same into a per-thread buffer (valid until the next call). */
const char *http_form(struct req *r, const char *name)
{
    static _Thread_local char out[2048];
    return http_form_into(r, name, out, sizeof out);
}

/* ---- strict input for pages and forms ---- */

const char *http_arg_fault(struct http_seen *s, const char *k, size_t klen, const char *v,
                           size_t vlen)
{
    if (strlen(k) != klen || (v && strlen(v) != vlen)) return "holds a NUL byte";
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->name[i], k) == 0) return "is given twice";
    if (s->n < 64) str_copy(s->name[s->n++], k, sizeof s->name[0]);
    return NULL;
}

int http_form_fields(const struct req *r,
                     int (*fn)(void *ctx, const char *name, const char *v, size_t vlen), void *ctx)
{
    for (const char *p = r->body.p; p && *p;) {
        size_t len = strcspn(p, "&"), eq = strcspn(p, "=");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq < len ? eq : len), p);
        int rc = fn(ctx, name, eq < len ? p + eq + 1 : p + len, eq < len ? len - eq - 1 : 0);
        if (rc) return rc;
        p = p[len] ? p + len + 1 : NULL;
    }
    return 0;
}

struct strict {
    struct http_seen seen;
    char bad[64];
    const char *why;
};

static enum MHD_Result strict_arg(void *cls, enum MHD_ValueKind kind, const char *k, size_t klen,
                                  const char *v, size_t vlen)
{
    (void)kind;
    struct strict *a = cls;
    if ((a->why = http_arg_fault(&a->seen, k, klen, v, vlen))) str_copy(a->bad, k, sizeof a->bad);
    return a->why ? MHD_NO : MHD_YES;
}

/* A form's field: a NUL byte is sent as %00 */
static int strict_field(void *ctx, const char *name, const char *v, size_t vlen)
{
    struct strict *a = ctx;
    for (size_t i = 0; !a->why && i + 2 < vlen; i++)
        if (v[i] == '%' && v[i + 1] == '0' && v[i + 2] == '0') a->why = "holds a NUL byte";
    if (!a->why) a->why = http_arg_fault(&a->seen, name, strlen(name), NULL, 0);
    if (a->why) str_copy(a->bad, name, sizeof a->bad);
    return a->why != NULL;
}

/* A page's query and a form's fields, read as strictly as the API reads
 * its own: no NUL byte, no name given twice (the first would be taken and
 * the rest ignored). */
static int strict_page_input(struct req *r, struct err *e)
{
    struct strict q = {0};
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, strict_arg, &q);
    if (!q.why && r->route->body) {
        struct strict f = {0};
        if (http_form_fields(r, strict_field, &f)) q = f;
    }
    if (!q.why) return 0;
    err_at(e, NULL, 0, 0, q.bad);
    return err_set(e, ERR_USAGE, "the parameter '%.60s' %s", q.bad, q.why);
}

/* ---- responses ---- */

/* An answer too large to hold is an error, never an empty 200. */
static int too_large(struct req *r)
{
    static const char msg[] = "{\"error\":{\"code\":\"limit\",\"message\":\"the answer is "
                              "too large to send; ask for less (limit, filters)\",\"field\":null}}";
    buf_free(&r->out);
    buf_puts(&r->out, msg);
    r->status = 500;
    r->ctype = "application/json";
    r->cacheable = 0;
    return 0;
}

int http_send_json(struct req *r, unsigned status, const char *json)
{
    r->status = status;
    r->ctype = "application/json";
    buf_reset(&r->out);
    if (!json || buf_puts(&r->out, json)) return too_large(r);
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

static enum MHD_Result asked_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct buf *b = cls;
    if (http_read_option(k)) return MHD_YES; /* how it is asked, not what */
    buf_printf(b, "%s%s = %s", b->len ? "; " : "", k, v ? v : "");
    return MHD_YES;
}

/* The whole table as a workbook, its filters written on its second sheet. */
static int send_workbook(struct req *r, struct table *t, struct err *e)
{
    struct buf asked = {0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, asked_arg, &asked);
    int rc = report_workbook(t, asked.p, &r->out, e);
    buf_free(&asked);
    table_free(t);
    if (rc) return http_send_error(r, e);
    r->status = 200;
    r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r->cacheable = 1;
    return 0;
}

int http_send_table(struct req *r, struct table *t, struct err *e)
{
    const char *fmt = http_arg(r, "format");
    const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
    int csv = (fmt && str_ieq(fmt, "csv")) || (!fmt && accept && strstr(accept, "text/csv"));
    if (fmt && str_ieq(fmt, "xlsx")) return send_workbook(r, t, e);
    if (fmt && !csv && !str_ieq(fmt, "json")) {
        table_free(t);
        err_at(e, NULL, 0, 0, "format");
        err_set(e, ERR_INPUT, "format must be json, csv or xlsx");
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
    /* excel=1: CSV as Excel reads it, in the reader's decimal sign */
    const char *x = http_arg(r, "excel"), *lang = i18n_lang();
    report_csv_excel(csv && x && strcmp(x, "0") != 0, !strcmp(lang, "ru") || !strcmp(lang, "kk"));
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    report_render_page(f, t, csv ? FMT_CSV : FMT_JSON, (size_t)offset, (size_t)limit);
    fclose(f);
    report_csv_excel(0, 0);
    table_free(t);
    r->status = 200;
    r->ctype = csv ? "text/csv; charset=utf-8" : "application/json";
    buf_reset(&r->out);
    int over = !mem || buf_append(&r->out, mem, len);
    free(mem);
    r->cacheable = 1;
    return over ? too_large(r) : 0;
}

void http_set_actor(struct req *r)
{
    if (r->user.name[0])
        db_set_actor(r->db, "%s:%s", r->user.account_id ? "user" : "token", r->user.name);
    else
        db_set_actor(r->db, "anonymous");
}

/* ---- dispatch ---- */

/* Tokens and sessions this thread has found good, so that a signed-in
 * reader costs no lookup per request. Forgotten whenever the database
 * changes (a revocation, a rotation or a sign-out is a write: the server
 * drops these with its response cache) and after KNOWN_SECONDS, so that a
 * term that ends is honoured within that time. Failures are never kept. */
#define KNOWN_SLOTS 16
#define KNOWN_SECONDS 5.0
static _Thread_local struct known {
    char secret[AUTH_TOKEN_LEN + 1]; /* "" = free */
    int session;
    struct auth_user user;
    char csrf[AUTH_TOKEN_LEN];
    double at;
} known[KNOWN_SLOTS];

void http_auth_forget(void)
{
    memset(known, 0, sizeof known);
}

static struct known *known_slot(const char *secret)
{
    return &known[str_hash(secret) % KNOWN_SLOTS];
}

/* 1 when secret is known good (its holder copied to r), else 0. */
static int known_good(struct req *r, const char *secret, int session)
{
    struct known *k = known_slot(secret);
    if (!k->secret[0] || k->session != session || now_seconds() - k->at > KNOWN_SECONDS ||
        !auth_equal(k->secret, secret))
        return 0;
    r->user = k->user;
    if (session) str_copy(r->csrf, k->csrf, sizeof r->csrf);
    return 1;
}

static void remember(struct req *r, const char *secret, int session)
{
    if (strlen(secret) >= sizeof known[0].secret) return;
    struct known *k = known_slot(secret);
    str_copy(k->secret, secret, sizeof k->secret);
    k->session = session;
    k->user = r->user;
    str_copy(k->csrf, session ? r->csrf : "", sizeof k->csrf);
    k->at = now_seconds();
}

/* Who sends the request: 0 (a token holder, a session, or anonymous),
 * ERR_NOTFOUND for a bad token, or the error that kept it from being
 * known (never read as anonymous). */
static int authenticate(struct req *r, struct err *e)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (h) {
        if (strncmp(h, "Bearer ", 7) != 0)
            return err_set(e, ERR_NOTFOUND, "Authorization must be 'Bearer TOKEN'");
        if (known_good(r, h + 7, 0)) return 0;
        int rc = auth_token_check(r->db, h + 7, &r->user, e);
        if (rc == ERR_NOTFOUND) return err_set(e, ERR_NOTFOUND, "invalid or revoked token");
        if (rc == 0) remember(r, h + 7, 0);
        return rc;
    }
    const char *sid = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "corridor_session");
    if (!sid) return 0;
    struct err tmp = {0};
    int rc = 0;
    if (!known_good(r, sid, 1)) {
        rc = auth_session_check(r->db, sid, &r->user, r->csrf, &tmp);
        if (rc == 0) remember(r, sid, 1);
    }
    if (rc == 0) {
        r->via_session = 1;
        str_copy(r->sid, sid, sizeof r->sid);
    } else if (rc != ERR_NOTFOUND) {
        *e = tmp;
        return rc;
    }
    return 0;
}

static int unauthorised(struct req *r, unsigned status, const char *msg)
{
    struct err e = {0};
    err_set(&e, ERR_REFUSED, "%s", msg);
    return send_error_as(r, status, status == 401 ? "unauthorized" : "forbidden", &e);
}

/* The route or operation a request names: 0, or an answer was sent. */
static int route_of(struct req *r, const char **need, struct err *e)
{
    int path_known = 0;
    r->allow[0] = 0;
    for (size_t i = 0; i < http_nroutes && !r->route; i++) {
        const char *params[HTTP_MAX_PARAMS] = {0};
        if (!match(http_routes[i].pattern, r->path, params, param_store, sizeof param_store))
            continue;
        path_known = 1;
        /* the methods the path takes, for a 405's Allow */
        if (!strstr(r->allow, http_routes[i].method)) {
            size_t n = strlen(r->allow);
            snprintf(r->allow + n, sizeof r->allow - n, "%s%s%s", n ? ", " : "",
                     http_routes[i].method,
                     strcmp(http_routes[i].method, "GET") == 0 ? ", HEAD" : "");
        }
        if (strcmp(http_routes[i].method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0)) {
            r->route = &http_routes[i];
            memcpy(r->params, params, sizeof params);
            *need = r->route->need;
        }
    }
    const char *method = NULL;
    if (!r->route && !path_known && (r->cmd = http_api_cmd(r->path))) {
        method = http_cmd_method(r->cmd);
        path_known = 1;
        snprintf(r->allow, sizeof r->allow, "%s%s", method,
                 strcmp(method, "GET") == 0 ? ", HEAD" : "");
        if (strcmp(method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(method, "GET") == 0))
            *need = op_role(r->cmd);
        else
            r->cmd = NULL;
    }
    if (r->route || r->cmd) return 0;
    if (!path_known) {
        err_set(e, ERR_NOTFOUND, "no route for %s", r->path);
        http_send_error(r, e);
        return 1;
    }
    err_set(e, ERR_USAGE, "method %s is not allowed here%s%s", r->method, method ? ": use " : "",
            method ? method : "");
    send_error_as(r, 405, "method_not_allowed", e);
    return 1;
}

int http_send_too_many(struct req *r, int wait)
{
    struct err e = {0};
    err_set(&e, ERR_REFUSED,
            "too many failed sign-ins or tokens from this address: try again in "
            "%d s",
            wait);
    r->retry_after = wait;
    return send_error_as(r, 429, "too_many_requests", &e);
}

/* Who may: 0, or an answer (401, 403, 429) was sent. */
static int authorise(struct req *r, const char *need, struct err *e)
{
    /* an address that has failed too often waits, whatever it signs with */
    int wait = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization") ||
                       MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "corridor_session")
                   ? http_guard_wait(r)
                   : 0;
    if (wait) return http_send_too_many(r, wait), 1;
    int rc = authenticate(r, e);
    if (rc == ERR_NOTFOUND) http_guard_failed(r);
    if (rc == ERR_NOTFOUND) return unauthorised(r, 401, e->msg), 1;
    if (rc) return http_send_error(r, e), 1;
    if (strcmp(need, "public") == 0) return 0;
    int anonymous = !r->user.role[0];
    if (strcmp(need, "viewer") == 0) {
        if (anonymous && !r->open_reads)
            return unauthorised(r, 401, "sign in or send a token: this server is private"), 1;
    } else if (anonymous) {
        return unauthorised(r, 401, "this needs a token with a role that may do it"), 1;
    } else if (!auth_can(&r->user, need)) {
        char msg[160];
        snprintf(msg, sizeof msg, "role %s may not do this (needs %s%s)", r->user.role, need,
                 strcmp(need, "admin") ? " or admin" : "");
        return unauthorised(r, 403, msg), 1;
    }
    return 0;
}

/* A JSON write's body: one object. 0, or an answer was sent. */
static int parse_json(struct req *r, struct err *e)
{
    json_error_t je;
    if (!r->body.len) {
        err_set(e, ERR_USAGE, "a JSON object is expected in the body");
        return http_send_error(r, e), 1;
    }
    r->json = json_loadb(r->body.p, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (r->json && json_is_object((json_t *)r->json)) return 0;
    if (r->json)
        err_set(e, ERR_USAGE, "the body must be a JSON object");
    else
        err_set(e, ERR_USAGE, "malformed JSON at line %d, column %d: %s", je.line, je.column,
                je.text);
    json_decref(r->json);
    r->json = NULL;
    return http_send_error(r, e), 1;
}

int http_gate(struct req *r, struct err *e)
{
    const char *need = "public";
    if (route_of(r, &need, e) || authorise(r, need, e)) return 1;
    r->need = need;
    return 0;
}

int http_dispatch(struct req *r, struct err *e)
{
    const char *need = "public";
    /* the route and the sender again, now the body is in: a token revoked or
     * a session ended while the body came is refused */
    if (route_of(r, &need, e) || authorise(r, need, e)) return 0;
    int json_body = r->cmd && r->cmd->op->kind == OP_WRITE && !r->cmd->import &&
                    !(r->cmd->op->flags & OPF_ROWS);
    if (json_body && parse_json(r, e)) return 0;
    /* writes through a session (forms, or JSON from the page) must carry its CSRF token */
    if (strcmp(r->method, "POST") == 0 && r->via_session) {
        const char *t = r->route && r->route->body
                            ? http_form(r, "csrf")
                            : MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        if (!t || !auth_equal(t, r->csrf)) {
            json_decref(r->json);
            r->json = NULL;
            return unauthorised(r, 403, "the form's CSRF token is missing or wrong");
        }
    }
    http_set_actor(r);
    if (r->route && strict_page_input(r, e)) return http_send_error(r, e);
    int rc = r->route ? r->route->fn(r, e) : api_op(r, e);
    json_decref(r->json);
    r->json = NULL;
    return rc;
}

/* ---- OpenAPI ---- */

/* The JSON schema of a parameter's values. */
static json_t *param_schema(const struct op_param *p)
{
    json_t *s;
    switch (p->type) {
    case PT_YEAR:
    case PT_INT:
        s = json_pack("{s:s}", "type", "integer");
        if (p->min || p->max) {
            json_object_set_new(s, "minimum", json_integer(p->min));
            json_object_set_new(s, "maximum", json_integer(p->max));
        } else if (p->type == PT_YEAR) {
            json_object_set_new(s, "minimum", json_integer(1900));
            json_object_set_new(s, "maximum", json_integer(2200));
        }
        return s;
    case PT_MONEY:
    case PT_MASS:
    case PT_NUMBER:
        return json_pack("{s:[{s:s,s:s},{s:s}]}", "oneOf", "type", "string", "pattern",
                         "^-?[0-9]+(\\.[0-9]+)?$", "type", "number");
    case PT_FLAG:
        return json_pack("{s:s}", "type", "boolean");
    case PT_DATE:
        return json_pack("{s:s,s:s}", "type", "string", "format", "date");
    case PT_HS:
        return json_pack("{s:s,s:s}", "type", "string", "pattern", "^[0-9]{2,10}$");
    case PT_HSLIST:
    case PT_LIST:
        return json_pack("{s:[{s:s},{s:s,s:{s:s}}]}", "oneOf", "type", "string", "type", "array",
                         "items", "type", "string");
    case PT_ENUM: {
        json_t *values = json_array();
        for (const char *q = p->allowed; *q;) {
            size_t k = strcspn(q, "|");
            json_array_append_new(values, json_stringn(q, k));
            q += k;
            if (*q) q++;
        }
        return json_pack("{s:s,s:o}", "type", "string", "enum", values);
    }
    default:
        return json_pack("{s:s}", "type", "string");
    }
}

static json_t *param_doc(const struct op_param *p, const char *in)
{
    return json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", p->name, "in", in, "required",
                     (p->flags & PF_REQUIRED) != 0, "description", p->help ? p->help : "", "schema",
                     param_schema(p));
}

static json_t *query_flag(const char *name, const char *help)
{
    return json_pack("{s:s,s:s,s:b,s:s,s:{s:s}}", "name", name, "in", "query", "required", 0,
                     "description", help, "schema", "type", "boolean");
}

static json_t *write_body(const struct op *op)
{
    json_t *props = json_object(), *req = json_array();
    for (const struct op_param *p = op->params; p->name; p++) {
        json_t *s = param_schema(p);
        json_object_set_new(s, "description", json_string(p->help ? p->help : ""));
        json_object_set_new(props, p->name, s);
        if (p->flags & PF_REQUIRED) json_array_append_new(req, json_string(p->name));
    }
    json_t *schema = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props,
                               "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(schema, "required", req);
    else
        json_decref(req);
    return json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json", "schema",
                     schema);
}

static json_t *cmd_doc(const struct op_cmd *c)
{
    json_t *params = json_array();
    int file = c->import || (c->op->flags & OPF_ROWS);
    char summary[300];
    if (c->import)
        snprintf(summary, sizeof summary,
                 "Import a CSV body of records, one row each as %s %s takes them", c->area,
                 c->op->verb);
    else
        str_copy(summary, c->op->summary, sizeof summary);
    if (c->op->kind == OP_READ || (c->op->flags & OPF_ROWS))
        for (const struct op_param *p = c->op->params; p->name; p++)
            if (p->type != PT_FILE) json_array_append_new(params, param_doc(p, "query"));
    if (c->op->kind == OP_WRITE)
        json_array_append_new(params, query_flag("dry_run", "check everything, write nothing"));
    if (file)
        json_array_append_new(params, query_flag("skip_bad", "store the good rows, return the "
                                                             "rejected ones with their reasons"));
    json_t *op = json_pack(
        "{s:s,s:o,s:{s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s},s:{s:s}}}", "summary", summary,
        "parameters", params, "responses", "200", "description",
        c->op->kind == OP_READ ? "the table(s)" : "a dry run", "201", "description", "written",
        "400", "description", "invalid input, naming the parameter", "401", "description",
        "no or bad token", "403", "description", "role may not do this", "404", "description",
        "no such record", "422", "description", "refused, with every reason");
    json_object_set_new(op, "x-role", json_string(op_role(c)));
    json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
    if (file)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:{s:{}}}", "required", 1, "content", "text/csv"));
    else if (c->op->kind == OP_WRITE)
        json_object_set_new(op, "requestBody", write_body(c->op));
    return op;
}

void http_openapi(struct buf *out)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < http_nroutes; i++) {
        const struct route *rt = &http_routes[i];
        if (!rt->summary) continue; /* dashboard pages are not API */
        json_object_set_new(paths, rt->pattern,
                            json_pack("{s:{s:s,s:[],s:{s:{s:s}}}}", "get", "summary", rt->summary,
                                      "parameters", "responses", "200", "description", "OK"));
    }
    size_t n;
    const struct op_cmd *c = op_commands(&n);
    for (size_t i = 0; i < n; i++) {
        if (c[i].op->flags & OPF_LOCAL) continue;
        char path[160], method[8];
        snprintf(path, sizeof path, "/api/v1/%s%s%s", c[i].area, c[i].verb ? "/" : "",
                 c[i].verb ? c[i].verb : "");
        str_copy(method, http_cmd_method(&c[i]), sizeof method);
        for (char *m = method; *m; m++)
            *m = (char)(*m - 'A' + 'a');
        json_object_set_new(paths, path, json_pack("{s:o}", method, cmd_doc(&c[i])));
    }
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s}}}}", "openapi", "3.0.3", "info",
        "title", "corridor API", "version", CORRIDOR_VERSION, "description",
        "Kazakhstan-China trade and investment cooperation: trade statistics, agreements, "
        "market access and shipments. Reads are GET with query parameters; writes are POST with "
        "a JSON object (unknown fields are refused) or a CSV body for imports. Money and mass "
        "come back as exact decimal strings (US dollars, tonnes) and may be sent as strings or "
        "numbers, read exactly. Errors are {\"error\":{\"code\",\"message\",\"field\"}}; a "
        "refusal adds \"reasons\". Lists take limit and cursor (next_cursor), and format=csv or format=xlsx (a workbook of every row).",
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
    size_t n;
    const struct op_cmd *c = op_commands(&n);
    for (size_t i = 0; i < n; i++)
        if (!(c[i].op->flags & OPF_LOCAL))
            fprintf(f, "%s /api/v1/%s%s%s %s api\n", http_cmd_method(&c[i]), c[i].area,
                    c[i].verb ? "/" : "", c[i].verb ? c[i].verb : "", op_role(&c[i]));
}
