/* project.c — investment projects: recording one (or revising it, by its
 * code: re-importing the same record changes nothing), its stage history
 * checked move by move against the stage machine, moving a project on,
 * the published figures of the pipeline, and reading projects back. Writes
 * run inside the dispatcher's transaction. */
#include "invest.h"

#include "../ops/ops.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HIST_MAX 64 /* moves; the last two are kept for ending a project */

/* A stage history: moves in order. */
struct hist {
    int n;
    int stage[HIST_MAX];
    char date[HIST_MAX][11];
};

/* The last stage of the main line before the end of h (for a stalled
 * project: where it may resume). */
static int resume_of(const struct hist *h, int upto)
{
    for (int i = upto - 1; i >= 0; i--)
        if (h->stage[i] <= INV_CONSTRUCTION) return h->stage[i];
    return INV_IDEA;
}

static int hist_push(struct hist *h, int stage, const char *date, const char *field,
                     struct err *e)
{
    /* the latest date on Earth now (UTC+14): a move made today in Astana or
       Urumqi is not in the future */
    char today[11];
    inv_today(today);
    int final = stage == INV_COMMISSIONED || stage == INV_CANCELLED;
    if (h->n >= HIST_MAX - (final ? 0 : 2)) {
        err_set(e, ERR_LIMIT, "a history holds at most %d moves", HIST_MAX);
        return err_field(e, field);
    }
    if (strcmp(date, today) > 0) {
        err_set(e, ERR_INPUT, "%s is in the future: a stage is recorded once it is reached", date);
        return err_field(e, field);
    }
    if (h->n) {
        int from = h->stage[h->n - 1];
        char moves[160];
        if ((from == INV_COMMISSIONED || from == INV_CANCELLED) && stage != from) {
            err_set(e, ERR_REFUSED, "the project is %s, which is final: it cannot move to %s",
                    inv_stage_label(from), inv_stage_name(stage));
            return err_field(e, field);
        }
        if (!inv_stage_allowed(from, resume_of(h, h->n), stage)) {
            err_set(e, ERR_REFUSED, "a project %s cannot move to %s; from %s it may move to %s",
                    inv_stage_label(from), inv_stage_name(stage), inv_stage_name(from),
                    inv_stage_moves(from, resume_of(h, h->n), moves, sizeof moves));
            return err_field(e, field);
        }
        if (strcmp(date, h->date[h->n - 1]) < 0) {
            err_set(e, ERR_INPUT, "%s %s comes before %s %s", inv_stage_name(stage), date,
                    inv_stage_name(from), h->date[h->n - 1]);
            return err_field(e, field);
        }
    }
    h->stage[h->n] = stage;
    str_copy(h->date[h->n], date, sizeof h->date[0]);
    h->n++;
    return 0;
}

/* "announced:2019-05-01;signed:2020-01-10" into h. */
static int hist_parse(const char *s, struct hist *h, struct err *e)
{
    char buf[1100];
    if (!s || !*s) return 0;
    str_copy(buf, s, sizeof buf);
    for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        char *colon = strchr(str_trim(tok), ':');
        if (colon) *colon = 0;
        int st = inv_stage_parse(str_trim(tok));
        const char *date = colon ? str_trim(colon + 1) : "";
        if (st < 0 || !colon) {
            err_set(e, ERR_INPUT,
                    "'%.60s' is not a move 'stage:YYYY-MM-DD' (stages: " INV_STAGES ")", tok);
            return err_field(e, "history");
        }
        if (!date_valid(date)) {
            err_set(e, ERR_INPUT, "the %s move's date '%.20s' is not a date YYYY-MM-DD",
                    inv_stage_name(st), date);
            return err_field(e, "history");
        }
        int rc = hist_push(h, st, date, "history", e);
        if (rc) return rc;
    }
    return 0;
}

