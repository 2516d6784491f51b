/* commitments — what meetings and forums decided, followed until it is
 * done. A meeting (date, place, participants, source) holds commitments:
 * who (owner) promised what to whom (counterpart) by when (due), where it
 * stands as typed (status, evidence), and, optionally, the indicator that
 * measures it from the data corridor already holds, with a baseline, a
 * target and a window.
 *
 * Indicators are a registry (indicators.c): each a function of the other
 * areas' data on a date, with its unit, its kind and a definition printed
 * beside every figure. Three kinds:
 *   sum   — what happened within the window up to the date (tonnes
 *           delivered, US$ reaching a stage);
 *   level — the latest whole year ending within the window (turnover,
 *           visitors in a year);
 *   state — how things stand on the date (an agreement in force, a market
 *           open), as a level 0, 1, 2.
 * A value that cannot be read (no figure for the year, months missing) is
 * "no data" or "incomplete", never zero; an error reading it fails the
 * report.
 *
 * The report (report.c) gives each commitment's value, progress toward the
 * target, the change over the year before the date, the value projected to
 * the due date at the pace so far, and a flag: overdue, at risk, no data,
 * on track, met, done, dropped. The operations are in cmt_ops. Tables
 * returned are freed by the caller. */
#ifndef CORRIDOR_COMMITMENTS_H
#define CORRIDOR_COMMITMENTS_H

#include "../ref/ref.h"

struct op_call;

enum cmt_kind { CMT_SUM, CMT_LEVEL, CMT_STATE };

/* What an indicator needs besides the window. */
#define CMT_SUBJECT 1u   /* subject (an agreement code, an HS code, a stage) */
#define CMT_FROM 2u      /* from: a country */
#define CMT_TO 4u        /* to: a country */
#define CMT_ORIGINS 8u   /* may take origins */
#define CMT_BASELINE 16u /* a baseline must be given (a level has no natural zero) */

/* A commitment's indicator as stored: window end "" = open. */
struct cmt_spec {
    const char *indicator, *subject, *from, *to, *origins;
    char start[11], end[11];
};

/* One reading: found 0 = no data (why says what is missing); incomplete 1
 * = a lower bound (months missing, named in why). */
struct cmt_value {
    int found, incomplete;
    int64_t v;   /* in the indicator's base unit */
    char at[11]; /* the day the value stands for (a level: its year's last day) */
    char why[400];
    char sources[1600];
};

struct cmt_indicator {
    const char *name;
    const char *label; /* for people: "beef exports to China" */
    const char *unit;  /* display unit: "t", "US$", "visitors", "level" */
    int64_t scale;     /* base units per display unit (grams per tonne...) */
    enum cmt_kind kind;
    int top; /* a state's highest level */
    unsigned needs;
    const char *subject;   /* what subject means (NULL: takes none) */
    const char *dflt_from; /* defaults for from and to (NULL: none) */
    const char *dflt_to;
    const char *definition; /* printed beside every figure */
    int (*read)(struct db *db, const struct cmt_spec *s, const char *date, struct cmt_value *v,
                struct err *e);
    const char *dflt_subject; /* the subject when none is given (NULL: none) */
};

/* The registry, ended by an entry with a NULL name. */
extern const struct cmt_indicator cmt_indicators[];
/* The indicator called name, or NULL. */
const struct cmt_indicator *cmt_indicator_find(const char *name);
/* Reads indicator s on date (YYYY-MM-DD): 0 with v filled, or an error. */
int cmt_indicator_read(struct db *db, const struct cmt_spec *s, const char *date,
                       struct cmt_value *v, struct err *e);
/* v (in the display unit) for people: "US$ 43.82 bn", "1,380 t", "655,000
 * visitors", "level 2". */
void cmt_human(const struct cmt_indicator *in, double v, char *out, size_t size);

/* v (base units) exactly in the display unit, as the API gives amounts:
 * "43820000000.00" (US$), "380.000000" (tonnes), "655000". */
void cmt_exact(const struct cmt_indicator *in, int64_t v, char *out, size_t size);
/* The largest baseline or target in base units (a million million tonnes). */
#define CMT_MAX_BASE 1000000000000000000LL

/* The operations (records.c, report.c). */
int cmt_meeting_add(struct op_call *c, struct err *e);
int cmt_add(struct op_call *c, struct err *e);
int cmt_update(struct op_call *c, struct err *e);
int cmt_meetings(struct op_call *c, struct err *e);
int cmt_list(struct op_call *c, struct err *e);
int cmt_indicators_list(struct op_call *c, struct err *e);
int cmt_report_op(struct op_call *c, struct err *e);

/* 0 when the meeting exists (NULL: none asked for), else ERR_NOTFOUND
 * naming the parameter "meeting". */
int cmt_meeting_check(struct db *db, const char *meeting, struct err *e);

/* The progress report on date for one meeting (NULL: all), of the meetings
 * held by then: one row per commitment, the overdue first, then the at risk, those without data, on
 * track, met or done, dropped; each by due date. */
int cmt_report(struct db *db, const char *meeting, const char *date, struct table **out,
               struct err *e);

#endif
