/* record.c — one description of an input record (field names, types, which
 * are required) parsed the same way from command-line flags, a CSV row or a
 * JSON object, so that `add` and `import` of every area refuse the same bad
 * values with the same words. Also the calendar helpers (dates, timestamps,
 * day arithmetic) records need. */
#include "base.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

int date_parse(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) < 10) return ERR_INPUT;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i])) return ERR_INPUT;
    *y = atoi(s), *m = atoi(s + 5), *d = atoi(s + 8);
    if (*y < 1900 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
        return ERR_INPUT;
    return 0;
}

long date_days(int y, int m, int d)
{
    /* days since 1970-01-01 (Howard Hinnant's days_from_civil) */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_from_days(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    int yy = (int)(y + (m <= 2));
    if (yy < 0 || yy > 9999) yy = 0; /* outside what corridor stores */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)yy % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int date_check(const char *s, int code, const char *field, struct err *e)
{
    if (!s || (strlen(s) == 10 && date_text_days(s) >= 0)) return 0;
    err_set(e, code, "'%.40s' is not a date YYYY-MM-DD", s);
    return err_field(e, field);
}

void date_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

long date_text_days(const char *s)
{
    int y, m, d;
    return date_parse(s, &y, &m, &d) ? -1 : date_days(y, m, d);
}

double timestamp_hours(const char *s)
{
    int y, m, d;
    if (date_parse(s, &y, &m, &d) || (s[10] != 'T' && s[10] != ' ')) return -1;
    int hh = atoi(s + 11), mm = atoi(s + 14);
    return date_days(y, m, d) * 24.0 + hh + mm / 60.0;
}

/* Normalises "YYYY-MM-DD[ T]HH:MM[:SS][Z]" to "YYYY-MM-DDTHH:MM". */
static int timestamp_norm(const char *s, char *out, size_t size)
{
    int y, m, d;
    size_t n = strlen(s);
    if (date_parse(s, &y, &m, &d) || n < 16 || (s[10] != 'T' && s[10] != ' ')) return ERR_INPUT;
    if (!isdigit((unsigned char)s[11]) || !isdigit((unsigned char)s[12]) || s[13] != ':' ||
        !isdigit((unsigned char)s[14]) || !isdigit((unsigned char)s[15]))
        return ERR_INPUT;
    if (atoi(s + 11) > 23 || atoi(s + 14) > 59) return ERR_INPUT;
    const char *rest = s + 16;
    if (*rest == ':' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]))
        rest += 3;
    if (*rest == 'Z') rest++;
    if (*rest) return ERR_INPUT;
    snprintf(out, size, "%.10sT%.5s", s, s + 11);
    return 0;
}

static int in_list(const char *v, const char *allowed)
{
    size_t n = strlen(v);
    for (const char *p = allowed; *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && strncmp(p, v, n) == 0) return 1;
        p += k;
        if (*p) p++;
    }
    return 0;
}

/* Validates a comma-separated list; hs=1 demands HS prefixes (2-10 digits). */
static int list_ok(const char *v, int hs, char *norm, size_t size)
{
    size_t o = 0;
    const char *p = v;
    int items = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, ",");
        size_t e = k;
        while (e && p[e - 1] == ' ')
            e--;
        if (!e) return 0;
        for (size_t i = 0; i < e; i++) {
            unsigned char c = (unsigned char)p[i];
            if (hs ? !isdigit(c) : !(isalnum(c) || c == '-' || c == '_' || c == '.')) return 0;
        }
        if (hs && (e < 2 || e > 10)) return 0;
        if (o + e + 2 >= size) return 0;
        if (items++) norm[o++] = ',';
        for (size_t i = 0; i < e; i++)
            norm[o++] = hs ? p[i] : (char)tolower((unsigned char)p[i]);
        p += k;
        if (*p == ',') p++;
    }
    norm[o] = 0;
    return items > 0;
}

int rec_parse(const struct rec_field *spec, size_t n, rec_get_fn get, void *ctx,
              struct rec_value *out, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        const struct rec_field *f = &spec[i];
        struct rec_value *v = &out[i];
        memset(v, 0, sizeof *v);
        const char *raw = get(ctx, f->name);
        if (raw) {
            while (*raw == ' ' || *raw == '\t')
                raw++;
        }
        if (!raw || !*raw) {
            if (f->required) {
                err_at(e, NULL, 0, 0, f->name);
                return err_set(e, ERR_INPUT, "%s is required", f->name);
            }
            continue;
        }
        v->present = 1;
        str_copy(v->s, raw, sizeof v->s);
        str_trim(v->s);
        size_t len = strlen(raw);
        if (len >= sizeof v->s || !str_valid_utf8(raw, len)) {
            err_at(e, NULL, 0, 0, f->name);
            return err_set(e, ERR_INPUT, "must be text of at most %zu bytes (UTF-8)",
                           sizeof v->s - 1);
        }
        int bad = 0;
        const char *expect = "";
        switch (f->type) {
        case RT_TEXT:
            break;
        case RT_DATE: {
            int y, m, d;
            bad = date_parse(v->s, &y, &m, &d) || strlen(v->s) != 10;
            expect = "a date YYYY-MM-DD";
            if (!bad) v->i = date_days(y, m, d);
            break;
        }
        case RT_TIMESTAMP: {
            char norm[32];
            bad = timestamp_norm(v->s, norm, sizeof norm) != 0;
            expect = "a time YYYY-MM-DDTHH:MM (UTC)";
            if (!bad) str_copy(v->s, norm, sizeof v->s);
            break;
        }
        case RT_TONNES:
        case RT_USD: {
            struct err pe = {0};
            int64_t x;
            bad = dec_parse(v->s, f->type == RT_TONNES ? 6 : 2, &x, &pe) != 0 || x < 0;
            expect = f->type == RT_TONNES ? "a non-negative number of tonnes"
                                          : "a non-negative amount in US dollars";
            v->i = x;
            break;
        }
        case RT_INT: {
            struct err pe = {0};
            long x;
            bad = int_parse(v->s, 0, 2000000000L, &x, &pe) != 0;
            expect = "a whole number";
            v->i = x;
            break;
        }
        case RT_ENUM:
            bad = !in_list(v->s, f->allowed);
            expect = f->allowed;
            break;
        case RT_HSLIST:
        case RT_LIST: {
            char norm[sizeof v->s];
            bad = !list_ok(v->s, f->type == RT_HSLIST, norm, sizeof norm);
            expect = f->type == RT_HSLIST ? "comma-separated HS codes (2 to 10 digits)"
                                          : "comma-separated codes";
            if (!bad) str_copy(v->s, norm, sizeof v->s);
            break;
        }
        }
        if (bad) {
            err_at(e, NULL, 0, 0, f->name);
            return err_set(e, ERR_INPUT, "'%.80s' is not %s", v->s, expect);
        }
    }
    return 0;
}

int rec_find(const struct rec_field *spec, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(spec[i].name, name) == 0) return (int)i;
    return -1;
}
