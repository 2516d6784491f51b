/* report.c — what investment-promotion officers ask of the pipeline: how
 * much, how many projects and jobs by year, sector, origin, channel, host
 * region or stage; the funnel (projects and amounts reaching each stage,
 * and the conversion from one stage to the next); how long projects stay in
 * each stage; the largest projects; those that stall. Investment means
 * greenfield, acquisition and joint ventures: construction contracts and
 * development finance are reported only when asked for by kind, never
 * summed into it. */
#include "invest.h"

#include <stdlib.h>
#include <string.h>

/* The projects a filter selects, as a WHERE clause on inv_now p with the
 * parameters ?1 kind, ?2 host, ?3 origin, ?4 from, ?5 to. */
#define FILTER                                                                                     \
    " (p.kind = ?1 OR (?1 = 'investment' AND p.kind IN ('greenfield', 'acquisition', "            \
    "'joint-venture'))) AND (?2 IS NULL OR p.host = ?2) AND (?3 IS NULL OR p.origin = ?3) "        \
    "AND (?4 = 0 OR p.year >= ?4) AND (?5 = 0 OR p.year <= ?5) "
#define FILTER_ARGS(f)                                                                             \
    (f)->kind ? (f)->kind : "investment", (f)->host, (f)->origin, (int64_t)(f)->from, (int64_t)(f)->to

static const char *kind_words(const struct inv_filter *f)
{
    const char *k = f->kind ? f->kind : "investment";
    if (strcmp(k, "investment") == 0)
        return N_("Investment: greenfield, acquisitions and joint ventures (construction "
                  "contracts and development finance are counted apart, by their kind).");
    if (strcmp(k, "construction") == 0)
        return N_("Construction contracts: what Chinese firms are paid to build, not "
                  "investment.");
    if (strcmp(k, "finance") == 0)
        return N_("Development finance (loans and grants), not investment.");
    return NULL;
}

/* The notes every report shares: what is counted, and the sources cited by
 * the projects counted (synthetic ones said so). */
static int common_notes(struct db *db, const struct inv_filter *f, struct table *t, struct err *e)
{
    const char *k = kind_words(f);
    if (k)
        table_note(t, "%s", T(k));
    else
        table_note(t, TF("Kind: %s only."), f->kind);
    if (f->host || f->origin || f->from || f->to) {
        char from[16] = "", to[16] = "";
        if (f->from) snprintf(from, sizeof from, "%ld", f->from);
        if (f->to) snprintf(to, sizeof to, "%ld", f->to);
        table_note(t, TF("Selection:%s%s%s%s%s%s%s%s."), f->host ? T(" host ") : "",
                   f->host ? f->host : "", f->origin ? T(" origin ") : "",
                   f->origin ? f->origin : "", f->from ? T(" from ") : "", from,
                   f->to ? T(" to ") : "", to);
    }
    struct db_stmt *st;
    struct buf b = {.max = 4000};
    int rc = db_prepare(db, &st, e,
                        "SELECT s.name, s.synthetic, count(*) FROM inv_now p JOIN source s ON "
                        "s.id = p.source_id WHERE" FILTER "GROUP BY s.id ORDER BY s.synthetic, "
                        "count(*) DESC, s.name",
                        "tttii", FILTER_ARGS(f));
    while (!rc && (rc = db_step(st, e)) == 1) {
        buf_printf(&b, "%s%s%s (%lld)", b.len ? "; " : "", db_col_str(st, 0),
                   db_col_int(st, 1) ? ", SYNTHETIC" : "", (long long)db_col_int(st, 2));
        rc = 0;
    }
    db_finalize(st);
    if (!rc && b.len) table_note(t, TF("Sources (projects): %s."), b.p);
    buf_free(&b);
    return rc;
}

