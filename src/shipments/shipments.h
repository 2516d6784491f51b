/* shipments — consignments and the gates they pass, the way a single window
 * does: reference data, market access on the planned date, the agreement's
 * scope and remaining annual cap, and border-crossing capacity (an extension
 * point the logistics area fills). Then their lifecycle events in order, the
 * time to cross each border crossing (CAREC-style), and the fulfilment of
 * agreements' caps, which is counted from the shipments.
 *
 * Declarations run inside the caller's BEGIN IMMEDIATE transaction, so two
 * processes racing for the last tonnes of a cap are serialised by SQLite and
 * never both accepted. Tables returned are freed by the caller. */
#ifndef CORRIDOR_SHIPMENTS_H
#define CORRIDOR_SHIPMENTS_H

#include "../access/access.h"
#include "../agreements/agreements.h"

extern const struct rec_field ship_spec[];
extern const size_t ship_nspec;
extern const struct rec_field ship_event_spec[];
extern const size_t ship_event_nspec;

#define SHIP_MAX_REASONS 24

/* Why a declaration was refused: every reason from every gate. */
struct ship_decision {
    int nreasons;
    char reasons[SHIP_MAX_REASONS][320];
};

/* Declares a consignment (inside the caller's write transaction): runs the
 * gates in order and stores it with its "declared" event when all pass.
 * Returns ERR_REFUSED with d filled (and the reasons joined in e->msg) when a
 * gate says no; ERR_INPUT/ERR_NOTFOUND for bad reference data. ctx: ref.
 * d may be NULL. */
int ship_declare(struct db *db, const struct ref *ref, const struct rec_value *v,
                 struct ship_decision *d, struct err *e);
/* The record importer's form of ship_declare. */
int ship_declare_record(struct db *db, const struct rec_value *v, void *ref, struct err *e);
/* Records a lifecycle event (inside the caller's transaction); refuses an
 * event out of order or earlier than the last one. */
int ship_event_record(struct db *db, const struct rec_value *v, void *ctx, struct err *e);

struct ship_filter {
    const char *agreement, *status, *crossing, *from, *to, *hs;
};
int ship_list(struct db *db, const struct ship_filter *f, struct table **out, struct err *e);
/* The shipment's events, with its particulars as notes. */
int ship_show(struct db *db, const char *reference, struct table **out, struct err *e);
/* Hours from arrival at the crossing to crossing it, per crossing and month
 * of arrival: shipments, median, 90th percentile, mean. */
int ship_crossing_times(struct db *db, const struct ship_filter *f, struct table **out,
                        struct err *e);
/* Percentile p (0..1) of sorted values, interpolating linearly between ranks
 * (numpy's default). */
double ship_percentile(const double *sorted, size_t n, double p);

/* Fulfilment of caps: per agreement and commodity, cap, declared, shipped,
 * delivered, remaining, % of cap, projected end-of-period total at the
 * current pace, and flags at 80% and 100%. agreement NULL = all; period NULL
 * = the one containing the date; date NULL = today. The terms used are those
 * in force on the date (or on the period's last day, if earlier). */
int ship_fulfilment(struct db *db, const char *agreement, const char *period, const char *date,
                    struct table **out, struct err *e);

/* The latest planned date of any consignment ("" when there is none). */
int ship_latest_date(struct db *db, char out[11], struct err *e);

/* The capacity gate: the logistics area answers here whether the crossing
 * can take the consignment in its period. Adds reasons to d; 0 or an error. */
int ship_gate_capacity(struct db *db, const char *crossing, const char *date, int64_t net_g,
                       struct ship_decision *d, struct err *e);

#endif
