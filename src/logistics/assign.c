/* assign.c — which links carry the year's freight: a minimum-cost flow
 * with GLPK. Unserved tonnes cost more than any route could, so the
 * solution serves as much demand as the capacities allow, then at the least
 * cost.
 *
 * When the year's demand all goes to one place (or all leaves one), it is a
 * single-commodity flow: a source feeds each origin its tonnes (or each
 * destination drains into a sink), and GLPK's out-of-kilter algorithm
 * (glp_mincost_okalg) solves it on integer data — whole tonnes, costs in
 * cents. Otherwise each origin–destination–commodity demand is a commodity
 * of its own, so that one origin's tonnes never meet another destination's
 * demand (a single-commodity flow would mix them), and the multi-commodity
 * flow is solved as a linear programme with GLPK's simplex. The two agree
 * where both apply (a unit test holds them to it).
 *
 * A link's capacity for the year is prorated by the days it is open in it:
 * each row of a link (a capacity step) runs from its opening (or its
 * project's, unless the project is cancelled or switched off) to its closing
 * or the next step's opening. */
#include "logistics.h"

#include <glpk.h>
#include <limits.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct link {
    char code[72], from[72], to[72], crossing[24];
    double cap;  /* tonnes in the year */
    double cost; /* US$ a tonne */
    long days;   /* the days of the year the cost was taken over */
};

struct demand {
    char origin[72], dest[72], commodity[104];
    double tonnes, unserved;
};

struct net {
    struct link *l;
    size_t nl;
    struct demand *d;
    size_t nd;
    char (*node)[72];
    size_t nn;
};

static void net_free(struct net *n)
{
    free(n->l);
    free(n->d);
    free(n->node);
}

static long day_of(const char *date, long dflt)
{
    return date && *date ? date_text_days(date) : dflt;
}

static int listed(const char *p, const char *const *off)
{
    for (size_t i = 0; off && off[i]; i++)
        if (str_ieq(off[i], p)) return 1;
    return 0;
}

static int in_names(const char *p, char (*names)[200], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_ieq(names[i], p)) return 1;
    return 0;
}

/* Whether a row of a project counts: not switched off, and not cancelled
 * unless the scenario switches it on. */
static int project_on(const struct lgx_assign_opts *o, const char *p, const char *status)
{
    const struct lgx_scenario *sc = o->sc;
    if (listed(p, o->off) || (sc && in_names(p, sc->off, sc->noff))) return 0;
    if (sc && in_names(p, sc->on, sc->non)) return 1;
    return strcmp(status, "cancelled") != 0;
}

/* The tonnes a row of capacity cap open on days [a, b) of a year of ydays
 * days carries under the scenario: each day at the share the last change
 * covering it sets (100% when none does). */
static double carried(const struct lgx_scenario *sc, const char *code, double cap, long a, long b,
                      long ydays)
{
    double days = 0;
    for (long d = a; d < b; d++) {
        double pct = 100;
        for (size_t i = 0; sc && i < sc->nchg; i++)
            if (d >= sc->chg[i].from && d < sc->chg[i].to && strcmp(sc->chg[i].link, code) == 0)
                pct = sc->chg[i].pct;
        days += pct / 100;
    }
    return cap * days / (double)ydays;
}

/* One row of a link as read: its period and whether it counts. */
struct row {
    char code[72], from[72], to[72], crossing[24];
    double cap, cost;
    long start, end; /* days; end exclusive (LONG_MAX: never) */
    int on;
};

static int read_rows(struct db *db, const struct lgx_assign_opts *o, struct row **out, size_t *nr,
                     struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT l.code, l.from_node, l.to_node, l.capacity_t, l.cost_usd_t, "
                        "CASE WHEN l.project IS NULL THEN l.opens ELSE max(l.opens, p.opens) END, "
                        "l.closes, coalesce(l.project, ''), coalesce(p.status, ''), "
                        "coalesce(l.crossing, '') FROM lgx_link l LEFT JOIN lgx_project p "
                        "ON p.name = l.project ORDER BY l.code, 6, l.id",
                        NULL);
    size_t cap = 0;
    *out = NULL;
    *nr = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        if (*nr == cap) *out = xrealloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
        struct row *w = &(*out)[(*nr)++];
        db_col_text(st, 0, w->code, sizeof w->code);
        db_col_text(st, 1, w->from, sizeof w->from);
        db_col_text(st, 2, w->to, sizeof w->to);
        db_col_text(st, 9, w->crossing, sizeof w->crossing);
        w->cap = (double)db_col_int(st, 3);
        w->cost = (double)db_col_int(st, 4) / 100.0;
        w->start = day_of(db_col_str(st, 5), -100000000L);
        w->end = day_of(db_col_str(st, 6), 100000000L);
        w->on = !*db_col_str(st, 7) || project_on(o, db_col_str(st, 7), db_col_str(st, 8));
    }
    db_finalize(st);
    if (rc) free(*out), *out = NULL, *nr = 0;
    return rc;
}

