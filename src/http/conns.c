/* conns.c — who may hold a connection, and for how long. libmicrohttpd asks
 * http_conns_admit before it takes a connection it has accepted: past the
 * total or the per-address limit the socket is closed at once, so a flood
 * is refused early, the connections already admitted go on being served,
 * and the listen queue never silts up with dead sockets (the daemon's own
 * limit, kept above ours, is never reached). Every admitted connection is
 * tracked from its start to its close; a watchdog gives each request head a
 * deadline counted from the connection's start or from the end of the
 * previous request, which a client trickling bytes cannot push back (the
 * daemon's idle timeout restarts at every byte). A connection past its
 * deadline is answered 408 and shut; the daemon then closes it. */
#include "http.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* An address as a fixed key: the family and the address bytes. */
struct addr_key {
    sa_family_t family;
    unsigned char bytes[16];
};

struct track {
    MHD_socket fd;
    double since;   /* connection start, or end of the previous request */
    int in_request; /* the head has arrived; the deadline no longer applies */
    int timed_out;
    struct addr_key addr;
    struct track *prev, *next;
};

struct addr_count {
    struct addr_key addr;
    unsigned n; /* 0: a free entry */
};

struct http_conns {
    unsigned max_total, max_per_addr;
    double head_timeout;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t watchdog;
    int running, stopping;
    struct track *head;
    unsigned total;
    struct addr_count *counts; /* one entry per admitted connection at most */
    size_t ncounts;
    unsigned long refused, timed_out;
};

static int key_of(const struct sockaddr *sa, struct addr_key *k)
{
    memset(k, 0, sizeof *k);
    if (!sa) return -1;
    k->family = sa->sa_family;
    if (sa->sa_family == AF_INET)
        memcpy(k->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    else if (sa->sa_family == AF_INET6)
        memcpy(k->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    else
        return -1;
    return 0;
}

/* The count entry of an address; with create, a free entry becomes it.
 * NULL when the address has none (or the table is full). Under lock. */
static struct addr_count *count_of(struct http_conns *h, const struct addr_key *k, int create)
{
    struct addr_count *free_one = NULL;
    for (size_t i = 0; i < h->ncounts; i++) {
        if (h->counts[i].n == 0) {
            if (!free_one) free_one = &h->counts[i];
        } else if (memcmp(&h->counts[i].addr, k, sizeof *k) == 0) {
            return &h->counts[i];
        }
    }
    if (!create || !free_one) return NULL;
    free_one->addr = *k;
    return free_one;
}

struct http_conns *http_conns_new(unsigned max_total, unsigned max_per_addr, unsigned head_timeout)
{
    struct http_conns *h = xcalloc(1, sizeof *h);
    h->max_total = max_total;
    h->max_per_addr = max_per_addr;
    h->head_timeout = head_timeout;
    /* the daemon's own limit sits a little above ours (see http_conns_hard_limit) */
    h->ncounts = http_conns_hard_limit(max_total);
    h->counts = xcalloc(h->ncounts, sizeof *h->counts);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    return h;
}

unsigned http_conns_hard_limit(unsigned max_total)
{
    /* two threads may admit at once past the check: a margin, never reached */
    return max_total + 64;
}

enum MHD_Result http_conns_admit(void *cls, const struct sockaddr *addr, socklen_t len)
{
    (void)len;
    struct http_conns *h = cls;
    struct addr_key k;
    int ok = 1;
    pthread_mutex_lock(&h->lock);
    if (h->total >= h->max_total) {
        ok = 0;
    } else if (h->max_per_addr && key_of(addr, &k) == 0) {
        struct addr_count *c = count_of(h, &k, 0);
        ok = !c || c->n < h->max_per_addr;
    }
    if (!ok) h->refused++;
    pthread_mutex_unlock(&h->lock);
    return ok ? MHD_YES : MHD_NO;
}

static void track_start(struct http_conns *h, struct MHD_Connection *c, void **ctx)
{
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *ad =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct track *t = xcalloc(1, sizeof *t);
    t->fd = fd ? fd->connect_fd : MHD_INVALID_SOCKET;
    t->since = now_seconds();
    int keyed = key_of(ad ? ad->client_addr : NULL, &t->addr) == 0;
    pthread_mutex_lock(&h->lock);
    t->next = h->head;
    if (h->head) h->head->prev = t;
    h->head = t;
    h->total++;
    struct addr_count *n = keyed ? count_of(h, &t->addr, 1) : NULL;
    if (n)
        n->n++;
    else
        t->addr.family = 0; /* not counted: nothing to give back */
    pthread_mutex_unlock(&h->lock);
    *ctx = t;
}

static void track_end(struct http_conns *h, struct track *t)
{
    pthread_mutex_lock(&h->lock);
    if (t->prev) t->prev->next = t->next;
    else h->head = t->next;
    if (t->next) t->next->prev = t->prev;
    h->total--;
    struct addr_count *n = t->addr.family ? count_of(h, &t->addr, 0) : NULL;
    if (n && n->n) n->n--;
    pthread_mutex_unlock(&h->lock);
    free(t);
}

void http_conns_notify(void *cls, struct MHD_Connection *c, void **ctx,
                       enum MHD_ConnectionNotificationCode code)
{
    struct http_conns *h = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        track_start(h, c, ctx);
    else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *ctx) {
        /* called before the daemon closes the socket: the watchdog never
         * touches a descriptor that may have been given to someone else */
        track_end(h, *ctx);
        *ctx = NULL;
    }
}

static struct track *track_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i ? i->socket_context : NULL;
}

