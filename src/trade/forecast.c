/* forecast.c — projections of annual trade with prediction intervals. Two
 * models, both on the logarithm of the value (so forecasts stay positive and
 * growth is proportional): a log-linear trend fitted by least squares (exact
 * t-based intervals), and Holt's damped trend (ETS(A,Ad,N)) with smoothing
 * parameters chosen by grid search on one-step errors. Gaps between years
 * are filled by log-linear interpolation for Holt. The model shown is the one
 * with the lower rolling-origin backtest MAPE. Quantiles come from GSL. */
#include "trade.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int trade_series(struct db *db, const struct trade_query *q, int **years, double **values, int *n,
                 struct table *cite_into, struct err *e);

/* Least squares on centred years (x - mean), so that the intercept is the
 * mean of the logs and no large number is ever subtracted from another, in
 * extended precision (the values are of the order of 10^12 cents, and a
 * double's logarithm alone would cost a hundredth of a cent): the figures
 * then match an independent computation to the cent. */
static int fit_loglinear(const int *x, const double *y, int n, int h, struct trade_fc *out)
{
    long double mx = 0, my = 0;
    for (int i = 0; i < n; i++)
        mx += x[i], my += logl(y[i]);
    mx /= n, my /= n;
    long double sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (logl(y[i]) - my);
    }
    if (sxx <= 0) return ERR_INPUT;
    long double b = sxy / sxx, sse = 0;
    for (int i = 0; i < n; i++) {
        long double r = logl(y[i]) - (my + b * (x[i] - mx));
        sse += r * r;
    }
    int df = n - 2;
    long double s = sqrtl(sse / df);
    long double t80 = gsl_cdf_tdist_Pinv(0.90, df), t95 = gsl_cdf_tdist_Pinv(0.975, df);
    for (int k = 1; k <= h; k++) {
        long double dx = x[n - 1] + k - mx, f = my + b * dx;
        long double se = s * sqrtl(1 + 1.0L / n + dx * dx / sxx);
        out[k - 1] = (struct trade_fc){(double)expl(f), (double)expl(f - t80 * se),
                                       (double)expl(f + t80 * se), (double)expl(f - t95 * se),
                                       (double)expl(f + t95 * se)};
    }
    return 0;
}

/* Fills the gaps of an annual series in log space; returns the number of
 * consecutive years written to ly (the caller gives room for the span). */
static int fill_gaps(const int *x, const double *y, int n, double *ly)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (i) {
            int gap = x[i] - x[i - 1];
            for (int k = 1; k < gap; k++)
                ly[m++] = log(y[i - 1]) + (log(y[i]) - log(y[i - 1])) * k / gap;
        }
        ly[m++] = log(y[i]);
    }
    return m;
}

/* One pass of ETS(A,Ad,N); returns the SSE of one-step errors from t = 2 and
 * leaves the final level and trend in *l and *b. */
static double holt_pass(const double *ly, int m, double alpha, double beta, double phi, double *l,
                        double *b, int *nerr)
{
    *l = ly[0];
    *b = ly[1] - ly[0];
    double sse = 0;
    *nerr = 0;
    for (int t = 1; t < m; t++) {
        double f = *l + phi * *b, err = ly[t] - f;
        if (t >= 2) sse += err * err, (*nerr)++;
        *l = f + alpha * err;
        *b = phi * *b + beta * err;
    }
    return sse;
}

