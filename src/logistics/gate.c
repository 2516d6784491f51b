/* gate.c — the capacity gate that the logistics area registers with the
 * shipments area: a declaration through a border crossing is refused when
 * the crossing's booked load for the month would pass its capacity for the
 * month (the yearly capacity of its links open that day, times the month's
 * days over the year's), naming both figures. A crossing with no link in the
 * network has no capacity recorded, and so no limit; a failure to read
 * either figure refuses the declaration. */
#include "logistics.h"

#include "../shipments/shipments.h"

#include <math.h>
#include <string.h>

static int gate_capacity(struct db *db, const struct ship_consignment *s, struct reasons *why,
                         struct err *e)
{
    if (!s->crossing || !*s->crossing || !s->date || !date_valid(s->date)) return 0;
    double year_t;
    int open, links;
    int rc = lgx_capacity_on(db, s->crossing, s->date, &year_t, &open, &links, e);
    if (rc || !links) return rc; /* no link recorded: no capacity known, no limit */
    if (!open) {
        reasons_add(why, TF("crossing %s has no link open on %s in the network"), s->crossing,
                    s->date);
        return 0;
    }
    int y, m, d;
    date_parse(s->date, &y, &m, &d);
    long first = date_days(y, m, 1),
         next = m == 12 ? date_days(y + 1, 1, 1) : date_days(y, m + 1, 1);
    long ydays = date_days(y + 1, 1, 1) - date_days(y, 1, 1);
    int64_t cap_g = (int64_t)floor(year_t * (double)(next - first) / (double)ydays) * 1000000;
    char a[11], b[11];
    date_from_days(first, a);
    date_from_days(next - 1, b);
    int64_t booked = 0;
    rc =
        db_lookup_int(db, e, &booked,
                      "SELECT coalesce(sum(net_g), 0) FROM shipment WHERE crossing = ?1 AND "
                      "planned_date BETWEEN ?2 AND ?3 AND status <> 'rejected' AND reference <> ?4",
                      "tttt", s->crossing, a, b, s->reference ? s->reference : "");
    if (rc < 0) return rc;
    if (rc == 0) return err_set(e, ERR_DB, "the crossing's booked load could not be read");
    int64_t after;
    if (__builtin_add_overflow(booked, s->net_g, &after) || after > cap_g) {
        char c1[40], c2[40], c3[40];
        reasons_add(
            why,
            TF("crossing %s is full for %.7s: capacity %s t for the month, booked %s t, this "
               "declaration %s t"),
            s->crossing, s->date, mass_format_t(cap_g, 1, c1, sizeof c1),
            mass_format_t(booked, 1, c2, sizeof c2), mass_format_t(s->net_g, 1, c3, sizeof c3));
    }
    return 0;
}

static const struct ship_gate capacity_gate = {"crossing capacity", gate_capacity};

int lgx_gate_register(void)
{
    return ship_gate_register(&capacity_gate);
}

/* ---- the crossings' indicators ---- */

int lgx_indicators(struct db *db, int year, struct table **out, struct err *e)
{
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year % 10000);
    snprintf(to, sizeof to, "%04d-12-31", year % 10000);
    struct ship_filter f = {.from = from, .to = to};
    struct lgx_assign_opts o = {.year = year};
    struct table *times = NULL, *load = NULL;
    int rc = ship_crossing_times_by(db, &f, 1, &times, e);
    if (!rc) rc = lgx_crossings(db, &o, &load, e);
    char title[400];
    snprintf(title, sizeof title, TF("Border crossings' indicators, %d"), year);
    struct table *t = table_new("indicators", title);
    table_col(t, "crossing", COL_TEXT, NULL, 0);
    table_col(t, "shipments", COL_INT, NULL, 0);
    table_col(t, "median_h", COL_REAL, "h", 1);
    table_col(t, "p90_h", COL_REAL, "h", 1);
    table_col(t, "cost_usd_t", COL_MONEY, "US$", 0);
    table_col(t, "flow_t", COL_INT, "t", 0);
    table_col(t, "capacity_t", COL_INT, "t", 0);
    table_col(t, "utilisation_pct", COL_REAL, "%", 1);
    struct db_stmt *st = NULL;
    if (!rc) rc = db_prepare(db, &st, e, "SELECT code FROM crossing ORDER BY code", NULL);
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        const char *x = db_col_str(st, 0);
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, x);
        for (size_t k = 0; k < times->nrows; k++)
            if (strcmp(table_cell(times, k, 0)->s, x) == 0) {
                *table_cell(t, r, 1) = *table_cell(times, k, 2);
                *table_cell(t, r, 2) = *table_cell(times, k, 3);
                *table_cell(t, r, 3) = *table_cell(times, k, 4);
            }
        for (size_t k = 0; k < load->nrows; k++)
            if (strcmp(table_cell(load, k, 0)->s, x) == 0) {
                for (size_t j = 1; j < 4; j++)
                    *table_cell(t, r, 4 + j) = *table_cell(load, k, j);
                *table_cell(t, r, 4) = *table_cell(load, k, 4);
            }
    }
    db_finalize(st);
    table_free(times);
    table_free(load);
    if (rc) {
        table_free(t);
        return rc;
    }
    table_note(t,
               TF("In the manner of CAREC's corridor performance indicators: hours from arrival "
                  "at the crossing to exit on the other side, from the shipments' events of %d; "
                  "cost to cross: the network's cost a tonne on the cheapest of the crossing's "
                  "links open in the year; flow and capacity: the year's assignment."),
               year);
    *out = t;
    return 0;
}
