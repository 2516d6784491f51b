/* guard.c — failed sign-ins and bearer checks counted per client address:
 * past GUARD_MAX failures within GUARD_WINDOW seconds an address is answered
 * 429, with Retry-After, until its window ends, so that a token or a
 * password cannot be guessed at speed. The table is small and shared by the
 * server's threads; an address never takes over another's count while that
 * count's minute lasts, and one it has forgotten starts afresh. */
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

/* The slot of an address: its own when it has one, else (with claim) the
 * first free or expired slot from its hash on, so that an address never
 * takes over another's count while that count's window lasts. When every
 * slot near it is live, the last one probed is shared. Under lock. */
#define GUARD_PROBE 32
static unsigned slot_of(const char *addr, double now, int claim)
{
    unsigned k = str_hash(addr) % GUARD_SLOTS, free_one = GUARD_SLOTS;
    for (unsigned i = 0; i < GUARD_PROBE; i++) {
        unsigned j = (k + i) % GUARD_SLOTS;
        if (strcmp(slots[j].addr, addr) == 0) return j;
        if (free_one == GUARD_SLOTS && (!slots[j].addr[0] || now - slots[j].first >= GUARD_WINDOW))
            free_one = j;
    }
    if (!claim) return GUARD_SLOTS;
    if (free_one == GUARD_SLOTS) return (k + GUARD_PROBE - 1) % GUARD_SLOTS; /* all live: shared */
    str_copy(slots[free_one].addr, addr, sizeof slots[free_one].addr);
    slots[free_one].first = now, slots[free_one].failures = 0;
    return free_one;
}

int http_guard_wait(struct req *r)
{
    char addr[64];
    client_address(r, addr);
    double now = now_seconds();
    int wait = 0;
    pthread_mutex_lock(&lock);
    unsigned k = slot_of(addr, now, 0);
    if (k < GUARD_SLOTS && slots[k].failures >= GUARD_MAX && now - slots[k].first < GUARD_WINDOW)
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
    unsigned k = slot_of(addr, now, 1);
    if (strcmp(slots[k].addr, addr) == 0 && now - slots[k].first >= GUARD_WINDOW)
        slots[k].first = now, slots[k].failures = 0; /* its own window is over: afresh */
    slots[k].failures++;
    pthread_mutex_unlock(&lock);
}
