/* jsonrec.c — a streaming reader of the records in a JSON document, such as
 * the answers of statistics APIs: {"count": 4, "data": [{...}, {...}]}. It
 * checks the whole grammar (RFC 8259) as bytes arrive, in bounded memory
 * whatever the document's size, and hands over each flat object of the
 * records array with its members as text: strings decoded, numbers as the
 * digits written (never through double), null as empty. Scalars outside the
 * records (a count, an error message, a validation status) go to a second
 * callback by their dotted path. Every refusal names the line and column. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 64
#define KEY_MAX 256
#define MEMBERS_MAX 512

enum role { R_SKIP, R_ROOT, R_META, R_RECORDS, R_RECORD };

enum state {
    S_VALUE,     /* a value is due */
    S_ARR_FIRST, /* after '[': a value or ']' */
    S_OBJ_FIRST, /* after '{': a key or '}' */
    S_OBJ_KEY,   /* after ',' in an object: a key */
    S_COLON,     /* after a key */
    S_AFTER,     /* after a value: ',' or the closing bracket */
    S_END,       /* after the document: blanks only */
    S_STRING,    /* inside a string */
    S_ESC,       /* after a backslash */
    S_HEX,       /* inside \uXXXX */
    S_NUMBER,    /* inside a number */
    S_LITERAL,   /* inside true, false or null */
};

struct frame {
    char type; /* '{' or '[' */
    char role;
    char key[KEY_MAX]; /* objects: the member being read */
};

struct jrec_reader {
    struct jrec_opts o;
    jrec_fn fn;
    void *ctx;
    struct err *e;
    long line, col;
    long tok_line, tok_col; /* where the token being read starts */
    enum state state;
    int rc, is_key, top_seen, found;
    struct frame stack[DEPTH_MAX];
    int depth;
    struct buf tok; /* the string, number or literal being read */
    unsigned hex, hex_digits, high;
    const char *literal;
    /* the record being read */
    struct buf rec;
    size_t koff[MEMBERS_MAX], voff[MEMBERS_MAX];
    unsigned char kinds[MEMBERS_MAX];
    size_t n;
    long rec_line;
    uint64_t records;
};

static int fail(struct jrec_reader *r, const char *fmt, const char *arg)
{
    if (r->rc) return r->rc;
    err_at(r->e, r->o.label, r->line, (int)r->col, NULL);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    return r->rc = err_set(r->e, ERR_INPUT, "%s", msg);
}

static struct frame *top(struct jrec_reader *r)
{
    return r->depth ? &r->stack[r->depth - 1] : NULL;
}

static int is_records_key(const struct jrec_reader *r, const char *key)
{
    for (const char *const *a = r->o.arrays; a && *a; a++)
        if (strcmp(*a, key) == 0) return 1;
    return 0;
}

/* "validation.status.name": the keys from the root to the member. */
static void meta_path(const struct jrec_reader *r, char *out, size_t size)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < r->depth && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "." : "", r->stack[i].key);
}

/* Refuses the token being read, where it starts. */
static int bad_token(struct jrec_reader *r, const char *fmt, const char *t)
{
    r->line = r->tok_line;
    r->col = r->tok_col;
    return fail(r, fmt, t);
}

static int record_add(struct jrec_reader *r, const char *key, const char *val, size_t len, int kind)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)r->records + 1);
    if (r->n == MEMBERS_MAX) return bad_token(r, "record %s has more than 512 members", num);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rec.p + r->koff[i], key) == 0)
            return bad_token(r, "a record names '%s' twice", key);
    r->koff[r->n] = r->rec.len;
    if (buf_append(&r->rec, key, strlen(key) + 1)) goto big;
    r->voff[r->n] = r->rec.len;
    if (buf_append(&r->rec, val, len) || buf_append(&r->rec, "", 1)) goto big;
    r->kinds[r->n++] = (unsigned char)kind;
    return 0;
big:
    return fail(r, "record %s is larger than the limit", num);
}

