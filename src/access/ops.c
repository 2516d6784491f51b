/* ops.c — the operations of the market-access area: the check, the
 * registers (rules, establishments, barriers) and their imports. */
#include "access.h"

#include "../ops/ops.h"

static const struct op_param check_params[] = {
    {"hs", PT_HS, PF_REQUIRED, NULL, 0, 0, NULL, "the product"},
    {"from", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the exporting country"},
    {"region", PT_REGION, 0, "from", 0, 0, NULL,
     "the region of origin (default: the registered establishment's)"},
    {"to", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the importing country"},
    {"plant", PT_CODE, 0, NULL, 0, 0, NULL, "the establishment's registration number"},
    {"docs", PT_LIST, 0, NULL, 0, 0, NULL, "the documents at hand (vet-cert, phyto-cert...)"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "the day of shipment (default today)"},
    {0},
};

static const struct op_param rules_params[] = {
    {"hs", PT_HS, 0, NULL, 0, 0, NULL, "rules for this product or any of its codes"},
    {"from", PT_COUNTRY, 0, NULL, 0, 0, NULL, "the exporting country"},
    {"to", PT_COUNTRY, 0, NULL, 0, 0, NULL, "the importing country"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "only the rules in force on this day"},
    {0},
};

static const struct op_param rule_add_params[] = {
    {"hs", PT_HS, PF_REQUIRED, NULL, 0, 0, NULL, "the HS prefix the rule covers (one per rule)"},
    {"from", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the exporting country"},
    {"region", PT_REGION, 0, "from", 0, 0, NULL,
     "the exporting region (the whole country if absent)"},
    {"to", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the importing country"},
    {"status", PT_ENUM, PF_REQUIRED, "open|pending|suspended|closed", 0, 0, NULL,
     "whether the market is open"},
    {"documents", PT_LIST, 0, NULL, 0, 0, NULL,
     "the documents required (plant-registration asks for a registered establishment)"},
    {"legal_basis", PT_TEXT, 0, NULL, 0, 0, NULL, "the protocol, decree or notice"},
    {"effective_from", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the first day in force"},
    {"effective_to", PT_DATE, 0, NULL, 0, 0, NULL, "the first day no longer in force"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "where this comes from"},
    {"note", PT_TEXT, 0, NULL, 0, 0, NULL, "a remark"},
    {0},
};

static const struct op_param plants_params[] = {
    {"country", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only establishments in this country"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "the status on this day (default today)"},
    {0},
};

static const struct op_param plant_add_params[] = {
    {"registration", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the registration number"},
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "the establishment's name"},
    {"country", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "where it is"},
    {"region", PT_REGION, 0, "country", 0, 0, NULL, "its region"},
    {"hs", PT_HSLIST, PF_REQUIRED, NULL, 0, 0, NULL, "the products it is registered for"},
    {"importer", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country it is registered with"},
    {"valid_from", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the first day of the registration"},
    {"valid_to", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day it expires"},
    {"status", PT_ENUM, PF_REQUIRED, "active|suspended|expired", 0, 0, NULL, "its standing"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "where this comes from"},
    {0},
};

static const struct op_param plant_status_params[] = {
    {"registration", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the registration number"},
    {"status", PT_ENUM, PF_REQUIRED, "active|suspended|expired", 0, 0, NULL, "its new standing"},
    {0},
};

static const struct op_param barriers_params[] = {
    {"status", PT_ENUM, 0, "proposed|in force|lifted", 0, 0, NULL, "only barriers in this state"},
    {0},
};

static const struct op_param barrier_add_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code that names the measure"},
    {"imposing", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country imposing it"},
    {"affected", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country whose goods it affects"},
    {"hs", PT_HSLIST, PF_REQUIRED, NULL, 0, 0, NULL, "the HS lines it covers"},
    {"ntm_code", PT_CODE, PF_REQUIRED, NULL, 0, 8, NULL,
     "its UNCTAD NTM code (a chapter letter A-P, then digits: A14)"},
    {"type", PT_TEXT, 0, NULL, 0, 0, NULL, "the kind of measure"},
    {"legal_reference", PT_TEXT, 0, NULL, 0, 0, NULL, "the act that imposes it"},
    {"title", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL, "its title"},
    {"description", PT_TEXT, 0, NULL, 0, 2000, NULL, "what it requires"},
    {"objective", PT_TEXT, 0, NULL, 0, 0, NULL, "what it is for"},
    {"authority", PT_TEXT, 0, NULL, 0, 0, NULL, "who enforces it"},
    {"notified", PT_DATE, 0, NULL, 0, 0, NULL, "when it was notified"},
    {"in_force", PT_DATE, 0, NULL, 0, 0, NULL, "when it came into force"},
    {"lifted", PT_DATE, 0, NULL, 0, 0, NULL, "when it was lifted"},
    {"status", PT_ENUM, PF_REQUIRED, "proposed|in force|lifted", 0, 0, NULL, "where it stands"},
    {"rule", PT_INT, 0, NULL, 1, 2000000000, NULL, "the market-access rule it belongs to"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "where this comes from"},
    {0},
};

static int check(struct op_call *c, struct err *e)
{
    struct access_query q = {op_s(c, "hs"),    op_s(c, "from"), op_s(c, "region"), op_s(c, "to"),
                             op_s(c, "plant"), op_s(c, "docs"), op_s(c, "date")};
    struct access_result r;
    int rc = access_check(c->db, &q, &r, e);
    if (rc) return rc;
    op_out(c, access_result_table(&q, &r));
    c->verdict = r.allowed;
    c->why = r.why;
    return 0;
}

static int rules(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    int rc = access_rules_list(c->db, op_s(c, "hs"), op_s(c, "from"), op_s(c, "to"),
                               op_s(c, "date"), &t, e);
    return op_give(c, rc, &t);
}

static int plants(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    char today[11];
    date_today(today);
    const char *date = op_has(c, "date") ? op_s(c, "date") : today;
    return op_give(c, access_plants_list(c->db, op_s(c, "country"), date, &t, e), &t);
}

static int barriers(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, access_barriers_list(c->db, op_s(c, "status"), &t, e), &t);
}

const struct op access_ops[] = {
    {"access", "check", OP_READ, check, check_params,
     "can it go? every reason for a refusal (exit 0 allowed, 1 refused, 2 error)",
     "access check --hs 0202 --from KAZ --region KZ-19 --to CHN --plant KZ-GACC-0202-001 "
     "--docs vet-cert --date 2024-06-25",
     NULL, NULL, NULL, OPF_CHECK},
    {"access", "rules", OP_READ, rules, rules_params, "market-access rules",
     "access rules --hs 0202 --date 2024-06-25", NULL, NULL, NULL, 0},
    {"access", "rule-add", OP_WRITE, access_rule_add, rule_add_params, "record a rule",
     "access rule-add --hs 0202 --from KAZ --region KZ-19 --to CHN --status open "
     "--documents vet-cert,plant-registration --effective-from 2024-02-07",
     "editor:access", "access_rule", "import-rules", 0},
    {"access", "plants", OP_READ, plants, plants_params,
     "registered establishments, with their status on a date", "access plants --country KAZ", NULL,
     NULL, NULL, 0},
    {"access", "plant-add", OP_WRITE, access_plant_add, plant_add_params,
     "record a registered establishment",
     "access plant-add --registration KZ-GACC-0202-005 --name 'Plant LLP' --country KAZ "
     "--region KZ-19 --hs 0202 --importer CHN --valid-from 2024-03-01 --valid-to 2029-03-01 "
     "--status active",
     "editor:access", "establishment", "import-plants", 0},
    {"access", "plant-status", OP_WRITE, access_plant_status, plant_status_params,
     "suspend or reinstate an establishment",
     "access plant-status KZ-GACC-0202-002 --status suspended", "editor:access", "establishment",
     NULL, 0},
    {"access", "barriers", OP_READ, barriers, barriers_params,
     "non-tariff barriers with the trade they affect", "access barriers --status 'in force'", NULL,
     NULL, NULL, 0},
    {"access", "barrier-add", OP_WRITE, access_barrier_add, barrier_add_params,
     "record a non-tariff barrier (UNCTAD NTM classification)",
     "access barrier-add --code CN-SPS-1 --imposing CHN --affected KAZ --hs 0202 --ntm-code A14 "
     "--title 'Registration of establishments' --status 'in force'",
     "editor:access", "barrier", "import-barriers", 0},
    {0},
};
