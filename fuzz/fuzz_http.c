/* fuzz_http.c — libFuzzer target: arbitrary bytes as a raw HTTP request to
 * the real server (http_start: libmicrohttpd, the routes, authentication,
 * the API and the pages) running in this process on a loopback port, over a
 * database holding the demo data and an admin token. In the input, @TOKEN@
 * stands for the token, @SID@ for a signed-in session's cookie and @CSRF@
 * for its CSRF token (the seeds in fuzz/corpus/fuzz_http/ use them).
 *
 * Each input is sent on a fresh connection, from its own loopback address
 * (the guard against guessed credentials would otherwise answer 429 to all
 * that follow a few bad tokens); once the server has been quiet for a few
 * milliseconds the connection is half-closed and the answer read to its
 * end. Invariants: every input gets an answer or a clean close within the
 * time limit, and the server stays up (the next connection is accepted);
 * the server never answers 5xx to what a client sent: every status it
 * queues passes through __wrap_MHD_queue_response (linked with
 * -Wl,--wrap=MHD_queue_response), which traps on 500 and above. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http/http.h"
#include "workdir.h"

#define ANSWER_SECONDS 20 /* the slowest page of the demo takes well under one */
/* A close that comes in the same read as the input's last bytes is missed
 * by libmicrohttpd (its epoll thread waits for an edge that never comes):
 * such a connection ends when the server's own idle limit or head deadline
 * expires, well before the harness gives up. */
#define IDLE_SECONDS 4
#define QUIET_MS 5        /* the server has read the input and answered what it could */

enum MHD_Result __real_MHD_queue_response(struct MHD_Connection *c, unsigned int status,
                                          struct MHD_Response *r);

enum MHD_Result __wrap_MHD_queue_response(struct MHD_Connection *c, unsigned int status,
                                          struct MHD_Response *r)
{
    if (status >= 500) {
        fprintf(stderr, "fuzz_http: the server answered %u\n", status);
        __builtin_trap();
    }
    return __real_MHD_queue_response(c, status, r);
}

static struct http_opts opts = {
    .listen = "127.0.0.1:0",
    .threads = 2,
    .max_body = 1 << 20,
    .timeout_s = IDLE_SECONDS,
    .max_conns = 64,
    .head_timeout_s = IDLE_SECONDS,
    .max_memory = 64 << 20,
};
static struct http_server *server;
static unsigned port;
static struct db *db; /* the harness's own connection: sessions */
static char dir[64], dbfile[96], token[AUTH_TOKEN_LEN], sid[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
static struct auth_user holder; /* the token's holder, who owns the session */
static uint32_t peer; /* the next client address, 127.1.0.0 onwards */

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "fuzz_http: %s: %s\n", what, e ? e->msg : "");
    abort();
}

static const char *token_get(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "name") == 0 ? "fuzz" : strcmp(name, "role") == 0 ? "admin" : NULL;
}

/* The admin token, written into token[]. */
static void make_token(struct ref *ref)
{
    struct err e = {0};
    struct op_call c;
    op_call_init(&c, op_find("token", "create")->op);
    c.db = db;
    c.ref = ref;
    if (op_parse(&c, token_get, NULL, &e) || op_execute(&c, &e) || !c.text)
        die("cannot create a token", &e);
    str_copy(token, c.text, sizeof token);
    token[strcspn(token, "\n")] = 0;
    op_call_free(&c);
    struct auth_user u;
    if (auth_token_check(db, token, &u, &e)) die("the new token is refused", &e);
    holder = u;
}

/* A live session for @SID@ (a request may have signed it out). */
static void session(void)
{
    struct err e = {0};
    struct auth_user u;
    char now_csrf[AUTH_TOKEN_LEN];
    if (sid[0] && auth_session_check(db, sid, &u, now_csrf, &e) == 0) return;
    err_clear(&e);
    if (auth_session_create(db, &holder, 12, sid, csrf, &e)) die("cannot open a session", &e);
}

static void stop(void)
{
    http_stop(server);
    db_close(db);
    workdir_remove(dir);
}