static int hist_load(struct db *db, int64_t id, struct hist *h, struct err *e)
{
    struct db_stmt *st;
    h->n = 0;
    int rc = db_prepare(db, &st, e, "SELECT stage, date FROM inv_stage WHERE project_id = ?1 "
                                    "ORDER BY seq", "i", id);
    while (!rc && (rc = db_step(st, e)) == 1) {
        if (h->n == HIST_MAX) {
            rc = err_set(e, ERR_LIMIT, "the project's history is longer than %d moves", HIST_MAX);
            break;
        }
        h->stage[h->n] = inv_stage_parse(db_col_str(st, 0));
        db_col_text(st, 1, h->date[h->n], sizeof h->date[0]);
        h->n++;
        rc = 0;
    }
    db_finalize(st);
    return rc;
}

static void hist_text(const struct hist *h, int from, char *out, size_t size)
{
    size_t k = 0;
    out[0] = 0;
    for (int i = from; i < h->n && k < size; i++) {
        int w = snprintf(out + k, size - k, "%s%s:%s", i > from ? ";" : "",
                         inv_stage_name(h->stage[i]), h->date[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
}

static int hist_store(struct db *db, int64_t id, const struct hist *h, int from, const char *note,
                      struct err *e)
{
    int rc = 0;
    for (int i = from; !rc && i < h->n; i++)
        rc = db_run(db, e,
                    "INSERT INTO inv_stage(project_id, seq, stage, date, note) "
                    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))",
                    "inttt", id, i + 1, inv_stage_name(h->stage[i]), h->date[i],
                    i == h->n - 1 ? note : NULL);
    return rc;
}

/* The id of the source called name, recorded first if it is new. */
static int source_id(struct db *db, const char *name, int64_t *id, struct err *e)
{
    int rc = db_run(db, e, "INSERT INTO source(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
                    "t", name);
    if (!rc) rc = db_lookup_int(db, e, id, "SELECT id FROM source WHERE name = ?1", "t", name);
    return rc < 0 ? rc : rc == 1 ? 0 : err_set(e, ERR_INTERNAL, "source %s vanished", name);
}

/* A project's fields as one JSON object, for the audit. */
#define RECORD_JSON                                                                                \
    "SELECT json_object('title', title, 'investor', investor, 'origin', origin, 'channel', "     \
    "channel, 'counterpart', counterpart, 'host', host, 'region', region, 'sector', sector, "      \
    "'subsector', subsector, 'kind', kind, 'year', year, 'amount', amount, 'currency', currency, " \
    "'amount_usd', amount_usd, 'share_bp', share_bp, 'jobs', jobs, 'source_id', source_id, "       \
    "'note', note)"

/* ---- one project ------------------------------------------------------------------- */

struct proj {
    const char *origin, *sector, *currency;
    int64_t amount, usd, share, jobs, year, source;
    int has_amount, has_usd, has_share, has_jobs;
};

/* The origin economy: given, or the investor's as the parties register
 * knows it. */
static int origin_of(struct op_call *c, struct proj *p, char *buf, size_t size, struct err *e)
{
    p->origin = op_s(c, "origin");
    if (p->origin) return 0;
    int rc = db_lookup(c->db, e, buf, size,
                       "SELECT coalesce(origin, country) FROM party WHERE name = ?1 COLLATE NOCASE",
                       "t", op_s(c, "investor"));
    if (rc < 0) return rc;
    if (rc == 0) {
        err_set(e, ERR_INPUT,
                "give the investor's origin economy (CHN for the mainland, HKG, MAC...): '%s' is "
                "not a party that says it",
                op_s(c, "investor"));
        return err_field(e, "origin");
    }
    p->origin = buf;
    return 0;
}

/* Host and origin are economies, not statistical areas ("World", "Areas,
 * nes"). */
static int economies(struct op_call *c, const struct proj *p, struct err *e)
{
    const char *who[2] = {op_s(c, "host"), p->origin}, *field[2] = {"host", "origin"};
    for (int i = 0; i < 2; i++) {
        struct err tmp = {0};
        const struct country *k = ref_country(c->ref, who[i], &tmp);
        if (k && k->aggregate) {
            err_set(e, ERR_INPUT, "%s (%s) is a statistical area, not an economy", k->code3,
                    k->name);
            return err_field(e, field[i]);
        }
    }
    return 0;
}

static int money_fields(struct op_call *c, struct proj *p, char cur_buf[4], struct err *e)
{
    const char *cur = op_s(c, "currency");
    if (cur && strlen(cur) == 3) cur = str_upper(str_copy(cur_buf, cur, 4));
    p->currency = cur;
    if (op_has(c, "amount")) {
        if (!cur) {
            err_set(e, ERR_INPUT, "an amount needs its currency (ISO 4217: USD, CNY, KZT...)");
            return err_field(e, "currency");
        }
        if (inv_parse_amount(op_s(c, "amount"), &p->amount, e)) return err_field(e, "amount");
        p->has_amount = 1;
    }
    if (cur && (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)) {
        err_set(e, ERR_INPUT, "'%s' is not a currency code (three capital letters, ISO 4217)", cur);
        return err_field(e, "currency");
    }
    p->has_usd = op_has(c, "amount_usd");
    p->usd = op_i(c, "amount_usd");
    if (!p->has_usd && p->has_amount && strcmp(cur, "USD") == 0) {
        if (p->amount > INV_USD_MAX) {
            err_set(e, ERR_INPUT, "more than US$ 1 trillion for one project: not an amount any "
                                  "project has had");
            return err_field(e, "amount");
        }
        p->has_usd = 1;
        p->usd = p->amount;
    }
    if (p->has_usd && p->has_amount && strcmp(cur, "USD") == 0 && p->usd != p->amount) {
        err_set(e, ERR_INPUT, "the amount in USD and amount_usd differ");
        return err_field(e, "amount_usd");
    }
    if (inv_parse_share(op_s(c, "share"), &p->share, &p->has_share, e))
        return err_field(e, "share");
    p->has_jobs = op_has(c, "jobs");
    p->jobs = op_i(c, "jobs");
    return 0;
}

static const char upd_sql[] =
    "UPDATE inv_project SET title = ?2, investor = ?3, origin = ?4, channel = coalesce(?5, ''), "
    "counterpart = coalesce(?6, ''), host = ?7, region = ?8, sector = ?9, "
    "subsector = coalesce(?10, ''), kind = ?11, year = ?12, amount = ?13, currency = ?14, "
    "amount_usd = ?15, share_bp = ?16, jobs = ?17, source_id = ?18, note = coalesce(?19, '') "
    "WHERE id = ?1 AND ?20 IS NOT NULL AND (title IS NOT ?2 OR investor IS NOT ?3 OR origin IS NOT ?4 "
    "OR channel IS NOT coalesce(?5, '') OR counterpart IS NOT coalesce(?6, '') OR host IS NOT ?7 "
    "OR region IS NOT ?8 OR sector IS NOT ?9 OR subsector IS NOT coalesce(?10, '') "
    "OR kind IS NOT ?11 OR year IS NOT ?12 OR amount IS NOT ?13 OR currency IS NOT ?14 "
    "OR amount_usd IS NOT ?15 OR share_bp IS NOT ?16 OR jobs IS NOT ?17 OR source_id IS NOT ?18 "
    "OR note IS NOT coalesce(?19, ''))";

/* Writes the record's fields: inserts (id 0) or updates when they differ;
 * *changed says whether anything was written. */
static int write_fields(struct op_call *c, const struct proj *p, int64_t *id, int *changed,
                        struct err *e)
{
    const char *sql = *id ? upd_sql
                          : "INSERT INTO inv_project(id, title, investor, origin, channel, "
                            "counterpart, host, region, sector, subsector, kind, year, amount, "
                            "currency, amount_usd, share_bp, jobs, source_id, note, code) "
                            "VALUES (NULL, ?2, ?3, ?4, coalesce(?5, ''), coalesce(?6, ''), ?7, "
                            "?8, ?9, coalesce(?10, ''), ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                            "coalesce(?19, ''), ?20)";
    int rc = db_run(c->db, e, sql, "ittttttttttiptpppitt", *id, op_s(c, "title"),
                    op_s(c, "investor"), p->origin, op_s(c, "channel"), op_s(c, "counterpart"),
                    op_s(c, "host"), op_s(c, "region"), p->sector, op_s(c, "subsector"),
                    op_s(c, "kind"), p->year, p->has_amount ? &p->amount : NULL,
                    p->currency, p->has_usd ? &p->usd : NULL, p->has_share ? &p->share : NULL,
                    p->has_jobs ? &p->jobs : NULL, p->source, op_s(c, "note"), op_s(c, "code"));
    if (rc) return rc;
    *changed = db_changes(c->db) > 0;
    if (!*id) *id = db_last_id(c->db);
    return 0;
}

