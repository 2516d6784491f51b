/* cli.c — the command line, generated from the operation table:
 * `corridor AREA VERB [--param value]... [POSITIONAL]`, with --help for
 * every command (each option with its meaning, allowed values and default,
 * and an example), the options every command shares (--db, --format for
 * reports, --dry-run for writes, --skip-bad for imports), and the printing
 * of results and refusals. Nothing here knows any one operation. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_ARGS 64

/* What the command line gave: options by (normalised) name, positionals. */
struct cli {
    const struct op_cmd *cmd;
    const char *name[MAX_ARGS];
    const char *value[MAX_ARGS];
    char names[MAX_ARGS][64];
    int n;
    const char *pos[MAX_ARGS];
    int npos;
    int file_index; /* PF_MANY: which positional is being run */
};

/* The width text tables fit: $CORRIDOR_COLUMNS, else the terminal's (or
 * $COLUMNS, or 100) when the output is one; 0 (no limit) into a file or a
 * pipe, which get every column. */
static int text_width(void)
{
    long n = 0;
    struct err e = {0};
    const char *env = getenv("CORRIDOR_COLUMNS");
    if (env && *env) return int_parse(env, 20, 10000, &n, &e) ? 0 : (int)n;
    if (!isatty(STDOUT_FILENO)) return 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    env = getenv("COLUMNS");
    if (env && *env && !int_parse(env, 20, 10000, &n, &e)) return (int)n;
    return 100;
}

/* ---- the options every command shares ---- */

struct shared {
    const char *name, *meta, *help;
    int takes_value;
};

static const struct shared opt_db = {"db", "PATH",
                                     "the database (default $CORRIDOR_DB or ./corridor.db)", 1};
static const struct shared opt_format = {"format", "text|csv|json", "output format (default text)",
                                         1};
static const struct shared opt_dry = {"dry_run", "", "check everything, write nothing", 0};
static const struct shared opt_wide = {
    "wide", "",
    "text tables show every column, however wide (otherwise they fit the terminal, or "
    "$CORRIDOR_COLUMNS)",
    0};
static const struct shared opt_lang = {
    "lang", "en|ru|kk|zh",
    "the language of text tables (default: the locale's, LC_ALL, LC_MESSAGES or LANG)", 1};
static const struct shared opt_skip = {
    "skip_bad", "REJECTS.csv",
    "write refused rows with their reasons to this file and store the rest", 1};

static int is_import(const struct op_cmd *c)
{
    return c->import || (c->op->flags & OPF_ROWS);
}

/* The shared options a command takes, in help order. */
static int shared_opts(const struct op_cmd *c, const struct shared **out)
{
    int n = 0;
    if (c->op->kind == OP_READ && !c->import && !(c->op->flags & OPF_NOFORMAT)) {
        out[n++] = &opt_format;
        out[n++] = &opt_wide;
    }
    if (c->op->kind == OP_WRITE && !(c->op->flags & (OPF_OWN_TX | OPF_CREATE))) out[n++] = &opt_dry;
    if (is_import(c)) out[n++] = &opt_skip;
    if (!(c->op->flags & OPF_NODB)) out[n++] = &opt_db;
    out[n++] = &opt_lang;
    return n;
}

/* The parameters a command takes on the command line: an import takes one
 * file, whatever its operation's parameters. */