/* Where row i stops counting: its close, or the start of the next row of
 * its link that counts (rows in order of start, then of recording: of two
 * rows starting the same day the later recorded supersedes the other). */
static long row_end(const struct row *rows, size_t nr, size_t i)
{
    long to = rows[i].end;
    for (size_t j = i + 1; j < nr && strcmp(rows[j].code, rows[i].code) == 0; j++)
        if (rows[j].on && rows[j].start >= rows[i].start) {
            if (rows[j].start < to) to = rows[j].start;
            break;
        }
    return to;
}

/* The year's links: each row that counts runs from its start to its close
 * or the next counting row's start (a step supersedes the one before it,
 * and a step switched off or cancelled supersedes nothing). */
static int load_links(struct db *db, const struct lgx_assign_opts *o, struct net *n, struct err *e)
{
    long y0 = date_days(o->year, 1, 1), y1 = date_days(o->year + 1, 1, 1);
    struct row *rows;
    size_t nr, cap = 0;
    int rc = read_rows(db, o, &rows, &nr, e);
    for (size_t i = 0; !rc && i < nr; i++) {
        struct row *w = &rows[i];
        if (!w->on) continue;
        long to = row_end(rows, nr, i);
        long a = w->start > y0 ? w->start : y0, b = to < y1 ? to : y1;
        if (b <= a) continue;
        struct link *k = n->nl && strcmp(n->l[n->nl - 1].code, w->code) == 0 ? &n->l[n->nl - 1]
                                                                              : NULL;
        if (!k) {
            if (n->nl == cap) n->l = xrealloc(n->l, (cap = cap ? cap * 2 : 32) * sizeof *n->l);
            k = &n->l[n->nl++];
            memset(k, 0, sizeof *k);
            str_copy(k->code, w->code, sizeof k->code);
        }
        str_copy(k->from, w->from, sizeof k->from);
        str_copy(k->to, w->to, sizeof k->to);
        str_copy(k->crossing, w->crossing, sizeof k->crossing);
        k->cap += carried(o->sc, w->code, w->cap, a, b, y1 - y0);
        if (b - a > k->days) { /* the cost of the step open longest */
            k->days = b - a;
            k->cost = w->cost;
        }
    }
    free(rows);
    for (size_t i = 0; i < n->nl; i++)
        n->l[i].cap = n->l[i].cap > 0 ? floor(n->l[i].cap + 1e-9) : 0;
    if (!rc && n->nl > LGX_LINKS_MAX)
        rc = err_set(e, ERR_LIMIT,
                     "%zu links are open in %d: corridor assigns networks of at most %d links a "
                     "year (a corridor's network, not a country's)",
                     n->nl, o->year, LGX_LINKS_MAX);
    return rc;
}

int lgx_capacity_on(struct db *db, const char *crossing, const char *date, double *tonnes,
                    int *open, int *links, struct err *e)
{
    struct lgx_assign_opts o = {0};
    struct row *rows;
    size_t nr;
    long d = date_text_days(date);
    *tonnes = 0;
    *open = *links = 0;
    int rc = read_rows(db, &o, &rows, &nr, e);
    for (size_t i = 0; !rc && i < nr; i++) {
        struct row *w = &rows[i];
        if (strcmp(w->crossing, crossing) != 0) continue;
        (*links)++;
        if (!w->on) continue;
        long to = row_end(rows, nr, i);
        if (w->start <= d && d < to) *tonnes += w->cap, (*open)++;
    }
    free(rows);
    return rc;
}

static struct demand *more(struct net *n, size_t *cap)
{
    if (n->nd == *cap) n->d = xrealloc(n->d, (*cap = *cap ? *cap * 2 : 32) * sizeof *n->d);
    return memset(&n->d[n->nd++], 0, sizeof *n->d);
}