/* The stored history old and a record's h: h's moves beyond old go to
 * *from (old.n when nothing is new). A record with its whole history must
 * agree with the stored one as far as both go; a record of its current stage
 * alone must be a move already made, or one allowed from the last. */
static int merge(const struct hist *old, struct hist *h, int whole, const char *code, int *from,
                 struct err *e)
{
    *from = old->n;
    if (!whole) {
        for (int i = 0; i < old->n; i++)
            if (old->stage[i] == h->stage[0] && strcmp(old->date[i], h->date[0]) == 0) {
                *h = *old; /* a move already made: where it stands is the stored stage */
                return 0;
            }
        struct hist x = *old;
        int rc = hist_push(&x, h->stage[0], h->date[0], "stage", e);
        if (!rc) *h = x;
        return rc;
    }
    int same = 0;
    while (same < old->n && same < h->n && old->stage[same] == h->stage[same] &&
           strcmp(old->date[same], h->date[same]) == 0)
        same++;
    if (same < old->n && same < h->n) {
        char a[600], b[600];
        hist_text(old, 0, a, sizeof a);
        hist_text(h, 0, b, sizeof b);
        err_set(e, ERR_CONFLICT,
                "project %s already has the history %s, which this record (%s) contradicts; "
                "move it on with 'invest stage'",
                code, a, b);
        return err_field(e, "stage");
    }
    if (old->n >= h->n) *h = *old; /* the database is as far or further on */
    return 0;
}

