/* dates.c — the calendar: dates validated against it, days since 1970 and
 * back, timestamps in hours and between the crossings' time zones and UTC,
 * today's date. */
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
    err_set(e, code, TF("'%.40s' is not a date YYYY-MM-DD"), s);
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
    char zone[8] = "";
    if (*rest == 'Z' && !rest[1]) {
        strcpy(zone, "Z");
    } else if ((*rest == '+' || *rest == '-') && strlen(rest) == 6 &&
               isdigit((unsigned char)rest[1]) && isdigit((unsigned char)rest[2]) &&
               rest[3] == ':' && isdigit((unsigned char)rest[4]) &&
               isdigit((unsigned char)rest[5])) {
        int oh = atoi(rest + 1), om = atoi(rest + 4); /* the world's offsets: -12:00 to +14:00 */
        if (oh > 14 || om % 15 || om > 45 || (oh == 14 && om)) return ERR_INPUT;
        memcpy(zone, rest, 7);
    } else if (*rest) {
        return ERR_INPUT;
    }
    snprintf(out, size, "%.10sT%.5s%s", s, s + 11, zone);
    return 0;
}

/* ---- time zones ------------------------------------------------------- */

/* The zones corridor's crossings keep, as the tz database has them since
 * 2005: Kazakhstan on UTC+6 until it moved to UTC+5 at midnight of
 * 1 March 2024 (18:00 UTC on 29 February), Xinjiang time UTC+6, Beijing
 * time UTC+8, none with summer time. */
#define ALMATY_SWITCH_MIN (date_days(2024, 2, 29) * 1440L + 18 * 60)

int zone_known(const char *zone)
{
    return zone && (!strcmp(zone, "UTC") || !strcmp(zone, "Asia/Almaty") ||
                    !strcmp(zone, "Asia/Urumqi") || !strcmp(zone, "Asia/Shanghai"));
}

int zone_offset_min(const char *zone, long utc_min)
{
    if (!strcmp(zone, "Asia/Almaty")) return utc_min < ALMATY_SWITCH_MIN ? 360 : 300;
    if (!strcmp(zone, "Asia/Urumqi")) return 360;
    if (!strcmp(zone, "Asia/Shanghai")) return 480;
    return 0;
}

static long minutes_of(const char *s)
{
    int y, m, d;
    date_parse(s, &y, &m, &d);
    return date_days(y, m, d) * 1440L + atoi(s + 11) * 60 + atoi(s + 14);
}

static void text_of_minutes(long t, char sep, char out[17])
{
    char day[11];
    date_from_days(t >= 0 ? t / 1440 : (t - 1439) / 1440, day);
    long r = ((t % 1440) + 1440) % 1440;
    snprintf(out, 17, "%s%c%02ld:%02ld", day, sep, r / 60, r % 60);
}

/* The UTC time t as text, if its day is one corridor stores (1900 to 2200). */
static int utc_text(const char *s, long t, char out[17], struct err *e)
{
    text_of_minutes(t, 'T', out);
    if (t < date_days(1900, 1, 1) * 1440L || t >= date_days(2201, 1, 1) * 1440L)
        return err_set(e, ERR_INPUT, TF("%.22s is %s in UTC, outside the years 1900 to 2200"), s,
                       out);
    return 0;
}

int timestamp_utc(const char *s, const char *zone, char out[17], struct err *e)
{
    long local = minutes_of(s);
    const char *suffix = s + 16;
    if (*suffix == 'Z') return utc_text(s, local, out, e);
    if (*suffix == '+' || *suffix == '-') {
        long off = atoi(suffix + 1) * 60 + atoi(suffix + 4);
        return utc_text(s, local - (*suffix == '-' ? -off : off), out, e);
    }
    if (local < date_days(2005, 1, 1) * 1440L && strcmp(zone, "UTC"))
        return err_set(e, ERR_INPUT,
                       TF("%.16s: local times before 2005 are not known; give the time "
                          "with its offset (e.g. %.16s+06:00)"),
                       s, s);
    /* a local time maps to the UTC times t with t + offset(t) = local: try
     * each offset the zone has had and keep those that agree */
    int hits = 0;
    long found = 0;
    for (int off = 300; off <= 480; off += 60) {
        long t = local - (strcmp(zone, "UTC") ? off : 0);
        if (t + zone_offset_min(zone, t) == local && (!hits || t != found)) hits++, found = t;
        if (!strcmp(zone, "UTC")) break;
    }
    if (hits == 0)
        return err_set(e, ERR_INPUT,
                       TF("%.16s did not happen in %s (the clocks moved); give the "
                          "time with its offset"),
                       s, zone);
    if (hits > 1)
        return err_set(e, ERR_INPUT,
                       TF("%.16s happened twice in %s (the clocks went back); give "
                          "the time with its offset (+06:00 or +05:00)"),
                       s, zone);
    return utc_text(s, found, out, e);
}

void timestamp_local(const char *utc, const char *zone, char *out, size_t size)
{
    long t = minutes_of(utc);
    int off = zone_offset_min(zone, t);
    char text[17];
    text_of_minutes(t + off, ' ', text);
    if (off)
        snprintf(out, size, "%s UTC+%d", text, off / 60);
    else
        snprintf(out, size, "%s UTC", text);
}
