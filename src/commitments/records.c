/* records.c — meetings and commitments as records: adding a meeting,
 * adding a commitment with the indicator that measures it (checked against
 * the registry: what it takes, the subject it is about, the unit of its
 * baseline and target), updating where a commitment stands, and listing
 * them as recorded. */
#include "commitments.h"

#include "../agreements/agreements.h"
#include "../invest/invest.h"
#include "../ops/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmt_meeting_add(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    int rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM meeting WHERE code = ?1", "t", code);
    if (rc < 0) return rc;
    if (rc) {
        err_set(e, ERR_CONFLICT, "a meeting with code '%s' already exists", code);
        return err_field(e, "code");
    }
    snprintf(c->id, sizeof c->id, "%s", code);
    op_done(c, "meeting %s (%s, %s) recorded", code, op_s(c, "date"), op_s(c, "place"));
    return db_run(c->db, e,
                  "INSERT INTO meeting(code, title, date, place, participants, source) VALUES "
                  "(?1, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''))",
                  "tttttt", code, op_s(c, "title"), op_s(c, "date"), op_s(c, "place"),
                  op_s(c, "participants"), op_s(c, "source"));
}

/* A baseline or target given in the indicator's display unit (millionths)
 * in its base unit: exact, or refused naming the parameter. */
static int base_unit(const struct cmt_indicator *in, struct op_call *c, const char *name,
                     int64_t *out, struct err *e)
{
    int64_t per = 1000000 / in->scale, v = op_i(c, name);
    if (v % per) {
        err_set(e, ERR_INPUT, "%s %s: %s are counted in whole %s", name, op_s(c, name), in->unit,
                in->scale == 100 ? "cents" : "units");
        return err_field(e, name);
    }
    *out = v / per;
    if (in->kind == CMT_STATE && *out > in->top) {
        err_set(e, ERR_INPUT, "%s %s: %s takes levels 0 to %d", name, op_s(c, name), in->name,
                in->top);
        return err_field(e, name);
    }
    return 0;
}

/* Checks the subject against what the indicator reads. */
static int check_subject(struct op_call *c, const struct cmt_indicator *in, const char *subject,
                         struct err *e)
{
    if (strncmp(in->name, "agreement_", 10) == 0) {
        int64_t id;
        int rc = agr_find(c->db, subject, &id, e);
        return rc ? err_field(e, "subject") : 0;
    }
    if (strcmp(in->name, "investment_usd") == 0) {
        int s = inv_stage_parse(subject);
        if (s < 1 || s > 4) {
            err_set(e, ERR_INPUT,
                    "'%s' is not a stage a project reaches (announced, signed, construction, "
                    "commissioned)",
                    subject);
            return err_field(e, "subject");
        }
        return 0;
    }
    /* HS codes: one for a market, beef lines for beef exports */
    static const char beef[] = "0201,0202,020610,02062,021020,160250";
    int market = strcmp(in->name, "market_open") == 0, n = 0;
    for (const char *p = subject;; n++) {
        size_t k = strcspn(p, ",");
        char code[16];
        int ok = k > 0 && k < sizeof code && !(market && n);
        if (ok) {
            memcpy(code, p, k);
            code[k] = 0;
            ok = ref_hs_valid(code) && strcmp(code, "TOTAL") != 0 && ref_hs_known(c->ref, code) &&
                 (market || str_list_prefix(beef, code));
        }
        if (!ok && market && n) {
            err_set(e, ERR_INPUT, "'%.40s': market_open takes one HS code", subject);
            return err_field(e, "subject");
        }
        if (!ok) {
            err_set(e, ERR_INPUT, "'%.*s' is not %s", (int)(k < 40 ? k : 40), p,
                    market ? in->subject
                           : "a line of beef (0201, 0202, 020610, 02062, 021020, "
                             "160250)");
            return err_field(e, "subject");
        }
        if (!p[k]) return 0;
        p += k + 1;
    }
}

