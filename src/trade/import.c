/* import.c — trade statistics importers: UN Comtrade "plus" CSV, legacy
 * Comtrade CSV (35 and 22 columns) and corridor's native CSV. The format is
 * detected from the header; columns are matched by name in any order (a
 * column named twice is refused); each row is validated completely (codes
 * resolved, numbers parsed exactly into cents, grams and thousandths, none
 * negative) before one upsert on the natural key. A file is one transaction,
 * the dispatcher's: every row or none, unless rejects are asked for. */
#include "trade.h"

#include "../ops/ops.h"

#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

enum fld {
    F_SOURCE,
    F_REPORTER,
    F_REPORTER_ISO,
    F_REGION,
    F_PARTNER,
    F_PARTNER_ISO,
    F_YEAR,
    F_MONTH,
    F_PERIOD,
    F_FREQ,
    F_FLOW,
    F_HS,
    F_VALUE,
    F_NETKG,
    F_QTY,
    F_QTY_UNIT,
    F_P2,
    F_CUSTOMS,
    F_MOT,
    F_MOS,
    F_COUNT
};

enum fmt { FMT_COMTRADE, FMT_LEGACY, FMT_NATIVE };

/* The largest value one row may carry: US$ 10 trillion, above any country's
 * yearly trade, so that sums of rows stay far from overflowing. */
#define TRADE_VALUE_MAX INT64_C(1000000000000000)

static const char *const fmt_names[] = {"comtrade", "comtrade-legacy", "native"};

/* Header names per format; NULL where the format has no such column. */
static const char *const headers[3][F_COUNT] = {
    [FMT_COMTRADE] = {NULL,          "reporterCode", "reporterISO",  NULL,      "partnerCode",
                      "partnerISO",  "refYear",      "refMonth",     "period",  "freqCode",
                      "flowCode",    "cmdCode",      "primaryValue", "netWgt",  "qty",
                      "qtyUnitAbbr", "partner2Code", "customsCode",  "motCode", "mosCode"},
    [FMT_LEGACY] = {NULL,
                    "Reporter Code",
                    "Reporter ISO",
                    NULL,
                    "Partner Code",
                    "Partner ISO",
                    "Year",
                    NULL,
                    "Period",
                    NULL,
                    "Trade Flow Code",
                    "Commodity Code",
                    "Trade Value (US$)",
                    "Netweight (kg)",
                    "Qty",
                    "Qty Unit Code",
                    "2nd Partner Code",
                    "Customs Proc. Code",
                    "Mode of Transport Code",
                    NULL},
    [FMT_NATIVE] = {"source",    "reporter", NULL,   "reporter_region",
                    "partner",   NULL,       "year", "month",
                    NULL,        NULL,       "flow", "hs",
                    "value_usd", "net_kg",   "qty",  "qty_unit",
                    NULL,        NULL,       NULL,   NULL},
};

/* Legacy quantity unit codes 1..13 and their names. */
static const char *const legacy_units[] = {"",         "none",  "m2", "1000kWh", "m",
                                           "items",    "pairs", "l",  "kg",      "1000items",
                                           "packages", "dozen", "m3", "carat"};

static const char *const flow_codes[] = {"X",   "M",   "RX", "RM", "MIP", "XIP",
                                         "MOP", "XOP", "FM", "DX", "T",   NULL};

struct importer {
    struct db *db;
    const struct ref *ref;
    const struct trade_import_opts *o;
    struct trade_import_stats *s;
    const char *path;
    enum fmt fmt;
    int col[F_COUNT];
    size_t nheader;
    struct db_stmt *ins, *src_find, *src_add;
    FILE *rejects;
    /* the last source resolved, since files rarely change source per row */
    char src_name[256];
    int64_t src_id;
};