static const struct op_param import_params[] = {
    {"file", PT_FILE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the CSV file (plain or .gz)"},
    {0},
};

static const struct op_param *params_of(const struct op_cmd *c)
{
    static const struct op_param none[] = {{0}};
    if (c->import) return import_params;
    return c->op->params ? c->op->params : none;
}

static void norm(char *dst, const char *src, size_t size)
{
    size_t i = 0;
    for (; src[i] && i + 1 < size; i++)
        dst[i] = src[i] == '-' ? '_' : src[i];
    dst[i] = 0;
}

/* ---- help ---- */

static void upper(char *dst, const char *src, size_t size)
{
    size_t i = 0;
    for (; src[i] && i + 1 < size; i++)
        dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
    dst[i] = 0;
}

static void usage_line(struct buf *b, const struct op_cmd *c)
{
    buf_printf(b, "corridor %s%s%s", c->area, c->verb ? " " : "", c->verb ? c->verb : "");
    const struct op_param *ps = params_of(c);
    for (int i = 0; ps[i].name; i++) {
        const struct op_param *p = &ps[i];
        int req = p->flags & PF_REQUIRED;
        char flag[64], meta[64];
        if (p->flags & PF_POS) {
            upper(meta, p->name, sizeof meta);
            buf_printf(b, " %s%s%s%s", req ? "" : "[", meta, p->flags & PF_MANY ? "..." : "",
                       req ? "" : "]");
            continue;
        }
        op_flag_name(p->name, flag, sizeof flag);
        const char *m = op_type_meta(p);
        buf_printf(b, " %s%s%s%s%s", req ? "" : "[", flag, *m ? " " : "", m, req ? "" : "]");
    }
    const struct shared *sh[6];
    int n = shared_opts(c, sh);
    for (int i = 0; i < n; i++) {
        if (sh[i] == &opt_db || sh[i] == &opt_lang || sh[i] == &opt_wide) continue;
        char flag[64];
        op_flag_name(sh[i]->name, flag, sizeof flag);
        buf_printf(b, " [%s%s%s]", flag, *sh[i]->meta ? " " : "", sh[i]->meta);
    }
}

static const char *summary_of(const struct op_cmd *c, char *out, size_t size)
{
    if (!c->import) return c->op->summary;
    snprintf(out, size, "import a CSV file of records, one row each as '%s %s' takes them", c->area,
             c->op->verb);
    return out;
}

static void option_line(FILE *f, const char *left, const char *help)
{
    if (strlen(left) <= 24)
        fprintf(f, "  %-24s  %s\n", left, help);
    else
        fprintf(f, "  %s\n  %-24s  %s\n", left, "", help);
}

/* What a value must be, when the help text and the placeholder do not say
 * it already (bounds, the country's spelling, the date's form). */
static void type_detail(const struct op_param *p, char *out, size_t size)
{
    out[0] = 0;
    char a[48], b[48];
    switch (p->type) {
    case PT_COUNTRY:
    case PT_REGION:
    case PT_DATE:
    case PT_TIMESTAMP:
    case PT_HS:
    case PT_HSLIST:
    case PT_CODE:
        snprintf(out, size, "%s", op_type_words(p));
        break;
    case PT_INT:
    case PT_YEAR:
        if (p->min || p->max)
            snprintf(out, size, "%lld to %lld", (long long)p->min, (long long)p->max);
        break;
    case PT_MONEY:
        if (p->min || p->max)
            snprintf(out, size, "US$ %s to %s", dec_format_grouped(p->min, 2, a, sizeof a),
                     dec_format_grouped(p->max, 2, b, sizeof b));
        break;
    case PT_MASS:
        if (p->min || p->max)
            snprintf(out, size, "%s to %s t", mass_format_t(p->min, 1, a, sizeof a),
                     mass_format_t(p->max, 1, b, sizeof b));
        break;
    case PT_NUMBER:
        if (p->min || p->max)
            snprintf(out, size, "%s to %s", dec_format_trim(p->min, 6, a, sizeof a),
                     dec_format_trim(p->max, 6, b, sizeof b));
        break;
    default:
        break;
    }
}

/* One option's line of help; as_column: a CSV import's column instead. */
static void param_help(FILE *f, const struct op_param *p, int as_column)
{
    char left[700], flag[64], meta[64], detail[200], help[1000];
    if (as_column) {
        str_copy(left, p->name, sizeof left);
    } else if (p->flags & PF_POS) {
        upper(meta, p->name, sizeof meta);
        snprintf(left, sizeof left, "%s%s (or %s)", meta, p->flags & PF_MANY ? "..." : "",
                 op_flag_name(p->name, flag, sizeof flag));
    } else {
        const char *m = op_type_meta(p);
        snprintf(left, sizeof left, "%s%s%s", op_flag_name(p->name, flag, sizeof flag),
                 *m ? " " : "", m);
    }
    type_detail(p, detail, sizeof detail);
    snprintf(help, sizeof help, "%s%s%s%s%s%s", p->flags & PF_REQUIRED ? "required: " : "",
             p->help ? p->help : "", *detail ? "; " : "", detail, p->dflt ? "; default " : "",
             p->dflt ? p->dflt : "");
    option_line(f, left, help);
}

static void usage_cmd(FILE *f, const struct op_cmd *c)
{
    struct buf b = {0};
    char s[200];
    usage_line(&b, c);
    fprintf(f, "usage: %s\n\n%s\n\n", b.p, summary_of(c, s, sizeof s));
    buf_free(&b);
    const struct op_param *ps = params_of(c);
    for (int i = 0; ps[i].name; i++)
        param_help(f, &ps[i], 0);
    const struct shared *sh[6];
    int n = shared_opts(c, sh);
    for (int i = 0; i < n; i++) {
        char left[96], flag[64];
        snprintf(left, sizeof left, "%s%s%s", op_flag_name(sh[i]->name, flag, sizeof flag),
                 *sh[i]->meta ? " " : "", sh[i]->meta);
        option_line(f, left, sh[i]->help);
    }
    if (c->import) {
        fprintf(f, "\ncolumns (header names, in any order):\n");
        for (const struct op_param *p = c->op->params; p->name; p++)
            if (p->type != PT_FILE && p->type != PT_OUTPUT) param_help(f, p, 1);
    }
    if (c->op->example && !c->import) fprintf(f, "\nexample:\n  corridor %s\n", c->op->example);
}

static void usage_all(FILE *f)
{
    fprintf(f,
            "corridor %s — Kazakhstan–China trade and investment cooperation\n\n"
            "usage: corridor COMMAND [options]   (every command takes --db PATH;\n"
            "       default $CORRIDOR_DB or ./corridor.db)\n\n",
            CORRIDOR_VERSION);
    size_t n;
    const struct op_cmd *c = op_commands(&n);
    const char *last = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].area, last) != 0 && c[i].verb) fprintf(f, "\n%s:\n", c[i].area);
        last = c[i].area;
        char name[64], s[200];
        snprintf(name, sizeof name, "%s%s%s", c[i].area, c[i].verb ? " " : "",
                 c[i].verb ? c[i].verb : "");
        fprintf(f, "  %-29s %s\n", name, summary_of(&c[i], s, sizeof s));
    }
    fprintf(f, "\n'corridor AREA --help' and 'corridor AREA VERB --help' give the options.\n"
               "Reports take --format text|csv|json; writes take --dry-run.\n");
}

