/* test_logistics.c — unit tests for the queueing formulas (DOMAIN's check
 * values, refusals) and for the simulator against them: at several (λ, μ, c)
 * up to ρ = 0.9, for fixed seeds, the simulated Wq, Lq, W, utilisation and
 * wait percentiles bracket the formulas' values within their 95% intervals,
 * and the same seed gives the same numbers whatever the thread count; and
 * the assignment's two solvers (GLPK's out-of-kilter flow and its simplex
 * programme) agree on random networks where both apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "logistics/logistics.h"
#include "ref/ref.h"
#include "support.h"

static void test_erlang_c_check_values(void **state)
{
    (void)state;
    struct lgx_mmc m;
    struct err e = {0};
    /* M/M/2, λ = 2, μ = 3: Lq = 1/12, W = 0.375 */
    assert_int_equal(lgx_mmc(2, 3, 2, &m, &e), 0);
    assert_true(fabs(m.lq - 1.0 / 12) < 1e-12);
    assert_true(fabs(m.w - 0.375) < 1e-12);
    /* Erlang C(c = 3, a = 2) = 4/9 */
    assert_int_equal(lgx_mmc(2, 1, 3, &m, &e), 0);
    assert_true(fabs(m.pwait - 4.0 / 9) < 1e-12);
    assert_true(fabs(m.wq - 4.0 / 9) < 1e-12); /* C/(cμ − λ) = (4/9)/1 */
    /* M/M/1: C = ρ, Wq = ρ/(μ − λ) */
    assert_int_equal(lgx_mmc(0.5, 1, 1, &m, &e), 0);
    assert_true(fabs(m.pwait - 0.5) < 1e-12 && fabs(m.wq - 1.0) < 1e-12);
    /* thousands of servers without overflow */
    assert_int_equal(lgx_mmc(4900, 1, 5000, &m, &e), 0);
    assert_true(m.pwait > 0 && m.pwait < 1 && isfinite(m.wq));
    /* no steady state, and rates that are not rates */
    assert_int_equal(lgx_mmc(6, 1, 3, &m, &e), ERR_INPUT);
    assert_string_equal(e.field, "lambda");
    assert_non_null(strstr(e.msg, "grows without bound"));
    assert_int_equal(lgx_mmc(3, 1, 3, &m, &e), ERR_INPUT); /* ρ = 1 exactly */
    assert_int_equal(lgx_mmc(1, 0, 3, &m, &e), ERR_INPUT);
    assert_string_equal(e.field, "mu");
    assert_int_equal(lgx_mmc(NAN, 1, 3, &m, &e), ERR_INPUT);
    assert_int_equal(lgx_mmc(1, 1, 0, &m, &e), ERR_INPUT);
    assert_string_equal(e.field, "servers");
}

/* The row called name of the metrics table: mean and interval. */
static void row_of(const struct table *t, const char *name, double *mean, double *lo, double *hi)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(table_cell(t, r, 0)->s, name) == 0) {
            *mean = table_cell(t, r, 1)->d;
            *lo = table_cell(t, r, 2)->d;
            *hi = table_cell(t, r, 3)->d;
            return;
        }
    fail_msg("no row %s", name);
}

static void bracket(const struct table *t, const char *name, double want)
{
    double mean, lo, hi;
    row_of(t, name, &mean, &lo, &hi);
    if (!(lo <= want && want <= hi))
        fail_msg("%s: %.5f not within [%.5f, %.5f] (mean %.5f)", name, want, lo, hi, mean);
}

/* The p-quantile of the wait in queue of M/M/c: P(Wq > t) = C e^{-(cμ-λ)t}. */
static double wait_quantile(const struct lgx_mmc *m, double lambda, double mu, long c, double p)
{
    double tail = 1 - p;
    return m->pwait <= tail ? 0 : log(m->pwait / tail) / ((double)c * mu - lambda);
}