static int detect_format(const struct csv_row *h, const char *want, enum fmt *out, struct err *e)
{
    int plus = csv_find(h, "flowCode") >= 0 && csv_find(h, "primaryValue") >= 0;
    int legacy = csv_find(h, "Trade Flow Code") >= 0 && csv_find(h, "Trade Value (US$)") >= 0;
    int native = csv_find(h, "value_usd") >= 0 && csv_find(h, "flow") >= 0;
    enum fmt f;
    if (plus)
        f = FMT_COMTRADE;
    else if (legacy)
        f = FMT_LEGACY;
    else if (native)
        f = FMT_NATIVE;
    else
        return err_set(e, ERR_INPUT,
                       "unrecognised header: expected UN Comtrade plus (flowCode, "
                       "primaryValue...), legacy Comtrade (Trade Flow Code, Trade Value "
                       "(US$)...) or native (source,reporter,...,value_usd) columns");
    if (want && strcmp(want, "auto") != 0 && strcmp(want, fmt_names[f]) != 0)
        return err_set(e, ERR_INPUT, "the format %s was asked for, but the header is %s's", want,
                       fmt_names[f]);
    *out = f;
    return 0;
}

static int map_columns(struct importer *im, const struct csv_row *h, struct err *e)
{
    for (int f = 0; f < F_COUNT; f++) {
        const char *name = headers[im->fmt][f];
        im->col[f] = name ? csv_find(h, name) : -1;
    }
    /* the variants seen in Comtrade files */
    if (im->fmt == FMT_COMTRADE && im->col[F_FLOW] < 0) im->col[F_FLOW] = csv_find(h, "flowCode");
    struct {
        int a, b;
        const char *what;
    } need[] = {
        {F_REPORTER, F_REPORTER_ISO, "reporter"},
        {F_PARTNER, F_PARTNER_ISO, "partner"},
        {F_YEAR, F_PERIOD, "year"},
        {F_FLOW, F_FLOW, "flow"},
        {F_HS, F_HS, "commodity code"},
        {F_VALUE, F_VALUE, "value"},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (im->col[need[i].a] < 0 && im->col[need[i].b] < 0) {
            err_at(e, im->path, h->line, 0, headers[im->fmt][need[i].a]);
            return err_set(e, ERR_INPUT, "the %s header lacks the %s column", fmt_names[im->fmt],
                           need[i].what);
        }
    if (im->fmt == FMT_NATIVE && im->col[F_SOURCE] < 0 && !im->o->source) {
        err_at(e, im->path, h->line, 0, "source");
        return err_set(e, ERR_INPUT, "native files need a source column or --source NAME");
    }
    im->nheader = h->nfields;
    return 0;
}

static const char *get(const struct csv_row *r, const struct importer *im, enum fld f)
{
    int c = im->col[f];
    return (c >= 0 && (size_t)c < r->nfields) ? r->fields[c] : NULL;
}

/* Marks the error location at field f of row r. */
static int bad(struct importer *im, const struct csv_row *r, enum fld f, struct err *e)
{
    err_at(e, im->path, r->line, im->col[f] >= 0 ? im->col[f] + 1 : 0,
           headers[im->fmt][f] ? headers[im->fmt][f] : "");
    return e->code ? e->code : ERR_INPUT;
}

static int is_zero_code(const char *s, const char *zero)
{
    return !s || !*s || strcmp(s, zero) == 0;
}

/* The id of source name, registered on first sight; 0 or an error. */
static int source_id(struct importer *im, const char *name, int64_t *id, struct err *e)
{
    if (im->src_id && strcmp(name, im->src_name) == 0) return *id = im->src_id, 0;
    int rc = db_rebind(im->src_find, e, "t", name);
    if (!rc) rc = db_step(im->src_find, e);
    if (rc == 1) {
        *id = db_col_int(im->src_find, 0);
    } else if (rc == 0) {
        rc = db_rebind(im->src_add, e, "t", name);
        if (!rc) rc = db_step(im->src_add, e);
        if (rc) return rc < 0 ? rc : err_set(e, ERR_INTERNAL, "registering the source");
        *id = db_last_id(im->db);
    } else {
        return rc;
    }
    str_copy(im->src_name, name, sizeof im->src_name);
    im->src_id = *id;
    return 0;
}

/* Parses and stores one data row. Returns 0, 1 when the row was dropped as a
 * breakdown row, or a negative error with e filled. */
static int import_row(struct importer *im, const struct csv_row *r, struct err *e)
{
    if (r->nfields != im->nheader) {
        err_at(e, im->path, r->line, (int)(r->nfields < im->nheader ? r->nfields : im->nheader + 1),
               NULL);
        return err_set(e, ERR_INPUT, "row has %zu fields but the header has %zu%s", r->nfields,
                       im->nheader, r->nfields < im->nheader ? " (truncated line?)" : "");
    }
    const struct country *rep = NULL, *par = NULL;
    struct err tmp; /* the ISO fallback's error is not reported */
    tmp.code = 0;
    /* reporter and partner: numeric code first, ISO code as fallback */
    enum fld rf = im->col[F_REPORTER] >= 0 ? F_REPORTER : F_REPORTER_ISO;
    rep = ref_country(im->ref, get(r, im, rf), e);
    if (!rep && im->col[F_REPORTER_ISO] >= 0 && rf != F_REPORTER_ISO)
        rep = ref_country(im->ref, get(r, im, F_REPORTER_ISO), &tmp);
    if (!rep) return bad(im, r, rf, e);
    enum fld pf = im->col[F_PARTNER] >= 0 ? F_PARTNER : F_PARTNER_ISO;
    par = ref_country(im->ref, get(r, im, pf), e);
    if (!par && im->col[F_PARTNER_ISO] >= 0 && pf != F_PARTNER_ISO)
        par = ref_country(im->ref, get(r, im, F_PARTNER_ISO), &tmp);
    if (!par) return bad(im, r, pf, e);
    if (e->code) err_clear(e); /* a numeric code failed but the ISO code matched */

    const char *region =
        ref_region_field(im->ref, get(r, im, F_REGION), rep->code3, "reporter_region", e);
    if (!region) return bad(im, r, F_REGION, e);

    long year = 0, month = 0;
    const char *period = get(r, im, F_PERIOD);
    if (im->col[F_YEAR] >= 0) {
        if (int_parse(get(r, im, F_YEAR), 1900, 2200, &year, e)) return bad(im, r, F_YEAR, e);
    } else if (!period || strlen(period) < 4 || int_parse(period, 1900, 220012, &year, e)) {
        err_set(e, ERR_INPUT, "'%s' is not a period (YYYY or YYYYMM)", period ? period : "");
        return bad(im, r, F_PERIOD, e);
    } else if (year > 2200) {
        year /= 100;
    }
    const char *freq = get(r, im, F_FREQ);
    int annual = freq && str_ieq(freq, "A");
    if (!annual && period && strlen(period) == 6) {
        long p;
        if (int_parse(period, 190001, 220012, &p, e) || p % 100 < 1 || p % 100 > 12) {
            err_set(e, ERR_INPUT, "'%s' is not a period (YYYY or YYYYMM)", period);
            return bad(im, r, F_PERIOD, e);
        }
        month = p % 100;
        if (p / 100 != year) {
            err_set(e, ERR_INPUT, "period %s does not fall in year %ld", period, year);
            return bad(im, r, F_PERIOD, e);
        }
    } else if (!annual && im->col[F_MONTH] >= 0 && *get(r, im, F_MONTH)) {
        long m;
        if (int_parse(get(r, im, F_MONTH), 0, 52, &m, e)) return bad(im, r, F_MONTH, e);
        if (m > 12 && m != 52) {
            err_set(e, ERR_INPUT, "month %ld is not 1..12 (or 52 for a year)", m);
            return bad(im, r, F_MONTH, e);
        }
        month = m == 52 ? 0 : m;
    }

    char flow[8];
    const char *fl = get(r, im, F_FLOW);
    if (im->fmt == FMT_LEGACY) {
        static const char *const legacy_flows[] = {NULL, "M", "X", "RX", "RM"};
        long code;
        if (int_parse(fl, 1, 4, &code, e)) {
            err_set(e, ERR_INPUT,
                    "unknown trade flow code '%s' (1 import, 2 export, 3 "
                    "re-export, 4 re-import)",
                    fl ? fl : "");
            return bad(im, r, F_FLOW, e);
        }
        str_copy(flow, legacy_flows[code], sizeof flow);
    } else {
        str_upper(str_trim(str_copy(flow, fl ? fl : "", sizeof flow)));
        int ok = 0;
        for (int i = 0; flow_codes[i]; i++)
            ok |= strcmp(flow, flow_codes[i]) == 0;
        if (!ok || (strcmp(flow, "T") == 0 && im->fmt != FMT_NATIVE)) {
            err_set(e, ERR_INPUT,
                    "unknown flow code '%s' (X, M, RX, RM, MIP, XIP, MOP, XOP, "
                    "FM, DX%s)",
                    fl ? fl : "", im->fmt == FMT_NATIVE ? ", T" : "");
            return bad(im, r, F_FLOW, e);
        }
    }

    char hs[16];
    str_upper(str_trim(str_copy(hs, get(r, im, F_HS) ? get(r, im, F_HS) : "", sizeof hs)));
    if (!ref_hs_valid(hs)) {
        err_set(e, ERR_INPUT, "'%s' is not an HS code (TOTAL or 2, 4, 6... digits)",
                get(r, im, F_HS));
        return bad(im, r, F_HS, e);
    }

    int64_t value, net = 0, qty = 0;
    if (dec_parse(get(r, im, F_VALUE), 2, &value, e)) return bad(im, r, F_VALUE, e);
    if (value < 0 || value > TRADE_VALUE_MAX) {
        err_set(e, ERR_INPUT, "trade value %s is not between 0 and US$ 10 trillion",
                get(r, im, F_VALUE));
        return bad(im, r, F_VALUE, e);
    }
    const char *s_net = get(r, im, F_NETKG), *s_qty = get(r, im, F_QTY);
    int has_net = s_net && *s_net, has_qty = s_qty && *s_qty;
    if (has_net && dec_parse(s_net, 3, &net, e)) return bad(im, r, F_NETKG, e);
    if (has_net && net < 0) {
        err_set(e, ERR_INPUT, "negative net weight %s", s_net);
        return bad(im, r, F_NETKG, e);
    }
    if (has_qty && dec_parse(s_qty, 3, &qty, e)) return bad(im, r, F_QTY, e);
    if (has_qty && qty < 0 && !(im->fmt != FMT_NATIVE && qty == -1000)) {
        err_set(e, ERR_INPUT, "negative quantity %s", s_qty);
        return bad(im, r, F_QTY, e);
    }
    if (has_qty && qty < 0) has_qty = 0; /* Comtrade writes -1 for "no quantity" */
    char unit[24] = "";
    const char *u = get(r, im, F_QTY_UNIT);
    if (u && *u) {
        if (im->fmt == FMT_LEGACY) {
            long code;
            if (int_parse(u, 1, 13, &code, e)) return bad(im, r, F_QTY_UNIT, e);
            str_copy(unit, legacy_units[code], sizeof unit);
        } else {
            if (strlen(u) >= sizeof unit || !str_valid_utf8(u, strlen(u))) {
                err_set(e, ERR_INPUT, "quantity unit '%.30s' is not a short text", u);
                return bad(im, r, F_QTY_UNIT, e);
            }
            str_copy(unit, u, sizeof unit);
        }
    }

    /* the breakdown rows: second partner, customs procedure, mode of
     * transport, mode of supply other than "all" */
    char bd[96] = "";
    const char *p2 = get(r, im, F_P2), *cc = get(r, im, F_CUSTOMS), *mot = get(r, im, F_MOT),
               *mos = get(r, im, F_MOS);
    if (!is_zero_code(p2, "0") || !is_zero_code(cc, "C00") || !is_zero_code(mot, "0") ||
        !is_zero_code(mos, "0")) {
        if (!im->o->breakdown) return 1;
        snprintf(bd, sizeof bd, "p2=%.12s;cc=%.12s;mot=%.12s;mos=%.12s", p2 ? p2 : "", cc ? cc : "",
                 mot ? mot : "", mos ? mos : "");
    }

    const char *src = im->o->source;
    if (!src) src = im->fmt == FMT_NATIVE ? get(r, im, F_SOURCE) : "UN Comtrade";
    if (!src || !*src || strlen(src) > 200 || !str_valid_utf8(src, strlen(src))) {
        err_set(e, ERR_INPUT, "source must be 1 to 200 characters of text");
        return bad(im, r, F_SOURCE, e);
    }
    int64_t sid = 0;
    int rc = source_id(im, src, &sid, e);
    if (rc) return rc;
    /* net weight and quantity are NULL when absent (the text "" binds NULL
     * through CAST below) */
    char snet[32] = "", sqty[32] = "";
    if (has_net) snprintf(snet, sizeof snet, "%lld", (long long)net);
    if (has_qty) snprintf(sqty, sizeof sqty, "%lld", (long long)qty);
    rc = db_rebind(im->ins, e, "itttnntttittt", sid, rep->code3, region, par->code3, (int)year,
                   (int)month, flow, hs, bd, value, has_net ? snet : NULL, has_qty ? sqty : NULL,
                   unit);
    if (!rc) rc = db_step(im->ins, e);
    if (rc < 0) {
        err_at(e, im->path, r->line, 0, NULL);
        return rc;
    }
    if (db_changes(im->db))
        im->s->kept++;
    else
        im->s->duplicates++;
    return 0;
}

static void write_reject(struct importer *im, const struct csv_row *r, const struct err *e)
{
    FILE *f = im->rejects;
    fprintf(f, "%ld,%d,", r->line, e->column);
    csv_put(f, e->field);
    fputc(',', f);
    csv_put(f, e->msg);
    fputc(',', f);
    /* the original record, re-encoded as one CSV line in one field */
    struct buf b = {0};
    for (size_t i = 0; i < r->nfields; i++) {
        const char *s = r->fields[i];
        if (i) buf_append(&b, ",", 1);
        if (strpbrk(s, ",\"\r\n")) {
            buf_append(&b, "\"", 1);
            for (; *s; s++) {
                if (*s == '"') buf_append(&b, "\"", 1);
                buf_append(&b, s, 1);
            }
            buf_append(&b, "\"", 1);
        } else {
            buf_puts(&b, s);
        }
    }
    csv_put(f, b.p ? b.p : "");
    fputc('\n', f);
    buf_free(&b);
}

static int on_row(const struct csv_row *r, void *ctx, struct err *e)
{
    struct importer *im = ctx;
    if (im->nheader == 0) {
        int rc = csv_header_unique(r, im->path, e);
        if (rc) return rc;
        rc = detect_format(r, im->o->format, &im->fmt, e);
        if (!rc) rc = map_columns(im, r, e);
        if (rc) err_at(e, im->path, r->line, e->column, e->field[0] ? e->field : NULL);
        str_copy(im->s->format, fmt_names[im->fmt], sizeof im->s->format);
        return rc;
    }
    if (r->nfields == 1 && r->lens[0] == 0) return 0; /* a blank line */
    im->s->read++;
    int rc = import_row(im, r, e);
    if (rc == 1) {
        im->s->breakdown_dropped++;
        return 0;
    }
    if (rc < 0 && rc != ERR_DB && im->rejects) {
        if (im->o->max_rejects && im->s->rejected >= im->o->max_rejects) {
            err_clear(e);
            err_at(e, im->path, r->line, 0, NULL);
            return err_set(e, ERR_LIMIT, "more than %llu rows refused: nothing was imported",
                           (unsigned long long)im->o->max_rejects);
        }
        write_reject(im, r, e);
        im->s->rejected++;
        err_clear(e);
        return 0;
    }
    return rc;
}

static int count_rows(struct db *db, int64_t *n, struct err *e)
{
    int rc = db_lookup_int(db, e, n, "SELECT count(*) FROM trade_flow", NULL);
    return rc < 0 ? rc : 0;
}

static int check_format(const char *format, struct err *e)
{
    if (!format || strcmp(format, "auto") == 0) return 0;
    for (int i = 0; i < 3; i++)
        if (strcmp(format, fmt_names[i]) == 0) return 0;
    err_set(e, ERR_INPUT, "unknown format '%s' (auto, comtrade, comtrade-legacy, native)", format);
    return err_field(e, "format");
}

static int audit_after(struct importer *im, char **after)
{
    const struct trade_import_stats *s = im->s;
    char base[256];
    str_copy(base, im->path, sizeof base);
    json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "file", basename(base), "format",
                          s->format, "read", (json_int_t)s->read, "inserted",
                          (json_int_t)s->inserted, "revised", (json_int_t)s->revised, "duplicates",
                          (json_int_t)s->duplicates, "breakdown_dropped",
                          (json_int_t)s->breakdown_dropped, "rejected", (json_int_t)s->rejected);
    *after = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return 0;
}

