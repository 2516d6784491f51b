/* report.c — where each commitment stands on a date: its indicator's value
 * (read through the registry), progress from the baseline toward the
 * target, the change over the year before the date, the value projected to
 * the due date at the pace so far, and one flag with its reason. Only the
 * commitments of meetings held by the date are shown. The overdue come
 * first, then the at risk, those without data, on track, met or done, and
 * dropped.
 *
 * Flags: overdue — past due and the target not reached (without an
 * indicator: not marked done); at risk — at the pace so far the target is
 * not reached by the due date (a state, or a commitment without an
 * indicator still open: 90 days or less to go); no data — the indicator
 * cannot be read (a year without a figure); incomplete — the value is a
 * lower bound (amounts missing); on track; met — the target reached; done
 * — marked done, without an indicator; dropped.
 *
 * The pace: a sum grows from 0 at the window's start, so the value at the
 * due date (or at the window's end, when that comes first) is value x
 * (horizon - start) / (day of the value - start); a level is a year's
 * figure, and its baseline stands for the last year that ended before the
 * window, so it grows from that year's end. A stored commitment that does
 * not make sense (a bad date, a target outside its bounds) fails the report
 * naming it: it is never shown as a figure. */
#include "commitments.h"

#include "../ops/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum flag { OVERDUE, AT_RISK, NO_DATA, INCOMPLETE, ON_TRACK, MET, DONE, DROPPED };
static const char *const flag_names[] = {"overdue",  "at risk", "no data", "incomplete",
                                         "on track", "met",     "done",    "dropped"};

#define SOON_DAYS 90  /* "at risk" for what cannot be projected */
#define EARLY_DAYS 30 /* too early to project a sum's pace */

enum {
    C_CODE,
    C_MEETING,
    C_TEXT,
    C_OWNER,
    C_COUNTERPART,
    C_DUE,
    C_STATUS,
    C_EVIDENCE,
    C_INDICATOR,
    C_SUBJECT,
    C_FROM,
    C_TO,
    NCOLS
};

/* One commitment as the report reads it. */
struct item {
    char *col[NCOLS];
    char origins[256], start[11], end[11];
    int has_baseline, has_target;
    int64_t baseline, target;
    /* what the report makes of it */
    const struct cmt_indicator *in;
    struct cmt_value now;
    int has_before;
    int64_t before;
    int has_projected;
    double projected;
    enum flag flag;
    char reason[600];
};

static void item_free(struct item *it)
{
    for (int i = 0; i < NCOLS; i++)
        free(it->col[i]);
}

static double display(const struct item *it, int64_t v)
{
    return (double)v / (double)it->in->scale;
}

/* "1,234,568 t" for people. */
static const char *amount(const struct item *it, double v, char *out, size_t size)
{
    cmt_human(it->in, v, out, size);
    return out;
}

/* "1 day", "45 days". */
static const char *days(long n, char *out, size_t size)
{
    snprintf(out, size, n == 1 ? TF("%ld day") : TF("%ld days"), n);
    return out;
}

static double progress(const struct item *it)
{
    return 100.0 * ((double)it->now.v - (double)it->baseline) /
           ((double)it->target - (double)it->baseline);
}

/* The flag of a commitment without an indicator. */
static void judge_typed(struct item *it, long today, long due)
{
    const char *status = it->col[C_STATUS];
    char n[32];
    if (strcmp(status, "done") == 0) {
        it->flag = DONE;
        if (*it->col[C_EVIDENCE])
            snprintf(it->reason, sizeof it->reason, TF("marked done: %s"), it->col[C_EVIDENCE]);
        else
            snprintf(it->reason, sizeof it->reason, "%s", T("marked done"));
    } else if (today > due) {
        it->flag = OVERDUE;
        snprintf(it->reason, sizeof it->reason, TF("due %s, %s ago, still %s"), it->col[C_DUE],
                 days(today - due, n, sizeof n), T_in("commitments", status));
    } else if (due - today <= SOON_DAYS && strcmp(status, "open") == 0) {
        it->flag = AT_RISK;
        snprintf(it->reason, sizeof it->reason, TF("still open, %s to the due date"),
                 days(due - today, n, sizeof n));
    } else {
        it->flag = ON_TRACK;
        snprintf(it->reason, sizeof it->reason, TF("%s, %s to the due date"),
                 T_in("commitments", status), days(due - today, n, sizeof n));
    }
}

