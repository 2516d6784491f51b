/* stage.c — the rules of the investment area that need no database: the
 * stage machine (idea → announced → agreement signed → under construction →
 * commissioned, one step at a time; stalled or cancelled from any stage that
 * is not final; a stalled project resumes where it stopped or one step on),
 * the amounts as the trackers write them, and the ISIC Rev. 4 sections with
 * the mapping from the trackers' sectors. */
#include "invest.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

static const char *const names[INV_NSTAGES] = {
    "idea", "announced", "signed", "construction", "commissioned", "stalled", "cancelled"};
static const char *const labels[INV_NSTAGES] = {
    N_("idea"),         N_("announced"), N_("agreement signed"), N_("under construction"),
    N_("commissioned"), N_("stalled"),   N_("cancelled")};

void inv_today(char out[11])
{
    date_from_days((long)((time(NULL) + 14 * 3600) / 86400), out);
}

int inv_stage_parse(const char *s)
{
    for (int i = 0; s && i < INV_NSTAGES; i++)
        if (str_ieq(s, names[i]) || str_ieq(s, labels[i])) return i;
    return -1;
}

const char *inv_stage_name(int s)
{
    return s >= 0 && s < INV_NSTAGES ? names[s] : "?";
}

const char *inv_stage_label(int s)
{
    return s >= 0 && s < INV_NSTAGES ? labels[s] : "?";
}

int inv_stage_allowed(int from, int resume, int to)
{
    if (to < 0 || to >= INV_NSTAGES || from == to) return 0;
    switch (from) {
    case INV_COMMISSIONED:
    case INV_CANCELLED:
        return 0;
    case INV_STALLED:
        if (resume < INV_IDEA || resume > INV_CONSTRUCTION) resume = INV_IDEA;
        return to == resume || to == resume + 1 || to == INV_CANCELLED;
    default:
        return to == from + 1 || to == INV_STALLED || to == INV_CANCELLED;
    }
}

const char *inv_stage_moves(int from, int resume, char *out, size_t size)
{
    if (from == INV_COMMISSIONED || from == INV_CANCELLED) {
        snprintf(out, size, "none: %s is final", labels[from]);
        return out;
    }
    int ok[INV_NSTAGES], n = 0;
    for (int to = 0; to < INV_NSTAGES; to++)
        if (inv_stage_allowed(from, resume, to)) ok[n++] = to;
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < n && k < size; i++) {
        const char *sep = i == 0 ? "" : i == n - 1 ? " or " : ", ";
        int w = snprintf(out + k, size - k, "%s%s", sep, names[ok[i]]);
        if (w < 0) break;
        k += (size_t)w;
    }
    return out;
}

/* ---- amounts ---------------------------------------------------------------------- */

/* s without blanks, tabs, no-break spaces (UTF-8 C2 A0) and dollar signs. */
static int squeeze(const char *s, char *out, size_t size)
{
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '$' || *p == '\r' || *p == '\n') continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) {
            p++;
            continue;
        }
        if (k + 1 >= size) return -1;
        out[k++] = (char)*p;
    }
    out[k] = 0;
    return 0;
}

int inv_parse_aei_millions(const char *s, int number, int64_t *cents, struct err *e)
{
    char t[64];
    if (!s || squeeze(s, t, sizeof t) || !t[0])
        return err_set(e, ERR_INPUT, "no amount (whole US$ millions) in '%.40s'", s ? s : "");
    if (number) { /* a number cell: millions, exactly */
        if (t[0] == '-' || dec_parse(t, 8, cents, e))
            return err_set(e, ERR_INPUT, "'%.40s' is not an amount in US$ millions", s);
        return 0;
    }
    /* the CSV export: digits in groups of three after "." or "," */
    char sep = 0, digits[40];
    size_t nd = 0, group = 0;
    for (const char *p = t; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (nd + 1 >= sizeof digits) return err_set(e, ERR_INPUT, "'%.40s' is too large", s);
            digits[nd++] = *p;
            group++;
            continue;
        }
        if ((*p != '.' && *p != ',') || (sep && *p != sep) || group == 0 || (sep && group != 3) ||
            (!sep && group > 3))
            return err_set(e, ERR_INPUT,
                           "'%.40s' is not an amount in whole US$ millions (such as $ 1.890, "
                           "where '.' separates thousands)",
                           s);
        sep = *p;
        group = 0;
    }
    if (!nd || (sep && group != 3))
        return err_set(e, ERR_INPUT,
                       "'%.40s' is not an amount in whole US$ millions (after '%c' come three "
                       "digits: thousands, not decimals)",
                       s, sep ? sep : '.');
    digits[nd] = 0;
    long m = 0;
    if (nd > 9 || int_parse(digits, 0, 999999999, &m, e))
        return err_set(e, ERR_INPUT, "'%.40s' is too large for US$ millions", s);
    *cents = (int64_t)m * 100000000;
    return 0;
}

