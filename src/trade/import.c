/* import.c — the trade statistics importer. The bytes of a file (or a
 * request body) come through input.c, plain or gzip, UTF-8 or Windows-1252/1251;
 * the first character tells JSON from CSV (comma, tab or semicolon
 * separated); shape.c tells from the header or the first record's keys
 * which shape the rows have. Each row is then validated completely (codes
 * resolved, the classification checked, numbers parsed exactly into cents,
 * grams and thousandths, none negative) before one upsert on the natural
 * key. A file is one transaction, the dispatcher's: every row or none,
 * unless rejects are asked for. */
#include "trade.h"

#include "../ops/ops.h"

#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

/* The largest value one row may carry: US$ 10 trillion, above any country's
 * yearly trade, so that sums of rows stay far from overflowing. */
#define TRADE_VALUE_MAX INT64_C(1000000000000000)

static const char *const flow_codes[] = {"X",   "M",   "RX", "RM", "MIP", "XIP",
                                         "MOP", "XOP", "FM", "DX", "T",   NULL};
static const char *const json_arrays[] = {"data", "dataset", NULL};

struct importer {
    struct db *db;
    const struct ref *ref;
    const struct trade_import_opts *o;
    struct trade_import_stats *s;
    const char *path;
    int shape;
    int col[TF_COUNT];
    size_t nheader;  /* 0 until the header is read */
    char edition[8]; /* BACI: the HS edition its file name states */
    char baci_src[64];
    struct db_stmt *ins, *src_find, *src_add, *alias_add;
    FILE *rejects;
    /* the last source resolved, since files rarely change source per row */
    char src_name[256];
    int64_t src_id;
    /* the reader chosen by the first byte */
    struct csv_reader *csv;
    struct jrec_reader *json;
    struct input_info info;
    /* the header's names (JSON: the first record's keys) */
    char **keys;
    int is_json;
    char **fields;
    size_t *lens;
    uint64_t record;
    long long said_count; /* what the document says it holds (-1: nothing) */
    char extra_key[64];   /* a member of this record the first record has not */
    long blank_lines;     /* lines before the first character (for line numbers) */
    char said_error[400];
};

struct trade_rec {
    const struct country *reporter, *partner;
    const char *region;
    long year, month;
    char flow[8], hs[16], cls[8], unit[24], bd[96];
    int64_t value, net, qty;
    int has_net, has_qty;
};

static const char *get(const struct csv_row *r, const struct importer *im, int f)
{
    int c = im->col[f];
    return (c >= 0 && (size_t)c < r->nfields) ? r->fields[c] : NULL;
}

static const char *field_name(const struct importer *im, int f)
{
    int c = im->col[f];
    if (c >= 0 && im->keys) return im->keys[c];
    const char *n = trade_shape_get(im->shape)->names[f];
    return n ? n : "";
}

/* Marks the error location at field f of row r: file:line:column, or for
 * JSON the record's line and number. */
static int bad(struct importer *im, const struct csv_row *r, int f, struct err *e)
{
    char name[64];
    const char *n = field_name(im, f);
    size_t k = strcspn(n, "|");
    snprintf(name, sizeof name, "%.*s", (int)(k < 60 ? k : 60), n);
    if (im->is_json) {
        char msg[sizeof e->msg + 32];
        snprintf(msg, sizeof msg, "record %llu: %s", (unsigned long long)im->record, e->msg);
        str_utf8_fix(str_copy(e->msg, msg, sizeof e->msg));
        err_at(e, im->path, r->line, 0, name);
    } else {
        err_at(e, im->path, r->line, im->col[f] >= 0 ? im->col[f] + 1 : 0, name);
    }
    return e->code ? e->code : ERR_INPUT;
}

static int is_zero_code(const char *s, const char *zero)
{
    return !s || !*s || strcmp(s, zero) == 0;
}

static int comtrade_like(const struct importer *im)
{
    return im->shape != SHAPE_NATIVE;
}

/* ---- one row, field by field ---------------------------------------------- */

static const struct country *country_of(struct importer *im, const struct csv_row *r, int code_f,
                                        int iso_f, struct err *e)
{
    struct err tmp = {0}; /* the ISO fallback's error is not reported */
    int f = im->col[code_f] >= 0 ? code_f : iso_f;
    const char *v = get(r, im, f);
    const struct country *c =
        comtrade_like(im) ? ref_country_comtrade(im->ref, v, e) : ref_country(im->ref, v, e);
    if (!c && f != iso_f && im->col[iso_f] >= 0) c = ref_country(im->ref, get(r, im, iso_f), &tmp);
    if (!c) {
        if (im->shape == SHAPE_BACI)
            snprintf(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg),
                     " (BACI's own codes: import its country table, country_codes_V*.csv, "
                     "first)");
        str_utf8_fix(e->msg);
        bad(im, r, f, e);
        return NULL;
    }
    err_clear(e); /* a numeric code failed but the ISO code matched */
    return c;
}