static int record_done(struct jrec_reader *r)
{
    const char *keys[MEMBERS_MAX], *vals[MEMBERS_MAX];
    for (size_t i = 0; i < r->n; i++) {
        keys[i] = r->rec.p + r->koff[i];
        vals[i] = r->rec.p + r->voff[i];
    }
    struct jrec rec = {keys, vals, r->kinds, r->n, r->rec_line, ++r->records};
    int rc = r->fn(&rec, r->ctx, r->e);
    r->n = 0;
    buf_reset(&r->rec);
    return rc ? (r->rc = rc) : 0;
}

/* A scalar value is complete: hand it to whoever wants it. */
static int on_scalar(struct jrec_reader *r, int kind)
{
    struct frame *f = top(r);
    const char *v = r->tok.p ? r->tok.p : "";
    size_t len = r->tok.len;
    if (!f) return fail(r, "the document is a single value, not an object or an array%s", NULL);
    char path[KEY_MAX * 4];
    switch (f->role) {
    case R_ROOT:
    case R_META:
        if (r->o.meta) {
            meta_path(r, path, sizeof path);
            int rc = r->o.meta(path, v, kind, r->ctx, r->e);
            if (rc) return r->rc = rc;
        }
        return 0;
    case R_RECORD:
        return record_add(r, f->key, v, len, kind);
    case R_RECORDS: {
        char num[24];
        snprintf(num, sizeof num, "%llu", (unsigned long long)r->records + 1);
        return bad_token(r, "record %s is not an object", num);
    }
    default:
        return 0;
    }
}

static int open_container(struct jrec_reader *r, char type)
{
    struct frame *p = top(r);
    if (r->depth == DEPTH_MAX) return fail(r, "nested more than 64 deep%s", NULL);
    int role = R_SKIP;
    if (!p) {
        role = type == '{' ? R_ROOT : R_RECORDS;
        r->top_seen = 1;
    } else if (p->role == R_ROOT) {
        role = type == '[' && is_records_key(r, p->key) ? R_RECORDS : type == '{' ? R_META : R_SKIP;
    } else if (p->role == R_META) {
        role = type == '{' && r->depth < 4 ? R_META : R_SKIP;
    } else if (p->role == R_RECORDS) {
        char num[24];
        snprintf(num, sizeof num, "%llu", (unsigned long long)r->records + 1);
        if (type != '{') return fail(r, "record %s is not an object", num);
        role = R_RECORD;
        r->rec_line = r->line;
    } else if (p->role == R_RECORD) {
        return fail(r, "the member '%s' of a record holds an object or array: records must be flat",
                    p->key);
    }
    if (role == R_RECORDS && r->found)
        return fail(r, "a second array of records: which one is meant?%s", NULL);
    if (role == R_RECORDS) r->found = 1;
    struct frame *f = &r->stack[r->depth++];
    f->type = type;
    f->role = (char)role;
    f->key[0] = 0;
    r->state = type == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
    return 0;
}

static int close_container(struct jrec_reader *r, char type)
{
    struct frame *f = top(r);
    if (!f || f->type != (type == '}' ? '{' : '['))
        return fail(r, "'%s' closes nothing that is open", type == '}' ? "}" : "]");
    int rc = f->role == R_RECORD ? record_done(r) : 0;
    r->depth--;
    r->state = r->depth ? S_AFTER : S_END;
    return rc;
}

/* The end of a value: where does the reader go next? */
static void after_value(struct jrec_reader *r)
{
    r->state = r->depth ? S_AFTER : S_END;
}

static int string_done(struct jrec_reader *r)
{
    if (r->is_key) {
        struct frame *f = top(r);
        if (r->tok.len >= KEY_MAX) return fail(r, "a key is longer than 255 bytes%s", NULL);
        memcpy(f->key, r->tok.p ? r->tok.p : "", r->tok.len + 1);
        r->state = S_COLON;
        return 0;
    }
    int rc = on_scalar(r, JV_STRING);
    after_value(r);
    return rc;
}

