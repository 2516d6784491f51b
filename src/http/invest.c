/* invest.c — the investment page and its section of the brief: the
 * published figures of the pipeline, then what the projects recorded here
 * add up to (with their sources, synthetic ones said so), the funnel, the
 * amounts by origin and by sector as charts with their tables, and on the
 * page the projects themselves with stage and kind filters and one
 * project's history. Filters are parsed by the 'invest list' operation, as
 * the API parses them. */
#include "http.h"

#include "../invest/invest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A horizontal bar chart of one numeric column of t, labelled by another. */
static void bars(struct buf *b, const struct table *t, const char *id, const char *title,
                 const char *desc, const char *label_col, const char *value_col, double scale,
                 const char *xlabel, const char *unit)
{
    if (!t->nrows) return;
    const char **labels = xcalloc(t->nrows, sizeof *labels);
    double *v = xcalloc(t->nrows, sizeof *v);
    char(*cut)[96] = xcalloc(t->nrows, sizeof *cut);
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        double x = http_cell_num(t, r, value_col);
        if (x != x) continue; /* no value: not a bar (the funnel's stalled and cancelled) */
        /* a label of at most 24 columns, cut at a character's edge */
        char whole[96];
        int col = table_find_col(t, label_col);
        snprintf(whole, sizeof whole, "%s",
                 col < 0 ? "" : report_value_shown(t, (size_t)col, http_cell_str(t, r, label_col)));
        str_utf8_fix(whole);
        const char *l = str_clip(whole, 24, cut[n], sizeof cut[n]);
        if (l == whole) snprintf(cut[n], sizeof cut[n], "%s", whole);
        labels[n] = cut[n];
        v[n++] = x / scale;
    }
    struct chart ch = {.id = id,
                       .title = title,
                       .desc = desc,
                       .xlabel = xlabel,
                       .n = n,
                       .labels = labels,
                       .nseries = 1,
                       .highlight = -1,
                       .unit = unit};
    ch.series[0].name = xlabel;
    ch.series[0].v = v;
    buf_puts(b, "<div class=\"card\">");
    svg_hbars(b, &ch);
    buf_puts(b, "</div>");
    free(labels);
    free(v);
    free(cut);
}

/* The sources note of a report ("Sources (projects): ..."), as a <cite>. */
static void cite_sources(struct buf *b, const struct table *t)
{
    const char *prefix = "Sources (projects): ";
    for (size_t i = 0; i < t->nnotes; i++)
        if (strncmp(t->notes[i], prefix, strlen(prefix)) == 0) {
            buf_puts(b, " <cite>");
            html_esc(b, t->notes[i] + strlen(prefix));
            buf_puts(b, "</cite>");
        }
}

/* The published figures, one sentence per source, citing it. */
static void figures(struct buf *b, const struct table *f)
{
    for (size_t r = 0; r < f->nrows; r++) {
        const char *src = http_cell_str(f, r, "source");
        int first = r == 0 || strcmp(src, http_cell_str(f, r - 1, "source")) != 0;
        int last = r + 1 == f->nrows || strcmp(src, http_cell_str(f, r + 1, "source")) != 0;
        if (first) html_printf(b, "<li>%s: ", T("Published"));
        /* the figure's name as published; its number and unit the reader's way */
        static const char *const units[]
            __attribute__((unused)) = {N_("projects"), N_("firms"), N_("US$ bn"), N_("%")};
        char num[48];
        html_printf(b, "%s <b>%s %s</b> (%s)%s", http_cell_str(f, r, "figure"),
                    i18n_number(http_cell_str(f, r, "value"), num, sizeof num),
                    T(http_cell_str(f, r, "unit")), http_cell_str(f, r, "period"),
                    last ? "." : "; ");
        if (last) html_printf(b, " <cite>%s</cite></li>", src);
    }
}

