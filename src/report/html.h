/* html — HTML output for the dashboard and the brief: escaping, the page
 * frame, tables (with their CSV link), SVG charts with axis labels, units and
 * a text alternative, and the one translation function every visible string
 * passes through.
 *
 * Everything is appended to a caller-owned struct buf; user data is always
 * escaped on the way in. */
#ifndef CORRIDOR_HTML_H
#define CORRIDOR_HTML_H

#include "report.h"

/* Opens a <details> folding what follows behind summary (with a count when
 * count > 0), open in a printed page; the caller closes it with
 * "</details>". */
void html_fold_begin(struct buf *b, const char *summary, long count);
/* Appends s with &, <, >, " and ' escaped. */
void html_esc(struct buf *b, const char *s);
/* Appends printf output, escaping every %s argument (only %s, %d, %ld, %lld,
 * %.Nf and %% are understood). */
/* A table's download links: CSV at csv_href (an API route with format=csv),
 * the workbook, and CSV for Excel in the reader's language. */
void html_downloads(struct buf *b, const char *csv_href);
void html_printf(struct buf *b, const char *fmt, ...);

struct html_page {
    const char *title;
    const char *active; /* nav key: overview, trade, agreements, access, shipments,
                           investment */
    const char *user;   /* signed-in name, or NULL */
    const char *csrf;   /* the session's CSRF token, for the sign-out form */
    int self_contained; /* inline CSS, no navigation, no script (the brief) */
    const char *updated; /* when the data last changed (UTC), for the footer; NULL: unsaid */
    const char *keep;    /* the page's query but its language, URL-encoded, each pair
                            followed by '&' ("hs=0202&from=KAZ&"); the language links keep it */
};

void html_page_begin(struct buf *b, const struct html_page *p);
void html_page_end(struct buf *b, const struct html_page *p);
/* A table with a caption, sortable by its headers; csv_href (may be NULL)
 * adds a "CSV" download link; notes are printed under it. */
void html_table(struct buf *b, const struct table *t, const char *csv_href);

/* ---- charts ---- */

#define CHART_MAX_SERIES 4

struct chart {
    const char *id, *title, *desc; /* desc: the text alternative */
    const char *xlabel, *ylabel;   /* axis labels, with units */
    size_t n;                      /* points or categories */
    const char *const *labels;     /* category labels (bars), or NULL */
    const double *x;               /* numeric x (lines) */
    struct {
        const char *name;
        const double *v; /* NaN = no value */
    } series[CHART_MAX_SERIES];
    size_t nseries;
    const double *lo95, *hi95, *lo80, *hi80; /* interval bands (lines), may be NULL */
    int highlight;                           /* bar to emphasise, or -1 */
    const char *unit;                        /* appended to values in tooltips */
    const char *const *xnames;               /* lines: each point's name in tooltips
                                                ("2023-11"), or NULL: the x as a year */
    const char *mark_label;                  /* lines: a dashed line at x = mark, so
                                                labelled (NULL: none) */
    double mark;
};

void svg_line(struct buf *b, const struct chart *c);
void svg_hbars(struct buf *b, const struct chart *c); /* ranking: series[0] */
void svg_bars(struct buf *b, const struct chart *c);  /* grouped vertical bars */
/* A gauge of pct (0..120 shown), with marks at 80% and 100%. */
void svg_gauge(struct buf *b, const char *id, const char *title, const char *desc, double pct);
/* One horizontal bar split in parts (shares), labelled. */
void svg_share(struct buf *b, const char *id, const char *title, const char *desc,
               const char *const *labels, const double *values, size_t n, const char *unit);

/* A schematic network: places in columns (0..4, left to right), rows in
 * their order; edges coloured by utilisation (NaN: no flow), wide ones for
 * border crossings, each with a tooltip. */
struct netchart {
    const char *id, *title, *desc;
    size_t nn;
    const char *const *nlabel;
    const int *ncol;
    const int *nrow; /* each place's row in its column, or NULL: in their order */
    size_t ne;
    const int *efrom, *eto, *ewide;
    const double *epct;
    const char *const *etip;
};
void svg_network(struct buf *b, const struct netchart *c);

/* The embedded stylesheet (for inline use in the brief). */
const char *html_css(void);

#endif
