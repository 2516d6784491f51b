/* labels.c — what each column of corridor's tables is called for people:
 * the machine name (exports_usd), which CSV and JSON keep, beside its label
 * in English (Exports), which the dashboard, the brief and the text tables
 * show in the reader's language, with the column's unit after it
 * (Exports, US$). Sorted by name; a column without a label shows its name. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *label;
} labels[] = {
    {"aei", N_("AEI record")},
    {"affected", N_("Affected country")},
    {"agreement", N_("Agreement")},
    {"aiddata", N_("AidData record")},
    {"amount_usd", N_("Amount")},
    {"as_on", N_("As on")},
    {"at", N_("Time (UTC)")},
    {"at_link", N_("Full link")},
    {"balance_usd", N_("Balance")},
    {"baseline", N_("Baseline")},
    {"basis", N_("Based on")},
    {"bottleneck", N_("Bottleneck")},
    {"bottlenecks", N_("Bottlenecks")},
    {"cagr_from", N_("Growth since")},
    {"cagr_pct", N_("Average annual growth")},
    {"cap_t", N_("Annual cap")},
    {"cap_usd", N_("Annual cap")},
    {"capacity_t", N_("Capacity")},
    {"capacity_t_year", N_("Capacity a year")},
    {"carried_t", N_("Carried")},
    {"change_1y", N_("Change over a year")},
    {"change_pct", N_("Change")},
    {"channel", N_("Channel")},
    {"ci95_high", N_("95% interval, high")},
    {"ci95_low", N_("95% interval, low")},
    {"closes", N_("Closes")},
    {"code", N_("Code")},
    {"code2", N_("Alpha-2 code")},
    {"code3", N_("Alpha-3 code")},
    {"commitment", N_("Commitment")},
    {"commitments", N_("Commitments")},
    {"commodity", N_("Commodity")},
    {"conversion_pct", N_("Moved on")},
    {"cost_usd", N_("Cost")},
    {"cost_usd_t", N_("Cost a tonne")},
    {"counterpart", N_("Counterpart")},
    {"country", N_("Country")},
    {"created", N_("Created")},
    {"crossing", N_("Border crossing")},
    {"date", N_("Date")},
    {"days", N_("Days")},
    {"declared_t", N_("Declared")},
    {"declared_usd", N_("Declared")},
    {"definition", N_("Definition")},
    {"delivered_t", N_("Delivered")},
    {"demand_pct", N_("Demand")},
    {"demand_t", N_("Demand")},
    {"description", N_("Description")},
    {"dest", N_("Destination")},
    {"destination", N_("Destination")},
    {"direction", N_("Direction")},
    {"disabled", N_("Disabled")},
    {"documents", N_("Documents")},
    {"due", N_("Due")},
    {"effective", N_("Effective")},
    {"effective_from", N_("In force from")},
    {"effective_to", N_("In force until")},
    {"end", N_("End")},
    {"event", N_("Event")},
    {"events", N_("Events")},
    {"events_per_s", N_("Events per second")},
    {"evidence", N_("Evidence")},
    {"expires", N_("Expires")},
    {"exporter", N_("Exporter")},
    {"exporter_reports_usd", N_("Exporter reports")},
    {"exports_usd", N_("Exports")},
    {"field", N_("Field")},
    {"figure", N_("Figure")},
    {"flag", N_("Flag")},
    {"flow", N_("Flow")},
    {"flow_t", N_("Flow")},
    {"former_codes", N_("Former codes")},
    {"from", N_("From")},
    {"fullest_link", N_("Fullest link")},
    {"fullest_pct", N_("Fullest link's load")},
    {"gap_pct", N_("Gap")},
    {"gap_usd", N_("Gap")},
    {"hi80_usd", N_("80% interval, high")},
    {"hi95_usd", N_("95% interval, high")},
    {"host", N_("Host country")},
    {"host-region", N_("Host region")},
    {"hour", N_("Hour")},
    {"hs", N_("HS code")},
    {"id", N_("No.")},
    {"importer", N_("Importer")},
    {"importer_reports_usd", N_("Importer reports")},
    {"imports_usd", N_("Imports")},
    {"imposing", N_("Imposing country")},
    {"in_force", N_("In force")},
    {"indicator", N_("Indicator")},
    {"investor", N_("Investor")},
    {"jobs", N_("Jobs")},
    {"kind", N_("Kind")},
    {"l", N_("Number in the system")},
    {"legal_basis", N_("Legal basis")},
    {"length_km", N_("Length, km")},
    {"level", N_("Level")},
    {"lifted", N_("Lifted")},
    {"link", N_("Link")},
    {"lo80_usd", N_("80% interval, low")},
    {"lo95_usd", N_("95% interval, low")},
    {"local_time", N_("Local time")},
    {"lq", N_("Queue length")},
    {"max_queue", N_("Longest queue")},
    {"mean", N_("Mean")},
    {"mean_h", N_("Mean")},
    {"measures", N_("Measures")},
    {"median_days", N_("Median")},
    {"median_days_so_far", N_("Median so far")},
    {"median_h", N_("Median")},
    {"meeting", N_("Meeting")},
    {"metric", N_("Measure")},
    {"missing", N_("Missing")},
    {"mode", N_("Mode")},
    {"month", N_("Month")},
    {"months", N_("Months")},
    {"moved_on", N_("Moved on")},
    {"name", N_("Name")},
    {"name_kk", N_("Name in Kazakh")},
    {"name_ru", N_("Name in Russian")},
    {"name_zh", N_("Name in Chinese")},
    {"net_t", N_("Net weight")},
    {"net_weight_t", N_("Net weight")},
    {"note", N_("Note")},
    {"now", N_("Now")},
    {"ntm", N_("Measure (NTM)")},
    {"numeric", N_("Numeric code")},
    {"offered_load", N_("Offered load")},
    {"opens", N_("Opens")},
    {"origin", N_("Origin")},
    {"origins", N_("Origins")},
    {"outcome", N_("Outcome")},
    {"owner", N_("Owner")},
    {"p90_h", N_("90th percentile")},
    {"p_wait", N_("Probability of waiting")},
    {"page", N_("Page")},
    {"participants", N_("Participants")},
    {"partner", N_("Partner")},
    {"password_set", N_("Password set")},
    {"pct_of_cap", N_("Share of the cap")},
    {"period", N_("Period")},
    {"place", N_("Place")},
    {"previous_usd", N_("Year before")},
    {"progress_pct", N_("Progress")},
    {"project", N_("Project")},
    {"projected", N_("Projected")},
    {"projected_t", N_("Projected")},
    {"projects", N_("Projects")},
    {"published", N_("Published")},
    {"publisher", N_("Publisher")},
    {"purpose", N_("Purpose")},
    {"quantity", N_("Quantity")},
    {"quantity_unit", N_("Unit")},
    {"queue", N_("Queue")},
    {"rank", N_("Rank")},
    {"reason", N_("Reason")},
    {"reference", N_("Reference")},
    {"region", N_("Region")},
    {"registration", N_("Registration")},
    {"relieved", N_("Relieved in")},
    {"relieved_by", N_("Relieved by")},
    {"remaining_t", N_("Remaining")},
    {"remaining_usd", N_("Remaining")},
    {"reporter", N_("Reporter")},
    {"revoked", N_("Revoked")},
    {"role", N_("Role")},
    {"rows", N_("Rows")},
    {"saturates", N_("Saturates in")},
    {"section", N_("Section")},
    {"sector", N_("Sector")},
    {"share_pct", N_("Share")},
    {"shipments", N_("Shipments")},
    {"shipped_t", N_("Shipped")},
    {"since", N_("Since")},
    {"source", N_("Source")},
    {"stage", N_("Stage")},
    {"start", N_("Start")},
    {"status", N_("Status")},
    {"still_there", N_("Still there")},
    {"subject", N_("Subject")},
    {"synthetic", N_("Synthetic")},
    {"target", N_("Target")},
    {"terms_version", N_("Terms version")},
    {"title", N_("Title")},
    {"to", N_("To")},
    {"tonnes", N_("Tonnes")},
    {"trade_basis", N_("Trade basis")},
    {"trade_usd", N_("Trade")},
    {"trade_year", N_("Trade year")},
    {"turnover_growth_pct", N_("Turnover growth")},
    {"turnover_usd", N_("Turnover")},
    {"unit", N_("Unit")},
    {"unit_value_usd_per_t", N_("Unit value")},
    {"unserved_t", N_("Unserved")},
    {"utilisation", N_("Utilisation")},
    {"utilisation_pct", N_("Utilisation")},
    {"valid_from", N_("Valid from")},
    {"valid_to", N_("Valid until")},
    {"value", N_("Value")},
    {"value_at", N_("Value as of")},
    {"value_usd", NC_("money", "Value")},
    {"version", N_("Version")},
    {"visitors", N_("Visitors")},
    {"w_h", N_("Time in the system")},
    {"window", N_("Window")},
    {"window_end", N_("Window ends")},
    {"window_start", N_("Window starts")},
    {"wq_h", N_("Wait in queue")},
    {"year", N_("Year")},
    {"yoy_pct", N_("Change on a year earlier")},
};

/* The units as people read them. */
static const struct {
    const char *unit, *shown;
} units[] = {
    {"USD", N_("US$")},
    {"US$", N_("US$")},
    {"t", N_("t")},
    {"%", "%"},
    {"h", N_("h")},
    {"days", N_("days")},
    {"visitors", N_("visitors")},
    {"US$/t", N_("US$/t")},
};