static int usage_area(FILE *f, const char *area)
{
    size_t n;
    const struct op_cmd *c = op_commands(&n);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].area, area) != 0) continue;
        if (!found) fprintf(f, "corridor %s:\n\n", area);
        struct buf b = {0};
        char s[200];
        usage_line(&b, &c[i]);
        fprintf(f, "  %s\n      %s\n", b.p, summary_of(&c[i], s, sizeof s));
        buf_free(&b);
        found = 1;
    }
    return found;
}

/* ---- parsing ---- */

/* Finds what --name means: a parameter (*p) or a shared option (*sh). */
static int lookup(const struct op_cmd *c, const char *name, const struct op_param **p,
                  const struct shared **sh)
{
    *p = NULL, *sh = NULL;
    const struct op_param *ps = params_of(c);
    for (int i = 0; ps[i].name; i++)
        if (strcmp(ps[i].name, name) == 0) return *p = &ps[i], 1;
    const struct shared *s[6];
    int n = shared_opts(c, s);
    for (int i = 0; i < n; i++)
        if (strcmp(s[i]->name, name) == 0) return *sh = s[i], 1;
    return 0;
}

static int parse_args(struct cli *a, int argc, char **argv, struct err *e)
{
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (strcmp(s, "-o") == 0) s = "--output";
        if (strncmp(s, "--", 2) != 0 || strlen(s) < 3) {
            if (a->npos == MAX_ARGS) return err_set(e, ERR_USAGE, "too many arguments");
            a->pos[a->npos++] = s;
            continue;
        }
        if (a->n == MAX_ARGS) return err_set(e, ERR_USAGE, "too many options");
        const char *eq = strchr(s + 2, '=');
        char raw[64];
        snprintf(raw, sizeof raw, "%.*s", (int)(eq ? (size_t)(eq - s - 2) : strlen(s + 2)), s + 2);
        norm(a->names[a->n], raw, sizeof a->names[0]);
        const struct op_param *p;
        const struct shared *sh;
        if (!lookup(a->cmd, a->names[a->n], &p, &sh)) {
            char flag[72];
            snprintf(flag, sizeof flag, "--%s", raw);
            err_at(e, NULL, 0, 0, flag);
            return err_set(e, ERR_USAGE, "unknown option --%s (see --help)", raw);
        }
        for (int k = 0; k < a->n; k++)
            if (strcmp(a->names[k], a->names[a->n]) == 0) {
                err_at(e, NULL, 0, 0, a->names[k]);
                return err_set(e, ERR_USAGE, "--%s is given twice", raw);
            }
        int flag = (p && p->type == PT_FLAG) || (sh && !sh->takes_value);
        const char *v = eq ? eq + 1 : flag ? "yes" : (i + 1 < argc ? argv[++i] : NULL);
        if (!v) {
            err_at(e, NULL, 0, 0, a->names[a->n]);
            return err_set(e, ERR_USAGE, "--%s needs a value", raw);
        }
        a->name[a->n] = a->names[a->n];
        a->value[a->n++] = v;
    }
    /* positionals fill the positional parameters in order */
    const struct op_param *ps = params_of(a->cmd);
    int used = 0;
    for (int i = 0; ps[i].name; i++) {
        if (!(ps[i].flags & PF_POS)) continue;
        int fills = ps[i].flags & PF_MANY ? a->npos - used : used < a->npos;
        for (int k = 0; fills && k < a->n; k++)
            if (strcmp(a->name[k], ps[i].name) == 0) {
                char flag[72];
                err_at(e, NULL, 0, 0, op_flag_name(ps[i].name, flag, sizeof flag));
                return err_set(e, ERR_USAGE, "%s is given twice (as %s and as '%.60s')", ps[i].name,
                               flag, a->pos[used]);
            }
        used += fills;
    }
    if (used < a->npos) {
        err_at(e, NULL, 0, 0, NULL);
        return err_set(e, ERR_USAGE, "unexpected argument '%.60s'", a->pos[used]);
    }
    return 0;
}

