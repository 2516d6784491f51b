/* fuzz_import.c — libFuzzer target: a trade import of arbitrary bytes (plain
 * or gzip, as a request body brings them) through the operation, into a
 * real SQLite database, either stores rows or refuses with a reason, and a
 * refused file leaves the database unchanged. */
#include <stdint.h>
#include <stdlib.h>

#include "ops/ops.h"

static struct db *db;
static struct ref *ref;

static const char *get(void *ctx, const char *name)
{
    (void)ctx;
    return name[0] == 'f' && name[1] == 'i' ? "(fuzz)" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = {0};
    if (!db) {
        if (db_open(":memory:", DB_CREATE, &db, NULL, &e) || ref_install(db, &e) ||
            ref_open(db, &ref, &e))
            abort();
    }
    int64_t before = -1, after = -2;
    db_lookup_int(db, &e, &before, "SELECT count(*) FROM trade_flow", NULL);
    struct op_call c;
    op_call_init(&c, op_find("trade", "import")->op);
    c.db = db;
    c.ref = ref;
    c.body = (const char *)data;
    c.body_len = size;
    int rc = op_parse(&c, get, NULL, &e);
    if (!rc) rc = op_execute(&c, &e);
    db_lookup_int(db, &e, &after, "SELECT count(*) FROM trade_flow", NULL);
    if (rc && (after != before || !e.msg[0])) __builtin_trap(); /* all or nothing, and why */
    if (db_in_transaction(db)) __builtin_trap();               /* never left half open */
    op_call_free(&c);
    return 0;
}
