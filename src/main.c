/* main.c — the corridor command line. One table lists every command (area,
 * verb, options, usage, summary) and the help is generated from it, in the
 * manner of Fossil's and Redis's command tables. Handlers parse flags, call
 * the area's functions and render the struct table they return; they run no
 * SQL themselves. Only this file calls exit(). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "db/db.h"
#include "ref/ref.h"
#include "report/report.h"
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

/* spec lists the command's flags: "db: format: dry-run" (':' = takes a value). */
static int parse_args(int argc, char **argv, const char *spec, struct args *a, struct err *e)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
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
        /* find the flag in spec */
        const char *p = spec;
        int found = 0, takes = 0;
        while (p && *p) {
            while (*p == ' ') p++;
            size_t n = strcspn(p, " :");
            if (n == len && strncmp(p, name, n) == 0) {
                found = 1;
                takes = p[n] == ':';
                break;
            }
            p += n;
            if (*p == ':') p++;
        }
        if (!found) {
            err_at(e, NULL, 0, 0, s);
            return err_set(e, ERR_USAGE, "unknown option --%s (see --help)", name);
        }
        if (a->n == MAX_ARGS) return err_set(e, ERR_USAGE, "too many options");
        str_copy(a->name[a->n], name, sizeof a->name[a->n]);
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
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->name[i], name) == 0) v = a->value[i]; /* the last one wins */
    return v;
}

static int opt_int(const struct args *a, const char *name, long min, long max, long dflt,
                   long *out, struct err *e)
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

struct ctx {
    struct db *db;
    struct ref *ref;
    struct args a;
    enum report_format fmt;
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

static int resolve(struct ctx *c, const char *flag, int required, const char **out,
                   struct err *e)
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
        return err_set(e, ERR_CONFLICT, "a database already exists; use --force to add the "
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
        if (o.rejects && s.rejected)
            printf("rejected rows and reasons written to %s\n", o.rejects);
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

static int cmd_overview(struct ctx *c, struct err *e);

/* ---- the command table ------------------------------------------------------ */

struct command {
    const char *area, *verb;
    int (*run)(struct ctx *, struct err *);
    const char *flags;
    const char *usage;
    const char *summary;
};

#define REPORT_FLAGS "db: format: source: "

static const struct command commands[] = {
    {"init", NULL, cmd_init, "db:", "corridor init [--db PATH]",
     "create a database with the reference data (countries, regions, HS2022)"},
    {"demo", NULL, cmd_demo, "db: force", "corridor demo [--db PATH] [--force]",
     "create a database holding the demo data (published figures and labelled synthetic rows)"},
    {"overview", NULL, cmd_overview, "db: year:", "corridor overview [--db PATH] [--year Y]",
     "the headline facts: bilateral trade from both sides, China's rank, Xinjiang's share, "
     "forecast"},
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
    {"trade", "sources", cmd_trade_sources, "db: format: import:",
     "corridor trade sources [--import SOURCES.csv]",
     "list (or load) the sources: publisher, date, synthetic or not"},
    {"trade", "totals", cmd_trade_totals, REPORT_FLAGS "reporter: partner: from: to:",
     "corridor trade totals --reporter R --partner P [--source S] [--from Y] [--to Y]",
     "exports, imports, turnover, balance and growth per year"},
    {"trade", "partners", cmd_trade_partners, REPORT_FLAGS "reporter: year: top:",
     "corridor trade partners --reporter R --year Y [--top N]",
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
    {"gen", "trade", cmd_gen_trade, "rows: out: seed:",
     "corridor gen trade --rows N --out FILE [--seed S]",
     "write a large synthetic UN Comtrade plus file for benchmarks"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *f)
{
    fprintf(f, "corridor %s — Kazakhstan–China trade and investment cooperation\n\n"
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
        fprintf(f, "  %-18s %s\n", name, c->summary);
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
        if (!commands[i].verb) cmd = &commands[i];
        else if (argc > 2 && strcmp(commands[i].verb, argv[2]) == 0) cmd = &commands[i], consumed = 3;
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
    int rc = parse_args(argc - consumed, argv + consumed, cmd->flags, &c.a, &e);
    if (!rc) rc = cmd->run(&c, &e);
    ref_free(c.ref);
    db_close(c.db);
    if (fflush(stdout) != 0 && !rc) rc = err_set(&e, ERR_IO, "cannot write the output");
    if (rc) {
        if (!e.code) e.code = rc;
        err_print(&e, stderr);
        if (rc == ERR_USAGE) fprintf(stderr, "usage: %s\n", cmd->usage);
        return err_exit_status(rc);
    }
    return 0;
}

/* ---- demo and overview (composition of the areas' functions) ---------------- */

static int load_demo(struct db *db, struct err *e)
{
    struct ref *ref = NULL;
    int rc = trade_sources_import(db, "data/demo/sources.csv", 1, e);
    if (!rc) rc = ref_open(db, &ref, e);
    static const char *files[] = {"data/demo/trade-published.csv",
                                  "data/demo/trade-synthetic.csv"};
    for (size_t i = 0; i < 2 && !rc; i++) {
        /* embedded files are written to a temporary file so they take the same
         * path as a user's import */
        size_t len;
        const char *data = asset_get(files[i], &len);
        char tmp[] = "/tmp/corridor-demo-XXXXXX";
        int fd = data ? mkstemp(tmp) : -1;
        if (fd < 0) {
            rc = err_set(e, ERR_IO, "cannot stage %s", files[i]);
            break;
        }
        FILE *f = fdopen(fd, "w");
        int ok = f && fwrite(data, 1, len, f) == len;
        if (f) fclose(f);
        if (!ok) rc = err_set(e, ERR_IO, "cannot stage %s", files[i]);
        struct trade_import_opts o = {.format = "native"};
        struct trade_import_stats s;
        if (!rc) rc = trade_import_file(db, ref, tmp, &o, &s, e);
        if (rc && e->file[0]) str_copy(e->file, files[i], sizeof e->file);
        if (!rc) trade_import_summary(stdout, files[i], &s, 0);
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
    struct trade_query cn = {.reporter = "CHN", .partner = "KAZ", .year = (int)year,
                             .years = 3};
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
    return 0;
}
