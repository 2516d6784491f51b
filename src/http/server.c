/* server.c — the libmicrohttpd daemon: a thread pool with one SQLite
 * connection per thread, limits on body and header size, connections and
 * idle time, an access log, a per-thread cache of anonymous GET responses
 * that is dropped whenever the database changes (PRAGMA data_version), and a
 * graceful stop on SIGINT/SIGTERM that lets in-flight requests finish and
 * checkpoints the WAL. */
#include "http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int http_dispatch(struct req *r, struct err *e);

#define CACHE_SLOTS 64

struct cached {
    char *key;
    char *body;
    size_t len;
    const char *ctype;
    unsigned status;
    int inline_style;
};

/* What each pool thread owns: its connection, its code index, and its cache
 * of anonymous GET responses. Registered with the server, which frees them
 * all after the threads have stopped. */
struct tstate {
    struct db *db;
    struct ref *ref;
    int64_t cache_version;
    struct cached cache[CACHE_SLOTS];
};

struct http_server {
    struct MHD_Daemon *d;
    const struct http_opts *o;
    struct http_conns *conns;
    size_t held; /* bytes of request bodies held now, all requests (atomic) */
    FILE *log;
    pthread_mutex_t lock; /* guards the registry of thread states and the log */
    struct tstate *threads[256];
    size_t nthreads;
    int inflight;   /* requests begun and not completed (atomic) */
    int open_reads; /* listening on loopback without --private */
    time_t flushed; /* when the log was last flushed (under lock) */
};

static _Thread_local struct tstate *tl;

static void cache_clear(struct tstate *t)
{
    if (t == tl) http_auth_forget(); /* the credentials this thread found good go too */
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(t->cache[i].key);
        free(t->cache[i].body);
        t->cache[i].key = t->cache[i].body = NULL;
    }
}

static void tstate_free(struct tstate *t)
{
    if (!t) return;
    cache_clear(t);
    ref_free(t->ref);
    db_close(t->db);
    free(t);
}

static int thread_db(struct http_server *s, struct req *r, struct err *e)
{
    if (!tl) {
        struct tstate *t = xcalloc(1, sizeof *t);
        int rc = db_open(s->o->db_path, DB_WRITE, &t->db, NULL, e);
        if (!rc) rc = ref_open(t->db, &t->ref, e);
        pthread_mutex_lock(&s->lock);
        if (!rc && s->nthreads == sizeof s->threads / sizeof s->threads[0])
            rc = err_set(e, ERR_LIMIT, "too many server threads");
        if (!rc) s->threads[s->nthreads++] = t;
        pthread_mutex_unlock(&s->lock);
        if (rc) {
            tstate_free(t);
            return rc;
        }
        t->cache_version = -1;
        tl = t;
    }
    r->db = tl->db;
    r->ref = tl->ref;
    return 0;
}

/* Drops this thread's cache when another connection committed since it was
 * filled (PRAGMA data_version moves only for other connections' commits). */
static void cache_check_version(struct tstate *t)
{
    int64_t v = db_data_version(t->db); /* -1 on error: never equal, the cache is dropped */
    if (v < 0 || v != t->cache_version) {
        cache_clear(t);
        t->cache_version = v;
    }
}

static unsigned key_slot(const char *key)
{
    unsigned h = 5381;
    for (; *key; key++)
        h = h * 33 + (unsigned char)*key;
    return h % CACHE_SLOTS;
}

struct args {
    char *kv[64];
    int n, overflow;
};

