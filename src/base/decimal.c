/* decimal.c — exact decimal text to scaled integers and back. Money is kept
 * as integer US cents (scale 2) and mass as integer grams (kilograms at scale
 * 3); neither ever passes through a double. */
#include "base.h"

#include <math.h>

#include <ctype.h>
#include <string.h>

int dec_parse(const char *s, int scale, int64_t *out, struct err *e)
{
    if (!s) return err_set(e, ERR_INPUT, "missing number");
    while (*s == ' ' || *s == '\t')
        s++;
    const char *start = s;
    int neg = 0;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    char digits[40];
    int ndig = 0, nfrac = 0, seen_digit = 0, seen_point = 0, dropped_nonzero = 0;
    for (;; s++) {
        if (isdigit((unsigned char)*s)) {
            seen_digit = 1;
            if (ndig == 0 && *s == '0') {
                if (seen_point) nfrac++;
                continue; /* leading zeros carry no value */
            }
            if (ndig < (int)sizeof digits) {
                digits[ndig++] = *s;
                if (seen_point) nfrac++;
            } else if (!seen_point) {
                return err_set(e, ERR_INPUT, "number '%.40s' is too large", start);
            } else if (*s != '0') {
                dropped_nonzero = 1; /* far past any scale we use */
            }
        } else if (*s == '.' && !seen_point) {
            seen_point = 1;
        } else {
            break;
        }
    }
    if (!seen_digit) return err_set(e, ERR_INPUT, "'%.40s' is not a number", start);
    long exp = 0;
    if (*s == 'e' || *s == 'E') {
        s++;
        int eneg = 0;
        if (*s == '+' || *s == '-') eneg = *s++ == '-';
        if (!isdigit((unsigned char)*s))
            return err_set(e, ERR_INPUT, "'%.40s' has a bad exponent", start);
        while (isdigit((unsigned char)*s)) {
            exp = exp * 10 + (*s++ - '0');
            if (exp > 400) return err_set(e, ERR_INPUT, "number '%.40s' is out of range", start);
        }
        if (eneg) exp = -exp;
    }
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s) return err_set(e, ERR_INPUT, "'%.40s' is not a number", start);
    (void)dropped_nonzero;

    long k = exp - nfrac + scale; /* value = digits * 10^k */
    int keep = ndig + (int)(k < 0 ? k : 0);
    int64_t v = 0;
    for (int i = 0; i < keep && i < ndig; i++) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, digits[i] - '0', &v))
            return err_set(e, ERR_INPUT, "number '%.40s' is out of range", start);
    }
    if (k > 0) {
        for (long i = 0; i < k; i++)
            if (v && __builtin_mul_overflow(v, 10, &v))
                return err_set(e, ERR_INPUT, "number '%.40s' is out of range", start);
    } else if (keep >= 0 && keep < ndig && digits[keep] >= '5') {
        if (__builtin_add_overflow(v, 1, &v))
            return err_set(e, ERR_INPUT, "number '%.40s' is out of range", start);
    }
    *out = neg ? -v : v;
    return 0;
}

char *dec_format(int64_t v, int scale, char *out, size_t size)
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t pow = 1;
    if (scale < 0) scale = 0;
    if (scale > 9) scale = 9;
    for (int i = 0; i < scale; i++)
        pow *= 10;
    if (scale > 0)
        snprintf(out, size, "%s%llu.%0*llu", v < 0 ? "-" : "", (unsigned long long)(u / pow), scale,
                 (unsigned long long)(u % pow));
    else
        snprintf(out, size, "%s%llu", v < 0 ? "-" : "", (unsigned long long)u);
    return out;
}

char *dec_format_grouped(int64_t v, int scale, char *out, size_t size)
{
    char plain[40], *p = plain;
    dec_format(v, scale, plain, sizeof plain);
    size_t o = 0;
    if (*p == '-') out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen && o + 2 < size; i++) {
        if (i && (intlen - i) % 3 == 0) out[o++] = ',';
        out[o++] = p[i];
    }
    str_copy(out + o, p + intlen, size - o);
    return out;
}

char *real_format_grouped(double v, int decimals, char *out, size_t size)
{
    static const double scale[] = {1, 10, 100, 1000};
    if (fabs(v) < 1e12 && decimals >= 0 && decimals <= 3)
        return dec_format_grouped(llround(v * scale[decimals]), decimals, out, size);
    snprintf(out, size, "%.*f", decimals, v);
    return out;
}

char *mass_format_t(int64_t grams, int grouped, char *out, size_t size)
{
    int64_t kg = grams / 1000, r = grams % 1000; /* to the kilogram, half away from zero */
    kg += r >= 500 ? 1 : r <= -500 ? -1 : 0;
    if (!grouped) return dec_format(kg, 3, out, size);
    /* for people: no spurious zeros (2,000,000 t; 12.5 t; 0.25 t) */
    dec_format_grouped(kg, 3, out, size);
    char *dot = strchr(out, '.');
    if (!dot) return out;
    size_t n = strlen(out);
    while (out[n - 1] == '0') /* stops at the dot */
        out[--n] = 0;
    if (out[n - 1] == '.') out[--n] = 0;
    return out;
}

int int_parse(const char *s, long min, long max, long *out, struct err *e)
{
    int64_t v;
    if (!s || !*s) return err_set(e, ERR_INPUT, "missing whole number");
    if (strpbrk(s, ".eE")) return err_set(e, ERR_INPUT, "'%.40s' is not a whole number", s);
    if (dec_parse(s, 0, &v, e)) return err_set(e, ERR_INPUT, "'%.40s' is not a whole number", s);
    if (v < min || v > max)
        return err_set(e, ERR_INPUT, "%lld is out of range %ld..%ld", (long long)v, min, max);
    *out = (long)v;
    return 0;
}

char *mass_format_exact(int64_t grams, char *out, size_t size)
{
    dec_format(grams, 6, out, size);
    char *dot = strchr(out, '.');
    if (!dot) return out;
    size_t n = strlen(out), keep = (size_t)(dot - out) + 4;
    while (n > keep && out[n - 1] == '0')
        out[--n] = 0;
    return out;
}

char *dec_format_trim(int64_t v, int scale, char *out, size_t size)
{
    dec_format(v, scale, out, size);
    if (scale <= 0 || !strchr(out, '.')) return out;
    size_t n = strlen(out);
    while (n && out[n - 1] == '0')
        out[--n] = 0;
    if (n && out[n - 1] == '.') out[--n] = 0;
    return out;
}
