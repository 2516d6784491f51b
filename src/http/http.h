/* http — the built-in web server (libmicrohttpd): the JSON API under
 * /api/v1/, generated from the operation table (GET /api/v1/AREA/VERB for a
 * READ, POST for a WRITE, and the OpenAPI document), the dashboard pages,
 * sign-in with sessions and CSRF tokens, and the brief, which shares the
 * overview's sections. Nothing here knows one operation; pages call the
 * areas' functions and render what they return; no SQL runs here.
 *
 * Threads: a pool of libmicrohttpd threads, each with its own SQLite
 * connection (opened on first use, closed at shutdown). */
#ifndef CORRIDOR_HTTP_H
#define CORRIDOR_HTTP_H

#include "../access/access.h"
#include "../ops/ops.h"
#include "../agreements/agreements.h"
#include "../auth/auth.h"
#include "../invest/invest.h"
#include "../report/html.h"
#include "../shipments/shipments.h"
#include "../trade/trade.h"

#include <microhttpd.h>

struct http_opts {
    const char *db_path;
    const char *listen;     /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080"; port 0 = any */
    int threads;            /* libmicrohttpd thread pool size */
    int private_mode;       /* reads need a token or session too */
    const char *access_log; /* file, "-" for stderr, NULL for none */
    size_t max_body;        /* bytes */
    unsigned timeout_s;     /* idle time per connection */
    unsigned max_conns;
    unsigned max_per_addr;  /* connections at once from one address; 0 = no limit */
    unsigned head_timeout_s; /* seconds for a request head to arrive */
    size_t max_memory;      /* bytes of request bodies held at once, all requests */
    int secure_cookies;     /* cookies only over HTTPS (served behind a TLS proxy) */
};

/* Serves until SIGINT or SIGTERM; then lets in-flight requests finish,
 * stops, and checkpoints the WAL. Prints the address once listening. */
int http_serve(const struct http_opts *o, struct err *e);
/* The same without the wait: starts the daemon as o says (o must outlive
 * it) and returns at once with *out the running server and *port the port
 * it listens on. Its threads inherit the caller's signal mask. */
struct http_server;
int http_start(const struct http_opts *o, struct http_server **out, unsigned *port, struct err *e);
/* Lets requests in flight finish (up to 10 s), stops the daemon, checkpoints
 * the WAL and frees s (NULL: nothing). */
void http_stop(struct http_server *s);
/* The brief: one self-contained HTML page summarising every area for a year
 * (0 = the latest with data), with the same charts as the dashboard. */
int http_brief(struct db *db, const struct ref *ref, int year, const char *date,
               const char *meeting, struct buf *out, struct err *e);
/* The OpenAPI 3 document of the API routes. */
void http_openapi(struct buf *out);
/* Every route, one per line: METHOD PATTERN ROLE (for tests and docs). */
void http_list_routes(FILE *f);

/* ---- inside the server (routes.c, api.c, pages.c) ---- */

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_ARGS 64 /* query arguments; more is a 414 */
#define HTTP_MAX_ARGS_TEXT "64"

struct route;

