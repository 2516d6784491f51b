/* pages.c — the dashboard (server-rendered HTML with inline SVG charts) and
 * the brief. Each section states its facts as sentences citing their
 * sources, draws its chart, and shows the table behind it with a CSV link to
 * the API route that returns the same table. The brief is the same sections
 * in one self-contained page. */
#include "http.h"

#include <sodium.h>

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers over tables ---- */

/* Ends a fact's sentence with what it covers, when that needs saying, and
 * the source it rests on. */
static void cite_text(struct buf *b, const char *source, const char *coverage)
{
    if (coverage && *coverage) {
        buf_puts(b, " (");
        html_esc(b, coverage);
        buf_puts(b, ")");
    }
    buf_puts(b, ".");
    if (*source && strlen(source) > 240) { /* many sources: behind a fold */
        buf_puts(b, " ");
        html_fold_begin(b, T("Sources"), 0);
        buf_puts(b, "<cite>");
        html_esc(b, source);
        buf_puts(b, "</cite></details>");
    } else if (*source) {
        buf_puts(b, " <cite>");
        html_esc(b, source);
        buf_puts(b, "</cite>");
    }
    buf_puts(b, "</li>");
}

double http_cell_num(const struct table *t, size_t r, const char *col)
{
    int c = table_find_col(t, col);
    if (c < 0) return NAN;
    const struct cell *x = table_cell(t, r, (size_t)c);
    if (x->null) return NAN;
    if (t->cols[c].type == COL_MONEY) return (double)x->i / 100.0;
    if (t->cols[c].type == COL_MASS) return (double)x->i / 1e6;
    if (t->cols[c].type == COL_INT) return (double)x->i;
    if (t->cols[c].type == COL_TEXT) { /* an exact decimal given as text */
        char *end;
        double d = x->s ? strtod(x->s, &end) : NAN;
        return x->s && *x->s && !*end ? d : NAN;
    }
    return x->d;
}

const char *http_cell_str(const struct table *t, size_t r, const char *col)
{
    int c = table_find_col(t, col);
    if (c < 0) return "";
    const struct cell *x = table_cell(t, r, (size_t)c);
    return x->null || !x->s ? "" : x->s;
}

/* Dollars for people: billions, millions, or the amount itself. */
char *http_usd_words(double usd, char *out, size_t size)
{
    double a = fabs(usd);
    char local[64];
    const char *lang = i18n_lang();
    if (strcmp(lang, "zh") == 0) { /* 亿 (10^8) and 万 (10^4) */
        /* the scale chosen after rounding: 99.96亿 is 100亿, 9999.96万 is 1.0亿 */
        if (a >= 99.95e8) /* 315亿美元 */
            snprintf(out, size, "%.0f亿美元", usd / 1e8);
        else if (a >= 9999.95e4) /* 5.4亿美元: the same three figures as 543.0 m */
            snprintf(out, size, "%.1f亿美元", usd / 1e8);
        else if (a >= 1e4)
            snprintf(out, size, "%.1f万美元", usd / 1e4);
        else
            snprintf(out, size, "%.0f美元", usd);
        return out;
    }
    int scale = a >= 999.95e6 ? 2 : a >= 1e6 ? 1 : 0; /* 999.96 m is 1.0 bn */
    i18n_decimal(scale == 2 ? usd / 1e9
                 : scale    ? usd / 1e6
                            : usd,
                 scale ? 1 : 0, local, sizeof local);
    if (strcmp(lang, "en") == 0)
        snprintf(out, size, "US$ %s%s", local, scale == 2 ? " bn" : scale ? " m" : "");
    else /* 31,5 млрд долл. США */
        snprintf(out, size, "%s %s", local,
                 scale == 2 ? T("US$ bn")
                 : scale    ? T("US$ million")
                            : T("US$"));
    return out;
}

/* The source notes of a table, joined, for a <cite>. */
static void cite(struct buf *b, const struct table *t)
{
    int any = 0;
    static const char *const prefixes[] = {"Source: ", "Regional figures: "};
    for (size_t i = 0; i < t->nnotes; i++)
        for (size_t k = 0; k < 2; k++) {
            size_t n = strlen(prefixes[k]);
            if (strncmp(t->notes[i], prefixes[k], n) != 0) continue;
            buf_puts(b, any ? "; " : " <cite>");
            html_esc(b, t->notes[i] + n);
            any = 1;
        }
    if (any) buf_puts(b, "</cite>");
}

void http_section(struct buf *b, const char *title)
{
    html_printf(b, "<h2>%s</h2>\n", title);
}

/* The table of a chart, with the CSV link of its API route (not in the brief). */
static void table_for(struct buf *b, const struct table *t, const char *csv, int brief)
{
    html_table(b, t, brief ? NULL : csv);
}

static int latest_year(struct db *db, int *year, struct err *e)
{
    int rc = trade_latest_year(db, "KAZ", "CHN", year, e);
    if (!rc && !*year) *year = 2023;
    return rc;
}

/* The one date a page is "as of": the date asked (?date=), else the last
 * day with shipment data (a cap's fulfilment on a day after the data end
 * would read as nothing shipped), else today. why says which. */
static int as_of(struct req *r, char out[11], const char **why, struct err *e)
{
    const char *date = http_arg(r, "date");
    if (date_check(date, ERR_INPUT, "date", e)) return ERR_INPUT;
    if (date) return str_copy(out, date, 11), *why = T("the date asked"), 0;
    int rc = ship_latest_date(r->db, out, e);
    if (rc) return rc;
    *why = T("the last day with shipment data");
    if (!*out) date_today(out), *why = T("today");
    return 0;
}

/* States the page's date once, after lead ("As of"), with a form to
 * choose another. */
static void as_of_bar(struct buf *b, const char *date, const char *why, const char *lead)
{
    html_printf(b,
                "<form class=\"filters asof\" method=\"get\"><p>%s <b>%s</b> (%s)</p>"
                "<label>%s<input type=\"date\" name=\"date\" value=\"%s\"></label>"
                "<button>%s</button></form>",
                lead, date, why, T("Another date"), date, T("Show"));
}

/* ---- the sections shared by the overview and the brief ---- */

struct ctx {
    struct db *db;
    int year;
    int brief;
    const char *date; /* the day the page is as of: shipments arrived by then (NULL: all) */
};

/* A percentage with one decimal written the reader's way, signed (+30.7)
 * when sign is set. */
static const char *pct_text(double v, int sign, char out[32])
{
    char en[32];
    snprintf(en, sizeof en, sign ? "%+.1f" : "%.1f", v);
    return i18n_number(en, out, 32);
}