/* The origins as alpha-3 codes, comma-separated, into out. */
static int resolve_origins(struct op_call *c, const char *list, char *out, size_t size,
                           struct err *e)
{
    char items[256];
    str_copy(items, list, sizeof items);
    out[0] = 0;
    for (char *save, *p = strtok_r(items, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        const struct country *k = ref_country(c->ref, p, e);
        if (!k) return err_field(e, "origins");
        size_t n = strlen(out);
        if (strstr(out, k->code3)) continue; /* named twice */
        if (n + 5 >= size) {
            err_set(e, ERR_LIMIT, "too many origins (at most %zu)", size / 4 - 1);
            return err_field(e, "origins");
        }
        snprintf(out + n, size - n, "%s%s", n ? "," : "", k->code3);
    }
    return 0;
}

/* Refuses a parameter the indicator does not take (or, without one, any
 * indicator parameter). */
static int refuse_unused(struct op_call *c, const struct cmt_indicator *in, struct err *e)
{
    static const struct {
        const char *name;
        unsigned need;
    } p[] = {{"subject", CMT_SUBJECT}, {"from", CMT_FROM}, {"to", CMT_TO},
             {"origins", CMT_ORIGINS}, {"baseline", ~0u},  {"target", ~0u},
             {"window_start", ~0u},    {"window_end", ~0u}};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        if (!op_has(c, p[i].name)) continue;
        int takes = in && ((in->needs & p[i].need) || (p[i].need == CMT_SUBJECT && in->subject) ||
                           (p[i].need == CMT_FROM && in->dflt_from) ||
                           (p[i].need == CMT_TO && in->dflt_to));
        if (takes) continue;
        if (in)
            err_set(e, ERR_INPUT, "the indicator %s takes no %s", in->name, p[i].name);
        else
            err_set(e, ERR_INPUT, "%s measures an indicator: give --indicator too", p[i].name);
        return err_field(e, p[i].name);
    }
    return 0;
}

/* The commitment's indicator, checked: the values to store. */
struct tie {
    const char *subject, *from, *to;
    char origins[256];
    int64_t baseline, target;
    const char *start, *end;
};

static int check_indicator(struct op_call *c, const struct cmt_indicator *in, struct tie *t,
                           struct err *e)
{
    if (!in) return refuse_unused(c, NULL, e);
    int rc = refuse_unused(c, in, e);
    if (rc) return rc;
    static const char *const needed[] = {"subject", "target", "baseline"};
    for (int i = 0; i < 3; i++)
        if (!op_has(c, needed[i]) && (i == 1 || (i == 0 && (in->needs & CMT_SUBJECT)) ||
                                      (i == 2 && (in->needs & CMT_BASELINE)))) {
            err_set(e, ERR_INPUT, "the indicator %s needs --%s (%s)", in->name, needed[i],
                    i == 0 ? in->subject : in->unit);
            return err_field(e, needed[i]);
        }
    t->subject = op_has(c, "subject") ? op_s(c, "subject")
                 : in->dflt_subject   ? in->dflt_subject
                                      : "";
    if (*t->subject && (rc = check_subject(c, in, t->subject, e))) return rc;
    /* a default gives way to the other side when the other country is its default */
    t->from = op_has(c, "from") ? op_s(c, "from") : in->dflt_from;
    t->to = op_has(c, "to") ? op_s(c, "to") : in->dflt_to;
    if (!op_has(c, "to") && t->from && t->to && strcmp(t->from, t->to) == 0) t->to = in->dflt_from;
    if (!op_has(c, "from") && t->from && t->to && strcmp(t->from, t->to) == 0)
        t->from = in->dflt_to;
    if ((in->needs & CMT_FROM) && (in->needs & CMT_TO) && t->from && t->to &&
        strcmp(t->from, t->to) == 0) {
        err_set(e, ERR_INPUT, "from and to are the same country");
        return err_field(e, "to");
    }
    if (op_has(c, "origins") &&
        (rc = resolve_origins(c, op_s(c, "origins"), t->origins, sizeof t->origins, e)))
        return rc;
    t->baseline = 0;
    if (op_has(c, "baseline") && in->kind == CMT_SUM) {
        err_set(e, ERR_INPUT,
                "the indicator %s counts from 0 at the window's start: it takes no "
                "baseline",
                in->name);
        return err_field(e, "baseline");
    }
    if (op_has(c, "baseline") && (rc = base_unit(in, c, "baseline", &t->baseline, e))) return rc;
    if ((rc = base_unit(in, c, "target", &t->target, e))) return rc;
    if (t->target == t->baseline) {
        err_set(e, ERR_INPUT, "the target is the baseline: nothing to measure");
        return err_field(e, "target");
    }
    if (t->start && strcmp(t->start, op_s(c, "due")) > 0) {
        err_set(e, ERR_INPUT, "the window starts (%s) after the due date (%s)", t->start,
                op_s(c, "due"));
        return err_field(e, "window_start");
    }
    t->end = op_has(c, "window_end") ? op_s(c, "window_end") : NULL;
    if (t->end && t->start && strcmp(t->end, t->start) < 0) {
        err_set(e, ERR_INPUT, "the window ends (%s) before it starts (%s)", t->end, t->start);
        return err_field(e, "window_end");
    }
    return 0;
}

