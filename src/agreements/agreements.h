/* agreements — parties (organisations) and supply and framework agreements:
 * who is bound (roles), which goods (HS prefixes), how much a year (cap in
 * tonnes and/or US$, calendar or July–June marketing year), and how the
 * terms changed: every amendment is a dated version, so the terms in force on
 * any date can be read back. Fulfilment against the caps lives in shipments/,
 * which owns the deliveries.
 *
 * The operations (parties add/list/show/import, agreements
 * add/amend/close/list/show/import...) are in agr_ops. Ownership: tables
 * returned are freed by the caller (table_free). */
#ifndef CORRIDOR_AGREEMENTS_H
#define CORRIDOR_AGREEMENTS_H

#include "../ref/ref.h"

struct op_call;

/* ---- parties ---- */

/* Id of the party called name (in any case): 0, ERR_NOTFOUND, or a
 * database error. */
int agr_party_find(struct db *db, const char *name, int64_t *id, struct err *e);
int agr_party_list(struct db *db, const char *country3, struct table **out, struct err *e);
int agr_party_show(struct db *db, const char *name, struct table **out, struct err *e);
/* The write operations (parameters: see agr_ops). */
int agr_party_add(struct op_call *c, struct err *e);

/* ---- agreements ---- */

struct agr_terms {
    int64_t agreement_id;
    int version;
    char code[72], effective[11], hs_scope[512], period_kind[12], start[11], end[11], status[12];
    int has_cap_g, has_cap_cents;
    int64_t cap_g, cap_cents;
};

int agr_add(struct op_call *c, struct err *e);
int agr_amend(struct op_call *c, struct err *e);
int agr_close(struct op_call *c, struct err *e);
/* The id of agreement code; ERR_NOTFOUND naming where to find the codes. */
int agr_find(struct db *db, const char *code, int64_t *id, struct err *e);
/* The terms of agreement id in force on date (YYYY-MM-DD): ERR_NOTFOUND when
 * no version is effective yet. */
int agr_terms_at(struct db *db, int64_t id, const char *date, struct agr_terms *t, struct err *e);
/* The cap period of the terms containing date: label ("2024", "2024/25")
 * and first and last day (days since 1970). */
void agr_period(const struct agr_terms *t, const char *date, char label[16], long *first,
                long *last);
/* Parses a period label for the terms ("2024", "2024/25", "2024-25") into
 * its first and last day; e->field is "period" on error. */
int agr_period_parse(const struct agr_terms *t, const char *label, char norm[16], long *first,
                     long *last, struct err *e);
/* The scope prefix of terms that covers hs, or NULL. */
const char *agr_scope_match(const struct agr_terms *t, const char *hs, char *out, size_t size);
/* Agreements with the terms in force on date (YYYY-MM-DD). */
int agr_list(struct db *db, const char *date, struct table **out, struct err *e);
/* Terms history and parties of one agreement. */
int agr_show(struct db *db, const char *code, struct table **out, struct err *e);
/* 1 if the party is bound by the agreement, 0 if not, or an error. */
int agr_is_party(struct db *db, int64_t agreement, int64_t party, struct err *e);

#endif
