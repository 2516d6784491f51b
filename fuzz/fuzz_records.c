/* fuzz_records.c — libFuzzer target: the CSV import of records (shipment
 * declarations, through every gate) over arbitrary bytes stores whole
 * records or refuses with a reason; a refused file leaves no row, and with
 * rejects asked for, every row is either stored or set aside. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"

static struct db *db;
static struct ref *ref;

static int64_t count(const char *sql)
{
    struct err e = {0};
    int64_t n = -1;
    db_lookup_int(db, &e, &n, sql, NULL);
    return n;
}

static void seed(void)
{
    static const char parties[] = "name,country,kind\nS,KAZ,state-owned\nB,CHN,state-owned\n";
    static const char agr[] = "code,title,kind,parties,hs,cap_t,start,status\n"
                              "W,Wheat,supply,S:seller;B:buyer,1001,100,2024-01-01,in force\n";
    struct err e = {0};
    const char *files[][3] = {{"parties", "import", parties}, {"agreements", "import", agr}};
    for (int i = 0; i < 2; i++) {
        struct op_call c;
        op_call_init(&c, op_find(files[i][0], files[i][1])->op);
        c.db = db;
        c.ref = ref;
        struct csv_src src = {.data = files[i][2], .len = strlen(files[i][2])};
        if (op_import(&c, &src, &e)) abort();
        op_call_free(&c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = {0};
    if (!db) {
        if (db_open(":memory:", DB_CREATE, &db, NULL, &e) || ref_install(db, &e) ||
            ref_open(db, &ref, &e))
            abort();
        seed();
    }
    int64_t before = count("SELECT count(*) FROM shipment");
    char *mem = NULL;
    size_t len = 0;
    for (int skip = 0; skip < 2; skip++) {
        struct op_call c;
        op_call_init(&c, op_find("shipments", "import")->op);
        c.db = db;
        c.ref = ref;
        c.dry_run = 1; /* the database stays as seeded, run after run */
        FILE *rej = skip ? open_memstream(&mem, &len) : NULL;
        c.rejects = rej;
        struct csv_src src = {.data = (const char *)data, .len = size};
        int rc = op_import(&c, &src, &e);
        if (rej) fclose(rej);
        if (rc && !e.msg[0]) __builtin_trap();
        if (!rc && op_stat_get(&c, "read") != op_stat_get(&c, "stored") + op_stat_get(&c, "rejected"))
            __builtin_trap();
        if (!rc && !skip && op_stat_get(&c, "rejected")) __builtin_trap();
        if (count("SELECT count(*) FROM shipment") != before || db_in_transaction(db))
            __builtin_trap();
        op_call_free(&c);
        free(mem);
        mem = NULL;
        err_clear(&e);
    }
    return 0;
}
