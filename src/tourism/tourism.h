/* tourism — visitors between countries by month: who (their citizenship)
 * went where, at which border crossing (or the country's whole figure), for
 * what purpose and by what mode, with the source of each figure. Reports
 * give the monthly series by direction with the change on the same month a
 * year earlier, the years with their change, the busiest crossings, and a
 * before/after comparison around a policy date (the visa-free regime of
 * 2023-11-10) over whole calendar months against the same months a year
 * earlier, so that the season does not pass for the policy's effect.
 *
 * Counting: a month's figure for a direction (and crossing, or none) is its
 * row not split by purpose or mode when there is one, else the sum of its
 * rows (splits by purpose, by mode, or both). A year's figure is its
 * annual row (month 0) when published, else the sum of its twelve months;
 * a month or year without a figure is missing, and said so, never zero.
 *
 * The operations are in tour_ops. Tables returned are freed by the caller. */
#ifndef CORRIDOR_TOURISM_H
#define CORRIDOR_TOURISM_H

#include "../ref/ref.h"

struct op_call;

#define TOUR_PURPOSES "leisure|business|private|transit|official|other|all"
#define TOUR_MODES "air|rail|road|foot|other|all"

/* One month's figure of a direction: month index y*12 + (m-1). */
struct tour_month {
    int index;
    int64_t visitors;
};

/* The months from..to (indexes y*12 + m - 1) of visitors from one country
 * to another (at crossing, or "" for the country's figure), in order, only
 * the months that have a figure. */
int tour_months(struct db *db, const char *from, const char *to, const char *crossing,
                int first, int last, struct tour_month **out, size_t *n, struct err *e);

/* The visitors of months first..last (indexes); *missing counts the months
 * without a figure and names them ("2023-02, 2023-05") in names. */
int tour_window(struct db *db, const char *from, const char *to, const char *crossing, int first,
                int last, int64_t *visitors, int *missing, char *names, size_t size,
                struct err *e);

/* A year's figure: its annual row (month 0) when published (*annual 1),
 * else the sum of its twelve months; *months is 12 for either, else how
 * many months it has, and *v is then no figure (a part of the year). */
int tour_year(struct db *db, const char *from, const char *to, const char *crossing, int year,
              int64_t *v, int *months, int *annual, struct err *e);

/* "YYYY-MM" of a month index. */
void tour_month_name(int index, char out[8]);

/* The operations (ops.c) and the reports (report.c). */
int tour_add(struct op_call *c, struct err *e);
int tour_list(struct op_call *c, struct err *e);
int tour_monthly(struct op_call *c, struct err *e);
int tour_yearly(struct op_call *c, struct err *e);
int tour_crossings(struct op_call *c, struct err *e);
int tour_compare(struct op_call *c, struct err *e);

#endif
