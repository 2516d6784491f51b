/* i18n.c — the four languages of corridor's people (English, Russian,
 * Kazakh, Chinese) through GNU gettext. English is the source language;
 * po/LL.po holds each translation, compiled by msgfmt into
 * locale/corridor/LC_MESSAGES/corridor-LL.mo beside the binary (or under
 * $CORRIDOR_LOCALEDIR).
 *
 * The language is chosen per thread (one request, or the command line), so
 * one server answers each request in its own language. gettext picks its
 * catalogue from the process locale, which is one for all threads; so each
 * language has its own text domain (corridor-ru...), all found under the
 * one language directory "corridor" that LANGUAGE names, and T() asks the
 * domain of the thread's language with dgettext(). */
#include "base.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <unistd.h>

static const char *const langs[I18N_NLANGS] = {"en", "ru", "kk", "zh"};
static const char *const domains[I18N_NLANGS] = {NULL, "corridor-ru", "corridor-kk", "corridor-zh"};
static _Thread_local int current;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;

/* The directory holding corridor/LC_MESSAGES/corridor-LL.mo: $CORRIDOR_LOCALEDIR, else
 * "locale" beside the binary or one level up (build/asan/corridor). */
static int find_dir(char *out, size_t size)
{
    const char *env = getenv("CORRIDOR_LOCALEDIR");
    if (env && *env) return snprintf(out, size, "%s", env) < (int)size;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = 0;
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash) return 0;
        *slash = 0;
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/locale/corridor/LC_MESSAGES/corridor-ru.mo", exe);
        if (access(probe, R_OK) == 0) return snprintf(out, size, "%s/locale", exe) < (int)size;
    }
    return 0;
}

static void init(void)
{
    char dir[PATH_MAX];
    if (!find_dir(dir, sizeof dir)) return;
    /* C.UTF-8 is built into glibc; gettext ignores LANGUAGE only under "C" */
    if (!setlocale(LC_MESSAGES, "C.UTF-8")) return;
    setenv("LANGUAGE", "corridor", 1);
    for (int i = 1; i < I18N_NLANGS; i++) {
        bindtextdomain(domains[i], dir);
        bind_textdomain_codeset(domains[i], "UTF-8");
    }
    ready = 1;
}

int i18n_ready(void)
{
    pthread_once(&once, init);
    return ready;
}

int i18n_lang_index(const char *s)
{
    if (!s) return -1;
    for (int i = 0; i < I18N_NLANGS; i++) {
        size_t n = strlen(langs[i]);
        if (strncasecmp(s, langs[i], n) == 0 && (s[n] == 0 || s[n] == '-' || s[n] == '_')) return i;
    }
    return -1;
}

const char *i18n_lang_code(int i)
{
    return i >= 0 && i < I18N_NLANGS ? langs[i] : "en";
}

void i18n_set(const char *lang)
{
    int i = i18n_lang_index(lang);
    /* without the catalogues, English throughout: no Russian numbers under
     * English words */
    current = i < 0 || !i18n_ready() ? 0 : i;
}

const char *i18n_lang(void)
{
    return langs[current];
}

/* A message with a context ("money\004Value") untranslated: the words
 * after the context. */
static const char *bare(const char *s)
{
    const char *eot = s ? strchr(s, '\004') : NULL;
    return eot ? eot + 1 : s;
}

const char *T(const char *s)
{
    if (!current || !s || !*s || !i18n_ready()) return bare(s);
    return bare(dgettext(domains[current], s));
}

const char *T_in(const char *context, const char *s)
{
    char key[256];
    if (!current) return s; /* English: no key to build for each cell */
    if (!s || !*s || snprintf(key, sizeof key, "%s\004%s", context, s) >= (int)sizeof key)
        return T(s);
    const char *r = T(key);
    /* no translation in this context: the word's general one */
    return strcmp(r, s) == 0 ? T(s) : r;
}

/* A q-value as the standard writes it: 0 to 1 with up to three decimals;
 * -1 when it is not one. */
