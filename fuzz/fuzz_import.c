/* fuzz_import.c — libFuzzer target: a trade import of arbitrary bytes into a
 * real SQLite database either stores rows or refuses, and a refused file
 * leaves the database unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "trade/trade.h"

static struct db *db;
static struct ref *ref;
static char path[64];

static long long rows(void)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM trade_flow", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err e = {0};
    if (!db) {
        snprintf(path, sizeof path, "/tmp/corridor-fuzz-%d.csv", (int)getpid());
        if (db_open(":memory:", 1, &db, &e) || ref_install(db, &e) || ref_open(db, &ref, &e))
            abort();
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    long long before = rows();
    struct trade_import_opts o = {0};
    struct trade_import_stats s;
    if (trade_import_file(db, ref, path, &o, &s, &e) != 0) {
        if (rows() != before || !e.msg[0]) __builtin_trap(); /* all or nothing, and why */
    }
    unlink(path);
    return 0;
}
