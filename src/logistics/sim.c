/* sim.c — a discrete-event simulation of a crossing as an M/M/c queue:
 * Poisson arrivals, exponential service, c parallel servers, first come
 * first served. Under FCFS each arrival starts at the later of its arrival
 * and the earliest time a server frees (a heap of the servers' free times),
 * so an arrival and its departure are handled together: two events, no
 * event list. Waiting arrivals sit in a FIFO of their start times, which
 * gives the queue length at any instant.
 *
 * Statistics are taken over [warmup, warmup + hours]: Wq, W and the wait
 * percentiles over the arrivals in the window; Lq and utilisation as time
 * averages of the queue and of busy servers within it. Each replication
 * draws from its own GSL Mersenne Twister seeded from (seed, replication),
 * so the replications and their order of completion do not depend on the
 * threads that run them. */
#include "logistics.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HIST_BINS 100000 /* wait histogram: 1/50 of a mean service time each */
#define QUEUE_MAX 4000000 /* waiting at once: past this a crossing does not settle (and the
                             line's memory, 32 MB, would grow without bound) */
#define ARRIVALS_MAX 2e8  /* in all replications: about 15 s of one thread's work */

/* The per-replication stream's seed: splitmix64 of (seed, replication). */
static unsigned long rep_seed(uint64_t seed, long r)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (uint64_t)(r + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (unsigned long)(z & 0xffffffffu) | 1u;
}

static double expo(gsl_rng *g, double rate)
{
    return -log(gsl_rng_uniform_pos(g)) / rate;
}

/* ---- the servers' free times: a binary min-heap ---- */

static void sift_down(double *h, long n, long i)
{
    double x = h[i];
    for (;;) {
        long k = 2 * i + 1;
        if (k >= n) break;
        if (k + 1 < n && h[k + 1] < h[k]) k++;
        if (h[k] >= x) break;
        h[i] = h[k];
        i = k;
    }
    h[i] = x;
}

/* ---- the waiting line: a growable ring of start times ---- */

struct fifo {
    double *v;
    size_t cap, head, n;
};

static void fifo_push(struct fifo *f, double x)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1024;
        double *v = xmalloc(cap * sizeof *v);
        for (size_t i = 0; i < f->n; i++)
            v[i] = f->v[(f->head + i) % f->cap];
        free(f->v);
        f->v = v;
        f->cap = cap;
        f->head = 0;
    }
    f->v[(f->head + f->n) % f->cap] = x;
    f->n++;
}

/* Drops the arrivals that have started by time t. */
static void fifo_pass(struct fifo *f, double t)
{
    while (f->n && f->v[f->head] <= t) {
        f->head = (f->head + 1) % f->cap;
        f->n--;
    }
}

/* The earliest time from t a service may start under the crossing's rules:
 * not while closed, and no more than the day's cap (starts come in order, so
 * the day's count runs on, and the closures, disjoint and in order, are
 * passed once: *next is the first not yet over). */
static double admit(const struct lgx_sim_opts *o, double t, long *day, double *count, size_t *next)
{
    for (int guard = 0; guard < 1000000; guard++) {
        int moved = 0;
        while (*next < o->nclosed && o->closed[*next][1] <= t)
            (*next)++;
        if (*next < o->nclosed && t >= o->closed[*next][0]) t = o->closed[*next][1], moved = 1;
        long d = (long)floor(t / 24);
        if (d != *day) *day = d, *count = 0;
        if (o->daily_cap > 0 && *count >= o->daily_cap) {
            t = (double)(d + 1) * 24;
            moved = 1;
        }
        if (!moved) break;
    }
    (*count)++;
    return t;
}

static double overlap(double a, double b, double lo, double hi)
{
    double x = a > lo ? a : lo, y = b < hi ? b : hi;
    return y > x ? y - x : 0;
}

/* ---- one replication ---- */

struct work {
    const struct lgx_sim_opts *o;
    struct lgx_sim *s;
    size_t npoints;
    uint64_t *series; /* threads × npoints: queue lengths summed (exact, in any order) */
    atomic_long next, done, ids;
    atomic_int overflow; /* a replication's queue passed QUEUE_MAX */
};

long lgx_series_step(const struct lgx_sim_opts *o)
{
    if (o->series_hours > 0 && o->hours / (double)o->series_hours <= 2000) return o->series_hours;
    long step = (long)ceil(o->hours / 200);
    return step > 0 ? step : 1;
}

