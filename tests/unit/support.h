/* support.h — helpers shared by the unit tests: parameters given as
 * name/value pairs, and one call of an operation through the real
 * dispatcher (parsing, db_write, audit), as every front end makes it. */
#ifndef CORRIDOR_TEST_SUPPORT_H
#define CORRIDOR_TEST_SUPPORT_H

#include <string.h>

#include "db/db.h"
#include "ops/ops.h"

struct kv {
    const char *const *pairs; /* name, value, name, value, ..., NULL */
};

static inline const char *kv_get(void *ctx, const char *name)
{
    const struct kv *k = ctx;
    for (const char *const *p = k->pairs; *p; p += 2)
        if (strcmp(p[0], name) == 0) return p[1];
    return NULL;
}

/* Runs AREA VERB with the pairs (rows set aside to rejects, when given);
 * keeps the call in *keep (the caller frees it with op_call_free) when keep
 * is given. */
static inline int run_op_full(struct db *db, const struct ref *ref, const char *area,
                              const char *verb, const char *const *pairs, FILE *rejects,
                              struct op_call *keep, struct err *e)
{
    const struct op_cmd *cmd = op_find(area, verb);
    if (!cmd) return err_set(e, ERR_INTERNAL, "no operation %s %s", area, verb ? verb : "");
    struct op_call c;
    op_call_init(&c, cmd->op);
    c.db = db;
    c.ref = ref;
    c.rejects = rejects;
    struct kv k = {pairs};
    int rc = op_parse(&c, kv_get, &k, e);
    if (!rc) rc = op_execute(&c, e);
    if (keep)
        *keep = c;
    else
        op_call_free(&c);
    return rc;
}

static inline int run_op_keep(struct db *db, const struct ref *ref, const char *area,
                              const char *verb, const char *const *pairs, struct op_call *keep,
                              struct err *e)
{
    return run_op_full(db, ref, area, verb, pairs, NULL, keep, e);
}

static inline int run_op(struct db *db, const struct ref *ref, const char *area, const char *verb,
                         const char *const *pairs, struct err *e)
{
    return run_op_full(db, ref, area, verb, pairs, NULL, NULL, e);
}

/* Two parties (S exporting, B importing), a wheat agreement W between them
 * capped at 100 t a year from 2024, and wheat open from KAZ to CHN with a
 * phytosanitary certificate. */
static inline int seed_wheat(struct db *db, const struct ref *ref, struct err *e)
{
    const char *p1[] = {"name", "S", "country", "KAZ", "kind", "state-owned", NULL};
    const char *p2[] = {"name", "B", "country", "CHN", "kind", "state-owned", NULL};
    const char *a[] = {"code", "W",    "title", "Wheat", "kind",  "supply",     "parties", "S:seller;B:buyer",
                       "hs",   "1001", "cap_t", "100",   "start", "2024-01-01", "status",  "in force",
                       NULL};
    const char *r[] = {"hs",        "1001",       "from",           "KAZ",        "to", "CHN",
                       "status",    "open",       "documents",      "phyto-cert",
                       "effective_from", "2020-01-01", NULL};
    int rc = run_op(db, ref, "parties", "add", p1, e);
    if (!rc) rc = run_op(db, ref, "parties", "add", p2, e);
    if (!rc) rc = run_op(db, ref, "agreements", "add", a, e);
    if (!rc) rc = run_op(db, ref, "access", "rule-add", r, e);
    return rc;
}

/* An in-memory database with the reference data, and its index. */
static inline int memory_db(struct db **db, struct ref **ref)
{
    struct err e = {0};
    if (db_open(":memory:", DB_CREATE, db, NULL, &e)) return -1;
    static const char *const none[] = {NULL};
    if (run_op(*db, NULL, "init", NULL, none, &e)) return -1;
    return ref_open(*db, ref, &e) ? -1 : 0;
}

/* The integer a query returns (-1 when it returns nothing). */
static inline int64_t scalar(struct db *db, const char *sql)
{
    struct err e = {0};
    int64_t v = -1;
    db_lookup_int(db, &e, &v, sql, NULL);
    return v;
}

#endif
