/* registry.c — the list of the areas' operation tables, and the commands
 * the front ends offer: every operation, and for each record operation the
 * CSV import of its records. The list is built once, before any thread
 * needs it. */
#include "ops.h"

#include "../access/access.h"
#include "../agreements/agreements.h"
#include "../auth/auth.h"
#include "../http/http.h"
#include "../invest/invest.h"
#include "../logistics/logistics.h"
#include "../shipments/shipments.h"
#include "../trade/trade.h"

#include <pthread.h>
#include <string.h>

/* Each area's table (its ops.c, or auth.c, pages.c, core.c). */
extern const struct op core_ops[], http_ops[], auth_ops[], auth_user_ops[], ref_ops[], trade_ops[], agr_ops[],
    access_ops[], ship_ops[], inv_ops[], lgx_ops[], tour_ops[], cmt_ops[], alert_ops[];

/* In the order of `corridor --help`. */
static const struct op *const tables[] = {
    core_ops, http_ops, auth_ops, auth_user_ops, ref_ops, trade_ops, agr_ops, access_ops, ship_ops, inv_ops, lgx_ops,
    tour_ops, cmt_ops, alert_ops,
};

#define MAX_CMDS 256

static struct op_cmd cmds[MAX_CMDS];
static char roles[MAX_CMDS][48];
static size_t ncmds;
static const char *areas[64];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void add(const struct op *op, const char *verb, int import)
{
    if (ncmds == MAX_CMDS) return;
    cmds[ncmds] = (struct op_cmd){op, op->area, verb, import};
    if (op->role)
        str_copy(roles[ncmds], op->role, sizeof roles[0]);
    else if (op->kind == OP_READ)
        str_copy(roles[ncmds], "viewer", sizeof roles[0]);
    else
        snprintf(roles[ncmds], sizeof roles[0], "editor:%s", op->area);
    ncmds++;
    size_t a = 0;
    while (areas[a] && strcmp(areas[a], op->area) != 0)
        a++;
    if (!areas[a] && a + 1 < sizeof areas / sizeof areas[0]) areas[a] = op->area;
}

static void add_op(const struct op *op)
{
    add(op, op->verb, 0);
    if (op->import) add(op, op->import, 1);
}

/* The commands without a verb first (init, demo, serve...), then each area's
 * commands together, the areas in the order they first appear. */
static void build(void)
{
    lgx_gate_register(); /* the areas' gates, before any declaration */
    const size_t nt = sizeof tables / sizeof tables[0];
    for (size_t t = 0; t < nt; t++)
        for (const struct op *op = tables[t]; op->area; op++)
            if (!op->verb) add_op(op);
    for (size_t t = 0; t < nt; t++)
        for (const struct op *first = tables[t]; first->area; first++) {
            if (!first->verb) continue;
            int seen = 0;
            for (size_t i = 0; i < ncmds && !seen; i++)
                seen = cmds[i].verb && strcmp(cmds[i].area, first->area) == 0;
            if (seen) continue;
            for (size_t u = t; u < nt; u++) /* every table's ops of this area */
                for (const struct op *op = tables[u]; op->area; op++)
                    if (op->verb && strcmp(op->area, first->area) == 0) add_op(op);
        }
}

const struct op_cmd *op_commands(size_t *n)
{
    pthread_once(&once, build);
    *n = ncmds;
    return cmds;
}

const struct op_cmd *op_find(const char *area, const char *verb)
{
    size_t n;
    const struct op_cmd *c = op_commands(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].area, area) != 0) continue;
        if (!c[i].verb ? !verb : verb && strcmp(c[i].verb, verb) == 0) return &c[i];
    }
    return NULL;
}

const char *op_role(const struct op_cmd *c)
{
    size_t n;
    const struct op_cmd *all = op_commands(&n);
    return roles[c - all];
}

const char *const *op_areas(void)
{
    size_t n;
    op_commands(&n);
    return areas;
}
