/* scenario.c — what-if scenarios for the assignment, as a JSON document:
 *
 *   {"name": "grain +3 Mt, Dostyk closed a week",
 *    "demand": {"scale_pct": 130,
 *               "add": [{"year": 2026, "origin": "ASTANA", "destination": "URUMQI",
 *                        "commodity": "grain", "tonnes": 3000000}]},
 *    "projects": {"off": ["Bakhty-Ayagoz railway"], "on": ["..."]},
 *    "capacity": [{"link": "DOSTYK-ALASHANKOU", "pct": 0,
 *                  "from": "2026-03-01", "to": "2026-03-08"}]}
 *
 * Every member is optional; a member the format does not have, a value of
 * the wrong type or out of bounds is refused naming its place (the path in
 * the document, and the line and column of a syntax error). */
#include "logistics.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int bad(struct err *e, const char *label, const char *path, const char *what)
{
    err_at(e, label, 0, 0, "scenario");
    return err_set(e, ERR_INPUT, "scenario: %s: %s", path, what);
}

/* Refuses members of o not in the NULL-ended list. */
static int only(json_t *o, const char *const *keys, const char *label, const char *path,
                struct err *e)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k) != 0)
            i++;
        if (!keys[i]) {
            char p[160];
            snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
            return bad(e, label, p, "not a member of a scenario (see docs/logistics.md)");
        }
    }
    return 0;
}

static int text(json_t *o, const char *key, char *out, size_t size, int required,
                const char *label, const char *path, struct err *e)
{
    json_t *v = json_object_get(o, key);
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!v) return required ? bad(e, label, p, "missing") : 0;
    if (!json_is_string(v) || str_trim_copy(out, size, json_string_value(v)) || !*out)
        return bad(e, label, p, "not a text of the right length");
    return 0;
}

static int number(json_t *o, const char *key, double lo, double hi, double *out, int required,
                  const char *label, const char *path, struct err *e)
{
    json_t *v = json_object_get(o, key);
    char p[160], msg[120];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!v) return required ? bad(e, label, p, "missing") : 0;
    double x = json_number_value(v);
    if (!json_is_number(v) || !isfinite(x) || x < lo || x > hi) {
        snprintf(msg, sizeof msg, "not a number from %g to %g", lo, hi);
        return bad(e, label, p, msg);
    }
    *out = x;
    return 0;
}

static int date_of(json_t *o, const char *key, long *days, const char *label, const char *path,
                   struct err *e)
{
    char d[16];
    int rc = text(o, key, d, sizeof d, 1, label, path, e);
    if (rc) return rc;
    char p[160];
    snprintf(p, sizeof p, "%s.%s", path, key);
    if (!date_valid(d)) return bad(e, label, p, "not a date YYYY-MM-DD");
    *days = date_text_days(d);
    return 0;
}

static int names(json_t *a, char (**out)[200], size_t *n, const char *label, const char *path,
                 struct err *e)
{
    if (!a) return 0;
    if (!json_is_array(a) || json_array_size(a) > 64)
        return bad(e, label, path, "not a list of at most 64 project names");
    *out = xcalloc(json_array_size(a) + 1, sizeof **out);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        char p[160];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (!json_is_string(v) || str_trim_copy((*out)[i], sizeof (*out)[i], json_string_value(v)))
            return bad(e, label, p, "not a project's name");
        (*n)++;
    }
    return 0;
}

