/* ref.c — installing the embedded reference files into the database and the
 * in-memory index that resolves country and region codes. The index is a
 * small open-addressing hash of upper-cased keys (codes, numeric codes,
 * aliases, names), so an import of millions of rows resolves codes in
 * constant time. */
#include "ref.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define HASH_SIZE 8192 /* power of two, well above the number of keys */

struct ref {
    struct country *countries;
    size_t ncountries;
    struct region *regions;
    size_t nregions;
    struct {
        char *key;
        int idx; /* >= 0 country, < 0: region -(idx+1) */
    } hash[HASH_SIZE];
};

/* ---- installing the reference files ------------------------------------ */

struct install {
    struct db *db;
    sqlite3_stmt *st, *alias;
    int kind; /* which file */
    int col[12];
    const char *file;
};

enum { F_COUNTRIES, F_EXTRA, F_ALIASES, F_REGIONS, F_SECTIONS, F_HS };

static const char *field(const struct csv_row *row, int col)
{
    return (col >= 0 && (size_t)col < row->nfields) ? row->fields[col] : "";
}

static int install_row(const struct csv_row *row, void *ctx, struct err *e)
{
    struct install *in = ctx;
    static const char *cols[][12] = {
        [F_COUNTRIES] = {"ISO3166-1-Alpha-3", "ISO3166-1-Alpha-2", "ISO3166-1-numeric", "M49",
                         "CLDR display name", "official_name_en", "Region Name", "Sub-region Name",
                         NULL},
        [F_EXTRA] = {"code3", "code2", "numeric", "name", "kind", "aliases", "note", NULL},
        [F_ALIASES] = {"code", "country", "note", NULL},
        [F_REGIONS] = {"code", "country", "name", "kind", "former_codes", NULL},
        [F_SECTIONS] = {"section", "name", NULL},
        [F_HS] = {"hscode", "parent", "level", "section", "description", NULL},
    };
    if (row->line == 1 || in->col[0] == -2) {
        for (int i = 0; cols[in->kind][i]; i++) {
            in->col[i] = csv_find(row, cols[in->kind][i]);
            if (in->col[i] < 0) {
                err_at(e, in->file, row->line, 0, cols[in->kind][i]);
                return err_set(e, ERR_INPUT, "reference file lacks this column");
            }
        }
        return 0;
    }
    sqlite3_stmt *st = in->st;
    sqlite3_reset(st);
    int n = 0;
    for (int i = 0; cols[in->kind][i]; i++)
        n = i + 1;
    for (int i = 0; i < n; i++) {
        const char *v = field(row, in->col[i]);
        if (!*v)
            sqlite3_bind_null(st, i + 1);
        else
            sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
    }
    if (in->kind == F_HS && strcmp(field(row, in->col[0]), "TOTAL") == 0) {
        sqlite3_bind_null(st, 2);
        sqlite3_bind_int(st, 3, 0);
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        err_at(e, in->file, row->line, 0, NULL);
        return db_fail(in->db, e, "loading reference data");
    }
    if (in->kind == F_EXTRA && *field(row, in->col[5])) {
        char aliases[128];
        str_copy(aliases, field(row, in->col[5]), sizeof aliases);
        for (char *save, *a = strtok_r(aliases, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
            sqlite3_reset(in->alias);
            sqlite3_bind_text(in->alias, 1, a, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(in->alias, 2, field(row, in->col[0]), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(in->alias) != SQLITE_DONE) {
                err_at(e, in->file, row->line, 0, "aliases");
                return db_fail(in->db, e, "loading reference data");
            }
        }
    }
    return 0;
}

int ref_install(struct db *db, struct err *e)
{
    static const struct {
        const char *file, *sql;
    } files[] = {
        [F_COUNTRIES] = {"data/ref/country-codes.csv",
                         "INSERT INTO country(code3, code2, numeric, m49, name, official_name, "
                         "region, subregion) VALUES (?1, ?2, ?3, ?4, "
                         "CASE WHEN length(?5) > 3 THEN ?5 ELSE coalesce(?6, ?5) END, ?6, ?7, ?8)"},
        [F_EXTRA] = {"data/ref/country-extra.csv",
                     "INSERT INTO country(code3, code2, numeric, m49, name, kind) "
                     "VALUES (?1, ?2, ?3, ?3, ?4, ?5)"},
        [F_ALIASES] = {"data/ref/country-aliases.csv",
                       "INSERT INTO country_alias(code, country, note) VALUES (?1, ?2, ?3)"},
        [F_REGIONS] = {"data/ref/regions.csv",
                       "INSERT INTO region(code, country, name, kind, former_codes) "
                       "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))"},
        [F_SECTIONS] = {"data/ref/hs-sections.csv",
                        "INSERT INTO hs_section(section, name) VALUES (?1, ?2)"},
        [F_HS] = {"data/ref/harmonized-system.csv",
                  "INSERT INTO hs(code, parent, level, section, description) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)"},
    };
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT count(*) FROM country", &st, e);
    if (rc) return rc;
    int have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (have) return 0;
    if ((rc = db_begin(db, e))) return rc;
    for (int k = 0; k < (int)(sizeof files / sizeof files[0]) && !rc; k++) {
        size_t len;
        const char *data = asset_get(files[k].file, &len);
        if (!data) {
            rc = err_set(e, ERR_INTERNAL, "reference file %s is not embedded", files[k].file);
            break;
        }
        struct install in = {.db = db, .kind = k, .file = files[k].file};
        in.col[0] = -2;
        struct csv_opts o = {.label = files[k].file};
        rc = db_prepare(db, files[k].sql, &in.st, e);
        if (!rc && k == F_EXTRA)
            rc = db_prepare(db, "INSERT INTO country_alias(code, country) VALUES (?1, ?2)",
                            &in.alias, e);
        if (!rc) rc = csv_read_mem(data, len, &o, install_row, &in, e);
        sqlite3_finalize(in.st);
        sqlite3_finalize(in.alias);
    }
    if (!rc)
        rc = db_audit(db, "ref.install", "reference", NULL, NULL,
                      "{\"files\":[\"country-codes.csv\",\"country-extra.csv\","
                      "\"country-aliases.csv\",\"regions.csv\",\"hs-sections.csv\","
                      "\"harmonized-system.csv\"]}",
                      e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
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

static void hash_put(struct ref *r, const char *key, int idx)
{
    if (!key || !*key) return;
    unsigned h = hash_key(key) & (HASH_SIZE - 1);
    while (r->hash[h].key) {
        if (str_ieq(r->hash[h].key, key)) return; /* first definition wins */
        h = (h + 1) & (HASH_SIZE - 1);
    }
    r->hash[h].key = xstrdup(key);
    r->hash[h].idx = idx;
}

static int hash_get(const struct ref *r, const char *key, int *idx)
{
    unsigned h = hash_key(key) & (HASH_SIZE - 1);
    while (r->hash[h].key) {
        if (str_ieq(r->hash[h].key, key)) {
            *idx = r->hash[h].idx;
            return 1;
        }
        h = (h + 1) & (HASH_SIZE - 1);
    }
    return 0;
}

int ref_open(struct db *db, struct ref **out, struct err *e)
{
    struct ref *r = xcalloc(1, sizeof *r);
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT code3, coalesce(code2,''), coalesce(numeric,-1), "
                        "coalesce(m49,-1), name, coalesce(official_name,''), kind = 'aggregate' "
                        "FROM country ORDER BY kind DESC, code3",
                        &st, e);
    if (rc) goto fail;
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (r->ncountries == cap) {
            cap = cap ? cap * 2 : 256;
            r->countries = xrealloc(r->countries, cap * sizeof *r->countries);
        }
        struct country *c = &r->countries[r->ncountries];
        memset(c, 0, sizeof *c);
        db_col_text(st, 0, c->code3, sizeof c->code3);
        db_col_text(st, 1, c->code2, sizeof c->code2);
        c->numeric = sqlite3_column_int(st, 2);
        db_col_text(st, 4, c->name, sizeof c->name);
        c->aggregate = sqlite3_column_int(st, 6);
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
        if (sqlite3_column_int(st, 3) >= 0) {
            snprintf(num, sizeof num, "%d", sqlite3_column_int(st, 3));
            hash_put(r, num, idx);
        }
        hash_put(r, c->name, idx);
        hash_put(r, (const char *)sqlite3_column_text(st, 5), idx);
    }
    sqlite3_finalize(st);
    rc = db_prepare(db, "SELECT code, country FROM country_alias", &st, e);
    if (rc) goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int idx;
        if (hash_get(r, (const char *)sqlite3_column_text(st, 1), &idx))
            hash_put(r, (const char *)sqlite3_column_text(st, 0), idx);
    }
    sqlite3_finalize(st);
    rc = db_prepare(db, "SELECT code, country, name, former_codes FROM region ORDER BY code", &st,
                    e);
    if (rc) goto fail;
    cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
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
    }
    sqlite3_finalize(st);
    if (r->ncountries == 0) {
        rc = err_set(e, ERR_DB, "the database holds no reference data; run 'corridor init'");
        goto fail;
    }
    *out = r;
    return 0;
fail:
    ref_free(r);
    *out = NULL;
    return rc;
}

