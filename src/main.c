/* main.c — the corridor command line. One table lists every command (area,
 * verb, options, usage, summary) and the help is generated from it, in the
 * manner of Fossil's and Redis's command tables. Handlers parse flags, call
 * the area's functions and render the struct table they return; they run no
 * SQL themselves. Only this file calls exit(). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access.h"
#include "agreements/agreements.h"
#include "auth/auth.h"
#include "base/base.h"
#include "http/http.h"
#include "db/db.h"
#include "ref/ref.h"
#include "report/report.h"
#include "shipments/shipments.h"
#include "trade/trade.h"

/* ---- arguments ------------------------------------------------------------ */

#define MAX_ARGS 64

struct args {
    char name[MAX_ARGS][64];
    const char *value[MAX_ARGS];
    int n;
    const char *pos[MAX_ARGS];
    int npos;
};

/* Flag names compare with '-' and '_' alike (--cap-t is the field cap_t). */
static void norm_name(char *dst, const char *src, size_t size)
{
    size_t i = 0;
    for (; src[i] && i + 1 < size; i++)
        dst[i] = src[i] == '-' ? '_' : src[i];
    dst[i] = 0;
}

/* 1 if name is in flags ("db: format: dry-run", ':' = takes a value) or is a
 * field of spec (fields always take a value); *takes says which. */
static int known_flag(const char *flags, const struct rec_field *spec, size_t nspec,
                      const char *name, int *takes)
{
    char want[64], have[64];
    norm_name(want, name, sizeof want);
    for (const char *p = flags; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " :");
        if (!n) break;
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)n, p);
        norm_name(have, item, sizeof have);
        if (strcmp(have, want) == 0) {
            *takes = p[n] == ':';
            return 1;
        }
        p += n;
        if (*p == ':') p++;
    }
    for (size_t i = 0; i < nspec; i++)
        if (strcmp(spec[i].name, want) == 0) return *takes = 1;
    return 0;
}

static int parse_args(int argc, char **argv, const char *flags, const struct rec_field *spec,
                      size_t nspec, struct args *a, struct err *e)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        char shortflag[4];
        if (s[0] == '-' && s[1] && s[1] != '-' && !s[2]) { /* -o is --o */
            snprintf(shortflag, sizeof shortflag, "--%c", s[1]);
            s = shortflag;
        }
        if (strncmp(s, "--", 2) != 0 || strcmp(s, "--") == 0 || strlen(s) < 3) {
            if (a->npos == MAX_ARGS) return err_set(e, ERR_USAGE, "too many arguments");
            a->pos[a->npos++] = s;
            continue;
        }
        char name[64];
        const char *eq = strchr(s + 2, '=');
        size_t len = eq ? (size_t)(eq - s - 2) : strlen(s + 2);
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, s + 2, len);
        name[len] = 0;
        int takes = 0;
        if (!known_flag(flags, spec, nspec, name, &takes)) {
            err_at(e, NULL, 0, 0, s);
            return err_set(e, ERR_USAGE, "unknown option --%s (see --help)", name);
        }
        if (a->n == MAX_ARGS) return err_set(e, ERR_USAGE, "too many options");
        norm_name(a->name[a->n], name, sizeof a->name[a->n]);
        if (takes) {
            const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) {
                err_at(e, NULL, 0, 0, s);
                return err_set(e, ERR_USAGE, "--%s needs a value", name);
            }
            a->value[a->n] = v;
        } else {
            if (eq) {
                err_at(e, NULL, 0, 0, s);
                return err_set(e, ERR_USAGE, "--%s takes no value", name);
            }
            a->value[a->n] = "1";
        }
        a->n++;
    }
    return 0;
}

static const char *opt(const struct args *a, const char *name)
{
    const char *v = NULL;
    char want[64];
    norm_name(want, name, sizeof want);
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->name[i], want) == 0) v = a->value[i]; /* the last one wins */
    return v;
}

static int opt_int(const struct args *a, const char *name, long min, long max, long dflt, long *out,
                   struct err *e)
{
    const char *v = opt(a, name);
    *out = dflt;
    if (!v) return 0;
    if (int_parse(v, min, max, out, e)) {
        char f[80];
        snprintf(f, sizeof f, "--%s", name);
        err_at(e, NULL, 0, 0, f);
        return ERR_USAGE;
    }
    return 0;
}

/* ---- shared steps ---------------------------------------------------------- */

struct command;

struct ctx {
    struct db *db;
    struct ref *ref;
    struct args a;
    enum report_format fmt;
    const struct command *cmd;
};

static int open_db(struct ctx *c, int create, struct err *e)
{
    const char *path = opt(&c->a, "db");
    return db_open(path ? path : db_default_path(), create, &c->db, e);
}

static int open_ref(struct ctx *c, struct err *e)
{
    int rc = open_db(c, 0, e);
    if (!rc) rc = ref_open(c->db, &c->ref, e);
    return rc;
}

static int resolve(struct ctx *c, const char *flag, int required, const char **out, struct err *e)
{
    const char *v = opt(&c->a, flag);
    *out = NULL;
    char f[64];
    snprintf(f, sizeof f, "--%s", flag);
    if (!v) {
        if (!required) return 0;
        err_at(e, NULL, 0, 0, f);
        return err_set(e, ERR_USAGE, "%s is required", f);
    }
    const struct country *k = ref_country(c->ref, v, e);
    if (!k) {
        err_at(e, NULL, 0, 0, f);
        return ERR_NOTFOUND;
    }
    *out = k->code3;
    return 0;
}

static int render(struct ctx *c, struct table *t)
{
    int rc = report_render(stdout, t, c->fmt);
    table_free(t);
    return rc;
}

static int want_format(struct ctx *c, struct err *e)
{
    const char *f = opt(&c->a, "format");
    c->fmt = FMT_TEXT;
    return f ? report_format_parse(f, &c->fmt, e) : 0;
}

/* ---- commands -------------------------------------------------------------- */

static int load_demo(struct db *db, struct err *e);

static int cmd_init(struct ctx *c, struct err *e)
{
    int rc = open_db(c, 1, e);
    if (!rc) rc = ref_install(c->db, e);
    if (!rc)
        printf("corridor: database %s ready (schema version %d)\n", c->db->path,
               db_schema_version(c->db));
    return rc;
}