void http_conns_head_done(struct http_conns *h, struct MHD_Connection *c)
{
    struct track *t = track_of(c);
    if (!t) return;
    pthread_mutex_lock(&h->lock);
    t->in_request = 1;
    pthread_mutex_unlock(&h->lock);
}

void http_conns_request_done(struct http_conns *h, struct MHD_Connection *c)
{
    struct track *t = track_of(c);
    if (!t) return;
    pthread_mutex_lock(&h->lock);
    t->in_request = 0;
    t->since = now_seconds();
    pthread_mutex_unlock(&h->lock);
}

/* Connections whose head is late: a 408 written straight to the socket
 * (the daemon writes nothing while it waits for a head), then shut both
 * ways so that the daemon sees the end and closes it. Under lock. */
static void expire(struct http_conns *h, double now)
{
    static const char body[] = "{\"error\":{\"code\":\"limit\",\"message\":\"the request head "
                               "took too long to arrive\",\"field\":null}}";
    char msg[256];
    int len = snprintf(msg, sizeof msg,
                       "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: "
                       "application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       sizeof body - 1, body);
    for (struct track *t = h->head; t; t = t->next) {
        if (t->in_request || t->timed_out || now - t->since < h->head_timeout) continue;
        if (t->fd == MHD_INVALID_SOCKET) continue;
        t->timed_out = 1;
        h->timed_out++;
        (void)!send(t->fd, msg, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL);
        shutdown(t->fd, SHUT_RDWR);
    }
}

static void *watchdog(void *arg)
{
    struct http_conns *h = arg;
    pthread_mutex_lock(&h->lock);
    while (!h->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&h->wake, &h->lock, &ts);
        if (!h->stopping) expire(h, now_seconds());
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

int http_conns_start(struct http_conns *h, struct err *e)
{
    if (pthread_create(&h->watchdog, NULL, watchdog, h))
        return err_set(e, ERR_IO, "cannot start the connection watchdog");
    h->running = 1;
    return 0;
}

void http_conns_stats(struct http_conns *h, unsigned *open, unsigned long *refused,
                      unsigned long *timed_out)
{
    pthread_mutex_lock(&h->lock);
    *open = h->total;
    *refused = h->refused;
    *timed_out = h->timed_out;
    pthread_mutex_unlock(&h->lock);
}

void http_conns_free(struct http_conns *h)
{
    if (!h) return;
    if (h->running) {
        pthread_mutex_lock(&h->lock);
        h->stopping = 1;
        pthread_cond_signal(&h->wake);
        pthread_mutex_unlock(&h->lock);
        pthread_join(h->watchdog, NULL);
    }
    /* tracks still listed belong to connections the daemon has closed
     * without a word (it was stopped): free them */
    for (struct track *t = h->head, *n; t; t = n) {
        n = t->next;
        free(t);
    }
    free(h->counts);
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->wake);
    free(h);
}
