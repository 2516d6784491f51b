/* ops.c — the operations of the logistics area: the M/M/c formulas and the
 * simulation of a crossing as an M/M/c queue, described once for the
 * command line and the API. */
#include "logistics.h"

#include "../ops/ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MILLION INT64_C(1000000)

static int cmp_closure(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}
#define P_RATES                                                                                    \
    {"lambda", PT_NUMBER, PF_REQUIRED, NULL, 1, 1000000 * MILLION, NULL,                           \
     "arrivals per hour (trains, trucks)"},                                                        \
        {"mu", PT_NUMBER, PF_REQUIRED, NULL, 1, 1000000 * MILLION, NULL,                           \
         "services per hour of one server (a transshipment track, a truck lane)"},                 \
        {"servers", PT_INT, PF_REQUIRED, NULL, 1, 10000, NULL, "parallel servers"}

#define P_SCENARIO                                                                                 \
    {"scenario", PT_TEXT, PF_LINES, NULL, 0, 20000, NULL,                                          \
     "a scenario as JSON: demand scaled or added, projects off or on, capacity changed for a "     \
     "date range (docs/logistics.md); from a file: --scenario \"$(cat FILE)\""}

static const struct op_param queue_params[] = {P_RATES, {0}};

static const struct op_param sim_params[] = {
    {"lambda", PT_NUMBER, 0, NULL, 1, 1000000 * MILLION, NULL,
     "arrivals per hour (trains, trucks); with --crossing: from the year's assigned flow"},
    {"mu", PT_NUMBER, PF_REQUIRED, NULL, 1, 1000000 * MILLION, NULL,
     "services per hour of one server (a transshipment track, a truck lane)"},
    {"servers", PT_INT, PF_REQUIRED, NULL, 1, 10000, NULL, "parallel servers"},
    {"crossing", PT_CODE, 0, NULL, 0, 0, NULL,
     "simulate this border crossing: arrivals from the flow the year's assignment sends "
     "through it, closures from the scenario"},
    {"year", PT_YEAR, 0, NULL, 0, 0, NULL, "with --crossing: the year (default this one)"},
    {"unit_t", PT_NUMBER, 0, NULL, 1, 100000 * MILLION, NULL,
     "with --crossing: tonnes a train or truck (default 3,000 by rail, 20 by road: "
     "assumptions)"},
    {"daily_cap", PT_NUMBER, 0, NULL, 1, 1000000 * MILLION, NULL,
     "trains or trucks the other side accepts a day"},
    {"hours", PT_NUMBER, 0, NULL, 1, 10000000 * MILLION, NULL,
     "hours observed in each replication (default 10,000)"},
    {"days", PT_NUMBER, 0, NULL, 1, 416667 * MILLION, NULL, "or days observed"},
    {"warmup", PT_NUMBER, 0, NULL, 0, 10000000 * MILLION, NULL,
     "hours simulated before the observation starts (default: a tenth of it)"},
    {"reps", PT_INT, 0, NULL, 1, 100000, "20", "independent replications"},
    {"seed", PT_INT, 0, NULL, 0, 2000000000, "1", "the random seed (the same seed, the same numbers)"},
    {"threads", PT_INT, 0, NULL, 1, 256, NULL, "threads running replications (default: the cores)"},
    P_SCENARIO,
    {0},
};

static const struct op_param node_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code for the place"},
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "its name"},
    {"country", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "its country"},
    {"region", PT_REGION, 0, "country", 0, 0, NULL, "its region (ISO 3166-2)"},
    {"kind", PT_ENUM, PF_REQUIRED, "city|terminal|dry-port|border|port", 0, 0, NULL,
     "what kind of place"},
    {"source", PT_TEXT, 0, NULL, 0, 300, NULL, "where this comes from"},
    {0},
};

