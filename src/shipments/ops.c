/* ops.c — the operations of the shipments area: declaring consignments
 * through the gates, their events, the lists and reports, and the
 * fulfilment of agreements' caps (listed with the agreements). */
#include "shipments.h"

#include "../ops/ops.h"

#define SHIP_ZONES "Asia/Almaty|Asia/Urumqi|Asia/Shanghai|UTC"
#define SHIP_STATUS "declared|departed|arrived|cleared|transshipped|crossed|delivered|rejected"

static const struct op_param declare_params[] = {
    {"reference", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the consignment's reference"},
    {"exporter", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "the exporting party (its name)"},
    {"importer", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "the importing party (its name)"},
    {"agreement", PT_CODE, 0, NULL, 0, 0, NULL, "the agreement it is shipped under"},
    {"hs", PT_HS, PF_REQUIRED, NULL, 0, 0, NULL, "the product (4 to 10 digits)"},
    {"net_t", PT_MASS, PF_REQUIRED, NULL, 1000, INT64_C(1000000000000), NULL, "net mass in tonnes"},
    {"value_usd", PT_MONEY, PF_REQUIRED, NULL, 0, INT64_C(1000000000000), NULL,
     "its value in US dollars"},
    {"origin", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country of origin"},
    {"origin_region", PT_REGION, 0, "origin", 0, 0, NULL, "the region of origin"},
    {"dest", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country of destination"},
    {"dest_region", PT_REGION, 0, "dest", 0, 0, NULL, "the region of destination"},
    {"crossing", PT_CODE, 0, NULL, 0, 0, NULL, "the border crossing (DOSTYK-RAIL, ALTYNKOL...)"},
    {"mode", PT_ENUM, PF_REQUIRED, "rail|road|air|sea|multimodal", 0, 0, NULL, "how it travels"},
    {"plant", PT_CODE, 0, NULL, 0, 0, NULL, "the registered establishment it comes from"},
    {"documents", PT_LIST, 0, NULL, 0, 0, NULL, "the documents it carries"},
    {"date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the planned day of shipment"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "where this comes from"},
    {0},
};

static const struct op_param event_params[] = {
    {"reference", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the consignment's reference"},
    {"event", PT_ENUM, PF_REQUIRED,
     "departed|arrived|cleared|transshipped|crossed|delivered|rejected", 0, 0, NULL,
     "what happened"},
    {"at", PT_TIMESTAMP, PF_REQUIRED, NULL, 0, 0, NULL,
     "when, in local time where it happened (or ending in Z for UTC, or +HH:MM)"},
    {"zone", PT_ENUM, 0, SHIP_ZONES, 0, 0, NULL,
     "the time zone of a local time (default: the crossing's, else UTC)"},
    {"place", PT_TEXT, 0, NULL, 0, 200, NULL, "where"},
    {"note", PT_TEXT, 0, NULL, 0, 0, NULL, "a remark"},
    {0},
};

static const struct op_param list_params[] = {
    {"agreement", PT_CODE, 0, NULL, 0, 0, NULL, "only those under this agreement"},
    {"status", PT_ENUM, 0, SHIP_STATUS, 0, 0, NULL, "only those with this last event"},
    {"crossing", PT_TEXT, 0, NULL, 0, 100, NULL,
     "only those through this crossing (its code or name: ALTYNKOL, Алтынколь)"},
    {"from", PT_DATE, 0, NULL, 0, 0, NULL, "planned on or after this day"},
    {"to", PT_DATE, 0, NULL, 0, 0, NULL, "planned on or before this day"},
    {"hs", PT_HS, 0, NULL, 0, 0, NULL, "only this product (or its codes)"},
    {0},
};

static const struct op_param show_params[] = {
    {"reference", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the consignment's reference"},
    {0},
};

static const struct op_param times_params[] = {
    {"crossing", PT_TEXT, 0, NULL, 0, 100, NULL, "only this crossing (its code or name)"},
    {"from", PT_DATE, 0, NULL, 0, 0, NULL, "arrivals on or after this day"},
    {"to", PT_DATE, 0, NULL, 0, 0, NULL, "arrivals on or before this day"},
    {0},
};

static const struct op_param fulfilment_params[] = {
    {"agreement", PT_CODE, 0, NULL, 0, 0, NULL, "only this agreement"},
    {"period", PT_CODE, 0, NULL, 0, 12, NULL,
     "the cap's year (2024, or 2024/25 for a July-June agreement; default: the one of the date)"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "as known on this day (default today)"},
    {0},
};

static void filter_of(const struct op_call *c, struct ship_filter *f, int full)
{
    f->crossing = op_s(c, "crossing");
    f->from = op_s(c, "from");
    f->to = op_s(c, "to");
    f->agreement = full ? op_s(c, "agreement") : NULL;
    f->status = full ? op_s(c, "status") : NULL;
    f->hs = full ? op_s(c, "hs") : NULL;
}

static int list(struct op_call *c, struct err *e)
{
    struct ship_filter f;
    struct table *t = NULL;
    char code[32];
    filter_of(c, &f, 1);
    if (f.crossing && ship_crossing_find(c->db, f.crossing, code, e)) return e->code;
    if (f.crossing) f.crossing = code;
    return op_give(c, ship_list(c->db, &f, &t, e), &t);
}

static int show(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, ship_show(c->db, op_s(c, "reference"), &t, e), &t);
}

static int times(struct op_call *c, struct err *e)
{
    struct ship_filter f;
    struct table *t = NULL;
    char code[32];
    filter_of(c, &f, 0);
    if (f.crossing && ship_crossing_find(c->db, f.crossing, code, e)) return e->code;
    if (f.crossing) f.crossing = code;
    return op_give(c, ship_crossing_times(c->db, &f, &t, e), &t);
}

static int fulfilment(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    int rc =
        ship_fulfilment(c->db, op_s(c, "agreement"), op_s(c, "period"), op_s(c, "date"), &t, e);
    return op_give(c, rc, &t);
}

const struct op ship_ops[] = {
    {"shipments", "declare", OP_WRITE, ship_declare, declare_params,
     "declare a consignment through the gates (every reason when refused)",
     "shipments declare --reference W-NEW --exporter 'Food Contract Corporation' --importer "
     "COFCO --agreement FCC-COFCO-WHEAT --hs 100199 --net-t 1500 --value-usd 375000 --origin "
     "KAZ --dest CHN --crossing ALTYNKOL --mode rail --documents phyto-cert --date 2024-12-01",
     NULL, "shipment", "import", 0},
    {"shipments", "event", OP_WRITE, ship_event, event_params, "record what happened, in order",
     "shipments event W-2024-09 --event delivered --at 2024-10-25T09:00", NULL, "shipment",
     "import-events", 0},
    {"shipments", "list", OP_READ, list, list_params, "consignments",
     "shipments list --agreement FCC-COFCO-WHEAT", NULL, NULL, NULL, 0},
    {"shipments", "show", OP_READ, show, show_params, "one consignment and its events",
     "shipments show B-2024-01", NULL, NULL, NULL, 0},
    {"shipments", "crossing-times", OP_READ, times, times_params,
     "time to cross per crossing and month: median and 90th percentile",
     "shipments crossing-times --from 2024-01-01 --to 2024-12-31", NULL, NULL, NULL, 0},
    {"agreements", "fulfilment", OP_READ, fulfilment, fulfilment_params,
     "cap, declared, shipped, delivered, remaining, projection and flags",
     "agreements fulfilment --date 2024-12-31", NULL, NULL, NULL, 0},
    {0},
};
