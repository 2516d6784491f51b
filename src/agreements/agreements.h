/* agreements — parties (organisations) and supply and framework agreements:
 * who is bound (roles), which goods (HS prefixes), how much a year (cap in
 * tonnes and/or US$, calendar or July–June marketing year), and how the
 * terms changed: every amendment is a dated version, so the terms in force on
 * any date can be read back. Fulfilment against the caps lives in shipments/,
 * which owns the deliveries.
 *
 * Ownership: tables returned are freed by the caller (table_free). */
#ifndef CORRIDOR_AGREEMENTS_H
#define CORRIDOR_AGREEMENTS_H

#include "../ref/ref.h"

/* ---- parties ---- */
extern const struct rec_field agr_party_spec[];
extern const size_t agr_party_nspec;
/* Inserts a party from parsed values (ctx: const struct ref *). */
int agr_party_insert(struct db *db, const struct rec_value *v, void *ref, struct err *e);
/* Id of the party called name (or with that numeric id); ERR_NOTFOUND. */
int agr_party_find(struct db *db, const char *name, sqlite3_int64 *id, struct err *e);
int agr_party_list(struct db *db, const char *country3, struct table **out, struct err *e);
int agr_party_show(struct db *db, const char *name, struct table **out, struct err *e);

/* ---- agreements ---- */
extern const struct rec_field agr_spec[];
extern const size_t agr_nspec;
extern const struct rec_field *const agr_amend_spec; /* the fields of an amendment */
extern const size_t agr_amend_nspec;
extern const struct rec_field agr_amend_row_spec[]; /* code, then the amendment */
extern const size_t agr_amend_row_nspec;

struct agr_terms {
    sqlite3_int64 agreement_id;
    int version;
    char code[64], effective[11], hs_scope[512], period_kind[12], start[11], end[11], status[12];
    int has_cap_g, has_cap_cents;
    int64_t cap_g, cap_cents;
};

/* Inserts an agreement, its parties and its first terms (ctx: ref). */
int agr_insert(struct db *db, const struct rec_value *v, void *ref, struct err *e);
/* Adds a version of the terms of agreement code, effective from the given
 * date, copying what the amendment does not change. */
int agr_amend(struct db *db, const char *code, const struct rec_value *v, struct err *e);
/* The record importer's form of agr_amend (fields: agr_amend_row_spec). */
int agr_amend_record(struct db *db, const struct rec_value *v, void *ctx, struct err *e);
/* Ends an agreement: an amendment setting status expired or terminated. */
int agr_close(struct db *db, const char *code, const char *status, const char *date, struct err *e);
/* The id of agreement code; ERR_NOTFOUND with the known codes suggested. */
int agr_find(struct db *db, const char *code, sqlite3_int64 *id, struct err *e);
/* The terms of agreement id in force on date (YYYY-MM-DD): ERR_NOTFOUND when
 * no version is effective yet. */
int agr_terms_at(struct db *db, sqlite3_int64 id, const char *date, struct agr_terms *t,
                 struct err *e);
/* The cap period of the terms containing date: label ("2024", "2024/25")
 * and first and last day (days since 1970). */
void agr_period(const struct agr_terms *t, const char *date, char label[16], long *first,
                long *last);
/* Parses a period label for the terms ("2024", "2024/25", "2024-25") into
 * its first and last day. */
int agr_period_parse(const struct agr_terms *t, const char *label, char norm[16], long *first,
                     long *last, struct err *e);
/* The scope prefix of terms that covers hs, or NULL. */
const char *agr_scope_match(const struct agr_terms *t, const char *hs, char *out, size_t size);
int agr_list(struct db *db, const char *date, struct table **out, struct err *e);
/* Terms history and parties of one agreement. */
int agr_show(struct db *db, const char *code, struct table **out, struct err *e);

#endif
