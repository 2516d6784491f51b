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

struct op_call;

/* The write operations (parameters: see access_ops). */
int access_rule_add(struct op_call *c, struct err *e);
int access_plant_add(struct op_call *c, struct err *e);
int access_barrier_add(struct op_call *c, struct err *e);
/* Changes an establishment's status (active, suspended, expired). */
int access_plant_status(struct op_call *c, struct err *e);

struct access_query {
    const char *hs, *exporter, *region, *importer; /* resolved codes */
    const char *plant;                             /* registration number or NULL */
    const char *docs;                              /* comma-separated codes or NULL */
    const char *date;                              /* YYYY-MM-DD; NULL = today */
};

/* The applicable rule in words: its scope, status, dates and legal basis
 * (up to 500 bytes). */
#define ACCESS_RULE_TEXT 1024

struct access_result {
    int allowed;
    struct reasons why;          /* every reason for a refusal */
    int64_t rule_id;             /* 0 when no rule applies */
    char rule[ACCESS_RULE_TEXT]; /* the applicable rule in words */
    char required[512];          /* required documents */
    char date[11];
    char region[12];       /* the exporting region checked ("" = the whole country) */
    int region_from_plant; /* it was taken from the registered establishment */
};

/* Checks a product against the rules, documents and establishment register
 * in force on the date and lists every reason for a refusal. When no region
 * is given and the establishment is registered in one, the rules of that
 * region apply, and the result says so. Returns 0 (see r->allowed) or an
 * error: a database error is never read as "allowed". */
int access_check(struct db *db, const struct access_query *q, struct access_result *r,
                 struct err *e);
/* The result as a table (one row per reason, or one "allowed" row). */
struct table *access_result_table(const struct access_query *q, const struct access_result *r);

/* How the market for hs from the whole exporting country stands on date: the
 * status of the most specific rule in force ("open", "suspended"...; "" and
 * rule_id 0 when no rule applies), and that rule in words. 0 or an error. */
int access_market(struct db *db, const char *hs, const char *exporter, const char *importer,
                  const char *date, char status[16], char rule[ACCESS_RULE_TEXT], int64_t *rule_id,
                  struct err *e);

int access_rules_list(struct db *db, const char *hs, const char *exporter, const char *importer,
                      const char *date, struct table **out, struct err *e);
/* The register with each establishment's status on date (a registration
 * past its valid_to is expired, one not yet valid is pending). */
int access_plants_list(struct db *db, const char *country, const char *date, struct table **out,
                       struct err *e);
/* Barriers with the trade they affect: the imposing country's imports from
 * the affected one under the barrier's HS lines, latest year available (or
 * the affected side's exports when the importer reports none). */
int access_barriers_list(struct db *db, const char *status, struct table **out, struct err *e);

#endif
