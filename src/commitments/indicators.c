/* indicators.c — the registry of indicators a commitment can be tied to:
 * each a function of the other areas' data on a date, read through those
 * areas' own functions and counting rules where they have them (the
 * agreement terms in force, the market-access rule that applies, the
 * trade and tourism year figures), with its unit and a definition printed
 * beside every figure. A value that cannot be read is "no data" with the
 * reason; an error reading it is an error, never zero. */
#include "commitments.h"

#include "../access/access.h"
#include "../agreements/agreements.h"
#include "../invest/invest.h"
#include "../tourism/tourism.h"
#include "../trade/trade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last day the indicator reads: the date, or the window's end when
 * that comes first. */
static const char *upto(const struct cmt_spec *s, const char *date)
{
    return s->end[0] && strcmp(s->end, date) < 0 ? s->end : date;
}

/* Adds the distinct sources of the rows read to v->sources. */
static void cite(struct cmt_value *v, const char *source)
{
    if (!source || !*source || strstr(v->sources, source)) return;
    size_t n = strlen(v->sources);
    snprintf(v->sources + n, sizeof v->sources - n, "%s%s", n ? "; " : "", source);
}

/* Tonnes of shipments delivered within the window up to the date, and not
 * rejected by then: those under one agreement (agreement > 0), or those of
 * the HS lines from one country to another. */
static int delivered(struct db *db, const struct cmt_spec *s, const char *date, int64_t agreement,
                     struct cmt_value *v, struct err *e)
{
    struct db_stmt *st;
    const char *last = upto(s, date);
    int rc = db_prepare(db, &st, e,
                        "SELECT s.hs, s.net_g, s.source FROM shipment s WHERE (?1 = 0 OR "
                        "s.agreement_id = ?1) AND (?1 <> 0 OR (s.origin = ?2 AND s.dest = ?3)) "
                        "AND (SELECT min(at) FROM shipment_event x WHERE x.shipment_id = s.id AND "
                        "x.event = 'delivered') BETWEEN ?4 AND ?5 || 'T23:59' AND NOT EXISTS "
                        "(SELECT 1 FROM shipment_event x WHERE x.shipment_id = s.id AND x.event = "
                        "'rejected' AND x.at <= ?5 || 'T23:59') ORDER BY s.id",
                        "itttt", agreement, s->from, s->to, s->start, last);
    v->found = 1;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        if (!agreement && !str_list_prefix(s->subject, db_col_str(st, 0))) continue;
        if (__builtin_add_overflow(v->v, db_col_int(st, 1), &v->v))
            rc = err_set(e, ERR_LIMIT, "the tonnes delivered overflow");
        cite(v, db_col_str(st, 2));
    }
    db_finalize(st);
    return rc;
}

static int read_exports(struct db *db, const struct cmt_spec *s, const char *date,
                        struct cmt_value *v, struct err *e)
{
    return delivered(db, s, date, 0, v, e);
}

static int read_agreement_delivered(struct db *db, const struct cmt_spec *s, const char *date,
                                    struct cmt_value *v, struct err *e)
{
    int64_t id;
    int rc = agr_find(db, s->subject, &id, e);
    if (!rc) rc = delivered(db, s, date, id, v, e);
    return rc;
}

static int read_agreement_status(struct db *db, const struct cmt_spec *s, const char *date,
                                 struct cmt_value *v, struct err *e)
{
    int64_t id;
    struct agr_terms t;
    const char *on = upto(s, date);
    int rc = agr_find(db, s->subject, &id, e);
    if (rc) return rc;
    rc = agr_terms_at(db, id, on, &t, e);
    v->found = 1;
    if (rc == ERR_NOTFOUND) {
        err_clear(e);
        snprintf(v->sources, sizeof v->sources, "%s: no terms in effect on %s", s->subject, on);
        return 0;
    }
    if (rc) return rc;
    int ended = t.end[0] && strcmp(t.end, on) < 0;
    v->v = ended ? 0 : strcmp(t.status, "in force") == 0 ? 2 : strcmp(t.status, "signed") == 0;
    snprintf(v->sources, sizeof v->sources, "%s version %d (%s): %s%s", s->subject, t.version,
             t.effective, t.status, ended ? ", ended" : "");
    return 0;
}