/* The day a level's baseline stands for: the end of the last year that
 * ended before the window started. */
static long level_base_day(const char *start)
{
    int y = atoi(start);
    if (strcmp(start + 4, "-12-31") != 0) y--;
    return date_days(y, 12, 31);
}

/* The flag of a measured commitment that has not met its target. */
static void judge_pace(struct item *it, long today, long due)
{
    long start = date_text_days(it->start), at = date_text_days(it->now.at);
    char a[64], b[64], n[32];
    if (it->in->kind == CMT_STATE) {
        it->flag = due - today <= SOON_DAYS ? AT_RISK : ON_TRACK;
        snprintf(it->reason, sizeof it->reason, TF("level %lld of %lld, %s to the due date"),
                 (long long)it->now.v, (long long)it->target, days(due - today, n, sizeof n));
        return;
    }
    long from = start, horizon = due;
    if (it->in->kind == CMT_LEVEL) from = level_base_day(it->start);
    if (it->in->kind == CMT_SUM && it->end[0] && date_text_days(it->end) < horizon)
        horizon = date_text_days(it->end); /* nothing counts after the window */
    if (it->in->kind == CMT_SUM && today < start) {
        it->flag = ON_TRACK;
        snprintf(it->reason, sizeof it->reason, TF("the window opens on %s"), it->start);
        return;
    }
    if (it->in->kind == CMT_SUM && at - start < EARLY_DAYS && at < horizon) {
        it->flag = ON_TRACK;
        snprintf(it->reason, sizeof it->reason, TF("too early to project: %s into the window"),
                 days(at - start, n, sizeof n));
        return;
    }
    it->has_projected = 1;
    double base = display(it, it->baseline), now = display(it, it->now.v);
    it->projected =
        at >= horizon ? now : base + (now - base) * (double)(horizon - from) / (double)(at - from);
    int up = it->target > it->baseline;
    double target = display(it, it->target);
    int short_of = up ? it->projected < target : it->projected > target;
    it->flag = short_of ? AT_RISK : ON_TRACK;
    /* [closed or at the pace][on course, short of, above] */
    static const char *const says[2][3] = {
        {NF_("at the pace so far, %s by %s%s"), NF_("at the pace so far, %s by %s, short of %s"),
         NF_("at the pace so far, %s by %s, above the target of %s")},
        {NF_("when the window closed, %s by %s%s"),
         NF_("when the window closed, %s by %s, short of %s"),
         NF_("when the window closed, %s by %s, above the target of %s")}};
    snprintf(it->reason, sizeof it->reason, TF(says[at >= horizon][short_of ? (up ? 1 : 2) : 0]),
             amount(it, it->projected, a, sizeof a), at >= horizon ? it->end : it->col[C_DUE],
             short_of ? amount(it, target, b, sizeof b) : "");
}

/* Appends a sentence to the reason. */
static void reason_add(struct item *it, const char *fmt, const char *s)
{
    size_t k = strlen(it->reason);
    snprintf(it->reason + k, sizeof it->reason - k, fmt, s);
}

