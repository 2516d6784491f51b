/* ops.c — the operations of the parties and agreements areas: their
 * parameters, once, for the command line, the API, imports and forms. */
#include "agreements.h"

#include "../ops/ops.h"

#define PARTY_KINDS "state-owned|private|agency|government|international"
#define AGR_STATUS "proposed|signed|in force|expired|terminated"
#define CAP_T_MAX INT64_C(1000000000000000)  /* 1,000 Mt in grams */
#define CAP_USD_MAX INT64_C(100000000000000) /* US$ 1,000 bn in cents */

static const struct op_param party_add_params[] = {
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL,
     "the organisation's name, as agreements and shipments name it"},
    {"country", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "where it is registered"},
    {"region", PT_REGION, 0, "country", 0, 0, NULL, "its region within that country"},
    {"kind", PT_ENUM, PF_REQUIRED, PARTY_KINDS, 0, 0, NULL, "what kind of organisation"},
    {"origin", PT_COUNTRY, 0, NULL, 0, 0, NULL,
     "an investor's origin economy (CHN mainland, HKG, MAC...)"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "where this comes from"},
    {"note", PT_TEXT, 0, NULL, 0, 0, NULL, "a remark"},
    {0},
};

static const struct op_param party_list_params[] = {
    {"country", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only organisations of this country"},
    {0},
};

static const struct op_param party_show_params[] = {
    {"name", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 200, NULL, "the party's name"},
    {0},
};

static const struct op_param agr_add_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code that names the agreement"},
    {"title", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL, "its title"},
    {"kind", PT_ENUM, PF_REQUIRED, "supply|framework", 0, 0, NULL, "supply or framework"},
    {"parties", PT_TEXT, PF_REQUIRED, NULL, 0, 1000, NULL,
     "who is bound, as 'NAME:role;NAME:role' (roles buyer, seller, guarantor, coordinator, "
     "carrier, signatory)"},
    {"hs", PT_HSLIST, PF_REQUIRED, NULL, 0, 0, NULL, "the goods it covers (HS prefixes)"},
    {"cap_t", PT_MASS, 0, NULL, 1000, CAP_T_MAX, NULL, "annual cap in tonnes (none if absent)"},
    {"cap_usd", PT_MONEY, 0, NULL, 1, CAP_USD_MAX, NULL,
     "annual cap in US dollars (none if absent)"},
    {"period", PT_ENUM, 0, "calendar|july-june", 0, 0, "calendar",
     "the cap's year: calendar, or the July-June marketing year"},
    {"start", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the first day in force"},
    {"end", PT_DATE, 0, NULL, 0, 0, NULL, "the last day (open-ended if absent)"},
    {"status", PT_ENUM, PF_REQUIRED, AGR_STATUS, 0, 0, NULL, "where it stands"},
    {"source", PT_TEXT, 0, NULL, 0, 0, NULL, "the publication it comes from"},
    {"note", PT_TEXT, 0, NULL, 0, 0, NULL, "a remark"},
    {0},
};

static const struct op_param agr_amend_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the agreement's code"},
    {"effective", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day the new terms take effect"},
    {"hs", PT_HSLIST, 0, NULL, 0, 0, NULL, "the goods it covers from then"},
    {"cap_t", PT_MASS, 0, NULL, 0, CAP_T_MAX, NULL, "the new annual cap in tonnes (0 removes it)"},
    {"cap_usd", PT_MONEY, 0, NULL, 0, CAP_USD_MAX, NULL,
     "the new annual cap in US dollars (0 removes it)"},
    {"period", PT_ENUM, 0, "calendar|july-june", 0, 0, NULL, "the cap's year"},
    {"end", PT_DATE, 0, NULL, 0, 0, NULL, "the new last day"},
    {"status", PT_ENUM, 0, AGR_STATUS, 0, 0, NULL, "the new status"},
    {"note", PT_TEXT, 0, NULL, 0, 0, NULL, "what the amendment is"},
    {0},
};

static const struct op_param agr_close_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the agreement's code"},
    {"status", PT_ENUM, PF_REQUIRED, "expired|terminated", 0, 0, NULL, "how it ended"},
    {"date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day it ended"},
    {0},
};

static const struct op_param agr_list_params[] = {
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "the terms in force on this day (default today)"},
    {0},
};

static const struct op_param agr_show_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the agreement's code"},
    {0},
};

static int parties_list(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, agr_party_list(c->db, op_s(c, "country"), &t, e), &t);
}

static int parties_show(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, agr_party_show(c->db, op_s(c, "name"), &t, e), &t);
}

static int agreements_list(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    char today[11];
    date_today(today);
    return op_give(c, agr_list(c->db, op_has(c, "date") ? op_s(c, "date") : today, &t, e), &t);
}

static int agreements_show(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, agr_show(c->db, op_s(c, "code"), &t, e), &t);
}

const struct op agr_ops[] = {
    {"parties", "add", OP_WRITE, agr_party_add, party_add_params, "record an organisation",
     "parties add --name 'Food Contract Corporation' --country KAZ --kind state-owned", NULL,
     "party", "import", 0},
    {"parties", "list", OP_READ, parties_list, party_list_params, "the organisations",
     "parties list --country CHN", NULL, NULL, NULL, 0},
    {"parties", "show", OP_READ, parties_show, party_show_params,
     "one organisation and its agreements", "parties show COFCO", NULL, NULL, NULL, 0},
    {"agreements", "add", OP_WRITE, agr_add, agr_add_params,
     "record an agreement with its parties, scope and annual cap",
     "agreements add --code FCC-COFCO-WHEAT --title 'Wheat supply' --kind supply "
     "--parties 'Food Contract Corporation:seller;COFCO:buyer' --hs 1001 --cap-t 1000000 "
     "--start 2023-07-14 --status 'in force'",
     NULL, "agreement", "import", 0},
    {"agreements", "amend", OP_WRITE, agr_amend, agr_amend_params,
     "new terms from a date; the earlier terms stay in the history",
     "agreements amend FCC-COFCO-WHEAT --effective 2025-01-01 --cap-t 2000000", NULL, "agreement",
     "import-amendments", 0},
    {"agreements", "close", OP_WRITE, agr_close, agr_close_params,
     "end an agreement (an amendment that sets its status and last day)",
     "agreements close FCC-COFCO-WHEAT --status expired --date 2026-06-30", NULL, "agreement", NULL,
     0},
    {"agreements", "list", OP_READ, agreements_list, agr_list_params,
     "agreements with the terms in force on a date", "agreements list --date 2024-06-30", NULL,
     NULL, NULL, 0},
    {"agreements", "show", OP_READ, agreements_show, agr_show_params,
     "every version of an agreement's terms, and its parties", "agreements show FCC-COFCO-WHEAT",
     NULL, NULL, NULL, 0},
    {0},
};