static int load_demand(struct db *db, const struct lgx_assign_opts *o, struct net *n,
                       struct err *e)
{
    double scale = (o->demand_scale > 0 ? o->demand_scale : 1) * (o->sc ? o->sc->scale : 1);
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT origin, destination, commodity, tonnes FROM lgx_demand WHERE year "
                        "= ?1 ORDER BY origin, destination, commodity",
                        "i", (int64_t)o->year);
    size_t cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        struct demand *d = more(n, &cap);
        db_col_text(st, 0, d->origin, sizeof d->origin);
        db_col_text(st, 1, d->dest, sizeof d->dest);
        db_col_text(st, 2, d->commodity, sizeof d->commodity);
        d->tonnes = floor((double)db_col_int(st, 3) * scale + 0.5);
    }
    db_finalize(st);
    for (size_t i = 0; !rc && o->sc && i < o->sc->nadd; i++) {
        const struct lgx_add *a = &o->sc->add[i];
        if (a->year && a->year != o->year) continue;
        struct demand *d = more(n, &cap);
        str_copy(d->origin, a->origin, sizeof d->origin);
        str_copy(d->dest, a->dest, sizeof d->dest);
        str_copy(d->commodity, a->commodity, sizeof d->commodity);
        d->tonnes = floor(a->tonnes * scale + 0.5);
    }
    for (size_t i = 0; !rc && i < n->nd; i++) {
        n->d[i].unserved = n->d[i].tonnes;
        if (strcmp(n->d[i].origin, n->d[i].dest) == 0)
            rc = err_set(e, ERR_INPUT,
                         "the demand of %d for %s goes from %s to %s itself: freight goes from "
                         "one place to another (correct or remove that row)",
                         o->year, n->d[i].commodity, n->d[i].origin, n->d[i].dest);
    }
    return rc;
}

static size_t node_index(struct net *n, const char *code)
{
    for (size_t i = 0; i < n->nn; i++)
        if (strcmp(n->node[i], code) == 0) return i;
    n->node = xrealloc(n->node, (n->nn + 1) * sizeof *n->node);
    str_copy(n->node[n->nn], code, sizeof n->node[0]);
    return n->nn++;
}

/* The multi-commodity programme; fills each link's flow into flow[] and
 * each demand's unserved tonnes. */
static int solve_lp(struct net *n, double *flow, double *cost, struct err *e)
{
    size_t K = n->nd, L = n->nl, N = n->nn; /* every place indexed by solve() */
    if (!K) return 0;
    if (K * (L + 1) > 200000 || K * N + L > 200000)
        return err_set(e, ERR_LIMIT,
                       "the network is too large to assign at once (%zu demands x %zu links; at "
                       "most 200,000): group the demand by origin and destination",
                       K, L);
    double big = 1;
    for (size_t l = 0; l < L; l++)
        big += n->l[l].cost;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    int rows = (int)(K * N + L), cols = (int)(K * L + K);
    glp_add_rows(lp, rows);
    glp_add_cols(lp, cols);
    for (size_t k = 0; k < K; k++)
        for (size_t v = 0; v < N; v++) {
            double b = strcmp(n->node[v], n->d[k].origin) == 0 ? n->d[k].tonnes
                       : strcmp(n->node[v], n->d[k].dest) == 0 ? -n->d[k].tonnes
                                                               : 0;
            glp_set_row_bnds(lp, (int)(k * N + v) + 1, GLP_FX, b, b);
        }
    for (size_t l = 0; l < L; l++)
        glp_set_row_bnds(lp, (int)(K * N + l) + 1, GLP_UP, 0, n->l[l].cap);
    size_t nz = 3 * K * L + 2 * K;
    int *ia = xmalloc((nz + 1) * sizeof *ia), *ja = xmalloc((nz + 1) * sizeof *ja);
    double *ar = xmalloc((nz + 1) * sizeof *ar);
    size_t z = 0;
    for (size_t k = 0; k < K; k++) {
        for (size_t l = 0; l < L; l++) {
            int col = (int)(k * L + l) + 1;
            glp_set_col_bnds(lp, col, GLP_LO, 0, 0);
            glp_set_obj_coef(lp, col, n->l[l].cost);
            size_t f = node_index(n, n->l[l].from), t = node_index(n, n->l[l].to);
            ++z, ia[z] = (int)(k * N + f) + 1, ja[z] = col, ar[z] = 1;
            ++z, ia[z] = (int)(k * N + t) + 1, ja[z] = col, ar[z] = -1;
            ++z, ia[z] = (int)(K * N + l) + 1, ja[z] = col, ar[z] = 1;
        }
        /* unserved: leaves the origin's balance and the destination's */
        int col = (int)(K * L + k) + 1;
        glp_set_col_bnds(lp, col, n->d[k].tonnes > 0 ? GLP_DB : GLP_FX, 0, n->d[k].tonnes);
        glp_set_obj_coef(lp, col, big);
        ++z, ia[z] = (int)(k * N + node_index(n, n->d[k].origin)) + 1, ja[z] = col, ar[z] = 1;
        ++z, ia[z] = (int)(k * N + node_index(n, n->d[k].dest)) + 1, ja[z] = col, ar[z] = -1;
    }
    glp_load_matrix(lp, (int)z, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;
    int ret = glp_simplex(lp, &parm);
    int rc = 0;
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        rc = err_set(e, ERR_INTERNAL, "GLPK found no optimal assignment (simplex %d, status %d)",
                     ret, glp_get_status(lp));
    } else {
        *cost = 0;
        for (size_t l = 0; l < L; l++) {
            flow[l] = 0;
            for (size_t k = 0; k < K; k++)
                flow[l] += glp_get_col_prim(lp, (int)(k * L + l) + 1);
            *cost += flow[l] * n->l[l].cost;
        }
        for (size_t k = 0; k < K; k++)
            n->d[k].unserved = glp_get_col_prim(lp, (int)(K * L + k) + 1);
    }
    glp_delete_prob(lp);
    glp_free_env(); /* GLPK's environment is per thread: none left behind */
    free(ia);
    free(ja);
    free(ar);
    return rc;
}

