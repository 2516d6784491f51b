/* ops.c — the operations of the commitments area, described once for the
 * command line, the API and the CSV imports. */
#include "commitments.h"

#include "../ops/ops.h"

#define CMT_STATUSES "open|in progress|done|dropped"
#define CMT_INDICATOR_NAMES                                                                        \
    "beef_exports_t|agreement_delivered_t|agreement_status|market_open|tourist_arrivals|"          \
    "trade_turnover_usd|investment_usd"
/* Baselines and targets: up to a million million in the indicator's unit. */
#define CMT_MAX_AMOUNT (1000000LL * 1000000LL * 1000000LL)

static const struct op_param meeting_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code for the meeting"},
    {"title", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL, "what the meeting or forum was"},
    {"date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day it was held (the first day)"},
    {"place", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "where it was held"},
    {"participants", PT_TEXT, 0, NULL, 0, 1000, NULL, "who took part"},
    {"source", PT_TEXT, 0, NULL, 0, 500, NULL, "where the record comes from"},
    {0},
};

static const struct op_param add_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code for the commitment"},
    {"meeting", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "the meeting it was made at (its code)"},
    {"text", PT_TEXT, PF_REQUIRED, NULL, 0, 1000, NULL, "what was promised"},
    {"owner", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "who promised it (answers for it)"},
    {"counterpart", PT_TEXT, 0, NULL, 0, 200, NULL, "to whom, or with whom"},
    {"due", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "by when"},
    {"status", PT_ENUM, 0, CMT_STATUSES, 0, 0, "open", "where it stands, as reported"},
    {"evidence", PT_TEXT, 0, NULL, 0, 1000, NULL, "what shows it (a document, a link)"},
    {"indicator", PT_ENUM, 0, CMT_INDICATOR_NAMES, 0, 0, NULL,
     "what measures it (corridor commitments indicators defines each)"},
    {"subject", PT_TEXT, 0, NULL, 0, 200, NULL,
     "what the indicator is about: an agreement code, an HS code or lines, a stage"},
    {"from", PT_COUNTRY, 0, NULL, 0, 0, NULL,
     "the indicator's first country (exporter, visitors' country, reporting country)"},
    {"to", PT_COUNTRY, 0, NULL, 0, 0, NULL,
     "the indicator's second country (importer, destination, partner, host)"},
    {"origins", PT_LIST, 0, NULL, 0, 200, NULL,
     "investment: the investors' economies (HKG,MAC; default: all)"},
    {"baseline", PT_NUMBER, 0, NULL, 0, CMT_MAX_AMOUNT, NULL,
     "the indicator's value when the commitment was made, in its unit (default 0)"},
    {"target", PT_NUMBER, 0, NULL, 0, CMT_MAX_AMOUNT, NULL,
     "the value that fulfils it, in the indicator's unit"},
    {"window_start", PT_DATE, 0, NULL, 0, 0, NULL,
     "from when the indicator counts (default: the meeting's date)"},
    {"window_end", PT_DATE, 0, NULL, 0, 0, NULL, "until when it counts (default: open)"},
    {"source", PT_TEXT, 0, NULL, 0, 500, NULL, "where the commitment is recorded"},
    {0},
};

static const struct op_param update_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the commitment"},
    {"status", PT_ENUM, 0, CMT_STATUSES, 0, 0, NULL, "where it stands now"},
    {"evidence", PT_TEXT, 0, NULL, 0, 1000, NULL, "what shows it"},
    {"due", PT_DATE, 0, NULL, 0, 0, NULL, "a new due date (the audit keeps the old one)"},
    {"text", PT_TEXT, 0, NULL, 0, 1000, NULL, "what was promised, corrected"},
    {"owner", PT_TEXT, 0, NULL, 0, 200, NULL, "who answers for it"},
    {"counterpart", PT_TEXT, 0, NULL, 0, 200, NULL, "to whom, or with whom"},
    {"target", PT_NUMBER, 0, NULL, 0, CMT_MAX_AMOUNT, NULL,
     "a new target, in the indicator's unit"},
    {"baseline", PT_NUMBER, 0, NULL, 0, CMT_MAX_AMOUNT, NULL,
     "a new baseline, in the indicator's unit (levels only)"},
    {0},
};

static const struct op_param list_params[] = {
    {"meeting", PT_CODE, 0, NULL, 0, 0, NULL, "one meeting's commitments"},
    {0},
};

static const struct op_param report_params[] = {
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "as on this day (default today)"},
    {"meeting", PT_CODE, 0, NULL, 0, 0, NULL, "one meeting's commitments"},
    {0},
};

static const struct op_param no_params[] = {{0}};

const struct op cmt_ops[] = {
    {"commitments", "add-meeting", OP_WRITE, cmt_meeting_add, meeting_params,
     "record a meeting or forum",
     "commitments add-meeting --code URUMQI-2024 --title 'XUAR - Kazakhstan meeting' --date "
     "2024-06-25 --place Urumqi",
     NULL, "meeting", "import-meetings", 0},
    {"commitments", "add", OP_WRITE, cmt_add, add_params,
     "record a commitment made at a meeting, optionally measured by an indicator",
     "commitments add --code C1 --meeting URUMQI-2024 --text 'Raise beef exports' --owner "
     "'Ministry of Agriculture' --due 2025-12-31 --indicator beef_exports_t --target 5000",
     NULL, "commitment", "import", 0},
    {"commitments", "update", OP_WRITE, cmt_update, update_params,
     "change a commitment's status, evidence, due date, wording, owner or target",
     "commitments update C1 --status 'in progress' --evidence 'protocol signed 2024-09-02'", NULL,
     "commitment", NULL, 0},
    {"commitments", "meetings", OP_READ, cmt_meetings, no_params, "the meetings and forums",
     "commitments meetings", NULL, NULL, NULL, 0},
    {"commitments", "list", OP_READ, cmt_list, list_params, "the commitments as recorded",
     "commitments list --meeting URUMQI-2024", NULL, NULL, NULL, 0},
    {"commitments", "indicators", OP_READ, cmt_indicators_list, no_params,
     "the indicators a commitment can be tied to, with their definitions", "commitments indicators",
     NULL, NULL, NULL, 0},
    {"commitments", "report", OP_READ, cmt_report_op, report_params,
     "where each commitment stands: value, progress, trend, overdue and at risk first",
     "commitments report --date 2025-06-30", NULL, NULL, NULL, 0},
    {0},
};
