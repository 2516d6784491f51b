/* svg.c — inline SVG charts drawn on the server: lines with interval bands,
 * ranked horizontal bars, grouped bars, gauges and share bars. Every chart
 * has a <title> and <desc> (its text alternative), labelled axes with units,
 * and a <title> on each mark for the tooltip; colours come from CSS classes
 * so the same markup serves the dashboard and the printed brief. */
#include "html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 640
#define H 300
#define ML 70 /* margins: left, right, top, bottom */
#define MR 20
#define MT 36
#define MB 50

/* A "nice" step for about n ticks over [0, max]. */
static double nice_step(double max, int n)
{
    if (!(max > 0)) return 1;
    double raw = max / n, mag = pow(10, floor(log10(raw))), f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
}

/* A value of a chart whose largest value is max: every value of one chart
 * with the same decimals (none from 100, one from 10, else two), written
 * the reader's way. */
static void fmt_num(char *out, size_t size, double v, double max)
{
    char en[48];
    max = fabs(max);
    int d = max >= 100 ? 0 : max >= 10 ? 1 : 2;
    i18n_number(real_format_grouped(v, d, en, sizeof en), out, size); /* 6,667 */
}

/* The largest absolute value of a chart's series. */
static double chart_max(const struct chart *c)
{
    double m = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->n; i++)
            if (c->series[s].v[i] == c->series[s].v[i] && fabs(c->series[s].v[i]) > m)
                m = fabs(c->series[s].v[i]);
    return m;
}

/* The max fmt_num is given for a chart's values: their largest, or for
 * counts (whole numbers only) one that writes them without decimals. */
static double label_max(const struct chart *c)
{
    for (size_t k = 0; k < c->nseries; k++)
        for (size_t i = 0; i < c->n; i++)
            if (c->series[k].v[i] == c->series[k].v[i] &&
                c->series[k].v[i] != floor(c->series[k].v[i]))
                return chart_max(c);
    return INFINITY;
}

static void open_svg(struct buf *b, const char *id, const char *title, const char *desc, int w,
                     int h)
{
    /* the visible title is HTML above the drawing: it wraps in any language
     * and stays readable when the drawing shrinks on a phone */
    html_printf(b,
                "<figure class=\"chart\"><div class=\"ctitle\" aria-hidden=\"true\">%s</div>"
                "<svg id=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" "
                "aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\">"
                "<title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>",
                title, id, w, h, id, id, id, title, id, desc ? desc : "");
}

static void close_svg(struct buf *b, const char *desc)
{
    html_printf(b, "</svg><figcaption>%s</figcaption></figure>\n", desc ? desc : "");
}

static double series_max(const struct chart *c, int with_bands)
{
    double m = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->n; i++)
            if (c->series[s].v[i] == c->series[s].v[i] && c->series[s].v[i] > m)
                m = c->series[s].v[i];
    if (with_bands && c->hi95)
        for (size_t i = 0; i < c->n; i++)
            if (c->hi95[i] == c->hi95[i] && c->hi95[i] > m) m = c->hi95[i];
    return m;
}

/* y axis with gridlines and its label; returns the top of the scale. */
static double y_axis(struct buf *b, double max, const char *label)
{
    double step = nice_step(max, 5), top = step * ceil(max / step);
    if (top <= 0) top = step;
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = H - MB - (H - MT - MB) * v / top;
        char t[48];
        fmt_num(t, sizeof t, v, step >= 1 ? 100 : step >= 0.1 ? 10 : 1);
        html_printf(b,
                    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    ML, W - MR, y, y, ML - 6, y + 4, t);
    }
    html_printf(b,
                "<text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" "
                "text-anchor=\"middle\">%s</text>",
                (MT + H - MB) / 2, label ? label : "");
    return top;
}

/* The key of a chart's series as HTML under the drawing (it wraps in any
 * language, where text inside the drawing would run off it): lines keyed by
 * a stroke of the line's colour, bars by a block of the bar's. Ends the
 * figure. */
static void legend_close(struct buf *b, const struct chart *c, int lines, int bands)
{
    buf_puts(b, "</svg><ul class=\"keys\">");
    for (size_t s = 0; s < c->nseries; s++)
        html_printf(b, "<li><i class=\"%s k%d\"></i>%s</li>", lines ? "kl" : "kb", (int)s,
                    c->series[s].name);
    if (bands) html_printf(b, "<li><i class=\"kband\"></i>%s</li>", T("80% and 95% intervals"));
    html_printf(b, "</ul><figcaption>%s</figcaption></figure>\n", c->desc ? c->desc : "");
}

