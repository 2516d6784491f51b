/* ref.c — installing the embedded reference files into the database and the
 * in-memory index that resolves country and region codes. The index is a
 * small open-addressing hash of upper-cased keys (codes, numeric codes,
 * aliases, names), so an import of millions of rows resolves codes in
 * constant time. */
#include "ref.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct hs_code {
    char code[8]; /* 2, 4 or 6 digits */
};

struct ref {
    struct country *countries;
    size_t ncountries;
    struct region *regions;
    size_t nregions;
    struct hs_code *hs; /* sorted by code */
    size_t nhs;
    struct slot {
        char *key;
        int idx; /* >= 0 country, < 0: region -(idx+1) */
    } * hash;
    size_t cap, used; /* cap: a power of two, kept at least twice used */
    struct other_name {
        char *name;
        int idx; /* as in the hash */
    } * names;   /* the names in the other languages, for suggestions */
    size_t nnames;
};

/* ---- installing the reference files ------------------------------------ */

struct install {
    struct db *db;
    struct db_stmt *st, *alias;
    int kind; /* which file */
    int col[12];
    const char *file;
};

enum { F_COUNTRIES, F_EXTRA, F_ALIASES, F_REGIONS, F_SECTIONS, F_HS, F_UNTERM, F_NAMES, F_HSNAMES };

static const char *field(const struct csv_row *row, int col)
{
    return (col >= 0 && (size_t)col < row->nfields) ? row->fields[col] : "";
}

static const char *const install_cols[][12] = {
    [F_COUNTRIES] = {"ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "ISO3166-1-numeric", "M49",
                     "CLDR display name", "official_name_en", "Region Name", "Sub-region Name",
                     NULL},
    [F_EXTRA] = {"code3", "code2", "numeric", "name", "kind", "aliases", "note", NULL},
    [F_ALIASES] = {"code", "country", "note", NULL},
    [F_REGIONS] = {"code", "country", "name", "kind", "former_codes", NULL},
    [F_SECTIONS] = {"section", "name", NULL},
    [F_HS] = {"hscode", "parent", "level", "section", "description", NULL},
    [F_UNTERM] = {"ISO3166-1-Alpha-3", "UNTERM Russian Short", "UNTERM Chinese Short", NULL},
    [F_NAMES] = {"kind", "code", "lang", "name", "source", NULL},
    [F_HSNAMES] = {"hscode", "lang", "name", "source", NULL},
};

