/* html.c — escaping, the page frame, HTML tables and the translation hook
 * for the dashboard and the brief. */
#include "html.h"

#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void html_esc(struct buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        }
        if (!rep) continue;
        buf_append(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_append(b, run, (size_t)(s - run));
}

void html_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            const char *q = strchr(p, '%');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            buf_append(b, p, n);
            p += n - 1;
            continue;
        }
        p++;
        char spec[16] = "%";
        size_t k = 1;
        while (*p && strchr("0123456789.l", *p) && k < sizeof spec - 2)
            spec[k++] = *p++;
        spec[k++] = *p;
        spec[k] = 0;
        switch (*p) {
        case 's':
            html_esc(b, va_arg(ap, const char *));
            break;
        case 'd':
            if (strstr(spec, "ll"))
                buf_printf(b, spec, va_arg(ap, long long));
            else if (strchr(spec, 'l'))
                buf_printf(b, spec, va_arg(ap, long));
            else
                buf_printf(b, spec, va_arg(ap, int));
            break;
        case 'f':
            buf_printf(b, spec, va_arg(ap, double));
            break;
        case '%':
            buf_append(b, "%", 1);
            break;
        default:
            break;
        }
        if (!*p) break;
    }
    va_end(ap);
}

const char *html_css(void)
{
    const char *css = asset_get("data/web/style.css", NULL);
    return css ? css : "";
}

static const struct {
    const char *key, *href, *label;
} nav[] = {
    {"overview", "/", N_("Overview")},
    {"trade", "/trade", N_("Trade")},
    {"agreements", "/agreements", N_("Agreements")},
    {"access", "/access", N_("Market access")},
    {"shipments", "/shipments", N_("Shipments")},
    {"investment", "/investment", N_("Investment")},
    {"logistics", "/logistics", N_("Logistics")},
    {"tourism", "/tourism", N_("Tourism")},
    {"commitments", "/commitments", N_("Commitments")},
};

/* The page being made is printed (the brief): what folds on screen stays
 * open on paper. */
static _Thread_local int printing;

void html_fold_begin(struct buf *b, const char *summary, long count)
{
    html_printf(b,
                printing ? "<details class=\"fold\" open><summary>%s"
                         : "<details class=\"fold\"><summary>%s",
                summary);
    if (count > 0) html_printf(b, " (%ld)", count);
    buf_puts(b, "</summary>");
}

void html_page_begin(struct buf *b, const struct html_page *p)
{
    printing = p->self_contained;
    html_printf(b,
                "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                "<link rel=\"icon\" href=\"data:,\"><title>%s — corridor</title>",
                i18n_lang(), p->title);
    if (p->self_contained) {
        buf_puts(b, "<style>");
        buf_puts(b, html_css());
        buf_puts(b, "</style></head><body class=\"brief\">\n<main>\n");
        html_printf(b, "<h1>%s</h1>\n", p->title);
        return;
    }
    buf_puts(b, "<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>\n<header>"
                "<a class=\"brand\" href=\"/\">corridor</a><nav>");
    for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++)
        html_printf(b,
                    p->active && strcmp(p->active, nav[i].key) == 0
                        ? "<a href=\"%s\" aria-current=\"page\">%s</a>"
                        : "<a href=\"%s\">%s</a>",
                    nav[i].href, T(nav[i].label));
    buf_puts(b, "</nav><nav class=\"langs\" aria-label=\"Language\">");
    static const char *const names[I18N_NLANGS] = {"English", "Русский", "Қазақша", "中文"};
    for (int i = 0; i < I18N_NLANGS; i++)
        html_printf(b,
                    strcmp(i18n_lang(), i18n_lang_code(i)) == 0
                        ? "<a href=\"?%slang=%s\" lang=\"%s\" aria-current=\"true\">%s</a>"
                        : "<a href=\"?%slang=%s\" lang=\"%s\">%s</a>",
                    p->keep ? p->keep : "", i18n_lang_code(i), i18n_lang_code(i), names[i]);
    buf_puts(b, "</nav><div class=\"who\">");
    if (p->user) {
        html_printf(b,
                    "%s <a href=\"/account\"><b>%s</b></a> "
                    "<form method=\"post\" action=\"/logout\" class=\"inline\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<button type=\"submit\">%s</button></form>",
                    T("Signed in as"), p->user, p->csrf ? p->csrf : "", T("Sign out"));
    } else {
        html_printf(b, "<a href=\"/login\">%s</a>", T("Sign in"));
    }
    html_printf(b, "</div></header>\n<main>\n<h1>%s</h1>\n", p->title);
}