static void judge(struct item *it, const char *date)
{
    long today = date_text_days(date), due = date_text_days(it->col[C_DUE]);
    char n[32];
    if (strcmp(it->col[C_STATUS], "dropped") == 0) {
        it->flag = DROPPED;
        if (*it->col[C_EVIDENCE])
            snprintf(it->reason, sizeof it->reason, TF("dropped: %s"), it->col[C_EVIDENCE]);
        else
            snprintf(it->reason, sizeof it->reason, "%s", T("dropped"));
        return;
    }
    if (!it->in) {
        judge_typed(it, today, due);
        return;
    }
    const struct cmt_value *v = &it->now;
    int up = it->target > it->baseline;
    int met = v->found && (up ? v->v >= it->target : !v->incomplete && v->v <= it->target);
    char pct[48] = "";
    if (v->found) {
        char local[32];
        snprintf(pct, sizeof pct, TF("%s%% of the way"),
                 i18n_decimal(progress(it), 1, local, sizeof local));
    }
    if (met) {
        it->flag = MET;
        if (strcmp(it->col[C_STATUS], "done"))
            snprintf(it->reason, sizeof it->reason, TF("target reached; still marked %s"),
                     T_in("commitments", it->col[C_STATUS]));
        else
            snprintf(it->reason, sizeof it->reason, "%s", T("target reached"));
    } else if (today > due) {
        it->flag = OVERDUE;
        snprintf(it->reason, sizeof it->reason, TF("due %s, %s ago; %s"), it->col[C_DUE],
                 days(today - due, n, sizeof n), v->found ? pct : v->why);
    } else if (!v->found) {
        it->flag = NO_DATA;
        snprintf(it->reason, sizeof it->reason, "%s", v->why);
    } else if (v->incomplete) {
        it->flag = INCOMPLETE;
        snprintf(it->reason, sizeof it->reason, TF("at least %s: %s"), pct, v->why);
    } else {
        judge_pace(it, today, due);
    }
    /* a level read from an earlier year says why */
    if (v->found && !v->incomplete && v->why[0])
        reason_add(it, TF(" (from an earlier year; %s)"), v->why);
    if (!met && strcmp(it->col[C_STATUS], "done") == 0)
        reason_add(it, "%s", T("; marked done, but below the target"));
}

/* Refuses a stored commitment that does not make sense. */
static int check_item(const struct item *it, struct err *e)
{
    const char *what = NULL;
    if (!date_valid(it->col[C_DUE]))
        what = "due date";
    else if (!it->in)
        return 0;
    else if (!date_valid(it->start) || (it->end[0] && !date_valid(it->end)))
        what = "window";
    else if (!it->has_target || !it->has_baseline || it->target == it->baseline || it->target < 0 ||
             it->baseline < 0 || it->target > CMT_MAX_BASE || it->baseline > CMT_MAX_BASE ||
             (it->in->kind == CMT_STATE &&
              (it->target > it->in->top || it->baseline > it->in->top)))
        what = "baseline or target";
    else if (((it->in->needs & CMT_SUBJECT) && !*it->col[C_SUBJECT]) ||
             ((it->in->needs & CMT_FROM) && !*it->col[C_FROM]) ||
             ((it->in->needs & CMT_TO) && !*it->col[C_TO]))
        what = "indicator's subject or countries";
    if (!what) return 0;
    return err_set(e, ERR_DB, "commitment %s: the stored %s is not valid; record it again",
                   it->col[C_CODE], what);
}

/* Reads the commitments of meeting (NULL: all) held by date. */
static int read_items(struct db *db, const char *meeting, const char *date, struct item **out,
                      size_t *n, struct err *e)
{
    struct db_stmt *st;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = db_prepare(
        db, &st, e,
        "SELECT k.code, m.code, k.text, k.owner, k.counterpart, k.due, k.status, k.evidence, "
        "k.indicator, k.subject, coalesce(k.from_country, ''), coalesce(k.to_country, ''), "
        "k.origins, coalesce(k.window_start, m.date), coalesce(k.window_end, ''), "
        "k.baseline IS NOT NULL, coalesce(k.baseline, 0), "
        "k.target IS NOT NULL, coalesce(k.target, 0) FROM commitment k JOIN meeting m ON m.id = "
        "k.meeting_id WHERE (?1 IS NULL OR m.code = ?1) AND m.date <= ?2 ORDER BY k.due, k.code",
        "tt", meeting, date);
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        if (*n == cap) *out = xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
        struct item *it = &(*out)[(*n)++];
        memset(it, 0, sizeof *it);
        for (int i = 0; i < NCOLS; i++)
            it->col[i] = xstrdup(db_col_str(st, i));
        if (db_col_copy(st, 12, it->origins, sizeof it->origins, e) ||
            db_col_copy(st, 13, it->start, sizeof it->start, e) ||
            db_col_copy(st, 14, it->end, sizeof it->end, e))
            rc = err_set(e, ERR_DB, "commitment %s: the stored window is not valid",
                         it->col[C_CODE]);
        it->has_baseline = (int)db_col_int(st, 15);
        it->baseline = db_col_int(st, 16);
        it->has_target = (int)db_col_int(st, 17);
        it->target = db_col_int(st, 18);
        it->in = cmt_indicator_find(it->col[C_INDICATOR]);
        if (!rc && *it->col[C_INDICATOR] && !it->in)
            rc = err_set(e, ERR_DB, "commitment %s names an unknown indicator '%s'",
                         it->col[C_CODE], it->col[C_INDICATOR]);
        if (!rc) rc = check_item(it, e);
    }
    db_finalize(st);
    return rc;
}

