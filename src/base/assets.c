/* assets.c — lookup of the files embedded in the binary at build time
 * (scripts/embed.sh writes the table this file reads). */
#include "base.h"

#include <string.h>

struct corridor_asset {
    const char *name;
    const char *data;
    const size_t *len;
};
extern const struct corridor_asset corridor_assets[];

const char *asset_get(const char *name, size_t *len)
{
    for (const struct corridor_asset *a = corridor_assets; a->name; a++)
        if (strcmp(a->name, name) == 0) {
            if (len) *len = *a->len;
            return a->data;
        }
    return NULL;
}

const char *asset_name(size_t i)
{
    for (size_t k = 0; corridor_assets[k].name; k++)
        if (k == i) return corridor_assets[k].name;
    return NULL;
}