int trade_import(struct db *db, const struct ref *ref, const struct csv_src *src,
                 const struct trade_import_opts *opts, struct trade_import_stats *stats,
                 struct err *e)
{
    static const char ins_sql[] =
        "INSERT INTO trade_flow(source_id, reporter, reporter_region, partner, year, month, "
        "flow, hs, breakdown, value_cents, net_g, qty, qty_unit) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CAST(?11 AS INTEGER), "
        "CAST(?12 AS INTEGER), ?13) "
        "ON CONFLICT DO UPDATE SET value_cents = excluded.value_cents, net_g = excluded.net_g, "
        "qty = excluded.qty, qty_unit = excluded.qty_unit "
        "WHERE value_cents IS NOT excluded.value_cents OR net_g IS NOT excluded.net_g "
        "OR qty IS NOT excluded.qty OR qty_unit IS NOT excluded.qty_unit";
    memset(stats, 0, sizeof *stats);
    const char *label = src->label ? src->label : src->path ? src->path : "(body)";
    struct importer im = {
        .db = db, .ref = ref, .o = opts, .s = stats, .path = label, .rejects = opts->rejects};
    double t0 = now_seconds();
    int rc = check_format(opts->format, e);
    if (rc) return rc;
    if (im.rejects) fputs("line,column,field,reason,record\n", im.rejects);
    int64_t before = 0, after = 0;
    rc = db_prepare(db, &im.ins, e, ins_sql, NULL);
    if (!rc) rc = db_prepare(db, &im.src_find, e, "SELECT id FROM source WHERE name = ?1", NULL);
    if (!rc) rc = db_prepare(db, &im.src_add, e, "INSERT INTO source(name) VALUES (?1)", NULL);
    if (!rc) rc = count_rows(db, &before, e);
    struct csv_opts co = {
        .progress = opts->progress, .label = label, .max_row_bytes = opts->max_row_bytes};
    if (!rc) rc = csv_read(src, &co, on_row, &im, e);
    if (!rc) rc = count_rows(db, &after, e);
    if (!rc) {
        stats->inserted = (uint64_t)(after - before);
        stats->revised = stats->kept - stats->inserted;
    }
    db_finalize(im.ins);
    db_finalize(im.src_find);
    db_finalize(im.src_add);
    stats->seconds = now_seconds() - t0;
    return rc;
}