static int fit_holt(const int *x, const double *y, int n, int h, struct trade_fc *out)
{
    int span = x[n - 1] - x[0] + 1;
    if (span < 3 || span > 400) return ERR_INPUT;
    double *ly = xmalloc((size_t)span * sizeof *ly);
    int m = fill_gaps(x, y, n, ly);
    double best = INFINITY, ba = 0.5, bb = 0.1, bp = 0.9;
    static const double phis[] = {0.80, 0.85, 0.90, 0.95, 0.98};
    for (double alpha = 0.05; alpha < 0.999; alpha += 0.05)
        for (double beta = 0.0; beta <= alpha + 1e-9; beta += 0.05)
            for (size_t k = 0; k < sizeof phis / sizeof phis[0]; k++) {
                double l, b;
                int ne;
                double sse = holt_pass(ly, m, alpha, beta, phis[k], &l, &b, &ne);
                if (sse < best - 1e-15) best = sse, ba = alpha, bb = beta, bp = phis[k];
            }
    double l, b;
    int ne;
    double sse = holt_pass(ly, m, ba, bb, bp, &l, &b, &ne);
    free(ly);
    /* with too few one-step errors, fall back on the spread of the series'
     * own year-on-year changes so the interval is not falsely narrow */
    double sigma2 = ne > 0 ? sse / ne : 0;
    if (ne < 2) {
        double s = 0;
        for (int i = 1; i < n; i++) {
            double d = (log(y[i]) - log(y[i - 1])) / (x[i] - x[i - 1]);
            s += d * d;
        }
        sigma2 = s / (n - 1);
    }
    double z80 = gsl_cdf_ugaussian_Pinv(0.90), z95 = gsl_cdf_ugaussian_Pinv(0.975);
    double damp = 0, var = 1, phik = 1;
    for (int k = 1; k <= h; k++) {
        phik *= bp;
        damp += phik;
        if (k > 1) {
            /* c_j = alpha + beta * phi (1 - phi^j) / (1 - phi), j = k - 1 */
            int j = k - 1;
            double c = ba + bb * bp * (1 - pow(bp, j)) / (1 - bp);
            var += c * c;
        }
        double f = l + damp * b, se = sqrt(sigma2 * var);
        out[k - 1] = (struct trade_fc){exp(f), exp(f - z80 * se), exp(f + z80 * se),
                                       exp(f - z95 * se), exp(f + z95 * se)};
    }
    return 0;
}

int trade_fc_fit(enum trade_model m, const int *x, const double *y, int n, int h,
                 struct trade_fc *out, struct err *e)
{
    if (n < 3)
        return err_set(e, ERR_INPUT, "a forecast needs at least 3 years of data; %d found", n);
    for (int i = 0; i < n; i++)
        if (!(y[i] > 0) || (i && x[i] <= x[i - 1]))
            return err_set(e, ERR_INPUT, "the series must be positive and in year order");
    int rc = m == MODEL_LOGLINEAR ? fit_loglinear(x, y, n, h, out) : fit_holt(x, y, n, h, out);
    if (rc) return err_set(e, ERR_INPUT, "the series cannot be fitted");
    return 0;
}

double trade_fc_backtest(enum trade_model m, const int *x, const double *y, int n, int min_train)
{
    double sum = 0;
    int tests = 0;
    if (min_train < 3) min_train = 3;
    for (int t = min_train; t < n; t++) {
        int h = x[t] - x[t - 1];
        struct trade_fc *fc = xmalloc((size_t)h * sizeof *fc);
        struct err e = {0};
        if (trade_fc_fit(m, x, y, t, h, fc, &e) == 0) {
            sum += fabs(fc[h - 1].point - y[t]) / y[t];
            tests++;
        }
        free(fc);
    }
    return tests ? 100.0 * sum / tests : -1;
}