static int put_cp(struct jrec_reader *r, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
    else
        u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
    if (cp == 0) return fail(r, "a string holds a NUL character (\\u0000)%s", NULL);
    return buf_append(&r->tok, u, n) ? fail(r, "a string is longer than the limit%s", NULL) : 0;
}

static int hex_done(struct jrec_reader *r)
{
    unsigned cp = r->hex;
    r->state = S_STRING;
    if (r->high) {
        unsigned hi = r->high;
        r->high = 0;
        if (cp < 0xDC00 || cp > 0xDFFF)
            return fail(r, "a \\u escape opens a surrogate pair it does not close%s", NULL);
        return put_cp(r, 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00));
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        r->high = cp;
        return 0;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(r, "a \\u escape is a lone surrogate%s", NULL);
    return put_cp(r, cp);
}

static int in_string(struct jrec_reader *r, unsigned char c)
{
    if (r->high && r->state == S_STRING && c != '\\')
        return fail(r, "a \\u escape opens a surrogate pair it does not close%s", NULL);
    if (r->state == S_ESC) {
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *k = c ? strchr(from, c) : NULL;
        if (c == 'u') {
            r->state = S_HEX;
            r->hex = r->hex_digits = 0;
            return 0;
        }
        if (!k) return fail(r, "'\\%s' is not an escape JSON knows", (char[]){(char)c, 0});
        if (r->high)
            return fail(r, "a \\u escape opens a surrogate pair it does not close%s", NULL);
        r->state = S_STRING;
        return buf_append(&r->tok, &to[k - from], 1) ? fail(r, "a string is too long%s", NULL) : 0;
    }
    if (r->state == S_HEX) {
        int v = c >= '0' && c <= '9'                 ? c - '0'
                : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 87
                                                     : -1;
        if (v < 0) return fail(r, "a \\u escape needs four hexadecimal digits%s", NULL);
        r->hex = r->hex * 16 + (unsigned)v;
        return ++r->hex_digits == 4 ? hex_done(r) : 0;
    }
    if (c == '"') return string_done(r);
    if (c == '\\') {
        r->state = S_ESC;
        return 0;
    }
    if (c < 0x20)
        return fail(r, "a string holds a control character (write it as \\n, \\t...)%s", NULL);
    return buf_append(&r->tok, &c, 1) ? fail(r, "a string is longer than the limit%s", NULL) : 0;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number_ok(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return 0;
    if (*s == '.') {
        if (!(*++s >= '0' && *s <= '9')) return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (!(*s >= '0' && *s <= '9')) return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == 0;
}

/* A token of letters or digits has ended (at c, which is read again). */
static int token_done(struct jrec_reader *r)
{
    const char *t = r->tok.p ? r->tok.p : "";
    int kind;
    if (r->state == S_NUMBER) {
        if (!number_ok(t)) return bad_token(r, "'%s' is not a JSON number", t);
        kind = JV_NUMBER;
    } else {
        if (strcmp(t, r->literal) != 0) return bad_token(r, "'%s' is not a JSON value", t);
        kind = *t == 'n' ? JV_NULL : *t == 't' ? JV_TRUE : JV_FALSE;
        if (kind == JV_NULL) buf_reset(&r->tok);
    }
    int rc = on_scalar(r, kind);
    after_value(r);
    return rc;
}

static int start_value(struct jrec_reader *r, unsigned char c)
{
    buf_reset(&r->tok);
    r->tok_line = r->line;
    r->tok_col = r->col;
    if (c == '{' || c == '[') return open_container(r, (char)c);
    if (!r->depth) return fail(r, "a JSON document of records starts with '{' or '['%s", NULL);
    if (c == '"') {
        r->is_key = 0;
        r->state = S_STRING;
        return 0;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        r->state = S_NUMBER;
        return buf_append(&r->tok, &c, 1);
    }
    r->literal = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : NULL;
    if (!r->literal) return fail(r, "'%s' cannot start a JSON value", (char[]){(char)c, 0});
    r->state = S_LITERAL;
    return buf_append(&r->tok, &c, 1);
}

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int step(struct jrec_reader *r, unsigned char c)
{
    switch (r->state) {
    case S_STRING:
    case S_ESC:
    case S_HEX:
        return in_string(r, c);
    case S_NUMBER:
        if (strchr("0123456789+-.eE", c) && c)
            return buf_append(&r->tok, &c, 1) ? fail(r, "a number is too long%s", NULL) : 0;
        if (token_done(r)) return r->rc;
        return step(r, c);
    case S_LITERAL:
        if (c >= 'a' && c <= 'z') {
            if (r->tok.len >= 5) return bad_token(r, "'%s...' is not a JSON value", r->tok.p);
            return buf_append(&r->tok, &c, 1);
        }
        if (token_done(r)) return r->rc;
        return step(r, c);
    default:
        break;
    }
    if (is_blank(c)) return 0;
    switch (r->state) {
    case S_VALUE:
        return start_value(r, c);
    case S_ARR_FIRST:
        return c == ']' ? close_container(r, ']') : start_value(r, c);
    case S_OBJ_FIRST:
        if (c == '}') return close_container(r, '}');
        /* fall through */
    case S_OBJ_KEY:
        if (c != '"') return fail(r, "a key (a string in double quotes) is due here%s", NULL);
        buf_reset(&r->tok);
        r->is_key = 1;
        r->state = S_STRING;
        return 0;
    case S_COLON:
        if (c != ':') return fail(r, "':' is due after a key%s", NULL);
        r->state = S_VALUE;
        return 0;
    case S_AFTER:
        if (c == ',') {
            r->state = top(r)->type == '{' ? S_OBJ_KEY : S_VALUE;
            return 0;
        }
        if (c == '}' || c == ']') return close_container(r, (char)c);
        return fail(r, "',' or a closing bracket is due here%s", NULL);
    case S_END:
        return fail(r, "text goes on after the end of the JSON document%s", NULL);
    default:
        return fail(r, "the JSON reader lost its place%s", NULL);
    }
}

int jrec_begin(struct jrec_reader **out, const struct jrec_opts *o, jrec_fn fn, void *ctx,
               struct err *e)
{
    struct jrec_reader *r = xcalloc(1, sizeof *r);
    r->o = *o;
    if (!r->o.label) r->o.label = "(memory)";
    size_t max = o->max_record_bytes ? o->max_record_bytes : 1 << 20;
    r->tok.max = max;
    r->rec.max = max + 2 * MEMBERS_MAX + KEY_MAX * MEMBERS_MAX;
    r->fn = fn;
    r->ctx = ctx;
    r->e = e;
    r->line = o->first_line > 0 ? o->first_line : 1;
    r->state = S_VALUE;
    *out = r;
    return 0;
}

int jrec_push(struct jrec_reader *r, const char *p, size_t n)
{
    for (size_t i = 0; i < n && !r->rc; i++) {
        unsigned char c = (unsigned char)p[i];
        r->col++;
        if (c == 0) return fail(r, "NUL byte: this is binary data, not JSON%s", NULL);
        if (step(r, c)) break;
        if (c == '\n') { /* the next character starts a line */
            r->line++;
            r->col = 0;
        }
    }
    return r->rc;
}

int jrec_end(struct jrec_reader *r, int rc)
{
    if (!rc && !r->rc) {
        if (r->state == S_NUMBER || r->state == S_LITERAL) step(r, ' ');
        if (!r->rc && !r->top_seen)
            fail(r, "empty file: no JSON document%s", NULL);
        else if (!r->rc && r->state != S_END)
            fail(r, "the JSON document ends before it is closed: an incomplete download?%s", NULL);
        else if (!r->rc && !r->found)
            fail(r, "no array of records in this JSON (looked for a member called %s)",
                 r->o.arrays && r->o.arrays[0] ? r->o.arrays[0] : "data");
        rc = r->rc;
    }
    buf_free(&r->tok);
    buf_free(&r->rec);
    free(r);
    return rc;
}