/* Reads the item's indicator on date and a year before, then judges it. */
static int measure(struct db *db, struct item *it, const char *date, struct err *e)
{
    if (it->in) {
        struct cmt_spec s = {it->col[C_INDICATOR], it->col[C_SUBJECT], it->col[C_FROM],
                             it->col[C_TO], it->origins};
        str_copy(s.start, it->start, sizeof s.start);
        str_copy(s.end, it->end, sizeof s.end);
        char year_ago[11];
        date_from_days(date_text_days(date) - 365, year_ago);
        struct cmt_value then;
        int rc = cmt_indicator_read(db, &s, date, &it->now, e);
        if (!rc) rc = cmt_indicator_read(db, &s, year_ago, &then, e);
        if (rc) {
            char msg[sizeof e->msg + 80];
            snprintf(msg, sizeof msg, "commitment %.60s: %s", it->col[C_CODE], e->msg);
            str_copy(e->msg, msg, sizeof e->msg);
            return rc;
        }
        it->has_before = then.found && it->now.found;
        it->before = then.v;
    }
    judge(it, date);
    return 0;
}

static int by_flag(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->flag != y->flag) return x->flag < y->flag ? -1 : 1;
    int c = strcmp(x->col[C_DUE], y->col[C_DUE]);
    return c ? c : strcmp(x->col[C_CODE], y->col[C_CODE]);
}

static struct table *report_table(const char *date)
{
    struct table *t = table_new("commitments", N_("Commitments and where they stand"));
    static const struct {
        const char *name;
        enum col_type type;
        const char *unit;
        int decimals;
    } cols[] = {
        {"code", COL_TEXT, NULL, 0},        {"meeting", COL_TEXT, NULL, 0},
        {"commitment", COL_TEXT, NULL, 0},  {"owner", COL_TEXT, NULL, 0},
        {"counterpart", COL_TEXT, NULL, 0}, {"due", COL_TEXT, NULL, 0},
        {"status", COL_TEXT, NULL, 0},      {"flag", COL_TEXT, NULL, 0},
        {"indicator", COL_TEXT, NULL, 0},   {"unit", COL_TEXT, NULL, 0},
        {"baseline", COL_TEXT, NULL, 0},    {"target", COL_TEXT, NULL, 0},
        {"value", COL_TEXT, NULL, 0},       {"progress_pct", COL_REAL, "%", 1},
        {"change_1y", COL_TEXT, NULL, 0},   {"projected", COL_REAL, NULL, 1},
        {"value_at", COL_TEXT, NULL, 0},    {"reason", COL_TEXT, NULL, 0},
        {"basis", COL_TEXT, NULL, 0},
    };
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i].name, cols[i].type, cols[i].unit, cols[i].decimals);
    /* what a narrow terminal leaves out first */
    static const char *const detail[] = {
        "meeting", "owner",     "counterpart", "status",   "indicator", "unit", "baseline",
        "target",  "change_1y", "projected",   "value_at", "reason",    "basis"};
    for (size_t i = 0; i < sizeof detail / sizeof detail[0]; i++)
        table_secondary(t, (size_t)table_find_col(t, detail[i]));
    table_context(t, "as_on", date);
    return t;
}