static int install_aliases(struct install *in, const struct csv_row *row, struct err *e)
{
    char aliases[128];
    str_copy(aliases, field(row, in->col[5]), sizeof aliases);
    for (char *save, *a = strtok_r(aliases, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
        int rc = db_rebind(in->alias, e, "tt", a, field(row, in->col[0]));
        if (!rc) rc = db_step(in->alias, e);
        if (rc < 0) {
            err_at(e, in->file, row->line, 0, "aliases");
            return rc;
        }
    }
    return 0;
}

static int install_row(const struct csv_row *row, void *ctx, struct err *e)
{
    struct install *in = ctx;
    const char *const *cols = install_cols[in->kind];
    if (in->col[0] == -2) {
        for (int i = 0; cols[i]; i++) {
            in->col[i] = csv_find(row, cols[i]);
            if (in->col[i] < 0) {
                err_at(e, in->file, row->line, 0, cols[i]);
                return err_set(e, ERR_INPUT, "reference file lacks this column");
            }
        }
        return 0;
    }
    /* every column as text (NULL when empty); the HS total has no parent */
    const char *v[8] = {0};
    for (int i = 0; i < 8 && cols[i]; i++)
        v[i] = *field(row, in->col[i]) ? field(row, in->col[i]) : NULL;
    if (in->kind == F_HS && v[0] && strcmp(v[0], "TOTAL") == 0) v[1] = NULL, v[2] = "0";
    int n = db_param_count(in->st);
    static const char types[] = "tttttttt";
    int rc = db_rebind(in->st, e, &types[8 - (n > 8 ? 8 : n)], v[0], v[1], v[2], v[3], v[4], v[5],
                       v[6], v[7]);
    if (!rc) rc = db_step(in->st, e);
    if (rc < 0) {
        err_at(e, in->file, row->line, 0, NULL);
        return rc;
    }
    if (in->kind == F_EXTRA && *field(row, in->col[5])) return install_aliases(in, row, e);
    return 0;
}

int ref_install(struct db *db, struct err *e)
{
    static const struct {
        const char *file, *sql;
    } files[] = {
        [F_COUNTRIES] = {"data/ref/country-codes.csv",
                         "INSERT OR IGNORE INTO country(code3, code2, numeric, m49, name, "
                         "official_name, region, subregion) VALUES (?1, ?2, ?3, ?4, "
                         "CASE WHEN length(?5) > 3 THEN ?5 ELSE coalesce(?6, ?5) END, ?6, ?7, ?8)"},
        [F_EXTRA] = {"data/ref/country-extra.csv",
                     "INSERT INTO country(code3, code2, numeric, m49, name, kind, note) "
                     "VALUES (?1, ?2, ?3, ?3, ?4, ?5, coalesce(?7, '')) ON CONFLICT(code3) DO "
                     "UPDATE SET name = excluded.name, kind = excluded.kind, note = excluded.note"},
        [F_ALIASES] = {"data/ref/country-aliases.csv",
                       "INSERT OR REPLACE INTO country_alias(code, country, note) "
                       "VALUES (?1, ?2, ?3)"},
        [F_REGIONS] = {"data/ref/regions.csv",
                       "INSERT OR IGNORE INTO region(code, country, name, kind, former_codes) "
                       "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))"},
        [F_SECTIONS] = {"data/ref/hs-sections.csv",
                        "INSERT OR IGNORE INTO hs_section(section, name) VALUES (?1, ?2)"},
        [F_HS] = {"data/ref/harmonized-system.csv",
                  "INSERT OR IGNORE INTO hs(code, parent, level, section, description) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)"},
        /* the UN's short names first: they are the names shown */
        [F_UNTERM] = {"data/ref/country-codes.csv",
                      "INSERT OR IGNORE INTO place_name(kind, code, lang, name, source) SELECT "
                      "'country', ?1, 'ru', ?2, 'UNTERM' WHERE ?1 IS NOT NULL AND ?2 IS NOT NULL "
                      "UNION ALL SELECT 'country', ?1, 'zh', ?3, 'UNTERM' WHERE ?1 IS NOT NULL "
                      "AND ?3 IS NOT NULL"},
        [F_NAMES] = {"data/ref/place-names.csv",
                     "INSERT OR IGNORE INTO place_name(kind, code, lang, name, source) VALUES "
                     "(?1, ?2, ?3, ?4, coalesce(?5, ''))"},
        [F_HSNAMES] = {"data/ref/hs-chapter-names.csv",
                       "INSERT OR IGNORE INTO hs_name(hscode, lang, name, source) VALUES "
                       "(?1, ?2, ?3, coalesce(?4, ''))"},
    };
    int rc = 0;
    for (int k = 0; k < (int)(sizeof files / sizeof files[0]) && !rc; k++) {
        size_t len;
        const char *data = asset_get(files[k].file, &len);
        if (!data)
            return err_set(e, ERR_INTERNAL, "reference file %s is not embedded", files[k].file);
        struct install in = {.db = db, .kind = k, .file = files[k].file};
        in.col[0] = -2;
        struct csv_opts o = {.label = files[k].file};
        rc = db_prepare(db, &in.st, e, files[k].sql, NULL);
        if (!rc && k == F_EXTRA)
            rc = db_prepare(db, &in.alias, e,
                            "INSERT OR REPLACE INTO country_alias(code, country) VALUES (?1, ?2)",
                            NULL);
        if (!rc) rc = csv_read_mem(data, len, &o, install_row, &in, e);
        db_finalize(in.st);
        db_finalize(in.alias);
    }
    return rc;
}

/* ---- the lookup index -------------------------------------------------- */

static unsigned hash_key(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)toupper((unsigned char)*s)) * 16777619u;
    return h;
}