static int trade_section(struct buf *b, const struct ctx *c, struct err *e)
{
    struct trade_query kz = {.reporter = "KAZ", .partner = "CHN"};
    struct trade_query cn = {.reporter = "CHN", .partner = "KAZ", .years = 3};
    struct trade_query pr = {.reporter = "KAZ", .year = c->year, .top = 8};
    struct trade_query rg = {.region_country = "CHN", .partner = "KAZ", .year = c->year};
    struct table *tk = NULL, *tc = NULL, *tf = NULL, *tp = NULL, *tr = NULL;
    int rc = trade_totals(c->db, &kz, &tk, e);
    if (!rc) rc = trade_totals(c->db, &cn, &tc, e);
    if (!rc) rc = trade_partners(c->db, &pr, &tp, e);
    if (!rc) rc = trade_regions(c->db, &rg, &tr, e);
    struct err fe = {0};
    if (!rc && trade_forecast(c->db, &cn, &tf, &fe)) tf = NULL; /* too few years: no band */
    if (rc) goto out;

    char s1[80], s2[80];
    struct trade_fact fk, fc;
    struct trade_rank rank;
    struct trade_share xj;
    if ((rc = trade_fact_turnover(c->db, "KAZ", "CHN", c->year, &fk, e)) ||
        (rc = trade_fact_turnover(c->db, "CHN", "KAZ", c->year, &fc, e)) ||
        (rc = trade_fact_rank(c->db, "KAZ", "CHN", c->year, &rank, e)) ||
        (rc = trade_fact_region(c->db, "CHN", "CN-XJ", "KAZ", c->year, &xj, e)))
        goto out;
    http_section(b, T("Trade"));
    buf_puts(b, "<ul class=\"facts\">");
    char n1[32], n2[80];
    if (fk.found) {
        buf_puts(b, "<li>");
        html_printf(b, TF("Kazakhstan reports trade with China in %d: <b>%s</b>"), c->year,
                    http_usd_words((double)fk.value / 100, s1, sizeof s1));
        if (fk.growth_pct == fk.growth_pct)
            html_printf(b, TF(" (%s%% on the year before)"), pct_text(fk.growth_pct, 1, n1));
        cite_text(b, fk.source, fk.coverage);
    }
    if (fc.found) {
        buf_puts(b, "<li>");
        html_printf(b, TF("China's customs report trade with Kazakhstan in %d: <b>%s</b>"), c->year,
                    http_usd_words((double)fc.value / 100, s1, sizeof s1));
        if (fc.growth_pct == fc.growth_pct)
            html_printf(b, " (%s%%)", pct_text(fc.growth_pct, 1, n1));
        if (fk.found && !fk.part && !fc.part) /* a gap between part years says nothing */
            html_printf(b,
                        TF("; the mirror gap is %s (imports are valued CIF, exports FOB; timing "
                           "and transit differ)"),
                        http_usd_words((double)(fc.value - fk.value) / 100, s2, sizeof s2));
        cite_text(b, fc.source, fc.coverage);
    }
    if (rank.found) {
        buf_puts(b, "<li>");
        html_printf(b,
                    TF("China ranks <b>%d</b> among Kazakhstan's trading partners in %d, with "
                       "<b>%s%%</b> of its trade"),
                    rank.rank, c->year, pct_text(rank.share_pct, 0, n1));
        cite_text(b, rank.source, NULL);
    }
    if (xj.found) {
        buf_puts(b, "<li>");
        html_printf(
            b, TF("Xinjiang accounts for <b>%s%%</b> of China's trade with Kazakhstan in %d (%s)"),
            pct_text(xj.share_pct, 0, n1), c->year,
            http_usd_words((double)xj.value / 100, s1, sizeof s1));
        cite_text(b, xj.source, NULL);
    }
    const char *model = "";
    for (size_t i = 0; tf && i < tf->nnotes; i++)
        if (strncmp(tf->notes[i], "Model: ", 7) == 0) model = tf->notes[i];
    for (size_t r = 0; tf && r < tf->nrows; r++) {
        if (strcmp(http_cell_str(tf, r, "kind"), "forecast") != 0) continue;
        buf_puts(b, "<li>");
        html_printf(b,
                    TF("Projection of China-reported trade for %d: <b>%s</b> (80%%: %s to %s). %s"),
                    (int)http_cell_num(tf, r, "year"),
                    http_usd_words(http_cell_num(tf, r, "value_usd"), s1, sizeof s1),
                    http_usd_words(http_cell_num(tf, r, "lo80_usd"), s2, sizeof s2),
                    http_usd_words(http_cell_num(tf, r, "hi80_usd"), n2, sizeof n2), model);
        cite(b, tf);
        buf_puts(b, "</li>");
        break;
    }
    buf_puts(b, "</ul>\n");

    /* the chart: both sides by year, with the projection band */
    int y0 = 9999, y1 = 0;
    const struct table *all[3] = {tk, tc, tf};
    for (int k = 0; k < 3; k++)
        for (size_t r = 0; all[k] && r < all[k]->nrows; r++) {
            int y = (int)http_cell_num(all[k], r, "year");
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    size_t n = y1 >= y0 ? (size_t)(y1 - y0 + 1) : 0;
    double *x = xcalloc(n + 1, sizeof *x), *vk = xcalloc(n + 1, sizeof *x),
           *vc = xcalloc(n + 1, sizeof *x), *lo95 = xcalloc(n + 1, sizeof *x),
           *hi95 = xcalloc(n + 1, sizeof *x), *lo80 = xcalloc(n + 1, sizeof *x),
           *hi80 = xcalloc(n + 1, sizeof *x), *vf = xcalloc(n + 1, sizeof *x);
    for (size_t i = 0; i < n; i++) {
        x[i] = y0 + (int)i;
        vk[i] = vc[i] = lo95[i] = hi95[i] = lo80[i] = hi80[i] = vf[i] = NAN;
    }
    for (size_t r = 0; r < tk->nrows; r++)
        vk[(int)http_cell_num(tk, r, "year") - y0] = http_cell_num(tk, r, "turnover_usd") / 1e9;
    for (size_t r = 0; r < tc->nrows; r++)
        vc[(int)http_cell_num(tc, r, "year") - y0] = http_cell_num(tc, r, "turnover_usd") / 1e9;
    if (tf) {
        for (size_t r = 0; r < tf->nrows; r++) {
            size_t i = (size_t)((int)http_cell_num(tf, r, "year") - y0);
            if (strcmp(http_cell_str(tf, r, "kind"), "forecast") != 0) {
                if (r + 1 < tf->nrows && strcmp(http_cell_str(tf, r + 1, "kind"), "forecast") == 0)
                    vf[i] = lo95[i] = hi95[i] = lo80[i] = hi80[i] =
                        http_cell_num(tf, r, "value_usd") /
                        1e9; /* the band starts at the last actual */
                continue;
            }
            vf[i] = http_cell_num(tf, r, "value_usd") / 1e9;
            lo95[i] = http_cell_num(tf, r, "lo95_usd") / 1e9;
            hi95[i] = http_cell_num(tf, r, "hi95_usd") / 1e9;
            lo80[i] = http_cell_num(tf, r, "lo80_usd") / 1e9;
            hi80[i] = http_cell_num(tf, r, "hi80_usd") / 1e9;
        }
    }
    char desc[400];
    snprintf(desc, sizeof desc, "%s %d–%d; %s",
             T("Bilateral trade by year as each side reports it"), y0, y1,
             T("the shaded band is the projection's 80% and 95% interval."));
    struct chart ch = {.id = "chart-bilateral",
                       .title = T("Kazakhstan–China trade, both sides"),
                       .desc = desc,
                       .xlabel = T("Year"),
                       .ylabel = T("Turnover, US$ bn"),
                       .n = n,
                       .x = x,
                       .nseries = tf ? 3 : 2,
                       .unit = "bn",
                       .lo95 = tf ? lo95 : NULL,
                       .hi95 = tf ? hi95 : NULL,
                       .lo80 = tf ? lo80 : NULL,
                       .hi80 = tf ? hi80 : NULL,
                       .highlight = -1};
    ch.series[0].name = T("reported by Kazakhstan");
    ch.series[0].v = vk;
    ch.series[1].name = T("reported by China");
    ch.series[1].v = vc;
    ch.series[2].name = T("projection");
    ch.series[2].v = vf;
    buf_puts(b, "<div class=\"grid2\"><div class=\"card\">");
    svg_line(b, &ch);
    table_for(b, tc, "/api/v1/trade/totals?reporter=CHN&partner=KAZ&format=csv", c->brief);
    table_for(b, tk, "/api/v1/trade/totals?reporter=KAZ&partner=CHN&format=csv", c->brief);
    if (tf)
        table_for(b, tf, "/api/v1/trade/forecast?reporter=CHN&partner=KAZ&format=csv", c->brief);
    buf_puts(b, "</div><div class=\"card\">");
    free(x), free(vk), free(vc), free(lo95), free(hi95), free(lo80), free(hi80), free(vf);

    /* partners ranking, China highlighted */
    const char **labels = xcalloc(tp->nrows + 1, sizeof *labels);
    double *v = xcalloc(tp->nrows + 1, sizeof *v);
    int hl = -1;
    for (size_t r = 0; r < tp->nrows; r++) {
        labels[r] = http_cell_str(tp, r, "name");
        v[r] = http_cell_num(tp, r, "turnover_usd") / 1e9;
        if (strcmp(http_cell_str(tp, r, "partner"), "CHN") == 0) hl = (int)r;
    }
    char title[400], csv[160];
    snprintf(title, sizeof title, "%s, %d", T("Kazakhstan's largest trading partners"), c->year);
    snprintf(desc, sizeof desc, "%s %d.", T("Turnover with each partner as Kazakhstan reports it,"),
             c->year);
    struct chart pc = {.id = "chart-partners",
                       .title = title,
                       .desc = desc,
                       .xlabel = T("Turnover, US$ bn"),
                       .n = tp->nrows,
                       .labels = labels,
                       .nseries = 1,
                       .highlight = hl,
                       .unit = "bn"};
    pc.series[0].name = T("turnover");
    pc.series[0].v = v;
    svg_hbars(b, &pc);
    snprintf(csv, sizeof csv, "/api/v1/trade/partners?reporter=KAZ&year=%d&top=8&format=csv",
             c->year);
    table_for(b, tp, csv, c->brief);
    free(labels);
    free(v);

    /* Xinjiang's share */
    if (xj.found) {
        double part = (double)xj.value / 1e11, total = (double)xj.total / 1e11;
        const char *ls[2] = {T("Xinjiang"), T("rest of China")};
        double vs[2] = {part, total - part};
        snprintf(title, sizeof title, "%s, %d", T("Xinjiang's share of China–Kazakhstan trade"),
                 c->year);
        char pct[32], of[80], whole[80];
        snprintf(desc, sizeof desc,
                 TF("Xinjiang's share of the China-reported bilateral trade: %s%% (%s of %s)."),
                 pct_text(xj.share_pct, 0, pct), http_usd_words(part * 1e9, of, sizeof of),
                 http_usd_words(total * 1e9, whole, sizeof whole));
        svg_share(b, "chart-xinjiang", title, desc, ls, vs, 2, "bn");
    }
    snprintf(csv, sizeof csv,
             "/api/v1/trade/regions?reporter_country=CHN&partner=KAZ&year=%d&format=csv", c->year);
    table_for(b, tr, csv, c->brief);
    buf_puts(b, "</div></div>\n");
out:
    table_free(tk);
    table_free(tc);
    table_free(tf);
    table_free(tp);
    table_free(tr);
    return rc;
}

static int agreements_section(struct buf *b, const struct ctx *c, const char *date, struct err *e)
{
    struct table *t;
    int rc = ship_fulfilment(c->db, NULL, NULL, date, &t, e);
    if (rc) return rc;
    http_section(b, T("Supply agreements"));
    buf_puts(b, "<ul class=\"facts\">");
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(http_cell_str(t, r, "commodity"), "all") != 0) continue;
        double pct = http_cell_num(t, r, "pct_of_cap");
        if (pct != pct) continue;
        char declared[40], cap[40], num[48], pct_s[32];
        dec_format_grouped(llround(http_cell_num(t, r, "declared_t")), 0, num, sizeof num);
        i18n_number(num, declared, sizeof declared);
        dec_format_grouped(llround(http_cell_num(t, r, "cap_t")), 0, num, sizeof num);
        i18n_number(num, cap, sizeof cap);
        pct_text(pct, 0, pct_s);
        buf_puts(b, "<li>");
        html_printf(b, TF("Agreement <b>%s</b>, %s: %s t declared of a cap of %s t (<b>%s%%</b>)"),
                    http_cell_str(t, r, "agreement"), http_cell_str(t, r, "period"), declared, cap,
                    pct_s);
        if (*http_cell_str(t, r, "flag")) html_printf(b, " — %s", T(http_cell_str(t, r, "flag")));
        buf_puts(b, ".</li>");
    }
    buf_puts(b, "</ul><div class=\"gauges\">");
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(http_cell_str(t, r, "commodity"), "all") != 0) continue;
        double pct = http_cell_num(t, r, "pct_of_cap");
        if (pct != pct) continue;
        char id[96], title[160], desc[400], n[32];
        snprintf(id, sizeof id, "gauge-%zu", r);
        snprintf(title, sizeof title, "%s %s", http_cell_str(t, r, "agreement"),
                 http_cell_str(t, r, "period"));
        snprintf(desc, sizeof desc, TF("%s %s: %s%% of the annual cap declared"),
                 http_cell_str(t, r, "agreement"), http_cell_str(t, r, "period"),
                 pct_text(pct, 0, n));
        svg_gauge(b, id, title, desc, pct);
    }
    buf_puts(b, "</div>");
    /* what fits a page: the tonnes against the cap; every column in the CSV */
    static const char *const shown[] = {"agreement",   "period",      "commodity",   "cap_t",
                                        "declared_t",  "delivered_t", "remaining_t", "pct_of_cap",
                                        "projected_t", "flag",        NULL};
    static const char *const printed[] = {"agreement",  "period",     "commodity",
                                          "cap_t",      "declared_t", "delivered_t",
                                          "pct_of_cap", "flag",       NULL};
    struct table *narrow = table_select(t, c->brief ? printed : shown);
    /* the download holds what the page shows: as of its date */
    char csv[96];
    snprintf(csv, sizeof csv, "/api/v1/agreements/fulfilment?format=csv%s%s", date ? "&date=" : "",
             date ? date : "");
    table_for(b, narrow, csv, c->brief);
    table_free(narrow);
    table_free(t);
    return 0;
}

