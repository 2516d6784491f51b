/* support.h — helpers shared by the unit tests: a record source over
 * name/value pairs, and storing one record through an area's insert
 * function inside a write transaction, as the CLI does. */
#ifndef CORRIDOR_TEST_SUPPORT_H
#define CORRIDOR_TEST_SUPPORT_H

#include <string.h>

#include "db/db.h"

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

static inline int store_record(struct db *db, void *fn_ctx, const struct rec_field *spec,
                               size_t n, db_record_fn fn, const char *const *pairs,
                               struct err *e)
{
    struct rec_value v[32];
    struct kv k = {pairs};
    int rc = rec_parse(spec, n, kv_get, &k, v, e);
    if (!rc) rc = db_begin(db, e);
    if (!rc) rc = fn(db, v, fn_ctx, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    return rc;
}

#endif
