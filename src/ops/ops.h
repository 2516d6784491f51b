/* ops — every thing a user can do, described once. Each area exports a
 * static table of operations (area, verb, READ or WRITE, typed parameters,
 * the function, the role it needs, the audited entity, a summary and help
 * for each parameter), in the manner of Fossil's aCommand[] and Redis's
 * command table; registry.c lists the areas' tables. From that list alone
 * come the command line and its --help, the API routes and the OpenAPI
 * document, the CSV import of every writable record, and the demo loader.
 *
 * Parameters are parsed and validated here, once, whichever front end
 * brought them (flags, CSV rows, JSON bodies, query strings, forms): an
 * unknown parameter, a value of the wrong type or out of its bounds is
 * refused naming the parameter. Areas name parameters ("cap_t"); each
 * front end spells them its own way (--cap-t, cap_t).
 *
 * A READ runs as it is; a WRITE runs inside db_write() (BEGIN IMMEDIATE,
 * its audit row, commit or rollback), called here and never by the area. */
#ifndef CORRIDOR_OPS_H
#define CORRIDOR_OPS_H

#include "../ref/ref.h"

enum op_kind { OP_READ, OP_WRITE };

enum par_type {
    PT_TEXT,      /* free text (UTF-8), at most max bytes (default 500) */
    PT_CODE,      /* an identifier: letters, digits and - _ . / : (at most max, default 64) */
    PT_COUNTRY,   /* any spelling of a country; becomes its ISO alpha-3 code */
    PT_REGION,    /* ISO 3166-2 code lying in the country parameter named by `allowed` */
    PT_YEAR,      /* 1900..2200 (or min..max) */
    PT_DATE,      /* YYYY-MM-DD; i = days since 1970 */
    PT_TIMESTAMP, /* YYYY-MM-DDTHH:MM, local or with Z or an offset */
    PT_INT,       /* a whole number in min..max */
    PT_MONEY,     /* US dollars, exact; i = cents in min..max */
    PT_MASS,      /* tonnes, exact; i = grams in min..max */
    PT_NUMBER,    /* a decimal number (rates, hours), exact; i = millionths in min..max */
    PT_ENUM,      /* one of `allowed` ("a|b|c"), compared case-insensitively */
    PT_HS,        /* an HS code of the nomenclature (2 to 10 digits) */
    PT_HSLIST,    /* comma-separated HS codes of the nomenclature */
    PT_LIST,      /* comma-separated codes (lower-cased) */
    PT_FLAG,      /* yes or no */
    PT_FILE,      /* an input file: a path on the command line, the body over HTTP */
    PT_OUTPUT,    /* an output file (command line only) */
};

#define PF_REQUIRED 1u /* must be given */
#define PF_POS 2u      /* may be given positionally on the command line */
#define PF_MANY 4u     /* PT_FILE: several files, one transaction each */
#define PF_LINES 8u    /* PT_TEXT: may run over several lines (a JSON document) */

struct op_param {
    const char *name;
    enum par_type type;
    unsigned flags;
    const char *allowed; /* PT_ENUM: "a|b|c"; PT_REGION: its country parameter */
    int64_t min, max;    /* PT_INT, PT_YEAR: the value; PT_MONEY: cents; PT_MASS: grams;
                            PT_NUMBER: millionths;
                            PT_TEXT, PT_CODE: bytes (max). 0, 0 = the type's default */
    const char *dflt;    /* default value, as text (NULL: none) */
    const char *help;    /* what it means, for --help and OpenAPI */
};

#define OPF_LOCAL 1u   /* command line only: no API route (serve, init, tokens...) */
#define OPF_NODB 2u    /* opens no database */
#define OPF_CREATE 4u  /* may create or migrate the database (init, demo) */
#define OPF_CHECK 8u   /* a check: verdict allowed or refused; the CLI exits 0, 1, or 2 on error */
#define OPF_ROWS 16u   /* reads a file of rows: takes --skip-bad (rejects) */
#define OPF_OWN_TX 32u /* a write that runs its own transactions (not wrapped in db_write) */
#define OPF_NOFORMAT 64u /* makes a file or a server, no table: takes no --format */

struct op_call;
typedef int (*op_fn)(struct op_call *c, struct err *e);

