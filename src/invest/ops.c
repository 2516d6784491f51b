/* ops.c — the operations of the investment area: projects and their stages,
 * the trackers' files, the published figures and the reports, described
 * once for the command line, the API, imports and forms. */
#include "invest.h"

#include "../ops/ops.h"

#define KINDS "greenfield|acquisition|joint-venture|construction|finance"
#define KIND_FILTER "investment|" KINDS
#define SECTORS "A|B|C|D|E|F|G|H|I|J|K|L|M|N|O|P|Q|R|S|T|U"
#define USD_MAX INV_USD_MAX

#define P_FILTERS                                                                                  \
    {"kind", PT_ENUM, 0, KIND_FILTER, 0, 0, "investment",                                          \
     "which projects: investment (greenfield, acquisition and joint ventures; never "              \
     "construction contracts or finance), or one kind"},                                           \
        {"host", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only projects in this host country"},           \
        {"origin", PT_COUNTRY, 0, NULL, 0, 0, NULL,                                                \
         "only investors from this economy (CHN, HKG, MAC...)"},                                   \
        {"from", PT_YEAR, 0, NULL, 0, 0, NULL, "from this year (announced or committed)"},         \
        {"to", PT_YEAR, 0, NULL, 0, 0, NULL, "to this year"}

static const struct op_param add_params[] = {
    {"code", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code that names the project"},
    {"title", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL, "what the project is"},
    {"investor", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL,
     "the organisation that invests (builds, for a contract; lends, for finance)"},
    {"origin", PT_COUNTRY, 0, NULL, 0, 0, NULL,
     "the investor's origin economy: CHN (mainland), HKG, MAC or another (default: the "
     "investor's, when it is a registered party)"},
    {"channel", PT_TEXT, 0, NULL, 0, 300, NULL,
     "the channel or intermediary (a Xinjiang company, a Hong Kong holding)"},
    {"counterpart", PT_TEXT, 0, NULL, 0, 300, NULL, "the host-side party of the deal"},
    {"host", PT_COUNTRY, PF_REQUIRED, NULL, 0, 0, NULL, "the country invested in"},
    {"region", PT_REGION, 0, "host", 0, 0, NULL, "the region within the host (ISO 3166-2)"},
    {"sector", PT_ENUM, 0, SECTORS, 0, 0, NULL,
     "the ISIC Rev. 4 section (see 'invest sectors')"},
    {"subsector", PT_TEXT, 0, NULL, 0, 200, NULL, "a finer sector, in words"},
    {"kind", PT_ENUM, PF_REQUIRED, KINDS, 0, 0, NULL,
     "an investment (greenfield, acquisition, joint-venture), a construction contract, or "
     "development finance"},
    {"year", PT_YEAR, 0, NULL, 0, 0, NULL,
     "the year it was announced or committed (default: its first stage's)"},
    {"amount", PT_TEXT, 0, NULL, 0, 40, NULL, "the amount in the original currency"},
    {"currency", PT_CODE, 0, NULL, 0, 3, NULL, "that currency (ISO 4217: USD, CNY, KZT, HKD)"},
    {"amount_usd", PT_MONEY, 0, NULL, 0, USD_MAX, NULL, "the amount in US dollars"},
    {"share", PT_TEXT, 0, NULL, 0, 20, NULL, "the investor's share: 0.51 or 51%"},
    {"jobs", PT_INT, 0, NULL, 0, 10000000, NULL, "the jobs it creates"},
    {"history", PT_TEXT, 0, NULL, 0, 1000, NULL,
     "earlier stages, oldest first, as 'stage:YYYY-MM-DD;stage:YYYY-MM-DD'"},
    {"stage", PT_ENUM, PF_REQUIRED, INV_STAGES, 0, 0, NULL, "where it stands"},
    {"stage_date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "since when"},
    {"source", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "where this comes from"},
    {"note", PT_TEXT, 0, NULL, 0, 1000, NULL, "a remark"},
    {0},
};

static const struct op_param stage_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the project's code"},
    {"to", PT_ENUM, PF_REQUIRED, INV_STAGES, 0, 0, NULL, "the stage it moves to"},
    {"date", PT_DATE, PF_REQUIRED, NULL, 0, 0, NULL, "the day it got there"},
    {"note", PT_TEXT, 0, NULL, 0, 1000, NULL, "what happened"},
    {0},
};

static const struct op_param figure_params[] = {
    {"name", PT_CODE, PF_REQUIRED, NULL, 0, 0, NULL, "a short code for the figure"},
    {"label", PT_TEXT, PF_REQUIRED, NULL, 0, 300, NULL, "what it counts"},
    {"value", PT_TEXT, PF_REQUIRED, NULL, 0, 40, NULL, "the value as published"},
    {"unit", PT_TEXT, PF_REQUIRED, NULL, 0, 40, NULL, "its unit (projects, US$ bn, firms, %)"},
    {"period", PT_TEXT, 0, NULL, 0, 40, NULL, "the period it covers"},
    {"source", PT_TEXT, PF_REQUIRED, NULL, 0, 200, NULL, "where it was published"},
    {"note", PT_TEXT, 0, NULL, 0, 1000, NULL, "a remark"},
    {0},
};

static const struct op_param import_params[] = {
    {"file", PT_FILE, PF_REQUIRED | PF_POS | PF_MANY, NULL, 0, 0, NULL,
     "the files to import (.xlsx or CSV, plain or .gz), each in one transaction"},
    {"format", PT_ENUM, 0, "auto|native|aei|aiddata", 0, 0, "auto",
     "native CSV, the AEI China Global Investment Tracker (.xlsx or its CSV export), or "
     "AidData's GCDF 3.0 CSV (auto: told by the file)"},
    {"source", PT_TEXT, 0, NULL, 0, 200, NULL,
     "the source of every record (default: the tracker and its file's name)"},
    {"filename", PT_TEXT, 0, NULL, 0, 255, NULL,
     "the file's name, when it is sent as a request body (names it in messages)"},
    {0},
};

static const struct op_param list_params[] = {
    {"stage", PT_ENUM, 0, INV_STAGES, 0, 0, NULL, "only projects now at this stage"},
    {"kind", PT_ENUM, 0, KIND_FILTER, 0, 0, NULL, "only this kind (investment: the three kinds)"},
    {"host", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only projects in this country"},
    {"origin", PT_COUNTRY, 0, NULL, 0, 0, NULL, "only investors from this economy"},
    {"sector", PT_ENUM, 0, SECTORS, 0, 0, NULL, "only this ISIC section"},
    {"from", PT_YEAR, 0, NULL, 0, 0, NULL, "from this year (announced or committed)"},
    {"to", PT_YEAR, 0, NULL, 0, 0, NULL, "to this year"},
    {"limit", PT_INT, 0, NULL, 1, 100000, "500", "at most this many projects"},
    {0},
};

static const struct op_param show_params[] = {
    {"code", PT_CODE, PF_REQUIRED | PF_POS, NULL, 0, 0, NULL, "the project's code"},
    {0},
};

static const struct op_param totals_params[] = {
    {"by", PT_ENUM, PF_REQUIRED, "year|sector|origin|channel|host-region|stage", 0, 0, NULL,
     "the dimension"},
    P_FILTERS,
    {0},
};

static const struct op_param filter_params[] = {P_FILTERS, {0}};

static const struct op_param largest_params[] = {
    {"top", PT_INT, 0, NULL, 1, 1000, "10", "how many"},
    P_FILTERS,
    {0},
};

static const struct op_param stalled_params[] = {
    {"days", PT_INT, 0, NULL, 1, 36500, "365",
     "projects in one stage for more than this many days (stalled ones are listed whatever)"},
    {"date", PT_DATE, 0, NULL, 0, 0, NULL, "as on this day (default today)"},
    P_FILTERS,
    {0},
};

static const struct op_param no_params[] = {{0}};

static struct inv_filter filter_of(const struct op_call *c)
{
    return (struct inv_filter){.kind = op_s(c, "kind"),
                               .host = op_s(c, "host"),
                               .origin = op_s(c, "origin"),
                               .from = op_has(c, "from") ? (long)op_i(c, "from") : 0,
                               .to = op_has(c, "to") ? (long)op_i(c, "to") : 0};
}

/* Refuses a range of years that ends before it starts. */
static int check_years(const struct op_call *c, struct err *e)
{
    if (op_has(c, "from") && op_has(c, "to") && op_i(c, "from") > op_i(c, "to")) {
        err_set(e, ERR_USAGE, "the range of years ends (%lld) before it starts (%lld)",
                (long long)op_i(c, "to"), (long long)op_i(c, "from"));
        return err_field(e, "to");
    }
    return 0;
}

static int totals(struct op_call *c, struct err *e)
{
    if (check_years(c, e)) return e->code;
    struct inv_filter f = filter_of(c);
    struct table *t = NULL;
    return op_give(c, inv_totals(c->db, &f, op_s(c, "by"), &t, e), &t);
}

static int funnel(struct op_call *c, struct err *e)
{
    if (check_years(c, e)) return e->code;
    struct inv_filter f = filter_of(c);
    struct table *t = NULL;
    return op_give(c, inv_funnel(c->db, &f, &t, e), &t);
}

static int durations(struct op_call *c, struct err *e)
{
    if (check_years(c, e)) return e->code;
    struct inv_filter f = filter_of(c);
    struct table *t = NULL;
    return op_give(c, inv_durations(c->db, &f, &t, e), &t);
}

static int largest(struct op_call *c, struct err *e)
{
    if (check_years(c, e)) return e->code;
    struct inv_filter f = filter_of(c);
    struct table *t = NULL;
    return op_give(c, inv_largest(c->db, &f, (int)op_i(c, "top"), &t, e), &t);
}

static int stalled(struct op_call *c, struct err *e)
{
    if (check_years(c, e)) return e->code;
    struct inv_filter f = filter_of(c);
    struct table *t = NULL;
    char today[11];
    inv_today(today);
    const char *date = op_has(c, "date") ? op_s(c, "date") : today;
    return op_give(c, inv_stalled(c->db, &f, op_i(c, "days"), date, &t, e), &t);
}

static int figures(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, inv_figures(c->db, &t, e), &t);
}

static int sectors(struct op_call *c, struct err *e)
{
    struct table *t = NULL;
    return op_give(c, inv_sectors_list(&t, e), &t);
}

const struct op inv_ops[] = {
    {"invest", "add", OP_WRITE, inv_add, add_params,
     "record a project (or revise it by its code) with its stage history",
     "invest add --code HK-ALMATY-LOG --title 'Logistics park' --investor 'Harbour Holdings' "
     "--origin HKG --host KAZ --region KZ-75 --kind greenfield --amount-usd 120000000 "
     "--stage announced --stage-date 2025-09-01 --source 'Invest agency 2025'",
     NULL, "inv_project", "import-native", 0},
    {"invest", "stage", OP_WRITE, inv_stage_move, stage_params,
     "move a project to its next stage (only along the allowed moves)",
     "invest stage HK-ALMATY-LOG --to signed --date 2026-03-15", NULL, "inv_project",
     "import-stages", 0},
    {"invest", "import", OP_WRITE, inv_import, import_params,
     "import projects: native CSV, the AEI tracker (.xlsx or CSV export) or AidData GCDF 3.0; "
     "all or nothing per file",
     "invest import China-Global-Investment-Tracker-2025-Spring.xlsx", NULL, "inv_project",
     NULL, OPF_ROWS},
    {"invest", "figure-add", OP_WRITE, inv_figure_add, figure_params,
     "record a published figure of the pipeline as a whole",
     "invest figure-add --name kz-joint-projects --label 'Joint projects' --value 45 --unit "
     "projects --source 'kt.kz 2025-06'",
     NULL, "inv_figure", "import-figures", 0},
    {"invest", "list", OP_READ, inv_list, list_params,
     "projects with where they stand, largest first", "invest list --host KAZ --stage signed",
     NULL, NULL, NULL, 0},
    {"invest", "show", OP_READ, inv_show, show_params,
     "one project and its stage history, with the moves allowed next",
     "invest show HK-ALMATY-LOG", NULL, NULL, NULL, 0},
    {"invest", "totals", OP_READ, totals, totals_params,
     "amount, projects and jobs by year, sector, origin, channel, host region or stage",
     "invest totals --by origin --host KAZ", NULL, NULL, NULL, 0},
    {"invest", "funnel", OP_READ, funnel, filter_params,
     "projects and amounts reaching each stage, and the conversion between stages",
     "invest funnel --host KAZ", NULL, NULL, NULL, 0},
    {"invest", "durations", OP_READ, durations, filter_params,
     "how long projects stay in each stage (median days)", "invest durations --host KAZ", NULL,
     NULL, NULL, 0},
    {"invest", "largest", OP_READ, largest, largest_params, "the largest projects",
     "invest largest --host KAZ --top 10", NULL, NULL, NULL, 0},
    {"invest", "stalled", OP_READ, stalled, stalled_params,
     "projects stalled (however long), or in one stage longer than a threshold, on a date",
     "invest stalled --days 365 --host KAZ", NULL, NULL, NULL, 0},
    {"invest", "figures", OP_READ, figures, no_params,
     "the published figures of the pipeline, with their sources", "invest figures", NULL, NULL,
     NULL, 0},
    {"invest", "sectors", OP_READ, sectors, no_params,
     "the sectors (ISIC Rev. 4 sections) and how the trackers' sectors map to them",
     "invest sectors", NULL, NULL, NULL, OPF_NODB},
    {0},
};