static int cmd_demo(struct ctx *c, struct err *e)
{
    const char *path = opt(&c->a, "db");
    if (!path) path = db_default_path();
    if (access(path, F_OK) == 0 && !opt(&c->a, "force")) {
        err_at(e, path, 0, 0, NULL);
        return err_set(e, ERR_CONFLICT,
                       "a database already exists; use --force to add the "
                       "demo data to it, or give another --db");
    }
    int rc = open_db(c, 1, e);
    if (!rc) rc = ref_install(c->db, e);
    if (!rc) rc = load_demo(c->db, e);
    if (!rc) printf("corridor: demo database %s ready\n", c->db->path);
    return rc;
}

static int cmd_db_check(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = db_check(c->db, &t, e);
    if (rc) return rc;
    int problems = t->nrows > 0;
    rc = render(c, t);
    return rc ? rc : problems ? err_set(e, ERR_DB, "the database check found problems") : 0;
}

static int cmd_db_backup(struct ctx *c, struct err *e)
{
    if (c->a.npos != 1) return err_set(e, ERR_USAGE, "usage: corridor db backup FILE");
    int rc = open_db(c, 0, e);
    if (!rc) rc = db_backup(c->db, c->a.pos[0], e);
    if (!rc) printf("corridor: backup written to %s\n", c->a.pos[0]);
    return rc;
}

