/* alerts.c — what needs attention, as the dashboard and the brief show it:
 * the alerts of `corridor alerts` as a list, each with its kind in the
 * reader's words, its subject, its reason and (on the dashboard) a link to
 * the page that tells more; the alerts page adds a date to look from and
 * the downloads. */
#include "http.h"

#include <string.h>

/* The list of alerts in t into b; links only when not self-contained. */
static void alert_list(struct buf *b, const struct table *t, int self_contained)
{
    if (!t->nrows) {
        html_printf(b, "<p class=\"allowed\">%s</p>", T(t->empty ? t->empty : ""));
        return;
    }
    buf_puts(b, "<ul class=\"alerts\">");
    int kind = table_find_col(t, "kind");
    for (size_t r = 0; r < t->nrows; r++) {
        const char *k = http_cell_str(t, r, "kind"), *page = http_cell_str(t, r, "page");
        html_printf(b, "<li><b>%s</b> %s: %s", report_value_shown(t, (size_t)kind, k),
                    http_cell_str(t, r, "subject"), http_cell_str(t, r, "reason"));
        if (!self_contained && page[0] == '/')
            html_printf(b, " <a href=\"%s\">%s</a>", page, T("more"));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul>");
}

int http_alerts_section(struct db *db, const struct ref *ref, struct buf *out, const char *date,
                        int self_contained, struct err *e)
{
    const char *pairs[] = {"date", date, NULL};
    struct op_call c;
    int rc = http_run_db(db, ref, "alerts", NULL, http_pairs, date ? pairs : pairs + 2, &c, e);
    if (!rc && c.nout) {
        http_section(out, T("What needs attention"));
        alert_list(out, c.out[0], self_contained);
    }
    op_call_free(&c);
    return rc;
}

int page_alerts(struct req *r, struct err *e)
{
    struct op_call c;
    if (http_run_query(r, "alerts", NULL, &c, e)) {
        op_call_free(&c);
        return http_send_error(r, e);
    }
    char today[11];
    date_today(today);
    const char *date = op_has(&c, "date") ? op_s(&c, "date") : today;
    struct html_page p;
    http_page_start(r, &p, T("What needs attention"), NULL);
    html_printf(&r->out,
                "<form class=\"filters\" method=\"get\" action=\"/alerts\"><label>%s"
                "<input type=\"date\" name=\"date\" value=\"%s\"></label>"
                "<button type=\"submit\">%s</button></form>",
                T("As on"), date, T("Show"));
    if (c.nout) {
        alert_list(&r->out, c.out[0], 0);
        for (size_t i = 0; i < c.out[0]->nnotes; i++)
            html_printf(&r->out, "<p class=\"source\">%s</p>", c.out[0]->notes[i]);
    }
    char csv[64];
    snprintf(csv, sizeof csv, "/api/v1/alerts?date=%s&format=csv", date);
    buf_puts(&r->out, "<p>");
    html_downloads(&r->out, csv);
    buf_puts(&r->out, "</p>");
    op_call_free(&c);
    return http_page_done(r, &p);
}
