/* progress.c — the terminal progress bar shown during imports and other long
 * work, plus the clock and peak-memory readings the summaries print. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    long kib = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kib = atol(line + 6);
    fclose(f);
    return kib;
}

void progress_start(struct progress *p, const char *label, uint64_t total_bytes, int want)
{
    memset(p, 0, sizeof *p);
    p->label = label;
    p->total_bytes = total_bytes;
    p->start = now_seconds();
    p->enabled = want && isatty(STDERR_FILENO);
}

void progress_update(struct progress *p, uint64_t bytes, uint64_t rows)
{
    if (!p->enabled) return;
    double t = now_seconds();
    if (p->drawn && t - p->last_draw < 0.1) return;
    p->last_draw = t;
    p->drawn = 1;
    double el = t - p->start, frac = p->total_bytes ? (double)bytes / (double)p->total_bytes : 0;
    if (frac > 1) frac = 1;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : ' ';
    bar[30] = 0;
    double mbs = el > 0 ? (double)bytes / 1e6 / el : 0;
    double eta = (frac > 0.001 && el > 0) ? el * (1 - frac) / frac : 0;
    fprintf(stderr, "\r%.30s [%s] %3d%% %llu rows %.1f MB/s ETA %.0fs ", p->label, bar,
            (int)(frac * 100), (unsigned long long)rows, mbs, eta);
    fflush(stderr);
}

void progress_done(struct progress *p)
{
    if (p->enabled && p->drawn) fputs("\r\033[K", stderr);
}
