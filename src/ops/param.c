/* param.c — parsing and validating an operation's parameters, the one place
 * where a flag, a CSV cell, a JSON value, a query argument or a form field
 * becomes a typed value: countries resolved to their alpha-3 code, regions
 * checked against their country, HS codes against the nomenclature, money
 * and mass read exactly into cents and grams within their bounds, dates
 * against the calendar. A refusal names the parameter and says what was
 * expected. */
#include "ops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Defaults of the bounds, when a parameter gives none. */
#define MONEY_MAX INT64_C(10000000000000) /* US$ 100 bn in cents */
#define MASS_MAX INT64_C(1000000000000)   /* 1 Mt in grams */
#define TEXT_MAX 500
#define CODE_MAX 64
#define LIST_MAX 500 /* a list is kept whole, in 512-byte fields, where decisions read it */
#define RAW_MAX 4096

int op_param_index(const struct op *op, const char *name)
{
    for (int i = 0; op->params && op->params[i].name; i++)
        if (strcmp(op->params[i].name, name) == 0) return i;
    return -1;
}

static void bounds(const struct op_param *p, int64_t *lo, int64_t *hi)
{
    *lo = p->min, *hi = p->max;
    if (*lo || *hi) return;
    switch (p->type) {
    case PT_YEAR:
        *lo = 1900, *hi = 2200;
        break;
    case PT_MONEY:
        *hi = MONEY_MAX;
        break;
    case PT_MASS:
    case PT_NUMBER:
        *hi = MASS_MAX;
        break;
    case PT_INT:
        *hi = 2000000000;
        break;
    case PT_TEXT:
        *hi = TEXT_MAX;
        break;
    case PT_CODE:
        *hi = CODE_MAX;
        break;
    case PT_LIST:
    case PT_HSLIST:
        *hi = LIST_MAX;
        break;
    default:
        *hi = RAW_MAX;
    }
}

const char *op_type_meta(const struct op_param *p)
{
    static const char *const meta[] = {
        [PT_TEXT] = "TEXT", [PT_CODE] = "CODE",    [PT_COUNTRY] = "COUNTRY", [PT_REGION] = "REGION",
        [PT_YEAR] = "YEAR", [PT_DATE] = "DATE",    [PT_TIMESTAMP] = "TIME",  [PT_INT] = "N",
        [PT_MONEY] = "USD", [PT_MASS] = "TONNES",  [PT_NUMBER] = "X",        [PT_ENUM] = "",
        [PT_HS] = "HS",     [PT_HSLIST] = "HS,HS", [PT_LIST] = "A,B",        [PT_FLAG] = "",
        [PT_FILE] = "FILE", [PT_OUTPUT] = "FILE",
    };
    if (p->type == PT_ENUM) return p->allowed;
    return meta[p->type];
}

/* What a value of p must be, in words, with its bounds. */
static const char *words(const struct op_param *p, char *out, size_t size)
{
    int64_t lo, hi;
    bounds(p, &lo, &hi);
    char a[48], b[48];
    switch (p->type) {
    case PT_YEAR:
        snprintf(out, size, TF("a year from %lld to %lld"), (long long)lo, (long long)hi);
        break;
    case PT_INT:
        snprintf(out, size, TF("a whole number from %lld to %lld"), (long long)lo, (long long)hi);
        break;
    case PT_MONEY:
        snprintf(out, size, TF("an amount in US dollars from %s to %s"),
                 dec_format_grouped(lo, 2, a, sizeof a), dec_format_grouped(hi, 2, b, sizeof b));
        break;
    case PT_MASS:
        snprintf(out, size, TF("a mass in tonnes from %s to %s"), mass_format_t(lo, 1, a, sizeof a),
                 mass_format_t(hi, 1, b, sizeof b));
        break;
    case PT_NUMBER:
        snprintf(out, size, TF("a number from %s to %s"), dec_format_trim(lo, 6, a, sizeof a),
                 dec_format_trim(hi, 6, b, sizeof b));
        break;
    default:
        str_copy(out, op_type_words(p), size);
    }
    return out;
}

