/* api.c — the JSON API over the operation table: one handler for every
 * operation. A READ takes its parameters from the query string; a WRITE
 * from a JSON object (every key must be a parameter, every value of the
 * parameter's type; numbers are read from their digits, never through a
 * double); an import from a CSV body. Each answers with the table(s) the
 * operation returns, or what it wrote, or an error naming the parameter at
 * fault; a refusal lists every reason. */
#include "http.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int api_health(struct req *r, struct err *e)
{
    int version = db_schema_version(r->db, e);
    if (version < 0) return http_send_error(r, e);
    unsigned open = 0;
    unsigned long refused = 0, timed_out = 0;
    if (r->conns) http_conns_stats(r->conns, &open, &refused, &timed_out);
    char json[256];
    snprintf(json, sizeof json,
             "{\"status\":\"ok\",\"version\":\"%s\",\"schema\":%d,\"connections\":{\"open\":%u,"
             "\"refused\":%lu,\"timed_out\":%lu}}",
             CORRIDOR_VERSION, version, open, refused, timed_out);
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

/* What one request may make the server hold: the rows it sets aside (each
 * at most a row long), and what a gzip body may inflate to. */
#define API_MAX_REJECTS 1000
#define API_MAX_ROW (64 * 1024)
#define API_MAX_INFLATED (UINT64_C(256) << 20)

static int is_file_cmd(const struct op_cmd *c)
{
    return c->import || (c->op->flags & OPF_ROWS);
}

/* ---- the query string ---- */

struct qcheck {
    const struct op_cmd *cmd;
    struct err *e;
    struct http_seen seen;
    int rc;
};

int http_read_option(const char *k)
{
    return !strcmp(k, "lang") || !strcmp(k, "format") || !strcmp(k, "limit") ||
           !strcmp(k, "cursor") || !strcmp(k, "excel");
}

/* The query arguments a command takes besides its parameters (lang, the
 * language of messages, on every one). */
static int front_option(const struct op_cmd *c, const char *k)
{
    if (!strcmp(k, "lang")) return 1;
    if (c->op->kind == OP_READ) return http_read_option(k);
    if (!strcmp(k, "dry_run")) return 1;
    return is_file_cmd(c) && !strcmp(k, "skip_bad");
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *k, size_t klen,
                                 const char *v, size_t vlen)
{
    (void)kind;
    struct qcheck *q = cls;
    if (q->rc) return MHD_NO;
    const char *why = http_arg_fault(&q->seen, k, klen, v, vlen);
    if (why) {
        err_at(q->e, NULL, 0, 0, k);
        q->rc = err_set(q->e, ERR_USAGE, "the parameter '%.60s' %s", k, why);
        return MHD_NO;
    }
    int own = q->cmd->op->kind == OP_READ || (q->cmd->op->flags & OPF_ROWS);
    int k_param = own && !q->cmd->import ? op_param_index(q->cmd->op, k) : -1;
    if (k_param >= 0 && q->cmd->op->params[k_param].type == PT_FILE) k_param = -1;
    if (k_param < 0 && !front_option(q->cmd, k)) {
        err_at(q->e, NULL, 0, 0, k);
        q->rc = err_set(q->e, ERR_USAGE, "unknown parameter '%.60s' (see /api/v1/openapi.json)", k);
        return MHD_NO;
    }
    if (!strcmp(k, "lang") && i18n_lang_index(v) < 0) {
        err_at(q->e, NULL, 0, 0, k);
        q->rc = err_set(q->e, ERR_USAGE, "unknown language '%.20s' (en, ru, kk or zh)", v ? v : "");
        return MHD_NO;
    }
    return MHD_YES;
}

static int check_query(struct req *r, struct err *e)
{
    struct qcheck q = {.cmd = r->cmd, .e = e};
    MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
    return q.rc;
}

/* A query argument: 1 when present (*v NULL for a bare "?name"), 0 when not. */
static int arg_present(struct req *r, const char *name, const char **v)
{
    *v = NULL;
    return MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), v,
                                         NULL) == MHD_YES;
}