static int rec_places(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                      struct err *e)
{
    if (!(t->reporter = country_of(im, r, TF_REPORTER, TF_REPORTER_ISO, e))) return e->code;
    if (!(t->partner = country_of(im, r, TF_PARTNER, TF_PARTNER_ISO, e))) return e->code;
    t->region =
        ref_region_field(im->ref, get(r, im, TF_REGION), t->reporter->code3, "reporter_region", e);
    return t->region ? 0 : bad(im, r, TF_REGION, e);
}

static int bad_period(struct importer *im, const struct csv_row *r, const char *period,
                      struct err *e)
{
    err_set(e, ERR_INPUT, "'%.20s' is not a period (YYYY or YYYYMM)", period ? period : "");
    return bad(im, r, TF_PERIOD, e);
}

static int rec_period(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                      struct err *e)
{
    const char *period = get(r, im, TF_PERIOD);
    if (im->col[TF_YEAR] >= 0) {
        if (int_parse(get(r, im, TF_YEAR), 1900, 2200, &t->year, e)) return bad(im, r, TF_YEAR, e);
    } else if (!period || (strlen(period) != 4 && strlen(period) != 6) ||
               int_parse(period, 1900, 220012, &t->year, e) ||
               (strlen(period) == 4 && t->year > 2200) ||
               (strlen(period) == 6 && t->year < 190001)) {
        return bad_period(im, r, period, e);
    } else if (t->year > 2200) {
        t->year /= 100;
    }
    const char *freq = get(r, im, TF_FREQ), *m = get(r, im, TF_MONTH);
    int annual = freq && str_ieq(freq, "A");
    t->month = 0;
    if (!annual && period && strlen(period) == 6) {
        long p;
        if (int_parse(period, 190001, 220012, &p, e) || p % 100 < 1 || p % 100 > 12)
            return bad_period(im, r, period, e);
        t->month = p % 100;
        if (p / 100 != t->year) {
            err_set(e, ERR_INPUT, "period %s does not fall in year %ld", period, t->year);
            return bad(im, r, TF_PERIOD, e);
        }
    } else if (!annual && m && *m) {
        if (int_parse(m, 0, 52, &t->month, e)) return bad(im, r, TF_MONTH, e);
        if (t->month > 12 && t->month != 52) {
            err_set(e, ERR_INPUT, "month %ld is not 1..12 (or 52 for a year)", t->month);
            return bad(im, r, TF_MONTH, e);
        }
        if (t->month == 52) t->month = 0;
    }
    return 0;
}

static int rec_flow(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                    struct err *e)
{
    const char *fl = get(r, im, TF_FLOW), *text = get(r, im, TF_FLOW_TEXT);
    if (im->shape == SHAPE_BACI) {
        str_copy(t->flow, "X", sizeof t->flow);
        return 0;
    }
    if (im->shape == SHAPE_LEGACY) {
        static const char *const legacy[] = {NULL, "M", "X", "RX", "RM"};
        long code = 0;
        if (fl && *fl && int_parse(fl, 0, 4, &code, e)) {
            err_set(e, ERR_INPUT,
                    "unknown trade flow code '%.20s' (1 import, 2 export, 3 "
                    "re-export, 4 re-import, or 0 with the flow in Trade Flow)",
                    fl);
            return bad(im, r, TF_FLOW, e);
        }
        if (code) return str_copy(t->flow, legacy[code], sizeof t->flow), 0;
        if (trade_flow_of_text(text, t->flow) == 0) return 0;
        err_set(e, ERR_INPUT,
                "unknown trade flow '%.60s' (Import, Export, Re-export, Re-import "
                "or a processing flow)",
                text ? text : "");
        return bad(im, r, im->col[TF_FLOW_TEXT] >= 0 ? TF_FLOW_TEXT : TF_FLOW, e);
    }
    if (str_trim_copy(t->flow, sizeof t->flow, fl) == 0) {
        str_upper(t->flow);
        for (int i = 0; flow_codes[i]; i++)
            if (strcmp(t->flow, flow_codes[i]) == 0 && (i < 10 || im->shape == SHAPE_NATIVE))
                return 0;
    }
    err_set(e, ERR_INPUT, "unknown flow code '%.20s' (X, M, RX, RM, MIP, XIP, MOP, XOP, FM, DX%s)",
            fl ? fl : "", im->shape == SHAPE_NATIVE ? ", T" : "");
    return bad(im, r, TF_FLOW, e);
}

