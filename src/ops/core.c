/* core.c — corridor's own operations, which compose the areas rather than
 * belong to one: creating a database (init) and filling it with the demo
 * data (through every area's own operations, file by file, in one
 * transaction), the overview, the database check and backup, and the audit
 * log. */
#include "ops.h"

#include "../access/access.h"
#include "../shipments/shipments.h"
#include "../trade/trade.h"

#include <string.h>

/* ---- init and demo ---- */

static const char ref_files_json[] =
    "{\"files\":[\"country-codes.csv\",\"country-extra.csv\",\"country-aliases.csv\","
    "\"regions.csv\",\"hs-sections.csv\",\"harmonized-system.csv\"]}";

static int init(struct op_call *c, struct err *e)
{
    int rc = ref_install(c->db, e);
    int version = rc ? rc : db_schema_version(c->db, e);
    if (version < 0) return version;
    c->after = xstrdup(ref_files_json);
    op_done(c, "database %s ready (schema version %d)", db_path(c->db), version);
    return 0;
}

/* The trade importer's parameters for an embedded file: native layout. */
static const char *demo_get(void *ctx, const char *name)
{
    if (strcmp(name, "file") == 0) return ctx;
    if (strcmp(name, "format") == 0) return "native";
    return NULL;
}

/* Runs one command of the demo loader over an embedded file. */
static int demo_file(struct db *db, struct ref *ref, const char *file, const char *area,
                     const char *verb, FILE *log, struct err *e)
{
    const struct op_cmd *cmd = op_find(area, verb);
    size_t len;
    const char *data = asset_get(file, &len);
    if (!cmd || !data) return err_set(e, ERR_INTERNAL, "the demo file %s cannot be loaded", file);
    struct op_call c;
    op_call_init(&c, cmd->op);
    c.db = db;
    c.ref = ref;
    struct csv_src src = {.data = data, .len = len, .label = file};
    int rc;
    if (cmd->import) {
        rc = op_import(&c, &src, e);
    } else {
        c.body = data, c.body_len = len, c.label = file;
        rc = op_parse(&c, demo_get, (void *)file, e);
        if (!rc) rc = op_execute(&c, e);
    }
    if (!rc && log) fprintf(log, "%s\n", c.done);
    if (rc && !e->file[0]) err_at(e, file, 0, 0, NULL);
    op_call_free(&c);
    return rc;
}

int op_demo_load(struct db *db, struct ref *ref, FILE *log, struct err *e)
{
    static const struct {
        const char *file, *area, *verb;
    } files[] = {
        {"data/demo/sources.csv", "trade", "import-sources"},
        {"data/demo/trade-published.csv", "trade", "import"},
        {"data/demo/trade-synthetic.csv", "trade", "import"},
        {"data/demo/parties.csv", "parties", "import"},
        {"data/demo/agreements.csv", "agreements", "import"},
        {"data/demo/agreement-amendments.csv", "agreements", "import-amendments"},
        {"data/demo/access-rules.csv", "access", "import-rules"},
        {"data/demo/plants.csv", "access", "import-plants"},
        {"data/demo/barriers.csv", "access", "import-barriers"},
        {"data/demo/shipments.csv", "shipments", "import"},
        {"data/demo/shipment-events.csv", "shipments", "import-events"},
        {"data/demo/invest-projects.csv", "invest", "import-native"},
        {"data/demo/invest-figures.csv", "invest", "import-figures"},
        {"data/demo/logistics-nodes.csv", "logistics", "import-nodes"},
        {"data/demo/logistics-projects.csv", "logistics", "import-projects"},
        {"data/demo/logistics-links.csv", "logistics", "import-links"},
        {"data/demo/logistics-demand.csv", "logistics", "import-demand"},
        {"data/demo/tourism-flows.csv", "tourism", "import"},
        {"data/demo/meetings.csv", "commitments", "import-meetings"},
        {"data/demo/commitments.csv", "commitments", "import"},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && !rc; i++)
        rc = demo_file(db, ref, files[i].file, files[i].area, files[i].verb, log, e);
    return rc;
}

static int demo(struct op_call *c, struct err *e)
{
    int64_t rows = 0;
    int rc =
        db_lookup_int(c->db, e, &rows,
                      "SELECT (SELECT count(*) FROM party) + (SELECT count(*) FROM source)", NULL);
    if (rc < 0) return rc;
    if (rows && !op_i(c, "force")) {
        err_at(e, db_path(c->db), 0, 0, NULL);
        return err_set(e, ERR_CONFLICT,
                       "the database already holds data; use --force to add the demo data to "
                       "it, or give another --db");
    }
    struct ref *ref = NULL;
    if (!(rc = ref_install(c->db, e))) rc = ref_open(c->db, &ref, e);
    if (!rc) rc = op_demo_load(c->db, ref, stdout, e);
    ref_free(ref);
    if (!rc) op_done(c, "demo database %s ready", db_path(c->db));
    return rc;
}

