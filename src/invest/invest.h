/* invest — the investment pipeline: projects from idea to commissioning,
 * who invests (an organisation and its origin economy: CHN mainland, HKG,
 * MAC...), through whom (a channel such as a Xinjiang company or a Hong Kong
 * holding), where (host country and ISO 3166-2 region), in which sector
 * (ISIC Rev. 4 sections), of which kind (greenfield, acquisition, joint
 * venture; construction contracts and development finance kept apart and
 * never summed into investment), how much (original currency and US$), with
 * how many jobs, and a dated stage history whose moves follow the stage
 * machine. Importers read the native CSV, the AEI China Global Investment
 * Tracker (.xlsx and its CSV export) and AidData's GCDF 3.0 CSV; reports
 * give totals by a dimension, the funnel with conversion, time in each
 * stage, the largest projects and those that stall.
 *
 * The operations are in inv_ops. Tables returned are freed by the caller. */
#ifndef CORRIDOR_INVEST_H
#define CORRIDOR_INVEST_H

#include "../ref/ref.h"

struct op_call;

/* The largest amount of one project, in US cents: US$ 1 trillion, beyond any
 * project there has been (the largest are tens of billions); millions of
 * them still sum without overflow. */
#define INV_USD_MAX INT64_C(100000000000000)

/* Today where it is latest (UTC+14), so that a move made today in Astana or
 * Urumqi is not "in the future"; every date check and "days so far" of the
 * area uses it. */
void inv_today(char out[11]);

/* ---- the stage machine ---- */

enum inv_stage {
    INV_IDEA,
    INV_ANNOUNCED,
    INV_SIGNED,
    INV_CONSTRUCTION,
    INV_COMMISSIONED,
    INV_STALLED,
    INV_CANCELLED,
    INV_NSTAGES
};
#define INV_STAGES "idea|announced|signed|construction|commissioned|stalled|cancelled"

/* The stage called s ("signed", case-insensitive), or -1. */
int inv_stage_parse(const char *s);
/* Its name as stored ("signed") and for people ("agreement signed"). */
const char *inv_stage_name(int s);
const char *inv_stage_label(int s);
/* 1 if a project at stage `from` may move to `to`. resume is the last
 * stage of the main line before it stalled (used when from is stalled). */
int inv_stage_allowed(int from, int resume, int to);
/* The moves allowed from `from`, in words ("announced, stalled or
 * cancelled"; "none: commissioned is final"). */
const char *inv_stage_moves(int from, int resume, char *out, size_t size);

/* ---- amounts as the trackers write them ---- */

/* AEI's "Quantity in Millions" (whole US$ millions) into US cents. From its
 * CSV export (number = 0): " $\t1.890 ", "$1,890", "200", where "." or ","
 * separate thousands, so every group after the first has three digits. From
 * an .xlsx number cell (number = 1): the number as Excel stores it ("1890",
 * "1.5E3"). Refuses anything else, saying why. */
int inv_parse_aei_millions(const char *s, int number, int64_t *cents, struct err *e);
/* A share of the deal: a fraction ("0.51"), or a percentage ("51%", "51.5 %")
 * into basis points (5100); blank gives *has = 0. */
int inv_parse_share(const char *s, int64_t *bp, int *has, struct err *e);
/* An amount in some currency, exact to the hundredth ("1 234 567.5",
 * "1234567,50" refused as ambiguous only when both separators could be
 * decimal); into hundredths. */
int inv_parse_amount(const char *s, int64_t *hundredths, struct err *e);

/* ---- sectors ---- */

/* The ISIC Rev. 4 section called by letter or name, or NULL. */
const char *inv_sector_name(const char *letter);
/* The ISIC section a tracker's sector and subsector map to ("" for none),
 * tracker "aei" or "aiddata"; NULL when the sector is unknown. */
const char *inv_sector_map(const char *tracker, const char *sector, const char *subsector);
int inv_sectors_list(struct table **out, struct err *e);

/* ---- projects (the operations' functions; parameters: see inv_ops) ---- */

int inv_add(struct op_call *c, struct err *e);
/* A stored project (its fields and history) as JSON for the audit; 1 and
 * *out (free it), 0 when there is no such project, or an error. */
int inv_project_json(struct db *db, const char *code, char **out, struct err *e);
int inv_stage_move(struct op_call *c, struct err *e);
int inv_figure_add(struct op_call *c, struct err *e);
int inv_import(struct op_call *c, struct err *e);
int inv_list(struct op_call *c, struct err *e);
int inv_show(struct op_call *c, struct err *e);

/* ---- reports ---- */

/* Which projects a report counts. kind: "investment" (greenfield,
 * acquisition, joint-venture), or one kind; host, origin: alpha-3 or NULL. */
struct inv_filter {
    const char *kind, *host, *origin;
    long from, to; /* years; 0 = open */
};
int inv_totals(struct db *db, const struct inv_filter *f, const char *by, struct table **out,
               struct err *e);
int inv_funnel(struct db *db, const struct inv_filter *f, struct table **out, struct err *e);
int inv_durations(struct db *db, const struct inv_filter *f, struct table **out, struct err *e);
int inv_largest(struct db *db, const struct inv_filter *f, int top, struct table **out,
                struct err *e);
int inv_stalled(struct db *db, const struct inv_filter *f, long days, const char *date,
                struct table **out, struct err *e);
int inv_figures(struct db *db, struct table **out, struct err *e);

#endif
