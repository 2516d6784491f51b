/* report.c — the tourism reports: the monthly series by direction with the
 * change on the same month a year earlier, the years with their change, the
 * busiest crossings of a year, and the before/after comparison around a
 * policy date. Every figure follows the counting rule of flows.c; a month or
 * year without a figure is left empty and named, never read as zero. */
#include "tourism.h"

#include "../ops/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The directions (from, to) recorded, or the one asked for. */
struct dirs {
    char (*d)[2][4];
    size_t n;
};

static int directions(struct op_call *c, struct dirs *out, struct err *e)
{
    const char *from = op_has(c, "from") ? op_s(c, "from") : NULL;
    const char *to = op_has(c, "to") ? op_s(c, "to") : NULL;
    struct db_stmt *st;
    out->d = NULL;
    out->n = 0;
    int rc = db_prepare(c->db, &st, e,
                        "SELECT DISTINCT from_country, to_country FROM tour_flow WHERE (?1 IS "
                        "NULL OR from_country = ?1) AND (?2 IS NULL OR to_country = ?2) ORDER BY "
                        "1, 2",
                        "tt", from, to);
    while (!rc && (rc = db_step(st, e)) == 1) {
        out->d = xrealloc(out->d, (out->n + 1) * sizeof *out->d);
        db_col_text(st, 0, out->d[out->n][0], 4);
        db_col_text(st, 1, out->d[out->n][1], 4);
        out->n++;
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* A note citing the sources of a direction's figures (crossing: "" for
 * the country's). */
static int cite(struct db *db, struct table *t, const char *from, const char *to,
                const char *crossing, struct err *e)
{
    struct buf b = {.max = 2000};
    int rc = db_join(db, e, &b, "; ",
                     "SELECT DISTINCT source FROM tour_flow WHERE from_country = ?1 AND "
                     "to_country = ?2 AND crossing = ?3 AND source <> '' ORDER BY 1",
                     "ttt", from, to, crossing);
    if (!rc && b.len) table_note(t, TF("Sources, %s to %s: %s."), from, to, b.p);
    buf_free(&b);
    return rc;
}

static double change_pct(int64_t now, int64_t before)
{
    return 100.0 * (double)(now - before) / (double)before;
}

static const char *crossing_of(struct op_call *c)
{
    return op_has(c, "crossing") ? op_s(c, "crossing") : "";
}

int tour_monthly(struct op_call *c, struct err *e)
{
    int y0 = op_has(c, "first_year") ? (int)op_i(c, "first_year") : 1900;
    int y1 = op_has(c, "last_year") ? (int)op_i(c, "last_year") : 2200;
    struct table *t = table_new("monthly", N_("Visitors by month and direction"));
    table_col(t, "month", COL_TEXT, NULL, 0);
    table_col(t, "from", COL_TEXT, NULL, 0);
    table_col(t, "to", COL_TEXT, NULL, 0);
    table_col(t, "visitors", COL_INT, "visitors", 0);
    table_col(t, "yoy_pct", COL_REAL, "%", 1);
    if (crossing_of(c)[0]) table_context(t, "crossing", crossing_of(c));
    struct dirs d;
    int rc = directions(c, &d, e);
    for (size_t k = 0; !rc && k < d.n; k++) {
        struct tour_month *m;
        size_t n;
        rc = tour_months(c->db, d.d[k][0], d.d[k][1], crossing_of(c), y0 * 12 - 12, y1 * 12 + 11,
                         &m, &n, e);
        for (size_t i = 0; !rc && i < n; i++) {
            if (m[i].index < y0 * 12) continue; /* read only for the change */
            size_t r = table_add_row(t);
            char name[8];
            tour_month_name(m[i].index, name);
            table_set_text(t, r, 0, name);
            table_set_text(t, r, 1, d.d[k][0]);
            table_set_text(t, r, 2, d.d[k][1]);
            table_set_int(t, r, 3, m[i].visitors);
            for (size_t j = 0; j < i; j++)
                if (m[j].index == m[i].index - 12 && m[j].visitors > 0)
                    table_set_real(t, r, 4, change_pct(m[i].visitors, m[j].visitors));
        }
        if (!rc) free(m);
    }
    free(d.d);
    table_note(t, TF("yoy_pct: the change on the same month a year earlier (empty when that "
                     "month has no figure). Months without a figure are left out."));
    table_empty(t, N_("no monthly tourism figures for this selection"));
    return op_give(c, rc, &t);
}

int tour_year(struct db *db, const char *from, const char *to, const char *crossing,
                       int year, int64_t *v, int *months, int *annual, struct err *e)
{
    int64_t got = 0;
    int rc = db_lookup_int(db, e, &got,
                           "SELECT CASE WHEN max(purpose = 'all' AND mode = 'all') THEN sum(CASE "
                           "WHEN purpose = 'all' AND mode = 'all' THEN visitors END) ELSE "
                           "sum(visitors) END FROM tour_flow WHERE from_country = ?1 AND "
                           "to_country = ?2 AND crossing = ?3 AND year = ?4 AND month = 0 HAVING "
                           "count(*) > 0",
                           "ttti", from, to, crossing, (int64_t)year);
    if (rc < 0) return rc;
    *annual = rc == 1;
    if (*annual) {
        *v = got;
        *months = 12;
        return 0;
    }
    int missing;
    char names[200];
    rc = tour_window(db, from, to, crossing, year * 12, year * 12 + 11, v, &missing, names,
                     sizeof names, e);
    *months = 12 - missing;
    return rc;
}

/* The years recorded for a direction (and crossing). */
static int year_span(struct db *db, const char *from, const char *to, const char *crossing,
                     int *y0, int *y1, struct err *e)
{
    int64_t a = 0, b = 0;
    int rc = db_lookup_int(db, e, &a,
                           "SELECT min(year) FROM tour_flow WHERE from_country = ?1 AND "
                           "to_country = ?2 AND crossing = ?3 HAVING count(*) > 0",
                           "ttt", from, to, crossing);
    if (rc == 1)
        rc = db_lookup_int(db, e, &b,
                           "SELECT max(year) FROM tour_flow WHERE from_country = ?1 AND "
                           "to_country = ?2 AND crossing = ?3",
                           "ttt", from, to, crossing);
    *y0 = (int)a;
    *y1 = rc == 1 ? (int)b : (int)a - 1;
    return rc < 0 ? rc : 0;
}

int tour_yearly(struct op_call *c, struct err *e)
{
    struct table *t = table_new("yearly", N_("Visitors by year and direction"));
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "from", COL_TEXT, NULL, 0);
    table_col(t, "to", COL_TEXT, NULL, 0);
    table_col(t, "visitors", COL_INT, "visitors", 0);
    table_col(t, "basis", COL_TEXT, NULL, 0);
    table_col(t, "yoy_pct", COL_REAL, "%", 1);
    if (crossing_of(c)[0]) table_context(t, "crossing", crossing_of(c));
    struct dirs d;
    int rc = directions(c, &d, e);
    for (size_t k = 0; !rc && k < d.n; k++) {
        int y0, y1, had = 0;
        int64_t last = 0;
        rc = year_span(c->db, d.d[k][0], d.d[k][1], crossing_of(c), &y0, &y1, e);
        for (int y = y0; !rc && y <= y1; y++) {
            int64_t v;
            int months, annual;
            rc = tour_year(c->db, d.d[k][0], d.d[k][1], crossing_of(c), y, &v, &months, &annual,
                             e);
            if (rc || (!annual && months == 0)) {
                had = 0;
                continue;
            }
            size_t r = table_add_row(t);
            table_set_int(t, r, 0, y);
            table_set_text(t, r, 1, d.d[k][0]);
            table_set_text(t, r, 2, d.d[k][1]);
            char basis[40];
            snprintf(basis, sizeof basis, "%s",
                     annual ? "annual figure" : months == 12 ? "12 months" : "");
            if (months < 12)
                snprintf(basis, sizeof basis, "%d month%s only", months, months == 1 ? "" : "s");
            table_set_text(t, r, 4, basis);
            if (months < 12) {
                had = 0;
                continue;
            }
            table_set_int(t, r, 3, v);
            if (had && last > 0) table_set_real(t, r, 5, change_pct(v, last));
            had = 1;
            last = v;
        }
        if (!rc) rc = cite(c->db, t, d.d[k][0], d.d[k][1], crossing_of(c), e);
    }
    free(d.d);
    table_note(t, TF("A year is its published annual figure, else the sum of its twelve months; "
                     "a year with some months only has no figure (see the monthly series)."));
    table_empty(t, N_("no tourism figures for this selection"));
    return op_give(c, rc, &t);
}

struct xrow {
    char from[4], to[4], crossing[24], basis[40];
    int64_t v;
    int has;
    double share;
    int has_share;
};

static int cmp_xrow(const void *a, const void *b)
{
    const struct xrow *x = a, *y = b;
    if (x->has != y->has) return y->has - x->has;
    if (x->v != y->v) return x->v < y->v ? 1 : -1;
    return strcmp(x->crossing, y->crossing);
}

/* Each crossing and direction of the year with its figure and its share of
 * the direction's country figure. */
static int crossing_rows(struct op_call *c, int year, struct xrow **out, size_t *n, struct err *e)
{
    const char *from = op_has(c, "from") ? op_s(c, "from") : NULL;
    const char *to = op_has(c, "to") ? op_s(c, "to") : NULL;
    struct db_stmt *st;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(c->db, &st, e,
                        "SELECT DISTINCT from_country, to_country, crossing FROM tour_flow WHERE "
                        "year = ?1 AND crossing <> '' AND (?2 IS NULL OR from_country = ?2) AND "
                        "(?3 IS NULL OR to_country = ?3) ORDER BY 1, 2, 3",
                        "itt", (int64_t)year, from, to);
    while (!rc && (rc = db_step(st, e)) == 1) {
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        struct xrow *x = &(*out)[(*n)++];
        memset(x, 0, sizeof *x);
        db_col_text(st, 0, x->from, sizeof x->from);
        db_col_text(st, 1, x->to, sizeof x->to);
        db_col_text(st, 2, x->crossing, sizeof x->crossing);
        rc = 0;
    }
    db_finalize(st);
    for (size_t i = 0; !rc && i < *n; i++) {
        struct xrow *x = &(*out)[i];
        int months, annual, nm, na;
        int64_t nat;
        rc = tour_year(c->db, x->from, x->to, x->crossing, year, &x->v, &months, &annual, e);
        if (!rc) rc = tour_year(c->db, x->from, x->to, "", year, &nat, &nm, &na, e);
        x->has = months == 12;
        snprintf(x->basis, sizeof x->basis, "%s", annual ? "annual figure" : "12 months");
        if (months < 12)
            snprintf(x->basis, sizeof x->basis, "%d month%s only", months, months == 1 ? "" : "s");
        x->has_share = x->has && nm == 12 && nat > 0;
        if (x->has_share) x->share = 100.0 * (double)x->v / (double)nat;
    }
    return rc;
}

int tour_crossings(struct op_call *c, struct err *e)
{
    int year = (int)op_i(c, "year");
    char title[400];
    snprintf(title, sizeof title, TF("Busiest border crossings for visitors, %d"), year);
    struct table *t = table_new("crossings", title);
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "from", COL_TEXT, NULL, 0);
    table_col(t, "to", COL_TEXT, NULL, 0);
    table_col(t, "visitors", COL_INT, "visitors", 0);
    table_col(t, "basis", COL_TEXT, NULL, 0);
    table_col(t, "share_pct", COL_REAL, "%", 1);
    struct xrow *x;
    size_t n;
    int rc = crossing_rows(c, year, &x, &n, e);
    if (!rc) qsort(x, n, sizeof *x, cmp_xrow);
    size_t top = op_has(c, "top") ? (size_t)op_i(c, "top") : n;
    for (size_t i = 0; !rc && i < n && i < top; i++) {
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, x[i].crossing);
        table_set_text(t, r, 1, x[i].from);
        table_set_text(t, r, 2, x[i].to);
        if (x[i].has) table_set_int(t, r, 3, x[i].v);
        table_set_text(t, r, 4, x[i].basis);
        if (x[i].has_share) table_set_real(t, r, 5, x[i].share);
    }
    free(x);
    table_note(t, TF("share_pct: of the direction's whole figure for the year (empty when it "
                     "has none). A crossing with some months only has no figure."));
    table_empty(t, N_("no crossing recorded for visitors this year"));
    return op_give(c, rc, &t);
}