/* The key a name is filed under: ASCII letters and Cyrillic letters (the
 * Russian and Kazakh alphabets) in capitals, the rest as it is, so that
 * "казахстан", "Казахстан" and "КАЗАХСТАН" are one key. Returns 0 when it
 * does not fit. */
static int fold_key(const char *in, char *out, size_t size)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (k + 3 > size) return 0;
        if (*p < 0x80) {
            out[k++] = (char)toupper(*p);
            continue;
        }
        if (*p >= 0xD0 && *p <= 0xD3 && (p[1] & 0xC0) == 0x80) {
            unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3Fu);
            if (cp >= 0x430 && cp <= 0x44F)
                cp -= 0x20; /* а-я */
            else if (cp >= 0x450 && cp <= 0x45F)
                cp -= 0x50; /* ѐ-џ, і */
            else if (cp >= 0x460 && cp <= 0x4FF && (cp & 1))
                cp -= 1; /* ғ қ ң ү ұ һ ә ө */
            out[k++] = (char)(0xC0 | (cp >> 6));
            out[k++] = (char)(0x80 | (cp & 0x3F));
            p++;
            continue;
        }
        out[k++] = (char)*p;
    }
    out[k] = 0;
    return 1;
}

static int hash_get(const struct ref *r, const char *text, int *idx)
{
    char key[256];
    if (!r->cap || !fold_key(text, key, sizeof key)) return 0;
    size_t h = hash_key(key) & (r->cap - 1);
    while (r->hash[h].key) {
        if (str_ieq(r->hash[h].key, key)) {
            *idx = r->hash[h].idx;
            return 1;
        }
        h = (h + 1) & (r->cap - 1);
    }
    return 0;
}

static void hash_insert(struct slot *t, size_t cap, char *key, int idx)
{
    size_t h = hash_key(key) & (cap - 1);
    while (t[h].key)
        h = (h + 1) & (cap - 1);
    t[h].key = key;
    t[h].idx = idx;
}

/* Doubles the table when it is half full, so that probing always ends. */
static void hash_grow(struct ref *r)
{
    if (r->cap && r->used * 2 < r->cap) return;
    size_t cap = r->cap ? r->cap * 2 : 8192;
    struct slot *t = xcalloc(cap, sizeof *t);
    for (size_t i = 0; i < r->cap; i++)
        if (r->hash[i].key) hash_insert(t, cap, r->hash[i].key, r->hash[i].idx);
    free(r->hash);
    r->hash = t;
    r->cap = cap;
}

static void hash_put(struct ref *r, const char *text, int idx)
{
    int have;
    char key[256];
    if (!text || !*text || !fold_key(text, key, sizeof key) || hash_get(r, key, &have))
        return; /* first definition wins */
    hash_grow(r);
    hash_insert(r->hash, r->cap, xstrdup(key), idx);
    r->used++;
}

static int load_countries(struct db *db, struct ref *r, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT code3, coalesce(code2,''), coalesce(numeric,-1), "
                        "coalesce(m49,-1), name, coalesce(official_name,''), kind = 'aggregate', "
                        "note FROM country ORDER BY kind DESC, code3",
                        NULL);
    size_t cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        if (r->ncountries == cap) {
            cap = cap ? cap * 2 : 256;
            r->countries = xrealloc(r->countries, cap * sizeof *r->countries);
        }
        struct country *c = &r->countries[r->ncountries];
        memset(c, 0, sizeof *c);
        db_col_text(st, 0, c->code3, sizeof c->code3);
        db_col_text(st, 1, c->code2, sizeof c->code2);
        c->numeric = (int)db_col_int(st, 2);
        db_col_text(st, 4, c->name, sizeof c->name);
        c->aggregate = (int)db_col_int(st, 6);
        c->note = *db_col_str(st, 7) ? xstrdup(db_col_str(st, 7)) : "";
        int idx = (int)r->ncountries++;
        char num[16];
        hash_put(r, c->code3, idx);
        hash_put(r, c->code2, idx);
        if (c->numeric >= 0) {
            snprintf(num, sizeof num, "%d", c->numeric);
            hash_put(r, num, idx);
            snprintf(num, sizeof num, "%03d", c->numeric);
            hash_put(r, num, idx);
        }
        if (db_col_int(st, 3) >= 0) {
            snprintf(num, sizeof num, "%lld", (long long)db_col_int(st, 3));
            hash_put(r, num, idx);
        }
        hash_put(r, c->name, idx);
        hash_put(r, db_col_str(st, 5), idx);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* The names in Russian, Kazakh and Chinese (and the other names people
 * type), of countries and regions. */
