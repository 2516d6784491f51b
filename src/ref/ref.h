/* ref — reference data: countries and statistical aggregates (ISO 3166-1
 * alpha-2/alpha-3/numeric, UN M49, UN Comtrade codes), sub-national regions
 * (ISO 3166-2, e.g. CN-XJ), the HS2022 nomenclature, and the resolution of
 * what people type ("KAZ", "kz", "398", "Kazakhstan") to one entity, with the
 * closest matches suggested when nothing matches.
 *
 * Ownership: ref_open returns an in-memory index the caller frees with
 * ref_free; the country and region pointers it hands out live as long as it. */
#ifndef CORRIDOR_REF_H
#define CORRIDOR_REF_H

#include "../db/db.h"

struct country {
    char code3[8];
    char code2[4];
    int numeric;
    char name[96];
    int aggregate;    /* World, EU, "areas nes"... not an economy */
    const char *note; /* what needs saying about the code ("" when nothing) */
};

struct region {
    char code[12];
    char country[8];
    char name[96];
};

struct ref;

/* Loads the embedded reference files (countries, aliases, regions, HS
 * sections and codes) into the database, adding what it lacks (the caller's
 * transaction holds it). The statistical areas and aliases of the files win
 * over what is stored. */
int ref_install(struct db *db, struct err *e);
/* Builds the in-memory lookup index from the database. */
int ref_open(struct db *db, struct ref **out, struct err *e);
void ref_free(struct ref *r);
/* Resolves a country from alpha-3, alpha-2, numeric/M49/Comtrade code or
 * name, case-insensitively. On failure returns NULL and fills e with
 * "unknown country 'X'; did you mean ...". */
const struct country *ref_country(const struct ref *r, const char *text, struct err *e);
/* As ref_country, but a code first in UN Comtrade's sense where that
 * differs from ISO's (492: Europe EU, nes, not Monaco). */
const struct country *ref_country_comtrade(const struct ref *r, const char *text, struct err *e);
/* What code means in UN Comtrade's files when that differs from ref_country's
 * answer, or NULL. */
const struct country *ref_comtrade_differs(const struct ref *r, const char *code);
/* Resolves an ISO 3166-2 region code (current or former) or name. */
const struct region *ref_region(const struct ref *r, const char *text, struct err *e);
/* The alpha-3 code of a record's country field, or NULL with e naming
 * field. */
const char *ref_country_field(const struct ref *r, const char *text, const char *field,
                              struct err *e);
/* The code of a record's optional region field, which must lie in country3:
 * "" when text is NULL or empty, NULL with e naming field on error. */
const char *ref_region_field(const struct ref *r, const char *text, const char *country3,
                             const char *field, struct err *e);
/* 1 if code is "TOTAL" or 2 to 10 digits of even length (the shape of a
 * code in trade statistics, whatever its HS edition). */
int ref_hs_valid(const char *code);
/* 1 if code (2 to 10 digits) is in the HS2022 nomenclature: the code, or for
 * national lines of 8 or 10 digits their first six. */
int ref_hs_known(const struct ref *r, const char *code);
/* The (up to) three codes of the nomenclature nearest to code, of its
 * length (six digits at most), for a refusal; returns how many. */
int ref_hs_nearest(const struct ref *r, const char *code, char near[3][8]);
size_t ref_country_count(const struct ref *r);
/* Tables for `corridor ref countries|regions|hs`. prefix filters HS codes;
 * search (may be NULL) keeps the codes whose description holds every one of
 * its words at the start of a word, case-insensitively (common names too:
 * beef finds "Meat of bovine animals"). */
int ref_list_countries(struct db *db, struct table **out, struct err *e);
int ref_list_regions(struct db *db, const char *country3, struct table **out, struct err *e);
int ref_list_hs(struct db *db, const char *prefix, int level, const char *search,
                struct table **out, struct err *e);

#endif