int inv_project_json(struct db *db, const char *code, char **out, struct err *e)
{
    int64_t id;
    *out = NULL;
    int rc = db_lookup_int(db, e, &id, "SELECT id FROM inv_project WHERE code = ?1", "t", code);
    if (rc <= 0) return rc;
    char *j = xmalloc(16384);
    rc = db_lookup(db, e, j, 16384,
                   "SELECT json_object('code', ?2, 'record', json((" RECORD_JSON
                   " FROM inv_project WHERE id = ?1)), 'history', (SELECT json_group_array(stage "
                   "|| ':' || date) FROM (SELECT stage, date FROM inv_stage WHERE project_id = ?1 "
                   "ORDER BY seq)))",
                   "it", id, code);
    if (rc == 1) return *out = j, 1;
    free(j);
    return rc < 0 ? rc : 0;
}

/* The stored record as JSON, for the audit row's "before". */
static int before_json(struct op_call *c, int64_t id, struct err *e)
{
    char *j = xmalloc(8192);
    int rc = db_lookup(c->db, e, j, 8192,
                       RECORD_JSON " FROM inv_project WHERE id = ?1",
                       "i", id);
    if (rc == 1) {
        free(c->before);
        c->before = j;
        return 0;
    }
    free(j);
    return rc < 0 ? rc : err_set(e, ERR_INTERNAL, "project %lld vanished", (long long)id);
}

