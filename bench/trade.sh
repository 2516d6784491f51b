#!/bin/sh
# make bench (trade part): imports a generated UN Comtrade "plus" file and runs
# the totals and goods reports, then does the same with the peers on the same
# file in the same run: the sqlite3 shell's .import, DuckDB (read_csv + the
# aggregates over its loaded table) and pandas (read_csv + groupby). Prints a
# table and writes it to bench/results/trade.md. No test asserts these numbers.
# BENCH_ROWS (default 5000000) sets the file size; BENCH_RUNS the query runs.
set -eu
cd "$(dirname "$0")/.."
ROWS=${BENCH_ROWS:-5000000}
RUNS=${BENCH_RUNS:-10}
YEAR=2016
bin=$PWD/build/corridor
work=$PWD/bench/work
mkdir -p "$work" bench/results
csv=$work/comtrade-$ROWS.csv
[ -f "$csv" ] || "$bin" gen trade --rows "$ROWS" --out "$csv"
mb=$(awk -v b="$(stat -c %s "$csv")" 'BEGIN{printf "%.1f", b/1e6}')
echo "bench: $ROWS rows, $mb MB ($csv)"

# seconds and peak RSS (KB) of one command, as "S KB"
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt" ||
        { cat "$work/err.txt" >&2; exit 1; }
    cat "$work/time.txt"
}
# median wall seconds of RUNS runs of a command
median() {
    for i in $(seq "$RUNS"); do
        s=$(date +%s.%N)
        "$@" >/dev/null
        e=$(date +%s.%N)
        echo "$e - $s" | bc -l
    done | sort -n | awk '{a[NR]=$1} END{printf "%.4f", a[int((NR+1)/2)]}'
}

db=$work/corridor.db
rm -f "$db" "$db-wal" "$db-shm"
"$bin" init --db "$db" >/dev/null
set -- $(measure "$bin" trade import --db "$db" "$csv")
c_s=$1 c_kb=$2
c_tot=$(median "$bin" trade totals --db "$db" --reporter KAZ --partner CHN --format csv)
c_goods=$(median "$bin" trade goods --db "$db" --reporter KAZ --partner CHN --year $YEAR --level 2 --flow X --format csv)
c_check=$("$bin" trade totals --db "$db" --reporter KAZ --partner CHN --format csv | awk -F, -v y=$YEAR '$1==y{print $2}')

sq=$work/sqlite3.db
rm -f "$sq"
set -- $(measure sqlite3 "$sq" ".mode csv" ".import $csv comtrade")
s_s=$1 s_kb=$2

# the web site's download: 47 quoted columns, trailing commas, CRLF, Latin-1
web=$work/comtrade-web-$ROWS.csv
[ -f "$web" ] || "$bin" gen trade --rows "$ROWS" --shape web --out "$web" >/dev/null
wmb=$(awk -v b="$(stat -c %s "$web")" 'BEGIN{printf "%.1f", b/1e6}')
wdb=$work/corridor-web.db
rm -f "$wdb" "$wdb-wal" "$wdb-shm"
"$bin" init --db "$wdb" >/dev/null
set -- $(measure "$bin" trade import --db "$wdb" "$web")
w_s=$1 w_kb=$2
rm -f "$sq"
set -- $(measure sqlite3 "$sq" ".mode csv" ".import $web comtrade")
ws_s=$1 ws_kb=$2
rm -f "$sq"

set -- $(measure node bench/duckdb_trade.mjs "$csv" $YEAR "$RUNS")
d_kb=$2
d_json=$(cat "$work/out.txt")

set -- $(measure /usr/bin/python3 bench/pandas_trade.py "$csv" $YEAR)
p_kb=$2
p_json=$(cat "$work/out.txt")

