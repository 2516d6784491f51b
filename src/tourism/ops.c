/* ops.c — the operations of the tourism area, described once for the
 * command line, the API and the CSV import. */
#include "tourism.h"

#include "../ops/ops.h"

#define P_DIRECTION                                                                                \
    {"from", PT_COUNTRY, 0, NULL, 0, 0, NULL, "the visitors' country (citizenship)"},             \
        {"to", PT_COUNTRY, 0, NULL, 0, 0, NULL, "the country they visit"}
#define P_CROSSING                                                                                 \
    {"crossing", PT_CODE, 0, NULL, 0, 0, NULL,                                                     \
     "one border crossing's figures (default: the country's whole figures)"}

static const struct op_param add_params[] = {
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    {"month", PT_INT, 0, NULL, 1, 12, NULL, "the month, 1-12 (empty: a figure for the whole year)"},
    {"from", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the visitors' country (citizenship)"},
    {"to", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country they visit"},
    {"crossing", PT_CODE, 0, NULL, 0, 0, NULL,
     "the border crossing (empty: the country's whole figure, every crossing and airport)"},
    {"purpose", PT_ENUM, 0, TOUR_PURPOSES, 0, 0, "all",
     "why they travel (private: visiting family and friends; all: not split)"},
    {"mode", PT_ENUM, 0, TOUR_MODES, 0, 0, "all", "how they cross (all: not split)"},
    {"visitors", PT_INT, PF_REQUIRED, NULL, 0, 2000000000, NULL, "visitors (arrivals)"},
    {"source", PT_TEXT, 0, NULL, 0, 300, NULL,
     "where the figure comes from (synthetic figures say SYNTHETIC)"},
    {0},
};

static const struct op_param list_params[] = {P_DIRECTION, {0}};

static const struct op_param monthly_params[] = {
    P_DIRECTION,
    P_CROSSING,
    {"first_year", PT_YEAR, 0, NULL, 0, 0, NULL, "from this year"},
    {"last_year", PT_YEAR, 0, NULL, 0, 0, NULL, "to this year"},
    {0},
};

static const struct op_param yearly_params[] = {P_DIRECTION, P_CROSSING, {0}};

static const struct op_param crossings_params[] = {
    {"year", PT_YEAR, PF_REQUIRED, NULL, 0, 0, NULL, "the year"},
    P_DIRECTION,
    {"top", PT_INT, 0, NULL, 1, 1000, NULL, "only the busiest N"},
    {0},
};

static const struct op_param compare_params[] = {
    {"from", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the visitors' country (citizenship)"},
    {"to", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country they visit"},
    {"policy_date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL,
     "the day the policy took effect (the visa-free regime: 2023-11-10)"},
    {"months", PT_INT, 0, NULL, 1, 120, "12", "how many whole calendar months after it"},
    P_CROSSING,
    {0},
};

const struct op tour_ops[] = {
    {"tourism", "add", OP_WRITE, tour_add, add_params,
     "record (or revise) visitors from one country to another in a month",
     "tourism add --year 2024 --month 7 --from CHN --to KAZ --visitors 61000 --source 'BNS 2024'",
     NULL, "tour_flow", "import", 0},
    {"tourism", "list", OP_READ, tour_list, list_params, "the tourism flows as recorded",
     "tourism list --from CHN --to KAZ", NULL, NULL, NULL, 0},
    {"tourism", "monthly", OP_READ, tour_monthly, monthly_params,
     "visitors by month and direction, with the change on the same month a year earlier",
     "tourism monthly --from CHN --to KAZ --first-year 2023", NULL, NULL, NULL, 0},
    {"tourism", "yearly", OP_READ, tour_yearly, yearly_params,
     "visitors by year and direction, with the change on the year before",
     "tourism yearly --from CHN --to KAZ", NULL, NULL, NULL, 0},
    {"tourism", "crossings", OP_READ, tour_crossings, crossings_params,
     "the busiest border crossings for visitors in a year",
     "tourism crossings --year 2024 --top 5", NULL, NULL, NULL, 0},
    {"tourism", "compare", OP_READ, tour_compare, compare_params,
     "before and after a policy date: whole months after it against the same months a year "
     "earlier",
     "tourism compare --from CHN --to KAZ --policy-date 2023-11-10 --months 12", NULL, NULL, NULL,
     0},
    {0},
};
