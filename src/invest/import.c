/* import.c — project files as users bring them: the native CSV (one row =
 * one 'invest add', through the operation's own import), the AEI China
 * Global Investment Tracker as downloaded (the .xlsx with its sheets
 * "Dataset 1" investments, "Dataset 2" construction contracts and "Dataset
 * 3" troubled transactions, five title rows above the header; or the CSV
 * export of a sheet, whose amounts read " $\t1.890 "), and AidData's Global
 * Chinese Development Finance dataset 3.0 (CSV; only rows "Recommended For
 * Aggregates" are counted, as AidData asks).
 *
 * A tracker row is translated into the parameters of 'invest add' and
 * stored by it, so the same checks hold whatever the file; an error names
 * the tracker's own column. Codes come from the tracker (AidData's record
 * id) or from the row's content (AEI has none), so re-importing the same
 * file changes nothing. A file is one transaction: every row or none,
 * unless rejects are asked for. */
#include "invest.h"

#include "../ops/ops.h"

#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_AUTO, FMT_NATIVE, FMT_AEI, FMT_AIDDATA };
static const char *const fmt_names[] = {"auto", "native", "aei", "aiddata"};

/* The parameters of 'invest add' a tracker row fills. */
enum {
    K_CODE, K_TITLE, K_INVESTOR, K_ORIGIN, K_COUNTERPART, K_HOST, K_SECTOR, K_SUBSECTOR, K_KIND,
    K_YEAR, K_AMOUNT, K_CURRENCY, K_USD, K_SHARE, K_HISTORY, K_STAGE, K_STAGE_DATE, K_SOURCE,
    K_NOTE, K_COUNT
};
static const char *const knames[K_COUNT] = {
    "code", "title",    "investor",   "origin",     "counterpart", "host",    "sector",
    "subsector", "kind", "year",     "amount",     "currency",    "amount_usd", "share",
    "history", "stage", "stage_date", "source", "note"};

struct rec {
    char v[K_COUNT][1100];
    int has[K_COUNT];
    int col[K_COUNT]; /* the tracker's column each came from (-1: none) */
};

struct tracker {
    struct op_call *c;   /* the import */
    struct op_call add;  /* one 'invest add' per row */
    int format;
    char label[300];     /* the file (and sheet) in messages */
    char source[300];
    const char *file;    /* the file's base name */
    int dataset;         /* AEI: 1, 2 or 3 */
    int xlsx;
    int rejects_header; /* written once, for the first sheet */
    char **first;       /* its columns, which the rejects of every sheet follow */
    size_t nfirst;
    int *map;           /* for each of them, the current sheet's column (-1: none) */
    int assumed;        /* AidData: dates the record lacks, supplied (1 commitment, 2 last stage) */
    /* the header */
    int nheader;
    char **names;
    size_t nnames;
    int col[24];
    /* keys seen in this file (AEI rows, AidData ids) and how often: an
       open-addressing table */
    struct seen {
        uint64_t key;
        unsigned n;
    } *seen;
    size_t nseen, capseen;
    int expect;         /* the dataset the sheet's name says (0: none) */
    long aid_id;        /* AidData: the row's record id, as a number */
    /* counts */
    uint64_t read, stored, fresh, revised, unchanged, rejected, excluded, regional, unmapped;
    uint64_t withdrawn; /* stored before, left out now */
};

static void set(struct rec *r, int k, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set(struct rec *r, int k, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->v[k], sizeof r->v[k], fmt, ap);
    va_end(ap);
    str_utf8_fix(r->v[k]);
    r->has[k] = 1;
    r->col[k] = col;
}

/* A text cut to fit a parameter of max bytes (titles, names), cut at a
 * character's edge. */
static void set_cut(struct rec *r, int k, int col, const char *s, size_t max)
{
    char buf[1100];
    str_trim_copy(buf, sizeof buf, "");
    size_t n = strlen(s);
    if (n > max) {
        snprintf(buf, sizeof buf, "%.*s", (int)(max - 3), s);
        str_utf8_fix(buf);
        strcat(buf, "...");
        s = buf;
    }
    set(r, k, col, "%s", s);
}

static const char *rec_get(void *ctx, const char *name)
{
    const struct rec *r = ctx;
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(knames[k], name) == 0) return r->has[k] ? r->v[k] : NULL;
    return NULL;
}

/* ---- the header ------------------------------------------------------------------ */

static const char *field(const struct csv_row *row, const struct tracker *t, int f)
{
    int c = t->col[f];
    if (c < 0 || (size_t)c >= row->nfields) return "";
    return row->fields[c];
}

/* AEI columns, by position in t->col */
enum { A_YEAR, A_MONTH, A_INVESTOR, A_AMOUNT, A_SHARE, A_PARTY, A_SECTOR, A_SUBSECTOR, A_COUNTRY,
       A_REGION, A_BRI, A_GREENFIELD, A_DATASET, A_COUNT };
/* Dataset: the rejects of a workbook say which sheet each row came from */
static const char *const aei_cols[A_COUNT] = {
    "Year", "Month", "Investor|Contractor|Chinese Entity", "Quantity in Millions", "Share Size",
    "Transaction Party", "Sector", "Subsector", "Country", "Region", "BRI", "Greenfield",
    "Dataset"};