int inv_parse_share(const char *s, int64_t *bp, int *has, struct err *e)
{
    char t[64];
    *has = 0;
    if (!s) return 0;
    if (squeeze(s, t, sizeof t)) return err_set(e, ERR_INPUT, "the share is too long");
    if (!t[0]) return 0;
    size_t n = strlen(t);
    int pct = t[n - 1] == '%';
    if (pct) t[n - 1] = 0;
    int64_t v;
    if (dec_parse(t, pct ? 2 : 4, &v, e) || v < 0 || v > 10000)
        return err_set(e, ERR_INPUT,
                       "'%.40s' is not a share: a fraction from 0 to 1 (0.51) or a percentage "
                       "(51%%)",
                       s);
    *bp = v;
    *has = 1;
    return 0;
}

int inv_parse_amount(const char *s, int64_t *hundredths, struct err *e)
{
    char t[64];
    if (!s || squeeze(s, t, sizeof t) || !t[0])
        return err_set(e, ERR_INPUT, "no amount in '%.40s'", s ? s : "");
    if (t[0] == '-') return err_set(e, ERR_INPUT, "'%.40s' is negative", s);
    /* one comma and no point: a decimal comma ("1234,50"), unless three digits
       follow it, which read as thousands too ("1,500") */
    char *comma = strchr(t, ',');
    if (comma && !strchr(t, '.') && !strchr(comma + 1, ',') && strlen(comma + 1) != 3) *comma = '.';
    if (strchr(t, ','))
        return err_set(e, ERR_INPUT,
                       "'%.40s' reads two ways: write the amount without thousands separators", s);
    return dec_parse(t, 2, hundredths, e) ? err_set(e, ERR_INPUT, "'%.40s' is not an amount", s)
                                          : 0;
}

/* ---- sectors ---------------------------------------------------------------------- */

static const char *const isic[][2] = {
    {"A", N_("Agriculture, forestry and fishing")},
    {"B", N_("Mining and quarrying")},
    {"C", N_("Manufacturing")},
    {"D", N_("Electricity, gas, steam and air conditioning supply")},
    {"E", N_("Water supply; sewerage, waste management and remediation")},
    {"F", N_("Construction")},
    {"G", N_("Wholesale and retail trade")},
    {"H", N_("Transportation and storage")},
    {"I", N_("Accommodation and food service activities")},
    {"J", N_("Information and communication")},
    {"K", N_("Financial and insurance activities")},
    {"L", N_("Real estate activities")},
    {"M", N_("Professional, scientific and technical activities")},
    {"N", N_("Administrative and support service activities")},
    {"O", N_("Public administration and defence")},
    {"P", N_("Education")},
    {"Q", N_("Human health and social work activities")},
    {"R", N_("Arts, entertainment and recreation")},
    {"S", N_("Other service activities")},
    {"T", N_("Activities of households as employers")},
    {"U", N_("Activities of extraterritorial organizations")},
};
#define NISIC (sizeof isic / sizeof isic[0])

const char *inv_sector_name(const char *letter)
{
    for (size_t i = 0; letter && i < NISIC; i++)
        if (str_ieq(letter, isic[i][0])) return T(isic[i][1]);
    return NULL;
}

/* tracker, sector, subsector ("*": any), ISIC section ("": not stated). The
 * first match wins, so subsectors come before their sector's default. */
