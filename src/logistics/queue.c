/* queue.c — the M/M/c formulas. Erlang C is computed through Erlang B's
 * recurrence, B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), and
 * C = B / (1 − ρ(1 − B)), which neither overflows a^c nor c! for thousands
 * of servers. Then Wq = C / (cμ − λ), Lq = λ·Wq, W = Wq + 1/μ, L = λ·W. */
#include "logistics.h"

#include <math.h>

int lgx_mmc(double lambda, double mu, long c, struct lgx_mmc *out, struct err *e)
{
    if (!(lambda > 0) || !isfinite(lambda)) {
        err_set(e, ERR_INPUT, "the arrival rate must be a positive number per hour");
        return err_field(e, "lambda");
    }
    if (!(mu > 0) || !isfinite(mu)) {
        err_set(e, ERR_INPUT, "the service rate must be a positive number per hour");
        return err_field(e, "mu");
    }
    if (c < 1 || c > 10000) {
        err_set(e, ERR_INPUT, "the number of servers must be from 1 to 10000");
        return err_field(e, "servers");
    }
    double a = lambda / mu, rho = a / (double)c;
    if (rho >= 1) {
        err_set(e, ERR_INPUT,
                "no steady state: utilisation λ/(cμ) = %.4g/(%ld × %.4g) = %.4f is not below 1, "
                "so the queue grows without bound; add servers or lower the arrival rate",
                lambda, c, mu, rho);
        return err_field(e, "lambda");
    }
    double b = 1;
    for (long k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    double pw = b / (1 - rho * (1 - b));
    *out = (struct lgx_mmc){.a = a, .rho = rho, .pwait = pw};
    out->wq = pw / ((double)c * mu - lambda);
    out->lq = lambda * out->wq;
    out->w = out->wq + 1 / mu;
    out->l = lambda * out->w;
    return 0;
}