static const char *opt(const struct cli *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->name[i], name) == 0) return a->value[i];
    return NULL;
}

static const char *cli_get(void *ctx, const char *name)
{
    struct cli *a = ctx;
    const char *v = opt(a, name);
    if (v) return v;
    const struct op_param *ps = params_of(a->cmd);
    int k = 0;
    for (int i = 0; ps[i].name; i++) {
        if (!(ps[i].flags & PF_POS)) continue;
        if (strcmp(ps[i].name, name) == 0) {
            if (ps[i].flags & PF_MANY) k += a->file_index;
            return k < a->npos ? a->pos[k] : NULL;
        }
        k++;
    }
    return NULL;
}

/* ---- printing ---- */

static void print_error(const struct cli *a, struct err *e)
{
    if (e->field[0] && e->line == 0) { /* a parameter's error, not a row's */
        char flag[64];
        const struct op_param *p;
        const struct shared *sh;
        if (lookup(a->cmd, e->field, &p, &sh))
            str_copy(e->field, op_flag_name(e->field, flag, sizeof flag), sizeof e->field);
    }
    err_print(e, stderr);
    if (e->code == ERR_USAGE) {
        struct buf b = {0};
        usage_line(&b, a->cmd);
        fprintf(stderr, "usage: %s\n", b.p);
        buf_free(&b);
    }
}

static struct table *reasons_table(const struct op_call *c)
{
    char title[240];
    snprintf(title, sizeof title, "%s %s: REFUSED", c->op->entity ? c->op->entity : c->op->area,
             c->id[0] ? c->id : "");
    if (title[0] >= 'a' && title[0] <= 'z') title[0] = (char)(title[0] - 32);
    struct table *t = table_new("refusal", title);
    table_col(t, "outcome", COL_TEXT, NULL, 0);
    table_col(t, "reason", COL_TEXT, NULL, 0);
    for (int i = 0; i < c->why.n; i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, "refused");
        table_set_text(t, r, 1, c->why.r[i]);
    }
    return t;
}