static int load_names(struct db *db, struct ref *r, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT kind, code, name FROM place_name WHERE kind IN ('country', "
                        "'region') ORDER BY rowid",
                        NULL);
    while (!rc && (rc = db_step(st, e)) == 1) {
        int idx;
        int region = strcmp(db_col_str(st, 0), "region") == 0;
        if (hash_get(r, db_col_str(st, 1), &idx) && (region ? idx < 0 : idx >= 0)) {
            hash_put(r, db_col_str(st, 2), idx);
            r->names = xrealloc(r->names, (r->nnames + 1) * sizeof *r->names);
            r->names[r->nnames++] = (struct other_name){xstrdup(db_col_str(st, 2)), idx};
        }
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

/* Aliases come last: a code or name a country or region already has is
 * never taken by an alias. */
static int load_aliases(struct db *db, struct ref *r, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e, "SELECT code, country FROM country_alias", NULL);
    while (!rc && (rc = db_step(st, e)) == 1) {
        int idx;
        if (hash_get(r, db_col_str(st, 1), &idx) && idx >= 0) hash_put(r, db_col_str(st, 0), idx);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

static int load_regions(struct db *db, struct ref *r, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT code, country, name, former_codes FROM region ORDER BY code", NULL);
    size_t cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        if (r->nregions == cap) {
            cap = cap ? cap * 2 : 64;
            r->regions = xrealloc(r->regions, cap * sizeof *r->regions);
        }
        struct region *g = &r->regions[r->nregions];
        db_col_text(st, 0, g->code, sizeof g->code);
        db_col_text(st, 1, g->country, sizeof g->country);
        db_col_text(st, 2, g->name, sizeof g->name);
        int idx = -(int)(r->nregions++) - 1;
        char former[128];
        db_col_text(st, 3, former, sizeof former);
        hash_put(r, g->code, idx);
        hash_put(r, g->name, idx);
        for (char *save, *a = strtok_r(former, ";", &save); a; a = strtok_r(NULL, ";", &save))
            hash_put(r, a, idx);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

static int load_hs(struct db *db, struct ref *r, struct err *e)
{
    struct db_stmt *st;
    int rc =
        db_prepare(db, &st, e,
                   "SELECT code FROM hs WHERE level > 0 AND length(code) <= 6 ORDER BY code", NULL);
    size_t cap = 0;
    while (!rc && (rc = db_step(st, e)) == 1) {
        if (r->nhs == cap) {
            cap = cap ? cap * 2 : 8192;
            r->hs = xrealloc(r->hs, cap * sizeof *r->hs);
        }
        db_col_text(st, 0, r->hs[r->nhs++].code, sizeof r->hs->code);
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

int ref_open(struct db *db, struct ref **out, struct err *e)
{
    struct ref *r = xcalloc(1, sizeof *r);
    int rc = load_countries(db, r, e);
    if (!rc) rc = load_regions(db, r, e);
    if (!rc) rc = load_names(db, r, e);
    if (!rc) rc = load_aliases(db, r, e);
    if (!rc) rc = load_hs(db, r, e);
    if (!rc && r->ncountries == 0)
        rc = err_set(e, ERR_DB, "the database holds no reference data; run 'corridor init'");
    if (rc) {
        ref_free(r);
        *out = NULL;
        return rc;
    }
    *out = r;
    return 0;
}

void ref_free(struct ref *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->cap; i++)
        free(r->hash[i].key);
    free(r->hash);
    for (size_t i = 0; i < r->ncountries; i++)
        if (*r->countries[i].note) free((char *)r->countries[i].note);
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i].name);
    free(r->names);
    free(r->hs);
    free(r->countries);
    free(r->regions);
    free(r);
}

size_t ref_country_count(const struct ref *r)
{
    return r->ncountries;
}

/* The smaller of d and the distance from text to a name of place idx in
 * another language. */
static int closer_name(const struct ref *r, const char *text, int idx, int d)
{
    for (size_t i = 0; i < r->nnames; i++) {
        if (r->names[i].idx != idx) continue;
        int x = str_distance(text, r->names[i].name);
        if (x < d) d = x;
    }
    return d;
}

/* Writes up to three closest candidates (by edit distance to any of their
 * names) into out as "KAZ (Kazakhstan), ...". */
static void suggest(const struct ref *r, const char *text, int regions, char *out, size_t size)
{
    int best[3] = {-1, -1, -1}, bestd[3] = {99, 99, 99};
    size_t n = regions ? r->nregions : r->ncountries;
    for (size_t i = 0; i < n; i++) {
        int d;
        if (regions) {
            const struct region *g = &r->regions[i];
            d = str_distance(text, g->code);
            int d2 = str_distance(text, g->name);
            if (d2 < d) d = d2;
        } else {
            const struct country *c = &r->countries[i];
            d = str_distance(text, c->code3);
            int d2 = str_distance(text, c->code2);
            int d3 = str_distance(text, c->name);
            if (d2 < d) d = d2;
            if (d3 < d) d = d3;
            /* a prefix of the name is a strong hint ("Kazakh" -> Kazakhstan) */
            if (strlen(text) >= 3 && strncasecmp(c->name, text, strlen(text)) == 0) d = 0;
        }
        d = closer_name(r, text, regions ? -(int)i - 1 : (int)i, d);
        for (int k = 0; k < 3; k++)
            if (d < bestd[k]) {
                for (int m = 2; m > k; m--)
                    best[m] = best[m - 1], bestd[m] = bestd[m - 1];
                best[k] = (int)i, bestd[k] = d;
                break;
            }
    }
    out[0] = 0;
    for (int k = 0; k < 3 && best[k] >= 0; k++) {
        size_t len = strlen(out);
        if (regions)
            snprintf(out + len, size - len, "%s%s (%s)", k ? ", " : "", r->regions[best[k]].code,
                     r->regions[best[k]].name);
        else
            snprintf(out + len, size - len, "%s%s (%s)", k ? ", " : "", r->countries[best[k]].code3,
                     r->countries[best[k]].name);
    }
}

const struct country *ref_country(const struct ref *r, const char *text, struct err *e)
{
    int idx;
    char key[128];
    if (str_trim_copy(key, sizeof key, text)) {
        err_set(e, ERR_INPUT, "'%.40s...' is too long to be a country", text);
        return NULL;
    }
    if (!key[0]) {
        err_set(e, ERR_INPUT, "empty country code");
        return NULL;
    }
    if (hash_get(r, key, &idx) && idx >= 0) return &r->countries[idx];
    char hint[400];
    suggest(r, key, 0, hint, sizeof hint);
    err_set(e, ERR_INPUT, "unknown country '%s'; did you mean %s?", key, hint);
    return NULL;
}

const struct country *ref_comtrade_differs(const struct ref *r, const char *code)
{
    char key[160];
    int idx, plain;
    if (strlen(code) > 100) return NULL;
    snprintf(key, sizeof key, "comtrade:%s", code);
    if (!hash_get(r, key, &idx) || idx < 0) return NULL;
    if (hash_get(r, code, &plain) && plain == idx) return NULL;
    return &r->countries[idx];
}

const struct country *ref_country_comtrade(const struct ref *r, const char *text, struct err *e)
{
    char key[128];
    const struct country *c =
        str_trim_copy(key, sizeof key, text) ? NULL : ref_comtrade_differs(r, key);
    return c ? c : ref_country(r, text, e);
}

const struct region *ref_region(const struct ref *r, const char *text, struct err *e)
{
    int idx;
    char key[128];
    if (str_trim_copy(key, sizeof key, text)) {
        err_set(e, ERR_INPUT, "'%.40s...' is too long to be a region", text);
        return NULL;
    }
    if (hash_get(r, key, &idx) && idx < 0) return &r->regions[-idx - 1];
    char hint[400];
    suggest(r, key, 1, hint, sizeof hint);
    err_set(e, ERR_INPUT, "unknown region '%s' (ISO 3166-2 expected); did you mean %s?", key, hint);
    return NULL;
}

const char *ref_country_field(const struct ref *r, const char *text, const char *field,
                              struct err *e)
{
    const struct country *c = ref_country(r, text, e);
    if (!c) err_field(e, field);
    return c ? c->code3 : NULL;
}

const char *ref_region_field(const struct ref *r, const char *text, const char *country3,
                             const char *field, struct err *e)
{
    if (!text || !*text) return "";
    const struct region *g = ref_region(r, text, e);
    if (g && strcmp(g->country, country3) != 0) {
        err_set(e, ERR_INPUT, "region %s is in %s, not in %s", g->code, g->country, country3);
        g = NULL;
    }
    if (!g) err_field(e, field);
    return g ? g->code : NULL;
}

int ref_hs_valid(const char *code)
{
    if (strcmp(code, "TOTAL") == 0) return 1;
    size_t n = strlen(code);
    if (n < 2 || n > 10 || n % 2) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)code[i])) return 0;
    return 1;
}