static int access_section(struct buf *b, const struct ctx *c, struct err *e)
{
    struct table *t;
    int rc = access_barriers_list(c->db, "in force", &t, e);
    if (rc) return rc;
    http_section(b, T("Market access"));
    buf_puts(b, "<ul class=\"facts\">");
    for (size_t r = 0; r < t->nrows; r++)
        html_printf(b, "<li>%s %s (%s): %s — %s %s.</li>", T("Barrier"),
                    http_cell_str(t, r, "code"), http_cell_str(t, r, "ntm"),
                    http_cell_str(t, r, "title"), T("in force since"),
                    http_cell_str(t, r, "in_force"));
    buf_puts(b, "</ul>");
    /* the trade each barrier affects; the rest is in the facts above and the CSV */
    static const char *const shown[] = {"code",       "hs",        "status",      "in_force",
                                        "trade_year", "trade_usd", "trade_basis", NULL};
    struct table *narrow = table_select(t, shown);
    table_for(b, narrow, "/api/v1/access/barriers?format=csv", c->brief);
    table_free(narrow);
    table_free(t);
    return 0;
}

/* The fewest shipments a month of crossing times needs to be charted. */
#define CROSS_MIN_SHIPMENTS 3

static int shipments_section(struct buf *b, const struct ctx *c, struct err *e)
{
    struct ship_filter f = {.to = c->date};
    struct table *t;
    int rc = ship_crossing_times(c->db, &f, &t, e);
    if (rc) return rc;
    http_section(b, T("Border crossings"));
    /* the median of monthly medians per crossing, for the chart */
    const char *names[16];
    double med[16], p90[16];
    size_t n = 0;
    /* a month counts when it rests on CROSS_MIN_SHIPMENTS shipments or more:
     * a "worst month" of one shipment says nothing */
    long used = 0, all = 0;
    for (size_t r = 0; r < t->nrows && n < 16; r++) {
        long ships = lround(http_cell_num(t, r, "shipments"));
        all += ships;
        if (ships < CROSS_MIN_SHIPMENTS) continue;
        used += ships;
        const char *x = http_cell_str(t, r, "crossing");
        size_t k = 0;
        while (k < n && strcmp(names[k], x) != 0)
            k++;
        if (k == n) names[n] = x, med[n] = 0, p90[n] = 0, n++;
        if (http_cell_num(t, r, "median_h") > med[k]) med[k] = http_cell_num(t, r, "median_h");
        if (http_cell_num(t, r, "p90_h") > p90[k]) p90[k] = http_cell_num(t, r, "p90_h");
    }
    char desc[400];
    snprintf(
        desc, sizeof desc, "%s %ld %s %ld.",
        T("The highest monthly median and 90th percentile of hours from arrival at the crossing to "
          "exit, per crossing, over months of 3 shipments or more: shipments used"),
        used, T("of"), all);
    struct chart ch = {.id = "chart-crossings",
                       .title = T("Time to cross, hours (worst month)"),
                       .desc = desc,
                       .xlabel = T("Border crossing"),
                       .ylabel = T("Hours"),
                       .n = n,
                       .labels = names,
                       .nseries = 2,
                       .unit = "h",
                       .highlight = -1};
    ch.series[0].name = T("median");
    ch.series[0].v = med;
    ch.series[1].name = T("90th percentile");
    ch.series[1].v = p90;
    if (n)
        svg_bars(b, &ch);
    else if (t->nrows)
        html_printf(b, "<p>%s</p>",
                    T("No month has enough shipments at one crossing to chart its worst month "
                      "(3 or more); the table has every month."));
    html_printf(b, "<p class=\"source\">%s</p>", desc);
    char csv[96];
    snprintf(csv, sizeof csv, "/api/v1/shipments/crossing-times?format=csv%s%s",
             c->date ? "&to=" : "", c->date ? c->date : "");
    table_for(b, t, csv, c->brief);
    table_free(t);
    return 0;
}

