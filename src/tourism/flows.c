/* flows.c — tourism flows as records: adding (and revising) one month's
 * figure of a direction, crossing, purpose and mode, listing them, and the
 * counting rule every report reads: a month's figure is its row not split
 * by purpose or mode when there is one, else the sum of its rows. */
#include "tourism.h"

#include "../ops/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A month's figure per month of a direction and crossing (month 0: the
 * year's own figure), by the counting rule. */
#define MONTH_FIGURE                                                                               \
    "SELECT year, month, CASE WHEN max(purpose = 'all' AND mode = 'all') THEN "                    \
    "sum(CASE WHEN purpose = 'all' AND mode = 'all' THEN visitors END) ELSE sum(visitors) END "    \
    "FROM tour_flow WHERE from_country = ?1 AND to_country = ?2 AND crossing = ?3 "

void tour_month_name(int index, char out[8])
{
    unsigned y = (unsigned)(index < 0 ? 0 : index / 12) % 10000, m = (unsigned)(index < 0 ? 0 : index) % 12 + 1;
    snprintf(out, 8, "%04u-%02u", y, m);
}

int tour_add(struct op_call *c, struct err *e)
{
    const char *x = op_s(c, "crossing");
    if (x && x[0]) {
        int rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM crossing WHERE code = ?1", "t", x);
        if (rc < 0) return rc;
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND, "no border crossing '%s' (corridor ref crossings lists them)",
                    x);
            return err_field(e, "crossing");
        }
    }
    if (strcmp(op_s(c, "from"), op_s(c, "to")) == 0) {
        err_set(e, ERR_INPUT, "visitors go from one country to another");
        return err_field(e, "to");
    }
    int64_t month = op_has(c, "month") ? op_i(c, "month") : 0;
    char when[16];
    snprintf(when, sizeof when, "%04d", (int)op_i(c, "year") % 10000);
    if (month) snprintf(when, sizeof when, "%04d-%02d", (int)op_i(c, "year") % 10000, (int)month);
    snprintf(c->id, sizeof c->id, "%s %s-%s %.40s %s %s", when, op_s(c, "from"), op_s(c, "to"),
             x && x[0] ? x : "all crossings", op_s(c, "purpose"), op_s(c, "mode"));
    op_done(c, "%lld visitors recorded for %s", (long long)op_i(c, "visitors"), c->id);
    return db_run(c->db, e,
                  "INSERT INTO tour_flow(year, month, from_country, to_country, crossing, purpose, "
                  "mode, visitors, source) VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), ?6, ?7, ?8, "
                  "coalesce(?9, '')) ON CONFLICT DO UPDATE SET visitors = ?8, source = "
                  "coalesce(?9, '')",
                  "iitttttit", op_i(c, "year"), month, op_s(c, "from"), op_s(c, "to"), x,
                  op_s(c, "purpose"), op_s(c, "mode"), op_i(c, "visitors"), op_s(c, "source"));
}

int tour_list(struct op_call *c, struct err *e)
{
    struct table *t = table_new("flows", N_("Tourism flows as recorded"));
    static const char *const cols[] = {"year",    "month", "from",     "to",    "crossing",
                                       "purpose", "mode",  "visitors", "source"};
    for (size_t i = 0; i < 9; i++)
        table_col(t, cols[i], i == 0 || i == 1 || i == 7 ? COL_INT : COL_TEXT,
                  i == 7 ? "visitors" : NULL, 0);
    const char *from = op_has(c, "from") ? op_s(c, "from") : NULL;
    const char *to = op_has(c, "to") ? op_s(c, "to") : NULL;
    int rc = db_fill(c->db, t, e,
                     "SELECT year, nullif(month, 0), from_country, to_country, crossing, purpose, "
                     "mode, visitors, source FROM tour_flow WHERE (?1 IS NULL OR from_country = "
                     "?1) AND (?2 IS NULL OR to_country = ?2) ORDER BY from_country, to_country, "
                     "year, month, crossing, purpose, mode",
                     "tt", from, to);
    table_note(t, TF("An empty month is a figure for the whole year."));
    table_empty(t, N_("no tourism flows recorded"));
    return op_give(c, rc, &t);
}

int tour_months(struct db *db, const char *from, const char *to, const char *crossing,
                int first, int last, struct tour_month **out, size_t *n, struct err *e)
{
    struct db_stmt *st;
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int rc = db_prepare(db, &st, e,
                        MONTH_FIGURE "AND month > 0 AND year * 12 + month - 1 BETWEEN ?4 AND ?5 "
                                     "GROUP BY year, month ORDER BY year, month",
                        "tttii", from, to, crossing ? crossing : "", (int64_t)first,
                        (int64_t)last);
    while (!rc && (rc = db_step(st, e)) == 1) {
        if (*n == cap) *out = xrealloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
        (*out)[*n].index = (int)(db_col_int(st, 0) * 12 + db_col_int(st, 1) - 1);
        (*out)[(*n)++].visitors = db_col_int(st, 2);
        rc = 0;
    }
    db_finalize(st);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int tour_window(struct db *db, const char *from, const char *to, const char *crossing, int first,
                int last, int64_t *visitors, int *missing, char *names, size_t size,
                struct err *e)
{
    struct tour_month *m;
    size_t n;
    int rc = tour_months(db, from, to, crossing, first, last, &m, &n, e);
    if (rc) return rc;
    *visitors = 0;
    *missing = 0;
    names[0] = 0;
    size_t k = 0;
    for (int i = first; i <= last; i++) {
        if (k < n && m[k].index == i) {
            *visitors += m[k++].visitors; /* at most 2e9 a month: no overflow in a window */
            continue;
        }
        char name[8];
        tour_month_name(i, name);
        size_t len = strlen(names);
        snprintf(names + len, size - len, "%s%s", (*missing)++ ? ", " : "", name);
    }
    free(m);
    return 0;
}
