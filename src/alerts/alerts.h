/* alerts — what needs attention on a day across the areas (caps, plant
 * registrations, markets, commitments, crossings), each with its reason and
 * a link; read from each area's own report. The operation table alert_ops
 * gives `corridor alerts` and GET /api/v1/alerts. */
#ifndef CORRIDOR_ALERTS_H
#define CORRIDOR_ALERTS_H

#include "../ops/ops.h"

extern const struct op alert_ops[];

#endif
