/* tourism.c — the tourism page and its section of the brief: visitors month
 * by month in both directions with the visa-free regime's start marked, the
 * before/after comparison over whole months (each direction), the years
 * with their change, and the busiest crossings. The page's parameters are
 * parsed by the operations they feed. */
#include "http.h"

#include "../tourism/tourism.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The visa-free regime between Kazakhstan and China took effect that day. */
#define VISA_FREE "2023-11-10"

/* The monthly series of both directions as one chart: x in years (a month
 * at its start), the policy date marked. */
static void monthly_chart(struct buf *b, const struct table *m, const char *policy)
{
    int first = INT32_MAX, last = 0;
    for (size_t r = 0; r < m->nrows; r++) {
        int y, mo;
        if (sscanf(http_cell_str(m, r, "month"), "%d-%d", &y, &mo) != 2) continue;
        int i = y * 12 + mo - 1;
        if (i < first) first = i;
        if (i > last) last = i;
    }
    if (last < first) return;
    size_t n = (size_t)(last - first + 1);
    double *x = xcalloc(n, sizeof *x), *v[2] = {xcalloc(n, sizeof(double)), xcalloc(n, sizeof(double))};
    char(*names)[8] = xcalloc(n, sizeof *names);
    const char **xn = xcalloc(n, sizeof *xn);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(first + (int)i) / 12;
        v[0][i] = v[1][i] = NAN;
        tour_month_name(first + (int)i, names[i]);
        xn[i] = names[i];
    }
    for (size_t r = 0; r < m->nrows; r++) {
        int y, mo;
        if (sscanf(http_cell_str(m, r, "month"), "%d-%d", &y, &mo) != 2) continue;
        const char *f = http_cell_str(m, r, "from"), *t = http_cell_str(m, r, "to");
        int s = strcmp(f, "CHN") == 0 && strcmp(t, "KAZ") == 0   ? 0
                : strcmp(f, "KAZ") == 0 && strcmp(t, "CHN") == 0 ? 1
                                                                 : -1; /* other directions */
        if (s >= 0) v[s][y * 12 + mo - 1 - first] = http_cell_num(m, r, "visitors");
    }
    int py = 0, pm = 0, pd = 0;
    date_parse(policy, &py, &pm, &pd);
    struct chart c = {.id = "chart-tourism",
                      .title = T("Visitors a month, by direction"),
                      .desc = T("Visitors between China and Kazakhstan month by month, each "
                                "direction a line; the dashed line marks the visa-free regime."),
                      .xlabel = T("Year"),
                      .ylabel = T("Visitors a month"),
                      .n = n,
                      .x = x,
                      .nseries = 2,
                      .highlight = -1,
                      .xnames = xn,
                      .mark_label = T("visa-free from 10 Nov 2023"),
                      .mark = py + (pm - 1 + (pd - 1) / 30.0) / 12};
    c.series[0].name = T("China to Kazakhstan");
    c.series[0].v = v[0];
    c.series[1].name = T("Kazakhstan to China");
    c.series[1].v = v[1];
    svg_line(b, &c);
    free(x);
    free(v[0]);
    free(v[1]);
    free(names);
    free(xn);
}

/* Runs tourism VERB with the pairs and shows its first table (chart: the
 * monthly chart instead of the table). */
static int show(struct db *db, const struct ref *ref, struct buf *b, const char *verb,
                const char *const *kv, const char *csv, struct err *e)
{
    struct op_call c;
    int rc = http_run_db(db, ref, "tourism", verb, http_pairs, (void *)kv, &c, e);
    if (!rc && c.nout) {
        if (strcmp(verb, "monthly") == 0)
            monthly_chart(b, c.out[0], VISA_FREE);
        else
            html_table(b, c.out[0], csv);
    }
    op_call_free(&c);
    return rc;
}

int http_tourism_section(struct db *db, const struct ref *ref, struct buf *b, int brief,
                         struct err *e)
{
    static const char *const monthly[] = {"first_year", "2022", NULL};
    static const char *const cn[] = {"from", "CHN", "to", "KAZ", "policy_date", VISA_FREE,
                                     "months", "12", NULL};
    static const char *const kz[] = {"from", "KAZ", "to", "CHN", "policy_date", VISA_FREE,
                                     "months", "12", NULL};
    static const char *const none[] = {NULL};
    http_section(b, T("Tourism"));
    int rc = show(db, ref, b, "monthly", monthly, NULL, e);
    if (!rc) rc = show(db, ref, b, "compare", cn, brief ? NULL : "/api/v1/tourism/compare?from=CHN&to=KAZ&policy_date=" VISA_FREE "&format=csv", e);
    if (!rc) rc = show(db, ref, b, "compare", kz, NULL, e);
    if (!rc) rc = show(db, ref, b, "yearly", none, brief ? NULL : "/api/v1/tourism/yearly?format=csv", e);
    if (!rc && !brief) {
        static const char *const x[] = {"year", "2024", NULL};
        rc = show(db, ref, b, "crossings", x, "/api/v1/tourism/crossings?year=2024&format=csv", e);
    }
    return rc;
}

int page_tourism(struct req *r, struct err *e)
{
    struct html_page p;
    http_page_start(r, &p, T("Tourism flows"), "tourism");
    int rc = http_tourism_section(r->db, r->ref, &r->out, 0, e);
    if (rc) return http_send_error(r, e);
    return http_page_done(r, &p);
}