static const int aei_required[] = {A_YEAR, A_INVESTOR, A_AMOUNT, A_SECTOR, A_COUNTRY};

/* AidData columns */
enum { D_ID, D_RECOMMENDED, D_FINANCIER, D_RECIPIENT, D_ISO, D_YEAR, D_TITLE, D_FLOW, D_CLASS,
       D_SECTOR, D_AMOUNT, D_CURRENCY, D_NOMINAL, D_FUNDERS, D_STATUS, D_COMMIT, D_START, D_END,
       D_COUNT };
static const char *const aid_cols[D_COUNT] = {
    "AidData Record ID", "Recommended For Aggregates", "Financier Country", "Recipient",
    "Recipient ISO-3", "Commitment Year", "Title", "Flow Type", "Flow Class", "Sector Name",
    "Amount (Original Currency)", "Original Currency", "Amount (Nominal USD)",
    "Funding Agencies", "Status", "Commitment Date (MM/DD/YYYY)",
    "Actual Implementation Start Date (MM/DD/YYYY)", "Actual Completion Date (MM/DD/YYYY)"};
static const int aid_required[] = {D_ID, D_RECOMMENDED, D_RECIPIENT, D_ISO, D_YEAR, D_TITLE,
                                   D_SECTOR, D_NOMINAL, D_STATUS};

/* The column of row called one of names ("a|b"), or -1. */
static int find_any(const struct csv_row *row, const char *names)
{
    char buf[128];
    str_copy(buf, names, sizeof buf);
    for (char *save = NULL, *n = strtok_r(buf, "|", &save); n; n = strtok_r(NULL, "|", &save)) {
        int k = csv_find(row, n);
        if (k >= 0) return k;
    }
    return -1;
}

/* Which format a row is the header of (FMT_AUTO: none). */
static int header_format(const struct csv_row *row)
{
    if (csv_find(row, "AidData Record ID") >= 0) return FMT_AIDDATA;
    if (csv_find(row, "Quantity in Millions") >= 0 && csv_find(row, "Year") >= 0) return FMT_AEI;
    if (csv_find(row, "code") >= 0 && csv_find(row, "stage") >= 0) return FMT_NATIVE;
    return FMT_AUTO;
}

static int take_header(struct tracker *t, const struct csv_row *row, struct err *e)
{
    const char *const *cols = t->format == FMT_AEI ? aei_cols : aid_cols;
    int n = t->format == FMT_AEI ? A_COUNT : D_COUNT;
    const int *req = t->format == FMT_AEI ? aei_required : aid_required;
    size_t nreq = t->format == FMT_AEI ? sizeof aei_required / sizeof aei_required[0]
                                       : sizeof aid_required / sizeof aid_required[0];
    int rc = csv_header_unique(row, t->label, e);
    if (rc) return rc;
    for (int i = 0; i < n; i++)
        t->col[i] = find_any(row, cols[i]);
    for (size_t i = 0; i < nreq; i++)
        if (t->col[req[i]] < 0) {
            err_at(e, t->label, row->line, 0, cols[req[i]]);
            return err_set(e, ERR_INPUT, "the header lacks the column '%s'", cols[req[i]]);
        }
    if (t->format == FMT_AEI) {
        int k = t->col[A_INVESTOR];
        const char *who = row->fields[k];
        t->dataset = str_ieq(who, "Contractor") ? 2 : str_ieq(who, "Chinese Entity") ? 3 : 1;
        static const char *const words[] = {"", "Investor", "Contractor", "Chinese Entity"};
        if (t->expect && t->dataset != t->expect) {
            err_at(e, t->label, row->line, k + 1, who);
            return err_set(e, ERR_INPUT,
                           "sheet 'Dataset %d' names its party '%s', where the tracker's Dataset "
                           "%d has '%s': a sheet in the wrong place would mix contracts, troubled "
                           "deals and investment",
                           t->expect, who, t->expect, words[t->expect]);
        }
    }
    t->names = xcalloc(row->nfields, sizeof *t->names);
    t->nnames = row->nfields;
    for (size_t i = 0; i < row->nfields; i++)
        t->names[i] = xstrdup(row->fields[i]);
    t->nheader = 1;
    if (!t->source[0])
        snprintf(t->source, sizeof t->source, "%s (%s)",
                 t->format == FMT_AEI ? "AEI China Global Investment Tracker" : "AidData GCDF 3.0",
                 t->file);
    if (!t->c->rejects) return 0;
    if (!t->xlsx) {
        if (!t->rejects_header++) op_reject_header(t->c->rejects, row);
        return 0;
    }
    /* a workbook's rejects: one file for every sheet, under the first
       sheet's columns and a Dataset column that keeps each row's kind */
    if (!t->rejects_header++) {
        t->first = xcalloc(row->nfields + 1, sizeof *t->first);
        t->first[0] = xstrdup("Dataset");
        for (size_t i = 0; i < row->nfields; i++)
            t->first[i + 1] = xstrdup(row->fields[i]);
        t->nfirst = row->nfields + 1;
        op_reject_header(t->c->rejects, &(struct csv_row){t->first, NULL, t->nfirst, 0, NULL});
    }
    free(t->map);
    t->map = xcalloc(t->nfirst, sizeof *t->map);
    for (size_t i = 1; i < t->nfirst; i++) {
        int k = csv_find(row, t->first[i]);
        if (k < 0 &&
            find_any(&(struct csv_row){&t->first[i], NULL, 1, 0, NULL}, aei_cols[A_INVESTOR]) == 0)
            k = t->col[A_INVESTOR];
        t->map[i] = k;
    }
    return 0;
}