struct req {
    struct MHD_Connection *conn;
    const struct route *route;
    const struct op_cmd *cmd; /* an API operation */
    void *json;               /* the parsed JSON body (json_t *), owned by the request */
    const char *method, *path;
    struct buf body;
    int body_too_big;
    struct db *db;
    struct ref *ref;
    int open_reads;        /* anonymous reads allowed: loopback listener, not --private */
    int secure_cookies;    /* cookies carry Secure (served behind TLS) */
    struct http_conns *conns;
    struct auth_user user; /* role empty = anonymous */
    int via_session;
    const char *need; /* the role the route needs, as the gate found it */
    char sid[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
    const char *params[HTTP_MAX_PARAMS]; /* {placeholders} of the route */
    /* the response */
    unsigned status;
    struct buf out;
    struct buf keep; /* the query but its language, for the language links */
    const char *ctype;
    char cookie[256], location[256];
    char lang_cookie[96]; /* the language chosen by ?lang=, remembered */
    char allow[48];       /* the methods the path takes (a 405 says them) */
    int retry_after;      /* seconds, for a 429 */
    int cacheable;
    int inline_style; /* the brief carries its stylesheet inline */
};

typedef int (*http_handler)(struct req *r, struct err *e);

/* The routes that are not operations: pages, sign-in, health, OpenAPI. */
struct route {
    const char *method, *pattern;
    http_handler fn;
    const char *need;    /* "public", "viewer", "editor:AREA", "admin" */
    const char *summary; /* API routes: for the OpenAPI document; NULL for pages */
    const char *body;    /* "form" or NULL */
};

/* The names of a query's or a form's arguments seen so far. */
struct http_seen {
    char name[64][64];
    int n;
};
/* Why an argument is refused whatever the route takes it for: a NUL byte
 * in its name or value (klen and vlen as sent), or a name given before;
 * NULL when neither (the name is then noted). */
const char *http_arg_fault(struct http_seen *s, const char *k, size_t klen, const char *v,
                           size_t vlen);
/* Calls fn for each field of a form body with its name (cut to 63 bytes)
 * and its value as sent (URL-encoded, vlen bytes); stops at fn's first
 * non-zero answer and returns it. */
int http_form_fields(const struct req *r,
                     int (*fn)(void *ctx, const char *name, const char *v, size_t vlen), void *ctx);

/* conns.c: connection admission (total and per-address limits) and the
 * deadline for request heads. http_conns_admit and http_conns_notify are the
 * daemon's accept-policy and connection callbacks (cls: the struct). */
struct http_conns;
struct http_conns *http_conns_new(unsigned max_total, unsigned max_per_addr, unsigned head_timeout);
/* The daemon's own connection limit for ours: a margin above it. */
unsigned http_conns_hard_limit(unsigned max_total);
enum MHD_Result http_conns_admit(void *cls, const struct sockaddr *addr, socklen_t len);
void http_conns_notify(void *cls, struct MHD_Connection *c, void **ctx,
                       enum MHD_ConnectionNotificationCode code);
int http_conns_start(struct http_conns *h, struct err *e); /* the watchdog */
void http_conns_head_done(struct http_conns *h, struct MHD_Connection *c);
void http_conns_request_done(struct http_conns *h, struct MHD_Connection *c);
void http_conns_stats(struct http_conns *h, unsigned *open, unsigned long *refused,
                      unsigned long *timed_out);
void http_conns_free(struct http_conns *h);

/* Forgets the tokens and sessions this thread has found good (routes.c):
 * called whenever the database changes. */
void http_auth_forget(void);

/* guard.c: seconds the client's address must wait before its credentials
 * are checked again (0: now), after too many failures; and a failure. */
int http_guard_wait(struct req *r);
void http_guard_failed(struct req *r);
/* Answers 429 with Retry-After: too many failed credentials from here. */
int http_send_too_many(struct req *r, int wait);

extern const struct route http_routes[];
extern const size_t http_nroutes;

/* The operation an API path names (/api/v1/AREA/VERB), or NULL. */
const struct op_cmd *http_api_cmd(const char *path);
/* The method an operation's route takes: GET for a READ, POST for a WRITE. */
const char *http_cmd_method(const struct op_cmd *c);

/* Sets the thread's language for the request: ?lang= (remembered in a
 * cookie), else the corridor_lang cookie, else Accept-Language, else
 * English. */
void http_choose_lang(struct req *r);
/* Query argument (NULL when absent or empty). */
const char *http_arg(struct req *r, const char *name);
/* Form field of a POST body (NULL when absent), in one per-thread buffer
 * that the next call reuses; http_form_into decodes into the caller's. */
const char *http_form(struct req *r, const char *name);
const char *http_form_into(struct req *r, const char *name, char *out, size_t size);
/* Sends a table as JSON (or CSV when asked), with limit/cursor paging. */
int http_send_table(struct req *r, struct table *t, struct err *e);
int http_send_json(struct req *r, unsigned status, const char *json);
/* Sends an error as {"error":{"code","message","field"}} (or a page). */
int http_send_error(struct req *r, const struct err *e);
/* Checks the route and the credentials of a request from its headers alone,
 * before its body is read: 0 to go on, 1 when an answer (404, 405, 401, 403)
 * was made. */
int http_gate(struct req *r, struct err *e);
/* Audit rows name the token's holder. */
void http_set_actor(struct req *r);

/* api.c: runs the operation of r->cmd from the query, JSON body or CSV
 * body, and sends its result. */
int api_op(struct req *r, struct err *e);
int api_health(struct req *r, struct err *e);
/* 1 for the arguments every read takes besides its parameters: lang,
 * format, limit, cursor, excel. */
int http_read_option(const char *k);
int api_openapi(struct req *r, struct err *e);
/* Runs an operation from a form's fields (pages); 0 or the error, with the
 * call's results in c (the caller frees it). */
int http_run_form(struct req *r, const char *area, const char *verb, struct op_call *c,
                  struct err *e);
/* The same from the query string (the pages' filters). */
int http_run_query(struct req *r, const char *area, const char *verb, struct op_call *c,
                   struct err *e);
/* The same with the values get(ctx, name) gives (a page's defaults). */
int http_run_with(struct req *r, const char *area, const char *verb, op_get_fn get, void *ctx,
                  struct op_call *c, struct err *e);
/* A get function over a NULL-ended array of name, value pairs (ctx). */
const char *http_pairs(void *ctx, const char *name);
/* The same outside a request (the brief made on the command line). */
int http_run_db(struct db *db, const struct ref *ref, const char *area, const char *verb,
                op_get_fn get, void *ctx, struct op_call *c, struct err *e);

/* pages.c */
/* A cell of t's row r in the column called col: as a number (money in
 * dollars, mass in tonnes, a decimal given as text; NaN when empty or not a
 * number) or as text ("" when empty). */
double http_cell_num(const struct table *t, size_t r, const char *col);
const char *http_cell_str(const struct table *t, size_t r, const char *col);
/* Dollars for people: "US$ 14.5 bn", "US$ 120.0 m". */
char *http_usd_words(double usd, char *out, size_t size);
/* A section's heading. */
void http_section(struct buf *b, const char *title);
/* Begins a page of the dashboard (title, the navigation's active key) into
 * r->out, and ends it as a 200 HTML answer. */
void http_page_start(struct req *r, struct html_page *p, const char *title, const char *active);
int http_page_done(struct req *r, struct html_page *p);
int page_overview(struct req *r, struct err *e);
int page_trade(struct req *r, struct err *e);
int page_agreements(struct req *r, struct err *e);
int page_access(struct req *r, struct err *e);
int page_shipments(struct req *r, struct err *e);
int page_login(struct req *r, struct err *e);
int page_account(struct req *r, struct err *e);
int page_account_password(struct req *r, struct err *e);
int page_alerts(struct req *r, struct err *e);
/* alerts.c: the alerts as on date (NULL: today) as a section of a page or
 * of the brief (self_contained: no links out). */
int http_alerts_section(struct db *db, const struct ref *ref, struct buf *out, const char *date,
                        int self_contained, struct err *e);
int page_login_post(struct req *r, struct err *e);
int page_logout(struct req *r, struct err *e);
int page_event_post(struct req *r, struct err *e);
int page_static(struct req *r, struct err *e);
int page_brief(struct req *r, struct err *e);

/* invest.c: the investment page, and its section of the overview and the
 * brief (host: only projects there, or NULL) */
enum { HTTP_INVEST_PAGE, HTTP_INVEST_OVERVIEW, HTTP_INVEST_BRIEF };
int page_invest(struct req *r, struct err *e);
/* logistics.c: the corridor page, and its section of the brief (the year's
 * map and crossings, when each saturates up to last) */
int page_logistics(struct req *r, struct err *e);
/* commitments.c: the commitments page; the brief's opening section (as on
 * date, default today; one meeting or all); the cards of a report table */
int page_commitments(struct req *r, struct err *e);
int http_commitments_section(struct db *db, const struct ref *ref, struct buf *b, const char *date,
                             const char *meeting, struct err *e);
int http_commitments_cards(struct buf *b, const struct table *t, int brief);
/* glossary.c: the words corridor uses */
int page_glossary(struct req *r, struct err *e);
/* tourism.c: the tourism page, and its section of the brief */
int page_tourism(struct req *r, struct err *e);
int http_tourism_section(struct db *db, const struct ref *ref, struct buf *b, int brief,
                         struct err *e);
int http_logistics_section(struct buf *b, struct db *db, int year, int last, int brief,
                           struct err *e);
int http_invest_section(struct buf *b, struct db *db, const struct inv_filter *f, int mode,
                        struct err *e);
/* The section where a page shows it: when it cannot be drawn (amounts that
 * cannot be summed), a notice saying why takes its place and the rest of the
 * page stands; only the database failing fails the page. */
int http_invest_notice(struct buf *b, struct db *db, const struct inv_filter *f, int mode,
                       struct err *e);

#endif
