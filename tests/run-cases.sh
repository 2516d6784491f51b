#!/bin/sh
# Runs the black-box cases in tests/cases/NNN-name/, in the manner of curl's
# tests/data: each case holds
#   cmd       a shell script, run in a fresh directory holding only `data`
#             (a link to tests/data), with $CORRIDOR (the binary under test),
#             $CASE (the case's own folder) and CORRIDOR_DB=test.db (a
#             database that does not exist yet) set;
#   expected  its standard output, compared exactly;
#   status    its exit status (default 0);
#   stderr    optional: its standard error, compared exactly.
# Prints one line per failure with a diff, then "N passed, N failed".
# Usage: run-cases.sh BINARY [CASE-NAME-PATTERN]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pattern=${2:-}
pass=0
fail=0
for dir in "$root"/tests/cases/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    case "$name" in *"$pattern"*) ;; *) continue ;; esac
    work=$(mktemp -d /tmp/corridor-case.XXXXXX)
    ln -s "$root/tests/data" "$work/data"
    (cd "$work" && CORRIDOR="$bin" CASE="$dir" CORRIDOR_DB=test.db CORRIDOR_USER=tester \
        sh "$dir/cmd" >"$work/.out" 2>"$work/.err")
    rc=$?
    want_rc=0
    [ -f "$dir/status" ] && want_rc=$(cat "$dir/status")
    ok=1
    if [ "$rc" != "$want_rc" ]; then
        echo "FAIL $name: exit status $rc, expected $want_rc"
        sed 's/^/  stderr: /' "$work/.err" | head -20
        ok=0
    fi
    if ! diff -u "$dir/expected" "$work/.out" >"$work/.diff" 2>&1; then
        echo "FAIL $name: standard output differs"
        head -40 "$work/.diff"
        ok=0
    fi
    if [ -f "$dir/stderr" ] && ! diff -u "$dir/stderr" "$work/.err" >"$work/.diff" 2>&1; then
        echo "FAIL $name: standard error differs"
        head -40 "$work/.diff"
        ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    rm -rf "$work"
done
echo "cases: $pass passed, $fail failed"
[ $fail = 0 ]