const char *op_type_words(const struct op_param *p)
{
    switch (p->type) {
    case PT_TEXT:
        return T("text");
    case PT_CODE:
        return T("a code of letters, digits and - _ . / :");
    case PT_COUNTRY:
        return T("a country (code or name: KAZ, kz, 398, Kazakhstan)");
    case PT_REGION:
        return T("a region's ISO 3166-2 code (KZ-19, CN-XJ)");
    case PT_YEAR:
        return T("a year");
    case PT_DATE:
        return T("a date YYYY-MM-DD");
    case PT_TIMESTAMP:
        return T("a time YYYY-MM-DDTHH:MM, local unless it ends in Z or an offset (+05:00)");
    case PT_INT:
        return T("a whole number");
    case PT_MONEY:
        return T("an amount in US dollars");
    case PT_MASS:
        return T("a mass in tonnes");
    case PT_NUMBER:
        return T("a number (decimals allowed)");
    case PT_ENUM:
        return T("one of the values listed");
    case PT_HS:
        return T("an HS code (2 to 10 digits) of the HS2022 nomenclature");
    case PT_HSLIST:
        return T("comma-separated HS codes of the HS2022 nomenclature");
    case PT_LIST:
        return T("comma-separated codes");
    case PT_FLAG:
        return T("yes or no");
    case PT_FILE:
        return T("a file to read");
    case PT_OUTPUT:
        return T("a file to write");
    }
    return "";
}

static int bad(const struct op_param *p, struct err *e, const char *raw, const char *extra)
{
    char w[200];
    err_set(e, ERR_INPUT, TF("'%.80s' is not %s%s"), raw, words(p, w, sizeof w),
            extra ? extra : "");
    return err_field(e, p->name);
}

/* One of "a|b|c", case-insensitively; writes the canonical spelling. */
static int enum_match(const char *v, const char *allowed, char *out, size_t size)
{
    size_t n = strlen(v);
    for (const char *p = allowed; *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && strncasecmp(p, v, n) == 0) {
            snprintf(out, size, "%.*s", (int)k, p);
            return 1;
        }
        p += k;
        if (*p) p++;
    }
    return 0;
}

static int is_code_char(unsigned char ch)
{
    return isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '/' || ch == ':';
}

/* One HS code: digits, even length 2..10, known to the nomenclature. */
static int hs_check(const struct op_call *c, const struct op_param *p, const char *code,
                    struct err *e)
{
    size_t n = strlen(code);
    int digits = n >= 2 && n <= 10 && n % 2 == 0 && strspn(code, "0123456789") == n;
    if (!digits) {
        err_set(e, ERR_INPUT, TF("'%.40s' is not an HS code (2, 4, 6, 8 or 10 digits)"), code);
        return err_field(e, p->name);
    }
    if (c->ref && !ref_hs_known(c->ref, code)) {
        char near[3][8];
        struct buf b = {0};
        int found = ref_hs_nearest(c->ref, code, near);
        for (int i = 0; i < found; i++) {
            char desc[300] = "";
            struct err ignore = {0}; /* the codes alone, should the descriptions fail */
            if (c->db)
                db_lookup(c->db, &ignore, desc, sizeof desc,
                          "SELECT description FROM hs WHERE code = ?1", "t", near[i]);
            buf_printf(&b, "%s%s (%.48s%s)", i ? ", " : "", near[i], desc,
                       strlen(desc) > 48 ? "..." : "");
        }
        err_set(e, ERR_INPUT, TF("HS %s is not in the HS2022 nomenclature%s%.400s"), code,
                found ? T("; the nearest codes are ") : "", b.p ? b.p : "");
        buf_free(&b);
        return err_field(e, p->name);
    }
    return 0;
}

/* A comma-separated list, trimmed; hs: each an HS code; else lower-cased
 * codes. The normalised list goes to out. */
static int list_parse(const struct op_call *c, const struct op_param *p, const char *v, int hs,
                      struct buf *out, struct err *e)
{
    char item[128];
    int n = 0;
    for (const char *q = v; *q;) {
        size_t k = strcspn(q, ",");
        if (k >= sizeof item) return bad(p, e, v, NULL);
        str_trim(str_copy(item, q, k + 1));
        if (!*item) return bad(p, e, v, " (an empty item)");
        if (hs) {
            int rc = hs_check(c, p, item, e);
            if (rc) return rc;
        } else {
            for (char *x = item; *x; x++) {
                if (!is_code_char((unsigned char)*x)) return bad(p, e, v, NULL);
                *x = (char)tolower((unsigned char)*x);
            }
        }
        buf_printf(out, "%s%s", n++ ? "," : "", item);
        q += k;
        if (*q == ',') q++;
    }
    return n ? 0 : bad(p, e, v, NULL);
}