void ref_free(struct ref *r)
{
    if (!r) return;
    for (size_t i = 0; i < HASH_SIZE; i++)
        free(r->hash[i].key);
    free(r->countries);
    free(r->regions);
    free(r);
}

size_t ref_country_count(const struct ref *r)
{
    return r->ncountries;
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
    str_trim(str_copy(key, text ? text : "", sizeof key));
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

const struct region *ref_region(const struct ref *r, const char *text, struct err *e)
{
    int idx;
    char key[128];
    str_trim(str_copy(key, text ? text : "", sizeof key));
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

/* ---- listings ---------------------------------------------------------- */

static int list_query(struct db *db, const char *sql, const char *bind1, const char *bind2,
                      int bind3, struct table *t, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db, sql, &st, e);
    if (rc) return rc;
    if (sqlite3_bind_parameter_count(st) >= 1) db_bind_text(st, 1, bind1);
    if (sqlite3_bind_parameter_count(st) >= 2) db_bind_text(st, 2, bind2);
    if (sqlite3_bind_parameter_count(st) >= 3) sqlite3_bind_int(st, 3, bind3);
    db_fill_table(st, t);
    return 0;
}

int ref_list_countries(struct db *db, struct table **out, struct err *e)
{
    struct table *t = table_new("countries", "Countries and statistical aggregates");
    table_col(t, "code3", COL_TEXT, NULL, 0);
    table_col(t, "code2", COL_TEXT, NULL, 0);
    table_col(t, "numeric", COL_INT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    int rc = list_query(db, "SELECT code3, code2, numeric, name, kind FROM country ORDER BY code3",
                        NULL, NULL, 0, t, e);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

int ref_list_regions(struct db *db, const char *country3, struct table **out, struct err *e)
{
    struct table *t = table_new("regions", "Sub-national regions (ISO 3166-2)");
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "country", COL_TEXT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    table_col(t, "former_codes", COL_TEXT, NULL, 0);
    int rc = list_query(db,
                        "SELECT code, country, name, kind, former_codes FROM region "
                        "WHERE ?1 IS NULL OR country = ?1 ORDER BY code",
                        country3, NULL, 0, t, e);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}

int ref_list_hs(struct db *db, const char *prefix, int level, struct table **out, struct err *e)
{
    struct table *t = table_new("hs", "HS2022 nomenclature");
    table_col(t, "code", COL_TEXT, NULL, 0);
    table_col(t, "level", COL_INT, NULL, 0);
    table_col(t, "section", COL_TEXT, NULL, 0);
    table_col(t, "description", COL_TEXT, NULL, 0);
    int rc = list_query(db,
                        "SELECT code, level, section, description FROM hs "
                        "WHERE level > 0 AND (?1 IS NULL OR code LIKE ?1 || '%') "
                        "AND (?3 = 0 OR level = ?3) ORDER BY code",
                        prefix, NULL, level, t, e);
    if (rc)
        table_free(t);
    else
        *out = t;
    return rc;
}