static void test_simulation_brackets_formulas(void **state)
{
    (void)state;
    const struct {
        double lambda, mu;
        long c;
        double hours;
    } cases[] = {{2, 3, 2, 100000}, {0.5, 1, 1, 100000}, {4, 1, 5, 60000}, {9, 1, 10, 60000}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lgx_sim_opts o = {.lambda = cases[i].lambda, .mu = cases[i].mu,
                                 .servers = cases[i].c, .hours = cases[i].hours,
                                 .warmup = 1000, .reps = 24, .threads = 2, .seed = 11 + i};
        struct lgx_sim s;
        struct err e = {0};
        assert_int_equal(lgx_simulate(&o, &s, &e), 0);
        struct lgx_mmc m;
        assert_int_equal(lgx_mmc(o.lambda, o.mu, o.servers, &m, &e), 0);
        struct table *t = lgx_sim_table(&o, &s);
        bracket(t, "wq_h", m.wq);
        bracket(t, "lq", m.lq);
        bracket(t, "w_h", m.w);
        bracket(t, "utilisation", m.rho);
        if (m.pwait > 0.1) bracket(t, "p90_wait_h", wait_quantile(&m, o.lambda, o.mu, o.servers, 0.90));
        bracket(t, "p99_wait_h", wait_quantile(&m, o.lambda, o.mu, o.servers, 0.99));
        table_free(t);
        lgx_sim_free(&s);
    }
}

static void test_same_seed_same_numbers(void **state)
{
    (void)state;
    struct lgx_sim a, b, c;
    struct err e = {0};
    struct lgx_sim_opts o = {.lambda = 5, .mu = 1, .servers = 6, .hours = 2000, .warmup = 100,
                             .reps = 7, .threads = 1, .seed = 42};
    assert_int_equal(lgx_simulate(&o, &a, &e), 0);
    o.threads = 3;
    assert_int_equal(lgx_simulate(&o, &b, &e), 0);
    for (long r = 0; r < o.reps; r++) {
        assert_memory_equal(&a.rep[r].wq, &b.rep[r].wq, sizeof(double));
        assert_memory_equal(&a.rep[r].p99, &b.rep[r].p99, sizeof(double));
        assert_int_equal(a.rep[r].events, b.rep[r].events);
        assert_int_equal(a.rep[r].max_queue, b.rep[r].max_queue);
    }
    assert_int_equal(a.nseries, b.nseries);
    assert_memory_equal(a.series, b.series, a.nseries * sizeof(double));
    o.seed = 43; /* another seed, other numbers */
    assert_int_equal(lgx_simulate(&o, &c, &e), 0);
    assert_true(a.rep[0].wq != c.rep[0].wq);
    lgx_sim_free(&a);
    lgx_sim_free(&b);
    lgx_sim_free(&c);
    /* impossible parameters are refused naming them */
    o.reps = 0;
    assert_int_equal(lgx_simulate(&o, &a, &e), ERR_INPUT);
    assert_string_equal(e.field, "reps");
    o.reps = 2;
    o.lambda = 1e6;
    o.hours = 1e7;
    assert_int_equal(lgx_simulate(&o, &a, &e), ERR_INPUT);
    assert_string_equal(e.field, "hours");
}


/* A random network: places P0..P7 (P0 the hub), each of 18 links between
 * two of them with 0..120 t a year at US$ 1..20 a tonne, and demand from
 * (or, hub_is_origin, to) three places. Returns 0 when stored. */
static int random_network(struct db *db, const struct ref *ref, unsigned *seed, int hub_is_origin)
{
    struct err e = {0};
    char code[16], name[16], from[8], to[8], cap[16], cost[16], t[16];
    for (int i = 0; i < 8; i++) {
        snprintf(code, sizeof code, "P%d", i);
        snprintf(name, sizeof name, "Place %d", i);
        const char *kv[] = {"code", code, "name", name, "country", "KAZ", "kind", "terminal", NULL};
        if (run_op(db, ref, "logistics", "node-add", kv, &e)) return -1;
    }
    for (int l = 0; l < 18; l++) {
        int a = rand_r(seed) % 8, b = rand_r(seed) % 8;
        if (a == b) b = (b + 1) % 8;
        snprintf(code, sizeof code, "L%d", l);
        snprintf(from, sizeof from, "P%d", a);
        snprintf(to, sizeof to, "P%d", b);
        snprintf(cap, sizeof cap, "%d", rand_r(seed) % 121);
        snprintf(cost, sizeof cost, "%d", 1 + rand_r(seed) % 20);
        const char *kv[] = {"code", code, "from", from, "to", to, "mode", "rail", "length_km", "10",
                            "capacity_t_year", cap, "cost_usd_t", cost, NULL};
        if (run_op(db, ref, "logistics", "link-add", kv, &e)) return -1;
    }
    for (int k = 1; k <= 3; k++) {
        snprintf(from, sizeof from, "P%d", k);
        snprintf(t, sizeof t, "%d", 10 + rand_r(seed) % 150);
        const char *kv[] = {"year", "2026", "origin", hub_is_origin ? "P0" : from,
                            "destination", hub_is_origin ? from : "P0", "commodity", "goods",
                            "tonnes", t, NULL};
        if (run_op(db, ref, "logistics", "demand-add", kv, &e)) return -1;
    }
    return 0;
}

