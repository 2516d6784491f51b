/* json.c — the raw text of a JSON object's values. jansson parses and
 * checks every document corridor reads, but it turns numbers into doubles,
 * and money must arrive exactly: this finds, in a document jansson has
 * already accepted, the span of each member's value so that a number is
 * read from its digits. It is a scanner of spans, not a parser: it trusts
 * the grammar jansson checked. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* Past a string starting at its opening quote. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++)
        if (*p == '\\') p++;
    return p < end ? p + 1 : end;
}

/* Past one value of any kind. */
static const char *skip_value(const char *p, const char *end)
{
    if (p >= end) return end;
    if (*p == '"') return skip_string(p, end);
    if (*p != '{' && *p != '[') {
        while (p < end && !strchr(",}] \t\r\n", *p))
            p++;
        return p;
    }
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            p = skip_string(p, end);
            continue;
        }
        if (*p == '{' || *p == '[') depth++;
        if (*p == '}' || *p == ']') depth--;
        p++;
        if (!depth) break;
    }
    return p;
}

int json_raw_values(const char *text, size_t len, char **values, int max)
{
    const char *p = text, *end = text + len;
    if (memchr(text, 0, len)) return -1; /* no JSON text holds a NUL byte */
    p = skip_ws(p, end);
    if (p >= end || *p != '{') return -1;
    p = skip_ws(p + 1, end);
    int n = 0;
    while (p < end && *p == '"') {
        p = skip_string(p, end);
        p = skip_ws(p, end);
        if (p >= end || *p != ':') return -1;
        p = skip_ws(p + 1, end);
        const char *v = p;
        p = skip_value(p, end);
        if (n < max) {
            values[n] = xmalloc((size_t)(p - v) + 1);
            memcpy(values[n], v, (size_t)(p - v));
            values[n][p - v] = 0;
        }
        n++;
        p = skip_ws(p, end);
        if (p < end && *p == ',') p = skip_ws(p + 1, end);
    }
    return n;
}