static int demand(json_t *d, struct lgx_scenario *s, const char *label, struct err *e)
{
    static const char *const keys[] = {"scale_pct", "add", NULL};
    static const char *const add_keys[] = {"year",      "origin", "destination",
                                           "commodity", "tonnes", NULL};
    if (!json_is_object(d)) return bad(e, label, "demand", "not an object");
    int rc = only(d, keys, label, "demand", e);
    double pct = 100;
    if (!rc) rc = number(d, "scale_pct", 0, 10000, &pct, 0, label, "demand", e);
    s->scale = pct / 100;
    json_t *add = json_object_get(d, "add");
    if (rc || !add) return rc;
    if (!json_is_array(add) || json_array_size(add) > 1000)
        return bad(e, label, "demand.add", "not a list of at most 1000 demands");
    s->add = xcalloc(json_array_size(add) + 1, sizeof *s->add);
    for (size_t i = 0; !rc && i < json_array_size(add); i++) {
        json_t *a = json_array_get(add, i);
        struct lgx_add *x = &s->add[s->nadd++];
        char p[64], msg[80];
        snprintf(p, sizeof p, "demand.add[%zu]", i);
        if (!json_is_object(a)) return bad(e, label, p, "not an object");
        double year = 0;
        rc = only(a, add_keys, label, p, e);
        if (!rc) rc = number(a, "year", 1900, 2200, &year, 0, label, p, e);
        if (!rc) rc = text(a, "origin", x->origin, sizeof x->origin, 1, label, p, e);
        if (!rc) rc = text(a, "destination", x->dest, sizeof x->dest, 1, label, p, e);
        if (!rc) rc = text(a, "commodity", x->commodity, sizeof x->commodity, 1, label, p, e);
        if (!rc) rc = number(a, "tonnes", 0, 2e9, &x->tonnes, 1, label, p, e);
        x->year = (int)year;
        if (!rc && year != floor(year)) {
            snprintf(msg, sizeof msg, "year %g is not a whole year", year);
            rc = bad(e, label, p, msg);
        }
    }
    return rc;
}

static int capacity(json_t *c, struct lgx_scenario *s, const char *label, struct err *e)
{
    static const char *const keys[] = {"link", "pct", "from", "to", NULL};
    if (!json_is_array(c) || json_array_size(c) > 1000)
        return bad(e, label, "capacity", "not a list of at most 1000 changes");
    s->chg = xcalloc(json_array_size(c) + 1, sizeof *s->chg);
    int rc = 0;
    for (size_t i = 0; !rc && i < json_array_size(c); i++) {
        json_t *a = json_array_get(c, i);
        struct lgx_change *x = &s->chg[s->nchg++];
        char p[64];
        snprintf(p, sizeof p, "capacity[%zu]", i);
        if (!json_is_object(a)) return bad(e, label, p, "not an object");
        rc = only(a, keys, label, p, e);
        if (!rc) rc = text(a, "link", x->link, sizeof x->link, 1, label, p, e);
        if (!rc) rc = number(a, "pct", 0, 1000, &x->pct, 1, label, p, e);
        if (!rc) rc = date_of(a, "from", &x->from, label, p, e);
        if (!rc) rc = date_of(a, "to", &x->to, label, p, e);
        if (!rc && x->to <= x->from) rc = bad(e, label, p, "'to' comes before 'from' (it is "
                                                          "the first day after the change)");
    }
    return rc;
}

int lgx_scenario_parse(const char *json, size_t len, const char *label, struct lgx_scenario *s,
                       struct err *e)
{
    memset(s, 0, sizeof *s);
    s->scale = 1;
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        err_at(e, label, 0, 0, "scenario");
        return err_set(e, ERR_INPUT, "scenario: not JSON at line %d, column %d: %s", je.line,
                       je.column, je.text);
    }
    static const char *const keys[] = {"name", "demand", "projects", "capacity", NULL};
    static const char *const pkeys[] = {"off", "on", NULL};
    int rc = json_is_object(root) ? only(root, keys, label, "", e)
                                  : bad(e, label, "(document)", "not an object");
    if (!rc && json_object_get(root, "name"))
        rc = text(root, "name", s->name, sizeof s->name, 0, label, "", e);
    json_t *d = json_object_get(root, "demand"), *p = json_object_get(root, "projects");
    if (!rc && d) rc = demand(d, s, label, e);
    if (!rc && p && !json_is_object(p)) rc = bad(e, label, "projects", "not an object");
    if (!rc && p) rc = only(p, pkeys, label, "projects", e);
    if (!rc && p) rc = names(json_object_get(p, "off"), &s->off, &s->noff, label, "projects.off", e);
    if (!rc && p) rc = names(json_object_get(p, "on"), &s->on, &s->non, label, "projects.on", e);
    json_t *c = json_object_get(root, "capacity");
    if (!rc && c) rc = capacity(c, s, label, e);
    json_decref(root);
    if (rc) lgx_scenario_free(s);
    return rc;
}

void lgx_scenario_free(struct lgx_scenario *s)
{
    if (!s) return;
    free(s->off);
    free(s->on);
    free(s->chg);
    free(s->add);
    memset(s, 0, sizeof *s);
    s->scale = 1;
}