static void add_row(struct table *t, const struct item *it)
{
    size_t r = table_add_row(t);
    char x[48];
    for (size_t i = 0; i < 7; i++)
        if (*it->col[i]) table_set_text(t, r, i, it->col[i]);
    table_set_text(t, r, 7, flag_names[it->flag]);
    table_set_text(t, r, 17, it->reason);
    if (!it->in) return;
    table_set_text(t, r, 8, it->in->name);
    table_set_text(t, r, 9, it->in->unit);
    cmt_exact(it->in, it->baseline, x, sizeof x);
    table_set_text(t, r, 10, x);
    cmt_exact(it->in, it->target, x, sizeof x);
    table_set_text(t, r, 11, x);
    if (it->now.found) {
        cmt_exact(it->in, it->now.v, x, sizeof x);
        table_set_text(t, r, 12, x);
        table_set_real(t, r, 13, progress(it));
        table_set_text(t, r, 16, it->now.at);
    }
    if (it->has_before) {
        cmt_exact(it->in, it->now.v - it->before, x, sizeof x);
        table_set_text(t, r, 14, x);
    }
    if (it->has_projected) table_set_real(t, r, 15, it->projected);
    if (it->now.sources[0]) table_set_text(t, r, 18, it->now.sources);
}

/* Notes: the definition of every indicator the rows use, and the flags. */
static void add_notes(struct table *t, const struct item *items, size_t n)
{
    for (const struct cmt_indicator *in = cmt_indicators; in->name; in++)
        for (size_t i = 0; i < n; i++)
            if (items[i].in == in) {
                table_note(t, "%s (%s): %s", in->name, T(in->unit), T(in->definition));
                break;
            }
    table_note(t, TF("Amounts are in each row's unit. progress_pct: from the baseline (0%%) to "
                     "the target (100%%); change_1y: the change on the value a year before; "
                     "projected: the value at the due date at the pace so far."));
    table_note(t, TF("Flags: overdue, past due and not met; at risk, short of the target at the "
                     "pace so far (a state, or an open commitment without an indicator: 90 days "
                     "or less to go); no data, the indicator cannot be read; incomplete, a lower "
                     "bound."));
}

int cmt_report(struct db *db, const char *meeting, const char *date, struct table **out,
               struct err *e)
{
    struct item *items;
    size_t n;
    *out = NULL;
    int rc = read_items(db, meeting, date, &items, &n, e);
    for (size_t i = 0; !rc && i < n; i++)
        rc = measure(db, &items[i], date, e);
    if (!rc) {
        if (n) qsort(items, n, sizeof *items, by_flag);
        *out = report_table(date);
        for (size_t i = 0; i < n; i++)
            add_row(*out, &items[i]);
        add_notes(*out, items, n);
        table_empty(*out, meeting ? N_("no commitments of this meeting by this date")
                                  : N_("no commitments made by this date"));
    }
    for (size_t i = 0; i < n; i++)
        item_free(&items[i]);
    free(items);
    return rc;
}

/* 0 when the meeting exists (or none is asked for), else ERR_NOTFOUND
 * naming the parameter. */
int cmt_meeting_check(struct db *db, const char *meeting, struct err *e)
{
    if (!meeting) return 0;
    int rc = db_lookup(db, e, NULL, 0, "SELECT 1 FROM meeting WHERE code = ?1", "t", meeting);
    if (rc < 0) return rc;
    if (rc) return 0;
    err_set(e, ERR_NOTFOUND, "no meeting '%s' (the meetings are listed under commitments meetings)",
            meeting);
    return err_field(e, "meeting");
}

int cmt_report_op(struct op_call *c, struct err *e)
{
    char today[11];
    date_today(today);
    const char *date = op_has(c, "date") ? op_s(c, "date") : today;
    const char *meeting = op_has(c, "meeting") ? op_s(c, "meeting") : NULL;
    int rc = cmt_meeting_check(c->db, meeting, e);
    if (rc) return rc;
    struct table *t;
    return op_give(c, cmt_report(c->db, meeting, date, &t, e), &t);
}
