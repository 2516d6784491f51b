/* shipments — consignments and the gates they pass, the way a single window
 * does: reference data, then every gate in the registry (market access on
 * the planned date, the agreement's scope and remaining annual cap, and any
 * gate another area registers, such as the capacity of a border crossing).
 * Then their lifecycle events in order, the time to cross each border
 * crossing (CAREC-style), and the fulfilment of agreements' caps, which is
 * counted from the shipments.
 *
 * Declarations run inside the dispatcher's BEGIN IMMEDIATE transaction, so
 * two processes racing for the last tonnes of a cap are serialised by
 * SQLite and never both accepted. A gate that cannot read what it needs
 * fails the declaration with that error: no gate passes on an error. Tables
 * returned are freed by the caller. */
#ifndef CORRIDOR_SHIPMENTS_H
#define CORRIDOR_SHIPMENTS_H

#include "../access/access.h"
#include "../agreements/agreements.h"

struct op_call;

/* What the gates look at: the declaration, its codes resolved. */
struct ship_consignment {
    const char *reference, *hs, *origin, *origin_region, *dest, *dest_region, *crossing, *mode,
        *plant, *documents, *date;
    const char *exporter, *importer, *agreement;    /* as the declaration names them */
    int64_t exporter_id, importer_id, agreement_id; /* agreement_id 0: none */
    int64_t net_g, value_cents;
};

/* A gate: adds every reason the consignment may not pass to why, and
 * returns 0, or an error when it could not decide (which refuses it). */
struct ship_gate {
    const char *name;
    int (*check)(struct db *db, const struct ship_consignment *s, struct reasons *why,
                 struct err *e);
};

/* Adds a gate that every declaration passes after the built-in ones
 * (market access, agreement). Call before serving; returns 0 or ERR_LIMIT. */
int ship_gate_register(const struct ship_gate *g);

/* The write operations (parameters: see ship_ops). A refused declaration
 * returns ERR_REFUSED with every reason in c->why. */
int ship_declare(struct op_call *c, struct err *e);
/* Records a lifecycle event; refuses one out of order or earlier than the
 * last one. */
int ship_event(struct op_call *c, struct err *e);

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
/* The same per crossing and year of arrival (yearly) or month. */
int ship_crossing_times_by(struct db *db, const struct ship_filter *f, int yearly,
                           struct table **out, struct err *e);
/* Percentile p (0..1) of sorted values, interpolating linearly between ranks
 * (numpy's default). */
double ship_percentile(const double *sorted, size_t n, double p);

/* Fulfilment of caps: per agreement and commodity, cap, declared, shipped,
 * delivered, remaining, % of cap, projected end-of-period total at the
 * current pace, and flags at 80% and 100%. agreement NULL = all; period NULL
 * = the one containing the date. The terms used are those in force on the
 * date (or on the period's last day, if earlier). */
int ship_fulfilment(struct db *db, const char *agreement, const char *period, const char *date,
                    struct table **out, struct err *e);

/* The code of the border crossing text names, by its code or by a name in
 * any language (Алтынколь, 阿腾科里); an unknown one is refused, naming the
 * known codes. */
int ship_crossing_find(struct db *db, const char *text, char code[32], struct err *e);
/* The latest planned date of any consignment ("" when there is none). */
int ship_latest_date(struct db *db, char out[11], struct err *e);

#endif