/* Percent-encodes s into b (everything but unreserved characters). */
static void encode(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            buf_append(b, p, 1);
        else
            buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct args *a = cls;
    if (a->n == 64) return a->overflow = 1, MHD_NO;
    struct buf b = {0};
    encode(&b, k);
    buf_puts(&b, "=");
    encode(&b, v);
    a->kv[a->n++] = b.p ? b.p : xstrdup("=");
    return MHD_YES;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The cache key: the path, the decoded arguments encoded again and sorted
 * (so "?a=X%26b%3Dc" and "?a=X&b=c" never share a key), and a wish for CSV.
 * 0 when the request is not to be cached. */
static int cache_key(struct req *r, struct buf *key)
{
    struct args a = {0};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &a);
    qsort(a.kv, (size_t)a.n, sizeof *a.kv, cmp_str);
    encode(key, r->path);
    for (int i = 0; i < a.n; i++) {
        buf_printf(key, "%c%s", i ? '&' : '?', a.kv[i]);
        free(a.kv[i]);
    }
    const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
    if (accept && strstr(accept, "text/csv")) buf_puts(key, "|csv");
    buf_printf(key, "|%s", i18n_lang()); /* pages differ by language */
    return !a.overflow && !r->lang_cookie[0];
}

/* ---- responses ----------------------------------------------------------------- */

static void security_headers(struct MHD_Response *resp, const char *ctype, int inline_style)
{
    MHD_add_response_header(resp, "Content-Type", ctype);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            inline_style
                                ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                  "frame-ancestors 'none'; base-uri 'none'"
                                : "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                  "script-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                  "base-uri 'none'");
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *ctype,
                               const char *body, size_t len, const char *cookie,
                               const char *lang_cookie, const char *location, int no_store,
                               int inline_style, const char *allow, int retry_after)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp) return MHD_NO;
    security_headers(resp, ctype, inline_style);
    if (cookie && *cookie) MHD_add_response_header(resp, "Set-Cookie", cookie);
    if (lang_cookie && *lang_cookie) MHD_add_response_header(resp, "Set-Cookie", lang_cookie);
    MHD_add_response_header(resp, "Vary", "Accept-Language, Cookie");
    if (location && *location) MHD_add_response_header(resp, "Location", location);
    if (no_store) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (status == 405 && allow && *allow) MHD_add_response_header(resp, "Allow", allow);
    if (retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", retry_after);
        MHD_add_response_header(resp, "Retry-After", secs);
    }
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- the request lifecycle ----------------------------------------------------- */

struct reqstate {
    struct req r;
    double t0;
    size_t sent;
    size_t held;      /* bytes of its body counted in server.held */
    int counted;      /* counted in server.inflight */
    int answered;     /* answered before its body was read */
    int too_many_args; /* its query had more than HTTP_MAX_ARGS arguments */
    int nul_in_path;   /* its path held %00, which the daemon's decoding would cut at */
};

/* Called by the daemon with the request line's target, before it parses
 * the query: a query of more arguments than any route takes is cut at its
 * '?' here (the daemon would spend its connection's memory on them and then
 * stall) and the request is answered 414. What it returns becomes the
 * request's state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    struct reqstate *st = xcalloc(1, sizeof *st);
    st->t0 = now_seconds();
    char *q = strchr(uri, '?');
    for (const char *p = uri; *p && p != q; p++)
        if (p[0] == '%' && p[1] == '0' && p[2] == '0') st->nul_in_path = 1;
    if (q) {
        int n = 1;
        for (const char *p = q + 1; *p && n <= HTTP_MAX_ARGS; p++)
            n += *p == '&';
        if (n > HTTP_MAX_ARGS) {
            st->too_many_args = 1;
            q[1] = 0; /* the line is the daemon's own buffer, written before it looks further */
        }
    }
    (void)c;
    return st;
}

/* A request that sends a body is asked who it is and what for before a
 * byte of the body is kept: nobody can make the server hold megabytes
 * without the right to send them. Returns 1 when it was answered. */
#define PUBLIC_BODY_MAX (16 * 1024) /* a sign-in form, not a file */