/* Appends s to b, URL-encoded. */
static void url_encode(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (isalnum(*p) || strchr("-_.~", *p))
            buf_append(b, (const char *)p, 1);
        else
            buf_printf(b, "%%%02X", *p);
}

/* Appends name=value& (URL-encoded) for each query argument but the language. */
static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind, const char *name,
                                const char *value)
{
    (void)kind;
    struct buf *b = cls;
    if (!name || strcmp(name, "lang") == 0) return MHD_YES;
    url_encode(b, name);
    buf_puts(b, "=");
    url_encode(b, value ? value : "");
    buf_puts(b, "&");
    return MHD_YES;
}

void http_page_start(struct req *r, struct html_page *p, const char *title, const char *active)
{
    p->title = title;
    p->active = active;
    p->user = r->user.name[0] ? r->user.name : NULL;
    p->csrf = r->csrf;
    p->self_contained = 0;
    /* the language links keep what the page shows (a short enough query) */
    buf_reset(&r->keep);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, keep_arg, &r->keep);
    p->keep = r->keep.len && r->keep.len <= 1024 ? r->keep.p : NULL;
    buf_reset(&r->out);
    html_page_begin(&r->out, p);
}

/* When the data last changed: the latest audited write ("" when none). */
static void last_update(struct db *db, char out[24])
{
    struct err e = {0};
    out[0] = 0;
    /* the last row, by its key: every page asks, so no scan of the whole log */
    if (db_lookup(db, &e, out, 24,
                  "SELECT replace(substr(at, 1, 16), 'T', ' ') FROM audit ORDER BY id DESC LIMIT 1",
                  NULL) < 0)
        out[0] = 0; /* the footer then says nothing, rather than something wrong */
}

int http_page_done(struct req *r, struct html_page *p)
{
    char updated[24];
    last_update(r->db, updated);
    p->updated = updated;
    html_page_end(&r->out, p);
    r->status = 200;
    r->ctype = "text/html; charset=utf-8";
    r->cacheable = 1; /* a signed-in reader's page is cached under its session */
    return 0;
}

static int year_arg(struct req *r, int *year, struct err *e)
{
    long y = 0;
    const char *v = http_arg(r, "year");
    if (v && int_parse(v, 1900, 2200, &y, e)) {
        err_at(e, NULL, 0, 0, "year");
        return http_send_error(r, e), ERR_USAGE;
    }
    if (y) return *year = (int)y, 0;
    if (latest_year(r->db, year, e)) return http_send_error(r, e), ERR_DB;
    return 0;
}

int page_overview(struct req *r, struct err *e)
{
    struct html_page p;
    struct ctx c = {r->db, 0, 0};
    if (year_arg(r, &c.year, e)) return 0;
    char title[400];
    snprintf(title, sizeof title, "%s, %d", T("Kazakhstan–China cooperation"), c.year);
    char date[11];
    const char *why;
    if (as_of(r, date, &why, e)) return http_send_error(r, e);
    http_page_start(r, &p, title, "overview");
    char lead[400];
    snprintf(lead, sizeof lead, TF("Trade figures for %d; agreements and shipments as of"), c.year);
    as_of_bar(&r->out, date, why, lead);
    int rc = trade_section(&r->out, &c, e);
    if (!rc) rc = agreements_section(&r->out, &c, date, e);
    if (!rc) rc = access_section(&r->out, &c, e);
    c.date = date;
    if (!rc) rc = shipments_section(&r->out, &c, e);
    struct inv_filter kaz = {.kind = "investment", .host = "KAZ"};
    if (!rc) rc = http_invest_notice(&r->out, r->db, &kaz, HTTP_INVEST_OVERVIEW, e);
    if (rc) return http_send_error(r, e);
    return http_page_done(r, &p);
}

int page_trade(struct req *r, struct err *e)
{
    struct html_page p;
    int year;
    if (year_arg(r, &year, e)) return 0;
    http_page_start(r, &p, T("Trade"), "trade");
    struct buf *b = &r->out;
    html_printf(b,
                "<form class=\"filters\" method=\"get\"><label>%s<input name=\"year\" "
                "value=\"%d\" size=\"5\"></label><button>%s</button></form>",
                T("Year"), year, T("Show"));
    const char *flows[2] = {"X", "M"};
    const char *names[2] = {T("Kazakhstan's exports to China"),
                            T("Kazakhstan's imports from China")};
    for (int k = 0; k < 2; k++) {
        struct trade_query q = {.reporter = "KAZ",
                                .partner = "CHN",
                                .year = year,
                                .level = 4,
                                .top = 10,
                                .flow = flows[k]};
        struct table *t;
        if (trade_goods(r->db, &q, &t, e)) return http_send_error(r, e);
        const char **labels = xcalloc(t->nrows + 1, sizeof *labels);
        double *v = xcalloc(t->nrows + 1, sizeof *v);
        for (size_t i = 0; i < t->nrows; i++) {
            labels[i] = http_cell_str(t, i, "hs");
            v[i] = http_cell_num(t, i, "value_usd") / 1e6;
        }
        char title[400], desc[200], csv[200];
        snprintf(title, sizeof title, "%s, %d (%s)", names[k], year, T("HS headings"));
        snprintf(desc, sizeof desc, "%s %d, %s", names[k], year,
                 T("the ten largest HS headings, US$ million."));
        struct chart ch = {.id = k ? "chart-imports" : "chart-exports",
                           .title = title,
                           .desc = desc,
                           .xlabel = T("US$ million"),
                           .n = t->nrows,
                           .labels = labels,
                           .nseries = 1,
                           .highlight = -1,
                           .unit = "m"};
        ch.series[0].name = T("value");
        ch.series[0].v = v;
        buf_puts(b, "<div class=\"card\">");
        svg_hbars(b, &ch);
        snprintf(csv, sizeof csv,
                 "/api/v1/trade/goods?reporter=KAZ&partner=CHN&year=%d&level=4&top=10&flow=%s&"
                 "format=csv",
                 year, flows[k]);
        html_table(b, t, csv);
        buf_puts(b, "</div>");
        free(labels);
        free(v);
        table_free(t);
    }
    /* the mirror: each direction's two figures by year */
    struct trade_query mq = {.reporter = "KAZ", .partner = "CHN"};
    struct table *m;
    if (trade_mirror(r->db, &mq, &m, e)) return http_send_error(r, e);
    http_section(b, T("Mirror comparison"));
    const char *labels[32];
    double ex[32], im[32];
    char lab[32][24];
    size_t n = 0;
    for (size_t i = 0; i < m->nrows && n < 32; i++) {
        snprintf(lab[n], sizeof lab[n], "%d %s", (int)http_cell_num(m, i, "year"),
                 http_cell_str(m, i, "direction"));
        labels[n] = lab[n];
        /* coloured by who reports, as on every chart: Kazakhstan's figure is
         * the exporter's on its exports and the importer's on its imports */
        int kz_exports = strncmp(http_cell_str(m, i, "direction"), "KAZ", 3) == 0;
        double x = http_cell_num(m, i, "exporter_reports_usd") / 1e9,
               y = http_cell_num(m, i, "importer_reports_usd") / 1e9;
        ex[n] = kz_exports ? x : y;
        im[n] = kz_exports ? y : x;
        n++;
    }
    struct chart ch = {.id = "chart-mirror",
                       .title = T("What each side reports of the same flow"),
                       .desc = T("For each year and direction: Kazakhstan's figure and China's, "
                                 "US$ bn; the exporter values the flow FOB, the importer CIF."),
                       .xlabel = T("Year and direction"),
                       .ylabel = T("US$ bn"),
                       .n = n,
                       .labels = labels,
                       .nseries = 2,
                       .unit = "bn",
                       .highlight = -1};
    ch.series[0].name = T("reported by Kazakhstan");
    ch.series[0].v = ex;
    ch.series[1].name = T("reported by China");
    ch.series[1].v = im;
    svg_bars(b, &ch);
    html_table(b, m, "/api/v1/trade/mirror?a=KAZ&b=CHN&format=csv");
    table_free(m);
    return http_page_done(r, &p);
}