static int rec_goods(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                     struct err *e)
{
    const char *type = get(r, im, TF_TYPE), *cls = get(r, im, TF_CLASS), *hs = get(r, im, TF_HS);
    if (type && str_ieq(type, "S")) {
        err_set(e, ERR_INPUT,
                "typeCode S is trade in services: corridor keeps goods trade "
                "(typeCode C) by HS code only");
        return bad(im, r, TF_TYPE, e);
    }
    if (im->col[TF_CLASS] >= 0) {
        if (trade_classification(cls, t->cls, e)) return bad(im, r, TF_CLASS, e);
    } else {
        str_copy(t->cls, im->shape == SHAPE_BACI ? im->edition : "HS", sizeof t->cls);
    }
    if (str_trim_copy(t->hs, sizeof t->hs, hs)) t->hs[0] = 0; /* too long: refused below */
    str_upper(t->hs);
    /* HS codes have an even number of digits: one that lost its leading
     * zero (BACI writes codes as numbers; so do JSON numbers and
     * spreadsheets) gets it back, 10121 -> 010121 */
    size_t len = strlen(t->hs);
    if (len % 2 && len < sizeof t->hs - 1 && strspn(t->hs, "0123456789") == len) {
        memmove(t->hs + 1, t->hs, len + 1);
        t->hs[0] = '0';
    }
    if (!ref_hs_valid(t->hs) || strncmp(t->hs, "00", 2) == 0) {
        err_set(e, ERR_INPUT,
                "'%.20s' is not an HS code (TOTAL or 2, 4, 6... digits, chapter 01 "
                "to 99)",
                hs ? hs : "");
        return bad(im, r, TF_HS, e);
    }
    return 0;
}

/* Digits grouped in threes by one separator (a space, a no-break space, an
 * apostrophe or a dot) into out: 1 234 567 -> 1234567. 0 when the groups
 * are not threes after the first. */
static int ungroup(const char *s, size_t n, char *out, size_t size, size_t *o)
{
    size_t group = 0, groups = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t sep = c == ' ' || c == '\'' || c == '.'                           ? 1
                     : c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0 ? 2
                     : c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                             (unsigned char)s[i + 2] == 0xAF
                         ? 3
                         : 0;
        if (sep) {
            if (!group || (groups && group != 3) || group > 3) return 0;
            groups++, group = 0, i += sep;
            continue;
        }
        if (c < '0' || c > '9' || *o + 1 >= size) return 0;
        out[(*o)++] = (char)c, group++, i++;
    }
    return group && (!groups || group == 3);
}

/* The number in s as decimal text. A semicolon-separated file (Excel in
 * much of Europe and the CIS) writes 1 234 567,89 or 1.234.567,89: that is
 * 1234567.89. What could be read two ways (1.234: a thousand and more, or
 * one and a bit?) or mixes the two ways (1,234.56) is refused, never
 * guessed. Elsewhere s is left as it is. 0, or ERR_INPUT with e. */
static int number_text(const struct importer *im, const char *s, const char **out, char *buf,
                       size_t size, struct err *e)
{
    *out = s;
    char t[64];
    if (!s || im->info.delim != ';') return 0;
    if (str_trim_copy(t, sizeof t, s)) return err_set(e, ERR_INPUT, "'%.20s...' is too long", s);
    const char *comma = strchr(t, ','), *dot = strchr(t, '.'), *p = t;
    if (!*t || str_ieq(t, "NA") || strpbrk(t, "eE")) {
        if (comma && !dot && !strchr(comma + 1, ',')) *strchr(t, ',') = '.';
        str_copy(buf, t, size);
        *out = buf;
        return 0;
    }
    size_t o = 0;
    if (*p == '-' || *p == '+') buf[o++] = *p++;
    const char *frac = NULL;
    size_t ilen = strlen(p);
    if (comma) { /* a decimal comma: dots and spaces can only group thousands */
        if (strchr(comma + 1, ',') || strchr(comma, '.')) goto ambiguous;
        frac = comma + 1, ilen = (size_t)(comma - p);
    } else if (dot && !strchr(dot + 1, '.')) { /* one dot: a decimal point, unless it could group */
        size_t after = strspn(dot + 1, "0123456789");
        if (after == 3 && !dot[4] && dot - p <= 3 && dot > p && *p != '0') goto ambiguous;
        frac = dot + 1, ilen = (size_t)(dot - p);
    }
    if (!ungroup(p, ilen, buf, size, &o)) goto bad;
    if (frac) {
        size_t f = strlen(frac);
        if (!f || strspn(frac, "0123456789") != f || o + f + 2 > size) goto bad;
        buf[o++] = '.';
        memcpy(buf + o, frac, f), o += f;
    }
    buf[o] = 0;
    *out = buf;
    return 0;
ambiguous:
    return err_set(e, ERR_INPUT,
                   "'%s' can be read two ways in a semicolon-separated file (decimal comma or "
                   "point? thousands?): write 1234.5 as 1234,5 or 1 234,5",
                   t);
bad:
    return err_set(e, ERR_INPUT, "'%s' is not a number", t);
}