static int gate_early(struct http_server *s, struct reqstate *st)
{
    struct req *r = &st->r;
    struct err e = {0};
    const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Transfer-Encoding");
    int body = (cl && strtoull(cl, NULL, 10) > 0) || te;
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) {
        if (!body) return 0;
        err_set(&e, ERR_USAGE, "a %s request carries no body", r->method);
        http_send_error(r, &e);
    } else if (thread_db(s, r, &e)) {
        http_send_error(r, &e);
    } else if (cache_check_version(tl), !http_gate(r, &e)) {
        if (strcmp(r->need, "public") != 0) return 0;
        /* anyone may send these: only a small body */
        if (!(cl && strtoull(cl, NULL, 10) > PUBLIC_BODY_MAX)) {
            r->body.max = PUBLIC_BODY_MAX + 1;
            return 0;
        }
        err_set(&e, ERR_LIMIT, "request body is larger than %d bytes", PUBLIC_BODY_MAX);
        http_send_error(r, &e);
    }
    st->answered = 1;
    st->sent = r->out.len;
    return 1;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *k,
                                     const char *v)
{
    (void)kind, (void)v;
    int *n = cls;
    n[0] += strcasecmp(k, "Content-Length") == 0;
    n[1] += strcasecmp(k, "Transfer-Encoding") == 0;
    return MHD_YES;
}

/* What is wrong with a request from its head alone, before anything else
 * is looked at: its status (0: nothing) with a code and a reason. */