static const char *query_get(void *ctx, const char *name)
{
    struct req *r = ctx;
    const struct op_param *p = &r->cmd->op->params[op_param_index(r->cmd->op, name)];
    if (p->type == PT_FILE) return "body";
    const char *v;
    int present = arg_present(r, name, &v);
    if (present && (!v || !*v) && p->type == PT_FLAG) return "yes"; /* ?breakdown alone */
    return v && *v ? v : NULL;
}

static int flag_arg(struct req *r, const char *name, int *out, struct err *e)
{
    const char *v;
    *out = 0;
    if (!arg_present(r, name, &v)) return 0;
    if (!v) return *out = 1, 0; /* ?dry_run alone says yes */
    if (!*v || str_ieq(v, "1") || str_ieq(v, "true") || str_ieq(v, "yes")) return *out = 1, 0;
    if (str_ieq(v, "0") || str_ieq(v, "false") || str_ieq(v, "no")) return 0;
    err_at(e, NULL, 0, 0, name);
    return err_set(e, ERR_USAGE, "'%.40s' is not yes or no", v);
}

/* ---- the JSON body ---- */

struct jbody {
    int n;
    const char *name[OP_MAX_PARAMS];
    char *text[OP_MAX_PARAMS];
};

static void jbody_free(struct jbody *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->text[i]);
}

/* A JSON value as the text a parameter is parsed from. */
static int value_text(const struct op_param *p, json_t *v, const char *raw, char **out,
                      struct err *e)
{
    int numeric = p->type == PT_YEAR || p->type == PT_INT || p->type == PT_MONEY ||
                  p->type == PT_MASS || p->type == PT_NUMBER;
    int list = p->type == PT_LIST || p->type == PT_HSLIST;
    if (json_is_string(v)) return *out = xstrdup(json_string_value(v)), 0;
    if (json_is_number(v) && numeric) return *out = xstrdup(raw), 0;
    if (json_is_boolean(v) && p->type == PT_FLAG)
        return *out = xstrdup(json_is_true(v) ? "yes" : "no"), 0;
    if (json_is_array(v) && list) {
        struct buf b = {0};
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            if (!json_is_string(x)) {
                buf_free(&b);
                err_set(e, ERR_USAGE, "must be an array of strings");
                return err_field(e, p->name);
            }
            buf_printf(&b, "%s%s", i ? "," : "", json_string_value(x));
        }
        *out = b.p ? b.p : xstrdup("");
        return 0;
    }
    static const char *const kinds[] = {"an object", "an array", "a string", "an integer",
                                        "a number",  "true",     "false",    "null"};
    err_set(e, ERR_USAGE, "must be %s, not %s",
            numeric              ? "a number or a string"
            : p->type == PT_FLAG ? "true or false"
            : list               ? "a string or an array of strings"
                                 : "a string",
            kinds[json_typeof(v)]);
    return err_field(e, p->name);
}

/* Every key of the body must be a parameter of the op and every value of
 * its type; numbers keep their digits. */
static int read_body(struct req *r, struct jbody *b, struct err *e)
{
    const struct op *op = r->cmd->op;
    char *raw[OP_MAX_PARAMS] = {0};
    int nraw = json_raw_values(r->body.p, r->body.len, raw, OP_MAX_PARAMS);
    int rc = 0, i = 0;
    const char *key;
    json_t *v;
    if (nraw < 0)
        rc = err_set(e, ERR_USAGE, "the body must be one JSON object, without NUL bytes");
    else if (json_object_size(r->json) > OP_MAX_PARAMS || nraw != (int)json_object_size(r->json))
        rc = err_set(e, ERR_USAGE, "the body has more fields than this operation takes");
    json_object_foreach((json_t *)r->json, key, v)
    {
        if (rc) break;
        int k = op_param_index(op, key);
        if (k < 0 || op->params[k].type == PT_FILE || op->params[k].type == PT_OUTPUT) {
            struct buf names = {0};
            for (int j = 0; op->params[j].name; j++)
                buf_printf(&names, "%s%s", j ? ", " : "", op->params[j].name);
            err_at(e, NULL, 0, 0, key);
            rc = err_set(e, ERR_USAGE, "unknown field '%.60s' (the fields are %.400s)", key,
                         names.p ? names.p : "none");
            buf_free(&names);
            break;
        }
        if (!json_is_null(v)) {
            b->name[b->n] = op->params[k].name;
            rc = value_text(&op->params[k], v, raw[i], &b->text[b->n], e);
            if (!rc) b->n++;
        }
        i++;
    }
    for (int j = 0; j < nraw && j < OP_MAX_PARAMS; j++)
        free(raw[j]);
    return rc;
}