static double percentile(const uint64_t *hist, uint64_t zeros, uint64_t n, double width, double p)
{
    /* the p-quantile: 0 when that many arrivals did not wait, else
       interpolated within its bin (the first bin's waits beyond the zeros);
       NaN when it lies past the histogram (the queue does not settle) */
    double want = p * (double)n, seen = (double)zeros;
    if (!n || want <= seen) return 0;
    for (size_t i = 0; i < HIST_BINS; i++) {
        double c = (double)hist[i] - (i == 0 ? (double)zeros : 0);
        if (c > 0 && seen + c >= want) return ((double)i + (want - seen) / c) * width;
        seen += c;
    }
    return NAN;
}

static void replicate(struct work *w, long r, double *heap, uint64_t *hist, struct fifo *q,
                      uint64_t *series)
{
    const struct lgx_sim_opts *o = w->o;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, rep_seed(o->seed, r));
    double lo = o->warmup, hi = o->warmup + o->hours, width = 1 / (o->mu * 50);
    for (long i = 0; i < o->servers; i++)
        heap[i] = 0;
    memset(hist, 0, (HIST_BINS + 1) * sizeof *hist);
    q->head = q->n = 0;
    size_t point = 0;
    double t = 0, sum_wq = 0, sum_w = 0, area_q = 0, busy = 0, last = 0, today = 0;
    long day = -1;
    size_t next_closure = 0;
    int rules = o->daily_cap > 0 || o->nclosed;
    uint64_t n = 0, events = 0, zeros = 0;
    long max_q = 0;
    for (;;) {
        t += expo(g, o->lambda);
        if (t >= hi) break;
        /* the queue at the series' points passed since the last arrival */
        while (point < w->npoints && lo + (double)point * (double)o->series_hours <= t) {
            fifo_pass(q, lo + (double)point * (double)o->series_hours);
            series[point++] += q->n;
        }
        fifo_pass(q, t);
        double start = heap[0] > t ? heap[0] : t, service = expo(g, o->mu);
        if (start < last) start = last; /* first come, first served */
        if (rules) start = admit(o, start, &day, &today, &next_closure);
        last = start;
        heap[0] = start + service;
        sift_down(heap, o->servers, 0);
        events += 2;
        if (start > t) {
            if (q->n >= QUEUE_MAX) {
                atomic_store(&w->overflow, 1);
                break;
            }
            fifo_push(q, start);
        }
        area_q += overlap(t, start, lo, hi);
        busy += overlap(start, start + service, lo, hi);
        if (t < lo) continue;
        double wq = start - t;
        sum_wq += wq;
        sum_w += wq + service;
        n++;
        zeros += wq == 0;
        size_t bin = (size_t)(wq / width);
        hist[bin < HIST_BINS ? bin : HIST_BINS]++;
        if ((long)q->n > max_q) max_q = (long)q->n;
    }
    while (point < w->npoints) {
        fifo_pass(q, lo + (double)point * (double)o->series_hours);
        series[point++] += q->n;
    }
    gsl_rng_free(g);
    struct lgx_rep *out = &w->s->rep[r];
    *out = (struct lgx_rep){.wq = n ? sum_wq / (double)n : 0,
                            .w = n ? sum_w / (double)n : 0,
                            .lq = area_q / o->hours,
                            .util = busy / (o->hours * (double)o->servers),
                            .p90 = percentile(hist, zeros, n, width, 0.90),
                            .p99 = percentile(hist, zeros, n, width, 0.99),
                            .max_queue = max_q,
                            .events = events,
                            .served = n};
}

static void *worker(void *arg)
{
    struct work *w = arg;
    double *heap = xmalloc((size_t)w->o->servers * sizeof *heap);
    uint64_t *hist = xmalloc((HIST_BINS + 1) * sizeof *hist);
    struct fifo q = {0};
    uint64_t *series = w->series + (size_t)atomic_fetch_add(&w->ids, 1) * w->npoints;
    for (long r; (r = atomic_fetch_add(&w->next, 1)) < w->o->reps;) {
        replicate(w, r, heap, hist, &q, series);
        atomic_fetch_add(&w->done, 1);
    }
    free(heap);
    free(hist);
    free(q.v);
    return NULL;
}