static unsigned head_refusal(struct http_server *s, struct reqstate *st, const char *version,
                             const char **code, const char **why)
{
    struct MHD_Connection *c = st->r.conn;
    if (st->too_many_args) {
        *code = "limit";
        *why = "the query has more than " HTTP_MAX_ARGS_TEXT " arguments";
        return 414;
    }
    if (st->nul_in_path) {
        *why = "the path holds a NUL byte";
        return 400;
    }
    /* HTTP/1.1 requires Host (RFC 9112, 3.2) */
    if (version && strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
        !MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)) {
        *why = "an HTTP/1.1 request needs a Host header";
        return 400;
    }
    /* one length, told one way (RFC 9112, 6.3): anything else could be read
     * differently by a proxy in front */
    int n[2] = {0, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, n);
    if (n[0] > 1 || n[1] > 1 || (n[0] && n[1])) {
        *why = "a request gives its body's length once: one Content-Length or one "
               "Transfer-Encoding";
        return 400;
    }
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > s->o->max_body) {
        *code = "limit";
        *why = "request body is larger than the limit";
        return 413;
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct http_server *s = cls;
    struct reqstate *st = *con_cls;
    if (!st) *con_cls = st = on_uri(NULL, url, c); /* never: on_uri made it */
    if (!st->r.conn) {
        st->r.conn = c;
        st->r.method = method;
        st->r.path = url;
        st->r.open_reads = s->open_reads;
        st->r.secure_cookies = s->o->secure_cookies;
        st->r.conns = s->conns;
        st->r.body.max = s->o->max_body + 1;
        const char *code = "usage", *why = NULL;
        unsigned status = head_refusal(s, st, version, &code, &why);
        if (status) {
            char msg[300];
            int len = snprintf(msg, sizeof msg,
                               "{\"error\":{\"code\":\"%s\",\"message\":\"%s\",\"field\":null}}",
                               code, why);
            st->r.status = status;
            st->answered = 1;
            st->sent = (size_t)len;
            return respond(c, status, "application/json", msg, (size_t)len, NULL, NULL, NULL, 1, 0,
                           NULL, 0);
        }
        if (gate_early(s, st))
            return respond(c, st->r.status ? st->r.status : 500,
                           st->r.ctype ? st->r.ctype : "application/json",
                           st->r.out.p ? st->r.out.p : "", st->r.out.len, NULL, NULL, NULL, 1, 0,
                           st->r.allow, st->r.retry_after);
        /* the head has come; a body anyone may send (a sign-in) must come
         * within the same deadline, so the watchdog goes on counting */
        if (st->r.body.max != PUBLIC_BODY_MAX + 1) http_conns_head_done(s->conns, c);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (st->answered || st->r.body_too_big) return MHD_YES; /* read and dropped */
        /* all requests together hold at most max_memory bytes of bodies */
        if (__atomic_add_fetch(&s->held, n, __ATOMIC_SEQ_CST) > s->o->max_memory) {
            __atomic_sub_fetch(&s->held, n, __ATOMIC_SEQ_CST);
            st->r.body_too_big = 2;
            return MHD_YES;
        }
        st->held += n;
        if (buf_append(&st->r.body, upload, n)) st->r.body_too_big = 1;
        return MHD_YES;
    }
    if (st->answered) return MHD_YES; /* already answered */
    /* from here until its completion the request counts as in flight */
    st->counted = 1;
    __atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
    struct req *r = &st->r;
    struct err e = {0};
    if (r->body_too_big == 2) {
        err_set(&e, ERR_LIMIT, "the server holds as many request bodies as it may; try again");
        http_send_error(r, &e);
        r->status = 503;
        r->retry_after = 1;
    } else if (r->body_too_big) {
        err_set(&e, ERR_LIMIT, "request body is larger than %zu bytes", s->o->max_body);
        http_send_error(r, &e);
    } else if (thread_db(s, r, &e)) {
        http_send_error(r, &e);
    } else {
        http_choose_lang(r);
        cache_check_version(tl);
        int anonymous = !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization") &&
                        !MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "corridor_session");
        int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        int api = strncmp(r->path, "/api/", 5) == 0;
        /* Reads are cached: anonymous ones and API ones (the same bytes
         * whoever may ask) under one key, a signed-in reader's pages (they
         * name the reader and carry the session's CSRF token) under a key of
         * their own. Every answer, from the cache or not, is given only once
         * the route and the sender have passed the gate. */
        int own = get && !anonymous && !api;
        int refused = own ? http_gate(r, &e) : 0, gated = own;
        struct buf key = {0};
        struct cached *hit = NULL;
        if (get && !refused && cache_key(r, &key)) {
            if (own) buf_printf(&key, "|%s|%s", r->via_session ? r->sid : r->user.name, r->user.role);
            struct cached *slot = &tl->cache[key_slot(key.p)];
            if (slot->key && strcmp(slot->key, key.p) == 0) hit = slot;
        }
        if (refused || (hit && !gated && http_gate(r, &e))) {
            hit = NULL; /* refused: the answer is in r */
        } else if (hit) {
            r->status = hit->status;
            st->sent = hit->len;
            buf_free(&key);
            return respond(c, hit->status, hit->ctype, hit->body, hit->len, NULL, NULL, NULL,
                           !anonymous, hit->inline_style, NULL, 0);
        } else {
            http_dispatch(r, &e);
        }
        if (!get) cache_clear(tl); /* this thread wrote: its own version number does not move */
        if (get && !refused && r->cacheable && r->status == 200 && key.p) {
            struct cached *slot = &tl->cache[key_slot(key.p)];
            free(slot->key);
            free(slot->body);
            slot->key = xstrdup(key.p);
            slot->body = xmalloc(r->out.len + 1);
            memcpy(slot->body, r->out.p ? r->out.p : "", r->out.len);
            slot->len = r->out.len;
            slot->ctype = r->ctype;
            slot->status = r->status;
            slot->inline_style = r->inline_style;
        }
        buf_free(&key);
    }
    st->sent = r->out.len;
    return respond(c, r->status ? r->status : 500, r->ctype ? r->ctype : "application/json",
                   r->out.p ? r->out.p : "", r->out.len, r->cookie, r->lang_cookie, r->location,
                   /* an answer to a signed-in or token request is never stored on the way */
                   !r->cacheable || r->user.name[0] || r->via_session, r->inline_style, r->allow,
                   r->retry_after);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct reqstate *st = *con_cls;
    if (!st) return;
    /* a head that never came whole is not logged (the watchdog counts the
     * late ones): a flood of them would bury the log */
    if (s->log && st->r.conn) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        /* the path as sent, its control characters escaped: one request, one line */
        struct buf path = {0};
        for (const unsigned char *p = (const unsigned char *)st->r.path; *p && path.len < 2048; p++)
            *p < 0x20 || *p == 0x7F || *p == '\\' ? buf_printf(&path, "\\x%02X", *p)
                                                  : buf_append(&path, p, 1);
        pthread_mutex_lock(&s->lock);
        fprintf(s->log, "%s %s %s %u %zu %.1fms %s%s\n", when, st->r.method, path.p ? path.p : "",
                st->r.status, st->sent, (now_seconds() - st->t0) * 1000,
                st->r.user.name[0] ? st->r.user.name : "-",
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
        /* a block at a time, but never more than a second behind */
        if (now != s->flushed) fflush(s->log), s->flushed = now;
        pthread_mutex_unlock(&s->lock);
        buf_free(&path);
    }
    if (st->held) __atomic_sub_fetch(&s->held, st->held, __ATOMIC_SEQ_CST);
    if (st->r.conn) http_conns_request_done(s->conns, c);
    buf_free(&st->r.body);
    buf_free(&st->r.out);
    buf_free(&st->r.keep);
    if (st->counted) __atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
    free(st);
    *con_cls = NULL;
}