static int cmd_audit_list(struct ctx *c, struct err *e)
{
    long limit;
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = opt_int(&c->a, "limit", 1, 100000, 50, &limit, e);
    if (!rc) rc = db_audit_list(c->db, opt(&c->a, "entity"), (int)limit, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ref_countries(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = ref_list_countries(c->db, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ref_regions(struct ctx *c, struct err *e)
{
    struct table *t;
    const char *country;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = resolve(c, "country", 0, &country, e);
    if (!rc) rc = ref_list_regions(c->db, country, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ref_hs(struct ctx *c, struct err *e)
{
    struct table *t;
    long level;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = opt_int(&c->a, "level", 0, 6, 0, &level, e);
    if (!rc) rc = ref_list_hs(c->db, opt(&c->a, "prefix"), (int)level, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ref_resolve(struct ctx *c, struct err *e)
{
    if (c->a.npos != 1) return err_set(e, ERR_USAGE, "usage: corridor ref resolve CODE");
    int rc = open_ref(c, e);
    if (rc) return rc;
    struct err tmp = {0};
    const struct region *g = ref_region(c->ref, c->a.pos[0], &tmp);
    if (g) {
        printf("region %s %s (%s)\n", g->code, g->name, g->country);
        return 0;
    }
    const struct country *k = ref_country(c->ref, c->a.pos[0], e);
    if (!k) return ERR_NOTFOUND;
    printf("%s %s %03d %s%s\n", k->code3, k->code2[0] ? k->code2 : "--", k->numeric, k->name,
           k->aggregate ? " (aggregate)" : "");
    return 0;
}

static int cmd_trade_import(struct ctx *c, struct err *e)
{
    if (c->a.npos < 1) return err_set(e, ERR_USAGE, "usage: corridor trade import FILE...");
    int rc = open_ref(c, e);
    if (rc) return rc;
    struct trade_import_opts o = {
        .format = opt(&c->a, "format"),
        .source = opt(&c->a, "source"),
        .rejects = opt(&c->a, "skip-bad"),
        .dry_run = opt(&c->a, "dry-run") != NULL,
        .breakdown = opt(&c->a, "breakdown") != NULL,
        .progress = 1,
    };
    if (o.rejects && c->a.npos > 1)
        return err_set(e, ERR_USAGE, "--skip-bad takes one file at a time");
    for (int i = 0; i < c->a.npos; i++) {
        struct trade_import_stats s;
        rc = trade_import_file(c->db, c->ref, c->a.pos[i], &o, &s, e);
        if (rc) {
            if (i) fprintf(stderr, "corridor: %d earlier file(s) were imported\n", i);
            return rc;
        }
        trade_import_summary(stdout, c->a.pos[i], &s, o.dry_run);
        if (o.rejects && s.rejected) printf("rejected rows and reasons written to %s\n", o.rejects);
    }
    return 0;
}

static int cmd_trade_sources(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc && opt(&c->a, "import")) rc = trade_sources_import(c->db, opt(&c->a, "import"), 0, e);
    if (!rc) rc = trade_sources_list(c->db, &t, e);
    return rc ? rc : render(c, t);
}

/* Reads the filters every report shares. */
static int trade_filters(struct ctx *c, struct trade_query *q, struct err *e)
{
    long v;
    memset(q, 0, sizeof *q);
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = resolve(c, "reporter", 0, &q->reporter, e);
    if (!rc) rc = resolve(c, "partner", 0, &q->partner, e);
    if (rc) return rc;
    q->source = opt(&c->a, "source");
    if ((rc = opt_int(&c->a, "year", 1900, 2200, 0, &v, e))) return rc;
    q->year = (int)v;
    if ((rc = opt_int(&c->a, "from", 1900, 2200, 0, &v, e))) return rc;
    q->from = (int)v;
    if ((rc = opt_int(&c->a, "to", 1900, 2200, 0, &v, e))) return rc;
    q->to = (int)v;
    if ((rc = opt_int(&c->a, "top", 1, 100000, 0, &v, e))) return rc;
    q->top = (int)v;
    if ((rc = opt_int(&c->a, "years", 1, 20, 3, &v, e))) return rc;
    q->years = (int)v;
    q->flow = opt(&c->a, "flow");
    if (q->from && q->to && q->from > q->to) {
        err_at(e, NULL, 0, 0, "--from");
        return err_set(e, ERR_USAGE, "--from %d is after --to %d", q->from, q->to);
    }
    return 0;
}

static int need(const void *v, const char *flag, struct err *e)
{
    if (v) return 0;
    err_at(e, NULL, 0, 0, flag);
    return err_set(e, ERR_USAGE, "%s is required", flag);
}

static int cmd_trade_totals(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = need(q.reporter, "--reporter", e);
    if (!rc) rc = need(q.partner, "--partner", e);
    if (!rc) rc = trade_totals(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_trade_partners(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = need(q.reporter, "--reporter", e);
    if (!rc) rc = need(q.year ? "" : NULL, "--year", e);
    if (!rc) rc = trade_partners(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_trade_regions(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = resolve(c, "reporter-country", 1, &q.region_country, e);
    if (!rc) rc = need(q.partner, "--partner", e);
    if (!rc) rc = need(q.year ? "" : NULL, "--year", e);
    if (!rc) rc = trade_regions(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_trade_goods(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    long level;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = need(q.reporter, "--reporter", e);
    if (!rc) rc = need(q.partner, "--partner", e);
    if (!rc) rc = need(q.year ? "" : NULL, "--year", e);
    if (!rc) rc = opt_int(&c->a, "level", 2, 6, 2, &level, e);
    if (!rc && level % 2) {
        err_at(e, NULL, 0, 0, "--level");
        rc = err_set(e, ERR_USAGE, "--level must be 2, 4 or 6");
    }
    if (!rc && q.flow && !str_ieq(q.flow, "X") && !str_ieq(q.flow, "M") &&
        !str_ieq(q.flow, "turnover")) {
        err_at(e, NULL, 0, 0, "--flow");
        rc = err_set(e, ERR_USAGE, "--flow must be X, M or turnover");
    }
    q.level = (int)level;
    if (!rc) rc = trade_goods(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_trade_mirror(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    long level;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = resolve(c, "a", 1, &q.reporter, e);
    if (!rc) rc = resolve(c, "b", 1, &q.partner, e);
    if (!rc) rc = opt_int(&c->a, "level", 0, 2, 0, &level, e);
    if (!rc && level == 1) {
        err_at(e, NULL, 0, 0, "--level");
        rc = err_set(e, ERR_USAGE, "--level must be 0 or 2");
    }
    q.level = (int)level;
    if (!rc) rc = trade_mirror(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_trade_forecast(struct ctx *c, struct err *e)
{
    struct trade_query q;
    struct table *t;
    int rc = trade_filters(c, &q, e);
    if (!rc) rc = need(q.reporter, "--reporter", e);
    if (!rc) rc = need(q.partner, "--partner", e);
    if (!rc && q.flow && !str_ieq(q.flow, "X") && !str_ieq(q.flow, "M") &&
        !str_ieq(q.flow, "turnover")) {
        err_at(e, NULL, 0, 0, "--flow");
        rc = err_set(e, ERR_USAGE, "--flow must be turnover, X or M");
    }
    if (!rc) rc = trade_forecast(c->db, &q, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_gen_trade(struct ctx *c, struct err *e)
{
    long rows, seed;
    const char *out = opt(&c->a, "out");
    int rc = need(out, "--out", e);
    if (!rc) rc = opt_int(&c->a, "rows", 1, 100000000, 1000, &rows, e);
    if (!rc) rc = opt_int(&c->a, "seed", 0, 1000000000, 1, &seed, e);
    if (!rc) rc = trade_generate(out, rows, (unsigned)seed, e);
    if (!rc) printf("corridor: wrote %ld synthetic UN Comtrade rows to %s\n", rows, out);
    return rc;
}

/* ---- records: add and import for every area ---------------------------------- */

static const char *flag_get(void *ctx, const char *name);
static void flag_field(struct err *e);

static int one_pos(struct ctx *c, const char *what, struct err *e);

static int cmd_serve(struct ctx *c, struct err *e)
{
    if (opt(&c->a, "routes")) {
        http_list_routes(stdout);
        return 0;
    }
    if (opt(&c->a, "openapi")) {
        struct buf b = {0};
        http_openapi(&b);
        fputs(b.p, stdout);
        putchar('\n');
        buf_free(&b);
        return 0;
    }
    long threads, max_body_kb, timeout, conns, cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = opt_int(&c->a, "threads", 1, 64, cores > 0 && cores <= 64 ? cores : 4, &threads, e);
    if (!rc) rc = opt_int(&c->a, "max-body-kb", 1, 1048576, 65536, &max_body_kb, e);
    if (!rc) rc = opt_int(&c->a, "timeout", 1, 3600, 30, &timeout, e);
    if (!rc) rc = opt_int(&c->a, "max-connections", 1, 100000, 1024, &conns, e);
    if (!rc) rc = auth_init(e);
    if (rc) return rc;
    const char *db = opt(&c->a, "db");
    struct http_opts o = {db ? db : db_default_path(),
                          opt(&c->a, "listen") ? opt(&c->a, "listen") : "127.0.0.1:8080",
                          (int)threads,
                          opt(&c->a, "private") != NULL,
                          opt(&c->a, "access-log") ? opt(&c->a, "access-log") : "-",
                          (size_t)max_body_kb * 1024,
                          (unsigned)timeout,
                          (unsigned)conns};
    return http_serve(&o, e);
}

static int cmd_brief(struct ctx *c, struct err *e)
{
    long year;
    const char *out = opt(&c->a, "o");
    if (!out) out = opt(&c->a, "output");
    int rc = need(out, "-o", e);
    if (!rc) rc = opt_int(&c->a, "year", 1900, 2200, 0, &year, e);
    if (!rc) rc = open_db(c, 0, e);
    if (rc) return rc;
    struct buf b = {0};
    rc = http_brief(c->db, (int)year, &b, e);
    if (!rc) {
        FILE *f = fopen(out, "w");
        if (!f || fwrite(b.p, 1, b.len, f) != b.len) {
            err_at(e, out, 0, 0, NULL);
            rc = err_set(e, ERR_IO, "cannot write the brief");
        }
        if (f && fclose(f) && !rc) rc = err_set(e, ERR_IO, "cannot write the brief");
    }
    if (!rc) printf("corridor: brief written to %s (%zu bytes)\n", out, b.len);
    buf_free(&b);
    return rc;
}

static int cmd_token_create(struct ctx *c, struct err *e)
{
    char token[AUTH_TOKEN_LEN];
    int rc = auth_init(e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = auth_token_create(c->db, opt(&c->a, "name"), opt(&c->a, "role"), token, e);
    if (rc) return rc;
    printf("%s\n", token);
    fprintf(stderr, "corridor: token '%s' (%s) created; it is shown only now, keep it safe\n",
            opt(&c->a, "name"), opt(&c->a, "role"));
    return 0;
}

static int cmd_token_list(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = auth_token_list(c->db, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_token_revoke(struct ctx *c, struct err *e)
{
    int rc = one_pos(c, "token's name", e);
    if (!rc) rc = auth_init(e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = auth_token_revoke(c->db, c->a.pos[0], e);
    if (!rc) printf("corridor: token '%s' revoked\n", c->a.pos[0]);
    return rc;
}

static int cmd_overview(struct ctx *c, struct err *e);

/* ---- the command table ------------------------------------------------------ */

struct command {
    const char *area, *verb;
    int (*run)(struct ctx *, struct err *);
    const char *flags;
    const char *usage;
    const char *summary;
    const struct rec_field *spec; /* record commands: the fields taken as flags */
    const size_t *nspec;
    db_record_fn insert;
    const char *entity;    /* for messages and the audit log */
    const char *pos_field; /* the field a positional argument fills */
};

static const char *flag_get(void *ctx, const char *name)
{
    struct ctx *c = ctx;
    const char *v = opt(&c->a, name);
    if (!v && c->cmd->pos_field && strcmp(name, c->cmd->pos_field) == 0 && c->a.npos)
        v = c->a.pos[0];
    return v;
}

/* A record field at fault is named as the flag that gave it. */
static void flag_field(struct err *e)
{
    if (!e->field[0] || e->field[0] == '-') return;
    char f[64] = "--";
    for (size_t i = 0; e->field[i] && i + 3 < sizeof f; i++)
        f[i + 2] = e->field[i] == '_' ? '-' : e->field[i], f[i + 3] = 0;
    str_copy(e->field, f, sizeof e->field);
}

static int cmd_add(struct ctx *c, struct err *e)
{
    const struct command *k = c->cmd;
    size_t n = *k->nspec;
    int rc = open_ref(c, e);
    if (rc) return rc;
    struct rec_value *v = xcalloc(n, sizeof *v);
    rc = rec_parse(k->spec, n, flag_get, c, v, e);
    if (!rc) rc = db_begin(c->db, e);
    if (!rc) rc = k->insert(c->db, v, c->ref, e);
    if (!rc) rc = db_commit(c->db, e);
    if (rc) {
        db_rollback(c->db);
        flag_field(e);
    } else {
        printf("corridor: %s %s recorded\n", k->entity, v[0].s);
    }
    free(v);
    return rc;
}

static int cmd_import(struct ctx *c, struct err *e)
{
    const struct command *k = c->cmd;
    if (c->a.npos != 1) return err_set(e, ERR_USAGE, "give one CSV file to import");
    int rc = open_ref(c, e);
    if (rc) return rc;
    char action[64];
    snprintf(action, sizeof action, "%s.import", k->area);
    struct db_import_opts o = {opt(&c->a, "skip-bad"), opt(&c->a, "dry-run") != NULL, action,
                               k->entity};
    struct db_import_stats s;
    rc = db_import_records(c->db, c->a.pos[0], k->spec, *k->nspec, k->insert, c->ref, &o, &s, e);
    if (rc) return rc;
    printf("%s%s: read %llu rows, stored %llu, rejected %llu\n",
           o.dry_run ? "dry run, nothing written: " : "", c->a.pos[0], (unsigned long long)s.read,
           (unsigned long long)s.stored, (unsigned long long)s.rejected);
    if (o.rejects && s.rejected) printf("rejected rows and reasons written to %s\n", o.rejects);
    return 0;
}

static int cmd_parties_list(struct ctx *c, struct err *e)
{
    struct table *t;
    const char *country;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = resolve(c, "country", 0, &country, e);
    if (!rc) rc = agr_party_list(c->db, country, &t, e);
    return rc ? rc : render(c, t);
}

static int one_pos(struct ctx *c, const char *what, struct err *e)
{
    if (c->a.npos == 1) return 0;
    return err_set(e, ERR_USAGE, "give the %s", what);
}

static int cmd_parties_show(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = one_pos(c, "party's name", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = agr_party_show(c->db, c->a.pos[0], &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_agr_list(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = agr_list(c->db, opt(&c->a, "date"), &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_agr_show(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = one_pos(c, "agreement's code", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = agr_show(c->db, c->a.pos[0], &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_agr_amend(struct ctx *c, struct err *e)
{
    struct rec_value v[16];
    int rc = one_pos(c, "agreement's code", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = rec_parse(agr_amend_spec, agr_amend_nspec, flag_get, c, v, e);
    if (!rc) rc = db_begin(c->db, e);
    if (!rc) rc = agr_amend(c->db, c->a.pos[0], v, e);
    if (!rc) rc = db_commit(c->db, e);
    if (rc) {
        db_rollback(c->db);
        flag_field(e);
        return rc;
    }
    printf("corridor: agreement %s amended from %s\n", c->a.pos[0], v[0].s);
    return 0;
}

static int cmd_agr_close(struct ctx *c, struct err *e)
{
    const char *status = opt(&c->a, "status"), *date = opt(&c->a, "date");
    int rc = one_pos(c, "agreement's code", e);
    if (!rc && (!status || (strcmp(status, "expired") && strcmp(status, "terminated")))) {
        err_at(e, NULL, 0, 0, "--status");
        rc = err_set(e, ERR_USAGE, "--status expired or --status terminated is required");
    }
    if (!rc && !date) {
        err_at(e, NULL, 0, 0, "--date");
        rc = err_set(e, ERR_USAGE, "--date YYYY-MM-DD is required");
    }
    if (!rc) rc = date_check(date, ERR_USAGE, "--date", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = db_begin(c->db, e);
    if (!rc) rc = agr_close(c->db, c->a.pos[0], status, date, e);
    if (!rc) rc = db_commit(c->db, e);
    if (rc) {
        db_rollback(c->db);
        return rc;
    }
    printf("corridor: agreement %s %s on %s\n", c->a.pos[0], status, date);
    return 0;
}

static int cmd_fulfilment(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc)
        rc = ship_fulfilment(c->db, opt(&c->a, "agreement"), opt(&c->a, "period"),
                             opt(&c->a, "date"), &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_access_rules(struct ctx *c, struct err *e)
{
    struct table *t;
    const char *from, *to;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = resolve(c, "from", 0, &from, e);
    if (!rc) rc = resolve(c, "to", 0, &to, e);
    if (!rc) rc = access_rules_list(c->db, opt(&c->a, "hs"), from, to, opt(&c->a, "date"), &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_access_plants(struct ctx *c, struct err *e)
{
    struct table *t;
    const char *country;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = resolve(c, "country", 0, &country, e);
    if (!rc) rc = access_plants_list(c->db, country, opt(&c->a, "date"), &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_access_plant_status(struct ctx *c, struct err *e)
{
    int rc = one_pos(c, "registration number", e);
    if (!rc) rc = need(opt(&c->a, "status"), "--status", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = access_plant_set_status(c->db, c->a.pos[0], opt(&c->a, "status"), e);
    if (!rc) printf("corridor: establishment %s is now %s\n", c->a.pos[0], opt(&c->a, "status"));
    return rc;
}

static int cmd_access_barriers(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = access_barriers_list(c->db, opt(&c->a, "status"), &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_access_check(struct ctx *c, struct err *e)
{
    const char *from, *to, *hs = opt(&c->a, "hs"), *region = NULL;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = need(hs, "--hs", e);
    if (!rc) rc = resolve(c, "from", 1, &from, e);
    if (!rc) rc = resolve(c, "to", 1, &to, e);
    if (!rc && opt(&c->a, "region")) {
        const struct region *g = ref_region(c->ref, opt(&c->a, "region"), e);
        if (!g) {
            err_at(e, NULL, 0, 0, "--region");
            rc = ERR_NOTFOUND;
        } else {
            region = g->code;
        }
    }
    if (rc) return rc;
    char docs[512] = "";
    if (opt(&c->a, "docs")) {
        struct rec_field f = {"docs", RT_LIST, 0, NULL};
        struct rec_value v;
        if ((rc = rec_parse(&f, 1, flag_get, c, &v, e))) {
            flag_field(e);
            return rc;
        }
        str_copy(docs, v.s, sizeof docs);
    }
    struct access_query q = {
        hs, from, region, to, opt(&c->a, "plant"), docs[0] ? docs : NULL, opt(&c->a, "date")};
    struct access_result r;
    if ((rc = access_check(c->db, &q, &r, e))) return rc;
    render(c, access_result_table(&q, &r));
    return r.allowed ? 0
                     : err_set(e, ERR_REFUSED, "refused: %d reason%s", r.nreasons,
                               r.nreasons == 1 ? "" : "s");
}

static int cmd_ship_declare(struct ctx *c, struct err *e)
{
    struct rec_value v[24];
    struct ship_decision d;
    int rc = open_ref(c, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = rec_parse(ship_spec, ship_nspec, flag_get, c, v, e);
    if (!rc) rc = db_begin(c->db, e);
    if (!rc) rc = ship_declare(c->db, c->ref, v, &d, e);
    if (!rc) rc = db_commit(c->db, e);
    if (!rc) {
        printf("corridor: shipment %s declared\n", v[0].s);
        return 0;
    }
    db_rollback(c->db);
    flag_field(e);
    if (rc == ERR_REFUSED) {
        struct table *t = table_new("declaration", "");
        char title[200];
        snprintf(title, sizeof title, "Declaration %.160s: REFUSED", v[0].s);
        free(t->title);
        t->title = xstrdup(title);
        table_col(t, "outcome", COL_TEXT, NULL, 0);
        table_col(t, "reason", COL_TEXT, NULL, 0);
        for (int i = 0; i < d.nreasons; i++) {
            size_t r = table_add_row(t);
            table_set_text(t, r, 0, "refused");
            table_set_text(t, r, 1, d.reasons[i]);
        }
        render(c, t);
        err_set(e, ERR_REFUSED, "shipment %s refused: %d reason%s", v[0].s, d.nreasons,
                d.nreasons == 1 ? "" : "s");
    }
    return rc;
}

static int cmd_ship_event(struct ctx *c, struct err *e)
{
    struct rec_value v[8];
    int rc = one_pos(c, "shipment's reference", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = rec_parse(ship_event_spec, ship_event_nspec, flag_get, c, v, e);
    if (!rc) rc = db_begin(c->db, e);
    if (!rc) rc = ship_event_record(c->db, v, NULL, e);
    if (!rc) rc = db_commit(c->db, e);
    if (rc) {
        db_rollback(c->db);
        flag_field(e);
        return rc;
    }
    printf("corridor: shipment %s %s at %s\n", v[0].s, v[1].s, v[2].s);
    return 0;
}

static int ship_filters(struct ctx *c, struct ship_filter *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    f->agreement = opt(&c->a, "agreement");
    f->status = opt(&c->a, "status");
    f->crossing = opt(&c->a, "crossing");
    f->from = opt(&c->a, "from");
    f->to = opt(&c->a, "to");
    f->hs = opt(&c->a, "hs");
    int rc = date_check(f->from, ERR_USAGE, "--from", e);
    if (!rc) rc = date_check(f->to, ERR_USAGE, "--to", e);
    if (!rc) rc = open_db(c, 0, e);
    return rc ? rc : want_format(c, e);
}

static int cmd_ship_list(struct ctx *c, struct err *e)
{
    struct ship_filter f;
    struct table *t;
    int rc = ship_filters(c, &f, e);
    if (!rc) rc = ship_list(c->db, &f, &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ship_show(struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = one_pos(c, "shipment's reference", e);
    if (!rc) rc = open_db(c, 0, e);
    if (!rc) rc = want_format(c, e);
    if (!rc) rc = ship_show(c->db, c->a.pos[0], &t, e);
    return rc ? rc : render(c, t);
}

static int cmd_ship_times(struct ctx *c, struct err *e)
{
    struct ship_filter f;
    struct table *t;
    int rc = ship_filters(c, &f, e);
    if (!rc) rc = ship_crossing_times(c->db, &f, &t, e);
    return rc ? rc : render(c, t);
}

#define REPORT_FLAGS "db: format: source: "

static const struct command commands[] = {
    {"init", NULL, cmd_init, "db:", "corridor init [--db PATH]",
     "create a database with the reference data (countries, regions, HS2022)"},
    {"demo", NULL, cmd_demo, "db: force", "corridor demo [--db PATH] [--force]",
     "create a database holding the demo data (published figures and labelled synthetic rows)"},
    {"overview", NULL, cmd_overview, "db: year:", "corridor overview [--db PATH] [--year Y]",
     "the headline facts: bilateral trade from both sides, China's rank, Xinjiang's share, "
     "forecast"},
    {"serve", NULL, cmd_serve,
     "db: listen: threads: private access-log: max-body-kb: timeout: "
     "max-connections: routes openapi",
     "corridor serve [--db PATH] [--listen 127.0.0.1:8080] "
     "[--threads N (default: cores)] [--private] [--access-log FILE|-] [--max-body-kb N] "
     "[--timeout S] "
     "[--max-connections N] [--routes] [--openapi]",
     "the dashboard and JSON API (stops cleanly on SIGINT/SIGTERM)"},
    {"brief", NULL, cmd_brief, "db: year: o: output:",
     "corridor brief [--year Y] [--db PATH] "
     "-o brief.html",
     "a self-contained HTML briefing of every area, printable on A4"},
    {"token", "create", cmd_token_create, "db: name: role:",
     "corridor token create --name N "
     "--role viewer|editor:AREA|admin",
     "create an API token (printed once; only its hash is kept)"},
    {"token", "list", cmd_token_list, "db: format:", "corridor token list", "the API tokens"},
    {"token", "revoke", cmd_token_revoke, "db:", "corridor token revoke NAME",
     "revoke a token and end its sessions"},
    {"db", "check", cmd_db_check, "db: format:", "corridor db check [--db PATH]",
     "integrity and foreign-key check"},
    {"db", "backup", cmd_db_backup, "db:", "corridor db backup FILE [--db PATH]",
     "copy the live database with SQLite's online backup"},
    {"audit", "list", cmd_audit_list, "db: format: entity: limit:",
     "corridor audit list [--entity E] [--limit N]", "who changed what, newest first"},
    {"ref", "countries", cmd_ref_countries, "db: format:", "corridor ref countries",
     "countries and statistical aggregates with their codes"},
    {"ref", "regions", cmd_ref_regions, "db: format: country:",
     "corridor ref regions [--country C]", "sub-national regions (ISO 3166-2)"},
    {"ref", "hs", cmd_ref_hs, "db: format: prefix: level:",
     "corridor ref hs [--prefix 1001] [--level 2|4|6]", "the HS2022 nomenclature"},
    {"ref", "resolve", cmd_ref_resolve, "db:", "corridor ref resolve CODE",
     "what a country or region code (KAZ, kz, 398, CN-65, a name) means"},
    {"trade", "import", cmd_trade_import, "db: format: source: dry-run skip-bad: breakdown",
     "corridor trade import FILE... [--format auto|comtrade|comtrade-legacy|native] "
     "[--source NAME] [--dry-run] [--skip-bad REJECTS.csv] [--breakdown]",
     "import UN Comtrade (plus, legacy) or native CSV, plain or .gz; all or nothing per file"},
    {"trade", "sources", cmd_trade_sources,
     "db: format: import:", "corridor trade sources [--import SOURCES.csv]",
     "list (or load) the sources: publisher, date, synthetic or not"},
    {"trade", "totals", cmd_trade_totals, REPORT_FLAGS "reporter: partner: from: to:",
     "corridor trade totals --reporter R --partner P [--source S] [--from Y] [--to Y]",
     "exports, imports, turnover, balance and growth per year"},
    {"trade", "partners", cmd_trade_partners,
     REPORT_FLAGS "reporter: year: top:", "corridor trade partners --reporter R --year Y [--top N]",
     "partners ranked by turnover with their share of the reporter's trade"},
    {"trade", "regions", cmd_trade_regions, REPORT_FLAGS "reporter-country: partner: year:",
     "corridor trade regions --reporter-country C --partner P --year Y",
     "sub-national regions' trade with the partner and their share of the bilateral total"},
    {"trade", "goods", cmd_trade_goods, REPORT_FLAGS "reporter: partner: year: level: top: flow:",
     "corridor trade goods --reporter R --partner P --year Y [--level 2|4|6] [--top N] "
     "[--flow X|M]",
     "commodity structure with HS descriptions, shares and change on the previous year"},
    {"trade", "mirror", cmd_trade_mirror, REPORT_FLAGS "a: b: from: to: level:",
     "corridor trade mirror --a R --b P [--from Y] [--to Y] [--level 0|2]",
     "what each side reports of the same flows, with the gap"},
    {"trade", "forecast", cmd_trade_forecast, REPORT_FLAGS "reporter: partner: flow: years:",
     "corridor trade forecast --reporter R --partner P [--flow turnover|X|M] [--years N]",
     "projection with 80% and 95% intervals; model chosen by backtest"},
    {"parties", "add", cmd_add, "db:",
     "corridor parties add --name N --country C [--region R] "
     "--kind state-owned|private|agency|government|international [--origin O] [--source S]",
     "record an organisation", agr_party_spec, &agr_party_nspec, agr_party_insert, "party"},
    {"parties", "list", cmd_parties_list, "db: format: country:",
     "corridor parties list "
     "[--country C]",
     "the organisations"},
    {"parties", "show", cmd_parties_show, "db: format:", "corridor parties show NAME",
     "one organisation and its agreements"},
    {"parties", "import", cmd_import, "db: skip-bad: dry-run",
     "corridor parties import FILE.csv "
     "[--skip-bad REJECTS.csv] [--dry-run]",
     "import organisations (columns as the add flags)", agr_party_spec, &agr_party_nspec,
     agr_party_insert, "party"},
    {"agreements", "add", cmd_add, "db:",
     "corridor agreements add --code C --title T --kind "
     "supply|framework --parties 'NAME:role;NAME:role' --hs 1001,1206 [--cap-t T] [--cap-usd V] "
     "[--period calendar|july-june] --start D [--end D] --status S [--source S]",
     "record an agreement with its parties, scope and annual cap", agr_spec, &agr_nspec, agr_insert,
     "agreement"},
    {"agreements", "amend", cmd_agr_amend, "db:",
     "corridor agreements amend CODE --effective D "
     "[--hs ...] [--cap-t T] [--cap-usd V] [--period P] [--end D] [--status S] [--note N]",
     "new terms from a date; the earlier terms stay in the history", agr_amend_row_spec + 1,
     &agr_amend_nspec},
    {"agreements", "close", cmd_agr_close, "db: status: date:",
     "corridor agreements close CODE "
     "--status expired|terminated --date D",
     "end an agreement (an amendment)"},
    {"agreements", "list", cmd_agr_list, "db: format: date:",
     "corridor agreements list "
     "[--date D]",
     "agreements with the terms in force on a date"},
    {"agreements", "show", cmd_agr_show, "db: format:", "corridor agreements show CODE",
     "every version of an agreement's terms, and its parties"},
    {"agreements", "import", cmd_import, "db: skip-bad: dry-run",
     "corridor agreements import "
     "FILE.csv [--skip-bad REJECTS.csv] [--dry-run]",
     "import agreements", agr_spec, &agr_nspec, agr_insert, "agreement"},
    {"agreements", "import-amendments", cmd_import, "db: skip-bad: dry-run",
     "corridor agreements "
     "import-amendments FILE.csv",
     "import amendments (code, effective, changed terms)", agr_amend_row_spec, &agr_amend_row_nspec,
     agr_amend_record, "agreement"},
    {"agreements", "fulfilment", cmd_fulfilment, "db: format: agreement: period: date:",
     "corridor agreements fulfilment [--agreement CODE] [--period 2024|2024/25] [--date D]",
     "cap, declared, shipped, delivered, remaining, projection and flags"},
    {"access", "check", cmd_access_check, "db: format: hs: from: region: to: plant: docs: date:",
     "corridor access check --hs HS --from C [--region R] --to C [--plant REG] [--docs a,b] "
     "[--date D]",
     "can it go? every reason for a refusal (exit 0 allowed, 1 refused, 2 error)"},
    {"access", "rules", cmd_access_rules, "db: format: hs: from: to: date:",
     "corridor access "
     "rules [--hs HS] [--from C] [--to C] [--date D]",
     "market-access rules"},
    {"access", "rule-add", cmd_add, "db:",
     "corridor access rule-add --hs P --from C [--region R] "
     "--to C --status open|pending|suspended|closed [--documents a,b] [--legal-basis L] "
     "--effective-from D [--effective-to D] [--source S]",
     "record a rule", access_rule_spec, &access_rule_nspec, access_rule_insert, "rule for HS"},
    {"access", "import-rules", cmd_import, "db: skip-bad: dry-run",
     "corridor access import-rules "
     "FILE.csv",
     "import rules", access_rule_spec, &access_rule_nspec, access_rule_insert, "access_rule"},
    {"access", "plants", cmd_access_plants, "db: format: country: date:",
     "corridor access plants "
     "[--country C] [--date D]",
     "registered establishments"},
    {"access", "plant-add", cmd_add, "db:",
     "corridor access plant-add --registration R --name N "
     "--country C [--region R] --hs P --importer C --valid-from D --valid-to D --status "
     "active|suspended|expired",
     "record a registered establishment", access_plant_spec, &access_plant_nspec,
     access_plant_insert, "establishment"},
    {"access", "plant-status", cmd_access_plant_status, "db: status:",
     "corridor access "
     "plant-status REG --status active|suspended|expired",
     "suspend or reinstate an "
     "establishment"},
    {"access", "import-plants", cmd_import, "db: skip-bad: dry-run",
     "corridor access "
     "import-plants FILE.csv",
     "import establishments", access_plant_spec, &access_plant_nspec, access_plant_insert,
     "establishment"},
    {"access", "barriers", cmd_access_barriers, "db: format: status:",
     "corridor access barriers "
     "[--status in force|lifted|proposed]",
     "non-tariff barriers with the trade they affect"},
    {"access", "barrier-add", cmd_add, "db:",
     "corridor access barrier-add --code C --imposing C "
     "--affected C --hs P --ntm-code A14 --title T --status S [...]",
     "record a barrier", access_barrier_spec, &access_barrier_nspec, access_barrier_insert,
     "barrier"},
    {"access", "import-barriers", cmd_import, "db: skip-bad: dry-run",
     "corridor access "
     "import-barriers FILE.csv",
     "import barriers", access_barrier_spec, &access_barrier_nspec, access_barrier_insert,
     "barrier"},
    {"shipments", "declare", cmd_ship_declare, "db: format:",
     "corridor shipments declare "
     "--reference R --exporter P --importer P [--agreement C] --hs HS --net-t T --value-usd V "
     "--origin C [--origin-region R] --dest C [--dest-region R] [--crossing X] --mode M "
     "[--plant REG] [--documents a,b] --date D",
     "declare a consignment through the gates", ship_spec, &ship_nspec},
    {"shipments", "import", cmd_import, "db: skip-bad: dry-run",
     "corridor shipments import "
     "FILE.csv [--skip-bad REJECTS.csv] [--dry-run]",
     "declare consignments from a file", ship_spec, &ship_nspec, ship_declare_record, "shipment"},
    {"shipments", "event", cmd_ship_event, "db:",
     "corridor shipments event REF --event "
     "departed|arrived|cleared|transshipped|crossed|delivered|rejected --at YYYY-MM-DDTHH:MM "
     "[--place P] [--note N]",
     "record what happened, in order", ship_event_spec, &ship_event_nspec, NULL, NULL, "reference"},
    {"shipments", "import-events", cmd_import, "db: skip-bad: dry-run",
     "corridor shipments "
     "import-events FILE.csv",
     "import events (reference,event,at,place,note)", ship_event_spec, &ship_event_nspec,
     ship_event_record, "shipment"},
    {"shipments", "list", cmd_ship_list, "db: format: agreement: status: crossing: from: to: hs:",
     "corridor shipments list [--agreement C] [--status S] [--crossing X] [--from D] [--to D] "
     "[--hs P]",
     "consignments"},
    {"shipments", "show", cmd_ship_show, "db: format:", "corridor shipments show REF",
     "one consignment and its events"},
    {"shipments", "crossing-times", cmd_ship_times, "db: format: crossing: from: to:",
     "corridor shipments crossing-times [--crossing X] [--from D] [--to D]",
     "time to cross per crossing and month: median and 90th percentile"},
    {"gen", "trade", cmd_gen_trade,
     "rows: out: seed:", "corridor gen trade --rows N --out FILE [--seed S]",
     "write a large synthetic UN Comtrade plus file for benchmarks"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *f)
{
    fprintf(f,
            "corridor %s — Kazakhstan–China trade and investment cooperation\n\n"
            "usage: corridor COMMAND [options]   (every command takes --db PATH;\n"
            "       default $CORRIDOR_DB or ./corridor.db)\n\n",
            CORRIDOR_VERSION);
    const char *last = "";
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct command *c = &commands[i];
        if (strcmp(c->area, last) != 0 && c->verb) fprintf(f, "\n%s:\n", c->area);
        last = c->area;
        char name[64];
        snprintf(name, sizeof name, "%s%s%s", c->area, c->verb ? " " : "", c->verb ? c->verb : "");
        fprintf(f, "  %-29s %s\n", name, c->summary);
    }
    fprintf(f, "\n'corridor AREA --help' and 'corridor AREA VERB --help' give the options.\n"
               "Reports take --format text|csv|json.\n");
}

static int usage_area(FILE *f, const char *area)
{
    int found = 0;
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].area, area) == 0) {
            if (!found) fprintf(f, "corridor %s:\n\n", area);
            fprintf(f, "  %s\n      %s\n", commands[i].usage, commands[i].summary);
            found = 1;
        }
    return found;
}

int main(int argc, char **argv)
{
    struct err e = {0};
    if (argc < 2) {
        usage_all(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage_all(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("corridor %s (SQLite %s)\n", CORRIDOR_VERSION, sqlite3_libversion());
        return 0;
    }
    const struct command *cmd = NULL;
    int consumed = 2;
    for (size_t i = 0; i < NCOMMANDS && !cmd; i++) {
        if (strcmp(commands[i].area, argv[1]) != 0) continue;
        if (!commands[i].verb)
            cmd = &commands[i];
        else if (argc > 2 && strcmp(commands[i].verb, argv[2]) == 0)
            cmd = &commands[i], consumed = 3;
    }
    if (!cmd) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) &&
            usage_area(stdout, argv[1]))
            return 0;
        if (usage_area(stderr, argv[1])) {
            fprintf(stderr, "\ncorridor: unknown %s command '%s'\n", argv[1],
                    argc > 2 ? argv[2] : "");
            return 2;
        }
        fprintf(stderr, "corridor: unknown command '%s' (see corridor --help)\n", argv[1]);
        return 2;
    }
    for (int i = consumed; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: %s\n\n%s\n", cmd->usage, cmd->summary);
            return 0;
        }
    struct ctx c = {0};
    c.cmd = cmd;
    int rc = parse_args(argc - consumed, argv + consumed, cmd->flags, cmd->spec,
                        cmd->nspec ? *cmd->nspec : 0, &c.a, &e);
    if (!rc) rc = cmd->run(&c, &e);
    ref_free(c.ref);
    db_close(c.db);
    if (fflush(stdout) != 0 && !rc) rc = err_set(&e, ERR_IO, "cannot write the output");
    if (rc) {
        if (!e.code) e.code = rc;
        err_print(&e, stderr);
        if (rc == ERR_USAGE) fprintf(stderr, "usage: %s\n", cmd->usage);
        /* access check: 0 allowed, 1 refused, 2 any error */
        if (cmd->run == cmd_access_check && rc != ERR_REFUSED) return 2;
        return err_exit_status(rc);
    }
    return 0;
}

/* ---- demo and overview (composition of the areas' functions) ---------------- */

/* Writes an embedded file to a temporary file, so that the demo data takes
 * the same path as a user's import. The caller unlinks tmp. */
static int stage_asset(const char *name, char tmp[32], struct err *e)
{
    size_t len;
    const char *data = asset_get(name, &len);
    strcpy(tmp, "/tmp/corridor-demo-XXXXXX");
    int fd = data ? mkstemp(tmp) : -1;
    if (fd < 0) return err_set(e, ERR_IO, "cannot stage %s", name);
    FILE *f = fdopen(fd, "w");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f) fclose(f);
    if (!ok) {
        unlink(tmp);
        return err_set(e, ERR_IO, "cannot stage %s", name);
    }
    return 0;
}

static int load_demo(struct db *db, struct err *e)
{
    static const char *trade_files[] = {"data/demo/trade-published.csv",
                                        "data/demo/trade-synthetic.csv"};
    static const struct {
        const char *file;
        const struct rec_field *spec;
        const size_t *n;
        db_record_fn fn;
        const char *entity;
    } records[] = {
        {"data/demo/parties.csv", agr_party_spec, &agr_party_nspec, agr_party_insert, "party"},
        {"data/demo/agreements.csv", agr_spec, &agr_nspec, agr_insert, "agreement"},
        {"data/demo/agreement-amendments.csv", agr_amend_row_spec, &agr_amend_row_nspec,
         agr_amend_record, "agreement"},
        {"data/demo/access-rules.csv", access_rule_spec, &access_rule_nspec, access_rule_insert,
         "access_rule"},
        {"data/demo/plants.csv", access_plant_spec, &access_plant_nspec, access_plant_insert,
         "establishment"},
        {"data/demo/barriers.csv", access_barrier_spec, &access_barrier_nspec,
         access_barrier_insert, "barrier"},
        {"data/demo/shipments.csv", ship_spec, &ship_nspec, ship_declare_record, "shipment"},
        {"data/demo/shipment-events.csv", ship_event_spec, &ship_event_nspec, ship_event_record,
         "shipment"},
    };
    struct ref *ref = NULL;
    char tmp[32];
    int rc = trade_sources_import(db, "data/demo/sources.csv", 1, e);
    if (!rc) rc = ref_open(db, &ref, e);
    for (size_t i = 0; i < 2 && !rc; i++) {
        if ((rc = stage_asset(trade_files[i], tmp, e))) break;
        struct trade_import_opts o = {.format = "native"};
        struct trade_import_stats s;
        rc = trade_import_file(db, ref, tmp, &o, &s, e);
        if (rc && e->file[0]) str_copy(e->file, trade_files[i], sizeof e->file);
        if (!rc) trade_import_summary(stdout, trade_files[i], &s, 0);
        unlink(tmp);
    }
    for (size_t i = 0; i < sizeof records / sizeof records[0] && !rc; i++) {
        if ((rc = stage_asset(records[i].file, tmp, e))) break;
        struct db_import_opts o = {.action = "demo.import", .entity = records[i].entity};
        struct db_import_stats s;
        rc = db_import_records(db, tmp, records[i].spec, *records[i].n, records[i].fn, ref, &o, &s,
                               e);
        if (rc && e->file[0]) str_copy(e->file, records[i].file, sizeof e->file);
        if (!rc) printf("%s: %llu rows\n", records[i].file, (unsigned long long)s.stored);
        unlink(tmp);
    }
    ref_free(ref);
    return rc;
}

static int cmd_overview(struct ctx *c, struct err *e)
{
    long year;
    int rc = open_db(c, 0, e);
    if (!rc) rc = opt_int(&c->a, "year", 1900, 2200, 2023, &year, e);
    if (rc) return rc;
    struct trade_query kz = {.reporter = "KAZ", .partner = "CHN", .year = (int)year};
    struct trade_query cn = {.reporter = "CHN", .partner = "KAZ", .year = (int)year, .years = 3};
    struct trade_query rg = {.region_country = "CHN", .partner = "KAZ", .year = (int)year};
    struct trade_query pr = {.reporter = "KAZ", .year = (int)year, .top = 5};
    struct table *t;
    printf("== Kazakhstan–China trade overview, %ld ==\n\n", year);
    if ((rc = trade_totals(c->db, &kz, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = trade_totals(c->db, &cn, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = trade_partners(c->db, &pr, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = trade_regions(c->db, &rg, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = trade_forecast(c->db, &cn, &t, e))) return rc;
    render(c, t);
    /* agreements as of the latest declared consignment, market access today */
    char last[11];
    if ((rc = ship_latest_date(c->db, last, e))) return rc;
    printf("\n== Supply agreements and market access ==\n\n");
    if ((rc = ship_fulfilment(c->db, NULL, NULL, last[0] ? last : NULL, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = access_rules_list(c->db, "02", "KAZ", "CHN", NULL, &t, e))) return rc;
    render(c, t);
    putchar('\n');
    if ((rc = access_barriers_list(c->db, "in force", &t, e))) return rc;
    render(c, t);
    return 0;
}