static int set_text(struct op_value *v, const char *s)
{
    free(v->s);
    v->s = xstrdup(s);
    v->present = 1;
    return 0;
}

static int parse_number(const struct op_param *p, const char *s, struct op_value *v, struct err *e)
{
    int64_t lo, hi, x = 0;
    bounds(p, &lo, &hi);
    char norm[64];
    struct err pe = {0};
    if (p->type == PT_MONEY || p->type == PT_MASS || p->type == PT_NUMBER) {
        int scale = p->type == PT_MONEY ? 2 : 6;
        if (dec_parse(s, scale, &x, &pe) || x < lo || x > hi) return bad(p, e, s, NULL);
        if (p->type == PT_MONEY)
            dec_format(x, 2, norm, sizeof norm);
        else if (p->type == PT_NUMBER)
            dec_format_trim(x, 6, norm, sizeof norm);
        else
            mass_format_exact(x, norm, sizeof norm);
    } else {
        long l;
        if (int_parse(s, (long)lo, (long)hi, &l, &pe)) return bad(p, e, s, NULL);
        x = l;
        snprintf(norm, sizeof norm, "%ld", l);
    }
    v->i = x;
    return set_text(v, norm);
}

static int parse_country(const struct op_call *c, const struct op_param *p, const char *s,
                         struct op_value *v, struct err *e)
{
    const struct country *k = c->ref ? ref_country(c->ref, s, e) : NULL;
    if (!k) {
        if (!c->ref) err_set(e, ERR_INTERNAL, "no reference data to resolve countries");
        e->code = e->code == ERR_NOTFOUND ? ERR_INPUT : e->code;
        return err_field(e, p->name);
    }
    return set_text(v, k->code3);
}

static int parse_region(const struct op_call *c, const struct op_param *p, const char *s,
                        struct op_value *v, struct err *e)
{
    int ci = p->allowed ? op_param_index(c->op, p->allowed) : -1;
    const char *country = ci >= 0 && c->v[ci].present ? c->v[ci].s : NULL;
    if (ci >= 0 && !country) {
        char flag[64];
        err_set(e, ERR_USAGE, "a region needs its country (%s)",
                op_flag_name(p->allowed, flag, sizeof flag));
        return err_field(e, p->name);
    }
    if (!c->ref) return err_set(e, ERR_INTERNAL, "no reference data to resolve regions");
    const char *code = NULL;
    if (country) {
        code = ref_region_field(c->ref, s, country, p->name, e);
    } else {
        const struct region *g = ref_region(c->ref, s, e);
        code = g ? g->code : NULL;
    }
    if (!code) {
        e->code = ERR_INPUT;
        return err_field(e, p->name);
    }
    return set_text(v, code);
}