/* ---- start and stop ------------------------------------------------------------- */

/* The daemon's complaints (a client that hung up, a connection refused):
 * under a flood there is one per connection, so at most one line a second
 * reaches standard error, with a count of those left out. */
static void daemon_log(void *cls, const char *fmt, va_list ap)
{
    static time_t last;
    static unsigned long dropped;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    (void)cls;
    time_t now = time(NULL);
    pthread_mutex_lock(&lock);
    if (now == last) {
        dropped++;
    } else {
        if (dropped) fprintf(stderr, "corridor: (%lu more such messages)\n", dropped);
        dropped = 0;
        last = now;
        char line[512];
        vsnprintf(line, sizeof line, fmt, ap);
        line[strcspn(line, "\n")] = 0;
        fprintf(stderr, "corridor: %s\n", line);
    }
    pthread_mutex_unlock(&lock);
}

/* Connections need descriptors: the soft limit is raised to the hard one,
 * and the connection limit lowered (with a word) when that is still short. */
static unsigned room_for(unsigned want)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return want;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    rlim_t spare = 64 + 64; /* the database, the log, the listener, and the hard margin */
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)want + spare) {
        unsigned fit = rl.rlim_cur > spare + 16 ? (unsigned)(rl.rlim_cur - spare) : 16u;
        fprintf(stderr,
                "corridor: %u connections need more open files than allowed (%llu); "
                "serving at most %u\n",
                want, (unsigned long long)rl.rlim_cur, fit);
        return fit;
    }
    return want;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        struct err *e)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    memset(ss, 0, sizeof *ss);
    if (!colon) goto bad;
    long port;
    struct err pe = {0};
    if (int_parse(colon + 1, 0, 65535, &port, &pe)) goto bad;
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) goto bad;
    memcpy(host, listen, hl);
    host[hl] = 0;
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = 0;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1) goto bad;
        *len = sizeof *a;
        return 0;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1) goto bad;
    *len = sizeof *a;
    return 0;
bad:
    err_at(e, NULL, 0, 0, "listen");
    return err_set(e, ERR_USAGE, "'%s' is not ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)",
                   listen);
}

