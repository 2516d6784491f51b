/* buf.c — the capped growable buffer, allocation wrappers and the small
 * string helpers (case-insensitive compare, trim, UTF-8 check, edit distance)
 * used across corridor. */
#include "base.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("corridor: out of memory\n", stderr);
        abort(); /* memory exhaustion, never bad input */
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("corridor: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("corridor: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *xstrdup(const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

int buf_append(struct buf *b, const void *data, size_t n)
{
    size_t max = b->max ? b->max : (size_t)1 << 30;
    if (b->len + n + 1 > max) return ERR_LIMIT;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > max) cap = max;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return ERR_INTERNAL;
    if ((size_t)n < sizeof small) return buf_append(b, small, (size_t)n);
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = buf_append(b, big, (size_t)n);
    free(big);
    return rc;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void buf_free(struct buf *b)
{
    if (!b) return;
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

unsigned str_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

char *str_copy(char *dst, const char *src, size_t size)
{
    if (!size) return dst;
    size_t n = src ? strlen(src) : 0;
    if (n >= size) { /* cut, at a character's edge */
        n = size - 1;
        while (n && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n) memcpy(dst, src, n);
    dst[n] = 0;
    return dst;
}

int str_ieq(const char *a, const char *b)
{
    if (!a || !b) return a == b;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
        a++, b++;
    }
    return *a == *b;
}

char *str_trim(char *s)
{
    if (!s) return s;
    char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    size_t n = strlen(p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
        n--;
    memmove(s, p, n);
    s[n] = 0;
    return s;
}

int str_trim_copy(char *out, size_t size, const char *s)
{
    s = s ? s : "";
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= size) return -1;
    memcpy(out, s, n);
    out[n] = 0;
    return 0;
}

char *str_upper(char *s)
{
    for (char *p = s; p && *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

int str_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p++;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t') || c == 0x7F) return 0;
            continue;
        }
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
        if (more < 0 || c > 0xF4 || end - p < more) return 0;
        unsigned cp = c & (0x3F >> more);
        for (int i = 0; i < more; i++) {
            if ((p[i] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        /* RFC 3629: the shortest form, no surrogates, nothing past U+10FFFF;
         * and no C1 control characters */
        static const unsigned least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[more] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ||
            (cp >= 0x80 && cp <= 0x9F))
            return 0;
        p += more;
    }
    return 1;
}

char *str_utf8_clean(const char *s)
{
    size_t n = strlen(s);
    if (str_valid_utf8(s, n)) return xstrdup(s);
    struct buf b = {0};
    for (size_t i = 0; i < n;) {
        /* the longest valid sequence from here, else U+FFFD for one byte */
        size_t k = 4;
        while (k > 1 && (i + k > n || !str_valid_utf8(s + i, k)))
            k--;
        if (str_valid_utf8(s + i, k))
            buf_append(&b, s + i, k);
        else
            buf_puts(&b, "\xEF\xBF\xBD");
        i += k;
    }
    return b.p ? b.p : xstrdup("");
}

void str_utf8_fix(char *s)
{
    size_t n = strlen(s), o = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x80) { /* ASCII: keep blanks and line ends, mark other controls */
            s[o++] = c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : (char)c;
            i++;
            continue;
        }
        size_t k = 4;
        while (k > 1 && (i + k > n || !str_valid_utf8(s + i, k)))
            k--;
        if (k > 1 || str_valid_utf8(s + i, 1)) {
            memmove(s + o, s + i, k);
            o += k, i += k;
            continue;
        }
        /* a sequence cut at the end goes; any other bad byte becomes '?' */
        size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (want && i + want > n) break;
        s[o++] = '?', i++;
    }
    s[o] = 0;
}

int str_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = prev + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb] > 99 ? 99 : row[lb];
}

int str_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, item, n) == 0) return 1;
        p += k + (p[k] != 0);
    }
    return 0;
}

int str_list_prefix(const char *list, const char *s)
{
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k && strncmp(s, p, k) == 0) return 1;
        p += k + (p[k] != 0);
    }
    return 0;
}

size_t str_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        w++;
        if ((*p & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            unsigned cp = ((*p & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
            if ((cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6))
                w++;
        }
    }
    return w;
}

const char *str_clip(const char *s, size_t width, char *out, size_t size)
{
    if (str_width(s) <= width || width < 2) return s;
    size_t k = 0, w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        char ch[5] = {0};
        for (size_t i = 0; i < len; i++)
            if (!(ch[i] = (char)p[i])) return s; /* a cut sequence: leave it be */
        size_t cw = str_width(ch);
        if (w + cw > width - 1 || k + len + 4 > size) break;
        memcpy(out + k, p, len);
        k += len, w += cw, p += len;
    }
    memcpy(out + k, "\xE2\x80\xA6", 4); /* "…" and the terminating NUL */
    return out;
}