int page_agreements(struct req *r, struct err *e)
{
    struct html_page p;
    char date[11];
    const char *why;
    if (as_of(r, date, &why, e)) return http_send_error(r, e);
    http_page_start(r, &p, T("Agreements"), "agreements");
    struct ctx c = {r->db, 0, 0};
    as_of_bar(&r->out, date, why, T("As of"));
    if (agreements_section(&r->out, &c, date, e)) return http_send_error(r, e);
    struct table *t;
    if (agr_list(r->db, date, &t, e)) return http_send_error(r, e);
    http_section(&r->out, T("Agreements and their terms"));
    char csv[96];
    snprintf(csv, sizeof csv, "/api/v1/agreements/list?format=csv&date=%s", date);
    html_table(&r->out, t, csv);
    table_free(t);
    return http_page_done(r, &p);
}

/* Rules in force as a matrix: a row per product and direction, a column per
 * exporting region (the whole country first), the status in each cell. */
static void rules_matrix(struct buf *b, const struct table *t, const char *date)
{
    const char *rows[64], *cols[32];
    size_t nr = 0, nc = 1;
    cols[0] = "";
    for (size_t i = 0; i < t->nrows; i++) {
        const char *reg = http_cell_str(t, i, "region");
        size_t k = 0;
        while (k < nc && strcmp(cols[k], reg) != 0)
            k++;
        if (k == nc && nc < 32) cols[nc++] = reg;
    }
    char keys[64][48];
    for (size_t i = 0; i < t->nrows && nr < 64; i++) {
        char key[48];
        snprintf(key, sizeof key, "%s %s→%s", http_cell_str(t, i, "hs"),
                 http_cell_str(t, i, "from"), http_cell_str(t, i, "to"));
        size_t k = 0;
        while (k < nr && strcmp(keys[k], key) != 0)
            k++;
        if (k == nr) {
            str_copy(keys[nr], key, sizeof keys[nr]);
            rows[nr] = keys[nr];
            nr++;
        }
    }
    char title[400];
    snprintf(title, sizeof title, "%s %s", T("Rules in force on"), date);
    http_section(b, title);
    html_printf(b,
                "<div class=\"tablewrap\"><table class=\"data matrix\"><caption>%s</caption>"
                "<thead><tr><th scope=\"col\">%s</th>",
                T("Status by product and exporting region (the most specific rule applies)"),
                T("HS, direction"));
    for (size_t c = 0; c < nc; c++)
        html_printf(b, "<th scope=\"col\">%s</th>", *cols[c] ? cols[c] : T("whole country"));
    buf_puts(b, "</tr></thead><tbody>");
    for (size_t k = 0; k < nr; k++) {
        html_printf(b, "<tr><th scope=\"row\">%s</th>", rows[k]);
        for (size_t c = 0; c < nc; c++) {
            const char *status = "", *docs = "";
            for (size_t i = 0; i < t->nrows; i++) {
                char key[48];
                snprintf(key, sizeof key, "%s %s→%s", http_cell_str(t, i, "hs"),
                         http_cell_str(t, i, "from"), http_cell_str(t, i, "to"));
                if (strcmp(key, rows[k]) == 0 &&
                    strcmp(http_cell_str(t, i, "region"), cols[c]) == 0)
                    status = http_cell_str(t, i, "status"), docs = http_cell_str(t, i, "documents");
            }
            html_printf(b, "<td class=\"st-%s\" title=\"%s\">%s</td>", status, docs,
                        *status ? T(status) : (c ? "—" : ""));
        }
        buf_puts(b, "</tr>");
    }
    buf_puts(b, "</tbody></table></div>\n");
}

int page_access(struct req *r, struct err *e)
{
    struct html_page p;
    http_page_start(r, &p, T("Market access"), "access");
    struct buf *b = &r->out;
    const char *hs = http_arg(r, "hs"), *from = http_arg(r, "from"), *to = http_arg(r, "to");
    const char *region = http_arg(r, "region"), *plant = http_arg(r, "plant");
    const char *docs = http_arg(r, "docs"), *date = http_arg(r, "date");
    html_printf(b,
                "<form class=\"filters\" method=\"get\" id=\"check\">"
                "<label>HS<input name=\"hs\" value=\"%s\" size=\"8\"></label>"
                "<label>%s<input name=\"from\" value=\"%s\" size=\"5\"></label>"
                "<label>%s<input name=\"region\" value=\"%s\" size=\"6\"></label>"
                "<label>%s<input name=\"to\" value=\"%s\" size=\"5\"></label>"
                "<label>%s<input name=\"plant\" value=\"%s\" size=\"18\"></label>"
                "<label>%s<input name=\"docs\" value=\"%s\" size=\"22\"></label>"
                "<label>%s<input name=\"date\" value=\"%s\" size=\"11\"></label>"
                "<button>%s</button></form>",
                hs ? hs : "0202", T("From"), from ? from : "KAZ", T("Region"), region ? region : "",
                T("To"), to ? to : "CHN", T("Registered plant"), plant ? plant : "", T("Documents"),
                docs ? docs : "vet-cert", T("Date"), date ? date : "", T("Check"));
    if (hs && from && to) {
        struct op_call c;
        if (http_run_query(r, "access", "check", &c, e)) {
            html_printf(b, "<p class=\"error\">%s%s%s</p>", e->field, e->field[0] ? ": " : "",
                        e->msg);
            err_clear(e);
        } else {
            html_printf(b, "<p class=\"%s\">%s</p>", c.verdict == 1 ? "allowed" : "refused",
                        c.verdict == 1 ? T("Allowed") : T("Refused"));
            html_table(b, c.out[0], NULL);
        }
        op_call_free(&c);
    }
    struct table *t;
    char today[11];
    date_today(today);
    if (date_check(date, ERR_INPUT, "date", e)) return http_send_error(r, e);
    if (access_rules_list(r->db, NULL, NULL, NULL, date ? date : today, &t, e))
        return http_send_error(r, e);
    rules_matrix(b, t, date ? date : today);
    table_free(t);
    if (access_rules_list(r->db, NULL, NULL, NULL, date, &t, e)) return http_send_error(r, e);
    http_section(b, T("Rules"));
    char csv[96];
    snprintf(csv, sizeof csv, "/api/v1/access/rules?format=csv%s%s", date ? "&date=" : "",
             date ? date : "");
    html_table(b, t, csv);
    table_free(t);
    if (access_plants_list(r->db, NULL, date ? date : today, &t, e)) return http_send_error(r, e);
    http_section(b, T("Registered establishments"));
    snprintf(csv, sizeof csv, "/api/v1/access/plants?format=csv&date=%s", date ? date : today);
    html_table(b, t, csv);
    table_free(t);
    struct ctx c = {r->db, 0, 0};
    if (access_section(b, &c, e)) return http_send_error(r, e);
    return http_page_done(r, &p);
}