struct op {
    const char *area, *verb;
    enum op_kind kind;
    op_fn run;
    const struct op_param *params; /* ended by an entry with a NULL name */
    const char *summary;           /* one line */
    const char *example;           /* a command line (without "corridor ") */
    const char *role;              /* NULL: viewer for READs, editor:AREA for WRITEs */
    const char *entity;            /* the audited entity of a WRITE */
    const char *import;            /* a WRITE of one record: the verb of its CSV import */
    unsigned flags;
    op_fn prepare; /* a WRITE's work before its transaction opens (asking for a password) */
};

/* A command as the front ends see it: an operation, or the CSV import of
 * an operation's records (verb = op->import). */
struct op_cmd {
    const struct op *op;
    const char *area, *verb;
    int import;
};

/* Every command, in the order of the areas' tables; n set to the count. */
const struct op_cmd *op_commands(size_t *n);
/* The command AREA VERB, or NULL. */
const struct op_cmd *op_find(const char *area, const char *verb);
/* The role a command needs ("public", "viewer", "editor:AREA", "admin"). */
const char *op_role(const struct op_cmd *c);
/* The areas, in order, for help listings; NULL-terminated. */
const char *const *op_areas(void);

/* ---- one call of an operation ---- */

#define OP_MAX_PARAMS 32
#define OP_MAX_TABLES 8
#define OP_MAX_STATS 12

struct op_value {
    int present;
    char *s;   /* the normalised text ("" when absent); owned by the call */
    int64_t i; /* days, cents, grams, the year or the integer */
};

struct op_stat {
    const char *name;
    int64_t v;
};

struct op_call {
    const struct op *op;
    struct db *db;
    const struct ref *ref;
    struct op_value v[OP_MAX_PARAMS];
    /* what the front end asks for */
    int dry_run;
    FILE *rejects;         /* imports: write rejected rows here and go on (NULL: all or nothing) */
    uint64_t max_rejects;  /* more rejected rows than this fail the import (0: no limit) */
    uint64_t max_inflated; /* a gzip body may inflate to this many bytes (0: no limit) */
    size_t max_row_bytes;  /* the longest row of a file (0: the reader's default, 1 MiB) */
    int progress;          /* draw progress bars (terminals) */
    const char *label;     /* the input's name as the user gave it, for messages */
    const char *body;      /* PT_FILE over HTTP: the request body */
    size_t body_len;
    /* what it gives back */
    struct table *out[OP_MAX_TABLES];
    int nout;
    int verdict;          /* OPF_CHECK: 1 allowed, 0 refused */
    struct reasons why;   /* a refused WRITE: every reason */
    char id[160];         /* the record written (audit, messages) */
    char done[600];       /* what was done, for people */
    char *before, *after; /* the audit row's JSON (after NULL: the parameters) */
    char *text;           /* printed as it is on the command line (a new token) */
    struct op_stat stats[OP_MAX_STATS];
    int nstats;
};

/* Prepares c for op (no values yet). */
void op_call_init(struct op_call *c, const struct op *op);
/* Frees what c owns (values, tables, texts); the db and ref are the caller's. */
void op_call_free(struct op_call *c);
/* Drops the results of a previous run (between the rows of an import). */
void op_call_reset(struct op_call *c);

/* Returns a parameter's raw text, or NULL when it was not given. */
typedef const char *(*op_get_fn)(void *ctx, const char *name);

/* Parses every parameter of c->op through get, applying defaults; c->ref
 * must be set when the op has country, region or HS parameters. On error
 * e->field names the parameter. */
int op_parse(struct op_call *c, op_get_fn get, void *ctx, struct err *e);
/* Parses one value of parameter p into v (used by op_parse, and by front
 * ends that receive values one at a time). */
int op_parse_value(const struct op_call *c, const struct op_param *p, const char *raw,
                   struct op_value *v, struct err *e);
/* Index of the parameter called name in op, or -1. */
int op_param_index(const struct op *op, const char *name);

/* Runs the call: a READ as it is; a WRITE inside db_write() with its audit
 * row (rolled back when c->dry_run). */