static void test_solvers_agree(void **state)
{
    (void)state;
    unsigned seed = 7;
    for (int round = 0; round < 40; round++) {
        struct db *db;
        struct ref *ref;
        assert_int_equal(memory_db(&db, &ref), 0);
        assert_int_equal(random_network(db, ref, &seed, round % 2), 0);
        struct lgx_totals lp, fl;
        struct err e = {0};
        struct table *l1, *l2;
        struct lgx_assign_opts o = {.year = 2026, .solver = LGX_SOLVER_LP};
        assert_int_equal(lgx_assign(db, &o, &l1, NULL, &lp, &e), 0);
        o.solver = LGX_SOLVER_FLOW;
        assert_int_equal(lgx_assign(db, &o, &l2, NULL, &fl, &e), 0);
        /* the same tonnes served, at the same least cost (whole dollars:
         * the routes may differ where two cost the same) */
        assert_true(fabs(lp.unserved - fl.unserved) < 1e-6);
        assert_true(fabs(lp.cost - fl.cost) < 1e-6);
        assert_true(fabs(lp.carried + lp.unserved - lp.demand) < 1e-6);
        table_free(l1);
        table_free(l2);
        ref_free(ref);
        db_close(db);
    }
}

/* Demand with two origins and two destinations is a multi-commodity flow:
 * the flow solver refuses it and the automatic choice takes the programme,
 * which keeps each origin's tonnes to its own destination. Hand-solved:
 * A -> X and B -> Y, 10 t each, through one shared link M -> N (US$ 1) or
 * a direct pair of links A -> Y and B -> X (US$ 1 each, 10 t). A single-
 * commodity flow would send A's tonnes to Y and B's to X at US$ 20 in all;
 * the true answer routes A-M-N-X and B-M-N-Y: 20 t at US$ 3 = US$ 60. */
static void test_multi_commodity(void **state)
{
    (void)state;
    struct db *db;
    struct ref *ref;
    struct err e = {0};
    assert_int_equal(memory_db(&db, &ref), 0);
    static const char *const places[] = {"A", "B", "M", "N", "X", "Y"};
    for (int i = 0; i < 6; i++) {
        const char *kv[] = {"code", places[i], "name", places[i], "country", "KAZ", "kind", "city", NULL};
        assert_int_equal(run_op(db, ref, "logistics", "node-add", kv, &e), 0);
    }
    static const char *const links[][3] = {{"A", "M", "1"}, {"B", "M", "1"}, {"M", "N", "1"},
                                           {"N", "X", "1"}, {"N", "Y", "1"}, {"A", "Y", "1"},
                                           {"B", "X", "1"}};
    for (int i = 0; i < 7; i++) {
        char code[8];
        snprintf(code, sizeof code, "%s%s", links[i][0], links[i][1]);
        const char *kv[] = {"code", code, "from", links[i][0], "to", links[i][1], "mode", "rail",
                            "length_km", "1", "capacity_t_year", "20", "cost_usd_t", links[i][2],
                            NULL};
        assert_int_equal(run_op(db, ref, "logistics", "link-add", kv, &e), 0);
    }
    const char *d1[] = {"year", "2026", "origin", "A", "destination", "X", "commodity", "c",
                        "tonnes", "10", NULL};
    const char *d2[] = {"year", "2026", "origin", "B", "destination", "Y", "commodity", "c",
                        "tonnes", "10", NULL};
    assert_int_equal(run_op(db, ref, "logistics", "demand-add", d1, &e), 0);
    assert_int_equal(run_op(db, ref, "logistics", "demand-add", d2, &e), 0);
    struct lgx_totals t;
    struct table *l;
    struct lgx_assign_opts o = {.year = 2026, .solver = LGX_SOLVER_FLOW};
    assert_int_equal(lgx_assign(db, &o, &l, NULL, &t, &e), ERR_USAGE);
    o.solver = LGX_SOLVER_AUTO;
    assert_int_equal(lgx_assign(db, &o, &l, NULL, &t, &e), 0);
    assert_true(fabs(t.cost - 60) < 1e-6 && fabs(t.unserved) < 1e-6);
    table_free(l);
    ref_free(ref);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_c_check_values),
        cmocka_unit_test(test_simulation_brackets_formulas),
        cmocka_unit_test(test_same_seed_same_numbers),
        cmocka_unit_test(test_solvers_agree),
        cmocka_unit_test(test_multi_commodity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
