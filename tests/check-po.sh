#!/bin/sh
# Checks the translations: each po/LL.po compiles with msgfmt --check (a
# printf format's translation must keep its conversions, in order), and
# none is fuzzy (msgmerge marks a translation fuzzy when its format does not
# match: it would silently fall back to English).
set -u
fail=0
for po in po/*.po; do
    msgfmt --check -o /dev/null "$po" || fail=1
    if grep -n '^#, .*fuzzy' "$po" >/dev/null; then
        echo "$po: fuzzy translations (a format that does not match its English):"
        grep -n -A1 '^#, .*fuzzy' "$po" | head -20
        fail=1
    fi
done
[ $fail = 0 ] && echo "translations: $(ls po/*.po | wc -l) catalogues checked"
exit $fail