/* The commitment as stored, as JSON (for the audit): 0, ERR_NOTFOUND or an
 * error; *out is freed by the caller. */
static int stored_json(struct db *db, const char *code, char **out, struct err *e)
{
    struct buf b = {.max = 64 * 1024};
    int rc = db_join(db, e, &b, "",
                     "SELECT json_object('code', code, 'text', text, 'owner', owner, "
                     "'counterpart', counterpart, 'due', due, 'status', status, 'evidence', "
                     "evidence, 'indicator', indicator, 'subject', subject, 'from', from_country, "
                     "'to', to_country, 'origins', origins, 'baseline', baseline, 'target', "
                     "target, 'window_start', window_start, 'window_end', window_end, 'source', "
                     "source) FROM commitment WHERE code = ?1",
                     "t", code);
    if (!rc && !b.len) {
        err_set(e, ERR_NOTFOUND, "no commitment '%s' (commitments list shows them)", code);
        rc = err_field(e, "code");
    }
    *out = rc ? NULL : xstrdup(b.p);
    buf_free(&b);
    return rc;
}

int cmt_add(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    char date[11];
    int64_t meeting = 0;
    int rc = db_lookup(c->db, e, NULL, 0, "SELECT 1 FROM commitment WHERE code = ?1", "t", code);
    if (rc < 0) return rc;
    if (rc) {
        err_set(e, ERR_CONFLICT, "a commitment with code '%s' already exists", code);
        return err_field(e, "code");
    }
    rc = db_lookup(c->db, e, date, sizeof date, "SELECT date FROM meeting WHERE code = ?1", "t",
                   op_s(c, "meeting"));
    if (rc < 0) return rc;
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no meeting '%s' (corridor commitments meetings lists them)",
                op_s(c, "meeting"));
        return err_field(e, "meeting");
    }
    if ((rc = db_lookup_int(c->db, e, &meeting, "SELECT id FROM meeting WHERE code = ?1", "t",
                            op_s(c, "meeting"))) < 0)
        return rc;
    if (strcmp(op_s(c, "due"), date) < 0) {
        err_set(e, ERR_INPUT, "due %s is before the meeting (%s)", op_s(c, "due"), date);
        return err_field(e, "due");
    }
    const char *name = op_has(c, "indicator") ? op_s(c, "indicator") : NULL;
    const struct cmt_indicator *in = cmt_indicator_find(name);
    struct tie t = {.start = op_has(c, "window_start") ? op_s(c, "window_start") : date};
    if ((rc = check_indicator(c, in, &t, e))) return rc;
    snprintf(c->id, sizeof c->id, "%s", code);
    op_done(c, "commitment %s recorded (due %s)", code, op_s(c, "due"));
    rc = db_run(c->db, e,
                "INSERT INTO commitment(code, meeting_id, text, owner, counterpart, due, status, "
                "evidence, indicator, subject, from_country, to_country, origins, baseline, "
                "target, window_start, window_end, source) VALUES (?1, ?2, ?3, ?4, "
                "coalesce(?5, ''), ?6, ?7, coalesce(?8, ''), coalesce(?9, ''), ?10, ?11, ?12, "
                "?13, ?14, ?15, ?16, ?17, coalesce(?18, ''))",
                "ti"
                "ttttttttttt"
                "pp"
                "ttt",
                code, meeting, op_s(c, "text"), op_s(c, "owner"), op_s(c, "counterpart"),
                op_s(c, "due"), op_s(c, "status"), op_s(c, "evidence"), name, in ? t.subject : "",
                in ? t.from : NULL, in ? t.to : NULL, in ? t.origins : "", in ? &t.baseline : NULL,
                in ? &t.target : NULL, in ? t.start : NULL, in ? t.end : NULL, op_s(c, "source"));
    return rc ? rc : stored_json(c->db, code, &c->after, e);
}