int op_execute(struct op_call *c, struct err *e);
/* Imports a CSV file of op's records (one row = one call of the op, each
 * in a savepoint, the whole file in one transaction): the import command of
 * a record operation. src names the file or holds the bytes. */
int op_import(struct op_call *c, const struct csv_src *src, struct err *e);
/* The rejects file of an import: its header (line, column, field, reason,
 * then the input's own columns) and one refused row with its reason. */
void op_reject_header(FILE *f, const struct csv_row *header);
void op_reject_row(FILE *f, const struct csv_row *r, const struct err *e);
/* After row r of an import failed with rc: when rejects are asked for and
 * the error is the data's (not the database's, a limit's...), writes the row
 * and its reason, counts it in *rejected, clears e and returns 0 to go on;
 * past c->max_rejects refusals, fails the import (label names the file).
 * Otherwise returns rc. */
int op_set_aside(struct op_call *c, const struct csv_row *r, int rc, const char *label,
                 uint64_t *rejected, struct err *e);

/* The input of a file operation: the path its "file" parameter names on the
 * command line, or the request body over HTTP, labelled by its "filename"
 * parameter when the operation has one (else by the call's label, or
 * "body"), the body's gzip capped as the call says. */
struct csv_src op_input(const struct op_call *c);

/* Values for the area's function: the text (NULL when absent), the
 * integer, and whether it was given. name must be a parameter of the op. */
const char *op_s(const struct op_call *c, const char *name);
int64_t op_i(const struct op_call *c, const char *name);
int op_has(const struct op_call *c, const char *name);
/* Adds a result table (the call owns it from now). */
void op_out(struct op_call *c, struct table *t);
/* Adds a count to the result (imports), and reads one back (0 if absent). */
void op_stat(struct op_call *c, const char *name, int64_t v);
int64_t op_stat_get(const struct op_call *c, const char *name);
/* Hands a READ's table (*t, set by the call that returned rc) to the call
 * when rc is 0; returns rc. Takes its address so that it is read after that
 * call: op_give(c, area_list(db, &t, e), &t). */
int op_give(struct op_call *c, int rc, struct table **t);
/* Says what was done, for people. */
void op_done(struct op_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A READ's result as one JSON object: {"allowed","reasons"} for a check,
 * and "tables"; free() it. indent 0 for compact. */
char *op_result_json(const struct op_call *c, int indent);
/* A refusal's reasons as a JSON array (a json_t *, for jansson's users), one
 * entry for each reason, never fewer. */
struct json_t;
struct json_t *op_reasons_json(const struct reasons *why);
/* The call's parameters as a compact JSON object (the audit's "after"). */
char *op_params_json(const struct op_call *c);

/* ---- the front ends' common ground ---- */

/* "--cap-t" for "cap_t" (the command line's spelling of a parameter). */
const char *op_flag_name(const char *name, char *out, size_t size);
/* A parameter's type in words ("a date YYYY-MM-DD", "tonnes") and as a
 * placeholder ("DATE"). */
const char *op_type_words(const struct op_param *p);
const char *op_type_meta(const struct op_param *p);
/* Refuses an output path that would overwrite the database (or its -wal,
 * -shm, -journal), an input, any SQLite database, or what is not a plain
 * file; what ("brief") and field name it in the refusal. */
int op_check_output(const char *path, const char *what, const char *field, const char *db_path,
                    const char *const *inputs, int ninputs, struct err *e);
/* mkstemp() with the permissions any new file gets (umask), for files
 * written aside and renamed into place. */
int op_mkstemp(char *tmpl);
/* Opens the rejects file for an import: refuses a path that names the
 * database or an input file; writes to a temporary file beside it that
 * op_rejects_close renames into place (or removes, on failure). */
struct op_rejects {
    FILE *f;
    char path[4096], tmp[4096];
};
int op_rejects_open(struct op_rejects *r, const char *path, const char *db_path,
                    const char *const *inputs, int ninputs, struct err *e);
int op_rejects_close(struct op_rejects *r, int keep, struct err *e);

/* The command line: parses argv, runs the command, prints the result;
 * returns the process exit status. */
int op_cli(int argc, char **argv);

/* The demo data: every embedded demo file through its operation. */
int op_demo_load(struct db *db, struct ref *ref, FILE *log, struct err *e);

#endif