/* The single-commodity flow, when every demand shares its destination (or
 * its origin): 1 solved, 0 not applicable (several of both, or data out of
 * the integer range okalg takes), or an error. */
struct okarc {
    double low, cap, cost, x;
};
struct okvtx {
    double rhs;
};

static int solve_flow(struct net *n, double *flow, double *cost, struct err *e)
{
    size_t K = n->nd, L = n->nl, N = n->nn;
    int one_dest = 1, one_origin = 1;
    for (size_t k = 1; k < K; k++) {
        one_dest &= strcmp(n->d[k].dest, n->d[0].dest) == 0;
        one_origin &= strcmp(n->d[k].origin, n->d[0].origin) == 0;
    }
    if (!K || (!one_dest && !one_origin)) return 0;
    double total = 0, big = 1;
    for (size_t k = 0; k < K; k++)
        total += n->d[k].tonnes;
    for (size_t l = 0; l < L; l++)
        big += llround(n->l[l].cost * 100);
    if (total > INT_MAX / 2 || big > INT_MAX / 2) return 0;
    glp_graph *g = glp_create_graph(sizeof(struct okvtx), sizeof(struct okarc));
    glp_add_vertices(g, (int)N + 1); /* the network's places, then the source or sink */
    int end = (int)N + 1, hub = (int)(one_dest ? node_index(n, n->d[0].dest)
                                               : node_index(n, n->d[0].origin)) + 1;
    ((struct okvtx *)g->v[end]->data)->rhs = one_dest ? total : -total;
    ((struct okvtx *)g->v[hub]->data)->rhs = one_dest ? -total : total;
    glp_arc **arc = xcalloc(L + K + 1, sizeof *arc);
    for (size_t l = 0; l < L; l++) {
        arc[l] = glp_add_arc(g, (int)node_index(n, n->l[l].from) + 1,
                             (int)node_index(n, n->l[l].to) + 1);
        *(struct okarc *)arc[l]->data = (struct okarc){0, n->l[l].cap, llround(n->l[l].cost * 100)};
    }
    for (size_t k = 0; k < K; k++) { /* source -> origin, or destination -> sink */
        int v = (int)(one_dest ? node_index(n, n->d[k].origin) : node_index(n, n->d[k].dest)) + 1;
        arc[L + k] = one_dest ? glp_add_arc(g, end, v) : glp_add_arc(g, v, end);
        *(struct okarc *)arc[L + k]->data = (struct okarc){0, n->d[k].tonnes, 0};
    }
    /* what no route carries: straight from source to destination (or
     * origin to sink) at more than any route costs */
    glp_arc *spill = one_dest ? glp_add_arc(g, end, hub) : glp_add_arc(g, hub, end);
    *(struct okarc *)spill->data = (struct okarc){0, total, big};
    double sol;
    int ret = glp_mincost_okalg(g, offsetof(struct okvtx, rhs), offsetof(struct okarc, low),
                                offsetof(struct okarc, cap), offsetof(struct okarc, cost), &sol,
                                offsetof(struct okarc, x), -1);
    int rc = 1;
    if (ret == GLP_EDATA || ret == GLP_ERANGE) {
        rc = 0; /* out of okalg's range: the programme takes it */
    } else if (ret != 0) {
        rc = err_set(e, ERR_INTERNAL, "GLPK found no minimum-cost flow (okalg %d)", ret);
    } else {
        *cost = 0;
        for (size_t l = 0; l < L; l++) {
            flow[l] = ((struct okarc *)arc[l]->data)->x;
            *cost += flow[l] * n->l[l].cost;
        }
        for (size_t k = 0; k < K; k++)
            n->d[k].unserved = n->d[k].tonnes - ((struct okarc *)arc[L + k]->data)->x;
    }
    free(arc);
    glp_delete_graph(g);
    glp_free_env();
    return rc;
}

/* Solves the year's assignment by the flow when it applies, else by the
 * programme. */