int op_parse_value(const struct op_call *c, const struct op_param *p, const char *raw,
                   struct op_value *v, struct err *e)
{
    int64_t lo, hi;
    bounds(p, &lo, &hi);
    size_t len = strlen(raw);
    int capped =
        p->type == PT_TEXT || p->type == PT_CODE || p->type == PT_LIST || p->type == PT_HSLIST;
    size_t cap = capped ? (size_t)hi : RAW_MAX;
    char *s = xstrdup(raw);
    str_trim(s);
    int rc = 0, valid;
    if (p->flags & PF_LINES) { /* a document over several lines: checked with blanks for breaks */
        char *chk = xstrdup(s);
        for (char *x = chk; *x; x++)
            if (*x == '\n' || *x == '\r') *x = ' ';
        valid = str_valid_utf8(chk, strlen(chk));
        free(chk);
    } else {
        valid = str_valid_utf8(s, strlen(s));
    }
    if (len > (cap > RAW_MAX ? cap : RAW_MAX) || strlen(s) > cap || !valid) {
        err_set(e, ERR_INPUT, TF("must be %s of at most %zu bytes (UTF-8, no control characters)"),
                op_type_words(p), cap);
        rc = err_field(e, p->name);
        goto out;
    }
    char tmp[128];
    switch (p->type) {
    case PT_TEXT:
    case PT_FILE:
    case PT_OUTPUT:
        rc = set_text(v, s);
        break;
    case PT_CODE:
        for (const char *x = s; *x && !rc; x++)
            if (!is_code_char((unsigned char)*x)) rc = bad(p, e, s, NULL);
        if (!rc) rc = set_text(v, s);
        break;
    case PT_COUNTRY:
        rc = parse_country(c, p, s, v, e);
        break;
    case PT_REGION:
        rc = parse_region(c, p, s, v, e);
        break;
    case PT_YEAR:
    case PT_INT:
    case PT_MONEY:
    case PT_MASS:
    case PT_NUMBER:
        rc = parse_number(p, s, v, e);
        break;
    case PT_DATE:
        if (!date_valid(s)) {
            rc = bad(p, e, s, NULL);
            break;
        }
        v->i = date_text_days(s);
        rc = set_text(v, s);
        break;
    case PT_TIMESTAMP:
        rc = timestamp_norm(s, tmp, sizeof tmp) ? bad(p, e, s, NULL) : set_text(v, tmp);
        break;
    case PT_ENUM:
        if (!enum_match(s, p->allowed, tmp, sizeof tmp)) {
            struct buf list = {0};
            for (const char *x = p->allowed; *x; x++)
                *x == '|' ? buf_puts(&list, ", ") : buf_append(&list, x, 1);
            err_set(e, ERR_INPUT, TF("'%.80s' is not one of %.400s"), s, list.p);
            buf_free(&list);
            rc = err_field(e, p->name);
            break;
        }
        rc = set_text(v, tmp);
        break;
    case PT_HS:
        rc = hs_check(c, p, s, e);
        if (!rc) rc = set_text(v, s);
        break;
    case PT_HSLIST:
    case PT_LIST: {
        struct buf b = {0};
        rc = list_parse(c, p, s, p->type == PT_HSLIST, &b, e);
        if (!rc) rc = set_text(v, b.p);
        buf_free(&b);
        break;
    }
    case PT_FLAG:
        if (str_ieq(s, "1") || str_ieq(s, "true") || str_ieq(s, "yes"))
            v->i = 1;
        else if (str_ieq(s, "0") || str_ieq(s, "false") || str_ieq(s, "no"))
            v->i = 0;
        else {
            rc = bad(p, e, s, NULL);
            break;
        }
        rc = set_text(v, v->i ? "yes" : "no");
        break;
    }
out:
    free(s);
    return rc;
}

static void value_clear(struct op_value *v)
{
    free(v->s);
    memset(v, 0, sizeof *v);
}

int op_parse(struct op_call *c, op_get_fn get, void *ctx, struct err *e)
{
    const struct op_param *ps = c->op->params;
    /* regions last: they are checked against their country */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; ps && ps[i].name; i++) {
            const struct op_param *p = &ps[i];
            if ((p->type == PT_REGION) != pass) continue;
            value_clear(&c->v[i]);
            const char *raw = get(ctx, p->name);
            int blank = !raw || !*raw || strspn(raw, " \t") == strlen(raw);
            if (blank && p->dflt) raw = p->dflt, blank = 0;
            if (blank) {
                if (p->flags & PF_REQUIRED) {
                    err_set(e, ERR_USAGE, TF("%s is required"), p->name);
                    return err_field(e, p->name);
                }
                continue;
            }
            int rc = op_parse_value(c, p, raw, &c->v[i], e);
            if (rc) return rc;
        }
    return 0;
}

/* ---- values for the areas ---- */

static int must_index(const struct op_call *c, const char *name)
{
    int i = op_param_index(c->op, name);
    if (i < 0) {
        /* a programming error in an operation table, never bad input */
        fprintf(stderr, "corridor: internal error: %s %s has no parameter '%s'\n", c->op->area,
                c->op->verb ? c->op->verb : "", name);
        abort();
    }
    return i;
}

const char *op_s(const struct op_call *c, const char *name)
{
    const struct op_value *v = &c->v[must_index(c, name)];
    return v->present ? v->s : NULL;
}

int64_t op_i(const struct op_call *c, const char *name)
{
    return c->v[must_index(c, name)].i;
}

int op_has(const struct op_call *c, const char *name)
{
    return c->v[must_index(c, name)].present;
}

const char *op_flag_name(const char *name, char *out, size_t size)
{
    size_t o = 0;
    if (size < 4) return "";
    out[o++] = '-', out[o++] = '-';
    for (; *name && o + 1 < size; name++)
        out[o++] = *name == '_' ? '-' : *name;
    out[o] = 0;
    return out;
}