/* Undoes what http_start did before the daemon ran. */
static void server_free(struct http_server *s)
{
    http_conns_free(s->conns);
    if (s->log && s->log != stderr) fclose(s->log);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Whether anonymous reads are open: only when nobody but this machine can
 * connect, and the server is not private. */
static int loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

int http_start(const struct http_opts *o, struct http_server **out, unsigned *port, struct err *e)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int rc = parse_listen(o->listen, &ss, &sl, e);
    if (rc) return rc;
    /* the database must exist and be migrated before threads start */
    struct db *probe;
    if ((rc = db_open(o->db_path, DB_WRITE, &probe, NULL, e))) return rc;
    db_close(probe);
    struct http_server *s = xcalloc(1, sizeof *s);
    s->o = o;
    s->open_reads = loopback(&ss) && !o->private_mode;
    pthread_mutex_init(&s->lock, NULL);
    if (o->access_log) {
        s->log = strcmp(o->access_log, "-") == 0 ? stderr : fopen(o->access_log, "a");
        if (!s->log) {
            server_free(s);
            err_at(e, o->access_log, 0, 0, "access_log");
            return err_set(e, ERR_IO, "cannot open the access log");
        }
        /* a line at a time for people watching, a block at a time for files
         * (flushed at least once a second, and at shutdown) so that logging
         * costs no system call per request */
        setvbuf(s->log, NULL, isatty(fileno(s->log)) ? _IOLBF : _IOFBF, 1 << 16);
    }
    unsigned max_conns = room_for(o->max_conns ? o->max_conns : 1024u);
    s->conns = http_conns_new(max_conns, o->max_per_addr, o->head_timeout_s ? o->head_timeout_s : 10u);
    if ((rc = http_conns_start(s->conns, e))) {
        server_free(s);
        return rc;
    }
    /* a pool of threads, each with its own epoll set and its own share of
     * the connections: no thread per connection for a flood to multiply */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, http_conns_admit, s->conns, on_request, s,
        MHD_OPTION_EXTERNAL_LOGGER, daemon_log, s, /* first, to catch every message */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(o->threads > 0 ? o->threads : 4), MHD_OPTION_CONNECTION_LIMIT,
        http_conns_hard_limit(max_conns), MHD_OPTION_CONNECTION_TIMEOUT,
        o->timeout_s ? o->timeout_s : 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, /* the head and the buffers of one connection */
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, http_conns_notify, s->conns, MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, s, MHD_OPTION_END);
    if (!s->d) {
        server_free(s);
        err_at(e, NULL, 0, 0, "listen");
        return err_set(e, ERR_IO, "cannot listen on %s (in use, or not an address here?)",
                       o->listen);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : 0;
    *out = s;
    return 0;
}

void http_stop(struct http_server *s)
{
    if (!s) return;
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    /* up to 10 s for requests in flight; idle keep-alive connections are
     * simply closed by MHD_stop_daemon */
    for (int i = 0; i < 200 && __atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST) > 0; i++)
        usleep(50000);
    MHD_stop_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    for (size_t i = 0; i < s->nthreads; i++)
        tstate_free(s->threads[i]);
    struct db *db;
    struct err e = {0};
    if (db_open(s->o->db_path, DB_WRITE, &db, NULL, &e) == 0) {
        if (db_checkpoint(db, &e)) err_print(&e, stderr);
        db_close(db);
    } else {
        err_print(&e, stderr);
    }
    if (s->log) fflush(s->log);
    server_free(s);
}

int http_serve(const struct http_opts *o, struct err *e)
{
    /* signals are taken by sigwait below, never by the pool threads (which
     * inherit this mask) */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct http_server *s;
    unsigned port;
    int rc = http_start(o, &s, &port, e);
    if (rc) {
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        return rc;
    }
    char host[128];
    str_copy(host, o->listen, sizeof host);
    *strrchr(host, ':') = 0;
    if (!i18n_ready())
        fprintf(stderr, "corridor: the translations are not installed (build/locale beside the "
                        "binary, or $CORRIDOR_LOCALEDIR): every page in English\n");
    printf("corridor: serving http://%s:%u/ (%d threads, database %s)\n", host, port,
           o->threads > 0 ? o->threads : 4, o->db_path);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "corridor: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(s);
    fprintf(stderr, "corridor: stopped\n");
    return 0;
}