static int finish(struct db *db, const struct inv_filter *f, int rc, struct table *t,
                  struct table **out, struct err *e)
{
    if (!rc) rc = common_notes(db, f, t, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_empty(t, N_("no projects match this selection"));
    *out = t;
    return 0;
}

/* ---- totals ------------------------------------------------------------------------ */

#define TOTALS(key, label, order)                                                                  \
    "SELECT " label ", coalesce(sum(p.amount_usd), 0), count(*), sum(p.jobs) FROM inv_now p "     \
    "LEFT JOIN country o ON o.code3 = p.origin LEFT JOIN region r ON r.code = p.region "          \
    "WHERE" FILTER "AND (p.stage <> 'cancelled' OR ?6) GROUP BY " key " ORDER BY " order

static const struct {
    const char *by, *sql;
} dims[] = {
    {"year", TOTALS("p.year", "p.year", "p.year")},
    {"sector", TOTALS("p.sector", "coalesce(p.sector, '')", "p.sector IS NULL, p.sector")},
    {"origin", TOTALS("p.origin", "p.origin || ' ' || local_name('country', o.code3, o.name)", "2 DESC, 1")},
    {"channel", TOTALS("p.channel", "p.channel", "p.channel = '', 2 DESC, 1")},
    {"host-region",
     TOTALS("p.region", "coalesce(p.region || ' ' || local_name('region', r.code, r.name), '')", "p.region IS NULL, 2 DESC, 1")},
    {"stage", TOTALS("p.stage", "p.stage",
                     "CASE p.stage WHEN 'idea' THEN 0 WHEN 'announced' THEN 1 WHEN 'signed' THEN "
                     "2 WHEN 'construction' THEN 3 WHEN 'commissioned' THEN 4 WHEN 'stalled' THEN "
                     "5 ELSE 6 END")},
};

/* Says what the cancelled projects left out of a total amount to. */
static int cancelled_note(struct db *db, const struct inv_filter *f, struct table *t,
                          struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT count(*), coalesce(sum(p.amount_usd), 0) FROM inv_now p WHERE" FILTER
                        "AND p.stage = 'cancelled'",
                        "tttii", FILTER_ARGS(f));
    if (!rc && (rc = db_step(st, e)) == 1) {
        char a[48];
        if (db_col_int(st, 0))
            table_note(t, TF("Cancelled projects are left out: %lld, US$ %s."),
                       (long long)db_col_int(st, 0),
                       dec_format_grouped(db_col_int(st, 1), 2, a, sizeof a));
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int inv_totals(struct db *db, const struct inv_filter *f, const char *by, struct table **out,
               struct err *e)
{
    size_t d = 0;
    while (d < sizeof dims / sizeof dims[0] && strcmp(dims[d].by, by) != 0)
        d++;
    if (d == sizeof dims / sizeof dims[0]) {
        err_set(e, ERR_USAGE, "cannot total by '%s'", by);
        return err_field(e, "by");
    }
    char title[400];
    const char *kd = f->kind ? f->kind : "investment";
    /* the words a title may say after "by", for the catalogue */
    static const char *const by_words[] = {N_("year"),    N_("sector"), N_("origin"),
                                           N_("channel"), N_("region"), N_("stage")};
    (void)by_words;
    snprintf(title, sizeof title,
             strcmp(kd, "construction") == 0 ? TF("Construction contracts by %s")
             : strcmp(kd, "finance") == 0    ? TF("Development finance by %s")
                                            : TF("Investment by %s"),
             T(strcmp(by, "host-region") ? by : "region"));
    struct table *t = table_new("totals", title);
    table_col(t, by, strcmp(by, "year") ? COL_TEXT : COL_INT, NULL, 0);
    table_col(t, "amount_usd", COL_MONEY, "US$", 0);
    table_col(t, "projects", COL_INT, NULL, 0);
    table_col(t, "jobs", COL_INT, NULL, 0);
    int all = strcmp(by, "stage") == 0;
    /* sums of cents must fit 64 bits: told beforehand, as a limit, not as
       the database failing */
    int64_t big = 0;
    int rc = db_lookup_int(db, e, &big,
                           "SELECT total(p.amount_usd) > 9.0e18 FROM inv_now p WHERE" FILTER,
                           "tttii", FILTER_ARGS(f));
    if (rc == 1 && big) {
        table_free(t);
        return err_set(e, ERR_LIMIT, "the projects' amounts add up to more than can be summed "
                                     "exactly (US$ 90 quadrillion): some amounts are wrong");
    }
    if (rc == 1) rc = db_fill(db, t, e, dims[d].sql, "tttiin", FILTER_ARGS(f), all);
    for (size_t r = 0; !rc && r < t->nrows; r++) {
        struct cell *k = table_cell(t, r, 0);
        if (strcmp(by, "stage") == 0) {
            table_set_text(t, r, 0, inv_stage_label(inv_stage_parse(k->s)));
        } else if (strcmp(by, "sector") == 0) {
            char s[128];
            snprintf(s, sizeof s, "%s %s", k->s, inv_sector_name(k->s));
            table_set_text(t, r, 0, *k->s ? s : "(not stated)");
        } else if (k->s && !*k->s) {
            table_set_text(t, r, 0, "(not stated)");
        }
    }
    if (!rc && !all) rc = cancelled_note(db, f, t, e);
    int64_t none = 0;
    if (!rc)
        rc = db_lookup_int(db, e, &none,
                           "SELECT count(*) FROM inv_now p WHERE" FILTER
                           "AND p.amount_usd IS NULL AND (p.stage <> 'cancelled' OR ?6)",
                           "tttiin", FILTER_ARGS(f), all);
    if (rc > 0) rc = 0;
    if (!rc && none)
        table_note(t,
                   none == 1 ? TF("%lld project without a US$ amount: counted in projects, not "
                                  "in the amount.")
                             : TF("%lld projects without a US$ amount: counted in projects, not "
                                  "in the amount."),
                   (long long)none);
    return finish(db, f, rc, t, out, e);
}

/* ---- the funnel -------------------------------------------------------------------- */

/* The rank of a stage of the main line (idea 0 .. commissioned 4), as SQL. */
#define RANK(x)                                                                                    \
    "CASE " x " WHEN 'idea' THEN 0 WHEN 'announced' THEN 1 WHEN 'signed' THEN 2 "                  \
    "WHEN 'construction' THEN 3 WHEN 'commissioned' THEN 4 ELSE -1 END"

/* The funnel's counts: a project counts for the stages from the one it was
 * first recorded at (its entry) to the furthest it reached; conversion into
 * a stage is taken over the projects recorded at or before the stage before
 * it, so that a project recorded late is not counted as having passed
 * stages nobody saw it in. */
struct funnel {
    int64_t in[INV_COMMISSIONED + 1], amount[INV_COMMISSIONED + 1];
    int64_t cohort[INV_COMMISSIONED + 1][2]; /* entered by stage s: reached s, reached s+1 */
    int64_t now[INV_NSTAGES];
};

static int funnel_add(struct funnel *fn, int entry, int reached, int64_t a, struct err *e)
{
    for (int s = 0; s <= INV_COMMISSIONED; s++) {
        if (entry >= 0 && entry <= s && reached >= s) {
            fn->in[s]++;
            if (__builtin_add_overflow(fn->amount[s], a, &fn->amount[s]))
                return err_set(e, ERR_LIMIT, "the amounts overflow");
        }
        if (entry >= 0 && entry <= s && s < INV_COMMISSIONED) {
            fn->cohort[s][0] += reached >= s;
            fn->cohort[s][1] += reached >= s + 1;
        }
    }
    return 0;
}

int inv_funnel(struct db *db, const struct inv_filter *f, struct table **out, struct err *e)
{
    struct funnel fn = {0};
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT coalesce((SELECT " RANK("h.stage") " FROM inv_stage h WHERE "
                        "h.project_id = p.id AND h.stage NOT IN ('stalled', 'cancelled') ORDER BY "
                        "h.seq LIMIT 1), -1), p.reached, p.stage, p.amount_usd "
                        "FROM inv_now p WHERE" FILTER,
                        "tttii", FILTER_ARGS(f));
    int any = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        int s = inv_stage_parse(db_col_str(st, 2));
        if (s >= 0) fn.now[s]++;
        any = 1;
        rc = funnel_add(&fn, (int)db_col_int(st, 0), (int)db_col_int(st, 1),
                        db_col_null(st, 3) ? 0 : db_col_int(st, 3), e);
    }
    db_finalize(st);
    if (rc) return rc;
    struct table *t = table_new("funnel", N_("Pipeline funnel"));
    table_col(t, "stage", COL_TEXT, NULL, 0);
    table_col(t, "projects", COL_INT, NULL, 0);
    table_col(t, "amount_usd", COL_MONEY, "US$", 0);
    table_col(t, "conversion_pct", COL_REAL, "%", 1);
    table_col(t, "now", COL_INT, NULL, 0);
    for (int s = 0; any && s < INV_NSTAGES; s++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, inv_stage_label(s));
        table_set_int(t, r, 4, fn.now[s]);
        if (s > INV_COMMISSIONED) continue;
        table_set_int(t, r, 1, fn.in[s]);
        table_set_int(t, r, 2, fn.amount[s]);
        if (s > 0 && fn.cohort[s - 1][0])
            table_set_real(t, r, 3, 100.0 * (double)fn.cohort[s - 1][1] /
                                        (double)fn.cohort[s - 1][0]);
    }
    table_note(t, TF("projects: those seen at the stage (recorded at it or before it, and "
                     "reaching it; stalled and cancelled projects count for the stages they "
                     "reached); conversion: of the projects recorded by the stage before that "
                     "reached it, the share that went on to this one; now: where projects stand "
                     "today."));
    return finish(db, f, 0, t, out, e);
}

/* ---- time in each stage ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int inv_durations(struct db *db, const struct inv_filter *f, struct table **out, struct err *e)
{
    char today[11];
    inv_today(today);
    struct db_stmt *st;
    /* every spell: its stage, its days, and whether it is still going on */
    int rc = db_prepare(
        db, &st, e,
        "SELECT s.stage, julianday(coalesce(n.date, ?6)) - julianday(s.date), n.date IS NULL "
        "FROM inv_now p JOIN inv_stage s ON s.project_id = p.id LEFT JOIN inv_stage n ON "
        "n.project_id = s.project_id AND n.seq = s.seq + 1 WHERE" FILTER
        "AND (n.date IS NOT NULL OR s.stage NOT IN ('commissioned', 'cancelled'))",
        "tttiit", FILTER_ARGS(f), today);
    double *v[INV_NSTAGES][2] = {{0}};
    size_t n[INV_NSTAGES][2] = {{0}}, cap[INV_NSTAGES][2] = {{0}};
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        int s = inv_stage_parse(db_col_str(st, 0)), open = (int)db_col_int(st, 2);
        if (s < 0) continue;
        if (n[s][open] == cap[s][open]) {
            cap[s][open] = cap[s][open] ? cap[s][open] * 2 : 16;
            v[s][open] = xrealloc(v[s][open], cap[s][open] * sizeof(double));
        }
        v[s][open][n[s][open]++] = db_col_real(st, 1);
    }
    db_finalize(st);
    struct table *t = table_new("durations", N_("Time spent in each stage"));
    table_col(t, "stage", COL_TEXT, NULL, 0);
    table_col(t, "moved_on", COL_INT, NULL, 0);
    table_col(t, "median_days", COL_REAL, "days", 0);
    table_col(t, "still_there", COL_INT, NULL, 0);
    table_col(t, "median_days_so_far", COL_REAL, "days", 0);
    for (int s = 0; !rc && s < INV_NSTAGES; s++) {
        if (!n[s][0] && !n[s][1]) continue;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, inv_stage_label(s));
        table_set_int(t, r, 1, (int64_t)n[s][0]);
        if (n[s][0]) table_set_real(t, r, 2, median(v[s][0], n[s][0]));
        table_set_int(t, r, 3, (int64_t)n[s][1]);
        if (n[s][1]) table_set_real(t, r, 4, median(v[s][1], n[s][1]));
    }
    for (int s = 0; s < INV_NSTAGES; s++) {
        free(v[s][0]);
        free(v[s][1]);
    }
    if (!rc)
        table_note(t,
                   TF("moved_on: stays that ended with a move to another stage, and their median "
                      "length; still_there: projects in the stage today (%s), and how long they "
                      "have been there."),
                   today);
    return finish(db, f, rc, t, out, e);
}