int trade_forecast(struct db *db, const struct trade_query *q, struct table **out, struct err *e)
{
    int *x = NULL, n = 0, h = q->years > 0 ? q->years : 3;
    double *y = NULL;
    char title[300];
    /* every wording whole, for the catalogue */
    int fk = (!q->flow || str_ieq(q->flow, "turnover")) ? 0 : str_ieq(q->flow, "X") ? 1 : 2;
    const char *what = fk == 0 ? "turnover" : fk == 1 ? "exports" : "imports";
    static const char *const one[] = {NF_("Forecast of %s turnover with %s (US$), %d year ahead"),
                                      NF_("Forecast of %s exports with %s (US$), %d year ahead"),
                                      NF_("Forecast of %s imports with %s (US$), %d year ahead")};
    static const char *const many[] = {NF_("Forecast of %s turnover with %s (US$), %d years ahead"),
                                       NF_("Forecast of %s exports with %s (US$), %d years ahead"),
                                       NF_("Forecast of %s imports with %s (US$), %d years ahead")};
    snprintf(title, sizeof title, TF(h == 1 ? one[fk] : many[fk]), q->reporter, q->partner, h);
    struct table *t = table_new("forecast", title);
    int rc = trade_series(db, q, &x, &y, &n, t, e);
    if (!rc && n < 3)
        rc = err_set(e, ERR_INPUT,
                     "%s-reported %s with %s: %d year%s of data; a forecast needs "
                     "at least 3",
                     q->reporter, what, q->partner, n, n == 1 ? "" : "s");
    enum trade_model models[2] = {MODEL_LOGLINEAR, MODEL_HOLT_DAMPED};
    const char *names[2] = {N_("log-linear trend"), N_("damped trend (Holt)")};
    double mape[2] = {-1, -1};
    struct trade_fc *fc = xmalloc((size_t)h * sizeof *fc);
    int pickm = 0;
    if (!rc) {
        for (int k = 0; k < 2; k++)
            mape[k] = trade_fc_backtest(models[k], x, y, n, 3);
        if (mape[1] >= 0 && (mape[0] < 0 || mape[1] < mape[0])) pickm = 1;
        rc = trade_fc_fit(models[pickm], x, y, n, h, fc, e);
    }
    if (rc) {
        free(x), free(y), free(fc);
        table_free(t);
        return rc;
    }
    table_col(t, "year", COL_INT, NULL, 0);
    table_col(t, "kind", COL_TEXT, NULL, 0);
    table_col(t, "value_usd", COL_MONEY, NULL, 0);
    table_col(t, "lo80_usd", COL_MONEY, NULL, 0);
    table_col(t, "hi80_usd", COL_MONEY, NULL, 0);
    table_col(t, "lo95_usd", COL_MONEY, NULL, 0);
    table_col(t, "hi95_usd", COL_MONEY, NULL, 0);
    table_context(t, "reporter", q->reporter);
    table_context(t, "partner", q->partner);
    table_context(t, "flow", q->flow ? q->flow : "turnover");
    for (int i = 0; i < n; i++) {
        size_t r = table_add_row(t);
        table_set_int(t, r, 0, x[i]);
        table_set_text(t, r, 1, "actual");
        table_set_int(t, r, 2, (int64_t)llround(y[i]));
    }
    for (int k = 0; k < h; k++) {
        size_t r = table_add_row(t);
        table_set_int(t, r, 0, x[n - 1] + k + 1);
        table_set_text(t, r, 1, "forecast");
        double v[5] = {fc[k].point, fc[k].lo80, fc[k].hi80, fc[k].lo95, fc[k].hi95};
        for (int c = 0; c < 5; c++)
            table_set_int(t, r, 2 + (size_t)c, (int64_t)llround(v[c]));
    }
    table_note(t, TF("Model: %s, chosen by rolling-origin backtest (one-step, from 3 years)."),
               T(names[pickm]));
    for (int k = 0; k < 2; k++) {
        if (mape[k] >= 0)
            table_note(t,
                       n - 3 == 1 ? TF("Backtest MAPE, %s: %.2f%% over %d origin.")
                                  : TF("Backtest MAPE, %s: %.2f%% over %d origins."),
                       T(names[k]), mape[k], n - 3);
        else
            table_note(t, TF("Backtest MAPE, %s: not available (too few years)."), T(names[k]));
    }
    table_note(t, TF("Intervals are 80%% and 95%% prediction intervals on the log scale."));
    free(x), free(y), free(fc);
    *out = t;
    return 0;
}