void svg_line(struct buf *b, const struct chart *c)
{
    open_svg(b, c->id, c->title, c->desc, W, H);
    double xmin = INFINITY, xmax = -INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        if (c->x[i] < xmin) xmin = c->x[i];
        if (c->x[i] > xmax) xmax = c->x[i];
    }
    if (!(xmax > xmin)) xmin -= 1, xmax += 1;
    double top = y_axis(b, series_max(c, 1), c->ylabel);
#define PX(v) (ML + (W - ML - MR) * ((v)-xmin) / (xmax - xmin))
#define PY(v) (H - MB - (H - MT - MB) * (v) / top)
    /* x ticks: every year when they fit, else every k-th */
    int span = (int)(xmax - xmin), every = span > 12 ? (span + 11) / 12 : 1;
    for (int yv = (int)xmin; yv <= (int)xmax; yv += every)
        html_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>",
                    PX(yv), H - MB + 16, yv);
    html_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                (ML + W - MR) / 2, H - MB + 32, c->xlabel ? c->xlabel : "");
    /* interval bands as polygons over the points that have them */
    const double *bl[2] = {c->lo95, c->lo80}, *bh[2] = {c->hi95, c->hi80};
    const char *bc[2] = {"band95", "band80"};
    for (int k = 0; k < 2; k++) {
        if (!bl[k] || !bh[k]) continue;
        struct buf pts = {0};
        for (size_t i = 0; i < c->n; i++)
            if (bh[k][i] == bh[k][i]) buf_printf(&pts, "%.1f,%.1f ", PX(c->x[i]), PY(bh[k][i]));
        for (size_t i = c->n; i-- > 0;)
            if (bl[k][i] == bl[k][i]) buf_printf(&pts, "%.1f,%.1f ", PX(c->x[i]), PY(bl[k][i]));
        if (pts.len) html_printf(b, "<polygon class=\"%s\" points=\"%s\"/>", bc[k], pts.p);
        buf_free(&pts);
    }
    for (size_t s = 0; s < c->nseries; s++) {
        struct buf path = {0};
        int pen = 0;
        for (size_t i = 0; i < c->n; i++) {
            double v = c->series[s].v[i];
            if (v != v) {
                pen = 0; /* a gap in the series */
                continue;
            }
            buf_printf(&path, "%c%.1f %.1f ", pen ? 'L' : 'M', PX(c->x[i]), PY(v));
            pen = 1;
        }
        if (path.len) html_printf(b, "<path class=\"line s%d\" d=\"%s\"/>", (int)s, path.p);
        buf_free(&path);
        for (size_t i = 0; i < c->n; i++) {
            double v = c->series[s].v[i];
            if (v != v) continue;
            char t[48], at[32];
            fmt_num(t, sizeof t, v, label_max(c));
            if (c->xnames)
                snprintf(at, sizeof at, "%s", c->xnames[i]);
            else
                snprintf(at, sizeof at, "%d", (int)c->x[i]);
            html_printf(b,
                        "<circle class=\"pt s%d\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" "
                        "data-tip=\"%s %s: %s %s\"><title>%s %s: %s %s</title></circle>",
                        (int)s, PX(c->x[i]), PY(v), c->n > 40 ? "2" : "3.5", c->series[s].name, at,
                        t, c->unit ? T(c->unit) : "", c->series[s].name, at, t,
                        c->unit ? T(c->unit) : "");
        }
    }
    if (c->mark_label && c->mark >= xmin && c->mark <= xmax)
        html_printf(b,
                    "<path class=\"mark\" d=\"M%.1f %dV%d\"/>"
                    "<text class=\"marklabel\" x=\"%.1f\" y=\"%d\">%s</text>",
                    PX(c->mark), MT, H - MB, PX(c->mark) + 4, MT + 10, c->mark_label);
#undef PX
#undef PY
    legend_close(b, c, 1, c->lo95 != NULL);
}