/* One window's row of the comparison. */
static int window_row(struct op_call *c, struct table *t, const char *name, int first, int last,
                      int64_t *v, int *missing, struct err *e)
{
    char names[1000], a[8], b[8];
    int rc = tour_window(c->db, op_s(c, "from"), op_s(c, "to"), crossing_of(c), first, last, v,
                         missing, names, sizeof names, e);
    if (rc) return rc;
    size_t r = table_add_row(t);
    tour_month_name(first, a);
    tour_month_name(last, b);
    table_set_text(t, r, 0, name);
    table_set_text(t, r, 1, a);
    table_set_text(t, r, 2, b);
    if (!*missing) table_set_int(t, r, 3, *v);
    table_set_int(t, r, 4, last - first + 1 - *missing);
    table_set_text(t, r, 5, names);
    if (*missing) table_note(t, TF("%s: no figure for %s; the window has no total."), name, names);
    return 0;
}

int tour_compare(struct op_call *c, struct err *e)
{
    int y, m, d;
    if (date_parse(op_s(c, "policy_date"), &y, &m, &d)) {
        err_set(e, ERR_INPUT, "'%s' is not a date", op_s(c, "policy_date"));
        return err_field(e, "policy_date");
    }
    /* the first calendar month wholly on or after the date */
    int first = y * 12 + m - 1 + (d > 1), n = (int)op_i(c, "months");
    int last = first + n - 1;
    char title[400];
    snprintf(title, sizeof title,
             TF("Visitors %s to %s: %d whole months from %s, against a year earlier"),
             op_s(c, "from"), op_s(c, "to"), n, op_s(c, "policy_date"));
    struct table *t = table_new("compare", title);
    table_col(t, "window", COL_TEXT, NULL, 0);
    table_col(t, "start", COL_TEXT, NULL, 0);
    table_col(t, "end", COL_TEXT, NULL, 0);
    table_col(t, "visitors", COL_INT, "visitors", 0);
    table_col(t, "months", COL_INT, NULL, 0);
    table_col(t, "missing", COL_TEXT, NULL, 0);
    table_col(t, "change_pct", COL_REAL, "%", 1);
    if (crossing_of(c)[0]) table_context(t, "crossing", crossing_of(c));
    int64_t before, after;
    int mb, ma;
    int rc = window_row(c, t, "before", first - 12, last - 12, &before, &mb, e);
    if (!rc) rc = window_row(c, t, "after", first, last, &after, &ma, e);
    if (!rc) rc = cite(c->db, t, op_s(c, "from"), op_s(c, "to"), crossing_of(c), e);
    if (!rc && !mb && !ma && before > 0) {
        table_set_real(t, 1, 6, change_pct(after, before));
        table_note(t, TF("Change: %+.1f%% (%lld visitors after, %lld before)."),
                   change_pct(after, before), (long long)after, (long long)before);
    } else if (!rc) {
        table_note(t, TF("No change is given: %s."),
                   mb || ma ? T("a window misses months") : T("the window before has no visitors"));
    }
    return op_give(c, rc, &t);
}