static const char *body_get(void *ctx, const char *name)
{
    struct jbody *b = ctx;
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->name[i], name) == 0) return b->text[i];
    return NULL;
}

/* ---- answers ---- */

static int send_refusal(struct req *r, const struct op_call *c, const struct err *e)
{
    json_t *reasons = op_reasons_json(&c->why);
    json_t *o = json_pack("{s:{s:s,s:s,s:n,s:o}}", "error", "code", "refused", "message", e->msg,
                          "field", "reasons", reasons);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    http_send_json(r, 422, s);
    free(s);
    json_decref(o);
    return 0;
}

static int send_written(struct req *r, const struct op_call *c, char *rejects)
{
    char action[96];
    snprintf(action, sizeof action, "%s%s%s", r->cmd->area, r->cmd->verb ? "." : "",
             r->cmd->verb ? r->cmd->verb : "");
    json_t *stats = json_object();
    for (int i = 0; i < c->nstats; i++)
        json_object_set_new(stats, c->stats[i].name, json_integer(c->stats[i].v));
    json_t *o = json_pack("{s:b,s:s,s:s?,s:s,s:b,s:o}", "ok", 1, "action", action, "id",
                          c->id[0] ? c->id : NULL, "message", c->done, "dry_run", c->dry_run,
                          "stats", stats);
    if (rejects) { /* never dropped: what was not UTF-8 is shown replaced */
        str_utf8_fix(rejects);
        json_object_set_new(o, "rejects_csv", json_string(rejects));
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    http_send_json(r, c->dry_run ? 200 : 201, s);
    free(s);
    json_decref(o);
    return 0;
}

/* One table goes out as it is asked (JSON, CSV or a workbook); several go
 * out as one JSON document, or as CSV or a workbook the first of them (the operation's result: a
 * simulation's figures before its queue series). */
static int send_read(struct req *r, struct op_call *c, struct err *e)
{
    const char *fmt = http_arg(r, "format");
    int file = fmt && (str_ieq(fmt, "csv") || str_ieq(fmt, "xlsx"));
    if (c->verdict < 0 && (c->nout == 1 || (c->nout > 1 && file))) {
        struct table *t = c->out[0];
        for (int i = 1; i < c->nout; i++)
            table_free(c->out[i]);
        c->nout = 0;
        return http_send_table(r, t, e);
    }
    char *s = op_result_json(c, 0);
    http_send_json(r, 200, s);
    r->cacheable = 1;
    free(s);
    return 0;
}

/* Runs an import command (CSV body): rejects come back in the answer. */
static int run_file(struct req *r, struct op_call *c, int skip, char **rejects, struct err *e)
{
    const char *type = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    if (type && strncasecmp(type, "multipart/form-data", 19) == 0) {
        err_set(e, ERR_USAGE,
                "send the file itself as the request body (curl --data-binary @FILE), not as a "
                "form upload (curl -F)");
        return err_field(e, "body");
    }
    size_t rlen = 0;
    FILE *rf = skip ? open_memstream(rejects, &rlen) : NULL;
    c->rejects = rf;
    c->body = r->body.p ? r->body.p : "";
    c->body_len = r->body.len;
    int rc;
    if (r->cmd->import) {
        struct csv_src src = {
            .data = c->body, .len = c->body_len, .label = "body", .max_inflated = c->max_inflated};
        rc = op_import(c, &src, e);
    } else {
        rc = op_parse(c, query_get, r, e);
        if (!rc) rc = op_execute(c, e);
    }
    if (rf) fclose(rf);
    return rc;
}

int api_op(struct req *r, struct err *e)
{
    struct op_call c;
    op_call_init(&c, r->cmd->op);
    c.db = r->db;
    c.ref = r->ref;
    c.max_rejects = API_MAX_REJECTS;
    c.max_inflated = API_MAX_INFLATED;
    c.max_row_bytes = API_MAX_ROW;
    struct jbody b = {0};
    char *rejects = NULL;
    int skip = 0, rc = check_query(r, e);
    if (!rc && r->cmd->op->kind == OP_WRITE) rc = flag_arg(r, "dry_run", &c.dry_run, e);
    if (!rc && is_file_cmd(r->cmd)) rc = flag_arg(r, "skip_bad", &skip, e);
    if (!rc && is_file_cmd(r->cmd))
        rc = run_file(r, &c, skip, &rejects, e);
    else if (!rc && r->cmd->op->kind == OP_READ)
        rc = op_parse(&c, query_get, r, e);
    else if (!rc && !(rc = read_body(r, &b, e)))
        rc = op_parse(&c, body_get, &b, e);
    if (!rc && !is_file_cmd(r->cmd)) rc = op_execute(&c, e);
    if (rc == ERR_REFUSED && c.why.n)
        send_refusal(r, &c, e);
    else if (rc)
        http_send_error(r, e);
    else if (r->cmd->op->kind == OP_READ)
        send_read(r, &c, e);
    else
        send_written(r, &c, rejects);
    jbody_free(&b);
    free(rejects);
    op_call_free(&c);
    return 0;
}

/* ---- forms ---- */

static const char *form_get(void *ctx, const char *name)
{
    return http_form(ctx, name);
}

static const char *arg_get(void *ctx, const char *name)
{
    return http_arg(ctx, name);
}

int http_run_db(struct db *db, const struct ref *ref, const char *area, const char *verb,
                op_get_fn get, void *ctx, struct op_call *c, struct err *e)
{
    const struct op_cmd *cmd = op_find(area, verb);
    op_call_init(c, cmd ? cmd->op : NULL);
    if (!cmd) return err_set(e, ERR_INTERNAL, "no operation %s %s", area, verb);
    c->db = db;
    c->ref = ref;
    int rc = op_parse(c, get, ctx, e);
    return rc ? rc : op_execute(c, e);
}

const char *http_pairs(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    for (; *kv; kv += 2)
        if (strcmp(kv[0], name) == 0) return kv[1];
    return NULL;
}

int http_run_with(struct req *r, const char *area, const char *verb, op_get_fn get, void *ctx,
                  struct op_call *c, struct err *e)
{
    return http_run_db(r->db, r->ref, area, verb, get, ctx, c, e);
}

/* A form's fields are the operation's (or the CSRF token), none longer
 * than http_form can hold; that none holds a NUL byte or comes twice the
 * router has seen to. */
struct form_ctx {
    const struct op *op;
    struct err *e;
};

static int form_field(void *ctx, const char *name, const char *v, size_t vlen)
{
    (void)v;
    struct form_ctx *f = ctx;
    const char *why = NULL;
    if (strcmp(name, "csrf") && (!f->op || op_param_index(f->op, name) < 0))
        why = "is not a field of this form";
    else if (vlen >= 2047)
        why = "is too long";
    if (!why) return 0;
    err_at(f->e, NULL, 0, 0, name);
    return err_set(f->e, ERR_USAGE, "the field '%.60s' %s", name, why);
}

static int form_check(struct req *r, const struct op *op, struct err *e)
{
    struct form_ctx f = {op, e};
    return http_form_fields(r, form_field, &f);
}

int http_run_form(struct req *r, const char *area, const char *verb, struct op_call *c,
                  struct err *e)
{
    const struct op_cmd *cmd = op_find(area, verb);
    if (form_check(r, cmd ? cmd->op : NULL, e)) {
        op_call_init(c, cmd ? cmd->op : NULL);
        return e->code;
    }
    return http_run_with(r, area, verb, form_get, r, c, e);
}

int http_run_query(struct req *r, const char *area, const char *verb, struct op_call *c,
                   struct err *e)
{
    return http_run_with(r, area, verb, arg_get, r, c, e);
}