static int solve(struct net *n, int solver, double *flow, double *cost, struct err *e)
{
    for (size_t l = 0; l < n->nl; l++) {
        node_index(n, n->l[l].from);
        node_index(n, n->l[l].to);
    }
    for (size_t k = 0; k < n->nd; k++) {
        node_index(n, n->d[k].origin);
        node_index(n, n->d[k].dest);
    }
    int rc = solver == LGX_SOLVER_LP ? 0 : solve_flow(n, flow, cost, e);
    if (rc == 1) return 0;
    if (rc) return rc;
    if (solver == LGX_SOLVER_FLOW && n->nd)
        return err_set(e, ERR_USAGE, "the demand has several origins and destinations: only the "
                                     "multi-commodity programme assigns it");
    return solve_lp(n, flow, cost, e);
}

static struct table *links_table(int year, const struct net *n, const double *flow)
{
    char title[400];
    snprintf(title, sizeof title, TF("Freight assigned to the network, %d"), year);
    struct table *t = table_new("assignment", title);
    table_col(t, "link", COL_TEXT, NULL, 0);
    table_col(t, "from", COL_TEXT, NULL, 0);
    table_col(t, "to", COL_TEXT, NULL, 0);
    table_col(t, "flow_t", COL_INT, "t", 0);
    table_col(t, "capacity_t", COL_INT, "t", 0);
    table_col(t, "utilisation_pct", COL_REAL, "%", 1);
    table_col(t, "bottleneck", COL_TEXT, NULL, 0);
    for (size_t l = 0; l < n->nl; l++) {
        size_t r = table_add_row(t);
        double f = floor(flow[l] + 0.5);
        table_set_text(t, r, 0, n->l[l].code);
        table_set_text(t, r, 1, n->l[l].from);
        table_set_text(t, r, 2, n->l[l].to);
        table_set_int(t, r, 3, (int64_t)f);
        table_set_int(t, r, 4, (int64_t)n->l[l].cap);
        if (n->l[l].cap > 0) table_set_real(t, r, 5, 100.0 * f / n->l[l].cap);
        table_set_text(t, r, 6, n->l[l].cap > 0 && f >= n->l[l].cap - 0.5 ? "yes" : "");
    }
    return t;
}

/* 1 if the year's open links lead from place a to place b. */
static int reachable(const struct net *n, const char *a, const char *b)
{
    if (strcmp(a, b) == 0) return 1;
    char(*seen)[72] = xcalloc(n->nl + 2, sizeof *seen);
    size_t ns = 0, at = 0;
    str_copy(seen[ns++], a, sizeof seen[0]);
    int found = 0;
    while (at < ns && !found) { /* breadth first over the links' ends */
        const char *x = seen[at++];
        for (size_t l = 0; l < n->nl && !found; l++) {
            if (n->l[l].cap <= 0 || strcmp(n->l[l].from, x) != 0) continue;
            size_t k = 0;
            while (k < ns && strcmp(seen[k], n->l[l].to) != 0)
                k++;
            if (k < ns) continue;
            found = strcmp(n->l[l].to, b) == 0;
            if (ns < n->nl + 2) str_copy(seen[ns++], n->l[l].to, sizeof seen[0]);
        }
    }
    free(seen);
    return found;
}

static struct table *unserved_table(int year, const struct net *n)
{
    char title[400];
    snprintf(title, sizeof title, TF("Demand the network cannot carry, %d"), year);
    struct table *t = table_new("unserved", title);
    table_col(t, "origin", COL_TEXT, NULL, 0);
    table_col(t, "destination", COL_TEXT, NULL, 0);
    table_col(t, "commodity", COL_TEXT, NULL, 0);
    table_col(t, "demand_t", COL_INT, "t", 0);
    table_col(t, "unserved_t", COL_INT, "t", 0);
    for (size_t k = 0; k < n->nd; k++) {
        double u = floor(n->d[k].unserved + 0.5);
        if (u <= 0) continue;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, n->d[k].origin);
        table_set_text(t, r, 1, n->d[k].dest);
        table_set_text(t, r, 2, n->d[k].commodity);
        table_set_int(t, r, 3, (int64_t)n->d[k].tonnes);
        table_set_int(t, r, 4, (int64_t)u);
        if (!reachable(n, n->d[k].origin, n->d[k].dest))
            table_note(t, TF("No link open in %d leads from %s to %s: none of its demand can go."),
                       year, n->d[k].origin, n->d[k].dest);
    }
    table_empty(t, N_("all demand can be carried"));
    return t;
}