static int cmp_hs(const void *k, const void *h)
{
    return strcmp(k, ((const struct hs_code *)h)->code);
}

int ref_hs_known(const struct ref *r, const char *code)
{
    char six[8];
    size_t n = strlen(code);
    if (n < 2 || n > 10 || n % 2 || strspn(code, "0123456789") != n) return 0;
    str_copy(six, code, n < 6 ? n + 1 : 7);
    return bsearch(six, r->hs, r->nhs, sizeof *r->hs, cmp_hs) != NULL;
}

int ref_hs_nearest(const struct ref *r, const char *code, char near[3][8])
{
    size_t n = strlen(code) < 6 ? strlen(code) : 6;
    long want = strtol(code, NULL, 10);
    for (size_t k = strlen(code); k > n; k--)
        want /= 10;
    const struct hs_code *best[3] = {0};
    long bestd[3] = {LONG_MAX, LONG_MAX, LONG_MAX};
    for (size_t i = 0; i < r->nhs; i++) {
        if (strlen(r->hs[i].code) != n) continue;
        long d = labs(strtol(r->hs[i].code, NULL, 10) - want);
        for (int k = 0; k < 3; k++)
            if (d < bestd[k]) {
                for (int m = 2; m > k; m--)
                    best[m] = best[m - 1], bestd[m] = bestd[m - 1];
                best[k] = &r->hs[i], bestd[k] = d;
                break;
            }
    }
    int found = 0;
    for (int k = 0; k < 3 && best[k]; k++)
        str_copy(near[found++], best[k]->code, 8);
    return found;
}

