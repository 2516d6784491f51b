/* fuzz_ops.c — libFuzzer target: every importer of the operation table
 * (each command whose verb is "import" or "import-...", once for each value
 * of its format or what parameter) and the logistics scenario, over
 * arbitrary bytes, on a database holding the demo data. The input's first
 * byte chooses the command, its second how it runs (bit 0: rejects asked
 * for; bit 1: a dry run; bits 2-3: the file name it is sent under; bit 4:
 * its yes-or-no flags on); the rest is the file (or the scenario).
 *
 * Invariants: a refusal says why (e.msg) and leaves the row count of every
 * table as it was; no transaction stays open; a dry run changes nothing;
 * with rejects asked for, every row read is stored or set aside. A stored
 * import is undone by putting the demo database back, so that every input
 * meets the same data. FUZZ_OPS_LIST=1 prints the table of commands (the
 * seeds' first byte: fuzz/corpus/fuzz_ops/README). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/ops.h"
#include "workdir.h"

#define MAX_TARGETS 96

struct target {
    const struct op_cmd *cmd;
    const char *pname; /* the parameter it chooses (format, what, scenario), or NULL */
    char choice[48];   /* its value */
};

static struct target targets[MAX_TARGETS];
static size_t ntargets;
static struct db *db;
static struct ref *ref;
static char dir[64], demo_path[96], work_path[96];
static char *count_sql; /* the row count of every table, summed */
static int64_t demo_rows;

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "fuzz_ops: %s: %s\n", what, e ? e->msg : "");
    abort();
}

static void add(const struct op_cmd *cmd, const char *pname, const char *choice, size_t len)
{
    if (ntargets == MAX_TARGETS) die("too many commands for the table", NULL);
    struct target *t = &targets[ntargets++];
    t->cmd = cmd;
    t->pname = pname;
    snprintf(t->choice, sizeof t->choice, "%.*s", (int)len, choice ? choice : "");
}

/* Every import command, expanded over the values of its format or what. */
static void list_targets(void)
{
    size_t n;
    const struct op_cmd *cmds = op_commands(&n);
    for (size_t i = 0; i < n; i++) {
        const char *verb = cmds[i].verb;
        if (!verb || (strcmp(verb, "import") != 0 && strncmp(verb, "import-", 7) != 0)) continue;
        const struct op *op = cmds[i].op;
        int k = cmds[i].import ? -1 : op_param_index(op, "format");
        if (k < 0 && !cmds[i].import) k = op_param_index(op, "what");
        if (k < 0 || op->params[k].type != PT_ENUM) {
            add(&cmds[i], NULL, NULL, 0);
            continue;
        }
        for (const char *a = op->params[k].allowed; *a;) {
            size_t len = strcspn(a, "|");
            add(&cmds[i], op->params[k].name, a, len);
            a += len + (a[len] == '|');
        }
    }
    /* the one file a logistics planner hands in that is not rows */
    add(op_find("logistics", "assign"), "scenario", "", 0);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) die("cannot copy the demo database", NULL);
    char b[1 << 16];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        if (fwrite(b, 1, n, out) != n) die("cannot copy the demo database", NULL);
    fclose(in);
    if (fclose(out)) die("cannot copy the demo database", NULL);
}

static int64_t rows(void)
{
    struct err e = {0};
    int64_t n = -1;
    if (db_lookup_int(db, &e, &n, count_sql, NULL) != 1) die("cannot count rows", &e);
    return n;
}

