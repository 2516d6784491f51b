/* commitments.c — the commitments page and the brief's opening section:
 * every commitment of the meetings as a card, the overdue and the at risk
 * first, each with its flag, a progress bar from the baseline to the target
 * (an overflow mark past 100%), the value and target in their units, the
 * reason for the flag, and how the indicator is defined and what the value
 * rests on. The page takes the date and the meeting from its query,
 * parsed by the report operation; the meetings follow as a table. */
#include "http.h"

#include "../commitments/commitments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The flags in the report's order, with their counts' wording. */
static const char *const flags[] = {N_("overdue"),  N_("at risk"), N_("no data"), N_("incomplete"),
                                    N_("on track"), N_("met"),     N_("done"),    N_("dropped")};

/* "f-at-risk" for "at risk". */
static const char *flag_class(const char *flag, char *out, size_t size)
{
    snprintf(out, size, "f-%s", flag);
    for (char *p = out; *p; p++)
        if (*p == ' ') *p = '-';
    return out;
}

/* A bar from the baseline (0%) to the target (100%); past 100% the bar is
 * full and a mark says so. */
static void progress_bar(struct buf *b, double pct, const char *cls)
{
    double w = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    html_printf(b,
                "<svg class=\"pbar\" viewBox=\"0 0 200 12\" role=\"img\" aria-label=\"%.0f%% %s\">"
                "<rect class=\"ptrack\" width=\"200\" height=\"12\" rx=\"3\"/>"
                "<rect class=\"pvalue %s\" width=\"%.1f\" height=\"12\" rx=\"3\"/>",
                pct, T("of the way to the target"), cls, 2 * w);
    if (pct > 100) html_printf(b, "<path class=\"pover\" d=\"M192 1 L199 6 L192 11 Z\"/>");
    html_printf(b, "</svg><span class=\"pnum\">%.0f%%</span>", pct);
}

/* The measured part of a card: bar, value against target, change. */
static void measured(struct buf *b, const struct table *t, size_t r, const char *cls)
{
    const struct cmt_indicator *in = cmt_indicator_find(http_cell_str(t, r, "indicator"));
    if (!in) return;
    char v[48], target[48], base[48], change[48];
    double value = http_cell_num(t, r, "value"), pct = http_cell_num(t, r, "progress_pct");
    cmt_human(in, http_cell_num(t, r, "target"), target, sizeof target);
    cmt_human(in, http_cell_num(t, r, "baseline"), base, sizeof base);
    html_printf(b, "<div class=\"cmt-measure\">");
    if (!isnan(pct)) progress_bar(b, pct, cls);
    html_printf(b, "<span class=\"cmt-value\">");
    if (isnan(value)) {
        html_printf(b, "%s", T("no value"));
    } else {
        cmt_human(in, value, v, sizeof v);
        html_printf(b, "<strong>");
        html_esc(b, v);
        html_printf(b, "</strong> (%s ", T("as of"));
        html_esc(b, http_cell_str(t, r, "value_at"));
        html_printf(b, ")");
    }
    html_printf(b, " · %s ", T("target"));
    html_esc(b, target);
    html_printf(b, " · %s ", T("baseline"));
    html_esc(b, base);
    double d = http_cell_num(t, r, "change_1y");
    if (!isnan(d)) {
        cmt_human(in, d, change, sizeof change);
        html_printf(b, " · %s %s", T("change over a year:"), d > 0 ? "+" : "");
        html_esc(b, change);
    }
    html_printf(b, "</span></div>");
}

/* How the indicator is defined and what the value rests on (the brief:
 * only the latter, as its source). */
static void basis(struct buf *b, const struct table *t, size_t r, int brief)
{
    const struct cmt_indicator *in = cmt_indicator_find(http_cell_str(t, r, "indicator"));
    if (!in) return;
    const char *basis = http_cell_str(t, r, "basis");
    if (brief) {
        if (*basis) {
            html_printf(b, "<p class=\"source\">");
            html_esc(b, basis);
            html_printf(b, "</p>");
        }
        return;
    }
    html_printf(b, "<details><summary>%s: ", T("How it is measured"));
    html_esc(b, T(in->label));
    html_printf(b, "</summary><p>");
    html_esc(b, T(in->definition));
    html_printf(b, "</p>");
    if (*basis) {
        html_printf(b, "<p class=\"source\">%s ", T("The value rests on:"));
        html_esc(b, basis);
        html_printf(b, "</p>");
    }
    html_printf(b, "</details>");
}

static void card(struct buf *b, const struct table *t, size_t r, int brief)
{
    char cls[32];
    const char *flag = http_cell_str(t, r, "flag");
    flag_class(flag, cls, sizeof cls);
    html_printf(b, "<li class=\"cmt %s\"><div class=\"cmt-head\"><span class=\"flag %s\">", cls,
                cls);
    html_esc(b, T(flag));
    html_printf(b, "</span> <strong>");
    html_esc(b, http_cell_str(t, r, "commitment"));
    html_printf(b, "</strong></div><div class=\"cmt-who\"><code>");
    html_esc(b, http_cell_str(t, r, "code"));
    html_printf(b, "</code> (%s <code>", T("meeting"));
    html_esc(b, http_cell_str(t, r, "meeting"));
    html_printf(b, "</code>) · ");
    html_esc(b, http_cell_str(t, r, "owner"));
    if (*http_cell_str(t, r, "counterpart")) {
        html_printf(b, " → ");
        html_esc(b, http_cell_str(t, r, "counterpart"));
    }
    html_printf(b, " · %s <time>", T("due"));
    html_esc(b, http_cell_str(t, r, "due"));
    html_printf(b, "</time> · %s ", T("reported as"));
    html_esc(b, T_in("commitments", http_cell_str(t, r, "status")));
    html_printf(b, "</div>");
    measured(b, t, r, cls);
    html_printf(b, "<p class=\"cmt-reason\">");
    html_esc(b, http_cell_str(t, r, "reason"));
    html_printf(b, "</p>");
    basis(b, t, r, brief);
    html_printf(b, "</li>");
}