/* ---- listings ---------------------------------------------------------- */

int ref_list_countries(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("countries", N_("Countries and statistical aggregates"));
    table_col(t, "code3", COL_TEXT, NULL, 0);
    table_col(t, "code2", COL_TEXT, NULL, 0);
    table_col(t, "numeric", COL_INT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    table_col(t, "note", COL_TEXT, NULL, 0);
    int rc =
        db_fill(db, t, e,
                "SELECT code3, code2, numeric, name, kind, note FROM country ORDER BY code3", NULL);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

int ref_list_regions(struct db *db, const char *country3, struct table **out, struct err *e)
{
    struct table *t = table_new("regions", N_("Sub-national regions (ISO 3166-2)"));
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "country", COL_TEXT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    table_col(t, "former_codes", COL_TEXT, NULL, 0);
    int rc = db_fill(db, t, e,
                     "SELECT code, country, name, kind, former_codes FROM region "
                     "WHERE ?1 IS NULL OR country = ?1 ORDER BY code",
                     "t", country3);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

/* Common names of goods and the words the nomenclature uses for them. */
static const struct {
    const char *word, *hs_word;
} hs_synonyms[] = {
    {"beef", "meat of bovine|meat; of bovine"},
    {"veal", "meat of bovine|meat; of bovine"},
    {"pork", "meat of swine|meat; of swine"},
    {"mutton", "meat of sheep|meat; of sheep"},
    {"lamb", "meat of sheep|meat; of sheep"},
    {"cattle", "bovine animals"},
    {"pig", "swine"},
    {"chicken", "fowls"},
    {"grain", "cereals"},
    {"oilseed", "oil seeds"},
    {"rapeseed", "rape or colza"},
    {"car", "motor cars"},
    {"cars", "motor cars"},
    {"oil", "petroleum oils"},
    {"gas", "petroleum gases"},
    /* the corridor's goods as Russian, Kazakh and Chinese readers type them */
    {"пшеница", "wheat"},
    {"ячмень", "barley"},
    {"кукуруза", "maize"},
    {"рис", "rice"},
    {"овёс", "oats"},
    {"овес", "oats"},
    {"лён", "linseed|flax"},
    {"лен", "linseed|flax"},
    {"рапс", "rape or colza"},
    {"подсолнечник", "sunflower"},
    {"соя", "soya"},
    {"говядина", "meat of bovine|meat; of bovine"},
    {"баранина", "meat of sheep|meat; of sheep"},
    {"свинина", "meat of swine|meat; of swine"},
    {"медь", "copper"},
    {"нефть", "petroleum oils"},
    {"уран", "uranium"},
    {"цинк", "zinc"},
    {"автомобили", "motor cars"},
    {"бидай", "wheat"},
    {"арпа", "barley"},
    {"жүгері", "maize"},
    {"күріш", "rice"},
    {"сұлы", "oats"},
    {"зығыр", "linseed|flax"},
    {"күнбағыс", "sunflower"},
    {"сиыр", "bovine"},
    {"қой", "sheep"},
    {"мыс", "copper"},
    {"мұнай", "petroleum oils"},
    {"小麦", "wheat"},
    {"大麦", "barley"},
    {"玉米", "maize"},
    {"大米", "rice"},
    {"稻谷", "rice"},
    {"燕麦", "oats"},
    {"亚麻籽", "linseed"},
    {"油菜籽", "rape or colza"},
    {"葵花籽", "sunflower"},
    {"大豆", "soya"},
    {"牛肉", "meat of bovine|meat; of bovine"},
    {"羊肉", "meat of sheep|meat; of sheep"},
    {"猪肉", "meat of swine|meat; of swine"},
    {"铜", "copper"},
    {"原油", "petroleum oils"},
    {"石油", "petroleum oils"},
    {"天然气", "petroleum gases"},
    {"铀", "uranium"},
    {"锌", "zinc"},
    {"汽车", "motor cars"},
};

/* 1 if a and b are one word in any case (Latin or Cyrillic). */
static int same_word(const char *a, const char *b)
{
    char fa[128], fb[128];
    return fold_key(a, fa, sizeof fa) && fold_key(b, fb, sizeof fb) && strcmp(fa, fb) == 0;
}

/* 1 if a word of desc starts with w (case-insensitive): "wheat" is found in
 * "Wheat and meslin" but not in "buckwheat". */
static int has_word(const char *desc, const char *w)
{
    for (const char *p = desc; (p = strcasestr(p, w)); p++)
        if (p == desc || !isalnum((unsigned char)p[-1])) return 1;
    return 0;
}

/* 1 if every word of search (blank-separated) is in desc, or its synonym. */
static int hs_matches(const char *desc, const char *search)
{
    char words[200];
    str_copy(words, search, sizeof words);
    for (char *save, *w = strtok_r(words, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
        int hit = has_word(desc, w);
        for (size_t i = 0; !hit && i < sizeof hs_synonyms / sizeof *hs_synonyms; i++) {
            if (!same_word(w, hs_synonyms[i].word)) continue;
            char alt[64];
            str_copy(alt, hs_synonyms[i].hs_word, sizeof alt);
            for (char *s2, *a = strtok_r(alt, "|", &s2); a && !hit; a = strtok_r(NULL, "|", &s2))
                hit = has_word(desc, a);
        }
        if (!hit) return 0;
    }
    return 1;
}

/* 1 if every word of search is in a name in Russian, Kazakh or Chinese
 * (Cyrillic compared without case; Chinese, which has no spaces, as text). */
static int local_matches(const char *name, const char *search)
{
    char fn[600], fs[200];
    if (!*name || !fold_key(name, fn, sizeof fn) || !fold_key(search, fs, sizeof fs)) return 0;
    return hs_matches(fn, fs);
}

/* Says what was searched, and as which words of the nomenclature. */
static void hs_search_notes(struct table *t, const char *search)
{
    char words[200], also[300] = "";
    size_t o = 0;
    str_copy(words, search, sizeof words);
    for (char *save, *w = strtok_r(words, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save))
        for (size_t i = 0; i < sizeof hs_synonyms / sizeof *hs_synonyms && o < sizeof also; i++)
            if (same_word(w, hs_synonyms[i].word))
                o += (size_t)snprintf(also + o, sizeof also - o, "%s'%s' also as '%.*s'",
                                      o ? ", " : "", hs_synonyms[i].word,
                                      (int)strcspn(hs_synonyms[i].hs_word, "|"),
                                      hs_synonyms[i].hs_word);
    table_empty(t, N_("no HS code matches"));
    table_note(t,
               t->nrows == 1
                   ? TF("%zu code whose description holds a word starting with each of '%s'%s%s%s.")
                   : TF("%zu codes whose description holds a word starting with each of "
                        "'%s'%s%s%s."),
               t->nrows, search, *also ? " (" : "", also, *also ? ")" : "");
}

int ref_list_hs(struct db *db, const char *prefix, int level, const char *search,
                struct table **out, struct err *e)
{
    struct table *t = table_new("hs", N_("HS2022 nomenclature"));
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "level", COL_INT, NULL, 0);
    table_col(t, "section", COL_TEXT, NULL, 0);
    table_col(t, "description", COL_TEXT, NULL, 0);
    /* in the reader's language: the chapter names there are, else the
     * English description marked [en] */
    const char *lang = strcmp(i18n_lang(), "en") ? i18n_lang() : NULL;
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT code, level, section, description, (SELECT name FROM hs_name n "
                        "WHERE n.hscode = hs.code AND n.lang = ?3) FROM hs "
                        "WHERE level > 0 AND (?1 IS NULL OR code LIKE ?1 || '%') "
                        "AND (?2 = 0 OR level = ?2) ORDER BY code",
                        "tnt", prefix, level, lang);
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        const char *desc = db_col_str(st, 3), *local = db_col_str(st, 4);
        if (search && !hs_matches(desc, search) && !local_matches(local, search)) continue;
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, db_col_str(st, 0));
        table_set_int(t, r, 1, db_col_int(st, 1));
        table_set_text(t, r, 2, db_col_str(st, 2));
        char marked[600];
        snprintf(marked, sizeof marked, "%s [en]", desc);
        table_set_text(t, r, 3, *local ? local : lang ? marked : desc);
    }
    db_finalize(st);
    if (!rc && search) hs_search_notes(t, search);
    return rc ? (table_free(t), rc) : (*out = t, 0);
}
