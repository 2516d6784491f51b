/* guard.c — failed sign-ins and bearer checks counted per client address:
 * past GUARD_MAX failures within GUARD_WINDOW seconds an address is answered
 * 429, with Retry-After, until its window ends, so that a token or a
 * password cannot be guessed at speed. The table is small and shared by the
 * server's threads; an address it has forgotten starts afresh. */
#include "http.h"

#include <netdb.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#define GUARD_MAX 10
#define GUARD_WINDOW 60.0
#define GUARD_SLOTS 1024

static struct {
    char addr[64];
    double first; /* when this window's first failure came */
    int failures;
} slots[GUARD_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The client's address as text ("127.0.0.1", "::1"); "" when unknown. */
static void client_address(struct req *r, char out[64])
{
    out[0] = 0;
    const union MHD_ConnectionInfo *ci =
        r->conn ? MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
    if (!ci || !ci->client_addr) return;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    if (getnameinfo(ci->client_addr, len, out, 64, NULL, 0, NI_NUMERICHOST)) out[0] = 0;
}

static unsigned slot_of(const char *addr)
{
    unsigned h = 2166136261u;
    for (const char *p = addr; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % GUARD_SLOTS;
}

int http_guard_wait(struct req *r)
{
    char addr[64];
    client_address(r, addr);
    double now = now_seconds();
    int wait = 0;
    pthread_mutex_lock(&lock);
    unsigned k = slot_of(addr);
    if (strcmp(slots[k].addr, addr) == 0 && slots[k].failures >= GUARD_MAX &&
        now - slots[k].first < GUARD_WINDOW)
        wait = (int)(slots[k].first + GUARD_WINDOW - now) + 1;
    pthread_mutex_unlock(&lock);
    return wait;
}

void http_guard_failed(struct req *r)
{
    char addr[64];
    client_address(r, addr);
    double now = now_seconds();
    pthread_mutex_lock(&lock);
    unsigned k = slot_of(addr);
    if (strcmp(slots[k].addr, addr) != 0 || now - slots[k].first >= GUARD_WINDOW) {
        str_copy(slots[k].addr, addr, sizeof slots[k].addr);
        slots[k].first = now, slots[k].failures = 0;
    }
    slots[k].failures++;
    pthread_mutex_unlock(&lock);
}