static int read_market(struct db *db, const struct cmt_spec *s, const char *date,
                       struct cmt_value *v, struct err *e)
{
    char status[16], rule[ACCESS_RULE_TEXT], source[300] = "";
    int64_t id;
    int rc = access_market(db, s->subject, s->from, s->to, upto(s, date), status, rule, &id, e);
    if (rc) return rc;
    v->found = 1;
    v->v = strcmp(status, "open") == 0;
    if (!id) {
        snprintf(v->sources, sizeof v->sources, "no rule for HS %s from %s to %s", s->subject,
                 s->from, s->to);
        return 0;
    }
    rc = db_lookup(db, e, source, sizeof source, "SELECT source FROM access_rule WHERE id = ?1",
                   "i", id);
    if (rc < 0) return rc;
    snprintf(v->sources, sizeof v->sources, "%s%s%s", rule, source[0] ? "; " : "", source);
    return 0;
}

/* The whole years whose last day lies within the window up to the date,
 * latest first: *y0..*y1 (none when *y1 < *y0). */
static void window_years(const struct cmt_spec *s, const char *date, int *y0, int *y1)
{
    const char *last = upto(s, date);
    *y0 = atoi(s->start);
    *y1 = atoi(last) - (strcmp(last + 4, "-12-31") != 0);
}

static int read_tourists(struct db *db, const struct cmt_spec *s, const char *date,
                         struct cmt_value *v, struct err *e)
{
    int y0, y1;
    window_years(s, date, &y0, &y1);
    for (int y = y1; y >= y0; y--) {
        int months, annual;
        int64_t n;
        int rc = tour_year(db, s->from, s->to, "", y, &n, &months, &annual, e);
        if (rc) return rc;
        if (months < 12) {
            size_t k = strlen(v->why);
            snprintf(v->why + k, sizeof v->why - k, TF("%s%d: %d of 12 months"), k ? "; " : "", y,
                     months);
            continue;
        }
        v->found = 1;
        v->v = n;
        snprintf(v->at, sizeof v->at, "%04u-12-31", (unsigned)y % 10000u);
        struct buf b = {.max = 400};
        rc = db_join(db, e, &b, "; ",
                     "SELECT DISTINCT source FROM tour_flow WHERE from_country = ?1 AND "
                     "to_country = ?2 AND crossing = '' AND year = ?3 AND source <> '' ORDER BY 1",
                     "tti", s->from, s->to, (int64_t)y);
        if (!rc)
            snprintf(v->sources, sizeof v->sources, "%d%s%s%s", y,
                     annual ? " (annual figure)" : " (twelve months)", b.len ? ": " : "",
                     b.len ? b.p : "");
        buf_free(&b);
        return rc;
    }
    return 0;
}

static int read_turnover(struct db *db, const struct cmt_spec *s, const char *date,
                         struct cmt_value *v, struct err *e)
{
    int y0, y1;
    window_years(s, date, &y0, &y1);
    for (int y = y1; y >= y0; y--) {
        struct trade_fact f;
        int rc = trade_fact_turnover(db, s->from, s->to, y, &f, e);
        if (rc) return rc;
        if (!f.found || f.part) {
            size_t k = strlen(v->why);
            snprintf(v->why + k, sizeof v->why - k, "%s%d: %s", k ? "; " : "", y,
                     f.found ? T("a part of the year only") : T("no figure"));
            continue;
        }
        v->found = 1;
        v->v = f.value;
        snprintf(v->at, sizeof v->at, "%04u-12-31", (unsigned)y % 10000u);
        snprintf(v->sources, sizeof v->sources, "%d as %s reports it: %s", y, s->from, f.source);
        return 0;
    }
    return 0;
}

