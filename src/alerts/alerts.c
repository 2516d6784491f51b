/* alerts.c — what needs attention on a day, across the areas, each with its
 * reason and a link: caps at 80% and 100% of the year (or projected to pass
 * before the period ends), registrations that expire within 90 days or are
 * suspended, markets opened, suspended or closed in the last 30 days,
 * commitments overdue or at risk, and crossings used above 90% of their
 * capacity in the year. Each rule reads the table its own area's report
 * gives (agreements fulfilment, access plants and rules, commitments
 * report, logistics indicators), so that an alert always says what the
 * area's own page says. */
#include "alerts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGISTRATION_DAYS 90
#define MARKET_DAYS 30
#define CROSSING_PCT 90.0

struct args {
    const char *k[3], *v[3];
};

static const char *arg_get(void *ctx, const char *name)
{
    struct args *a = ctx;
    for (int i = 0; i < 3 && a->k[i]; i++)
        if (!strcmp(a->k[i], name)) return a->v[i];
    return NULL;
}

/* Runs another area's report into c (the caller frees it). */
static int report(struct op_call *parent, const char *area, const char *verb, struct args *a,
                  struct op_call *c, struct err *e)
{
    op_call_init(c, op_find(area, verb)->op);
    c->db = parent->db;
    c->ref = parent->ref;
    int rc = op_parse(c, arg_get, a, e);
    if (!rc) rc = op_execute(c, e);
    if (!rc && c->nout < 1) rc = err_set(e, ERR_INTERNAL, "%s %s gave no table", area, verb);
    return rc;
}

/* The cell of column col in row r as text, copied into out ("" when the
 * table has no such column or the cell is empty). */
static const char *cell(const struct table *t, size_t r, const char *col, char *out, size_t size)
{
    int c = table_find_col(t, col);
    const char *v = c < 0 ? "" : report_cell_text(t, r, (size_t)c, out, size);
    if (v != out) str_copy(out, v ? v : "", size);
    return out;
}

static void add(struct table *out, const char *kind, const char *subject, const char *link,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds an alert; its reason is a translated format, its numbers written
 * the reader's way. */
static void add(struct table *out, const char *kind, const char *subject, const char *link,
                const char *fmt, ...)
{
    char text[600], reason[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* 1 000 000 and 85,5 where people write so */
    const char *shown = i18n_numbers_in(text, reason, sizeof reason);
    size_t r = table_add_row(out);
    table_set_text(out, r, 0, kind);
    table_set_text(out, r, 1, subject);
    table_set_text(out, r, 2, shown);
    table_set_text(out, r, 3, link);
}

/* A mass column's cell as people read it: "1,000,000" (tonnes). */
static const char *tonnes(const struct table *t, size_t r, const char *col, char *out, size_t size)
{
    int c = table_find_col(t, col);
    const struct cell *x = c < 0 ? NULL : table_cell(t, r, (size_t)c);
    if (!x || x->null) return out[0] = 0, out;
    return mass_format_t(x->i, 1, out, size);
}

/* Caps: the year's total row of each agreement. */
static void caps(const struct table *t, struct table *out)
{
    char a[160], pct[32], cap[48], proj[48], per[32], link[256];
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(cell(t, r, "commodity", a, sizeof a), "all") != 0) continue;
        cell(t, r, "pct_of_cap", pct, sizeof pct);
        tonnes(t, r, "cap_t", cap, sizeof cap);
        tonnes(t, r, "projected_t", proj, sizeof proj);
        int cc = table_find_col(t, "cap_t"), pc = table_find_col(t, "projected_t");
        const struct cell *capx = cc < 0 ? NULL : table_cell(t, r, (size_t)cc),
                          *projx = pc < 0 ? NULL : table_cell(t, r, (size_t)pc);
        cell(t, r, "period", per, sizeof per);
        cell(t, r, "agreement", a, sizeof a);
        if (!pct[0] || !cap[0]) continue;
        snprintf(link, sizeof link, "/agreements?agreement=%s", a);
        double p = atof(pct);
        int passes = capx && projx && !capx->null && !projx->null && projx->i > capx->i;
        if (p >= 100)
            add(out, "cap", a, link, TF("the cap of %s t for %s is reached: %s%% declared"), cap,
                per, pct);
        else if (p >= 80)
            add(out, "cap", a, link, TF("%s%% of the cap of %s t for %s is declared"), pct, cap,
                per);
        else if (passes)
            add(out, "cap", a, link, TF("projected to pass the cap of %s t for %s: %s t by its end"),
                cap, per, proj);
    }
}

/* Registrations already in their term: suspended, or active and ending
 * within 90 days. */