/* An optional amount: none when empty (or BACI's NA, or Comtrade's -1). */
static int amount(struct importer *im, const struct csv_row *r, int f, int scale, int64_t *v,
                  int *has, struct err *e)
{
    char t[8], num[64];
    const char *s;
    *has = 0;
    if (number_text(im, get(r, im, f), &s, num, sizeof num, e)) return bad(im, r, f, e);
    if (!s || !*s || (str_trim_copy(t, sizeof t, s) == 0 && str_ieq(t, "NA"))) return 0;
    if (dec_parse(s, scale, v, e)) return bad(im, r, f, e);
    /* Comtrade writes -1 for "no quantity" */
    if (*v < 0 && !(comtrade_like(im) && f == TF_QTY && scale == 3 && *v == -1000)) {
        err_set(e, ERR_INPUT, "negative %s %.30s",
                f == TF_QTY && im->shape != SHAPE_BACI ? "quantity" : "net weight", s);
        return bad(im, r, f, e);
    }
    /* a billion tonnes, or a quantity of 10^12, in one row is a typing error */
    if (*v > INT64_C(1000000000000000)) {
        err_set(e, ERR_INPUT, "%s %.30s is beyond any trade flow",
                f == TF_QTY && im->shape != SHAPE_BACI ? "quantity" : "net weight", s);
        return bad(im, r, f, e);
    }
    *has = *v >= 0;
    return 0;
}

static int rec_unit(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                    struct err *e)
{
    const char *u = get(r, im, TF_QTY_UNIT), *code = get(r, im, TF_QTY_UNIT_CODE);
    long k = 0;
    if (code && *code && int_parse(code, -1, 999, &k, e)) return bad(im, r, TF_QTY_UNIT_CODE, e);
    t->unit[0] = 0;
    if (k == -1) { /* Comtrade's "no unit": no quantity either */
        t->has_qty = 0;
        return 0;
    }
    if (k >= 1 && im->shape == SHAPE_LEGACY && trade_legacy_unit(k)) {
        str_copy(t->unit, trade_legacy_unit(k), sizeof t->unit); /* "kg", not its long name */
    } else if (u && *u && !str_ieq(u, "N/A")) {
        if (strlen(u) >= sizeof t->unit || !str_valid_utf8(u, strlen(u))) {
            err_set(e, ERR_INPUT, "quantity unit '%.30s' is not a short text", u);
            return bad(im, r, TF_QTY_UNIT, e);
        }
        str_copy(t->unit, u, sizeof t->unit);
    } else if (k && im->shape == SHAPE_LEGACY) {
        snprintf(t->unit, sizeof t->unit, "unit %ld", k);
    }
    return 0;
}

static int rec_amounts(struct importer *im, const struct csv_row *r, struct trade_rec *t,
                       struct err *e)
{
    char num[64];
    const char *v;
    if (number_text(im, get(r, im, TF_VALUE), &v, num, sizeof num, e))
        return bad(im, r, TF_VALUE, e);
    int baci = im->shape == SHAPE_BACI;
    /* BACI: v in thousands of US$, q in tonnes */
    if (dec_parse(v, baci ? 5 : 2, &t->value, e)) return bad(im, r, TF_VALUE, e);
    if (t->value < 0 || t->value > TRADE_VALUE_MAX) {
        err_set(e, ERR_INPUT, "trade value %.30s%s is not between 0 and US$ 10 trillion", v,
                baci ? " thousand" : "");
        return bad(im, r, TF_VALUE, e);
    }
    if (baci) {
        t->has_qty = 0;
        return amount(im, r, TF_QTY, 6, &t->net, &t->has_net, e);
    }
    int rc = amount(im, r, TF_NETKG, 3, &t->net, &t->has_net, e);
    if (comtrade_like(im) && t->has_net && t->net == 0 && t->value > 0)
        t->has_net = 0; /* Comtrade's 0 kg for goods worth something: not reported */
    if (!rc) rc = amount(im, r, TF_QTY, 3, &t->qty, &t->has_qty, e);
    if (!rc) rc = rec_unit(im, r, t, e);
    return rc;
}