static const char *const editable[] = {"status", "evidence",    "due",    "text",
                                       "owner",  "counterpart", "target", "baseline"};

/* A new target or baseline in the indicator's base unit, checked against
 * the other (the one not given stays as stored). */
static int new_amounts(struct op_call *c, const char *code, int64_t *target, int64_t *baseline,
                       struct err *e)
{
    char name[64] = "";
    int rc = db_lookup(c->db, e, name, sizeof name,
                       "SELECT indicator FROM commitment WHERE code = ?1", "t", code);
    if (rc < 0) return rc;
    const struct cmt_indicator *in = cmt_indicator_find(name);
    const char *given = op_has(c, "target") ? "target" : "baseline";
    if (!in) {
        err_set(e, ERR_INPUT, "commitment %s has no indicator: it takes no %s", code, given);
        return err_field(e, given);
    }
    if (op_has(c, "baseline") && in->kind == CMT_SUM) {
        err_set(e, ERR_INPUT, "the indicator %s counts from 0: it takes no baseline", in->name);
        return err_field(e, "baseline");
    }
    rc =
        db_lookup_int(c->db, e, target, "SELECT target FROM commitment WHERE code = ?1", "t", code);
    if (rc >= 0)
        rc = db_lookup_int(c->db, e, baseline, "SELECT baseline FROM commitment WHERE code = ?1",
                           "t", code);
    if (rc < 0) return rc;
    if (op_has(c, "target") && (rc = base_unit(in, c, "target", target, e))) return rc;
    if (op_has(c, "baseline") && (rc = base_unit(in, c, "baseline", baseline, e))) return rc;
    if (*target == *baseline) {
        err_set(e, ERR_INPUT, "the target is the baseline: nothing to measure");
        return err_field(e, given);
    }
    return 0;
}

int cmt_update(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    int any = 0;
    for (size_t i = 0; i < sizeof editable / sizeof editable[0]; i++)
        any |= op_has(c, editable[i]);
    char *before;
    int rc = stored_json(c->db, code, &before, e);
    if (rc) return rc;
    free(c->before);
    c->before = before;
    if (!any) {
        err_set(e, ERR_INPUT,
                "nothing to update: give --status, --evidence, --due, --text, "
                "--owner, --counterpart, --target or --baseline");
        return err_field(e, "status");
    }
    char date[11];
    rc = db_lookup(c->db, e, date, sizeof date,
                   "SELECT m.date FROM commitment k JOIN meeting m ON m.id = k.meeting_id WHERE "
                   "k.code = ?1",
                   "t", code);
    if (rc < 0) return rc;
    if (op_has(c, "due") && strcmp(op_s(c, "due"), date) < 0) {
        err_set(e, ERR_INPUT, "due %s is before the meeting (%s)", op_s(c, "due"), date);
        return err_field(e, "due");
    }
    int64_t target = 0, baseline = 0;
    int amounts = op_has(c, "target") || op_has(c, "baseline");
    if (amounts && (rc = new_amounts(c, code, &target, &baseline, e))) return rc;
    snprintf(c->id, sizeof c->id, "%s", code);
    op_done(c, "commitment %s updated", code);
    rc =
        db_run(c->db, e,
               "UPDATE commitment SET status = coalesce(?2, status), evidence = coalesce(?3, "
               "evidence), due = coalesce(?4, due), text = coalesce(?5, text), owner = "
               "coalesce(?6, owner), counterpart = coalesce(?7, counterpart), target = CASE "
               "WHEN ?8 THEN ?9 ELSE target END, baseline = CASE WHEN ?8 THEN ?10 ELSE "
               "baseline END WHERE code = ?1",
               "tttttttiii", code, op_has(c, "status") ? op_s(c, "status") : NULL,
               op_has(c, "evidence") ? op_s(c, "evidence") : NULL,
               op_has(c, "due") ? op_s(c, "due") : NULL, op_has(c, "text") ? op_s(c, "text") : NULL,
               op_has(c, "owner") ? op_s(c, "owner") : NULL,
               op_has(c, "counterpart") ? op_s(c, "counterpart") : NULL, (int64_t)amounts, target,
               baseline);
    return rc ? rc : stored_json(c->db, code, &c->after, e);
}