/* What the recorded projects add up to, and Hong Kong and Macao's part. */
static void pipeline_facts(struct buf *b, const struct table *o)
{
    double all = 0, hkmo = 0, jobs = 0;
    int64_t n = 0;
    for (size_t r = 0; r < o->nrows; r++) {
        double a = http_cell_num(o, r, "amount_usd"), j = http_cell_num(o, r, "jobs");
        all += a;
        jobs += j == j ? j : 0;
        n += (int64_t)http_cell_num(o, r, "projects");
        const char *who = http_cell_str(o, r, "origin");
        if (strncmp(who, "HKG", 3) == 0 || strncmp(who, "MAC", 3) == 0) hkmo += a;
    }
    char a[48], h[48], j[48], jl[64], pl[48];
    dec_format_grouped((int64_t)llround(jobs), 0, j, sizeof j);
    buf_puts(b, "<li>");
    html_printf(b,
                TF("Projects recorded here, cancelled ones left out: <b>%lld</b> projects, "
                   "<b>%s</b>, %s jobs"),
                (long long)n, http_usd_words(all, a, sizeof a), i18n_number(j, jl, sizeof jl));
    if (all > 0) {
        html_printf(b, TF("; from Hong Kong and Macao investors <b>%s</b> (%s%%)"),
                    http_usd_words(hkmo, h, sizeof h),
                    i18n_decimal(100.0 * hkmo / all, 1, pl, sizeof pl));
    }
    buf_puts(b, ".");
    cite_sources(b, o);
    buf_puts(b, "</li>");
}

int http_invest_section(struct buf *b, struct db *db, const struct inv_filter *sel, int mode,
                        struct err *e)
{
    int brief = mode == HTTP_INVEST_BRIEF, full = mode == HTTP_INVEST_PAGE;
    struct inv_filter f = *sel;
    struct table *fig = NULL, *fun = NULL, *org = NULL, *sec = NULL;
    int rc = inv_figures(db, &fig, e);
    if (!rc) rc = inv_funnel(db, &f, &fun, e);
    if (!rc) rc = inv_totals(db, &f, "origin", &org, e);
    if (!rc) rc = inv_totals(db, &f, "sector", &sec, e);
    if (rc) goto out;
    http_section(b, T("Investment"));
    buf_puts(b, "<ul class=\"facts\">");
    figures(b, fig);
    pipeline_facts(b, org);
    buf_puts(b, "</ul><div class=\"grid2\">");
    bars(b, fun, "chart-funnel", T("Pipeline funnel: projects reaching each stage"),
         T("How many investment projects reached each stage, from idea to commissioning."), "stage",
         "projects", 1, T("Projects"), "");
    bars(b, org, "chart-origin", T("Investment by origin, US$ million"),
         T("The amount of investment projects by the investor's origin economy."), "origin",
         "amount_usd", 1e6, T("US$ million"), "m");
    if (full)
        bars(b, sec, "chart-sector", T("Investment by sector, US$ million"),
             T("The amount of investment projects by ISIC section."), "sector", "amount_usd", 1e6,
             T("US$ million"), "m");
    buf_puts(b, "</div>");
    html_table(b, fun, brief ? NULL : "/api/v1/invest/funnel?format=csv");
    html_table(b, org, brief ? NULL : "/api/v1/invest/totals?by=origin&format=csv");
    if (full) html_table(b, sec, "/api/v1/invest/totals?by=sector&format=csv");
out:
    table_free(fig);
    table_free(fun);
    table_free(org);
    table_free(sec);
    return rc;
}

int http_invest_notice(struct buf *b, struct db *db, const struct inv_filter *f, int mode,
                       struct err *e)
{
    size_t mark = b->len;
    int rc = http_invest_section(b, db, f, mode, e);
    if (!rc || rc == ERR_DB) return rc;
    b->len = mark; /* what was drawn of it goes */
    if (b->p) b->p[mark] = 0;
    http_section(b, T("Investment"));
    html_printf(b, "<p class=\"refused\">%s: %s</p>", T("The investment figures cannot be shown"),
                e->msg);
    err_clear(e);
    return 0;
}

/* ---- the page ------------------------------------------------------------------------ */

static void option(struct buf *b, const char *value, const char *label, const char *current)
{
    html_printf(b, "<option value=\"%s\"%s>%s</option>", value,
                current && strcmp(current, value) == 0 ? " selected" : "", label);
}

static void select_open(struct buf *b, const char *label, const char *name)
{
    html_printf(b, "<label>%s<select name=\"%s\">", label, name);
}