int lgx_assign(struct db *db, const struct lgx_assign_opts *o, struct table **links,
               struct table **unserved, struct lgx_totals *totals, struct err *e)
{
    struct net n = {0};
    int rc = load_links(db, o, &n, e);
    if (!rc) rc = load_demand(db, o, &n, e);
    double *flow = xcalloc(n.nl + 1, sizeof *flow), cost = 0;
    if (!rc) rc = solve(&n, o->solver, flow, &cost, e);
    if (!rc) {
        double want = 0, left = 0;
        for (size_t k = 0; k < n.nd; k++)
            want += n.d[k].tonnes, left += floor(n.d[k].unserved + 0.5);
        if (totals) *totals = (struct lgx_totals){want, want - left, left, cost};
        struct table *t = links_table(o->year, &n, flow), *u = unserved_table(o->year, &n);
        char a[48], b[48], c[48], d[48];
        table_note(t,
                   TF("Demand %s t, carried %s t, unserved %s t; cost US$ %s. Capacities are "
                      "prorated by the days each link is open in %d; a bottleneck runs full."),
                   dec_format_grouped((int64_t)want, 0, a, sizeof a),
                   dec_format_grouped((int64_t)(want - left), 0, b, sizeof b),
                   dec_format_grouped((int64_t)left, 0, c, sizeof c),
                   dec_format_grouped(llround(cost), 0, d, sizeof d), o->year);
        if (!n.nd) table_note(t, TF("No demand is recorded for %d."), o->year);
        *links = t;
        if (unserved)
            *unserved = u;
        else
            table_free(u);
    }
    free(flow);
    net_free(&n);
    return rc;
}

/* ---- the horizon: when each crossing saturates ---- */

/* A crossing over the years: each time it saturates (the year, at which
 * link, how full) and the first year after that it no longer does. */
#define XING_SPELLS 8
struct xing {
    char code[24];
    struct {
        char at[72];
        int saturates, relieved;
        double pct;
    } spell[XING_SPELLS];
    int nspell, full; /* full: the last spell is still going */
    int dropped;      /* spells past XING_SPELLS, not shown */
};

/* One crossing in one year: its own links' flow and capacity, and the
 * fullest of its links and approach links (those ending where one of its
 * links starts, or starting where one ends). */
struct xload {
    double flow, cap, top_pct;
    int seen, full;
    char top[72];
};

/* Whether link l is one of a crossing's links (own, no of them) or
 * approaches them. */
static int serves(const struct net *n, size_t l, const size_t *own, size_t no)
{
    for (size_t i = 0; i < no; i++)
        if (own[i] == l || strcmp(n->l[l].to, n->l[own[i]].from) == 0 ||
            strcmp(n->l[l].from, n->l[own[i]].to) == 0)
            return 1;
    return 0;
}

/* The crossing's index in xs, added when first met (-1 past max). */
static int xing_of(struct xing *xs, size_t *nx, size_t max, const char *code)
{
    size_t k = 0;
    while (k < *nx && strcmp(xs[k].code, code) != 0)
        k++;
    if (k == *nx) {
        if (k == max) return -1;
        memset(&xs[k], 0, sizeof xs[k]);
        str_copy(xs[k].code, code, sizeof xs[k].code);
        (*nx)++;
    }
    return (int)k;
}

/* One year's load of each crossing into ld (indexed as xs), solving the
 * year's assignment. */
static int year_load(struct db *db, const struct lgx_assign_opts *o, struct xing *xs, size_t *nx,
                     struct xload *ld, struct err *e)
{
    struct net n = {0};
    memset(ld, 0, LGX_CROSSINGS_MAX * sizeof *ld);
    int rc = load_links(db, o, &n, e);
    if (!rc) rc = load_demand(db, o, &n, e);
    if (!rc && !n.nd) { /* nothing recorded: the year says nothing of the load */
        net_free(&n);
        return 0;
    }
    double *flow = xcalloc(n.nl + 1, sizeof *flow), cost = 0;
    size_t *own = xcalloc(n.nl + 1, sizeof *own);
    if (!rc) rc = solve(&n, o->solver, flow, &cost, e);
    for (size_t c = 0; !rc && c < n.nl; c++) {
        if (!n.l[c].crossing[0]) continue;
        int k = xing_of(xs, nx, LGX_CROSSINGS_MAX, n.l[c].crossing);
        if (k < 0 || ld[k].seen) continue;
        ld[k].seen = 1;
        size_t no = 0;
        for (size_t l = c; l < n.nl; l++) /* its links: none before c */
            if (strcmp(n.l[l].crossing, xs[k].code) == 0) own[no++] = l;
        for (size_t l = 0; l < n.nl; l++) {
            if (!serves(&n, l, own, no)) continue;
            int mine = strcmp(n.l[l].crossing, xs[k].code) == 0; /* its own win a tie */
            if (mine) ld[k].flow += flow[l], ld[k].cap += n.l[l].cap;
            double pct = n.l[l].cap > 0 ? 100.0 * flow[l] / n.l[l].cap : 0;
            if (n.l[l].cap > 0 && flow[l] >= n.l[l].cap - 0.5) ld[k].full = 1;
            if (!ld[k].top[0] || pct > ld[k].top_pct + 1e-9 || (mine && pct > ld[k].top_pct - 1e-9))
                ld[k].top_pct = pct, str_copy(ld[k].top, n.l[l].code, sizeof ld[k].top);
        }
    }
    for (size_t k = 0; !rc && k < *nx; k++) {
        struct xing *x = &xs[k];
        if (ld[k].full && !x->full && x->nspell == XING_SPELLS) {
            x->dropped++;
            x->full = 1;
        } else if (ld[k].full && !x->full) {
            x->spell[x->nspell].saturates = o->year;
            x->spell[x->nspell].pct = ld[k].top_pct;
            str_copy(x->spell[x->nspell].at, ld[k].top, sizeof x->spell[0].at);
            x->nspell++;
            x->full = 1;
        } else if (ld[k].seen && !ld[k].full && x->full) {
            if (!x->dropped) x->spell[x->nspell - 1].relieved = o->year;
            x->full = 0;
        }
    }
    free(own);
    free(flow);
    net_free(&n);
    return rc;
}