void svg_hbars(struct buf *b, const struct chart *c)
{
    /* room on the left for the longest label (7.5 px a column: Cyrillic is wide) */
    size_t widest = 0;
    for (size_t i = 0; i < c->n; i++)
        if (str_width(c->labels[i]) > widest) widest = str_width(c->labels[i]);
    int rowh = 24, h = MT + (int)c->n * rowh + 40, left = 16 + (int)(7.5 * (double)widest);
    if (left < 90) left = 90;
    if (left > 340) left = 340;
    open_svg(b, c->id, c->title, c->desc, W, h);
    double max = series_max(c, 0);
    if (!(max > 0)) max = 1;
    for (size_t i = 0; i < c->n; i++) {
        double v = c->series[0].v[i];
        if (v != v) v = 0;
        double w = (W - left - 90) * v / max;
        int y = MT + (int)i * rowh;
        char t[48];
        fmt_num(t, sizeof t, v, label_max(c));
        html_printf(b,
                    "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                    "<rect class=\"bar%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    "data-tip=\"%s: %s %s\"><title>%s: %s %s</title></rect>"
                    "<text class=\"val\" x=\"%.1f\" y=\"%d\">%s</text>",
                    left - 6, y + 15, c->labels[i], (int)i == c->highlight ? " hl" : "", left,
                    y + 3, w, rowh - 6, c->labels[i], t, c->unit ? T(c->unit) : "", c->labels[i], t,
                    c->unit ? T(c->unit) : "", left + w + 4, y + 15, t);
    }
    html_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                (left + W - 90) / 2, h - 10, c->xlabel ? c->xlabel : "");
    close_svg(b, c->desc);
}

void svg_bars(struct buf *b, const struct chart *c)
{
    open_svg(b, c->id, c->title, c->desc, W, H);
    double top = y_axis(b, series_max(c, 0), c->ylabel);
    double slot = (double)(W - ML - MR) / (double)(c->n ? c->n : 1);
    double bw = slot * 0.8 / (double)(c->nseries ? c->nseries : 1);
    for (size_t i = 0; i < c->n; i++) {
        double x0 = ML + slot * (double)i + slot * 0.1;
        html_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x0 + slot * 0.4, H - MB + 16, c->labels[i]);
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].v[i];
            if (v != v) { /* a missing figure says so, rather than looking like zero */
                html_printf(b,
                            "<text class=\"na\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
                            "%s<title>%s, %s: %s</title></text>",
                            x0 + bw * (double)s + (bw - 2) / 2, H - MB - 4, T("n/a"),
                            c->series[s].name, c->labels[i], T("no figure"));
                continue;
            }
            double hgt = (H - MT - MB) * v / top;
            char t[48];
            fmt_num(t, sizeof t, v, label_max(c));
            html_printf(b,
                        "<rect class=\"s%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\" data-tip=\"%s, %s: %s %s\"><title>%s, %s: %s %s"
                        "</title></rect>",
                        (int)s, x0 + bw * (double)s, H - MB - hgt, bw - 2, hgt, c->series[s].name,
                        c->labels[i], t, c->unit ? T(c->unit) : "", c->series[s].name, c->labels[i],
                        t, c->unit ? T(c->unit) : "");
        }
    }
    html_printf(b, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                (ML + W - MR) / 2, H - MB + 32, c->xlabel ? c->xlabel : "");
    legend_close(b, c, 0, 0);
}

void svg_gauge(struct buf *b, const char *id, const char *title, const char *desc, double pct)
{
    int w = 220, h = 165, cx = 110, cy = 125, r = 80;
    open_svg(b, id, title, desc, w, h);
    double shown = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    /* the arc runs from 180 degrees (0%) to 0 degrees (100%); past 100% it is
     * full and an arrow at its end says by how much */
#define AX(p, rr) (cx + (rr)*cos(M_PI * (1 - (p) / 100.0)))
#define AY(p, rr) (cy - (rr)*sin(M_PI * (1 - (p) / 100.0)))
    html_printf(b, "<path class=\"gtrack\" d=\"M%.1f %.1f A%d %d 0 0 1 %.1f %.1f\"/>", AX(0, r),
                AY(0, r), r, r, AX(100, r), AY(100, r));
    if (shown > 0)
        html_printf(b,
                    "<path class=\"gvalue%s\" d=\"M%.1f %.1f A%d %d 0 0 1 %.1f %.1f\">"
                    "<title>%.1f%%</title></path>",
                    pct >= 100  ? " full"
                    : pct >= 80 ? " warn"
                                : "",
                    AX(0, r), AY(0, r), r, r, AX(shown, r), AY(shown, r), pct);
    if (pct > 100) /* the overflow mark: an arrowhead past the end of the arc */
        html_printf(b,
                    "<path class=\"gover\" d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f Z\"><title>%.1f%%"
                    "</title></path>",
                    (double)cx + r - 12, (double)cy + 4, (double)cx + r + 12, (double)cy + 4,
                    (double)cx + r, (double)cy + 16, pct);
    /* 80%, the warning line */
    html_printf(b,
                "<line class=\"gmark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">80%%</text>",
                AX(80, r - 12), AY(80, r - 12), AX(80, r + 8), AY(80, r + 8), AX(80, r + 20),
                AY(80, r + 20) + 4);
    html_printf(b,
                "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">0%%</text>"
                "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">100%%</text>",
                cx - r, cy + 30, cx + r, cy + 30);
#undef AX
#undef AY
    char pct_s[32];
    html_printf(b, "<text class=\"gnum\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s%%</text>", cx,
                cy - 8, i18n_decimal(pct, 1, pct_s, sizeof pct_s));
    close_svg(b, desc);
}