static int by_name(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

const char *report_label_of(const char *name)
{
    const char *const *hit =
        bsearch(name, labels, sizeof labels / sizeof labels[0], sizeof labels[0], by_name);
    return hit ? T(hit[1]) : name;
}

/* 1 if text holds word as a whole word, in any case. */
static int has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strcasestr(text, word); p; p = strcasestr(p + 1, word))
        if ((p == text || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == ',')) return 1;
    return 0;
}

const char *report_label(const struct table *t, size_t c, char *out, size_t size)
{
    const struct column *col = &t->cols[c];
    const char *unit = col->type == COL_MONEY ? "USD" : col->type == COL_MASS ? "t" : col->unit;
    const char *shown = unit;
    for (size_t i = 0; unit && i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].unit) == 0) shown = T(units[i].shown);
    const char *label = report_label_of(col->name);
    if (shown && *shown && !has_word(label, shown)) /* not "Visitors, visitors" */
        snprintf(out, size, "%s, %s", label, shown);
    else
        snprintf(out, size, "%s", label);
    return out;
}

/* ---- values people read as words ------------------------------------------ */

/* The columns whose values are words from a fixed list (a status, a stage, a
 * flag), which text tables and the dashboard show in the reader's language;
 * CSV and JSON keep the English word, a machine value. */
