/* ops.c — the operations of the logistics area: the M/M/c formulas and the
 * simulation of a crossing as an M/M/c queue, described once for the
 * command line and the API. */
#include "logistics.h"

#include "../ops/ops.h"

#include <unistd.h>

#define MILLION INT64_C(1000000)
#define P_RATES                                                                                    \
    {"lambda", PT_NUMBER, PF_REQUIRED, NULL, 1, 1000000 * MILLION, NULL,                           \
     "arrivals per hour (trains, trucks)"},                                                        \
        {"mu", PT_NUMBER, PF_REQUIRED, NULL, 1, 1000000 * MILLION, NULL,                           \
         "services per hour of one server (a transshipment track, a truck lane)"},                 \
        {"servers", PT_INT, PF_REQUIRED, NULL, 1, 10000, NULL, "parallel servers"}

static const struct op_param queue_params[] = {P_RATES, {0}};

static const struct op_param sim_params[] = {
    P_RATES,
    {"hours", PT_NUMBER, 0, NULL, 1, 10000000 * MILLION, NULL,
     "hours observed in each replication (default 10,000)"},
    {"days", PT_NUMBER, 0, NULL, 1, 416667 * MILLION, NULL, "or days observed"},
    {"warmup", PT_NUMBER, 0, NULL, 0, 10000000 * MILLION, NULL,
     "hours simulated before the observation starts (default: a tenth of it)"},
    {"reps", PT_INT, 0, NULL, 1, 100000, "20", "independent replications"},
    {"seed", PT_INT, 0, NULL, 0, 2000000000, "1", "the random seed (the same seed, the same numbers)"},
    {"threads", PT_INT, 0, NULL, 1, 256, NULL, "threads running replications (default: the cores)"},
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
    struct table *t = table_new("queue", "M/M/c queue, steady state");
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
    table_note(t, "Erlang C with a = λ/μ and ρ = a/c: p_wait = C(c, a), Wq = C/(cμ − λ), "
                  "Lq = λWq, W = Wq + 1/μ, L = λW.");
    op_out(c, t);
    return 0;
}

static int simulate(struct op_call *c, struct err *e)
{
    if (op_has(c, "hours") && op_has(c, "days")) {
        err_set(e, ERR_USAGE, "give --hours or --days, not both");
        return err_field(e, "days");
    }
    double hours = op_has(c, "hours") ? num(c, "hours")
                   : op_has(c, "days") ? num(c, "days") * 24
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
                             .progress = c->progress};
    struct lgx_sim s;
    int rc = lgx_simulate(&o, &s, e);
    if (rc) return rc;
    op_out(c, lgx_sim_table(&o, &s));
    op_out(c, lgx_sim_series(&o, &s));
    lgx_sim_free(&s);
    return 0;
}

const struct op lgx_ops[] = {
    {"logistics", "queue", OP_READ, queue, queue_params,
     "M/M/c formulas: probability of waiting (Erlang C), Wq, Lq, W, L, utilisation",
     "logistics queue --lambda 2 --mu 3 --servers 2", NULL, NULL, NULL, OPF_NODB},
    {"logistics", "simulate", OP_READ, simulate, sim_params,
     "simulate a crossing as an M/M/c queue: waits, queue, percentiles with 95% intervals",
     "logistics simulate --lambda 5 --mu 1 --servers 6 --days 365 --reps 20 --seed 7", NULL, NULL,
     NULL, OPF_NODB},
    {0},
};
