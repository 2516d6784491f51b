#!/bin/sh
# make bench (server part): wrk for 30 s with 64 connections against
# corridor's /api/v1/trade/totals and Overview page, anonymous and signed in
# (a viewer's token for the API, a session cookie for the page), and against
# nginx serving the same bytes as static files; then the shipments desk at
# work (bench/writes.lua: declarations and departures with an editor's
# token, 16 connections), on this machine in one run. Prints a table and
# writes bench/results/server.md. BENCH_SECONDS changes the duration.
set -eu
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-30}
CONNS=64
bin=$PWD/build/corridor
work=$PWD/bench/work/server
rm -rf "$work"
mkdir -p "$work/www/api" bench/results
db=$work/demo.db
"$bin" demo --db "$db" >/dev/null
vtok=$("$bin" token create --name bench-viewer --role viewer --db "$db" 2>/dev/null)
stok=$("$bin" token create --name bench-desk --role editor:shipments --db "$db" 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$db" --listen "127.0.0.1:$port" >"$work/serve.out" 2>"$work/serve.err" &
spid=$!
trap 'kill $spid 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; true' EXIT
for i in $(seq 50); do grep -q serving "$work/serve.out" && break; sleep 0.1; done
API="/api/v1/trade/totals?reporter=KAZ&partner=CHN"
curl -sf "http://127.0.0.1:$port$API" >"$work/www/api/totals.json"
curl -sf "http://127.0.0.1:$port/" >"$work/www/index.html"
cookie=$(curl -s -o /dev/null -D - --data "token=$vtok" "http://127.0.0.1:$port/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(corridor_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "bench: could not sign in" >&2; exit 1; }
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; text/html html; }
  server {
    listen 127.0.0.1:$nport;
    root $work/www;
    location = /api/v1/trade/totals { default_type application/json; try_files /api/totals.json =404; }
  }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.3
rss() { awk '/VmRSS/{print $2}' "/proc/$spid/status"; }
# one wrk run after a 3 s warm-up: prints "rps p50_ms p99_ms errors"
run() {
    url=$1
    shift
    wrk -t2 -c$CONNS -d3s "$@" "$url" >/dev/null 2>&1
    wrk -t2 -c$CONNS -d${SECS}s --latency "$@" "$url" >"$work/wrk.txt" 2>&1
    awk '
      /Requests\/sec/ {rps=$2}
      /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
      /Non-2xx/ {err+=$NF} /Socket errors/ {for(i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) err+=$i+0}
      function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
      END {printf "%s %.3f %.3f %d\n", rps, ms(p50), ms(p99), err+0}' "$work/wrk.txt"
}
mem0=$(rss)
set -- $(run "http://127.0.0.1:$port$API"); c_api="$*"
set -- $(run "http://127.0.0.1:$port/"); c_page="$*"
set -- $(run "http://127.0.0.1:$port$API" -H "Authorization: Bearer $vtok"); t_api="$*"
set -- $(run "http://127.0.0.1:$port/" -H "Cookie: $cookie"); t_page="$*"
mem1=$(rss)
# the shipments desk: declarations and their departures, 16 writers at once
TOKEN=$stok RUN_TAG=$$ wrk -t2 -c16 -d${SECS}s --latency -s bench/writes.lua \
    "http://127.0.0.1:$port/" >"$work/writes.txt" 2>&1 </dev/null
w_line=$(awk '
  /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
  /^DECLARED/ {d=$2; ev=$4; o=$6}
  function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
  END {printf "%d %d %d %.3f %.3f\n", d, ev, o, ms(p50), ms(p99)}' "$work/writes.txt")
set -- $(run "http://127.0.0.1:$nport$API"); n_api="$*"
set -- $(run "http://127.0.0.1:$nport/"); n_page="$*"
out=bench/results/server.md
{
    echo "# Server benchmark ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo "wrk -t2 -c$CONNS -d${SECS}s after a 3 s warm-up, all on this machine. nginx serves the same bytes"
    echo "as static files. Size: totals $(wc -c <"$work/www/api/totals.json") B, overview $(wc -c <"$work/www/index.html") B."
    echo
    echo "| target | server | requests/s | p50 ms | p99 ms | errors | ratio to nginx |"
    echo "|---|---|---|---|---|---|---|"
    echo "$c_api $n_api" | awk '{printf "| /api/v1/trade/totals | corridor | %.0f | %.3f | %.3f | %d | %.2f |\n", $1, $2, $3, $4, $1/$5
                                printf "| /api/v1/trade/totals | nginx (static) | %.0f | %.3f | %.3f | %d | 1.00 |\n", $5, $6, $7, $8}'
    echo "$c_page $n_page" | awk '{printf "| Overview page | corridor | %.0f | %.3f | %.3f | %d | %.2f |\n", $1, $2, $3, $4, $1/$5
                                printf "| Overview page | nginx (static) | %.0f | %.3f | %.3f | %d | 1.00 |\n", $5, $6, $7, $8}'
    echo "$t_api $n_api" | awk '{printf "| /api/v1/trade/totals, viewer token | corridor | %.0f | %.3f | %.3f | %d | %.2f |\n", $1, $2, $3, $4, $1/$5}'
    echo "$t_page $n_page" | awk '{printf "| Overview page, signed in (session) | corridor | %.0f | %.3f | %.3f | %d | %.2f |\n", $1, $2, $3, $4, $1/$5}'
    echo
    echo "Signed-in reads are authorised first (the token or the session looked up in the database,"
    echo "or found among those the thread checked in the last 5 s with no change to the database"
    echo "since), then served from the same response cache; a signed-in page is cached under its"
    echo "own session."
    echo
    echo "The shipments desk (bench/writes.lua): 16 connections with an editor's token, each request"
    echo "declaring a 1 t wheat consignment through every gate or recording a declared one's departure."
    echo
    echo "| workload | declarations/s | events/s | refused or failed | p50 ms | p99 ms |"
    echo "|---|---|---|---|---|---|"
    echo "$w_line" | awk -v s="$SECS" '{printf "| declare + depart, 16 writers | %.0f | %.0f | %d | %.3f | %.3f |\n", $1/s, $2/s, $3, $4, $5}'
    echo
    echo "corridor resident memory: ${mem0} KiB before, ${mem1} KiB after the two runs."
    echo "Targets: reads, anonymous or signed in, at least 0.5x nginx's requests/s with p99 under"
    echo "10 ms, no errors, memory flat; writes: no refusal, p99 reported."
} >"$out"
cat "$out"