/* ---- AEI ----------------------------------------------------------------------------- */

static int month_of(const char *s)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    char t[16];
    if (str_trim_copy(t, sizeof t, s)) return -1;
    if (!t[0]) return 0;
    long n;
    struct err tmp;
    if (int_parse(t, 1, 12, &n, &tmp) == 0) return (int)n;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(t, m[i], 3) == 0) {
            static const char *const full[] = {"january", "february", "march",     "april",
                                               "may",     "june",     "july",      "august",
                                               "september", "october", "november", "december"};
            if (str_ieq(t, full[i]) || strlen(t) == 3 || (i == 8 && str_ieq(t, "sept")))
                return i + 1;
        }
    return -1;
}

/* How many rows of this file had the key before (0 for the first). */
static unsigned seen_before(struct tracker *t, uint64_t key)
{
    if (2 * (t->nseen + 1) > t->capseen) { /* grow, keeping the load under a half */
        size_t cap = t->capseen ? t->capseen * 2 : 1024;
        struct seen *v = xcalloc(cap, sizeof *v);
        for (size_t i = 0; i < t->capseen; i++)
            if (t->seen[i].n) {
                size_t k = t->seen[i].key & (cap - 1);
                while (v[k].n)
                    k = (k + 1) & (cap - 1);
                v[k] = t->seen[i];
            }
        free(t->seen);
        t->seen = v;
        t->capseen = cap;
    }
    size_t k = key & (t->capseen - 1);
    while (t->seen[k].n && t->seen[k].key != key)
        k = (k + 1) & (t->capseen - 1);
    if (!t->seen[k].n) t->nseen++;
    t->seen[k].key = key;
    return t->seen[k].n++;
}

/* The investor's origin, which AEI does not state: the one already stored
 * for the project (a correction survives a re-import), else the parties
 * register's when it knows the investor, else the mainland (AEI tracks
 * Chinese entities). */
static int aei_origin(struct tracker *t, const char *investor, struct rec *r, struct err *e)
{
    char o[8];
    int rc = db_lookup(t->c->db, e, o, sizeof o, "SELECT origin FROM inv_project WHERE code = ?1",
                       "t", r->v[K_CODE]);
    if (rc == 0)
        rc = db_lookup(t->c->db, e, o, sizeof o,
                       "SELECT coalesce(origin, country) FROM party WHERE name = ?1 COLLATE NOCASE",
                       "t", investor);
    if (rc < 0) return rc;
    set(r, K_ORIGIN, t->col[A_INVESTOR], "%s", rc ? o : "CHN");
    return 0;
}

/* The row's dataset: its Dataset column's (a workbook's rejects), else the
 * sheet's or the header's. */
static int row_dataset(struct tracker *t, const struct csv_row *row, int *ds, struct err *e)
{
    *ds = t->dataset;
    if (t->col[A_DATASET] < 0) return 0;
    const char *v = field(row, t, A_DATASET);
    char d[24];
    str_trim_copy(d, sizeof d, v);
    const char *n = strncasecmp(d, "Dataset", 7) == 0 ? d + 7 : d;
    while (*n == ' ')
        n++;
    if ((n[0] == '1' || n[0] == '2' || n[0] == '3') && !n[1]) return *ds = n[0] - '0', 0;
    err_at(e, t->label, row->line, t->col[A_DATASET] + 1, "Dataset");
    return err_set(e, ERR_INPUT, "'%.20s' is not one of the tracker's datasets (Dataset 1, 2 or 3)",
                   v);
}

/* The row's code: its dataset and 96 bits of BLAKE2b over its fields (AEI
 * has no record id), with the count of earlier identical rows of the file. */
static void aei_code(struct tracker *t, const struct csv_row *row, int ds, const char *amount,
                     struct rec *r)
{
    static const int parts[] = {A_YEAR, A_MONTH,  A_INVESTOR,  A_COUNTRY, A_PARTY,
                                A_SECTOR, A_SUBSECTOR, A_SHARE};
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 12);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *v = field(row, t, parts[i]);
        crypto_generichash_update(&h, (const unsigned char *)v, strlen(v) + 1);
    }
    crypto_generichash_update(&h, (const unsigned char *)amount, strlen(amount) + 1);
    unsigned char d[12];
    crypto_generichash_final(&h, d, sizeof d);
    char hex[25];
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    uint64_t key = 0;
    memcpy(&key, d, sizeof key);
    unsigned dup = seen_before(t, key ^ (uint64_t)ds);
    if (dup)
        set(r, K_CODE, -1, "aei%d-%s-%u", ds, hex, dup + 1);
    else
        set(r, K_CODE, -1, "aei%d-%s", ds, hex);
}

