/* logistics.c — the corridor page and its section of the brief: a
 * schematic map of the network with each link coloured by how full it runs
 * in the year, the crossings' load, when each crossing saturates, and a
 * crossing as a queue (the M/M/c formulas beside a simulation's queue over
 * time). The page's parameters are parsed by the operations they feed. */
#include "http.h"

#include "../logistics/logistics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The column of a place on the schematic: Kazakhstan's cities, its
 * terminals, its border posts, China's border posts, China's cities. */
static int column(const char *country, const char *kind)
{
    int kz = strcmp(country, "KAZ") == 0, border = strcmp(kind, "border") == 0;
    if (border) return kz ? 2 : 3;
    if (kz) return strcmp(kind, "city") == 0 ? 0 : 1;
    return 4;
}

static int node_of(const struct table *nodes, const char *code)
{
    for (size_t i = 0; i < nodes->nrows; i++)
        if (strcmp(http_cell_str(nodes, i, "code"), code) == 0) return (int)i;
    return -1;
}

/* The map of the year's assignment. */
static void map(struct buf *b, const struct table *nodes, const struct table *links, int year)
{
    size_t nn = nodes->nrows, ne = 0;
    const char **label = xcalloc(nn + 1, sizeof *label), **tip = xcalloc(links->nrows + 1, sizeof *tip);
    int *col = xcalloc(nn + 1, sizeof *col), *from = xcalloc(links->nrows + 1, sizeof *from);
    int *to = xcalloc(links->nrows + 1, sizeof *to), *wide = xcalloc(links->nrows + 1, sizeof *wide);
    double *pct = xcalloc(links->nrows + 1, sizeof *pct);
    char (*tips)[200] = xcalloc(links->nrows + 1, sizeof *tips);
    int *rowof = xcalloc(nn + 1, sizeof *rowof), used[5] = {0};
    for (size_t i = 0; i < nn; i++) {
        label[i] = http_cell_str(nodes, i, "name");
        col[i] = column(http_cell_str(nodes, i, "country"), http_cell_str(nodes, i, "kind"));
        rowof[i] = col[i] == 3 ? -1 : used[col[i]]++;
    }
    /* China's border posts level with the Kazakh post across from them */
    for (size_t r = 0; r < links->nrows; r++) {
        int f = node_of(nodes, http_cell_str(links, r, "from"));
        int t = node_of(nodes, http_cell_str(links, r, "to"));
        if (f >= 0 && t >= 0 && col[f] == 2 && col[t] == 3 && rowof[t] < 0) rowof[t] = rowof[f];
    }
    for (size_t i = 0; i < nn; i++)
        if (rowof[i] < 0) rowof[i] = used[2] + used[3]++;
    for (size_t r = 0; r < links->nrows; r++) {
        int f = node_of(nodes, http_cell_str(links, r, "from"));
        int t = node_of(nodes, http_cell_str(links, r, "to"));
        if (f < 0 || t < 0) continue;
        double flow = http_cell_num(links, r, "flow_t"), cap = http_cell_num(links, r, "capacity_t");
        from[ne] = f;
        to[ne] = t;
        wide[ne] = col[f] == 2 && col[t] == 3;
        pct[ne] = flow > 0 && cap > 0 ? 100.0 * flow / cap : NAN;
        snprintf(tips[ne], sizeof tips[ne], "%s: %.0f of %.0f t (%.0f%%)",
                 http_cell_str(links, r, "link"), flow, cap, cap > 0 ? 100.0 * flow / cap : 0.0);
        tip[ne] = tips[ne];
        ne++;
    }
    char title[400], desc[240];
    snprintf(title, sizeof title, "%s, %d", T("The corridor's links, how full they run"), year);
    snprintf(desc, sizeof desc, "%s",
             T("Kazakhstan on the left, China on the right, the border crossings between; each link "
               "coloured by the share of its capacity the year's freight uses."));
    struct netchart c = {.id = "chart-network", .title = title, .desc = desc, .nn = nn,
                         .nlabel = label, .ncol = col, .nrow = rowof, .ne = ne, .efrom = from, .eto = to,
                         .ewide = wide, .epct = pct, .etip = tip};
    svg_network(b, &c);
    free(rowof);
    free(label);
    free(tip);
    free(col);
    free(from);
    free(to);
    free(wide);
    free(pct);
    free(tips);
}