jget() { echo "$1" | sed -n "s/.*\"$2\": *\"\{0,1\}\([^,\"}]*\).*/\1/p"; }
d_load=$(jget "$d_json" load_s) d_tot=$(jget "$d_json" totals_s) d_goods=$(jget "$d_json" goods_s)
p_load=$(jget "$p_json" load_s) p_tot=$(jget "$p_json" totals_s) p_goods=$(jget "$p_json" goods_s)
agree="yes"
[ "$(jget "$d_json" check_totals_x)" = "$c_check" ] || agree="NO (duckdb $(jget "$d_json" check_totals_x))"
[ "$(jget "$p_json" check_totals_x)" = "$c_check" ] || agree="$agree; NO (pandas $(jget "$p_json" check_totals_x))"

out=bench/results/trade.md
{
    echo "# Trade benchmark ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo "File: generated UN Comtrade plus CSV, $ROWS rows, $mb MB, 50 columns;"
    echo "corridor keeps the summary rows (drops breakdown rows) and validates every field."
    echo "Totals agree across tools ($YEAR KAZ exports to CHN = $c_check): $agree"
    echo
    echo "| tool | task | seconds | rows/s | MB/s | peak RSS MB | corridor speed-up |"
    echo "|---|---|---|---|---|---|---|"
    awk -v rows="$ROWS" -v mb="$mb" -v cs="$c_s" -v ckb="$c_kb" -v ss="$s_s" -v skb="$s_kb" \
        -v dl="$d_load" -v dkb="$d_kb" -v pl="$p_load" -v pkb="$p_kb" \
        -v ct="$c_tot" -v cg="$c_goods" -v dt="$d_tot" -v dg="$d_goods" -v pt="$p_tot" -v pg="$p_goods" \
        -v ws="$w_s" -v wkb="$w_kb" -v wss="$ws_s" -v wskb="$ws_kb" -v wmb="$wmb" 'BEGIN {
        printf "| corridor | import + validate | %.2f | %.0f | %.1f | %.1f | 1.00 |\n", cs, rows/cs, mb/cs, ckb/1024
        printf "| sqlite3 shell | .import | %.2f | %.0f | %.1f | %.1f | %.2f |\n", ss, rows/ss, mb/ss, skb/1024, ss/cs
        printf "| DuckDB | read_csv into a table | %.2f | %.0f | %.1f | %.1f | %.2f |\n", dl, rows/dl, mb/dl, dkb/1024, dl/cs
        printf "| pandas | read_csv | %.2f | %.0f | %.1f | %.1f | %.2f |\n", pl, rows/pl, mb/pl, pkb/1024, pl/cs
        printf "| corridor | import web download (Latin-1, trailing commas) | %.2f | %.0f | %.1f | %.1f | 1.00 |\n", ws, rows/ws, wmb/ws, wkb/1024
        printf "| sqlite3 shell | .import of the web download | %.2f | %.0f | %.1f | %.1f | %.2f |\n", wss, rows/wss, wmb/wss, wskb/1024, wss/ws
        printf "| corridor | totals (whole CLI run) | %.4f | | | | 1.00 |\n", ct
        printf "| DuckDB | totals (query on loaded table) | %.4f | | | | %.2f |\n", dt, dt/ct
        printf "| pandas | totals (groupby on loaded frame) | %.4f | | | | %.2f |\n", pt, pt/ct
        printf "| corridor | goods (whole CLI run) | %.4f | | | | 1.00 |\n", cg
        printf "| DuckDB | goods (query on loaded table) | %.4f | | | | %.2f |\n", dg, dg/cg
        printf "| pandas | goods (groupby on loaded frame) | %.4f | | | | %.2f |\n", pg, pg/cg
    }'
    echo
    awk -v ws="$w_s" -v wss="$ws_s" -v wkb="$w_kb" 'BEGIN {
        printf "Web download shape: corridor %.2fx sqlite3 .import (target >= 1.0: %s), peak RSS %.1f MB (target < 64: %s)\n\n",
            wss/ws, (wss/ws >= 1) ? "met" : "MISSED", wkb/1024, (wkb < 65536) ? "met" : "MISSED" }'
    echo "Speed-up = peer time / corridor time (above 1: corridor is faster). Query"
    echo "times are medians of $RUNS runs; corridor's include starting the process and"
    echo "opening the database, the peers' do not."
} >"$out"
cat "$out"