int inv_add(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    struct proj p = {.sector = op_s(c, "sector")};
    char origin[8], cur[4];
    int rc = origin_of(c, &p, origin, sizeof origin, e);
    if (!rc) rc = economies(c, &p, e);
    if (!rc) rc = money_fields(c, &p, cur, e);
    if (rc) return rc;
    struct hist h = {0};
    rc = hist_parse(op_s(c, "history"), &h, e);
    if (!rc) rc = hist_push(&h, inv_stage_parse(op_s(c, "stage")), op_s(c, "stage_date"),
                            "stage", e);
    if (rc) return rc;
    p.year = op_has(c, "year") ? op_i(c, "year") : atol(h.date[0]);
    rc = source_id(c->db, op_s(c, "source"), &p.source, e);
    int64_t id = 0;
    if (!rc) rc = db_lookup_int(c->db, e, &id, "SELECT id FROM inv_project WHERE code = ?1", "t",
                                code);
    if (rc < 0) return rc;
    int existed = rc == 1, changed = 0, from = 0;
    struct hist old = {0};
    if (existed) {
        rc = hist_load(c->db, id, &old, e);
        if (!rc) rc = merge(&old, &h, op_has(c, "history"), code, &from, e);
        if (!rc) rc = before_json(c, id, e);
        if (rc) return rc;
    }
    rc = write_fields(c, &p, &id, &changed, e);
    if (!rc && h.n > from) {
        rc = hist_store(c->db, id, &h, from, NULL, e);
        changed = 1;
    }
    if (rc) return rc;
    str_copy(c->id, code, sizeof c->id);
    op_stat(c, existed ? (changed ? "revised" : "unchanged") : "new", 1);
    op_done(c, "project %s %s, %s since %s", code,
            existed ? (changed ? "revised (the record as given: fields left out are cleared)"
                               : "unchanged")
                    : "recorded",
            inv_stage_label(h.stage[h.n - 1]), h.date[h.n - 1]);
    return 0;
}

static int find_project(struct db *db, const char *code, int64_t *id, struct err *e)
{
    int rc = db_lookup_int(db, e, id, "SELECT id FROM inv_project WHERE code = ?1", "t", code);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no project with the code '%s' (see 'corridor invest list')",
                code);
        return err_field(e, "code");
    }
    return rc < 0 ? rc : 0;
}

int inv_stage_move(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    int64_t id;
    struct hist h;
    int rc = find_project(c->db, code, &id, e);
    if (!rc) rc = hist_load(c->db, id, &h, e);
    if (rc) return rc;
    int from = h.n, to = inv_stage_parse(op_s(c, "to"));
    for (int i = 0; i < h.n; i++)
        if (h.stage[i] == to && strcmp(h.date[i], op_s(c, "date")) == 0) {
            str_copy(c->id, code, sizeof c->id);
            op_done(c, "project %s unchanged: it was %s on %s already", code,
                    inv_stage_label(to), h.date[i]);
            return 0;
        }
    rc = hist_push(&h, to, op_s(c, "date"), "to", e);
    if (rc == ERR_INPUT && strcmp(e->field, "to") == 0) err_field(e, "date");
    if (!rc) rc = hist_store(c->db, id, &h, from, op_s(c, "note"), e);
    if (rc) return rc;
    str_copy(c->id, code, sizeof c->id);
    op_done(c, "project %s %s since %s", code, inv_stage_label(h.stage[h.n - 1]),
            h.date[h.n - 1]);
    return 0;
}

int inv_figure_add(struct op_call *c, struct err *e)
{
    int64_t src, v;
    if (dec_parse(op_s(c, "value"), 6, &v, e)) return err_field(e, "value");
    int rc = source_id(c->db, op_s(c, "source"), &src, e);
    if (!rc)
        rc = db_run(c->db, e,
                    "INSERT INTO inv_figure(name, label, value, unit, period, source_id, note) "
                    "VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), ?6, coalesce(?7, '')) "
                    "ON CONFLICT(name) DO UPDATE SET label = ?2, value = ?3, unit = ?4, "
                    "period = coalesce(?5, ''), source_id = ?6, note = coalesce(?7, '')",
                    "tttttit", op_s(c, "name"), op_s(c, "label"), op_s(c, "value"),
                    op_s(c, "unit"), op_s(c, "period"), src, op_s(c, "note"));
    if (rc) return rc;
    str_copy(c->id, op_s(c, "name"), sizeof c->id);
    op_done(c, "figure %s recorded", op_s(c, "name"));
    return 0;
}