void html_page_end(struct buf *b, const struct html_page *p)
{
    html_printf(b, "</main>\n<footer>%s",
                T("Every figure names its source; rows from synthetic sources are demo data, "
                  "not published figures."));
    if (p->updated && *p->updated)
        html_printf(b, " %s: %s UTC.", T("Data last updated"), p->updated);
    if (!p->self_contained)
        html_printf(b, " <a href=\"/glossary\">%s</a> · <a href=\"/alerts\">%s</a>", T("Glossary"),
                    T("What needs attention"));
    buf_puts(b, "</footer>\n");
    if (!p->self_contained) buf_puts(b, "<script src=\"/static/app.js\" defer></script>");
    buf_puts(b, "</body></html>\n");
}

/* a / b rounded half away from zero (b > 0). */
static int64_t div_round(int64_t a, int64_t b)
{
    /* half away from zero, without adding to a (which may be near the limit) */
    int64_t q = a / b, r = a % b;
    if (r >= (b + 1) / 2) q++;
    if (r <= -(b + 1) / 2) q--;
    return q;
}

/* The download links of a table whose CSV is at csv_href (an API route with
 * format=csv): the CSV, a workbook, and CSV as Excel reads it in the
 * reader's language (a byte-order mark; ';' and decimal commas in Russian
 * and Kazakh). */
void html_downloads(struct buf *b, const char *csv_href)
{
    html_printf(b, " <a class=\"csv\" href=\"%s\" download>CSV</a>", csv_href);
    const char *at = strstr(csv_href, "format=csv");
    if (!at) return;
    char href[1024];
    snprintf(href, sizeof href, "%.*sformat=xlsx%s", (int)(at - csv_href), csv_href, at + 10);
    html_printf(b, " <a class=\"csv\" href=\"%s\" download>Excel</a>", href);
    snprintf(href, sizeof href, "%s&excel=1&lang=%s", csv_href, i18n_lang());
    html_printf(b, " <a class=\"csv\" href=\"%s\" download>%s</a>", href, T("CSV for Excel"));
}