static const struct op_param project_params[] = {
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "the project's name, as links name it"},
    {"status", PT_ENUM, PF_REQUIRED, "planned|under construction|open|cancelled", 0, 0, NULL,
     "where it stands"},
    {"cost_usd", PT_MONEY, 0, NULL, 0, 0, NULL, "its cost in US dollars"},
    {"opens", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day it opens (or opened)"},
    {"source", PT_TEXT, 0, NULL, 0, 300, NULL, "where this comes from"},
    {0},
};

static const struct op_param link_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the link's code (a further row with "
                                                    "another opening date is a capacity step)"},
    {"from", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the place it leaves"},
    {"to", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the place it reaches"},
    {"mode", PT_ENUM, PF_REQUIRED, "rail|road", 0, 0, NULL, "rail or road"},
    {"crossing", PT_CODE, 0, NULL, 0, 0, NULL, "the border crossing it passes, if any"},
    {"length_km", PT_NUMBER, PF_REQUIRED, NULL, 0, 100000 * MILLION, NULL, "its length, km"},
    {"capacity_t_year", PT_INT, PF_REQUIRED, NULL, 0, 2000000000, NULL,
     "tonnes a year it can carry"},
    {"cost_usd_t", PT_MONEY, PF_REQUIRED, NULL, 0, 100000000, NULL, "US dollars a tonne"},
    {"opens", PT_DATE, 0, NULL, 0, 0, NULL, "from this day (empty: always)"},
    {"closes", PT_DATE, 0, NULL, 0, 0, NULL, "until this day, not included (empty: never)"},
    {"project", PT_TEXT, 0, NULL, 0, 200, NULL,
     "the project that opens it or adds this capacity (active from the project's opening)"},
    {"source", PT_TEXT, 0, NULL, 0, 300, NULL, "where this comes from"},
    {0},
};

static const struct op_param demand_params[] = {
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    {"origin", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where the freight starts"},
    {"destination", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where it goes"},
    {"commodity", PT_TEXT, PF_REQUIRED, NULL, 0, 100, NULL, "what it is (grain, containers...)"},
    {"tonnes", PT_INT, PF_REQUIRED, NULL, 0, 2000000000, NULL, "tonnes in the year"},
    {"source", PT_TEXT, 0, NULL, 0, 300, NULL, "where this comes from"},
    {0},
};

static const struct op_param from_trade_params[] = {
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year of the demand"},
    {"origin", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where the goods leave"},
    {"destination", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where they go"},
    {"reporter", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country whose statistics are read"},
    {"partner", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "its partner"},
    {"flow", PT_ENUM, 0, "X|M", 0, 0, "X", "the reporter's exports (X) or imports (M)"},
    {"hs", PT_HSLIST, PF_REQUIRED, NULL, 0, 0, NULL, "the goods (HS lines, e.g. 10,1205)"},
    {"trade_year", PT_YEAR, 0, NULL, 0, 0, NULL, "the year of trade read (default: the year)"},
    {"scale_pct", PT_NUMBER, 0, NULL, 1, 10000 * MILLION, "100",
     "the weight scaled to this percentage (120: 20% more than traded)"},
    {"commodity", PT_TEXT, 0, NULL, 0, 100, NULL, "what it is called (default: HS and the flow)"},
    {0},
};

static const struct op_param from_agreement_params[] = {
    {"agreement", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the supply agreement whose cap it is"},
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year (the terms in force on 1 July)"},
    {"origin", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where the goods leave"},
    {"destination", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "where they go"},
    {0},
};

static const struct op_param import_params[] = {
    {"what", PT_ENUM, PF_REQUIRED | PF_POS, "nodes|projects|links|demand", 0, 0, NULL,
     "which records the file holds"},
    {"file", PT_FILE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the CSV file (plain or .gz)"},
    {"filename", PT_TEXT, 0, NULL, 0, 255, NULL, "the file's name, when sent as a request body"},
    {0},
};

/* What an assignment of one year takes; assign adds its horizon. */
#define P_ASSIGNMENT                                                                               \
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"}, P_SCENARIO, P_WITHOUT,           \
        {"demand_pct", PT_NUMBER, 0, NULL, 1, 10000 * MILLION, NULL,                               \
         "the demand scaled to this percentage (130: trade +30%)"}
#define P_WITHOUT                                                                                  \
    {"without", PT_TEXT, 0, NULL, 0, 1000, NULL,                                                   \
     "projects switched off, separated by ';' (a scenario without them)"}

static const struct op_param assign_params[] = {
    P_ASSIGNMENT,
    {"horizon", PT_YEAR, 0, NULL, 0, 0, NULL,
     "instead: from the year to this one, when each crossing saturates and what relieves it"},
    {0},
};

static const struct op_param unserved_params[] = {P_ASSIGNMENT, {0}};

static const struct op_param timeline_params[] = {
    P_ASSIGNMENT,
    {"horizon", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the last year"},
    {0},
};

static const struct op_param sweep_params[] = {
    {"from", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the first year"},
    {"to", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the last year"},
    {"scenarios", PT_INT, 0, NULL, 1, 100, "20",
     "how many demand scenarios a year: 70%, 75%... of the recorded demand"},
    {"first_pct", PT_INT, 0, NULL, 1, 1000, "70", "the first scenario's demand, % of the recorded"},
    {"step_pct", PT_INT, 0, NULL, 1, 1000, "5", "the step between scenarios, percentage points"},
    P_WITHOUT,
    P_SCENARIO,
    {0},
};

static const struct op_param no_params[] = {{0}};

static const struct op_param year_params[] = {
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    {0},
};

static double num(const struct op_call *c, const char *name)
{
    return (double)op_i(c, name) / 1e6;
}

static int queue(struct op_call *c, struct err *e)
{
    struct lgx_mmc m;
    int rc = lgx_mmc(num(c, "lambda"), num(c, "mu"), (long)op_i(c, "servers"), &m, e);
    if (rc) return rc;
    struct table *t = table_new("queue", N_("M/M/c queue, steady state"));
    table_col(t, "metric", COL_TEXT, NULL, 0);
    table_col(t, "value", COL_REAL, NULL, 6);
    table_col(t, "unit", COL_TEXT, NULL, 0);
    const struct {
        const char *name;
        double v;
        const char *unit;
    } rows[] = {{"offered_load", m.a, "erlangs"}, {"utilisation", m.rho, ""},
                {"p_wait", m.pwait, ""},          {"wq_h", m.wq, "hours"},
                {"lq", m.lq, "in queue"},         {"w_h", m.w, "hours"},
                {"l", m.l, "in system"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, rows[i].name);
        table_set_real(t, r, 1, rows[i].v);
        table_set_text(t, r, 2, rows[i].unit);
    }
    table_note(t, TF("Erlang C with a = λ/μ and ρ = a/c: p_wait = C(c, a), Wq = C/(cμ − λ), "
                     "Lq = λWq, W = Wq + 1/μ, L = λW."));
    op_out(c, t);
    return 0;
}

static int crossing_form(struct op_call *c, struct lgx_sim_opts *o, double (**closed)[2],
                         char *what, size_t size, struct err *e);

static int simulate(struct op_call *c, struct err *e)
{
    if (op_has(c, "hours") && op_has(c, "days")) {
        err_set(e, ERR_USAGE, "give --hours or --days, not both");
        return err_field(e, "days");
    }
    if (op_has(c, "lambda") == op_has(c, "crossing")) {
        err_set(e, ERR_USAGE, "give the arrival rate (--lambda), or a crossing (--crossing), "
                              "whose flow sets it: one of the two");
        return err_field(e, "lambda");
    }
    double hours = op_has(c, "hours")      ? num(c, "hours")
                   : op_has(c, "days")     ? num(c, "days") * 24
                   : op_has(c, "crossing") ? 365 * 24 /* a year of the crossing */
                                           : 10000;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct lgx_sim_opts o = {.lambda = num(c, "lambda"),
                             .mu = num(c, "mu"),
                             .servers = (long)op_i(c, "servers"),
                             .hours = hours,
                             .warmup = op_has(c, "warmup") ? num(c, "warmup") : hours / 10,
                             .reps = (long)op_i(c, "reps"),
                             .threads = op_has(c, "threads") ? (long)op_i(c, "threads")
                                        : cores > 0          ? cores
                                                             : 1,
                             .seed = (uint64_t)op_i(c, "seed"),
                             .progress = c->progress,
                             .daily_cap = op_has(c, "daily_cap") ? num(c, "daily_cap") : 0};
    double(*closed)[2] = NULL;
    char what[400] = "";
    int rc = op_has(c, "crossing") ? crossing_form(c, &o, &closed, what, sizeof what, e) : 0;
    struct lgx_sim s;
    if (!rc) rc = lgx_simulate(&o, &s, e);
    free(closed);
    if (rc) return rc;
    struct table *t = lgx_sim_table(&o, &s);
    if (*what) table_note(t, "%s", what);
    if (o.daily_cap > 0)
        table_note(t,
                   TF("At most %g services start a day (the other side's cap): the formulas "
                      "above do not count it%s."),
                   o.daily_cap,
                   o.lambda * 24 >= o.daily_cap
                       ? T("; with more arrivals a day than that, the queue has no steady state "
                           "and grows for as long as it runs")
                       : "");
    op_out(c, t);
    op_out(c, lgx_sim_series(&o, &s));
    lgx_sim_free(&s);
    return 0;
}

/* The projects a scenario switches off, split at ';' into off (room for
 * 33 names, NULL-ended) over buf. */
static int split_off(struct op_call *c, char *buf, size_t size, const char *off[33],
                     struct err *e)
{
    size_t n = 0;
    str_copy(buf, op_s(c, "without") ? op_s(c, "without") : "", size);
    for (char *save = NULL, *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        if (!*str_trim(t)) continue;
        if (n == 32) {
            err_set(e, ERR_USAGE, "at most 32 projects can be switched off");
            return err_field(e, "without");
        }
        int rc = db_lookup(c->db, e, NULL, 0,
                           "SELECT 1 FROM lgx_project WHERE name = ?1 COLLATE NOCASE", "t", t);
        if (rc < 0) return rc;
        if (rc == 0) {
            err_set(e, ERR_NOTFOUND, "no project '%s' (see 'corridor logistics projects')", t);
            return err_field(e, "without");
        }
        off[n++] = t;
    }
    off[n] = NULL;
    return 0;
}

/* 1 if the query finds the name; 0 with e saying what is unknown. */
static int known(struct op_call *c, const char *sql, const char *name, const char *path,
                 struct err *e)
{
    int rc = db_lookup(c->db, e, NULL, 0, sql, "t", name);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "scenario: %s: nothing called '%s' in the network", path, name);
        err_field(e, "scenario");
    }
    return rc;
}

/* The call's scenario, parsed and checked against the network (*sc zeroed
 * when there is none). */
static int scenario_of(struct op_call *c, struct lgx_scenario *sc, struct err *e)
{
    memset(sc, 0, sizeof *sc);
    sc->scale = 1;
    const char *j = op_s(c, "scenario");
    if (!j) return 0;
    int rc = lgx_scenario_parse(j, strlen(j), NULL, sc, e);
    char p[64];
    for (size_t i = 0; !rc && i < sc->nadd; i++) {
        static const char q[] = "SELECT 1 FROM lgx_node WHERE code = ?1";
        snprintf(p, sizeof p, "demand.add[%zu]", i);
        if ((rc = known(c, q, sc->add[i].origin, p, e)) == 1) rc = known(c, q, sc->add[i].dest, p, e);
        rc = rc == 1 ? 0 : rc ? rc : ERR_NOTFOUND;
        if (!rc && strcmp(sc->add[i].origin, sc->add[i].dest) == 0) {
            err_set(e, ERR_INPUT, "scenario: %s.destination: freight goes from one place to another",
                    p);
            rc = err_field(e, "scenario");
        }
    }
    for (size_t i = 0; !rc && i < sc->nchg; i++) {
        snprintf(p, sizeof p, "capacity[%zu].link", i);
        rc = known(c, "SELECT 1 FROM lgx_link WHERE code = ?1", sc->chg[i].link, p, e);
        rc = rc == 1 ? 0 : rc ? rc : ERR_NOTFOUND;
    }
    for (size_t i = 0; !rc && i < sc->noff + sc->non; i++) {
        snprintf(p, sizeof p, "projects.%s[%zu]", i < sc->noff ? "off" : "on",
                 i < sc->noff ? i : i - sc->noff);
        rc = known(c, "SELECT 1 FROM lgx_project WHERE name = ?1 COLLATE NOCASE",
                   i < sc->noff ? sc->off[i] : sc->on[i - sc->noff], p, e);
        rc = rc == 1 ? 0 : rc ? rc : ERR_NOTFOUND;
    }
    if (rc) lgx_scenario_free(sc);
    return rc;
}

/* The crossing form of simulate: the arrival rate from the tonnes the
 * year's assignment sends through the crossing, in trains or trucks; the
 * scenario's closures of its links as closed hours from the start of the
 * year; the warm-up a whole number of days, so that days fall on days. */
static int crossing_form(struct op_call *c, struct lgx_sim_opts *o, double (**closed)[2],
                         char *what, size_t size, struct err *e)
{
    const char *x = op_s(c, "crossing");
    char mode[16] = "", today[11];
    int rc = db_lookup(c->db, e, mode, sizeof mode, "SELECT mode FROM crossing WHERE code = ?1",
                       "t", x);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "unknown border crossing '%s'", x);
        return err_field(e, "crossing");
    }
    if (rc < 0) return rc;
    date_today(today);
    int year = op_has(c, "year") ? (int)op_i(c, "year") : atoi(today);
    struct lgx_scenario sc;
    if ((rc = scenario_of(c, &sc, e))) return rc;
    struct lgx_assign_opts ao = {.year = year, .sc = &sc};
    struct table *t = NULL;
    rc = lgx_crossings(c->db, &ao, &t, e);
    double flow = -1;
    for (size_t r = 0; !rc && r < t->nrows; r++)
        if (strcmp(table_cell(t, r, 0)->s, x) == 0) flow = (double)table_cell(t, r, 1)->i;
    table_free(t);
    if (!rc && flow < 0) {
        err_set(e, ERR_NOTFOUND, "no link of the network passes crossing %s in %d", x, year);
        rc = err_field(e, "crossing");
    }
    double unit = op_has(c, "unit_t") ? num(c, "unit_t") : strcmp(mode, "rail") == 0 ? 3000 : 20;
    double ydays = (double)(date_days(year + 1, 1, 1) - date_days(year, 1, 1));
    if (!rc && !op_has(c, "lambda")) o->lambda = flow / unit / (ydays * 24);
    if (!rc && !(o->lambda > 0)) {
        err_set(e, ERR_INPUT, "no freight is assigned through %s in %d: nothing arrives", x, year);
        rc = err_field(e, "crossing");
    }
    o->warmup = floor(o->warmup / 24) * 24;
    size_t n = 0;
    *closed = xcalloc(sc.nchg + 1, sizeof **closed);
    for (size_t i = 0; !rc && i < sc.nchg; i++) {
        int on = 0;
        rc = db_lookup(c->db, e, NULL, 0,
                       "SELECT 1 FROM lgx_link WHERE code = ?1 AND crossing = ?2", "tt",
                       sc.chg[i].link, x);
        if (rc == 1) on = 1, rc = 0;
        if (rc || !on || sc.chg[i].pct > 0) continue;
        double y0 = (double)date_days(year, 1, 1);
        (*closed)[n][0] = o->warmup + ((double)sc.chg[i].from - y0) * 24;
        (*closed)[n][1] = o->warmup + ((double)sc.chg[i].to - y0) * 24;
        n++;
    }
    qsort(*closed, n, sizeof **closed, cmp_closure); /* in order and disjoint, for the simulator */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && (*closed)[i][0] <= (*closed)[m - 1][1]) {
            if ((*closed)[i][1] > (*closed)[m - 1][1]) (*closed)[m - 1][1] = (*closed)[i][1];
        } else {
            (*closed)[m][0] = (*closed)[i][0];
            (*closed)[m++][1] = (*closed)[i][1];
        }
    }
    o->closed = (const double(*)[2]) * closed;
    o->nclosed = m;
    if (!rc)
        snprintf(what, size,
                 n == 1 ? TF("Crossing %s, %d: %.0f t assigned, in units of %g t: %.4f arrivals "
                             "an hour%s; %zu closure from the scenario; time 0 is 1 January "
                             "after the warm-up.")
                        : TF("Crossing %s, %d: %.0f t assigned, in units of %g t: %.4f arrivals "
                             "an hour%s; %zu closures from the scenario; time 0 is 1 January "
                             "after the warm-up."),
                 x, year, flow, unit, o->lambda, op_has(c, "unit_t") ? "" : T(" (unit assumed)"),
                 n);
    lgx_scenario_free(&sc);
    return rc;
}

/* want_unserved: 0 the links (or the horizon), 1 the unserved demand, 2 the
 * crossings year by year to the horizon. */
static int assign_run(struct op_call *c, int want_unserved, struct err *e)
{
    char buf[1001];
    const char *off[33];
    int rc = split_off(c, buf, sizeof buf, off, e);
    if (rc) return rc;
    struct lgx_scenario sc;
    rc = scenario_of(c, &sc, e);
    if (rc) return rc;
    struct lgx_assign_opts o = {.year = (int)op_i(c, "year"),
                                .off = off,
                                .demand_scale = op_has(c, "demand_pct") ? num(c, "demand_pct") / 100
                                                                        : 1,
                                .sc = &sc};
    struct table *l = NULL, *u = NULL;
    if (want_unserved != 1 && op_has(c, "horizon")) {
        if (op_i(c, "horizon") < o.year || op_i(c, "horizon") - o.year > 100) {
            lgx_scenario_free(&sc);
            err_set(e, ERR_USAGE, "the horizon is a year from --year to a hundred years on");
            return err_field(e, "horizon");
        }
        rc = lgx_horizon(c->db, &o, (int)op_i(c, "horizon"), &l, want_unserved ? &u : NULL, e);
        lgx_scenario_free(&sc);
        if (!rc && want_unserved) {
            table_free(l);
            l = u;
        }
        return op_give(c, rc, &l);
    }
    rc = lgx_assign(c->db, &o, &l, &u, NULL, e);
    if (sc.name[0] && !rc) table_note(l, TF("Scenario: %s."), sc.name);
    lgx_scenario_free(&sc);
    if (rc) return rc;
    if (want_unserved) {
        table_free(l);
        op_out(c, u);
    } else {
        op_out(c, l);
        table_free(u);
    }
    return 0;
}

/* Every year of a range under demand scenarios from 70% in steps of 5%:
 * what the network carries, what it cannot, and which links run full. */
static int sweep(struct op_call *c, struct err *e)
{
    int y0 = (int)op_i(c, "from"), y1 = (int)op_i(c, "to"), n = (int)op_i(c, "scenarios");
    if (y1 < y0 || y1 - y0 > 100) {
        err_set(e, ERR_USAGE, "the years run from --from to --to, at most a hundred of them");
        return err_field(e, "to");
    }
    if ((y1 - y0 + 1) * n > 1000) {
        err_set(e, ERR_USAGE, "at most 1,000 assignments in a sweep (years x scenarios)");
        return err_field(e, "scenarios");
    }
    char buf[1001];
    const char *off[33];
    if (split_off(c, buf, sizeof buf, off, e)) return e->code;
    struct lgx_scenario sc;
    if (scenario_of(c, &sc, e)) return e->code;
    struct table *t = table_new("sweep", N_("Demand scenarios over the years"));
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "demand_pct", COL_INT, "%", 0);
    table_col(t, "demand_t", COL_INT, "t", 0);
    table_col(t, "carried_t", COL_INT, "t", 0);
    table_col(t, "unserved_t", COL_INT, "t", 0);
    table_col(t, "bottlenecks", COL_TEXT, NULL, 0);
    int rc = 0, runs = 0;
    int64_t p0 = op_i(c, "first_pct"), step = op_i(c, "step_pct");
    struct buf gaps = {.max = 1000};
    double t0 = now_seconds();
    for (int y = y0; !rc && y <= y1; y++)
        for (int k = 0; !rc && k < n; k++) {
            struct lgx_assign_opts o = {
                .year = y, .off = off, .demand_scale = (double)(p0 + step * k) / 100, .sc = &sc};
            struct table *l = NULL;
            struct lgx_totals tot;
            rc = lgx_assign(c->db, &o, &l, NULL, &tot, e);
            runs++;
            if (rc) break;
            if (tot.demand <= 0) { /* no demand recorded: the year is left out */
                buf_printf(&gaps, "%s%d", gaps.len ? ", " : "", y);
                table_free(l);
                break;
            }
            struct buf full = {0};
            for (size_t r = 0; r < l->nrows; r++)
                if (*table_cell(l, r, 6)->s)
                    buf_printf(&full, "%s%s", full.len ? " " : "", table_cell(l, r, 0)->s);
            size_t row = table_add_row(t);
            table_set_int(t, row, 0, y);
            table_set_int(t, row, 1, p0 + step * k);
            table_set_int(t, row, 2, llround(tot.demand));
            table_set_int(t, row, 3, llround(tot.carried));
            table_set_int(t, row, 4, llround(tot.unserved));
            table_set_text(t, row, 5, full.p ? full.p : "");
            buf_free(&full);
            table_free(l);
        }
    if (!rc && gaps.len) table_note(t, TF("No freight demand recorded for %s: left out."), gaps.p);
    if (!rc) table_note(t, TF("%d assignments in %.3f s."), runs, now_seconds() - t0);
    buf_free(&gaps);
    lgx_scenario_free(&sc);
    return op_give(c, rc, &t);
}

static int indicators(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, lgx_indicators(c->db, (int)op_i(c, "year"), &t, e), &t);
}

static int assign(struct op_call *c, struct err *e)
{
    return assign_run(c, 0, e);
}

static int unserved(struct op_call *c, struct err *e)
{
    return assign_run(c, 1, e);
}

static int timeline(struct op_call *c, struct err *e)
{
    return assign_run(c, 2, e);
}

const struct op lgx_ops[] = {
    {"logistics", "node-add", OP_WRITE, lgx_node_add, node_params,
     "record a place of the network (or revise it by its code)",
     "logistics node-add --code DOSTYK --name Dostyk --country KAZ --region KZ-10 --kind border",
     NULL, "lgx_node", "import-nodes", 0},
    {"logistics", "project-add", OP_WRITE, lgx_project_add, project_params,
     "record an infrastructure project that opens links or adds capacity",
     "logistics project-add --name 'Bakhty-Ayagoz railway' --status 'under construction' "
     "--opens 2027-12-31",
     NULL, "lgx_project", "import-projects", 0},
    {"logistics", "link-add", OP_WRITE, lgx_link_add, link_params,
     "record a link with its yearly capacity (a further row from a date is a capacity step)",
     "logistics link-add --code DOSTYK-ALA --from DOSTYK --to ALASHANKOU --mode rail --crossing "
     "DOSTYK-RAIL --length-km 12 --capacity-t-year 20000000 --cost-usd-t 9",
     NULL, "lgx_link", "import-links", 0},
    {"logistics", "demand-add", OP_WRITE, lgx_demand_add, demand_params,
     "record a year's freight demand between two places",
     "logistics demand-add --year 2026 --origin ASTANA --destination URUMQI --commodity grain "
     "--tonnes 3000000",
     NULL, "lgx_demand", "import-demand", 0},
    {"logistics", "demand-from-agreement", OP_WRITE, lgx_demand_from_agreement,
     from_agreement_params, "record a year's demand as a supply agreement's annual cap",
     "logistics demand-from-agreement --agreement KZ-CN-GRAIN-3MT --year 2026 --origin ASTANA "
     "--destination URUMQI",
     NULL, "lgx_demand", NULL, 0},
    {"logistics", "demand-from-trade", OP_WRITE, lgx_demand_from_trade, from_trade_params,
     "record a year's demand as the net weight of recorded trade under HS lines",
     "logistics demand-from-trade --year 2026 --origin ASTANA --destination URUMQI --reporter KAZ "
     "--partner CHN --flow X --hs 10,1205 --trade-year 2024",
     NULL, "lgx_demand", NULL, 0},
    {"logistics", "import", OP_WRITE, lgx_import, import_params,
     "import nodes, projects, links or demand from a CSV file; all or nothing",
     "logistics import links links.csv", NULL, "lgx_link", NULL, OPF_ROWS},
    {"logistics", "nodes", OP_READ, lgx_nodes, no_params, "the places of the network",
     "logistics nodes", NULL, NULL, NULL, 0},
    {"logistics", "links", OP_READ, lgx_links, no_params,
     "the links, their capacity steps and projects", "logistics links", NULL, NULL, NULL, 0},
    {"logistics", "demand", OP_READ, lgx_demand_list, no_params, "the freight demand",
     "logistics demand", NULL, NULL, NULL, 0},
    {"logistics", "assign", OP_READ, assign, assign_params,
     "assign the year's demand to the network at least cost: each link's flow, capacity, "
     "utilisation",
     "logistics assign --year 2026", NULL, NULL, NULL, 0},
    {"logistics", "indicators", OP_READ, indicators, year_params,
     "per border crossing: hours to cross from shipment events (median, 90th percentile), cost "
     "to cross, the year's flow and utilisation",
     "logistics indicators --year 2024", NULL, NULL, NULL, 0},
    {"logistics", "sweep", OP_READ, sweep, sweep_params,
     "assign every year of a range under demand scenarios (70%, 75%...): carried, unserved, "
     "bottlenecks",
     "logistics sweep --from 2022 --to 2031", NULL, NULL, NULL, 0},
    {"logistics", "projects", OP_READ, lgx_projects, no_params,
     "the infrastructure projects: status, cost and opening date", "logistics projects", NULL,
     NULL, NULL, 0},
    {"logistics", "unserved", OP_READ, unserved, unserved_params,
     "the demand the network cannot carry in a year", "logistics unserved --year 2026", NULL, NULL,
     NULL, 0},
    {"logistics", "timeline", OP_READ, timeline, timeline_params,
     "each border crossing's load year by year, and the fullest link at or next to it",
     "logistics timeline --year 2024 --horizon 2030", NULL, NULL, NULL, 0},
    {"logistics", "queue", OP_READ, queue, queue_params,
     "M/M/c formulas: probability of waiting (Erlang C), Wq, Lq, W, L, utilisation",
     "logistics queue --lambda 2 --mu 3 --servers 2", NULL, NULL, NULL, OPF_NODB},
    {"logistics", "simulate", OP_READ, simulate, sim_params,
     "simulate a crossing as an M/M/c queue (or a named crossing: its assigned flow, daily cap "
     "and closures): waits, queue, percentiles with 95% intervals",
     "logistics simulate --lambda 5 --mu 1 --servers 6 --days 365 --reps 20 --seed 7", NULL, NULL,
     NULL, 0},
    {0},
};