void trade_import_summary(char *out, size_t size, const char *label,
                          const struct trade_import_stats *s)
{
    snprintf(out, size,
             "%s (%s): read %llu rows, stored %llu (%llu new, %llu revised), "
             "%llu duplicates, %llu breakdown rows dropped, %llu rejected; %.2f s, %.0f rows/s",
             label, s->format, (unsigned long long)s->read, (unsigned long long)s->kept,
             (unsigned long long)s->inserted, (unsigned long long)s->revised,
             (unsigned long long)s->duplicates, (unsigned long long)s->breakdown_dropped,
             (unsigned long long)s->rejected, s->seconds,
             s->seconds > 0 ? (double)s->read / s->seconds : 0.0);
}

int trade_import_op(struct op_call *c, struct err *e)
{
    struct trade_import_opts o = {.format = op_s(c, "format"),
                                  .source = op_s(c, "source"),
                                  .rejects = c->rejects,
                                  .max_rejects = c->max_rejects,
                                  .max_row_bytes = c->max_row_bytes,
                                  .breakdown = (int)op_i(c, "breakdown"),
                                  .progress = c->progress};
    struct csv_src src = {.path = op_s(c, "file")};
    if (c->body)
        src = (struct csv_src){.data = c->body,
                               .len = c->body_len,
                               .label = c->label ? c->label : "body",
                               .max_inflated = c->max_inflated};
    struct trade_import_stats s;
    int rc = trade_import(c->db, c->ref, &src, &o, &s, e);
    if (rc) return rc;
    const char *label = src.label ? src.label : src.path;
    trade_import_summary(c->done, sizeof c->done, label, &s);
    op_stat(c, "read", (int64_t)s.read);
    op_stat(c, "stored", (int64_t)s.kept);
    op_stat(c, "new", (int64_t)s.inserted);
    op_stat(c, "revised", (int64_t)s.revised);
    op_stat(c, "duplicates", (int64_t)s.duplicates);
    op_stat(c, "breakdown_dropped", (int64_t)s.breakdown_dropped);
    op_stat(c, "rejected", (int64_t)s.rejected);
    struct importer im = {.s = &s, .path = label};
    char base[256];
    str_copy(base, label, sizeof base);
    str_copy(c->id, basename(base), sizeof c->id);
    return audit_after(&im, &c->after);
}
