/* ops.c — the operations of the reference area: the lists of countries,
 * regions and HS codes, and what a code people type resolves to. */
#include "ref.h"

#include "../ops/ops.h"

#include <stdlib.h>
#include <string.h>

static const struct op_param no_params[] = {{0}};

static const struct op_param regions_params[] = {
    {"country", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only this country's regions"},
    {0},
};

static const struct op_param hs_params[] = {
    {"search", PT_TEXT, PF_POS, NULL, 0, 200, NULL,
     "words the description must hold (beef, wheat flour), or the first digits of the codes"},
    {"prefix", PT_CODE, 0, NULL, 0, 10, NULL, "only codes starting with these digits"},
    {"level", PT_ENUM, 0, "0|2|4|6", 0, 0, "0", "only chapters, headings or subheadings (0: all)"},
    {0},
};

static const struct op_param resolve_params[] = {
    {"code", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 100, NULL,
     "a country or region as people write it: KAZ, kz, 398, Kazakhstan, CN-65"},
    {0},
};

static int countries(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, ref_list_countries(c->db, &t, e), &t);
}

static int regions(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, ref_list_regions(c->db, op_s(c, "country"), &t, e), &t);
}

static int hs(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    const char *search = op_s(c, "search"), *prefix = op_s(c, "prefix");
    if (search && !prefix && strspn(search, "0123456789") == strlen(search))
        prefix = search, search = NULL; /* `ref hs 0201` */
    int rc = ref_list_hs(c->db, prefix, atoi(op_s(c, "level")), search, &t, e);
    return op_give(c, rc, &t);
}

/* A region first (ISO 3166-2 codes look like nothing else), then a country. */
static int resolve(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    struct table *t = table_new("resolved", code);
    static const char *const cols[] = {"kind",    "code", "code2",   "numeric", "name",
                                       "country", "note", "name_ru", "name_kk", "name_zh"};
    for (int i = 0; i < 10; i++)
        table_col(t, cols[i], i == 3 ? COL_INT : COL_TEXT, NULL, 0);
    struct err tmp = {0};
    const struct region *g = ref_region(c->ref, code, &tmp);
    const struct country *k = g ? NULL : ref_country(c->ref, code, e);
    if (!g && !k) {
        table_free(t);
        return e->code = ERR_NOTFOUND;
    }
    char line[1800];
    size_t r = table_add_row(t);
    if (g) {
        table_set_text(t, r, 0, "region");
        table_set_text(t, r, 1, g->code);
        table_set_text(t, r, 4, g->name);
        table_set_text(t, r, 5, g->country);
        snprintf(line, sizeof line, "region %s %s (%s)\n", g->code, g->name, g->country);
    } else {
        table_set_text(t, r, 0, k->aggregate ? "aggregate" : "country");
        table_set_text(t, r, 1, k->code3);
        table_set_text(t, r, 2, k->code2);
        table_set_int(t, r, 3, k->numeric);
        table_set_text(t, r, 4, k->name);
        table_set_text(t, r, 6, k->note);
        snprintf(line, sizeof line, "%s %s %03d %s%s\n%s%s", k->code3,
                 k->code2[0] ? k->code2 : "--", k->numeric, k->name,
                 k->aggregate ? " (aggregate)" : "", k->note, *k->note ? "\n" : "");
    }
    /* its names in the other languages (the first recorded of each) */
    static const char *const langs[] = {"ru", "kk", "zh"};
    for (int i = 0; i < 3; i++) {
        char name[300] = "";
        int found = db_lookup(c->db, e, name, sizeof name,
                              "SELECT name FROM place_name WHERE kind = ?1 AND code = ?2 AND lang "
                              "= ?3 ORDER BY rowid LIMIT 1",
                              "ttt", g ? "region" : "country", g ? g->code : k->code3, langs[i]);
        if (found < 0) {
            table_free(t);
            return found;
        }
        if (!found) continue;
        table_set_text(t, r, 7 + (size_t)i, name);
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "  %s: %s\n", langs[i], name);
    }
    const struct country *ct = g ? NULL : ref_comtrade_differs(c->ref, code);
    if (ct) {
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, "In UN Comtrade files %s is %s %s.\n", code,
                 ct->code3, ct->name);
        table_note(t, TF("In UN Comtrade files %s is %s %s."), code, ct->code3, ct->name);
    }
    c->text = xstrdup(line);
    op_out(c, t);
    return 0;
}

const struct op ref_ops[] = {
    {"ref", "countries", OP_READ, countries, no_params,
     "countries and statistical aggregates with their codes", "ref countries", NULL, NULL, NULL, 0},
    {"ref", "regions", OP_READ, regions, regions_params, "sub-national regions (ISO 3166-2)",
     "ref regions --country KAZ", NULL, NULL, NULL, 0},
    {"ref", "hs", OP_READ, hs, hs_params,
     "the HS2022 nomenclature, by code or by words of the description", "ref hs beef --level 4",
     NULL, NULL, NULL, 0},
    {"ref", "resolve", OP_READ, resolve, resolve_params,
     "what a country or region code (KAZ, kz, 398, CN-65, a name) means", "ref resolve CN-65", NULL,
     NULL, NULL, 0},
    {0},
};