int page_shipments(struct req *r, struct err *e)
{
    struct html_page p;
    struct ship_filter f = {http_arg(r, "agreement"), http_arg(r, "status"),
                            http_arg(r, "crossing"),  http_arg(r, "from"),
                            http_arg(r, "to"),        NULL};
    http_page_start(r, &p, T("Shipments"), "shipments");
    struct buf *b = &r->out;
    html_printf(b,
                "<form class=\"filters\" method=\"get\">"
                "<label>%s<input name=\"agreement\" value=\"%s\" size=\"16\"></label>"
                "<label>%s<input name=\"status\" value=\"%s\" size=\"10\"></label>"
                "<label>%s<input name=\"crossing\" value=\"%s\" size=\"12\"></label>"
                "<label>%s<input name=\"from\" value=\"%s\" size=\"11\"></label>"
                "<label>%s<input name=\"to\" value=\"%s\" size=\"11\"></label>"
                "<button>%s</button></form>",
                T("Agreement"), f.agreement ? f.agreement : "", T("Status"),
                f.status ? f.status : "", T("Crossing"), f.crossing ? f.crossing : "", T("From"),
                f.from ? f.from : "", T("To"), f.to ? f.to : "", T("Filter"));
    struct op_call sc;
    if (http_run_query(r, "shipments", "list", &sc, e)) {
        op_call_free(&sc);
        return http_send_error(r, e);
    }
    static const char *const shown[] = {"reference", "date",     "status",    "agreement",
                                        "hs",        "net_t",    "value_usd", "exporter",
                                        "importer",  "crossing", NULL};
    struct table *narrow = table_select(sc.out[0], shown);
    /* the download holds the rows the filters chose */
    struct buf csv = {.max = 1024};
    buf_puts(&csv, "/api/v1/shipments/list?format=csv");
    const char *const keys[] = {"agreement", "status", "crossing", "from", "to"};
    const char *vals[] = {f.agreement, f.status, f.crossing, f.from, f.to};
    for (size_t i = 0; i < 5; i++)
        if (vals[i]) {
            buf_printf(&csv, "&%s=", keys[i]);
            url_encode(&csv, vals[i]);
        }
    html_table(b, narrow, csv.p);
    buf_free(&csv);
    table_free(narrow);
    op_call_free(&sc);
    struct ctx c = {r->db, 0, 0};
    if (shipments_section(b, &c, e)) return http_send_error(r, e);
    if (r->via_session && auth_can(&r->user, "editor:shipments")) {
        http_section(b, T("Record an event"));
        html_printf(b,
                    "<form class=\"filters\" method=\"post\" action=\"/shipments/events\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                    "<label>%s<input name=\"reference\" required></label>"
                    "<label>%s<select name=\"event\">",
                    r->csrf, T("Reference"), T("Event"));
        static const char *const events[] = {"departed", "arrived",   "cleared", "transshipped",
                                             "crossed",  "delivered", "rejected"};
        for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
            html_printf(b, "<option value=\"%s\">%s</option>", events[i], T(events[i]));
        html_printf(b,
                    "</select></label><label>%s<input type=\"datetime-local\" name=\"at\" "
                    "required></label><label>%s<select name=\"zone\"><option value=\"\">%s"
                    "</option>",
                    T("Local time"), T("Time zone"), T("the crossing's"));
        /* the zones with the clocks they keep */
        static const char *const zones[][2] = {
            {"Asia/Almaty", N_("Kazakhstan (Asia/Almaty)")},
            {"Asia/Urumqi", N_("Xinjiang time (Asia/Urumqi)")},
            {"Asia/Shanghai", N_("Beijing time (Asia/Shanghai)")},
            {"UTC", "UTC"}};
        for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
            html_printf(b, "<option value=\"%s\">%s</option>", zones[i][0], T(zones[i][1]));
        html_printf(b,
                    "</select></label><label>%s<input name=\"place\"></label>"
                    "<button>%s</button></form>",
                    T("Place"), T("Record"));
    }
    return http_page_done(r, &p);
}

int page_event_post(struct req *r, struct err *e)
{
    struct op_call c;
    int rc = http_run_form(r, "shipments", "event", &c, e);
    op_call_free(&c);
    if (rc) return http_send_error(r, e);
    r->status = 303;
    snprintf(r->location, sizeof r->location, "/shipments");
    r->ctype = "text/plain";
    buf_reset(&r->out);
    buf_puts(&r->out, "recorded\n");
    return 0;
}

/* The sign-in page: a name and a password, or (folded) an API token; after
 * a refusal it comes back with the reason and the name typed. */
static int login_form(struct req *r, const char *name, const char *reason, unsigned status)
{
    struct html_page p;
    http_page_start(r, &p, T("Sign in"), NULL);
    /* signed in already: the forms carry the session's CSRF token, and
     * signing in again ends that session */
    char csrf[160] = "";
    if (r->via_session)
        snprintf(csrf, sizeof csrf, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                 r->csrf); /* hex digits: nothing to escape */
    if (reason) html_printf(&r->out, "<p class=\"error\" role=\"alert\">%s</p>", reason);
    html_printf(&r->out, "<form class=\"login\" method=\"post\" action=\"/login\">");
    buf_puts(&r->out, csrf);
    html_printf(&r->out,
                "<label>%s<input name=\"name\" autocomplete=\"username\" size=\"30\" "
                "maxlength=\"60\" required value=\"%s\"></label>"
                "<label>%s<input type=\"password\" name=\"password\" "
                "autocomplete=\"current-password\" size=\"30\" required></label>"
                "<p><button type=\"submit\">%s</button></p></form>",
                T(NC_("person", "Name")), name ? name : "", T("Password"),
                T("Sign in"));
    html_fold_begin(&r->out, T("With an API token"), 0);
    html_printf(&r->out, "<form class=\"login\" method=\"post\" action=\"/login\">");
    buf_puts(&r->out, csrf);
    html_printf(&r->out,
                "<label>%s<input type=\"password\" name=\"token\" autocomplete=\"off\" "
                "size=\"60\" required></label><p><button type=\"submit\">%s</button></p>"
                "</form></details><p class=\"source\">%s</p>",
                T("API token"), T("Sign in"),
                T("An administrator adds people with 'corridor user add --name NAME --role ROLE' "
                  "and creates tokens with 'corridor token create --name NAME --role ROLE'."));
    http_page_done(r, &p);
    r->status = status;
    r->cacheable = 0;
    return 0;
}

int page_login(struct req *r, struct err *e)
{
    (void)e;
    return login_form(r, NULL, NULL, 200);
}

/* Who signs in: a name and a password, or a token. 0 with u filled, or
 * ERR_NOTFOUND (wrong), or another error. */