/* ---- the largest, the stalled ------------------------------------------------------ */

static void stage_labels(struct table *t, size_t col)
{
    for (size_t r = 0; r < t->nrows; r++)
        table_set_text(t, r, col, inv_stage_label(inv_stage_parse(table_cell(t, r, col)->s)));
}

int inv_largest(struct db *db, const struct inv_filter *f, int top, struct table **out,
                struct err *e)
{
    struct table *t = table_new("largest", N_("Largest projects"));
    static const char *const cols[] = {"code", "title", "investor", "origin", "host", "sector",
                                       "kind", "stage"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    table_col(t, "amount_usd", COL_MONEY, "US$", 0);
    table_col(t, "jobs", COL_INT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT p.code, p.title, p.investor, p.origin, p.host, p.sector, p.kind, "
                     "p.stage, p.amount_usd, p.jobs FROM inv_now p WHERE" FILTER
                     "AND p.amount_usd IS NOT NULL AND p.stage <> 'cancelled' "
                     "ORDER BY p.amount_usd DESC, p.code LIMIT ?6",
                     "tttiin", FILTER_ARGS(f), top);
    if (!rc) stage_labels(t, 7);
    return finish(db, f, rc, t, out, e);
}

int inv_stalled(struct db *db, const struct inv_filter *f, long days, const char *date,
                struct table **out, struct err *e)
{
    char title[400];
    snprintf(title, sizeof title,
             TF("Projects stalled, or in one stage for more than %ld days, on %s"),
             days, date);
    struct table *t = table_new("stalled", title);
    static const char *const cols[] = {"code", "title", "investor", "host", "stage", "since"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    table_col(t, "days", COL_INT, "days", 0);
    table_col(t, "amount_usd", COL_MONEY, "US$", 0);
    /* where each project stood on the date: its last move on or before it */
    int rc = db_fill(db, t, e,
                     "WITH at AS (SELECT p.id, p.code, p.title, p.investor, p.host, p.amount_usd, "
                     "(SELECT max(s.seq) FROM inv_stage s WHERE s.project_id = p.id AND s.date <= "
                     "?7) AS seq FROM inv_now p WHERE" FILTER ") "
                     "SELECT a.code, a.title, a.investor, a.host, s.stage, s.date, "
                     "CAST(julianday(?7) - julianday(s.date) AS INTEGER), a.amount_usd "
                     "FROM at a JOIN inv_stage s ON s.project_id = a.id AND s.seq = a.seq "
                     "WHERE s.stage NOT IN ('commissioned', 'cancelled') "
                     "AND (s.stage = 'stalled' OR julianday(?7) - julianday(s.date) > ?6) "
                     "ORDER BY s.stage = 'stalled' DESC, 7 DESC, a.code",
                     "tttiiit", FILTER_ARGS(f), (int64_t)days, date);
    if (!rc) stage_labels(t, 4);
    table_empty(t, N_("no project stalled or in one stage that long"));
    if (!rc)
        table_note(t,
                   TF("Where each project stood on %s: stalled ones whatever how long, the "
                      "others when in one stage for more than %ld days."),
                   date, days);
    return finish(db, f, rc, t, out, e);
}

int inv_figures(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("figures", N_("Published figures of the investment pipeline"));
    static const char *const cols[] = {"name",   "figure",    "value", "unit",
                                       "period", "source", "published", "note"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    table_optional(t, 7);
    int rc = db_fill(db, t, e,
                     "SELECT f.name, f.label, f.value, f.unit, f.period, s.name || CASE WHEN "
                     "s.synthetic THEN ' (synthetic)' ELSE '' END, s.published, NULLIF(f.note, '') "
                     "FROM inv_figure f JOIN source s ON s.id = f.source_id ORDER BY f.id",
                     NULL);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_empty(t, N_("no published figures recorded"));
    *out = t;
    return 0;
}