/* 1 when the row is a breakdown row to drop. */
static int rec_breakdown(struct importer *im, const struct csv_row *r, struct trade_rec *t)
{
    const char *p2 = get(r, im, TF_P2), *cc = get(r, im, TF_CUSTOMS), *mot = get(r, im, TF_MOT),
               *mos = get(r, im, TF_MOS);
    t->bd[0] = 0;
    if (is_zero_code(p2, "0") && is_zero_code(cc, "C00") && is_zero_code(mot, "0") &&
        is_zero_code(mos, "0"))
        return 0;
    if (!im->o->breakdown) return 1;
    snprintf(t->bd, sizeof t->bd, "p2=%.12s;cc=%.12s;mot=%.12s;mos=%.12s", p2 ? p2 : "",
             cc ? cc : "", mot ? mot : "", mos ? mos : "");
    return 0;
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

static int rec_store(struct importer *im, const struct csv_row *r, const struct trade_rec *t,
                     struct err *e)
{
    const char *src = im->o->source;
    if (!src)
        src = im->shape == SHAPE_NATIVE ? get(r, im, TF_SOURCE)
              : im->shape == SHAPE_BACI ? im->baci_src
                                        : "UN Comtrade";
    if (!src || !*src || strlen(src) > 200 || !str_valid_utf8(src, strlen(src))) {
        err_set(e, ERR_INPUT, "source must be 1 to 200 characters of text");
        return bad(im, r, TF_SOURCE, e);
    }
    int64_t sid = 0;
    int rc = source_id(im, src, &sid, e);
    if (rc) return rc;
    /* net weight and quantity are NULL when absent (CAST(NULL) stays NULL) */
    char snet[32], sqty[32];
    snprintf(snet, sizeof snet, "%lld", (long long)t->net);
    snprintf(sqty, sizeof sqty, "%lld", (long long)t->qty);
    rc = db_rebind(im->ins, e, "itttnntttitttt", sid, t->reporter->code3, t->region,
                   t->partner->code3, (int)t->year, (int)t->month, t->flow, t->hs, t->bd, t->value,
                   t->has_net ? snet : NULL, t->has_qty ? sqty : NULL, t->unit, t->cls);
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

/* One line of BACI's country table: a code learnt when corridor lacks it. */
static int baci_country(struct importer *im, const struct csv_row *r, struct err *e)
{
    const char *code = get(r, im, TF_REPORTER), *iso = get(r, im, TF_REPORTER_ISO);
    struct err tmp = {0};
    size_t n = code ? strlen(code) : 0;
    if (n < 1 || n > 4 || strspn(code, "0123456789") != n || (n > 1 && code[0] == '0')) {
        err_set(e, ERR_INPUT,
                "'%.20s' is not a country code of BACI's (1 to 4 digits, no leading zero)",
                code ? code : "");
        return bad(im, r, TF_REPORTER, e);
    }
    if (im->s->read > 1000) {
        err_at(e, im->path, r->line, 0, NULL);
        return err_set(e, ERR_LIMIT, "more than 1000 countries: this is not BACI's country table");
    }
    const struct country *known = ref_country_comtrade(im->ref, code, &tmp);
    if (known) {
        im->s->duplicates++;
        return 0;
    }
    const struct country *c = ref_country(im->ref, iso, e);
    if (!c) return bad(im, r, TF_REPORTER_ISO, e);
    const char *iso2 = get(r, im, TF_PARTNER_ISO);
    const struct country *c2 = iso2 && *iso2 ? ref_country(im->ref, iso2, &tmp) : c;
    if (c2 != c) {
        err_set(e, ERR_INPUT, "%s is %s, but the ISO alpha-2 code '%.8s' is %s", iso, c->name, iso2,
                c2 ? c2->name : "no country");
        return bad(im, r, TF_PARTNER_ISO, e);
    }
    /* a code this table gave already must not be given again otherwise */
    char had[8] = "";
    int rc = db_lookup(im->db, e, had, sizeof had,
                       "SELECT country FROM country_alias WHERE code = ?1", "t", code);
    if (rc < 0) return rc;
    if (rc && strcmp(had, c->code3) != 0) {
        err_set(e, ERR_INPUT, "code %s was given as %s already, and now as %s", code, had,
                c->code3);
        return bad(im, r, TF_REPORTER, e);
    }
    if (!rc) {
        rc = db_rebind(im->alias_add, e, "tt", code, c->code3);
        if (!rc) rc = db_step(im->alias_add, e);
        if (rc < 0) return rc;
        im->s->aliases++;
    } else {
        im->s->duplicates++;
    }
    return 0;
}

/* Parses and stores one data row. Returns 0, 1 when the row was dropped as a
 * breakdown row, or a negative error with e filled. */
static int import_row(struct importer *im, const struct csv_row *r, struct err *e)
{
    size_t n = r->nfields;
    /* Comtrade's web CSV ends every data row with a comma: one empty field
     * more than the header has */
    while (n > im->nheader && r->lens[n - 1] == 0)
        n--;
    if (n != im->nheader) {
        err_at(e, im->path, r->line, (int)(n < im->nheader ? n : im->nheader + 1), NULL);
        return err_set(e, ERR_INPUT, "row has %zu fields but the header has %zu%s", n, im->nheader,
                       n < im->nheader ? " (truncated line?)" : "");
    }
    if (im->extra_key[0]) {
        err_at(e, im->path, r->line, 0, im->extra_key);
        err_set(e, ERR_INPUT,
                "record %llu has a member '%s' the first record has not: which "
                "column would it be?",
                (unsigned long long)im->record, im->extra_key);
        im->extra_key[0] = 0;
        return e->code;
    }
    if (im->shape == SHAPE_BACI_COUNTRIES) return baci_country(im, r, e);
    struct trade_rec t;
    memset(&t, 0, sizeof t);
    int rc = rec_places(im, r, &t, e);
    if (!rc) rc = rec_period(im, r, &t, e);
    if (!rc) rc = rec_flow(im, r, &t, e);
    if (!rc) rc = rec_goods(im, r, &t, e);
    if (!rc) rc = rec_amounts(im, r, &t, e);
    if (!rc && rec_breakdown(im, r, &t)) return 1;
    if (!rc) rc = rec_store(im, r, &t, e);
    return rc;
}

/* ---- rows from CSV or JSON ------------------------------------------------- */

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

static void describe_input(struct importer *im)
{
    const struct input_info *in = &im->info;
    const char *kind = im->json            ? "JSON"
                       : in->delim == '\t' ? "tab-separated"
                       : in->delim == ';'  ? "semicolon-separated"
                                           : "CSV";
    snprintf(im->s->container, sizeof im->s->container, "%s%s%s%s", kind,
             strncmp(in->encoding, "Windows-", 8) == 0 ? ", " : "",
             strncmp(in->encoding, "Windows-", 8) == 0 ? in->encoding : "",
             in->gzip ? ", gzip" : "");
}

static int header(struct importer *im, char *const *names, size_t n, long line, struct err *e)
{
    while (n > 1 && !*names[n - 1])
        n--; /* a header ending in a comma */
    int rc = trade_shape_map(names, n, im->o->format, im->path, line, &im->shape, im->col, e);
    if (rc) return rc;
    im->keys = xcalloc(n, sizeof *im->keys);
    for (size_t i = 0; i < n; i++)
        im->keys[i] = xstrdup(names[i]);
    str_copy(im->s->format, trade_shape_get(im->shape)->name, sizeof im->s->format);
    im->nheader = n;
    if (im->shape == SHAPE_NATIVE && im->col[TF_SOURCE] < 0 && !im->o->source) {
        err_at(e, im->path, line, 0, "source");
        return err_set(e, ERR_INPUT, "native files need a source column or --source NAME");
    }
    return 0;
}

static int on_row(const struct csv_row *r, void *ctx, struct err *e)
{
    struct importer *im = ctx;
    if (im->nheader == 0) return header(im, r->fields, r->nfields, r->line, e);
    if (r->nfields == 1 && r->lens[0] == 0) return 0; /* a blank line */
    im->s->read++;
    int rc = import_row(im, r, e);
    if (rc == 1) {
        im->s->breakdown_dropped++;
        return 0;
    }
    if (rc < 0 && rc != ERR_DB && rc != ERR_LIMIT && im->rejects) {
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

/* A JSON record becomes a row in the columns of the first record. */
static int on_record(const struct jrec *j, void *ctx, struct err *e)
{
    struct importer *im = ctx;
    im->record = j->index;
    if (!im->nheader) {
        im->is_json = 1;
        int rc = header(im, (char *const *)j->keys, j->n, j->line, e);
        if (rc) return rc;
        im->fields = xcalloc(im->nheader, sizeof *im->fields);
        im->lens = xcalloc(im->nheader, sizeof *im->lens);
    }
    for (size_t i = 0; i < im->nheader; i++)
        im->fields[i] = "", im->lens[i] = 0;
    for (size_t i = 0; i < j->n; i++) {
        size_t c = i < im->nheader && strcmp(im->keys[i], j->keys[i]) == 0 ? i : im->nheader;
        for (size_t k = 0; c == im->nheader && k < im->nheader; k++)
            if (strcmp(im->keys[k], j->keys[i]) == 0) c = k;
        if (c == im->nheader) { /* refused with the row, so that --skip-bad can set it aside */
            if (!im->extra_key[0]) str_copy(im->extra_key, j->keys[i], sizeof im->extra_key);
            continue;
        }
        im->fields[c] = (char *)j->vals[i];
        im->lens[c] = strlen(j->vals[i]);
    }
    struct csv_row row = {im->fields, im->lens, im->nheader, j->line};
    return on_row(&row, im, e);
}

/* What the document says besides its records: how many, and any error. */
static int on_meta(const char *path, const char *val, int kind, void *ctx, struct err *e)
{
    struct importer *im = ctx;
    (void)e;
    if ((strcmp(path, "count") == 0 || strcmp(path, "validation.count.value") == 0) &&
        kind == JV_NUMBER && strspn(val, "0123456789") == strlen(val) && strlen(val) < 16)
        im->said_count = strtoll(val, NULL, 10);
    else if (strncmp(path, "error.", 6) == 0 && kind == JV_STRING && *val)
        snprintf(im->said_error, sizeof im->said_error, "%.300s",
                 val); /* {"error":{"message":..}} */
    else if (strcmp(path, "error") == 0 && kind == JV_TRUE && !im->said_error[0])
        snprintf(im->said_error, sizeof im->said_error, "error: true");
    else if ((strcmp(path, "error") == 0 || strcmp(path, "validation.message") == 0 ||
              strcmp(path, "message") == 0) &&
             kind == JV_STRING && *val)
        snprintf(im->said_error, sizeof im->said_error, "%.300s", val);
    else if (strcmp(path, "validation.status.name") == 0 && kind == JV_STRING &&
             !str_ieq(val, "Ok") && !im->said_error[0])
        snprintf(im->said_error, sizeof im->said_error, "status %.300s", val);
    return 0;
}

static int json_verdict(struct importer *im, struct err *e)
{
    if (im->said_error[0]) {
        err_at(e, im->path, 0, 0, NULL);
        return err_set(e, ERR_INPUT, "the file is an API answer that reports an error: %s",
                       im->said_error);
    }
    if (im->said_count >= 0 && (uint64_t)im->said_count != im->record) {
        err_at(e, im->path, 0, 0, NULL);
        return err_set(e, ERR_INPUT,
                       "the answer says it holds %lld records but %llu are there: an "
                       "incomplete download?",
                       im->said_count, (unsigned long long)im->record);
    }
    return 0;
}

/* The first byte that is not blank chooses the reader. */
static int on_chunk(const char *p, size_t n, void *ctx, struct err *e)
{
    struct importer *im = ctx;
    if (!im->csv && !im->json) {
        size_t i = 0;
        for (; i < n && strchr(" \t\r\n", p[i]); i++)
            im->blank_lines += p[i] == '\n';
        if (i == n) return 0; /* blanks so far: wait */
        long line = 1 + im->blank_lines;
        if (p[i] == '{' || p[i] == '[') {
            struct jrec_opts jo = {.label = im->path,
                                   .arrays = json_arrays,
                                   .meta = on_meta,
                                   .max_record_bytes = im->o->max_row_bytes,
                                   .first_line = line};
            int rc = jrec_begin(&im->json, &jo, on_record, im, e);
            return rc ? rc : jrec_push(im->json, p + i, n - i);
        }
        struct csv_opts co = {.label = im->path,
                              .max_row_bytes = im->o->max_row_bytes,
                              .sniff = 1,
                              .info = &im->info,
                              .first_line = line};
        int rc = csv_begin(&im->csv, &co, on_row, im, e);
        if (rc) return rc;
        p += i, n -= i; /* the blank lines before the header are not rows */
    }
    return im->json ? jrec_push(im->json, p, n) : csv_push(im->csv, p, n);
}

static int read_rows(struct importer *im, const struct csv_src *src, struct err *e)
{
    struct input_opts io = {.progress = im->o->progress,
                            .label = im->path,
                            .encoding = INPUT_AUTO,
                            .rows = &im->s->read,
                            .info = &im->info};
    im->said_count = -1;
    int rc = input_read(src, &io, on_chunk, im, e);
    if (im->json) {
        int read_rc = rc;
        rc = jrec_end(im->json, rc);
        if (rc && !read_rc && im->said_error[0] && !im->record) { /* an answer, not data */
            err_clear(e);
            rc = json_verdict(im, e);
        } else if (!rc) {
            rc = json_verdict(im, e);
        }
        if (!rc && !im->nheader) str_copy(im->s->format, "no records", sizeof im->s->format);
    } else if (im->csv) {
        rc = csv_end(im->csv, rc);
    } else if (!rc) {
        err_at(e, im->path, 0, 0, NULL);
        rc = err_set(e, ERR_INPUT, "empty file: no header row");
    }
    describe_input(im);
    for (size_t i = 0; im->keys && i < im->nheader; i++)
        free(im->keys[i]);
    free(im->keys);
    free(im->fields);
    free(im->lens);
    return rc;
}

/* ---- the import ------------------------------------------------------------ */

static int count_rows(struct db *db, int64_t *n, struct err *e)
{
    int rc = db_lookup_int(db, e, n, "SELECT count(*) FROM trade_flow", NULL);
    return rc < 0 ? rc : 0;
}

static int check_format(const char *format, struct err *e)
{
    if (!format || strcmp(format, "auto") == 0 || trade_shape_named(format) >= 0) return 0;
    err_set(e, ERR_INPUT,
            "unknown format '%s' (auto, comtrade, comtrade-legacy, baci, baci-countries, native)",
            format);
    return err_field(e, "format");
}

/* BACI's file names say the edition and the release: BACI_HS17_Y2022_V202401. */
static void baci_names(struct importer *im, const char *label)
{
    trade_baci_edition(label, im->edition);
    const char *base = strrchr(label, '/');
    const char *v = strstr(base ? base + 1 : label, "_V");
    char ver[16] = "";
    if (v && strspn(v + 2, "0123456789") >= 6) snprintf(ver, sizeof ver, " V%.6s", v + 2);
    snprintf(im->baci_src, sizeof im->baci_src, "CEPII BACI%s", ver);
}

static const char ins_sql[] =
    "INSERT INTO trade_flow(source_id, reporter, reporter_region, partner, year, month, "
    "flow, hs, breakdown, value_cents, net_g, qty, qty_unit, classification) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CAST(?11 AS INTEGER), "
    "CAST(?12 AS INTEGER), ?13, ?14) "
    "ON CONFLICT DO UPDATE SET value_cents = excluded.value_cents, net_g = excluded.net_g, "
    "qty = excluded.qty, qty_unit = excluded.qty_unit, classification = excluded.classification "
    "WHERE value_cents IS NOT excluded.value_cents OR net_g IS NOT excluded.net_g "
    "OR qty IS NOT excluded.qty OR qty_unit IS NOT excluded.qty_unit "
    "OR classification IS NOT excluded.classification";

int trade_import(struct db *db, const struct ref *ref, const struct csv_src *src,
                 const struct trade_import_opts *opts, struct trade_import_stats *stats,
                 struct err *e)
{
    memset(stats, 0, sizeof *stats);
    const char *label = src->label ? src->label : src->path ? src->path : "(body)";
    struct importer im = {
        .db = db, .ref = ref, .o = opts, .s = stats, .path = label, .rejects = opts->rejects};
    baci_names(&im, label);
    double t0 = now_seconds();
    int rc = check_format(opts->format, e);
    if (rc) return rc;
    if (im.rejects) fputs("line,column,field,reason,record\n", im.rejects);
    int64_t before = 0, after = 0;
    rc = db_prepare(db, &im.ins, e, ins_sql, NULL);
    if (!rc) rc = db_prepare(db, &im.src_find, e, "SELECT id FROM source WHERE name = ?1", NULL);
    if (!rc) rc = db_prepare(db, &im.src_add, e, "INSERT INTO source(name) VALUES (?1)", NULL);
    if (!rc)
        rc = db_prepare(db, &im.alias_add, e,
                        "INSERT OR IGNORE INTO country_alias(code, country, note) "
                        "VALUES (?1, ?2, 'learnt from CEPII BACI''s country table')",
                        NULL);
    if (!rc) rc = count_rows(db, &before, e);
    if (!rc) rc = read_rows(&im, src, e);
    if (!rc) rc = count_rows(db, &after, e);
    if (!rc) {
        stats->inserted = (uint64_t)(after - before);
        stats->revised = stats->kept - stats->inserted;
    }
    db_finalize(im.ins);
    db_finalize(im.src_find);
    db_finalize(im.src_add);
    db_finalize(im.alias_add);
    stats->seconds = now_seconds() - t0;
    return rc;
}

void trade_import_summary(char *out, size_t size, const char *label,
                          const struct trade_import_stats *s)
{
    if (strcmp(s->format, "baci-countries") == 0) {
        snprintf(out, size,
                 "%s (%s, %s): read %llu countries: %llu code%s learnt, %llu already known, "
                 "%llu rejected",
                 label, s->format, s->container, (unsigned long long)s->read,
                 (unsigned long long)s->aliases, s->aliases == 1 ? "" : "s",
                 (unsigned long long)s->duplicates, (unsigned long long)s->rejected);
        return;
    }
    int n = snprintf(out, size,
                     "%s (%s, %s): read %llu rows, stored %llu (%llu new, %llu revised), "
                     "%llu duplicates, %llu breakdown rows dropped, %llu rejected",
                     label, s->format, s->container, (unsigned long long)s->read,
                     (unsigned long long)s->kept, (unsigned long long)s->inserted,
                     (unsigned long long)s->revised, (unsigned long long)s->duplicates,
                     (unsigned long long)s->breakdown_dropped, (unsigned long long)s->rejected);
    if (n > 0 && (size_t)n < size && !s->kept && !s->duplicates && s->breakdown_dropped)
        n += snprintf(out + n, size - (size_t)n,
                      " (every row was a breakdown row, by mode of transport, customs procedure "
                      "or second partner: --breakdown keeps them, though totals add only "
                      "summary rows)");
    if (n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, "; %.2f s, %.0f rows/s", s->seconds,
                 s->seconds > 0 ? (double)s->read / s->seconds : 0.0);
}

static char *audit_after(const char *label, const struct trade_import_stats *s)
{
    char base[256];
    str_copy(base, label, sizeof base);
    json_t *j =
        json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "file", basename(base), "format",
                  s->format, "container", s->container, "read", (json_int_t)s->read, "inserted",
                  (json_int_t)s->inserted, "revised", (json_int_t)s->revised, "duplicates",
                  (json_int_t)s->duplicates, "breakdown_dropped", (json_int_t)s->breakdown_dropped,
                  "rejected", (json_int_t)s->rejected, "codes_learnt", (json_int_t)s->aliases);
    char *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return out;
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
    /* a body is named by the file it came from, if the sender says so */
    struct csv_src src = op_input(c);
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
    if (s.aliases) op_stat(c, "codes_learnt", (int64_t)s.aliases);
    char base[256];
    str_copy(base, label, sizeof base);
    str_copy(c->id, basename(base), sizeof c->id);
    c->after = audit_after(label, &s);
    return 0;
}