static int read_investment(struct db *db, const struct cmt_spec *s, const char *date,
                           struct cmt_value *v, struct err *e)
{
    const char *last = upto(s, date);
    struct db_stmt *st;
    int rc = db_prepare(
        db, &st, e,
        "SELECT p.origin, p.amount_usd, coalesce(src.name, ''), (SELECT min(h.date) FROM inv_stage "
        "h WHERE h.project_id = p.id AND CASE h.stage WHEN 'idea' THEN 0 WHEN 'announced' THEN 1 "
        "WHEN 'signed' THEN 2 WHEN 'construction' THEN 3 WHEN 'commissioned' THEN 4 ELSE -1 END "
        ">= ?2), (SELECT h.stage FROM inv_stage h WHERE h.project_id = p.id AND h.date <= ?4 "
        "ORDER BY h.seq DESC LIMIT 1) FROM inv_project p LEFT JOIN source src ON src.id = "
        "p.source_id WHERE p.host = ?1 AND p.kind IN ('greenfield', 'acquisition', "
        "'joint-venture') ORDER BY p.id",
        "titt", s->to, (int64_t)inv_stage_parse(s->subject), s->start, last);
    int without = 0;
    v->found = 1;
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        const char *reached = db_col_str(st, 3);
        if (!*reached || strcmp(reached, s->start) < 0 || strcmp(reached, last) > 0) continue;
        if (strcmp(db_col_str(st, 4), "cancelled") == 0) continue;
        if (*s->origins && !str_list_has(s->origins, db_col_str(st, 0))) continue; /* none: all */
        if (db_col_null(st, 1)) {
            without++;
            continue;
        }
        if (__builtin_add_overflow(v->v, db_col_int(st, 1), &v->v))
            rc = err_set(e, ERR_LIMIT, "the investment amounts overflow");
        cite(v, db_col_str(st, 2));
    }
    db_finalize(st);
    if (!rc && without) {
        v->incomplete = 1;
        snprintf(v->why, sizeof v->why,
                 without == 1 ? TF("%d project without an amount in US$ left out")
                              : TF("%d projects without an amount in US$ left out"),
                 without);
    }
    return rc;
}

const struct cmt_indicator cmt_indicators[] = {
    {"beef_exports_t", N_("beef exports"), "t", 1000000, CMT_SUM, 0, CMT_FROM | CMT_TO,
     "HS lines (default 0201,0202: beef, fresh or chilled, and frozen)", "KAZ", "CHN",
     N_("Net tonnes of shipments under the HS lines from one country to the other whose delivery "
        "was recorded within the window, up to the date; a shipment rejected by then does not "
        "count."),
     read_exports, "0201,0202"},
    {"agreement_delivered_t", N_("delivered under an agreement"), "t", 1000000, CMT_SUM, 0,
     CMT_SUBJECT, "the agreement's code", NULL, NULL,
     N_("Net tonnes of the agreement's shipments whose delivery was recorded within the window, up "
        "to the date; a shipment rejected by then does not count."),
     read_agreement_delivered},
    {"agreement_status", N_("agreement signed or in force"), "level", 1, CMT_STATE, 2, CMT_SUBJECT,
     "the agreement's code", NULL, NULL,
     N_("The agreement's terms in effect on the date (or the window's end): 2 in force, 1 signed, "
        "0 "
        "proposed, expired, terminated, past its end date, or no terms yet."),
     read_agreement_status},
    {"market_open", N_("market opened"), "level", 1, CMT_STATE, 1, CMT_SUBJECT | CMT_FROM | CMT_TO,
     "the product's HS code", "KAZ", "CHN",
     N_("1 when the most specific market-access rule for the product from the whole exporting "
        "country, in force on the date (or the window's end), is open; 0 when it is pending, "
        "suspended or closed, or no rule applies."),
     read_market},
    {"tourist_arrivals", N_("tourist arrivals in a year"), "visitors", 1, CMT_LEVEL, 0,
     CMT_FROM | CMT_TO | CMT_BASELINE, NULL, "CHN", "KAZ",
     N_("Visitors from one country to the other in the latest whole year ending within the window, "
        "up to the date: the year's published figure, else the sum of its twelve months; a year "
        "with months missing is not used."),
     read_tourists},
    {"trade_turnover_usd", N_("trade turnover in a year"), "US$", 100, CMT_LEVEL, 0,
     CMT_FROM | CMT_TO | CMT_BASELINE, NULL, "KAZ", "CHN",
     N_("Exports plus imports of all goods with the partner, as the reporting country (from) "
        "reports them, in the latest whole year ending within the window, up to the date; a part "
        "year is not used."),
     read_turnover},
    {"investment_usd", N_("investment reaching a stage"), "US$", 100, CMT_SUM, 0,
     CMT_SUBJECT | CMT_TO | CMT_ORIGINS,
     "the stage (announced, signed, construction, commissioned)", NULL, "KAZ",
     N_("US$ of investment projects (greenfield, acquisition, joint venture) in the host country "
        "(to), from the origins given (default: all), that first reached the stage or a later one "
        "within the window, up to the date, and are not cancelled by then; projects without an "
        "amount in US$ are counted apart."),
     read_investment},
    {0},
};