static const char *const sector_map[][4] = {
    {"aei", "Agriculture", "*", "A"},
    {"aei", "Chemicals", "*", "C"},
    {"aei", "Energy", "Oil", "B"},
    {"aei", "Energy", "Gas", "B"},
    {"aei", "Energy", "Coal", "B"},
    {"aei", "Energy", "*", "D"},
    {"aei", "Entertainment", "*", "R"},
    {"aei", "Finance", "*", "K"},
    {"aei", "Health", "*", "Q"},
    {"aei", "Logistics", "*", "H"},
    {"aei", "Metals", "Steel", "C"},
    {"aei", "Metals", "Aluminum", "C"},
    {"aei", "Metals", "*", "B"},
    {"aei", "Other", "*", ""},
    {"aei", "Real estate", "Construction", "F"},
    {"aei", "Real estate", "*", "L"},
    {"aei", "Technology", "*", "J"},
    {"aei", "Tourism", "*", "I"},
    {"aei", "Transport", "Autos", "C"},
    {"aei", "Transport", "*", "H"},
    {"aei", "Utilities", "*", "E"},
    {"aiddata", "AGRICULTURE, FORESTRY, FISHING", "*", "A"},
    {"aiddata", "INDUSTRY, MINING, CONSTRUCTION", "*", "C"},
    {"aiddata", "ENERGY", "*", "D"},
    {"aiddata", "TRANSPORT AND STORAGE", "*", "H"},
    {"aiddata", "COMMUNICATIONS", "*", "J"},
    {"aiddata", "BANKING AND FINANCIAL SERVICES", "*", "K"},
    {"aiddata", "BUSINESS AND OTHER SERVICES", "*", "N"},
    {"aiddata", "EDUCATION", "*", "P"},
    {"aiddata", "HEALTH", "*", "Q"},
    {"aiddata", "POPULATION POLICIES/PROGRAMMES AND REPRODUCTIVE HEALTH", "*", "Q"},
    {"aiddata", "WATER SUPPLY AND SANITATION", "*", "E"},
    {"aiddata", "GENERAL ENVIRONMENTAL PROTECTION", "*", "E"},
    {"aiddata", "GOVERNMENT AND CIVIL SOCIETY", "*", "O"},
    {"aiddata", "TRADE POLICIES AND REGULATIONS", "*", "O"},
    {"aiddata", "GENERAL BUDGET SUPPORT", "*", "O"},
    {"aiddata", "ACTION RELATING TO DEBT", "*", "K"},
    {"aiddata", "IMPORT SUPPORT (CAPITAL GOODS)", "*", "G"},
    {"aiddata", "IMPORT SUPPORT (COMMODITIES)", "*", "G"},
    {"aiddata", "OTHER SOCIAL INFRASTRUCTURE AND SERVICES", "*", "S"},
    {"aiddata", "DEVELOPMENTAL FOOD AID/FOOD SECURITY ASSISTANCE", "*", ""},
    {"aiddata", "EMERGENCY RESPONSE", "*", ""},
    {"aiddata", "OTHER MULTISECTOR", "*", ""},
    {"aiddata", "UNALLOCATED/UNSPECIFIED", "*", ""},
};

const char *inv_sector_map(const char *tracker, const char *sector, const char *subsector)
{
    char s[128], sub[128];
    if (str_trim_copy(s, sizeof s, sector) || str_trim_copy(sub, sizeof sub, subsector))
        return NULL;
    for (size_t i = 0; i < sizeof sector_map / sizeof sector_map[0]; i++) {
        const char *const *m = sector_map[i];
        if (strcmp(m[0], tracker) == 0 && str_ieq(m[1], s) &&
            (strcmp(m[2], "*") == 0 || str_ieq(m[2], sub)))
            return m[3];
    }
    return NULL;
}

int inv_sectors_list(struct table **out, struct err *e)
{
    struct table *t = table_new("sectors", N_("Sectors (ISIC Rev. 4 sections) and the trackers' "
                                              "sectors that map to them"));
    table_col(t, "sector", COL_TEXT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "aei", COL_TEXT, NULL, 0);
    table_col(t, "aiddata", COL_TEXT, NULL, 0);
    for (size_t i = 0; i < NISIC; i++) {
        struct buf a = {0}, d = {0};
        for (size_t k = 0; k < sizeof sector_map / sizeof sector_map[0]; k++) {
            const char *const *m = sector_map[k];
            if (strcmp(m[3], isic[i][0]) != 0) continue;
            struct buf *b = strcmp(m[0], "aei") == 0 ? &a : &d;
            buf_printf(b, "%s%s%s%s", b->len ? "; " : "", m[1], strcmp(m[2], "*") ? "/" : "",
                       strcmp(m[2], "*") ? m[2] : "");
        }
        size_t r = table_add_row(t);
        table_set_text(t, r, 0, isic[i][0]);
        table_set_text(t, r, 1, isic[i][1]);
        table_set_text(t, r, 2, a.p ? a.p : "");
        table_set_text(t, r, 3, d.p ? d.p : "");
        buf_free(&a);
        buf_free(&d);
    }
    table_note(t, TF("Tracker sectors mapped to no section (AEI's Other; AidData's multisector, "
                     "unallocated, emergency and food aid) are stored as not stated, the "
                     "tracker's own sector kept as the subsector."));
    (void)e;
    *out = t;
    return 0;
}