/* What opened links through crossing x or its approaches after the start
 * of the last year it ran full (one opening earlier left it full that year)
 * and by the end of the year it was relieved: the projects, or the links'
 * own capacity steps. */
static int relief(struct db *db, const char *x, int relieved, char *out, size_t size,
                  struct err *e)
{
    char from[32], to[32];
    snprintf(from, sizeof from, "%04d-01-01", (relieved - 1) % 10000);
    snprintf(to, sizeof to, "%04d-12-31", relieved % 10000);
    struct buf b = {.max = 1000};
    int rc = db_join(db, e, &b, "; ",
                        "SELECT DISTINCT coalesce(p.name, l.code || ' from ' || l.opens) AS what, "
                        "coalesce(p.opens, l.opens) AS day FROM lgx_link l LEFT JOIN lgx_project "
                        "p ON p.name = l.project AND l.project <> '' WHERE (l.crossing = ?1 OR "
                        "EXISTS (SELECT 1 FROM lgx_link c WHERE c.crossing = ?1 AND (l.to_node = "
                        "c.from_node OR l.from_node = c.to_node))) AND coalesce(p.status, '') <> "
                        "'cancelled' AND coalesce(p.opens, l.opens) > ?2 AND coalesce(p.opens, "
                        "l.opens) <= ?3 ORDER BY day, what",
                        "ttt", x, from, to);
    str_copy(out, b.p ? b.p : "", size);
    buf_free(&b);
    return rc;
}

static struct table *timeline_table(int first, int last)
{
    char title[400];
    snprintf(title, sizeof title, TF("Border crossings year by year, %d-%d"), first, last);
    struct table *t = table_new("timeline", title);
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "flow_t", COL_INT, "t", 0);
    table_col(t, "capacity_t", COL_INT, "t", 0);
    table_col(t, "utilisation_pct", COL_REAL, "%", 1);
    table_col(t, "fullest_link", COL_TEXT, NULL, 0);
    table_col(t, "fullest_pct", COL_REAL, "%", 1);
    table_note(t, TF("utilisation_pct: the crossing's own links; fullest_link: the fullest of "
                     "them and of the links leading to and from them, which saturates the "
                     "crossing when it runs full."));
    return t;
}

static void timeline_rows(struct table *t, int year, const struct xing *xs, size_t nx,
                          const struct xload *ld)
{
    for (size_t k = 0; k < nx; k++) {
        if (!ld[k].seen) continue;
        size_t r = table_add_row(t);
        table_set_int(t, r, 0, year);
        table_set_text(t, r, 1, xs[k].code);
        table_set_int(t, r, 2, llround(ld[k].flow));
        table_set_int(t, r, 3, llround(ld[k].cap));
        if (ld[k].cap > 0) table_set_real(t, r, 4, 100.0 * ld[k].flow / ld[k].cap);
        table_set_text(t, r, 5, ld[k].top);
        table_set_real(t, r, 6, ld[k].top_pct);
    }
}

static struct table *horizon_table(int first, int last)
{
    char title[400];
    snprintf(title, sizeof title, TF("When each crossing saturates, %d-%d"), first, last);
    struct table *t = table_new("horizon", title);
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "saturates", COL_INT, NULL, 0);
    table_col(t, "at_link", COL_TEXT, NULL, 0);
    table_col(t, "utilisation_pct", COL_REAL, "%", 1);
    table_col(t, "relieved", COL_INT, NULL, 0);
    table_col(t, "relieved_by", COL_TEXT, NULL, 0);
    table_note(t,
               TF("A crossing saturates in a year when one of its links, or of the links leading "
                  "to and from them, runs full (at_link; a row each time), and is relieved the "
                  "first year after when none does; relieved_by: the projects (or capacity "
                  "steps) that opened such links in between, empty when the freight fell or "
                  "went another way. Empty saturates: not in %d-%d."),
               first, last);
    return t;
}