/* "8 commitments as on D: 4 overdue, 1 at risk..." */
static void summary(struct buf *b, const struct table *t, const char *date)
{
    html_printf(b, "<p class=\"cmt-summary\">%ld %s <time>", (long)t->nrows,
                t->nrows == 1 ? T("commitment as on") : T("commitments as on"));
    html_esc(b, date);
    html_printf(b, "</time>:");
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        size_t n = 0;
        for (size_t r = 0; r < t->nrows; r++)
            n += strcmp(http_cell_str(t, r, "flag"), flags[f]) == 0;
        if (!n) continue;
        char cls[32];
        html_printf(b, " <span class=\"flag %s\">%ld ", flag_class(flags[f], cls, sizeof cls),
                    (long)n);
        html_esc(b, T(flags[f]));
        html_printf(b, "</span>");
    }
    html_printf(b, "</p>");
}

int http_commitments_cards(struct buf *b, const struct table *t, int brief)
{
    const char *date = t->nrows ? http_cell_str(t, 0, "as_on") : "";
    if (!t->nrows) {
        html_printf(b, "<p>");
        html_esc(b, t->empty ? t->empty : T("no commitments recorded"));
        html_printf(b, "</p>");
        return 0;
    }
    summary(b, t, date);
    html_printf(b, "<ul class=\"cmts\">");
    for (size_t r = 0; r < t->nrows; r++)
        card(b, t, r, brief);
    html_printf(b, "</ul>");
    return 0;
}

int http_commitments_section(struct db *db, const struct ref *ref, struct buf *b, const char *date,
                             const char *meeting, struct err *e)
{
    const char *kv[5] = {NULL};
    int k = 0;
    if (date) kv[k++] = "date", kv[k++] = date;
    if (meeting) kv[k++] = "meeting", kv[k++] = meeting;
    struct op_call c;
    http_section(b, T("Commitments"));
    int rc = http_run_db(db, ref, "commitments", "report", http_pairs, (void *)kv, &c, e);
    if (!rc && c.nout) http_commitments_cards(b, c.out[0], 1);
    op_call_free(&c);
    return rc;
}

/* The page's filter form: the date (the one the report used) and the
 * meeting, chosen from those recorded (m). */
static void filters(struct buf *b, const char *date, const char *meeting, const struct table *m)
{
    html_printf(b,
                "<form class=\"filters\" method=\"get\" action=\"/commitments\"><label>%s"
                "<input type=\"date\" name=\"date\" value=\"%s\"></label><label>%s"
                "<select name=\"meeting\"><option value=\"\">%s</option>",
                T("As on"), date, T("Meeting"), T("every meeting"));
    for (size_t r = 0; m && r < m->nrows; r++) {
        const char *code = http_cell_str(m, r, "code");
        html_printf(b, "<option value=\"%s\"%s>%s, %s: %s</option>", code,
                    meeting && strcmp(meeting, code) == 0 ? " selected" : "",
                    http_cell_str(m, r, "date"), http_cell_str(m, r, "place"),
                    http_cell_str(m, r, "title"));
    }
    html_printf(b, "</select></label><button>%s</button></form>", T("Show"));
}

int page_commitments(struct req *r, struct err *e)
{
    struct html_page p;
    struct op_call c, m;
    http_page_start(r, &p, T("Commitments and where they stand"), "commitments");
    int rc = http_run_query(r, "commitments", "meetings", &m, e);
    if (!rc)
        rc = http_run_query(r, "commitments", "report", &c, e);
    else
        op_call_init(&c, NULL);
    if (rc) {
        op_call_free(&c);
        op_call_free(&m);
        return http_send_error(r, e);
    }
    char today[11];
    date_today(today);
    filters(&r->out, op_has(&c, "date") ? op_s(&c, "date") : today,
            op_has(&c, "meeting") ? op_s(&c, "meeting") : NULL, m.nout ? m.out[0] : NULL);
    if (c.nout) http_commitments_cards(&r->out, c.out[0], 0);
    struct buf csv = {.max = 400};
    buf_printf(&csv, "/api/v1/commitments/report?format=csv");
    if (op_has(&c, "date")) buf_printf(&csv, "&date=%s", op_s(&c, "date"));
    if (op_has(&c, "meeting")) buf_printf(&csv, "&meeting=%s", op_s(&c, "meeting"));
    html_printf(&r->out, "<p><a class=\"csv\" href=\"%s\">%s</a></p>", csv.p,
                T("Every figure as a table (CSV)"));
    buf_free(&csv);
    http_section(&r->out, T("Meetings"));
    if (m.nout) html_table(&r->out, m.out[0], "/api/v1/commitments/meetings?format=csv");
    op_call_free(&c);
    op_call_free(&m);
    return http_page_done(r, &p);
}