/* The working database as the demo left it. */
static void restore(void)
{
    struct err e = {0};
    ref_free(ref);
    db_close(db);
    char side[128];
    snprintf(side, sizeof side, "%s-wal", work_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", work_path);
    unlink(side);
    copy_file(demo_path, work_path);
    if (db_open(work_path, DB_WRITE, &db, NULL, &e) || ref_open(db, &ref, &e))
        die("cannot open the working database", &e);
}

static void cleanup(void)
{
    ref_free(ref);
    db_close(db);
    workdir_remove(dir);
}

static void setup(void)
{
    struct err e = {0};
    list_targets();
    if (getenv("FUZZ_OPS_LIST"))
        for (size_t i = 0; i < ntargets; i++)
            printf("%zu %s %s %s\n", i, targets[i].cmd->area, targets[i].cmd->verb,
                   targets[i].choice);
    snprintf(dir, sizeof dir, "/tmp/fuzz-ops-XXXXXX");
    if (!mkdtemp(dir)) die("cannot make a directory", NULL);
    snprintf(demo_path, sizeof demo_path, "%s/demo.db", dir);
    snprintf(work_path, sizeof work_path, "%s/work.db", dir);
    if (db_open(demo_path, DB_CREATE, &db, NULL, &e) || ref_install(db, &e) ||
        ref_open(db, &ref, &e) || op_demo_load(db, ref, NULL, &e))
        die("cannot load the demo data", &e);
    struct buf sql = {0};
    buf_puts(&sql, "SELECT 0");
    if (db_join(db, &e, &sql, "",
                "SELECT ' + (SELECT count(*) FROM \"' || name || '\")' FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                NULL))
        die("cannot list the tables", &e);
    count_sql = sql.p;
    restore(); /* closes the demo database, whose WAL is then folded in */
    demo_rows = rows();
    atexit(cleanup);
}

struct input {
    const struct target *t;
    const char *file, *text;
    int flags;
};

static const char *get(void *ctx, const char *name)
{
    const struct input *in = ctx;
    static const char *const names[] = {"fuzz.csv", "BACI_HS17_Y2022_V202401.csv",
                                        "country_codes_V202401.csv", "fuzz.xlsx"};
    if (in->t->pname && strcmp(name, in->t->pname) == 0)
        return in->text ? in->text : in->t->choice;
    if (strcmp(name, "file") == 0) return "(body)";
    if (strcmp(name, "filename") == 0) return names[(in->flags >> 2) & 3];
    if (strcmp(name, "year") == 0) return "2026";
    int k = op_param_index(in->t->cmd->op, name);
    if (k >= 0 && in->t->cmd->op->params[k].type == PT_FLAG && (in->flags & 16)) return "yes";
    return NULL;
}

/* Runs the input's command; checks what a refusal, a dry run and rejects
 * promise. */
static void run(const struct target *t, int flags, const char *data, size_t size)
{
    struct err e = {0};
    struct op_call c;
    op_call_init(&c, t->cmd->op);
    c.db = db;
    c.ref = ref;
    c.dry_run = (flags & 2) != 0;
    c.label = "fuzz";
    char *mem = NULL, *text = NULL;
    size_t len = 0;
    int rows_in = t->cmd->import || (t->cmd->op->flags & OPF_ROWS);
    if ((flags & 1) && rows_in) c.rejects = open_memstream(&mem, &len);
    struct input in = {.t = t, .flags = flags};
    int rc;
    if (t->cmd->import) {
        struct csv_src src = {.data = data, .len = size, .label = get(&in, "filename")};
        rc = op_import(&c, &src, &e);
    } else {
        if (t->pname && strcmp(t->pname, "scenario") == 0)
            in.text = text = strndup(data, size);
        else
            c.body = data, c.body_len = size;
        rc = op_parse(&c, get, &in, &e);
        if (!rc) rc = op_execute(&c, &e);
    }
    if (c.rejects) fclose(c.rejects);
    int64_t now = rows();
    if (getenv("FUZZ_OPS_VERBOSE"))
        fprintf(stderr, "%s %s %s: rc %d read %lld stored %lld rejected %lld %s\n", t->cmd->area,
                t->cmd->verb, t->choice, rc, (long long)op_stat_get(&c, "read"),
                (long long)op_stat_get(&c, "stored"), (long long)op_stat_get(&c, "rejected"),
                rc ? e.msg : c.done);
    if (rc && !e.msg[0]) __builtin_trap();                 /* every refusal says why */
    if ((rc || c.dry_run) && now != demo_rows) __builtin_trap(); /* all or nothing */
    if (db_in_transaction(db)) __builtin_trap();             /* never left half open */
    if (!rc && c.rejects) {
        int64_t read = op_stat_get(&c, "read"), kept = op_stat_get(&c, "stored"),
                rejected = op_stat_get(&c, "rejected");
        if (t->cmd->import ? read != kept + rejected : kept + rejected > read) __builtin_trap();
    }
    op_call_free(&c);
    free(mem);
    free(text);
    if (now != demo_rows) restore();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) setup();
    if (size < 2) return 0;
    const struct target *t = &targets[data[0] % ntargets];
    run(t, data[1], (const char *)data + 2, size - 2);
    return 0;
}