static int check(const struct lgx_sim_opts *o, struct err *e)
{
    struct {
        int bad;
        const char *field, *msg;
    } c[] = {
        {!(o->lambda > 0) || !isfinite(o->lambda), "lambda", "the arrival rate must be positive"},
        {!(o->mu > 0) || !isfinite(o->mu), "mu", "the service rate must be positive"},
        {o->servers < 1 || o->servers > 10000, "servers", "servers must be from 1 to 10000"},
        {!(o->hours > 0) || o->hours > 1e7, "hours", "the hours must be from 0 to 10,000,000"},
        {!(o->warmup >= 0) || o->warmup > 1e7, "warmup", "the warm-up must be from 0 hours"},
        {o->reps < 1 || o->reps > 100000, "reps", "replications must be from 1 to 100000"},
        {o->threads < 1 || o->threads > 256, "threads", "threads must be from 1 to 256"},
        {o->lambda * (o->hours + o->warmup) * (double)o->reps > ARRIVALS_MAX, "hours",
         "more than 200 million arrivals in all replications (a quarter of a minute or more "
         "of work): shorten the run or run fewer replications"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (c[i].bad) {
            err_set(e, ERR_INPUT, "%s", c[i].msg);
            return err_field(e, c[i].field);
        }
    return 0;
}

int lgx_simulate(const struct lgx_sim_opts *o, struct lgx_sim *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    int rc = check(o, e);
    if (rc) return rc;
    struct lgx_sim_opts oo = *o;
    oo.series_hours = lgx_series_step(o);
    size_t npoints = (size_t)(o->hours / (double)oo.series_hours) + 1;
    long nt = o->threads < o->reps ? o->threads : o->reps;
    struct work w = {.o = &oo, .s = out, .npoints = npoints};
    w.series = xcalloc((size_t)(nt + 1) * npoints, sizeof *w.series);
    out->rep = xcalloc((size_t)o->reps, sizeof *out->rep);
    out->reps = o->reps;
    atomic_init(&w.next, 0);
    atomic_init(&w.done, 0);
    atomic_init(&w.ids, 0);
    atomic_init(&w.overflow, 0);
    double t0 = now_seconds();
    pthread_t th[256];
    long started = 0;
    for (; started < nt; started++)
        if (pthread_create(&th[started], NULL, worker, &w)) break;
    if (!started) worker(&w); /* no thread could start: run here */
    struct progress p;
    progress_start(&p, "simulating", (uint64_t)o->reps, o->progress);
    while (started && atomic_load(&w.done) < o->reps) {
        long d = atomic_load(&w.done);
        progress_update(&p, (uint64_t)d, (uint64_t)d);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    for (long i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    progress_done(&p);
    out->seconds = now_seconds() - t0;
    if (atomic_load(&w.overflow)) {
        free(w.series);
        lgx_sim_free(out);
        err_set(e, ERR_LIMIT,
                "the queue passed %d waiting: the crossing does not keep up with its arrivals "
                "(see logistics queue for utilisation)",
                QUEUE_MAX);
        return err_field(e, "lambda");
    }
    out->series = xcalloc(npoints, sizeof *out->series);
    out->nseries = npoints;
    for (size_t k = 0; k < npoints; k++) {
        uint64_t sum = 0;
        for (long i = 0; i <= nt; i++)
            sum += w.series[(size_t)i * npoints + k];
        out->series[k] = (double)sum / (double)o->reps;
    }
    free(w.series);
    return 0;
}

void lgx_sim_free(struct lgx_sim *s)
{
    if (!s) return;
    free(s->rep);
    free(s->series);
    memset(s, 0, sizeof *s);
}

/* ---- the results as tables ---- */

/* A metric's mean over the replications with its 95% interval, kept to
 * the values the metric can take (0 up, and at most hi when hi > 0: an
 * interval reaching below zero hours or past full use says only that the
 * replications are few). */
static void metric(struct table *t, const char *name, const struct lgx_sim *s, size_t off,
                   double hi)
{
    double sum = 0, sq = 0;
    long n = s->reps;
    for (long r = 0; r < n; r++) {
        double v = *(const double *)((const char *)&s->rep[r] + off);
        if (v != v) { /* a percentile past the histogram: none to give */
            size_t row = table_add_row(t);
            table_set_text(t, row, 0, name);
            return;
        }
        sum += v;
        sq += v * v;
    }
    double mean = sum / (double)n;
    size_t row = table_add_row(t);
    table_set_text(t, row, 0, name);
    table_set_real(t, row, 1, mean);
    if (n < 2) return;
    double var = (sq - (double)n * mean * mean) / (double)(n - 1);
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(var > 0 ? var : 0) /
                  sqrt((double)n);
    table_set_real(t, row, 2, mean - half > 0 ? mean - half : 0);
    table_set_real(t, row, 3, hi > 0 && mean + half > hi ? hi : mean + half);
}

struct table *lgx_sim_table(const struct lgx_sim_opts *o, const struct lgx_sim *s)
{
    struct table *t = table_new("simulation", N_("Simulated crossing (M/M/c)"));
    table_col(t, "metric", COL_TEXT, NULL, 0);
    table_col(t, "mean", COL_REAL, NULL, 4);
    table_col(t, "ci95_low", COL_REAL, NULL, 4);
    table_col(t, "ci95_high", COL_REAL, NULL, 4);
    metric(t, "wq_h", s, offsetof(struct lgx_rep, wq), 0);
    metric(t, "lq", s, offsetof(struct lgx_rep, lq), 0);
    metric(t, "w_h", s, offsetof(struct lgx_rep, w), 0);
    metric(t, "p90_wait_h", s, offsetof(struct lgx_rep, p90), 0);
    metric(t, "p99_wait_h", s, offsetof(struct lgx_rep, p99), 0);
    metric(t, "utilisation", s, offsetof(struct lgx_rep, util), 1);
    long maxq = 0;
    uint64_t events = 0;
    for (long r = 0; r < s->reps; r++) {
        if (s->rep[r].max_queue > maxq) maxq = s->rep[r].max_queue;
        events += s->rep[r].events;
    }
    size_t row = table_add_row(t);
    table_set_text(t, row, 0, "max_queue");
    table_set_real(t, row, 1, (double)maxq);
    row = table_add_row(t);
    table_set_text(t, row, 0, "events");
    table_set_real(t, row, 1, (double)events);
    row = table_add_row(t);
    table_set_text(t, row, 0, "events_per_s");
    table_set_real(t, row, 1, s->seconds > 0 ? (double)events / s->seconds : 0);
    char reps[48], servers[48];
    snprintf(reps, sizeof reps, s->reps == 1 ? TF("%ld replication") : TF("%ld replications"),
             s->reps);
    snprintf(servers, sizeof servers, o->servers == 1 ? TF("%ld server") : TF("%ld servers"),
             o->servers);
    table_note(t,
               TF("%s of %g hours after a %g-hour warm-up; λ = %g and μ = %g per hour, %s; seed "
                  "%llu. Means over the replications with 95%% confidence intervals (Student's "
                  "t, kept to 0 and up, utilisation to 1 at most); max_queue: the longest queue "
                  "seen in any replication; events: arrivals and departures in all "
                  "replications."),
               reps, o->hours, o->warmup, o->lambda, o->mu, servers, (unsigned long long)o->seed);
    struct lgx_mmc m;
    struct err e = {0};
    if (lgx_mmc(o->lambda, o->mu, o->servers, &m, &e) == 0)
        table_note(t,
                   TF("The M/M/c formulas give Wq = %.4f h, Lq = %.4f, W = %.4f h, utilisation "
                      "%.4f (Erlang C: an arrival waits with probability %.4f)."),
                   m.wq, m.lq, m.w, m.rho, m.pwait);
    else
        table_note(t, TF("No steady state: λ/(cμ) ≥ 1, the queue grows for as long as it runs."));
    return t;
}

struct table *lgx_sim_series(const struct lgx_sim_opts *o, const struct lgx_sim *s)
{
    struct table *t = table_new("queue", N_("Queue length over time (mean of the replications)"));
    table_col(t, "hour", COL_REAL, "h", 0);
    table_col(t, "queue", COL_REAL, NULL, 2);
    long step = lgx_series_step(o);
    for (size_t k = 0; k < s->nseries; k++) {
        size_t r = table_add_row(t);
        table_set_real(t, r, 0, (double)k * (double)step);
        table_set_real(t, r, 1, s->series[k]);
    }
    table_note(t, TF("Hours from the end of the warm-up."));
    return t;
}
