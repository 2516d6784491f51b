/* access — market access: dated rules (HS prefix x exporting country [x
 * exporting region] x importing country -> status and required documents),
 * registered establishments (e.g. plants registered with China's GACC), the
 * register of non-tariff barriers (UNCTAD NTM chapters A-P), and
 * access_check(), which explains every reason a product cannot go.
 *
 * Ownership: tables returned are freed by the caller (table_free). */
#ifndef CORRIDOR_ACCESS_H
#define CORRIDOR_ACCESS_H

#include "../ref/ref.h"

extern const struct rec_field access_rule_spec[];
extern const size_t access_rule_nspec;
extern const struct rec_field access_plant_spec[];
extern const size_t access_plant_nspec;
extern const struct rec_field access_barrier_spec[];
extern const size_t access_barrier_nspec;

/* Insert functions for the record importer and `add` commands (ctx: ref). */
int access_rule_insert(struct db *db, const struct rec_value *v, void *ref, struct err *e);
int access_plant_insert(struct db *db, const struct rec_value *v, void *ref, struct err *e);
int access_barrier_insert(struct db *db, const struct rec_value *v, void *ref, struct err *e);
/* Changes an establishment's status (active, suspended, expired), audited. */
int access_plant_set_status(struct db *db, const char *registration, const char *status,
                            struct err *e);

struct access_query {
    const char *hs, *exporter, *region, *importer; /* resolved codes */
    const char *plant;                             /* registration number or NULL */
    const char *docs;                              /* comma-separated codes or NULL */
    const char *date;                              /* YYYY-MM-DD; NULL = today */
};

#define ACCESS_MAX_REASONS 16

struct access_result {
    int allowed;
    int nreasons;
    char reasons[ACCESS_MAX_REASONS][320];
    sqlite3_int64 rule_id; /* 0 when no rule applies */
    char rule[400];        /* the applicable rule in words */
    char required[256];    /* required documents */
    char date[11];
};

/* Checks a product against the rules, documents and establishment register
 * in force on the date and lists every reason for a refusal. Returns 0 (see
 * r->allowed) or a negative code for bad input. */
int access_check(struct db *db, const struct access_query *q, struct access_result *r,
                 struct err *e);
/* The result as a table (one row per reason, or one "allowed" row). */
struct table *access_result_table(const struct access_query *q, const struct access_result *r);

int access_rules_list(struct db *db, const char *hs, const char *exporter, const char *importer,
                      const char *date, struct table **out, struct err *e);
int access_plants_list(struct db *db, const char *country, const char *date, struct table **out,
                       struct err *e);
/* Barriers with the trade they affect: the imposing country's imports from
 * the affected one under the barrier's HS lines, latest year available (or
 * the affected side's exports when the importer reports none). */
int access_barriers_list(struct db *db, const char *status, struct table **out, struct err *e);

#endif