static void registrations(const struct table *t, long today, struct table *out)
{
    char reg[80], status[32], from[16], to[16], link[] = "/access";
    for (size_t r = 0; r < t->nrows; r++) {
        cell(t, r, "registration", reg, sizeof reg);
        cell(t, r, "status", status, sizeof status);
        cell(t, r, "valid_from", from, sizeof from);
        cell(t, r, "valid_to", to, sizeof to);
        if (from[0] && date_text_days(from) > today) continue; /* not yet registered */
        long end = to[0] ? date_text_days(to) : 0;
        if (!strcmp(status, "suspended"))
            add(out, "registration", reg, link, "%s", T("suspended"));
        else if (!strcmp(status, "active") && to[0] && end - today <= REGISTRATION_DAYS)
            add(out, "registration", reg, link, TF("ends on %s, in %ld days"), to, end - today);
    }
}

/* Markets: rules that took effect in the last 30 days. */
static void markets(const struct table *t, long today, struct table *out)
{
    char hs[16], from[8], region[16], to[8], status[16], at[16], link[64], subject[80];
    for (size_t r = 0; r < t->nrows; r++) {
        cell(t, r, "effective_from", at, sizeof at);
        long day = at[0] ? date_text_days(at) : 0;
        if (!at[0] || day > today || today - day > MARKET_DAYS) continue;
        cell(t, r, "hs", hs, sizeof hs);
        cell(t, r, "from", from, sizeof from);
        cell(t, r, "region", region, sizeof region);
        cell(t, r, "to", to, sizeof to);
        cell(t, r, "status", status, sizeof status);
        snprintf(subject, sizeof subject, "HS %s %s%s%s → %s", hs, from, region[0] ? " " : "",
                 region, to);
        snprintf(link, sizeof link, "/access?hs=%s", hs);
        add(out, "market", subject, link, TF("%s on %s"), T(status), at);
    }
}

static void commitments(const struct table *t, struct table *out)
{
    char code[80], flag[32], why[400];
    for (size_t r = 0; r < t->nrows; r++) {
        cell(t, r, "flag", flag, sizeof flag);
        if (strcmp(flag, "overdue") != 0 && strcmp(flag, "at risk") != 0) continue;
        cell(t, r, "code", code, sizeof code);
        cell(t, r, "reason", why, sizeof why);
        add(out, "commitment", code, "/commitments", TF("%s: %s"), T(flag), why);
    }
}

static void crossings(const struct table *t, const char *year, struct table *out)
{
    char code[80], pct[32], link[128];
    for (size_t r = 0; r < t->nrows; r++) {
        cell(t, r, "utilisation_pct", pct, sizeof pct);
        if (!pct[0] || atof(pct) <= CROSSING_PCT) continue;
        cell(t, r, "crossing", code, sizeof code);
        snprintf(link, sizeof link, "/logistics?year=%s", year);
        add(out, "crossing", code, link, TF("%s%% of its capacity used in %s"), pct, year);
    }
}

static int alerts_run(struct op_call *c, struct err *e)
{
    char date[11], year[5];
    if (op_has(c, "date"))
        str_copy(date, op_s(c, "date"), sizeof date);
    else
        date_today(date);
    snprintf(year, sizeof year, "%.4s", date);
    long today = date_text_days(date);
    struct table *out = table_new("alerts", N_("What needs attention"));
    table_col(out, "kind", COL_TEXT, NULL, 0);
    table_col(out, "subject", COL_TEXT, NULL, 0);
    table_col(out, "reason", COL_TEXT, NULL, 0);
    table_col(out, "page", COL_TEXT, NULL, 0);
    table_empty(out, N_("nothing needs attention on this day"));
    struct args on = {{"date"}, {date}}, in_year = {{"year"}, {year}}, none = {{NULL}, {NULL}};
    struct op_call r;
    int rc = 0;
    if (!rc && !(rc = report(c, "agreements", "fulfilment", &on, &r, e))) caps(r.out[0], out);
    op_call_free(&r);
    if (!rc && !(rc = report(c, "access", "plants", &on, &r, e)))
        registrations(r.out[0], today, out);
    op_call_free(&r);
    if (!rc && !(rc = report(c, "access", "rules", &none, &r, e))) markets(r.out[0], today, out);
    op_call_free(&r);
    if (!rc && !(rc = report(c, "commitments", "report", &on, &r, e)))
        commitments(r.out[0], out);
    op_call_free(&r);
    if (!rc && !(rc = report(c, "logistics", "indicators", &in_year, &r, e)))
        crossings(r.out[0], year, out);
    op_call_free(&r);
    table_note(out,
               TF("As on %s: caps at 80%% and 100%% of the year or projected to pass it; "
                  "registrations suspended or ending within %d days; markets opened, suspended "
                  "or closed in the last %d days; commitments overdue or at risk; crossings "
                  "above %d%% of their capacity in %s."),
               date, REGISTRATION_DAYS, MARKET_DAYS, (int)CROSSING_PCT, year);
    if (rc) {
        table_free(out);
        return rc;
    }
    return op_give(c, 0, &out);
}

static const struct op_param alert_params[] = {
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "the day to look from (default today)"},
    {0},
};

const struct op alert_ops[] = {
    {"alerts", NULL, OP_READ, alerts_run, alert_params,
     "what needs attention: caps, registrations, markets, commitments, crossings",
     "alerts --date 2024-12-31", NULL, NULL, NULL, 0},
    {0},
};