static int print_result(const struct cli *a, struct op_call *c, enum report_format fmt,
                        struct err *e)
{
    const struct op *op = c->op;
    if (op->kind == OP_READ && !a->cmd->import) {
        if (c->text && fmt == FMT_TEXT) {
            fputs(c->text, stdout);
        } else if (fmt == FMT_JSON && c->verdict >= 0) {
            char *s = op_result_json(c, 2);
            printf("%s\n", s);
            free(s);
        } else if (report_render_all(stdout, c->out, c->nout, fmt)) {
            return err_set(e, ERR_IO, "cannot write the output");
        }
        if ((op->flags & OPF_CHECK) && c->verdict == 0)
            return err_set(e, ERR_REFUSED,
                           c->why.n == 1 ? TF("refused: %d reason") : TF("refused: %d reasons"),
                           c->why.n);
        return 0;
    }
    if (c->nout) report_render_all(stdout, c->out, c->nout, FMT_TEXT);
    if (c->text) fputs(c->text, stdout);
    FILE *f = c->text ? stderr : stdout;
    const char *dry = c->dry_run ? "dry run, nothing written: " : "";
    if (c->done[0]) {
        if (is_import(a->cmd))
            fprintf(f, "%s%s\n", dry, c->done);
        else
            fprintf(f, "corridor: %s%s\n", dry, c->done);
    }
    return 0;
}

/* ---- running ---- */

static int open_db(const struct cli *a, struct op_call *c, int *created, struct err *e)
{
    if (c->op->flags & OPF_NODB) return 0;
    const char *path = opt(a, "db");
    enum db_mode mode = c->op->flags & OPF_CREATE                   ? DB_CREATE
                        : c->op->kind == OP_READ && !a->cmd->import ? DB_READ
                                                                    : DB_WRITE;
    int rc = db_open(path ? path : db_default_path(), mode, &c->db, created, e);
    if (!rc && !(c->op->flags & OPF_CREATE)) rc = ref_open(c->db, (struct ref **)&c->ref, e);
    return rc;
}

static int run_import(struct cli *a, struct op_call *c, struct err *e)
{
    const char *file = cli_get(a, "file");
    const char *skip = opt(a, "skip_bad");
    struct op_rejects rj = {0};
    const char *inputs[1] = {file};
    int rc = skip ? op_rejects_open(&rj, skip, db_path(c->db), inputs, 1, e) : 0;
    if (rc) return rc;
    c->rejects = rj.f;
    c->progress = 1;
    struct csv_src src = {.path = file};
    rc = op_import(c, &src, e);
    int64_t rejected = op_stat_get(c, "rejected");
    int rc2 = op_rejects_close(&rj, !rc, e);
    if (!rc && rc2) return rc2;
    if (!rc) print_result(a, c, FMT_TEXT, e);
    if (!rc && skip && rejected) printf("rejected rows and reasons written to %s\n", skip);
    return rc;
}

/* Runs the op once (or once per file of a PF_MANY parameter). */
static int run_op(struct cli *a, struct op_call *c, enum report_format fmt, struct err *e)
{
    const struct op_param *ps = params_of(a->cmd);
    int many = 0;
    for (int i = 0; ps[i].name; i++)
        if (ps[i].flags & PF_MANY) many = 1;
    int runs = many ? a->npos : 1;
    const char *skip = opt(a, "skip_bad");
    if (many && skip && runs > 1)
        return err_set(e, ERR_USAGE, "--skip-bad takes one file at a time");
    for (a->file_index = 0; a->file_index < runs; a->file_index++) {
        op_call_reset(c);
        int rc = op_parse(c, cli_get, a, e);
        struct op_rejects rj = {0};
        if (!rc && skip) {
            const char *in[1] = {cli_get(a, "file")};
            rc = op_rejects_open(&rj, skip, c->db ? db_path(c->db) : NULL, in, 1, e);
            c->rejects = rj.f;
        }
        if (!rc) rc = op_execute(c, e);
        int rc2 = op_rejects_close(&rj, !rc, e);
        if (!rc) rc = rc2;
        if (rc) {
            if (rc == ERR_REFUSED && c->why.n) {
                /* the table gives every reason; the error says how many */
                struct table *t = reasons_table(c);
                report_render(stdout, t, fmt);
                table_free(t);
                err_set(e, ERR_REFUSED,
                        c->why.n == 1 ? TF("%s %s refused: %d reason")
                                      : TF("%s %s refused: %d reasons"),
                        c->op->entity ? c->op->entity : c->op->area, c->id, c->why.n);
            }
            if (a->file_index)
                fprintf(stderr, "corridor: %d earlier file(s) were imported\n", a->file_index);
            return rc;
        }
        if ((rc = print_result(a, c, fmt, e))) return rc;
        if (skip && op_stat_get(c, "rejected"))
            printf("rejected rows and reasons written to %s\n", skip);
    }
    return 0;
}