static void setup(void)
{
    struct err e = {0};
    struct ref *ref = NULL;
    snprintf(dir, sizeof dir, "/tmp/fuzz-http-XXXXXX");
    if (!mkdtemp(dir)) die("cannot make a directory", NULL);
    snprintf(dbfile, sizeof dbfile, "%s/demo.db", dir);
    if (auth_init(&e) || db_open(dbfile, DB_CREATE, &db, NULL, &e) || ref_install(db, &e) ||
        ref_open(db, &ref, &e) || op_demo_load(db, ref, NULL, &e))
        die("cannot load the demo data", &e);
    make_token(ref);
    ref_free(ref);
    opts.db_path = dbfile;
    opts.access_log = getenv("FUZZ_HTTP_LOG"); /* a file, or - for standard error */
    if (http_start(&opts, &server, &port, &e)) die("cannot start the server", &e);
    atexit(stop);
}

/* The input with @TOKEN@, @SID@ and @CSRF@ replaced; *len set. */
static char *expand(const uint8_t *data, size_t size, size_t *len)
{
    struct buf b = {0};
    static const char *const marks[] = {"@TOKEN@", "@SID@", "@CSRF@"};
    const char *values[] = {token, sid, csrf};
    for (size_t i = 0; i < size;) {
        size_t k = 0;
        while (k < 3 && (size - i < strlen(marks[k]) ||
                         memcmp(data + i, marks[k], strlen(marks[k])) != 0))
            k++;
        if (k < 3) {
            buf_puts(&b, values[k]);
            i += strlen(marks[k]);
        } else {
            buf_append(&b, data + i, 1);
            i++;
        }
    }
    *len = b.len;
    return b.p ? b.p : xstrdup("");
}

static int connect_from_next(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("no socket", NULL);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct timeval tv = {ANSWER_SECONDS, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in from = {.sin_family = AF_INET};
    from.sin_addr.s_addr = htonl(0x7F010000u + (peer++ % 0xFEFFFFu));
    if (bind(fd, (struct sockaddr *)&from, sizeof from) != 0) die("cannot bind a loopback address", NULL);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = connect(fd, (struct sockaddr *)&to, sizeof to);
    if (rc != 0 && errno == EINTR) { /* libFuzzer's alarm: the connection goes on */
        struct pollfd p = {fd, POLLOUT, 0};
        while ((rc = poll(&p, 1, ANSWER_SECONDS * 1000)) < 0 && errno == EINTR)
            ;
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        rc = rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && !soerr ? 0 : -1;
    }
    if (rc != 0) {
        fprintf(stderr, "fuzz_http: the server accepts no connection\n");
        __builtin_trap();
    }
    return fd;
}

/* Reads what the server sends until it has been quiet for quiet_ms
 * (quiet_ms < 0: until it closes, which must come within ANSWER_SECONDS).
 * Keeps the first bytes in head; returns the count read. libFuzzer's alarm
 * interrupts waits: they go on. */
static size_t drain(int fd, int quiet_ms, char *head, size_t hsize, size_t got)
{
    char rest[1 << 16];
    double deadline = now_seconds() + ANSWER_SECONDS;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int ms = quiet_ms >= 0 ? quiet_ms : (int)((deadline - now_seconds()) * 1000) + 1;
        int ready = poll(&p, 1, ms > 0 ? ms : 0);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0 && quiet_ms >= 0) return got;
        ssize_t n = ready > 0 ? recv(fd, rest, sizeof rest, MSG_DONTWAIT) : -1;
        if (n < 0 && ready > 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n == 0 || (n < 0 && errno == ECONNRESET)) return got; /* closed */
        if (n < 0) {
            fprintf(stderr, "fuzz_http: no answer and no close in %d s (%s)\n", ANSWER_SECONDS,
                    ready ? strerror(errno) : "timed out");
            __builtin_trap();
        }
        if (got < hsize)
            memcpy(head + got, rest, (size_t)n < hsize - got ? (size_t)n : hsize - got);
        got += (size_t)n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!server) setup();
    size_t len;
    if (memmem(data, size, "@SID@", 5) || memmem(data, size, "@CSRF@", 6)) session();
    char *req = expand(data, size, &len);
    int fd = connect_from_next();
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* the server may answer and close before reading it all */
        off += (size_t)n;
    }
    /* the end of the input is told apart from the input: libmicrohttpd
     * overlooks a close that comes in the same read as the last bytes */
    char head[8];
    size_t got = drain(fd, QUIET_MS, head, sizeof head, 0);
    shutdown(fd, SHUT_WR);
    got = drain(fd, -1, head, sizeof head, got);
    /* whatever came back is HTTP */
    if (got >= 5 && memcmp(head, "HTTP/", 5) != 0) __builtin_trap();
    close(fd);
    free(req);
    return 0;
}
