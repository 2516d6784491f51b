/* sources.c — the register of where trade figures come from: publisher,
 * publication date, address, and whether the rows are synthetic. Reports
 * cite it under every table. A source is recorded (or revised, by name)
 * through the operation table like any other record. */
#include "trade.h"

#include "../ops/ops.h"

#include <string.h>

int trade_source_add(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    char before[16] = "";
    int rc = db_lookup(c->db, e, before, sizeof before, "SELECT id FROM source WHERE name = ?1",
                       "t", name);
    if (rc < 0) return rc;
    op_done(c, "source %s %s", name, rc ? "revised" : "recorded");
    return db_run(c->db, e,
                  "INSERT INTO source(name, publisher, published, url, synthetic, note) "
                  "VALUES (?1, coalesce(?2, ''), coalesce(?3, ''), coalesce(?4, ''), ?5, "
                  "coalesce(?6, '')) ON CONFLICT(name) DO UPDATE SET "
                  "publisher = excluded.publisher, published = excluded.published, "
                  "url = excluded.url, synthetic = excluded.synthetic, note = excluded.note",
                  "tttt"
                  "nt",
                  name, op_s(c, "publisher"), op_s(c, "published"), op_s(c, "url"),
                  (int)op_i(c, "synthetic"), op_s(c, "note"));
}

int trade_sources_list(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("sources", N_("Sources of trade figures"));
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "publisher", COL_TEXT, NULL, 0);
    table_col(t, "published", COL_TEXT, NULL, 0);
    table_col(t, "synthetic", COL_TEXT, NULL, 0);
    table_col(t, "rows", COL_INT, NULL, 0);
    table_col(t, "note", COL_TEXT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT s.name, s.publisher, s.published, "
                     "CASE WHEN s.synthetic THEN 'yes' ELSE 'no' END, "
                     "(SELECT count(*) FROM trade_flow t WHERE t.source_id = s.id), s.note "
                     "FROM source s ORDER BY s.synthetic, s.published, s.name",
                     NULL);
    if (rc) {
        table_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
