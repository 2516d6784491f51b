#!/bin/sh
# make bench (logistics part): the crossing simulator's events per second on
# one thread against SimPy running the same M/M/c queue (Debian's
# python3-simpy3), in the same run; and the speed-up of the replications from
# one thread to two. Prints a table and writes bench/results/logistics.md. No
# test asserts these numbers.
set -eu
cd "$(dirname "$0")/.."
bin=$PWD/build/corridor
mkdir -p bench/results
LAMBDA=5 MU=1 C=6          # ρ = 0.83, a busy crossing
HOURS=${BENCH_SIM_HOURS:-100000}
REPS=${BENCH_SIM_REPS:-20}

db=$PWD/bench/work/logistics-demo.db
mkdir -p bench/work
rm -f "$db" "$db-wal" "$db-shm"
"$bin" demo --db "$db" >/dev/null

# events, seconds (wall, the whole command) and events/s of corridor
run() {
    s=$(date +%s.%N)
    out=$("$bin" logistics simulate --db "$db" --lambda $LAMBDA --mu $MU --servers $C --hours "$HOURS" \
        --warmup 0 --reps "$REPS" --seed 1 --threads "$1" --format csv)
    e=$(date +%s.%N)
    events=$(echo "$out" | awk -F, '$1 == "events" {printf "%.0f", $2}')
    secs=$(echo "$e - $s" | bc -l)
    echo "$events $secs $(echo "$events / $secs" | bc -l)"
}
set -- $(run 1)
ev1=$1 s1=$2 r1=$3
set -- $(run 2)
ev2=$1 s2=$2 r2=$3
set -- $(/usr/bin/python3 bench/simpy_mmc.py $LAMBDA $MU $C "${BENCH_SIMPY_HOURS:-20000}" 1)
evp=$1 sp=$2
rp=$(echo "$evp / $sp" | bc -l)
ratio=$(echo "$r1 / $rp" | bc -l)
speedup=$(echo "$s1 / $s2" | bc -l)
out=bench/results/logistics.md
{
    echo "# Logistics benchmark"
    echo
    echo "M/M/$C with λ = $LAMBDA, μ = $MU per hour (ρ = 0.83). corridor: $REPS replications of"
    echo "$HOURS hours; SimPy $(/usr/bin/python3 -c 'import simpy; print(simpy.__version__)'):"
    echo "one run of ${BENCH_SIMPY_HOURS:-20000} hours. Events: an arrival and a departure per customer."
    echo
    echo "| tool | threads | events | seconds | events/s |"
    echo "|---|---|---|---|---|"
    printf "| corridor | 1 | %s | %.3f | %.0f |\n" "$ev1" "$s1" "$r1"
    printf "| corridor | 2 | %s | %.3f | %.0f |\n" "$ev2" "$s2" "$r2"
    printf "| SimPy | 1 | %s | %.3f | %.0f |\n" "$evp" "$sp" "$rp"
    echo
    printf "corridor on one thread: %.0fx SimPy's events/s (target >= 60: %s)\n" "$ratio" \
        "$(echo "$ratio >= 60" | bc -l | sed 's/1/met/;s/0/not met/')"
    printf "replications, 1 -> 2 threads: %.2fx faster (near-linear is 2)\n" "$speedup"
    echo
    echo "Seconds are wall time of the whole command (start-up included for corridor, the"
    echo "simulation loop only for SimPy)."
} >"$out"
cat "$out"

# the assignment sweep of the demo network: 10 years x 20 demand scenarios
s=$(date +%s.%N)
"$bin" logistics sweep --db "$db" --from 2022 --to 2031 --scenarios 20 --format csv >/dev/null
e=$(date +%s.%N)
sweep=$(echo "$e - $s" | bc -l)
{
    echo
    printf "assignment sweep of the demo network, 10 years x 20 scenarios (200 GLPK solves), whole command: %.3f s (target < 1 s: %s)\n" \
        "$sweep" "$(echo "$sweep < 1" | bc -l | sed 's/1/met/;s/0/not met/')"
} >>"$out"
tail -2 "$out"