static int aei_row(struct tracker *t, const struct csv_row *row, struct rec *r, struct err *e)
{
    int ds;
    if (row_dataset(t, row, &ds, e)) return e->code;
    const char *who = field(row, t, A_INVESTOR), *country = field(row, t, A_COUNTRY);
    const char *sector = field(row, t, A_SECTOR), *sub = field(row, t, A_SUBSECTOR);
    long year;
    if (int_parse(field(row, t, A_YEAR), 1900, 2200, &year, e)) {
        err_at(e, t->label, row->line, t->col[A_YEAR] + 1, "Year");
        return err_set(e, ERR_INPUT, "'%.20s' is not a year", field(row, t, A_YEAR));
    }
    int month = t->col[A_MONTH] >= 0 ? month_of(field(row, t, A_MONTH)) : 0;
    if (month < 0) {
        err_at(e, t->label, row->line, t->col[A_MONTH] + 1, "Month");
        return err_set(e, ERR_INPUT, "'%.20s' is not a month (January...December)",
                       field(row, t, A_MONTH));
    }
    int64_t cents;
    int number = t->xlsx && row->types && row->types[t->col[A_AMOUNT]] == 'n';
    if (inv_parse_aei_millions(field(row, t, A_AMOUNT), number, &cents, e)) {
        err_at(e, t->label, row->line, t->col[A_AMOUNT] + 1, "Quantity in Millions");
        return e->code;
    }
    const char *g = field(row, t, A_GREENFIELD);
    char gf[8];
    if (str_trim_copy(gf, sizeof gf, g) || (gf[0] && !str_ieq(gf, "G"))) {
        err_at(e, t->label, row->line, t->col[A_GREENFIELD] + 1, "Greenfield");
        return err_set(e, ERR_INPUT, "Greenfield is G or blank, not '%.20s'", g);
    }
    char amount[48];
    dec_format(cents, 2, amount, sizeof amount);
    aei_code(t, row, ds, amount, r);
    char title[400];
    snprintf(title, sizeof title, "%s in %s: %s%s%s", who, country, sector, *sub ? ", " : "", sub);
    set_cut(r, K_TITLE, t->col[A_INVESTOR], title, 300);
    set_cut(r, K_INVESTOR, t->col[A_INVESTOR], who, 300);
    int rc = aei_origin(t, who, r, e);
    if (rc) return rc;
    if (*field(row, t, A_PARTY))
        set_cut(r, K_COUNTERPART, t->col[A_PARTY], field(row, t, A_PARTY), 300);
    set(r, K_HOST, t->col[A_COUNTRY], "%s", country);
    const char *isic = inv_sector_map("aei", sector, sub);
    if (!isic) t->unmapped++;
    if (isic && *isic) set(r, K_SECTOR, t->col[A_SECTOR], "%s", isic);
    char words[300];
    snprintf(words, sizeof words, "%s%s%s", sector, *sub ? ": " : "", sub);
    set_cut(r, K_SUBSECTOR, t->col[A_SUBSECTOR] >= 0 ? t->col[A_SUBSECTOR] : t->col[A_SECTOR],
            words, 200);
    set(r, K_KIND, t->col[A_GREENFIELD],
        "%s", ds == 2 ? "construction" : gf[0] ? "greenfield" : "acquisition");
    set(r, K_YEAR, t->col[A_YEAR], "%ld", year);
    set(r, K_USD, t->col[A_AMOUNT], "%s", amount);
    if (*field(row, t, A_SHARE)) set(r, K_SHARE, t->col[A_SHARE], "%s", field(row, t, A_SHARE));
    int when = t->col[A_MONTH] >= 0 ? t->col[A_MONTH] : t->col[A_YEAR];
    set(r, K_STAGE, when, "%s", ds == 3 ? "cancelled" : "signed");
    set(r, K_STAGE_DATE, when, "%04ld-%02d-01", year, month ? month : 1);
    const char *bri = field(row, t, A_BRI);
    set(r, K_NOTE, -1, "AEI Dataset %d (%s)%s%s%s", ds,
        ds == 1   ? "investment"
        : ds == 2 ? "construction contract"
                          : "troubled transaction",
        *bri ? "; BRI: " : "", bri, month ? "" : "; month not given");
    return 0;
}

/* ---- AidData ---------------------------------------------------------------------------- */