void svg_share(struct buf *b, const char *id, const char *title, const char *desc,
               const char *const *labels, const double *values, size_t n, const char *unit)
{
    int h = 110;
    open_svg(b, id, title, desc, W, h);
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += values[i] > 0 ? values[i] : 0;
    double x = ML;
    for (size_t i = 0; i < n; i++) {
        double w = total > 0 ? (W - ML - MR) * values[i] / total : 0;
        char t[48];
        fmt_num(t, sizeof t, values[i], total);
        html_printf(b,
                    "<rect class=\"s%d\" x=\"%.1f\" y=\"40\" width=\"%.1f\" height=\"28\" "
                    "data-tip=\"%s: %s %s (%.1f%%)\"><title>%s: %s %s (%.1f%%)</title></rect>"
                    "<text class=\"legend\" x=\"%.1f\" y=\"86\">%s %.1f%%</text>",
                    (int)i % 4, x, w, labels[i], t, unit ? unit : "", 100 * values[i] / total,
                    labels[i], t, unit ? unit : "", 100 * values[i] / total, x + 2, labels[i],
                    100 * values[i] / total);
        x += w;
    }
    close_svg(b, desc);
}

/* ---- a schematic network ---- */

void svg_network(struct buf *b, const struct netchart *c)
{
    enum { COLS = 5, CW = 170, RH = 54, TOP = 46 };
    int rows[COLS] = {0}, *row = xcalloc(c->nn + 1, sizeof *row);
    for (size_t i = 0; i < c->nn; i++) {
        int k = c->ncol[i] < 0 ? 0 : c->ncol[i] >= COLS ? COLS - 1 : c->ncol[i];
        row[i] = c->nrow && c->nrow[i] >= 0 ? c->nrow[i] : rows[k];
        if (row[i] >= rows[k]) rows[k] = row[i] + 1;
    }
    int most = 1;
    for (int k = 0; k < COLS; k++)
        if (rows[k] > most) most = rows[k];
    int w = COLS * CW + 20, h = TOP + most * RH + 40;
    open_svg(b, c->id, c->title, c->desc, w, h);
#define NX(i) (10 + CW / 2 + (c->ncol[i] < 0 ? 0 : c->ncol[i]) * CW)
#define NY(i) (TOP + RH / 2 + row[i] * RH)
    for (size_t k = 0; k < c->ne; k++) {
        int f = c->efrom[k], t = c->eto[k], twin = 0;
        for (size_t j = 0; j < k; j++) /* a parallel link (road beside rail) drawn beside it */
            twin += (c->efrom[j] == f && c->eto[j] == t) || (c->efrom[j] == t && c->eto[j] == f);
        double p = c->epct[k], dx = NX(t) - NX(f), dy = NY(t) - NY(f),
               len = sqrt(dx * dx + dy * dy);
        double ox = len > 0 ? -dy / len * 8 * twin : 0, oy = len > 0 ? dx / len * 8 * twin : 0;
        const char *cls = p != p ? "u-none" : p >= 95 ? "u-full" : p >= 70 ? "u-high" : "u-ok";
        html_printf(b,
                    "<line class=\"edge %s%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                    "y2=\"%.1f\"><title>%s</title></line>",
                    cls, c->ewide[k] ? " crossing" : "", NX(f) + ox, NY(f) + oy, NX(t) + ox,
                    NY(t) + oy, c->etip[k]);
    }
    for (size_t i = 0; i < c->nn; i++)
        html_printf(b,
                    "<circle class=\"node\" cx=\"%d\" cy=\"%d\" r=\"6\"/><text class=\"tick\" "
                    "x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    NX(i), NY(i), NX(i), NY(i) - 10, c->nlabel[i]);
#undef NX
#undef NY
    static const char *const legend[][2] = {{"u-ok", N_("under 70%")},
                                            {"u-high", N_("70-95%")},
                                            {"u-full", N_("95% or more")},
                                            {"u-none", N_("no flow")}};
    for (int k = 0; k < 4; k++)
        html_printf(b,
                    "<line class=\"edge %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                    "<text class=\"legend\" x=\"%d\" y=\"%d\">%s</text>",
                    legend[k][0], 10 + k * 160, h - 14, 40 + k * 160, h - 14, 46 + k * 160, h - 10,
                    T(legend[k][1]));
    close_svg(b, c->desc);
    free(row);
}