/* The saturation timeline: each crossing's fullest link (its own or one
 * leading to or from it) year by year, 100% meaning saturated; the first
 * CHART_MAX_SERIES crossings (the table below holds them all). */
static void timeline_chart(struct buf *b, const struct table *tl, int year, int last)
{
    size_t n = (size_t)(last - year + 1), ns = 0;
    double *x = xcalloc(n, sizeof *x), *v[CHART_MAX_SERIES];
    for (size_t i = 0; i < n; i++)
        x[i] = year + (double)i;
    struct chart ch = {.id = "chart-saturation",
                       .title = T("When the crossings saturate: the fullest link at each, % of capacity"),
                       .desc = T("Year by year, the share of its capacity that the fullest link at "
                                 "or next to each border crossing uses; 100% means the crossing "
                                 "is saturated that year."),
                       .xlabel = T("Year"),
                       .ylabel = T("% of capacity"),
                       .n = n,
                       .x = x,
                       .highlight = -1,
                       .unit = "%"};
    for (size_t r = 0; r < tl->nrows; r++) {
        const char *code = http_cell_str(tl, r, "crossing");
        size_t k = 0;
        while (k < ns && strcmp(ch.series[k].name, code) != 0)
            k++;
        if (k == ns) {
            if (ns == CHART_MAX_SERIES) continue;
            v[k] = xcalloc(n, sizeof *v[k]);
            for (size_t i = 0; i < n; i++)
                v[k][i] = NAN;
            ch.series[k].name = code;
            ch.series[k].v = v[k];
            ns++;
        }
        long y = lround(http_cell_num(tl, r, "year"));
        if (y >= year && y <= last) v[k][y - year] = http_cell_num(tl, r, "fullest_pct");
    }
    ch.nseries = ns;
    if (ns) svg_line(b, &ch);
    for (size_t k = 0; k < ns; k++)
        free(v[k]);
    free(x);
}

int http_logistics_section(struct buf *b, struct db *db, int year, int last, int brief,
                           struct err *e)
{
    struct lgx_assign_opts o = {.year = year};
    struct table *nodes = NULL, *links = NULL, *xs = NULL, *hz = NULL, *tl = NULL;
    int rc = lgx_node_table(db, &nodes, e);
    if (!rc) rc = lgx_assign(db, &o, &links, NULL, NULL, e);
    if (!rc) rc = lgx_crossings(db, &o, &xs, e);
    if (!rc) rc = lgx_horizon(db, &o, last, &hz, &tl, e);
    if (!rc) {
        http_section(b, T("Links and border crossings"));
        if (nodes->nrows) map(b, nodes, links, year);
        html_table(b, xs, brief ? NULL : "/api/v1/logistics/assign?format=csv");
        if (last > year) timeline_chart(b, tl, year, last);
        html_table(b, hz, NULL);
        if (!brief) html_table(b, tl, "/api/v1/logistics/timeline?format=csv");
        if (!brief) html_table(b, links, NULL);
    }
    table_free(nodes);
    table_free(links);
    table_free(xs);
    table_free(hz);
    table_free(tl);
    return rc;
}

/* The queue's defaults, where the query gives none. */
static const char *queue_get(void *ctx, const char *name)
{
    /* the form's four values come from the query; the rest are the page's */
    static const char *const asked[] = {"lambda", "mu", "servers", "days"};
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++)
        if (strcmp(asked[i], name) == 0 && http_arg(ctx, name)) return http_arg(ctx, name);
    static const char *const d[][2] = {{"lambda", "5"}, {"mu", "1"},   {"servers", "6"},
                                       {"days", "60"},  {"reps", "8"}, {"seed", "1"},
                                       {"threads", "2"}};
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (strcmp(d[i][0], name) == 0) return d[i][1];
    return NULL;
}

/* A crossing as a queue: the formulas and a simulation's queue over time,
 * for the query's parameters or the defaults. */