/* ---- reading projects -------------------------------------------------------------- */

int inv_list(struct op_call *c, struct err *e)
{
    struct table *t = table_new("projects", N_("Investment projects"));
    static const char *const cols[] = {"code", "title", "investor", "origin", "channel", "host",
                                       "region", "sector", "kind", "year", "stage", "since"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        table_col(t, cols[i], strcmp(cols[i], "year") ? COL_TEXT : COL_INT, NULL, 0);
    table_col(t, "amount_usd", COL_MONEY, "US$", 0);
    table_col(t, "jobs", COL_INT, NULL, 0);
    table_col(t, "source", COL_TEXT, NULL, 0);
    for (size_t i = 4; i <= 6; i++)
        table_optional(t, i);
    int stage = op_has(c, "stage") ? inv_stage_parse(op_s(c, "stage")) : -1;
    int rc = db_fill(
        c->db, t, e,
        "SELECT p.code, p.title, p.investor, p.origin, p.channel, p.host, p.region, p.sector, "
        "p.kind, p.year, p.stage, p.stage_date, p.amount_usd, p.jobs, s.name || "
        "CASE WHEN s.synthetic THEN ' (synthetic)' ELSE '' END "
        "FROM inv_now p JOIN source s ON s.id = p.source_id "
        "WHERE (?1 IS NULL OR p.stage = ?1) AND (?2 IS NULL OR p.host = ?2) "
        "AND (?3 IS NULL OR p.origin = ?3) AND (?4 IS NULL OR p.sector = ?4) "
        "AND (?5 IS NULL OR p.kind = ?5 OR (?5 = 'investment' AND p.kind IN "
        "('greenfield', 'acquisition', 'joint-venture'))) "
        "AND (?7 = 0 OR p.year >= ?7) AND (?8 = 0 OR p.year <= ?8) "
        "ORDER BY p.amount_usd IS NULL, p.amount_usd DESC, p.code LIMIT ?6",
        "tttttnii", stage >= 0 ? inv_stage_name(stage) : NULL, op_s(c, "host"),
        op_s(c, "origin"), op_s(c, "sector"), op_s(c, "kind"), (int)op_i(c, "limit"),
        op_has(c, "from") ? op_i(c, "from") : (int64_t)0,
        op_has(c, "to") ? op_i(c, "to") : (int64_t)0);
    for (size_t r = 0; !rc && r < t->nrows; r++) {
        struct cell *st = table_cell(t, r, 10);
        const char *label = inv_stage_label(inv_stage_parse(st->s));
        table_set_text(t, r, 10, label);
    }
    if (!rc && t->nrows == (size_t)op_i(c, "limit"))
        table_note(t, TF("The first %d projects, largest first (raise --limit for more)."),
                   (int)op_i(c, "limit"));
    table_empty(t, N_("no projects match"));
    return op_give(c, rc, &t);
}

static void field_row(struct table *t, const char *name, const char *value)
{
    if (!value || !*value) return;
    size_t r = table_add_row(t);
    table_set_text(t, r, 0, name);
    table_set_text(t, r, 1, value);
}

static int show_fields(struct db *db, const char *code, struct table *t, struct err *e)
{
    struct db_stmt *st;
    int rc = db_prepare(
        db, &st, e,
        "SELECT p.title, p.investor, p.origin || ' ' || local_name('country', o.code3, o.name), "
        "p.channel, p.counterpart, p.host || ' ' || local_name('country', h.code3, h.name), "
        "coalesce(p.region || ' ' || local_name('region', r.code, r.name), ''), "
        "coalesce(p.sector, ''), p.subsector, p.kind, p.year, p.amount, p.currency, "
        "p.amount_usd, p.share_bp, p.jobs, s.name || CASE WHEN s.synthetic THEN "
        "' (synthetic)' ELSE '' END, p.note "
        "FROM inv_project p JOIN country o ON o.code3 = p.origin JOIN country h ON "
        "h.code3 = p.host LEFT JOIN region r ON r.code = p.region JOIN source s ON "
        "s.id = p.source_id WHERE p.code = ?1",
        "t", code);
    if (!rc && (rc = db_step(st, e)) == 1) {
        char buf[64], num[48];
        static const char *const names[] = {"title", "investor", "origin", "channel",
                                            "counterpart", "host", "region"};
        for (int i = 0; i < 7; i++)
            field_row(t, names[i], db_col_str(st, i));
        const char *sec = db_col_str(st, 7);
        char sector[160];
        snprintf(sector, sizeof sector, "%s %s", sec, *sec ? inv_sector_name(sec) : "");
        field_row(t, "sector", *sec ? sector : "");
        field_row(t, "subsector", db_col_str(st, 8));
        field_row(t, "kind", db_col_str(st, 9));
        field_row(t, "year", db_col_str(st, 10));
        if (!db_col_null(st, 11)) {
            snprintf(buf, sizeof buf, "%s %s", db_col_str(st, 12),
                     dec_format_grouped(db_col_int(st, 11), 2, num, sizeof num));
            field_row(t, "amount", buf);
        }
        if (!db_col_null(st, 13))
            field_row(t, "amount_usd", dec_format_grouped(db_col_int(st, 13), 2, num, sizeof num));
        if (!db_col_null(st, 14)) {
            snprintf(buf, sizeof buf, "%s%%", dec_format(db_col_int(st, 14), 2, num, sizeof num));
            field_row(t, "share", buf);
        }
        field_row(t, "jobs", db_col_str(st, 15));
        field_row(t, "source", db_col_str(st, 16));
        field_row(t, "note", db_col_str(st, 17));
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOTFOUND, "no project with the code '%s' (see 'corridor invest list')",
                     code);
        err_field(e, "code");
    }
    db_finalize(st);
    return rc;
}