void html_table(struct buf *b, const struct table *t, const char *csv_href)
{
    char tmp[64];
    size_t *idx = xcalloc(t->ncols ? t->ncols : 1, sizeof *idx);
    size_t nc = table_shown(t, idx);
    buf_puts(b, "<div class=\"tablewrap\"><table class=\"data sortable\">");
    html_printf(b, "<caption>%s", t->title[0] ? T(t->title) : t->name);
    if (csv_href) html_downloads(b, csv_href);
    buf_puts(b, "</caption><thead><tr>");
    /* money at the scale of the column's largest value; tonnes whole when
     * they are large; the exact value on hover */
    int *money = xcalloc(nc ? nc : 1, sizeof *money),
        *tonnes = xcalloc(nc ? nc : 1, sizeof *tonnes);
    char label[200];
    for (size_t k = 0; k < nc; k++) {
        const struct column *col = &t->cols[idx[k]];
        int64_t max = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const struct cell *x = table_cell(t, r, idx[k]);
            int64_t a = x->null ? 0 : x->i < 0 ? -x->i : x->i;
            if (a > max) max = a;
        }
        if (col->type == COL_MONEY) money[k] = max >= 100000000000LL ? 2 : max >= 100000000LL;
        if (col->type == COL_MASS) tonnes[k] = max >= 10000000LL;
        if (money[k])
            snprintf(label, sizeof label, "%s, %s", report_label_of(col->name),
                     money[k] == 2 ? T("US$ bn") : T("US$ million"));
        else
            report_label(t, idx[k], label, sizeof label);
        html_printf(b, /* the machine name, as in the CSV, on hover */
                    col->type == COL_TEXT ? "<th scope=\"col\" title=\"%s\">%s</th>"
                                          : "<th scope=\"col\" class=\"num\" title=\"%s\">%s</th>",
                    col->name, label);
    }
    buf_puts(b, "</tr></thead><tbody>");
    for (size_t r = 0; r < t->nrows; r++) {
        buf_puts(b, "<tr>");
        for (size_t k = 0; k < nc; k++) {
            size_t c = idx[k];
            const struct cell *x = table_cell(t, r, c);
            const char *s = report_cell_text(t, r, c, tmp, sizeof tmp);
            if (t->cols[c].type == COL_TEXT) {
                s = report_value_shown(t, c, s);
                /* codes, dates and references never wrap inside */
                int token = *s && !strchr(s, ' ') && strlen(s) <= 40;
                if (token && strchr(s, ',')) { /* a list of codes: it breaks after a comma only */
                    buf_puts(b, "<td>");
                    for (const char *p = s, *q; *p; p = q + (*q != 0)) {
                        q = p + strcspn(p, ",");
                        char part[48];
                        snprintf(part, sizeof part, "%.*s", (int)(q - p), p);
                        html_esc(b, part);
                        if (*q) buf_puts(b, ",<wbr>");
                    }
                    buf_puts(b, "</td>");
                    continue;
                }
                html_printf(b, token ? "<td class=\"tok\">%s</td>" : "<td>%s</td>", s);
                continue;
            }
            /* sort on the raw number, show it rounded and in the reader's way */
            char shown[64], local[96];
            if (!x->null && money[k] == 2) /* hundredths of a billion */
                dec_format_grouped(div_round(x->i, 1000000000), 2, shown, sizeof shown);
            else if (!x->null && money[k]) /* tenths of a million */
                dec_format_grouped(div_round(x->i, 10000000), 1, shown, sizeof shown);
            else if (!x->null && t->cols[c].type == COL_MONEY)
                dec_format_grouped(div_round(x->i, 100), 0, shown, sizeof shown);
            else if (!x->null && tonnes[k])
                dec_format_grouped(div_round(x->i, 1000000), 0, shown, sizeof shown);
            else if (!x->null && t->cols[c].type == COL_MASS)
                mass_format_t(x->i, 1, shown, sizeof shown);
            else if (!x->null && t->cols[c].type == COL_INT && llabs(x->i) >= 10000 &&
                     !report_is_id(t->cols[c].name))
                dec_format_grouped(x->i, 0, shown, sizeof shown); /* 15,000,000; never a year */
            else if (!x->null && t->cols[c].type == COL_REAL && fabs(x->d) >= 10000)
                real_format_grouped(x->d, t->cols[c].decimals, shown, sizeof shown);
            else
                str_copy(shown, s, sizeof shown);
            html_printf(b, "<td class=\"num\" data-v=\"%s\" title=\"%s\">%s</td>", s, s,
                        i18n_number(shown, local, sizeof local));
        }
        buf_puts(b, "</tr>");
    }
    free(money);
    free(tonnes);
    free(idx);
    if (!t->nrows)
        html_printf(b, "<tr><td colspan=\"%d\">%s</td></tr>", (int)(nc ? nc : 1),
                    t->empty ? T(t->empty) : T("No rows."));
    buf_puts(b, "</tbody></table>");
    if (t->nnotes) {
        /* a long list of sources and notes folds behind "Sources" */
        size_t len = 0;
        for (size_t n = 0; n < t->nnotes; n++)
            len += strlen(t->notes[n]);
        int fold = t->nnotes > 3 || len > 400;
        if (fold) html_fold_begin(b, T("Sources and notes"), (long)t->nnotes);
        buf_puts(b, "<ul class=\"notes\">");
        for (size_t n = 0; n < t->nnotes; n++) {
            char local[2400];
            html_printf(b, "<li>%s</li>", i18n_numbers_in(t->notes[n], local, sizeof local));
        }
        buf_puts(b, "</ul>");
        if (fold) buf_puts(b, "</details>");
    }
    buf_puts(b, "</div>\n");
}
