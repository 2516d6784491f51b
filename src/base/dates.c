/* dates.c — the calendar: dates validated against it, days since 1970 and
 * back, timestamps in hours, today's date. */
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

int date_valid(const char *s)
{
    int y, m, d;
    return s && strlen(s) == 10 && date_parse(s, &y, &m, &d) == 0;
}

int date_check(const char *s, int code, const char *field, struct err *e)
{
    if (!s || date_valid(s)) return 0;
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

int timestamp_norm(const char *s, char *out, size_t size)
{
    int y, m, d;
    size_t n = strlen(s);
    if (date_parse(s, &y, &m, &d) || n < 16 || (s[10] != 'T' && s[10] != ' ')) return ERR_INPUT;
    if (!isdigit((unsigned char)s[11]) || !isdigit((unsigned char)s[12]) || s[13] != ':' ||
        !isdigit((unsigned char)s[14]) || !isdigit((unsigned char)s[15]))
        return ERR_INPUT;
    if (atoi(s + 11) > 23 || atoi(s + 14) > 59) return ERR_INPUT;
    const char *rest = s + 16;
    if (*rest == ':' && isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]) &&
        atoi(rest + 1) <= 59)
        rest += 3;
    if (*rest == 'Z') rest++;
    if (*rest) return ERR_INPUT;
    snprintf(out, size, "%.10sT%.5s", s, s + 11);
    return 0;
}