int inv_show(struct op_call *c, struct err *e)
{
    const char *code = op_s(c, "code");
    struct table *t = table_new("project", code);
    table_col(t, "field", COL_TEXT, NULL, 0);
    table_col(t, "value", COL_TEXT, NULL, 0);
    int rc = show_fields(c->db, code, t, e);
    if (rc) {
        table_free(t);
        return rc;
    }
    op_out(c, t);
    struct table *h = table_new("history", N_("Stage history"));
    table_col(h, "stage", COL_TEXT, NULL, 0);
    table_col(h, "date", COL_TEXT, NULL, 0);
    table_col(h, "days", COL_INT, "days", 0);
    table_col(h, "note", COL_TEXT, NULL, 0);
    table_optional(h, 3);
    char today[11];
    inv_today(today);
    rc = db_fill(c->db, h, e,
                 "SELECT s.stage, s.date, julianday(coalesce((SELECT n.date FROM inv_stage n "
                 "WHERE n.project_id = s.project_id AND n.seq = s.seq + 1), ?2)) - "
                 "julianday(s.date), s.note FROM inv_stage s JOIN inv_project p ON p.id = "
                 "s.project_id WHERE p.code = ?1 ORDER BY s.seq",
                 "tt", code, today);
    int last = -1, resume = INV_IDEA;
    for (size_t r = 0; !rc && r < h->nrows; r++) {
        last = inv_stage_parse(table_cell(h, r, 0)->s);
        if (last <= INV_CONSTRUCTION) resume = last;
        table_set_text(h, r, 0, inv_stage_label(last));
    }
    if (!rc && (last == INV_COMMISSIONED || last == INV_CANCELLED)) /* final: no time in it */
        table_cell(h, h->nrows - 1, 2)->null = 1;
    char moves[160];
    if (!rc && last >= 0)
        table_note(h,
                   TF("Days: time spent in the stage (the current one: until today). Next "
                      "moves allowed: %s."),
                   inv_stage_moves(last, resume, moves, sizeof moves));
    return op_give(c, rc, &h);
}