/* "MM/DD/YYYY" into "YYYY-MM-DD"; "" stays "". */
static int us_date(const char *s, char out[11])
{
    int m, d, y;
    char tail;
    out[0] = 0;
    if (!s || !*s) return 0;
    if (sscanf(s, "%d/%d/%d%c", &m, &d, &y, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31 ||
        y < 1900 || y > 2200)
        return -1;
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    str_copy(out, tmp, 11);
    return date_valid(out) ? 0 : -1;
}

static int aid_history(struct tracker *t, const struct csv_row *row, struct rec *r, long year,
                       struct err *e)
{
    static const int dcols[] = {D_COMMIT, D_START, D_END};
    char d[3][11], fallback[11];
    for (int i = 0; i < 3; i++)
        if (us_date(field(row, t, dcols[i]), d[i])) {
            err_at(e, t->label, row->line, t->col[dcols[i]] + 1, aid_cols[dcols[i]]);
            return err_set(e, ERR_INPUT, "'%.20s' is not a date MM/DD/YYYY",
                           field(row, t, dcols[i]));
        }
    snprintf(fallback, sizeof fallback, "%04ld-01-01", year);
    const char *status = field(row, t, D_STATUS);
    struct buf h = {0};
    const char *first = d[0][0] ? d[0] : fallback, *last = first;
    int lastcol = d[0][0] ? D_COMMIT : D_YEAR; /* where the last move's date comes from */
    if (!d[0][0]) t->assumed |= 1; /* said in the record's note */
    int pledge = str_ieq(status, "Pipeline: Pledge");
    buf_printf(&h, "%s:%s", pledge ? "announced" : "signed", first);
    if (d[1][0]) buf_printf(&h, ";construction:%s", last = d[1]), lastcol = D_START;
    if (d[2][0]) {
        if (!d[1][0]) buf_printf(&h, ";construction:%s", d[2]);
        buf_printf(&h, ";commissioned:%s", last = d[2]), lastcol = D_END;
    }
    int done = d[2][0];
    if (str_ieq(status, "Completion") && !done)
        buf_printf(&h, "%s%s;commissioned:%s", d[1][0] ? "" : ";construction:",
                   d[1][0] ? "" : last, last),
            t->assumed |= 2;
    else if (str_ieq(status, "Implementation") && !d[1][0] && !done)
        buf_printf(&h, ";construction:%s", last), t->assumed |= 2;
    else if (str_ieq(status, "Cancelled"))
        buf_printf(&h, ";cancelled:%s", last), t->assumed |= 2;
    else if (str_ieq(status, "Suspended"))
        buf_printf(&h, ";stalled:%s", last), t->assumed |= 2;
    else if (!str_ieq(status, "Completion") && !str_ieq(status, "Implementation") && !pledge &&
             !str_ieq(status, "Pipeline: Commitment")) {
        buf_free(&h);
        err_at(e, t->label, row->line, t->col[D_STATUS] + 1, "Status");
        return err_set(e, ERR_INPUT,
                       "'%.40s' is not a status of GCDF 3.0 (Pipeline: Pledge, Pipeline: "
                       "Commitment, Implementation, Completion, Suspended, Cancelled)",
                       status);
    }
    /* the last move is the stage; those before it the history */
    char *semi = strrchr(h.p, ';'), *now = semi ? semi + 1 : h.p;
    char *colon = strchr(now, ':');
    *colon = 0;
    int col = t->col[lastcol] >= 0 ? t->col[lastcol] : t->col[D_YEAR];
    set(r, K_STAGE, col, "%s", now);
    set(r, K_STAGE_DATE, col, "%s", colon + 1);
    if (semi) {
        *semi = 0;
        set(r, K_HISTORY, t->col[D_COMMIT] >= 0 ? t->col[D_COMMIT] : t->col[D_YEAR], "%s", h.p);
    }
    buf_free(&h);
    return 0;
}

static const char *origin_code(const struct tracker *t, const char *name)
{
    struct err tmp;
    const struct country *c = ref_country(t->c->ref, name, &tmp);
    if (c) return c->code3;
    return strncasecmp(name, "China", 5) == 0 ? "CHN" : NULL;
}

static int aid_row(struct tracker *t, const struct csv_row *row, struct rec *r, struct err *e)
{
    long year;
    if (int_parse(field(row, t, D_YEAR), 1900, 2200, &year, e)) {
        err_at(e, t->label, row->line, t->col[D_YEAR] + 1, "Commitment Year");
        return err_set(e, ERR_INPUT, "'%.20s' is not a year", field(row, t, D_YEAR));
    }
    set(r, K_CODE, t->col[D_ID], "aiddata-%ld", t->aid_id);
    set_cut(r, K_TITLE, t->col[D_TITLE], field(row, t, D_TITLE), 300);
    const char *fin = field(row, t, D_FINANCIER), *funders = field(row, t, D_FUNDERS);
    char who[1100];
    str_copy(who, *funders ? funders : *fin ? fin : "China", sizeof who);
    for (char *p = who; *p; p++)
        if (*p == '|') *p = ';';
    set_cut(r, K_INVESTOR, t->col[D_FUNDERS] >= 0 ? t->col[D_FUNDERS] : t->col[D_FINANCIER], who,
            300);
    const char *origin = origin_code(t, *fin ? fin : "China");
    if (!origin) {
        err_at(e, t->label, row->line, t->col[D_FINANCIER] + 1, "Financier Country");
        return err_set(e, ERR_INPUT, "unknown financier country '%.60s'", fin);
    }
    set(r, K_ORIGIN, t->col[D_FINANCIER], "%s", origin);
    set(r, K_HOST, t->col[D_ISO], "%s", field(row, t, D_ISO));
    const char *sector = field(row, t, D_SECTOR);
    const char *isic = inv_sector_map("aiddata", sector, "");
    if (!isic) t->unmapped++;
    if (isic && *isic) set(r, K_SECTOR, t->col[D_SECTOR], "%s", isic);
    set_cut(r, K_SUBSECTOR, t->col[D_SECTOR], sector, 200);
    set(r, K_KIND, -1, "finance");
    set(r, K_YEAR, t->col[D_YEAR], "%ld", year);
    const char *amount = field(row, t, D_AMOUNT), *cur = field(row, t, D_CURRENCY);
    if (*amount && *cur) {
        set(r, K_AMOUNT, t->col[D_AMOUNT], "%s", amount);
        set(r, K_CURRENCY, t->col[D_CURRENCY], "%s", cur);
    }
    if (*field(row, t, D_NOMINAL)) set(r, K_USD, t->col[D_NOMINAL], "%s", field(row, t, D_NOMINAL));
    t->assumed = 0;
    int rc = aid_history(t, row, r, year, e);
    set(r, K_NOTE, -1, "%s%s%s%s%s", field(row, t, D_FLOW), *field(row, t, D_CLASS) ? "; " : "",
        field(row, t, D_CLASS),
        t->assumed & 1 ? "; no commitment date: 1 January of the commitment year used" : "",
        t->assumed & 2 ? "; the date of the last stage is not given: the last known date used"
                       : "");
    return rc;
}

/* 1 when AidData asks to leave the row out of sums (or it is regional). */
/* A record left out that an earlier import stored: withdrawn, so that no
 * total counts what AidData says not to. */
static int withdraw(struct tracker *t, long id, struct err *e)
{
    char code[96], *before = NULL;
    snprintf(code, sizeof code, "aiddata-%ld", id);
    int rc = inv_project_json(t->c->db, code, &before, e);
    if (rc <= 0) return rc; /* not stored: nothing to withdraw */
    struct db_change ch = {"invest.withdraw", "inv_project", code, before, NULL};
    rc = db_audit(t->c->db, &ch, e);
    free(before);
    if (!rc)
        rc = db_run(t->c->db, e,
                    "DELETE FROM inv_stage WHERE project_id = (SELECT id FROM inv_project WHERE "
                    "code = ?1)",
                    "t", code);
    if (!rc) rc = db_run(t->c->db, e, "DELETE FROM inv_project WHERE code = ?1", "t", code);
    if (!rc) t->withdrawn += (uint64_t)db_changes(t->c->db);
    return rc;
}

static int aid_skip(struct tracker *t, const struct csv_row *row, struct err *e)
{
    const char *id = field(row, t, D_ID);
    long n;
    struct err tmp;
    if (int_parse(id, 1, 2000000000, &n, &tmp)) {
        err_at(e, t->label, row->line, t->col[D_ID] + 1, "AidData Record ID");
        return err_set(e, ERR_INPUT, "'%.20s' is not an AidData Record ID (a whole number)", id);
    }
    t->aid_id = n;
    if (seen_before(t, (uint64_t)n)) {
        err_at(e, t->label, row->line, t->col[D_ID] + 1, "AidData Record ID");
        return err_set(e, ERR_INPUT, "AidData Record ID %ld appears twice in the file", n);
    }
    const char *rec = field(row, t, D_RECOMMENDED);
    int no = str_ieq(rec, "No"), regional = !*field(row, t, D_ISO);
    if (!no && !str_ieq(rec, "Yes")) {
        err_at(e, t->label, row->line, t->col[D_RECOMMENDED] + 1, "Recommended For Aggregates");
        return err_set(e, ERR_INPUT, "Recommended For Aggregates is Yes or No, not '%.20s'", rec);
    }
    if (!no && !regional) return 0;
    /* left out: not for aggregates, or regional ("Africa, regional"), no one host */
    t->excluded += no;
    t->regional += !no;
    int rc = withdraw(t, n, e);
    return rc ? rc : 1;
}

/* ---- one row: translated, then stored by 'invest add' in a savepoint -------------- */

static int store(struct tracker *t, const struct csv_row *row, struct rec *r, struct err *e)
{
    struct op_call *a = &t->add;
    op_call_reset(a);
    set(r, K_SOURCE, -1, "%s", t->source);
    int rc = op_parse(a, rec_get, r, e);
    if (rc == ERR_USAGE) { /* a field the row lacks: the data's fault, not the command's */
        e->code = rc = ERR_INPUT;
        if (strstr(e->msg, "required")) str_copy(e->msg, "the row gives no value here", sizeof e->msg);
    }
    if (!rc) rc = db_savepoint(a->db, e);
    if (rc) goto located;
    rc = a->op->run(a, e);
    if (!rc && op_stat_get(a, "unchanged") == 0) { /* what the row changed, with what it was */
        char *after = op_params_json(a);
        struct db_change ch = {"invest.import", "inv_project", r->v[K_CODE], a->before, after};
        rc = db_audit(a->db, &ch, e);
        free(after);
    }
    if (!rc) rc = db_release(a->db, e);
    if (rc) db_rollback_to(a->db);
    if (!rc) {
        t->fresh += op_stat_get(a, "new") > 0;
        t->revised += op_stat_get(a, "revised") > 0;
        t->unchanged += op_stat_get(a, "unchanged") > 0;
        return 0;
    }
located:
    for (int k = 0; k < K_COUNT; k++)
        if (strcmp(e->field, knames[k]) == 0) {
            int col = r->col[k];
            const char *name = col >= 0 && (size_t)col < t->nnames ? t->names[col] : knames[k];
            char f[64];
            str_copy(f, name, sizeof f);
            err_at(e, t->label, row->line, col >= 0 ? col + 1 : 0, f);
            return rc;
        }
    if (!e->file[0]) err_at(e, t->label, row->line, 0, NULL);
    return rc;
}

/* What a header must name, for messages. */
static const char *looked_for(int format)
{
    return format == FMT_AIDDATA ? "AidData's 'AidData Record ID'"
           : format == FMT_AEI   ? "AEI's 'Year' and 'Quantity in Millions'"
                                 : "a native header with 'code' and 'stage', AidData's 'AidData "
                                   "Record ID', or AEI's 'Year' and 'Quantity in Millions'";
}

/* The same as a sheet: the row's cells put under the first sheet's columns
 * (the party column under the party column, whatever its name), the sheet
 * named in the reason. */
static int set_aside_sheet(struct tracker *t, const struct csv_row *row, int rc, struct err *e)
{
    char **f = xcalloc(t->nfirst + 1, sizeof *f);
    size_t *lens = xcalloc(t->nfirst + 1, sizeof *lens);
    char ds[16];
    snprintf(ds, sizeof ds, "Dataset %d", t->dataset);
    f[0] = ds;
    for (size_t i = 1; i < t->nfirst; i++) {
        int k = t->map[i];
        f[i] = k >= 0 && (size_t)k < row->nfields ? row->fields[k] : "";
        lens[i] = strlen(f[i]);
    }
    struct csv_row mapped = {f, lens, t->nfirst, row->line, NULL};
    rc = op_set_aside(t->c, &mapped, rc, t->label, &t->rejected, e);
    free(f);
    free(lens);
    return rc;
}

static int on_row(const struct csv_row *row, void *ctx, struct err *e)
{
    struct tracker *t = ctx;
    if (!t->nheader) {
        int f = header_format(row);
        if (f == FMT_AUTO || (t->format != FMT_AUTO && f != t->format)) {
            if (row->line < 20) return 0; /* title rows above the header */
            err_at(e, t->label, row->line, 0, NULL);
            return err_set(e, ERR_INPUT, "no header found in the first 20 rows (looked for %s)",
                           looked_for(t->format));
        }
        t->format = f;
        return take_header(t, row, e);
    }
    int blank = 1;
    for (size_t i = 0; i < row->nfields && blank; i++)
        blank = row->fields[i][strspn(row->fields[i], " \t")] == 0;
    if (blank) return 0;
    t->read++;
    struct rec *r = xcalloc(1, sizeof *r);
    for (int k = 0; k < K_COUNT; k++)
        r->col[k] = -1;
    int rc = 0;
    if (t->format == FMT_AIDDATA) {
        rc = aid_skip(t, row, e);
        if (rc == 1) {
            free(r);
            return 0;
        }
    }
    if (!rc) rc = t->format == FMT_AEI ? aei_row(t, row, r, e) : aid_row(t, row, r, e);
    if (!rc) rc = store(t, row, r, e);
    free(r);
    if (!rc) {
        t->stored++;
        return 0;
    }
    if (!t->c->rejects || !t->xlsx) return op_set_aside(t->c, row, rc, t->label, &t->rejected, e);
    return set_aside_sheet(t, row, rc, e);
}

/* ---- the file --------------------------------------------------------------------------- */

static int read_xlsx(struct tracker *t, const struct csv_src *src, const char *name,
                     struct err *e)
{
    if (t->format != FMT_AUTO && t->format != FMT_AEI) {
        err_at(e, name, 0, 0, "format");
        return err_set(e, ERR_INPUT,
                       "this is an .xlsx workbook: only the AEI tracker is read as one; save "
                       "the sheet as CSV (UTF-8) for the %s format",
                       fmt_names[t->format]);
    }
    struct xlsx *x;
    int rc = xlsx_open(src, &x, e);
    if (rc) return rc;
    int found = 0;
    for (int d = 1; !rc && d <= 3; d++) {
        char sheet[16];
        snprintf(sheet, sizeof sheet, "Dataset %d", d);
        int i = xlsx_find_sheet(x, sheet);
        if (i < 0) continue;
        found++;
        t->format = FMT_AEI;
        t->nheader = 0;
        for (size_t k = 0; k < t->nnames; k++)
            free(t->names[k]);
        free(t->names);
        t->names = NULL;
        t->nnames = 0;
        snprintf(t->label, sizeof t->label, "%s (%s)", name, sheet);
        t->expect = d;
        rc = xlsx_read_sheet(x, (size_t)i, t->c->max_row_bytes, on_row, t, e);
        if (!rc && !t->nheader) {
            err_at(e, t->label, 0, 0, NULL);
            rc = err_set(e, ERR_INPUT, "sheet '%s' has no header row (Year, Month, Investor, "
                                       "Quantity in Millions...)",
                         sheet);
        }
    }
    if (!rc && !found) {
        struct buf b = {.max = 400};
        for (size_t i = 0; i < xlsx_sheets(x); i++)
            buf_printf(&b, "%s'%s'", i ? ", " : "", xlsx_sheet_name(x, i));
        err_at(e, name, 0, 0, NULL);
        rc = err_set(e, ERR_INPUT,
                     "this workbook has none of the AEI tracker's sheets 'Dataset 1', 'Dataset "
                     "2', 'Dataset 3' (its sheets: %s)",
                     b.p ? b.p : "none");
        buf_free(&b);
    }
    xlsx_close(x);
    return rc;
}

/* Reads a native file through the 'invest add' operation's own import. */
static int read_native(struct tracker *t, const struct csv_src *src, struct err *e)
{
    struct op_call *a = &t->add;
    op_call_reset(a);
    a->rejects = t->c->rejects;
    a->max_rejects = t->c->max_rejects;
    a->max_row_bytes = t->c->max_row_bytes;
    a->progress = t->c->progress;
    a->dry_run = 0; /* the import's own transaction decides */
    int rc = op_import(a, src, e);
    t->format = FMT_NATIVE;
    t->read = (uint64_t)op_stat_get(a, "read");
    t->stored = (uint64_t)op_stat_get(a, "stored");
    t->rejected = (uint64_t)op_stat_get(a, "rejected");
    return rc;
}

static int is_zip(const struct csv_src *src)
{
    unsigned char head[4] = {0};
    if (src->data) return src->len >= 4 && memcmp(src->data, "PK\x03\x04", 4) == 0;
    FILE *f = fopen(src->path, "rb");
    size_t n = f ? fread(head, 1, 4, f) : 0;
    if (f) fclose(f);
    return n == 4 && memcmp(head, "PK\x03\x04", 4) == 0;
}

/* The first row of a CSV file: is it a native header? */
static int first_row(const struct csv_row *row, void *ctx, struct err *e)
{
    *(int *)ctx = header_format(row);
    return ERR_CONFLICT; /* stop reading */
}

static int read_file(struct tracker *t, const struct csv_src *src, const char *name,
                     struct err *e)
{
    if (is_zip(src)) return read_xlsx(t, src, name, e);
    struct csv_opts o = {.label = name, .encoding = INPUT_AUTO, .sniff = 1,
                         .max_row_bytes = t->c->max_row_bytes};
    int first = FMT_AUTO;
    if (t->format == FMT_AUTO) {
        struct err tmp = {0};
        int rc = csv_read(src, &o, first_row, &first, &tmp);
        if (rc && rc != ERR_CONFLICT) return *e = tmp, rc;
    }
    if (t->format == FMT_NATIVE || first == FMT_NATIVE) return read_native(t, src, e);
    o.progress = t->c->progress;
    int rc = csv_read(src, &o, on_row, t, e);
    if (!rc && !t->nheader) {
        err_at(e, name, 0, 0, NULL);
        rc = err_set(e, ERR_INPUT, "no header found (looked for %s)", looked_for(t->format));
    }
    return rc;
}

static void summary(const struct tracker *t, const char *name, char *out, size_t size)
{
    int n = snprintf(out, size,
                     "%s (%s): read %llu rows, stored %llu (%llu new, %llu revised, %llu "
                     "unchanged), %llu rejected",
                     name, fmt_names[t->format], (unsigned long long)t->read,
                     (unsigned long long)t->stored, (unsigned long long)t->fresh,
                     (unsigned long long)t->revised, (unsigned long long)t->unchanged,
                     (unsigned long long)t->rejected);
    if (t->format == FMT_NATIVE && n > 0 && (size_t)n < size)
        snprintf(out, size, "%s (native): read %llu rows, stored %llu, rejected %llu", name,
                 (unsigned long long)t->read, (unsigned long long)t->stored,
                 (unsigned long long)t->rejected);
    if (t->excluded && n > 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n,
                      "; %llu left out as AidData recommends (not for aggregates)",
                      (unsigned long long)t->excluded);
    if (t->regional && n > 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n, "; %llu regional (no one host country) left out",
                      (unsigned long long)t->regional);
    if (t->withdrawn && n > 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n,
                      "; %llu stored before and now left out, withdrawn",
                      (unsigned long long)t->withdrawn);
    if (t->unmapped && n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n,
                 "; %llu with a sector that maps to no ISIC section (kept as not stated)",
                 (unsigned long long)t->unmapped);
}

int inv_import(struct op_call *c, struct err *e)
{
    struct csv_src src = op_input(c);
    const char *name = src.label ? src.label : src.path;
    struct tracker t = {.c = c};
    for (int f = 0; f < 4; f++)
        if (strcmp(op_s(c, "format"), fmt_names[f]) == 0) t.format = f;
    t.xlsx = is_zip(&src);
    str_copy(t.label, name, sizeof t.label);
    char base[256];
    str_copy(base, name, sizeof base);
    t.file = basename(base);
    str_copy(t.source, op_has(c, "source") ? op_s(c, "source") : "", sizeof t.source);
    const struct op_cmd *add = op_find("invest", "add");
    op_call_init(&t.add, add->op);
    t.add.db = c->db;
    t.add.ref = c->ref;
    int rc = read_file(&t, &src, name, e);
    if (!rc && t.format == FMT_NATIVE && op_has(c, "source")) {
        err_at(e, name, 0, 0, "source");
        rc = err_set(e, ERR_USAGE, "a native file names the source of each row in its source "
                                   "column: --source is for the trackers' files");
    }
    op_call_free(&t.add);
    for (size_t k = 0; k < t.nnames; k++)
        free(t.names[k]);
    free(t.names);
    for (size_t k = 0; k < t.nfirst; k++)
        free(t.first[k]);
    free(t.first);
    free(t.map);
    free(t.seen);
    if (rc) return rc;
    summary(&t, name, c->done, sizeof c->done);
    op_stat(c, "read", (int64_t)t.read);
    op_stat(c, "stored", (int64_t)t.stored);
    op_stat(c, "new", (int64_t)t.fresh);
    op_stat(c, "revised", (int64_t)t.revised);
    op_stat(c, "unchanged", (int64_t)t.unchanged);
    op_stat(c, "rejected", (int64_t)t.rejected);
    op_stat(c, "not_for_aggregates", (int64_t)t.excluded);
    op_stat(c, "regional", (int64_t)t.regional);
    op_stat(c, "withdrawn", (int64_t)t.withdrawn);
    str_copy(c->id, t.file, sizeof c->id);
    return 0;
}