int cmt_meetings(struct op_call *c, struct err *e)
{
    (void)c;
    struct table *t = table_new("meetings", N_("Meetings and forums"));
    static const char *const cols[] = {"code",         "date",        "place", "title",
                                       "participants", "commitments", "source"};
    for (size_t i = 0; i < 7; i++)
        table_col(t, cols[i], i == 5 ? COL_INT : COL_TEXT, NULL, 0);
    int rc = db_fill(c->db, t, e,
                     "SELECT m.code, m.date, m.place, m.title, m.participants, (SELECT count(*) "
                     "FROM commitment k WHERE k.meeting_id = m.id), m.source FROM meeting m "
                     "ORDER BY m.date DESC, m.code",
                     NULL);
    table_empty(t, N_("no meetings recorded"));
    return op_give(c, rc, &t);
}

int cmt_list(struct op_call *c, struct err *e)
{
    struct table *t = table_new("commitments", N_("Commitments as recorded"));
    static const char *const cols[] = {
        "code",     "meeting",   "due",          "status",     "owner", "counterpart", "commitment",
        "evidence", "indicator", "subject",      "from",       "to",    "origins",     "unit",
        "baseline", "target",    "window_start", "window_end", "source"};
    const size_t n = sizeof cols / sizeof cols[0];
    for (size_t i = 0; i < n; i++)
        table_col(t, cols[i], i == 14 || i == 15 ? COL_REAL : COL_TEXT, NULL, 0);
    const char *meeting = op_has(c, "meeting") ? op_s(c, "meeting") : NULL;
    struct db_stmt *st;
    int rc = cmt_meeting_check(c->db, meeting, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    rc = db_prepare(c->db, &st, e,
                    "SELECT k.code, m.code, k.due, k.status, k.owner, k.counterpart, k.text, "
                    "k.evidence, k.indicator, k.subject, coalesce(k.from_country, ''), "
                    "coalesce(k.to_country, ''), k.origins, k.baseline, k.target, "
                    "coalesce(k.window_start, m.date), coalesce(k.window_end, ''), k.source "
                    "FROM commitment k JOIN meeting m ON m.id = k.meeting_id WHERE ?1 IS NULL "
                    "OR m.code = ?1 ORDER BY m.date, k.due, k.code",
                    "t", meeting);
    while (!rc && (rc = db_step(st, e)) == 1) {
        rc = 0;
        size_t r = table_add_row(t);
        const struct cmt_indicator *in = cmt_indicator_find(db_col_str(st, 8));
        for (int i = 0; i < 13; i++)
            if (*db_col_str(st, i)) table_set_text(t, r, (size_t)i, db_col_str(st, i));
        if (in) {
            table_set_text(t, r, 13, in->unit);
            table_set_real(t, r, 14, (double)db_col_int(st, 13) / (double)in->scale);
            table_set_real(t, r, 15, (double)db_col_int(st, 14) / (double)in->scale);
        }
        for (int i = 15; i < 18; i++)
            if (*db_col_str(st, i)) table_set_text(t, r, (size_t)i + 1, db_col_str(st, i));
    }
    db_finalize(st);
    table_note(t, TF("Baselines and targets are in the indicator's unit; `corridor commitments "
                     "indicators` defines each indicator."));
    table_empty(t, N_("no commitments recorded"));
    return op_give(c, rc, &t);
}

int cmt_indicators_list(struct op_call *c, struct err *e)
{
    (void)c;
    (void)e;
    static const char *const kinds[] = {"sum", "level", "state"};
    struct table *t = table_new("indicators", N_("Indicators a commitment can be tied to"));
    static const char *const cols[] = {"indicator", "measures", "unit", "kind",
                                       "subject",   "from",     "to",   "definition"};
    for (size_t i = 0; i < 8; i++)
        table_col(t, cols[i], COL_TEXT, NULL, 0);
    for (const struct cmt_indicator *in = cmt_indicators; in->name; in++) {
        size_t r = table_add_row(t);
        const char *v[] = {in->name,    T(in->label),  in->unit,    kinds[in->kind],
                           in->subject, in->dflt_from, in->dflt_to, T(in->definition)};
        for (size_t i = 0; i < 8; i++)
            if (v[i]) table_set_text(t, r, i, v[i]);
    }
    table_note(t, TF("sum: what happened within the window up to the date; level: the latest "
                     "whole year ending within it; state: how things stand on the date. from and "
                     "to show the defaults."));
    return op_give(c, 0, &t);
}