static double qvalue(const char *s)
{
    while (*s == ' ')
        s++;
    if ((s[0] != '0' && s[0] != '1') || (s[1] && s[1] != '.' && s[1] != ' ')) return -1;
    double q = s[0] - '0', scale = 0.1;
    int digits = 0;
    for (const char *p = s[1] == '.' ? s + 2 : s + 1; *p && *p != ' '; p++, scale /= 10) {
        if (!isdigit((unsigned char)*p) || ++digits > 3) return -1;
        q += (*p - '0') * scale;
    }
    return q > 1 ? -1 : q;
}

const char *i18n_accept(const char *header)
{
    int best = -1;
    double bestq = 0;
    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        char item[64];
        int fits = len < sizeof item; /* a longer item is no language of ours: skipped */
        snprintf(item, sizeof item, "%.*s", fits ? (int)len : 0, p);
        p += len;
        double q = 1;
        char *semi = strchr(item, ';');
        if (semi) {
            *semi = 0;
            const char *qs = strstr(semi + 1, "q=");
            if (!qs) qs = strstr(semi + 1, "Q=");
            q = qs ? qvalue(qs + 2) : 1;
        }
        for (size_t n = strlen(item); n && (item[n - 1] == ' ' || item[n - 1] == '\t');
             n--) /* "ru ;q=0.9" */
            item[n - 1] = 0;
        int i = fits ? i18n_lang_index(item) : -1;
        if (i >= 0 && q > bestq) best = i, bestq = q;
    }
    return best < 0 ? NULL : langs[best];
}

const char *i18n_number(const char *en, char *out, size_t size)
{
    int comma = current == 1 || current == 2; /* ru, kk: 31 500,5 */
    size_t k = 0;
    for (const char *p = en; *p && k + 3 < size; p++) {
        if (comma && *p == ',') { /* a group: a no-break space (U+00A0) */
            out[k++] = (char)0xC2;
            out[k++] = (char)0xA0;
        } else {
            out[k++] = comma && *p == '.' ? ',' : *p;
        }
    }
    out[k] = 0;
    return out;
}

const char *i18n_decimal(double v, int decimals, char *out, size_t size)
{
    char en[64];
    snprintf(en, sizeof en, "%.*f", decimals, v);
    return i18n_number(en, out, size);
}

/* The length of a number written the English way at s (1,234,567.5 or
 * 12.5; a run of plain digits too), or 0 when s holds none, or one that is
 * part of something else (a date, a code with letters, 127.0.0.1). */
static size_t english_number(const char *s)
{
#define D(c) isdigit((unsigned char)(c))
    size_t k = 0;
    while (D(s[k]))
        k++;
    if (!k) return 0;
    if (k <= 3) /* groups of three after a lead of at most three */
        while (s[k] == ',' && D(s[k + 1]) && D(s[k + 2]) && D(s[k + 3]) && !D(s[k + 4]))
            k += 4;
    if (s[k] == '.' && D(s[k + 1]))
        for (k++; D(s[k]); k++)
            ;
    if (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '/' ||
        ((s[k] == '.' || s[k] == ',') && D(s[k + 1])))
        return 0; /* a date, a code, an address: not a number for people */
    return k;
#undef D
}

const char *i18n_numbers_in(const char *text, char *out, size_t size)
{
    if (current == 0 || current == 3) return text; /* en, zh: 31,500.5 */
    size_t k = 0;
    for (const char *p = text; *p && k + 8 < size;) {
        int start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == ',' ||
                                   p[-1] == '-' || p[-1] == '/');
        size_t n = start ? english_number(p) : 0;
        if (n && memchr(p, ',', n) == NULL && memchr(p, '.', n) == NULL) n = 0;
        if (!n) {
            out[k++] = *p++;
            continue;
        }
        char num[64], local[96];
        snprintf(num, sizeof num, "%.*s", (int)(n < 63 ? n : 63), p);
        i18n_number(num, local, sizeof local);
        size_t len = strlen(local);
        if (k + len + 1 >= size) break;
        memcpy(out + k, local, len);
        k += len, p += n;
    }
    out[k] = 0;
    str_utf8_fix(out); /* a text longer than out ends at a character's edge */
    return out;
}