/* The page's filters; they apply to the figures, the charts and the list. */
static void filter_form(struct buf *b, const struct op_call *lc)
{
    const char *host = op_s(lc, "host"), *origin = op_s(lc, "origin");
    const char *stage = op_s(lc, "stage"), *kind = op_s(lc, "kind");
    buf_puts(b, "<form class=\"filters\" method=\"get\" action=\"/investment\">");
    select_open(b, T("Host"), "host");
    option(b, "KAZ", T("Kazakhstan"), host ? host : "all");
    option(b, "all", T("any country"), host ? host : "all");
    if (host && strcmp(host, "KAZ") != 0) option(b, host, host, host);
    buf_puts(b, "</select></label>");
    select_open(b, T("Origin"), "origin");
    option(b, "", T("any"), origin ? origin : "");
    static const char *const origins[][2] = {
        {"CHN", N_("mainland China")}, {"HKG", N_("Hong Kong")}, {"MAC", N_("Macao")}};
    for (size_t i = 0; i < sizeof origins / sizeof origins[0]; i++)
        option(b, origins[i][0], T(origins[i][1]), origin);
    buf_puts(b, "</select></label>");
    select_open(b, T("Kind"), "kind");
    static const char *const kinds[][2] = {{"investment", N_("investment (all three kinds)")},
                                           {"greenfield", N_("greenfield")},
                                           {"acquisition", N_("acquisition")},
                                           {"joint-venture", N_("joint venture")},
                                           {"construction", N_("construction contract")},
                                           {"finance", N_("development finance")}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        option(b, kinds[i][0], T(kinds[i][1]), kind ? kind : "investment");
    buf_puts(b, "</select></label>");
    select_open(b, T("Stage (list)"), "stage");
    option(b, "", T("any"), stage ? NULL : "");
    for (int s = 0; s < INV_NSTAGES; s++)
        option(b, inv_stage_name(s), T(inv_stage_label(s)), stage);
    html_printf(b, "</select></label><button>%s</button></form>", T("Show"));
}

/* A form to open one project's history, listing the projects shown. */
static void project_picker(struct buf *b, const struct table *t, const char *current)
{
    if (!t->nrows) return;
    html_printf(b,
                "<form class=\"filters\" method=\"get\" action=\"/investment\"><label>%s"
                "<select name=\"code\">",
                T("Project"));
    for (size_t r = 0; r < t->nrows; r++) {
        char label[400];
        snprintf(label, sizeof label, "%s — %s", http_cell_str(t, r, "code"),
                 http_cell_str(t, r, "title"));
        option(b, http_cell_str(t, r, "code"), label, current);
    }
    html_printf(b, "</select></label><button>%s</button></form>", T("Show its history"));
}

/* The page's values: Kazakhstan unless another host (or "all") is asked
 * for, investment unless another kind is; an empty choice is no choice. */
static const char *page_get(void *ctx, const char *name)
{
    const char *v = http_arg(ctx, name);
    if (strcmp(name, "host") == 0) return !v ? "KAZ" : (!*v || str_ieq(v, "all")) ? NULL : v;
    if (strcmp(name, "kind") == 0 && (!v || !*v)) return "investment";
    return v && *v ? v : NULL;
}

static void projects(struct buf *b, const struct op_call *lc, const char *code)
{
    http_section(b, T("Projects"));
    project_picker(b, lc->out[0], code);
    static const char *const shown[] = {"code",  "title", "investor",   "origin", "host", "kind",
                                        "stage", "since", "amount_usd", "jobs",   NULL};
    struct table *narrow = table_select(lc->out[0], shown);
    /* the same projects as CSV: every value here is a checked code */
    struct buf csv = {0};
    buf_puts(&csv, "/api/v1/invest/list?format=csv");
    static const char *const keys[] = {"host", "origin", "kind", "stage"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (op_has(lc, keys[i])) buf_printf(&csv, "&%s=%s", keys[i], op_s(lc, keys[i]));
    html_table(b, narrow, csv.p);
    buf_free(&csv);
    table_free(narrow);
}

int page_invest(struct req *r, struct err *e)
{
    struct op_call lc, sc;
    if (http_run_with(r, "invest", "list", page_get, r, &lc, e)) {
        op_call_free(&lc);
        return http_send_error(r, e);
    }
    const char *code = http_arg(r, "code");
    if (code && http_run_query(r, "invest", "show", &sc, e)) {
        op_call_free(&lc);
        op_call_free(&sc);
        return http_send_error(r, e);
    }
    struct html_page p;
    http_page_start(r, &p, T("Investment pipeline"), "investment");
    struct buf *b = &r->out;
    filter_form(b, &lc);
    struct inv_filter f = {
        .kind = op_s(&lc, "kind"), .host = op_s(&lc, "host"), .origin = op_s(&lc, "origin")};
    int rc = http_invest_notice(b, r->db, &f, HTTP_INVEST_PAGE, e);
    if (!rc) {
        if (code) {
            http_section(b, T("A project's history"));
            for (int i = 0; i < sc.nout; i++)
                html_table(b, sc.out[i], NULL);
        }
        projects(b, &lc, code);
    }
    op_call_free(&lc);
    if (code) op_call_free(&sc);
    if (rc) return http_send_error(r, e);
    return http_page_done(r, &p);
}