static const char *const word_cols[] = {"commodity", "event",       "flag",    "kind", "mode",
                                        "outcome",   "period",      "purpose", "role", "stage",
                                        "status",    "period_kind", "window",  "unit", "basis"};

/* Every such word, for the catalogue. */
static const char *const words[] __attribute__((unused)) = {
    /* statuses */
    N_("proposed"),
    N_("signed"),
    N_("in force"),
    N_("expired"),
    N_("terminated"),
    N_("lifted"),
    N_("open"),
    N_("pending"),
    N_("suspended"),
    N_("closed"),
    N_("active"),
    N_("in progress"),
    N_("done"),
    N_("dropped"),
    N_("planned"),
    N_("under construction"),
    N_("cancelled"),
    /* events */
    N_("declared"),
    N_("departed"),
    N_("arrived"),
    N_("cleared"),
    N_("transshipped"),
    N_("crossed"),
    N_("delivered"),
    N_("rejected"),
    /* investment stages and kinds */
    N_("idea"),
    N_("announced"),
    N_("construction"),
    N_("commissioned"),
    N_("stalled"),
    N_("greenfield"),
    N_("acquisition"),
    N_("joint-venture"),
    N_("finance"),
    /* parties, agreements, roles */
    N_("state-owned"),
    N_("private"),
    N_("agency"),
    N_("government"),
    N_("international"),
    N_("supply"),
    N_("framework"),
    N_("buyer"),
    N_("seller"),
    N_("guarantor"),
    N_("coordinator"),
    N_("carrier"),
    N_("signatory"),
    N_("calendar"),
    N_("july-june"),
    /* modes and purposes */
    N_("rail"),
    N_("road"),
    N_("air"),
    N_("sea"),
    N_("multimodal"),
    N_("rail+road"),
    N_("foot"),
    N_("other"),
    N_("all"),
    N_("leisure"),
    N_("business"),
    N_("transit"),
    N_("official"),
    /* flags */
    N_("cap reached"),
    N_("80% of cap"),
    N_("on pace to exceed cap"),
    N_("overdue"),
    N_("at risk"),
    N_("no data"),
    N_("incomplete"),
    N_("on track"),
    N_("met"),
    N_("allowed"),
    N_("refused"),
    /* what an alert is about */
    N_("cap"),
    N_("registration"),
    N_("market"),
    N_("commitment"),
    N_("crossing"),
    /* a commitment's statuses, which are not a market's */
    NC_("commitments", "open"),
    NC_("commitments", "in progress"),
    NC_("commitments", "done"),
    NC_("commitments", "dropped"),
    /* windows of a before-and-after comparison */
    N_("before"),
    N_("after"),
    /* series, answers, units and bases */
    N_("actual"),
    N_("forecast"),
    N_("yes"),
    N_("no"),
    N_("erlangs"),
    N_("hours"),
    N_("in queue"),
    N_("in system"),
    N_("annual figure"),
    N_("12 months"),
    N_("level"),
    /* units of a chart's values, in its tooltips */
    N_("bn"),
    N_("m"),
    N_("h"),
};

const char *report_value_shown(const struct table *t, size_t c, const char *s)
{
    if (!s || !*s || t->cols[c].type != COL_TEXT) return s;
    /* a record's fields and a model's metrics, by their labels */
    if (strcmp(t->cols[c].name, "field") == 0 || strcmp(t->cols[c].name, "metric") == 0)
        return report_label_of(s);
    for (size_t i = 0; i < sizeof word_cols / sizeof word_cols[0]; i++)
        if (strcmp(t->cols[c].name, word_cols[i]) == 0) return T_in(t->name, s);
    return s;
}

int report_is_id(const char *name)
{
    /* numbers that name a thing rather than count it: never grouped */
    static const char *const ids[] = {"id", "rule", "rule_id", "version", "rank", "year",
                                      "month", "numeric", "m49", "code"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(name, ids[i]) == 0) return 1;
    return 0;
}