static int run(struct cli *a, struct err *e)
{
    struct op_call c;
    op_call_init(&c, a->cmd->op);
    enum report_format fmt = FMT_TEXT;
    const char *f = c.op->kind == OP_READ && !a->cmd->import ? opt(a, "format") : NULL;
    report_text_width(opt(a, "wide") ? 0 : text_width());
    int created = 0;
    int rc = f ? report_format_parse(f, &fmt, e) : 0;
    if (rc) err_at(e, NULL, 0, 0, "format");
    c.dry_run = opt(a, "dry_run") != NULL;
    if (!rc) rc = open_db(a, &c, &created, e);
    if (!rc) rc = a->cmd->import ? run_import(a, &c, e) : run_op(a, &c, fmt, e);
    if (fflush(stdout) != 0 && !rc) rc = err_set(e, ERR_IO, "cannot write the output");
    ref_free((struct ref *)c.ref);
    char path[4096] = "";
    if (c.db) str_copy(path, db_path(c.db), sizeof path);
    db_close(c.db);
    if (rc && created && path[0]) {
        /* a database this command created and could not fill is not left half made */
        static const char *const side[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            char p[4200];
            snprintf(p, sizeof p, "%s%s", path, side[i]);
            unlink(p);
        }
    }
    op_call_free(&c);
    return rc;
}

static int is_help(const char *s)
{
    return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0;
}

/* The language of text tables: --lang, else the locale's (LC_ALL, then
 * LC_MESSAGES, then LANG: ru_RU.UTF-8 is Russian), else English. */
static int choose_lang(const struct cli *a, struct err *e)
{
    const char *asked = opt(a, "lang");
    if (asked) {
        if (i18n_lang_index(asked) < 0) {
            err_at(e, NULL, 0, 0, "lang");
            return err_set(e, ERR_USAGE, "unknown language '%.20s' (use en, ru, kk or zh)", asked);
        }
        i18n_set(asked);
        if (strcmp(i18n_lang(), i18n_lang_code(i18n_lang_index(asked))) != 0)
            fprintf(stderr, "corridor: the translations are not installed (build/locale beside "
                            "the binary, or $CORRIDOR_LOCALEDIR): English it is\n");
        return 0;
    }
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            i18n_set(v); /* C, POSIX and the rest: English */
            return 0;
        }
    }
    i18n_set("en");
    return 0;
}

int op_cli(int argc, char **argv)
{
    /* the translations are bound (which sets LANGUAGE) before any thread
     * starts: setenv is not safe beside other threads' getenv */
    i18n_ready();
    if (argc < 2) {
        usage_all(stderr);
        return 2;
    }
    if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        usage_all(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("corridor %s (SQLite %s)\n", CORRIDOR_VERSION, db_engine_version());
        return 0;
    }
    struct cli a = {0};
    int consumed = 2;
    if (argc > 2 && argv[2][0] != '-' && (a.cmd = op_find(argv[1], argv[2])))
        consumed = 3;
    else
        a.cmd = op_find(argv[1], NULL);
    if (!a.cmd) {
        if (argc > 2 && is_help(argv[2]) && usage_area(stdout, argv[1])) return 0;
        if (usage_area(stderr, argv[1])) {
            if (argc > 2)
                fprintf(stderr, "\ncorridor: unknown %s command '%s'\n", argv[1], argv[2]);
            else
                fprintf(stderr, "\ncorridor: which %s command? (see above)\n", argv[1]);
            return 2;
        }
        fprintf(stderr, "corridor: unknown command '%s' (see corridor --help)\n", argv[1]);
        return 2;
    }
    for (int i = consumed; i < argc; i++)
        if (is_help(argv[i])) {
            usage_cmd(stdout, a.cmd);
            return 0;
        }
    struct err e = {0};
    int rc = parse_args(&a, argc - consumed, argv + consumed, &e);
    if (!rc) rc = choose_lang(&a, &e);
    if (!rc) rc = run(&a, &e);
    if (!rc) return 0;
    if (!e.code) e.code = rc;
    print_error(&a, &e);
    if ((a.cmd->op->flags & OPF_CHECK) && rc != ERR_REFUSED) return 2;
    return err_exit_status(rc);
}
