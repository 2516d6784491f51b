/* workdir.h — the harnesses' private working directory (a demo database and
 * its log) removed with everything in it when the fuzzer exits. */
#ifndef CORRIDOR_FUZZ_WORKDIR_H
#define CORRIDOR_FUZZ_WORKDIR_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static inline void workdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    for (struct dirent *f; d && (f = readdir(d));) {
        if (!strcmp(f->d_name, ".") || !strcmp(f->d_name, "..")) continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, f->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    rmdir(dir);
}

#endif