static int queue_section(struct req *r, struct buf *b, struct err *e)
{
    struct op_call q, s;
    int rc = http_run_with(r, "logistics", "queue", queue_get, r, &q, e);
    if (rc) {
        op_call_free(&q);
        return rc;
    }
    rc = http_run_with(r, "logistics", "simulate", queue_get, r, &s, e);
    if (!rc) {
        http_section(b, T("A crossing as a queue"));
        const struct table *series = s.out[1];
        size_t n = series->nrows;
        double *x = xcalloc(n + 1, sizeof *x), *v = xcalloc(n + 1, sizeof *v);
        for (size_t i = 0; i < n; i++) {
            x[i] = http_cell_num(series, i, "hour") / 24;
            v[i] = http_cell_num(series, i, "queue");
        }
        struct chart ch = {.id = "chart-queue",
                           .title = T("Queue at the crossing, simulated (mean of the runs)"),
                           .desc = T("Trains or trucks waiting, day by day, in the simulation "
                                     "of the crossing as an M/M/c queue."),
                           .xlabel = T("Day"),
                           .ylabel = T("Waiting"),
                           .n = n,
                           .x = x,
                           .nseries = 1,
                           .highlight = -1};
        ch.series[0].name = T("waiting");
        ch.series[0].v = v;
        svg_line(b, &ch);
        free(x);
        free(v);
        html_table(b, q.out[0], NULL);
        html_table(b, s.out[0], NULL);
    }
    struct table *ind = NULL;
    long year = 0;
    struct err tmp;
    const char *y = http_arg(r, "year");
    if (!y || int_parse(y, 1900, 2200, &year, &tmp)) {
        char today[11];
        date_today(today);
        year = atol(today);
    }
    if (!rc) rc = lgx_indicators(r->db, (int)year, &ind, e);
    if (!rc) html_table(b, ind, "/api/v1/logistics/indicators?format=csv");
    table_free(ind);
    op_call_free(&q);
    op_call_free(&s);
    return rc;
}

static void form(struct buf *b, int year, int last, struct req *r)
{
    const char *v[4] = {http_arg(r, "lambda"), http_arg(r, "mu"), http_arg(r, "servers"),
                        http_arg(r, "days")};
    html_printf(b,
                "<form class=\"filters\" method=\"get\" action=\"/logistics\">"
                "<label>%s<input name=\"year\" value=\"%d\" size=\"5\"></label>"
                "<label>%s<input name=\"horizon\" value=\"%d\" size=\"5\"></label>"
                "<label>%s<input name=\"lambda\" value=\"%s\" size=\"5\"></label>"
                "<label>%s<input name=\"mu\" value=\"%s\" size=\"5\"></label>"
                "<label>%s<input name=\"servers\" value=\"%s\" size=\"4\"></label>"
                "<label>%s<input name=\"days\" value=\"%s\" size=\"4\"></label>"
                "<button>%s</button></form>",
                T("Year"), year, T("Horizon"), last, T("Arrivals an hour"), v[0] ? v[0] : "5",
                T("Services an hour, each"), v[1] ? v[1] : "1", T("Servers"), v[2] ? v[2] : "6",
                T("Days"), v[3] ? v[3] : "60", T("Show"));
}

/* A year of the query, or dflt; -1 (an error page sent) when it is not one. */
static long year_of(struct req *r, const char *name, long dflt, struct err *e)
{
    const char *v = http_arg(r, name);
    long y = dflt;
    if (v && int_parse(v, 1900, 2200, &y, e)) {
        err_at(e, NULL, 0, 0, name);
        http_send_error(r, e);
        return -1;
    }
    return y;
}

int page_logistics(struct req *r, struct err *e)
{
    char today[11];
    date_today(today);
    long year = year_of(r, "year", atol(today), e);
    long last = year < 0 ? -1 : year_of(r, "horizon", year + 5, e);
    if (year < 0 || last < 0) return 0;
    if (last < year || last - year > 30) {
        err_set(e, ERR_USAGE, "the horizon is a year from the year to thirty years on");
        err_at(e, NULL, 0, 0, "horizon");
        return http_send_error(r, e);
    }
    struct html_page p;
    http_page_start(r, &p, T("Corridor logistics"), "logistics");
    struct buf *b = &r->out;
    form(b, (int)year, (int)last, r);
    int rc = http_logistics_section(b, r->db, (int)year, (int)last, 0, e);
    size_t mark = b->len;
    int qrc = rc ? 0 : queue_section(r, b, e);
    if (qrc && qrc != ERR_DB) { /* the form's values refused: say so where the queue would be */
        b->len = mark;
        if (b->p) b->p[mark] = 0;
        http_section(b, T("A crossing as a queue"));
        html_printf(b, "<p class=\"refused\">%s (%s): %s</p>", T("The queue cannot be simulated"),
                    e->field, e->msg);
        err_clear(e);
    } else if (qrc) {
        rc = qrc;
    }
    if (rc) return http_send_error(r, e);
    return http_page_done(r, &p);
}