int lgx_horizon(struct db *db, const struct lgx_assign_opts *o, int last, struct table **out,
                struct table **timeline, struct err *e)
{
    struct xing xs[LGX_CROSSINGS_MAX];
    struct xload ld[LGX_CROSSINGS_MAX];
    size_t nx = 0;
    int rc = 0;
    struct buf gaps = {.max = 1000};
    struct table *tl = timeline ? timeline_table(o->year, last) : NULL;
    for (int y = o->year; !rc && y <= last; y++) {
        struct lgx_assign_opts oy = *o;
        oy.year = y;
        rc = year_load(db, &oy, xs, &nx, ld, e);
        if (!rc && tl) timeline_rows(tl, y, xs, nx, ld);
        int any = 0;
        for (size_t k = 0; k < nx; k++)
            any |= ld[k].seen;
        if (!rc && !any) buf_printf(&gaps, "%s%d", gaps.len ? ", " : "", y);
    }
    struct table *t = horizon_table(o->year, last);
    if (gaps.len) {
        table_note(t, TF("No freight demand recorded for %s: those years are left out."), gaps.p);
        if (tl)
            table_note(tl, TF("No freight demand recorded for %s: those years are left out."),
                       gaps.p);
    }
    buf_free(&gaps);
    for (size_t k = 0; !rc && k < nx; k++) {
        for (int i = 0; !rc && i < (xs[k].nspell ? xs[k].nspell : 1); i++) {
            size_t r = table_add_row(t);
            table_set_text(t, r, 0, xs[k].code);
            if (!xs[k].nspell) continue;
            table_set_int(t, r, 1, xs[k].spell[i].saturates);
            table_set_text(t, r, 2, xs[k].spell[i].at);
            table_set_real(t, r, 3, xs[k].spell[i].pct);
            if (!xs[k].spell[i].relieved) continue;
            table_set_int(t, r, 4, xs[k].spell[i].relieved);
            char by[1001];
            rc = relief(db, xs[k].code, xs[k].spell[i].relieved, by, sizeof by, e);
            table_set_text(t, r, 5, by);
        }
    }
    for (size_t k = 0; !rc && k < nx; k++)
        if (xs[k].dropped)
            table_note(t,
                       xs[k].dropped == 1
                           ? TF("%s saturates %d more time after the %d shown (see the timeline).")
                           : TF("%s saturates %d more times after the %d shown (see the "
                                "timeline)."),
                       xs[k].code, xs[k].dropped, XING_SPELLS);
    if (rc) {
        table_free(t);
        table_free(tl);
        return rc;
    }
    *out = t;
    if (timeline) *timeline = tl;
    return 0;
}

int lgx_crossings(struct db *db, const struct lgx_assign_opts *o, struct table **out,
                  struct err *e)
{
    struct net n = {0};
    int rc = load_links(db, o, &n, e);
    if (!rc) rc = load_demand(db, o, &n, e);
    double *flow = xcalloc(n.nl + 1, sizeof *flow), cost = 0;
    if (!rc) rc = solve(&n, o->solver, flow, &cost, e);
    char title[400];
    snprintf(title, sizeof title, TF("Border crossings, %d"), o->year);
    struct table *t = table_new("crossings", title);
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "flow_t", COL_INT, "t", 0);
    table_col(t, "capacity_t", COL_INT, "t", 0);
    table_col(t, "utilisation_pct", COL_REAL, "%", 1);
    table_col(t, "cost_usd_t", COL_MONEY, "US$", 0);
    for (size_t l = 0; !rc && l < n.nl; l++) {
        if (!n.l[l].crossing[0]) continue;
        size_t r = 0;
        while (r < t->nrows && strcmp(table_cell(t, r, 0)->s, n.l[l].crossing) != 0)
            r++;
        if (r == t->nrows) {
            r = table_add_row(t);
            table_set_text(t, r, 0, n.l[l].crossing);
            table_set_int(t, r, 1, 0);
            table_set_int(t, r, 2, 0);
        }
        table_cell(t, r, 1)->i += llround(flow[l]);
        table_cell(t, r, 2)->i += (int64_t)n.l[l].cap;
        int64_t usd_t = llround(n.l[l].cost * 100); /* the cheapest of its links this year */
        if (table_cell(t, r, 4)->null || usd_t < table_cell(t, r, 4)->i)
            table_set_int(t, r, 4, usd_t);
    }
    for (size_t r = 0; r < t->nrows; r++)
        if (table_cell(t, r, 2)->i > 0)
            table_set_real(t, r, 3, 100.0 * (double)table_cell(t, r, 1)->i /
                                        (double)table_cell(t, r, 2)->i);
    free(flow);
    net_free(&n);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_empty(t, N_("no crossing in the network this year"));
    *out = t;
    return 0;
}
