/* logistics — the corridor's border crossings as queues. The M/M/c formulas
 * (Erlang C: the probability of waiting, Wq, Lq, W, L, utilisation) are the
 * test oracle of a discrete-event simulator of a crossing with c parallel
 * servers (transshipment tracks, truck lanes), run as independent
 * replications in parallel threads: the same seed gives the same numbers
 * whatever the number of threads.
 *
 * The operations are in lgx_ops. Tables returned are freed by the caller. */
#ifndef CORRIDOR_LOGISTICS_H
#define CORRIDOR_LOGISTICS_H

#include "../ref/ref.h"

/* ---- M/M/c ---- */

struct lgx_mmc {
    double a;     /* offered load λ/μ (erlangs) */
    double rho;   /* utilisation a/c */
    double pwait; /* Erlang C: the probability an arrival waits */
    double wq, lq, w, l; /* hours, units, hours, units */
};

/* The steady state of an M/M/c queue with arrival rate lambda and service
 * rate mu (per hour) and c servers; ERR_INPUT when a rate is not positive
 * and finite, c is not 1..10000, or ρ = λ/(cμ) ≥ 1 (no steady state: the
 * queue grows without bound), naming the parameter. */
int lgx_mmc(double lambda, double mu, long c, struct lgx_mmc *out, struct err *e);

/* ---- the simulator ---- */

struct lgx_sim_opts {
    double lambda, mu; /* per hour */
    long servers;
    double hours, warmup; /* the observed time, and the time before it, hours */
    long reps, threads;
    uint64_t seed;
    int progress;      /* draw a progress bar on a terminal */
    long series_hours; /* the queue-length series: one point every this many hours
                          (0, or more than 2000 points: about 200 points) */
    /* a crossing's rules (0 / NULL: none): at most daily_cap services start
       in a day (the other side's acceptance; days counted from time 0), and
       none while closed ([from, to) hours from time 0, in order) */
    double daily_cap;
    const double (*closed)[2];
    size_t nclosed;
};
/* The hours between two points of the queue-length series. */
long lgx_series_step(const struct lgx_sim_opts *o);

/* One replication's results. */
struct lgx_rep {
    double wq, lq, w, util, p90, p99;
    long max_queue;
    uint64_t events, served;
};

struct lgx_sim {
    struct lgx_rep *rep; /* reps of them */
    long reps;
    double seconds;   /* wall time of the whole run */
    double *series;   /* mean queue length at each point, over the replications */
    size_t nseries;
};

/* Runs the replications; fills out (free it with lgx_sim_free). */
int lgx_simulate(const struct lgx_sim_opts *o, struct lgx_sim *out, struct err *e);
void lgx_sim_free(struct lgx_sim *s);
/* The metrics table (metric, mean, ci95_low, ci95_high) and the queue
 * length over time (hour, queue). */
struct table *lgx_sim_table(const struct lgx_sim_opts *o, const struct lgx_sim *s);
struct table *lgx_sim_series(const struct lgx_sim_opts *o, const struct lgx_sim *s);

/* ---- the capacity gate ---- */

/* Registers with the shipments area the gate that refuses a declaration
 * through a crossing booked past its capacity for the month. */
int lgx_gate_register(void);
/* Tonnes a year through crossing on date (YYYY-MM-DD): the rows of its links
 * in force that day, by the rule the assignment follows (a step supersedes
 * the one before it; a cancelled project's rows do not count); *open counts
 * them, *links every row through the crossing. */
int lgx_capacity_on(struct db *db, const char *crossing, const char *date, double *tonnes,
                    int *open, int *links, struct err *e);

/* Per border crossing in a year: shipments, median and 90th-percentile
 * hours to cross (from the shipments' events), the cost a tonne to cross,
 * and the assigned flow, capacity and utilisation. */
int lgx_indicators(struct db *db, int year, struct table **out, struct err *e);

/* ---- the network ---- */

struct op_call;
/* The record operations (parameters: see lgx_ops) and the import of any of
 * them by name. */
int lgx_node_add(struct op_call *c, struct err *e);
int lgx_project_add(struct op_call *c, struct err *e);
int lgx_link_add(struct op_call *c, struct err *e);
int lgx_demand_add(struct op_call *c, struct err *e);
int lgx_demand_from_agreement(struct op_call *c, struct err *e);
int lgx_demand_from_trade(struct op_call *c, struct err *e);
int lgx_import(struct op_call *c, struct err *e);
int lgx_nodes(struct op_call *c, struct err *e);
int lgx_links(struct op_call *c, struct err *e);
int lgx_demand_list(struct op_call *c, struct err *e);
int lgx_projects(struct op_call *c, struct err *e);

/* A what-if scenario (docs/logistics.md): demand scaled and added, projects
 * switched off or on, capacities changed for a date range. */
struct lgx_change {
    char link[72];
    double pct;    /* the capacity in that range, % of the normal (0: closed) */
    long from, to; /* days since 1970; to: the first day after */
};
struct lgx_add {
    char origin[72], dest[72], commodity[72];
    double tonnes;
    int year; /* 0: every year */
};
struct lgx_scenario {
    char name[200];
    double scale;
    char (*off)[200], (*on)[200];
    size_t noff, non;
    struct lgx_change *chg;
    size_t nchg;
    struct lgx_add *add;
    size_t nadd;
};
/* Parses a scenario document; refusals name the place (a path such as
 * capacity[1].pct, or the line and column of a syntax error). */
int lgx_scenario_parse(const char *json, size_t len, const char *label, struct lgx_scenario *s,
                       struct err *e);
void lgx_scenario_free(struct lgx_scenario *s);

struct lgx_assign_opts {
    int year;
    const char *const *off;       /* projects switched off (NULL-ended), or NULL */
    double demand_scale;          /* demand times this (0: 1) */
    const struct lgx_scenario *sc; /* or NULL */
    int solver;                   /* LGX_SOLVER_*: 0 chooses */
};
enum { LGX_SOLVER_AUTO, LGX_SOLVER_LP, LGX_SOLVER_FLOW };

struct lgx_totals {
    double demand, carried, unserved, cost; /* tonnes, US$ */
};

/* The year's minimum-cost assignment: one row per link open in the year
 * (link, from, to, flow_t, capacity_t, utilisation_pct, bottleneck), the
 * demand left unserved, and the totals (unserved and totals may be NULL). */
int lgx_assign(struct db *db, const struct lgx_assign_opts *o, struct table **links,
               struct table **unserved, struct lgx_totals *totals, struct err *e);
/* From o->year to last: per crossing, the year it saturates (one of its
 * links, or of the links leading to and from them, runs full), at which
 * link, how full, the year it no longer does and the projects that opened
 * such links in between; and (timeline not NULL) each crossing's load year
 * by year. At most LGX_CROSSINGS_MAX crossings are followed. */
#define LGX_CROSSINGS_MAX 64
/* The most links open in a year that an assignment takes. */
#define LGX_LINKS_MAX 2000
int lgx_horizon(struct db *db, const struct lgx_assign_opts *o, int last, struct table **out,
                struct table **timeline, struct err *e);
/* The year's load of each border crossing: crossing, flow_t, capacity_t,
 * utilisation_pct (its links summed). */
int lgx_crossings(struct db *db, const struct lgx_assign_opts *o, struct table **out,
                  struct err *e);
/* The places of the network (code, name, country, region, kind, source). */
int lgx_node_table(struct db *db, struct table **out, struct err *e);

#endif