const struct cmt_indicator *cmt_indicator_find(const char *name)
{
    for (const struct cmt_indicator *in = cmt_indicators; name && in->name; in++)
        if (strcmp(in->name, name) == 0) return in;
    return NULL;
}

int cmt_indicator_read(struct db *db, const struct cmt_spec *s, const char *date,
                       struct cmt_value *v, struct err *e)
{
    memset(v, 0, sizeof *v);
    const struct cmt_indicator *in = cmt_indicator_find(s->indicator);
    if (!in) return err_set(e, ERR_INPUT, "no indicator '%s'", s->indicator ? s->indicator : "");
    if (in->kind == CMT_SUM && strcmp(date, s->start) < 0) {
        v->found = 1; /* nothing has happened within the window yet */
        str_copy(v->at, date, sizeof v->at);
        return 0;
    }
    int rc = in->read(db, s, date, v, e);
    if (!v->at[0]) str_copy(v->at, upto(s, date), sizeof v->at);
    if (!rc && !v->found && !v->why[0])
        snprintf(v->why, sizeof v->why, TF("no whole year ends between %s and %s"), s->start,
                 upto(s, date));
    return rc;
}

/* Digits of a whole number with thin groups of three: 1,234,567. */
static void grouped(double v, char *out, size_t size)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", v < 0 ? -v : v);
    size_t n = strlen(digits), k = 0;
    if (v <= -0.5 && k + 1 < size) out[k++] = '-';
    for (size_t i = 0; i < n && k + 2 < size; i++) {
        if (i && (n - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = 0;
}

void cmt_human(const struct cmt_indicator *in, double v, char *out, size_t size)
{
    char g[48], l[64];
    double a = v < 0 ? -v : v;
    /* in the reader's words and numbers: US$ 43.82 bn, 43,82 млрд долл. США */
    if (in->scale == 100 && a >= 1e8 && strcmp(i18n_lang(), "zh") == 0) { /* 438.2亿美元 */
        snprintf(out, size, "%.1f亿美元", v / 1e8);
    } else if (in->scale == 100 && a >= 1e9) {
        snprintf(out, size, TF("US$ %s bn"), i18n_decimal(v / 1e9, 2, l, sizeof l));
    } else if (in->scale == 100 && a >= 1e6) {
        snprintf(out, size, TF("US$ %s m"), i18n_decimal(v / 1e6, 1, l, sizeof l));
    } else if (in->kind == CMT_STATE) {
        snprintf(g, sizeof g, "%.0f", v);
        snprintf(out, size, TF("level %s"), g);
    } else {
        grouped(v, g, sizeof g);
        if (in->scale == 100)
            snprintf(out, size, TF("US$ %s"), i18n_number(g, l, sizeof l));
        else
            snprintf(out, size, "%s %s", i18n_number(g, l, sizeof l), T(in->unit));
    }
}

void cmt_exact(const struct cmt_indicator *in, int64_t v, char *out, size_t size)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t scale = (uint64_t)in->scale, whole = a / scale, part = a % scale;
    const char *sign = v < 0 ? "-" : "";
    if (scale == 100)
        snprintf(out, size, "%s%llu.%02llu", sign, (unsigned long long)whole,
                 (unsigned long long)part);
    else if (scale == 1000000)
        snprintf(out, size, "%s%llu.%06llu", sign, (unsigned long long)whole,
                 (unsigned long long)part);
    else
        snprintf(out, size, "%s%llu", sign, (unsigned long long)whole);
}