static int sign_in_who(struct req *r, struct auth_user *u, struct err *e)
{
    const char *token = http_form(r, "token");
    if (token) return auth_token_check(r->db, token, u, e);
    char name[128] = "", password[2048] = "";
    http_form_into(r, "name", name, sizeof name);
    http_form_into(r, "password", password, sizeof password);
    int rc = auth_password_check(r->db, name, password, u, e);
    sodium_memzero(password, sizeof password);
    return rc;
}

/* 1 when a browser says the form came from another site: nobody may be
 * signed in to an account of someone else's choosing. Browsers say so with
 * Sec-Fetch-Site, or with an Origin that is not this server ("null" is what
 * our no-referrer pages make a browser send: it tells nothing). A client
 * that sends neither (the command line) is let through. */
static int foreign_origin(struct req *r)
{
    const char *site = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site) return strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0;
    const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    if (!origin || !strcmp(origin, "null")) return 0;
    const char *o = strstr(origin, "://");
    return !o || !host || strcmp(o + 3, host) != 0;
}

int page_login_post(struct req *r, struct err *e)
{
    struct auth_user u;
    int wait = http_guard_wait(r);
    if (wait) return http_send_too_many(r, wait);
    if (foreign_origin(r)) {
        err_set(e, ERR_REFUSED, "a sign-in form sent from another site is refused");
        http_send_error(r, e);
        r->status = 403;
        return 0;
    }
    char sid[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
    int rc = sign_in_who(r, &u, e);
    if (rc == ERR_NOTFOUND) {
        http_guard_failed(r);
            int by_token = http_form(r, "token") != NULL;
        char name[128] = "";
        http_form_into(r, "name", name, sizeof name);
        return login_form(r, name,
                          by_token ? T("Unknown or revoked token.")
                                   : T("Unknown name or wrong password."),
                          401);
    }
    if (rc) return http_send_error(r, e);
    /* signing in again ends the session the browser had: a new one, never both */
    const char *old = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "corridor_session");
    if (old && auth_session_end(r->db, old, e)) return http_send_error(r, e);
    if (auth_session_create(r->db, &u, 12, sid, csrf, e)) return http_send_error(r, e);
    snprintf(r->cookie, sizeof r->cookie,
             "corridor_session=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200%s", sid,
             r->secure_cookies ? "; Secure" : "");
    str_copy(r->location, "/", sizeof r->location);
    r->status = 303;
    r->ctype = "text/plain";
    buf_reset(&r->out);
    buf_puts(&r->out, "signed in\n");
    return 0;
}

/* Who is signed in, and for a person with a password, the form to change
 * it; after a refusal it comes back with the reason beside its field. */
static int account_form(struct req *r, const char *reason, const char *field, unsigned status)
{
    if (!r->user.name[0]) {
        str_copy(r->location, "/login", sizeof r->location);
        r->status = 303;
        r->ctype = "text/plain";
        buf_reset(&r->out);
        buf_puts(&r->out, "sign in first\n");
        return 0;
    }
    struct html_page p;
    http_page_start(r, &p, T("Your account"), NULL);
    html_printf(&r->out, "<p>%s <b>%s</b>, %s <b>%s</b>.</p>", T("Signed in as"), r->user.name,
                T("role"), r->user.role);
    if (!r->user.account_id) {
        html_printf(&r->out, "<p>%s</p>",
                    T("You signed in with an API token: there is no password to change."));
    } else {
        html_printf(&r->out, "<h2>%s</h2>", T("Change your password"));
        if (reason) html_printf(&r->out, "<p class=\"error\" role=\"alert\">%s</p>", reason);
        html_printf(&r->out,
                    "<form class=\"login\" method=\"post\" action=\"/account/password\">"
                    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                    r->csrf);
        static const struct {
            const char *name, *label, *complete;
        } f[] = {{"current", N_("Current password"), "current-password"},
                 {"password", N_("New password (at least 10 characters)"), "new-password"},
                 {"again", N_("New password again"), "new-password"}};
        for (int i = 0; i < 3; i++) {
            html_printf(&r->out,
                        "<label>%s<input type=\"password\" name=\"%s\" autocomplete=\"%s\" "
                        "size=\"30\" required",
                        T(f[i].label), f[i].name, f[i].complete);
            /* the field the reason is about */
            if (field && !strcmp(field, f[i].name)) buf_puts(&r->out, " aria-invalid=\"true\" autofocus");
            buf_puts(&r->out, "></label>");
        }
        html_printf(&r->out, "<p><button type=\"submit\">%s</button></p></form>",
                    T("Change password"));
    }
    http_page_done(r, &p);
    r->status = status;
    r->cacheable = 0;
    return 0;
}

int page_account(struct req *r, struct err *e)
{
    (void)e;
    return account_form(r, NULL, NULL, 200);
}

int page_account_password(struct req *r, struct err *e)
{
    /* an address that guessed too often was stopped at the gate (it signs
     * with a session); a wrong current password counts as a failure below */
    if (!r->via_session || !r->user.account_id)
        return account_form(r, T("Only a person signed in with a password can change it."), NULL,
                            403);
    static const char *const names[] = {"current", "password", "again"};
    char f[3][2048];
    int missing = -1;
    for (int i = 0; i < 3; i++)
        if (!http_form_into(r, names[i], f[i], sizeof f[i]) && missing < 0) missing = i;
    const char *why = NULL, *field = NULL;
    if (missing >= 0)
        why = N_("Fill in all three fields."), field = names[missing];
    else if (strcmp(f[1], f[2]) != 0)
        why = N_("The two new passwords differ."), field = "again";
    int rc = why ? 0 : auth_password_change(r->db, &r->user, f[0], f[1], r->sid, e);
    sodium_memzero(f, sizeof f);
    if (why) return account_form(r, T(why), field, 400);
    if (rc == ERR_REFUSED) http_guard_failed(r);
    if (rc == ERR_REFUSED || rc == ERR_INPUT)
        return account_form(r, T(e->msg), e->field, rc == ERR_REFUSED ? 403 : 400);
    if (rc) return http_send_error(r, e);
    struct html_page p;
    http_page_start(r, &p, T("Your account"), NULL);
    html_printf(&r->out, "<p class=\"allowed\" role=\"status\">%s</p><p><a href=\"/\">%s</a></p>",
                T("Your password has been changed; your other sessions have ended."),
                T("Overview"));
    http_page_done(r, &p);
    r->cacheable = 0;
    return 0;
}