/* ---- reading ---- */

/* Adds the table a report gives, once every report before it succeeded. */
#define REPORT(call)                                                                               \
    do {                                                                                           \
        struct table *t_ = NULL;                                                                   \
        if (!rc && !(rc = (call))) op_out(c, t_);                                                  \
    } while (0)

static int overview(struct op_call *c, struct err *e)
{
    int year = (int)op_i(c, "year"), rc = 0;
    struct trade_query kz = {.reporter = "KAZ", .partner = "CHN", .year = year};
    struct trade_query cn = {.reporter = "CHN", .partner = "KAZ", .year = year, .years = 3};
    struct trade_query rg = {.region_country = "CHN", .partner = "KAZ", .year = year};
    struct trade_query pr = {.reporter = "KAZ", .year = year, .top = 5};
    REPORT(trade_totals(c->db, &kz, &t_, e));
    REPORT(trade_totals(c->db, &cn, &t_, e));
    REPORT(trade_partners(c->db, &pr, &t_, e));
    REPORT(trade_regions(c->db, &rg, &t_, e));
    REPORT(trade_forecast(c->db, &cn, &t_, e));
    /* agreements as of the latest declared consignment, market access today */
    char last[11] = "";
    if (!rc) rc = ship_latest_date(c->db, last, e);
    REPORT(ship_fulfilment(c->db, NULL, NULL, last[0] ? last : NULL, &t_, e));
    REPORT(access_rules_list(c->db, "02", "KAZ", "CHN", NULL, &t_, e));
    REPORT(access_barriers_list(c->db, "in force", &t_, e));
    return rc;
}

static int db_check_op(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    int rc = db_check(c->db, &t, e);
    if (rc) return rc;
    op_out(c, t);
    return t->nrows ? err_set(e, ERR_DB, "the database check found problems") : 0;
}

static int db_backup_op(struct op_call *c, struct err *e)
{
    int rc = db_backup(c->db, op_s(c, "file"), e);
    if (!rc) {
        char msg[4200];
        snprintf(msg, sizeof msg, "corridor: backup written to %s\n", op_s(c, "file"));
        c->text = xstrdup(msg);
    }
    return rc;
}

static int audit_list(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, db_audit_list(c->db, op_s(c, "entity"), (int)op_i(c, "limit"), &t, e), &t);
}

static const struct op_param no_params[] = {{0}};

static const struct op_param demo_params[] = {
    {"force", PT_FLAG, 0, NULL, 0, 0, NULL, "add the demo data to a database that holds data"},
    {0},
};

static const struct op_param overview_params[] = {
    {"year", PT_YEAR, 0, NULL, 0, 0, "2023", "the year of the headline figures"},
    {0},
};

static const struct op_param backup_params[] = {
    {"file", PT_OUTPUT, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the new file to write"},
    {0},
};

static const struct op_param audit_params[] = {
    {"entity", PT_CODE, 0, NULL, 0, 0, NULL, "only changes of this kind of record"},
    {"limit", PT_INT, 0, NULL, 1, 100000, "50", "the newest N changes"},
    {0},
};

const struct op core_ops[] = {
    {"init", NULL, OP_WRITE, init, no_params,
     "create a database with the reference data (countries, regions, HS2022), or upgrade one",
     "init --db my.db", "admin", "reference", NULL, OPF_LOCAL | OPF_CREATE},
    {"demo", NULL, OP_WRITE, demo, demo_params,
     "create a database holding the demo data (published figures and labelled synthetic rows)",
     "demo --db demo.db", "admin", NULL, NULL, OPF_LOCAL | OPF_CREATE},
    {"overview", NULL, OP_READ, overview, overview_params,
     "the headline facts: bilateral trade from both sides, China's rank, Xinjiang's share, "
     "forecast, agreements and market access",
     "overview --year 2023", NULL, NULL, NULL, 0},
    {"db", "check", OP_READ, db_check_op, no_params, "integrity and foreign-key check", "db check",
     "admin", NULL, NULL, 0},
    {"db", "backup", OP_READ, db_backup_op, backup_params,
     "copy the live database with SQLite's online backup", "db backup corridor-2026-11-27.db",
     "admin", NULL, NULL, OPF_LOCAL | OPF_NOFORMAT},
    {"audit", "list", OP_READ, audit_list, audit_params, "who changed what, newest first",
     "audit list --entity agreement", "admin", NULL, NULL, 0},
    {0},
};