int page_logout(struct req *r, struct err *e)
{
    if (!r->via_session) {
        err_set(e, ERR_USAGE, "not signed in");
        return http_send_error(r, e);
    }
    auth_session_end(r->db, r->sid, e);
    snprintf(r->cookie, sizeof r->cookie,
             "corridor_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             r->secure_cookies ? "; Secure" : "");
    str_copy(r->location, "/", sizeof r->location);
    r->status = 303;
    r->ctype = "text/plain";
    buf_reset(&r->out);
    buf_puts(&r->out, "signed out\n");
    return 0;
}

int page_static(struct req *r, struct err *e)
{
    static const struct {
        const char *name, *asset, *ctype;
    } files[] = {
        {"style.css", "data/web/style.css", "text/css; charset=utf-8"},
        {"app.js", "data/web/app.js", "text/javascript; charset=utf-8"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (strcmp(r->params[0], files[i].name) != 0) continue;
        size_t len;
        const char *data = asset_get(files[i].asset, &len);
        buf_reset(&r->out);
        buf_append(&r->out, data, len);
        r->status = 200;
        r->ctype = files[i].ctype;
        r->cacheable = 1;
        return 0;
    }
    err_set(e, ERR_NOTFOUND, "no such file");
    return http_send_error(r, e);
}

int http_brief(struct db *db, const struct ref *ref, int year, const char *date,
               const char *meeting, struct buf *out, struct err *e)
{
    struct ctx c = {db, year, 1, NULL};
    if (!year && latest_year(db, &c.year, e)) return e->code;
    char title[400];
    snprintf(title, sizeof title, "%s, %d", T("Briefing: Kazakhstan–China cooperation"), c.year);
    char updated[24];
    last_update(db, updated);
    struct html_page p = {title, NULL, NULL, NULL, 1, updated};
    html_page_begin(out, &p);
    html_printf(out, "<p class=\"source\">%s</p>",
                T("Generated by corridor from its database. Every figure cites its source; "
                  "synthetic demo rows are marked as such."));
    /* a year asked for governs the sections that have a date: the state of
     * things at its end (or today, if it has not ended) */
    char year_end[11], today[11];
    const char *as_on = NULL;
    date_today(today);
    if (year) {
        date_from_days(date_days(year, 12, 31), year_end);
        as_on = strcmp(year_end, today) < 0 ? year_end : today;
    }
    int rc = http_alerts_section(db, ref, out, date ? date : as_on, 1, e);
    if (!rc) rc = http_commitments_section(db, ref, out, date ? date : as_on, meeting, e);
    if (!rc) rc = trade_section(out, &c, e);
    if (!rc) rc = agreements_section(out, &c, as_on, e);
    if (!rc) rc = access_section(out, &c, e);
    c.date = as_on;
    if (!rc) rc = shipments_section(out, &c, e);
    struct inv_filter kaz = {.kind = "investment", .host = "KAZ"};
    if (!rc) rc = http_invest_notice(out, db, &kaz, HTTP_INVEST_BRIEF, e);
    if (!rc) rc = http_logistics_section(out, db, c.year, c.year + 5, 1, e);
    if (!rc) rc = http_tourism_section(db, ref, out, 1, e);
    html_page_end(out, &p);
    return rc;
}

int page_brief(struct req *r, struct err *e)
{
    int year;
    if (year_arg(r, &year, e)) return 0;
    buf_reset(&r->out);
    if (http_brief(r->db, r->ref, year, http_arg(r, "date"), http_arg(r, "meeting"), &r->out, e))
        return http_send_error(r, e);
    r->inline_style = 1;
    r->status = 200;
    r->ctype = "text/html; charset=utf-8";
    r->cacheable = 1;
    return 0;
}

/* ---- the brief as a command ---- */

static int brief_op(struct op_call *c, struct err *e)
{
    struct buf b = {0};
    const char *out = op_s(c, "output");
    int rc = op_check_output(out, "brief", "output", db_path(c->db), NULL, 0, e);
    if (!rc)
        rc = http_brief(c->db, c->ref, (int)op_i(c, "year"),
                        op_has(c, "date") ? op_s(c, "date") : NULL,
                        op_has(c, "meeting") ? op_s(c, "meeting") : NULL, &b, e);
    if (!rc) {
        /* written beside the target and renamed, so a failure never leaves half a brief */
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", out);
        int fd = op_mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        int ok = f && fwrite(b.p, 1, b.len, f) == b.len;
        if (f)
            ok = !fclose(f) && ok;
        else if (fd >= 0)
            close(fd);
        if (!ok || rename(tmp, out) != 0) {
            if (fd >= 0) unlink(tmp);
            err_at(e, out, 0, 0, "output");
            rc = err_set(e, ERR_IO, "cannot write the brief");
        }
    }
    if (!rc) {
        char msg[4400];
        snprintf(msg, sizeof msg, "corridor: brief written to %s (%zu bytes)\n", out, b.len);
        c->text = xstrdup(msg);
    }
    buf_free(&b);
    return rc;
}

static const struct op_param brief_params[] = {
    {"year", PT_YEAR, 0, NULL, 0, 0, NULL, "the year of the figures (default: the latest)"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "the commitments as on this day (default today)"},
    {"meeting", PT_CODE, 0, NULL, 0, 0, NULL, "only this meeting's commitments"},
    {"output", PT_OUTPUT, PF_REQUIRED, NULL, 0, 0, NULL, "the HTML file to write (-o)"},
    {0},
};

static const struct op_param serve_params[] = {
    {"db", PT_FILE, 0, NULL, 0, 0, NULL, "the database (default $CORRIDOR_DB or ./corridor.db)"},
    {"listen", PT_TEXT, 0, NULL, 0, 200, "127.0.0.1:8080",
     "ADDRESS:PORT ([::1]:8080 for IPv6; port 0 for any free one)"},
    {"threads", PT_INT, 0, NULL, 1, 64, NULL, "worker threads (default: the cores)"},
    {"private", PT_FLAG, 0, NULL, 0, 0, NULL,
     "reads need a token or a session too (always behind a reverse proxy)"},
    {"access_log", PT_OUTPUT, 0, NULL, 0, 0, "-",
     "the access log, appended to (- for standard error)"},
    {"max_body_kb", PT_INT, 0, NULL, 1, 1048576, "65536", "the largest request body, KiB"},
    {"timeout", PT_INT, 0, NULL, 1, 3600, "30", "seconds a connection may stay idle"},
    {"max_connections", PT_INT, 0, NULL, 1, 100000, "1024", "connections at once"},
    {"max_per_address", PT_INT, 0, NULL, 0, 100000, "128",
     "connections at once from one address (0: no limit, behind a reverse proxy)"},
    {"head_timeout", PT_INT, 0, NULL, 1, 3600, "10",
     "seconds a request's head may take to arrive, however it trickles"},
    {"max_memory_mb", PT_INT, 0, NULL, 1, 1048576, "512",
     "request bodies held at once, all requests together, MiB"},
    {"secure_cookies", PT_FLAG, 0, NULL, 0, 0, NULL,
     "cookies only over HTTPS (when a TLS proxy serves corridor)"},
    {"routes", PT_FLAG, 0, NULL, 0, 0, NULL, "list the routes and stop"},
    {"openapi", PT_FLAG, 0, NULL, 0, 0, NULL, "print the OpenAPI document and stop"},
    {0},
};

static int serve_op(struct op_call *c, struct err *e)
{
    if (op_i(c, "routes")) {
        http_list_routes(stdout);
        return 0;
    }
    if (op_i(c, "openapi")) {
        struct buf b = {0};
        http_openapi(&b);
        printf("%s\n", b.p);
        buf_free(&b);
        return 0;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = auth_init(e);
    if (rc) return rc;
    struct http_opts o = {op_has(c, "db") ? op_s(c, "db") : db_default_path(),
                          op_s(c, "listen"),
                          op_has(c, "threads")       ? (int)op_i(c, "threads")
                          : cores > 0 && cores <= 64 ? (int)cores
                                                     : 4,
                          (int)op_i(c, "private"),
                          op_s(c, "access_log"),
                          (size_t)op_i(c, "max_body_kb") * 1024,
                          (unsigned)op_i(c, "timeout"),
                          (unsigned)op_i(c, "max_connections"),
                          (unsigned)op_i(c, "max_per_address"),
                          (unsigned)op_i(c, "head_timeout"),
                          (size_t)op_i(c, "max_memory_mb") * 1024 * 1024,
                          (int)op_i(c, "secure_cookies")};
    return http_serve(&o, e);
}

const struct op http_ops[] = {
    {"serve", NULL, OP_READ, serve_op, serve_params,
     "the dashboard and JSON API (stops cleanly on SIGINT/SIGTERM)",
     "serve --listen 127.0.0.1:8080", "admin", NULL, NULL, OPF_LOCAL | OPF_NODB | OPF_NOFORMAT},
    {"brief", NULL, OP_READ, brief_op, brief_params,
     "a self-contained HTML briefing of every area, printable on A4",
     "brief --year 2023 -o brief.html", NULL, NULL, NULL, OPF_LOCAL | OPF_NOFORMAT},
    {0},
};
