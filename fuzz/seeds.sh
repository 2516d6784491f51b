#!/bin/sh
# seeds.sh — writes the seeds of fuzz_ops (fuzz/corpus/fuzz_ops/) from the
# real sample files in tests/data/ and data/demo/: each file behind the two
# bytes that choose its command and how it runs (see fuzz/fuzz_ops.c). The
# first byte is looked up by name in the harness's own table, so the seeds
# follow the operation table when it changes. Run after make build/fuzz/fuzz_ops.
set -eu
cd "$(dirname "$0")/.."
out=fuzz/corpus/fuzz_ops
empty=$(mktemp)
list=$(FUZZ_OPS_LIST=1 build/fuzz/fuzz_ops "$empty" 2>/dev/null)
rm -f "$empty"
mkdir -p "$out"

# put "AREA VERB [CHOICE]" FLAGS NAME: the seed NAME, its text from standard
# input; FLAGS is the second byte (1 rejects, 2 dry run, 4/8/12 sent as a BACI,
# BACI countries or .xlsx file name, 16 flags on)
put() {
    idx=$(printf '%s\n' "$list" | awk -v want="$1" '{ k = $2 " " $3; if ($4 != "") k = k " " $4 } k == want { print $1; exit }')
    [ -n "$idx" ] || { echo "seeds.sh: no command '$1' in fuzz_ops" >&2; exit 1; }
    name=$(printf '%s' "$idx-$3" | tr -c 'A-Za-z0-9._-' '_')
    { printf "\\$(printf '%03o' "$idx")\\$(printf '%03o' "$2")"; cat; } >"$out/$name"
}
# seed "AREA VERB [CHOICE]" FLAGS FILE...: a seed of each file
seed() {
    cmd=$1 flags=$2
    shift 2
    for f in "$@"; do put "$cmd" "$flags" "$(basename "$f")" <"$f"; done
}

seed "trade import auto" 0 tests/data/plus-web.csv tests/data/legacy35.csv tests/data/legacy-api.json \
    tests/data/plus-api-short.json tests/data/bulk-plus.txt.gz tests/data/native-1252.csv \
    tests/data/mixed-bad.csv data/demo/trade-published.csv
seed "trade import comtrade" 1 tests/data/plus-breakdown.csv tests/data/comtradr-snake.csv \
    tests/data/plus-tobacco.csv tests/data/plus-api-error.json
seed "trade import comtrade" 16 tests/data/plus-truncated.csv tests/data/plus-bad-flow.csv
seed "trade import comtrade-legacy" 1 tests/data/legacy22.csv tests/data/legacy-sitc.csv \
    tests/data/legacy-bad-flow.csv tests/data/legacy-plus-export.csv
seed "trade import baci" 4 tests/data/BACI_HS17_Y2022_V202401.csv
seed "trade import baci" 5 tests/data/BACI_HS17_Y2023_V202401.csv
seed "trade import baci-countries" 8 tests/data/country_codes_V202401.csv
seed "trade import native" 3 data/demo/trade-synthetic.csv tests/data/unknown-country.csv
seed "trade import-sources" 0 data/demo/sources.csv
seed "parties import" 1 data/demo/parties.csv tests/data/parties-bad.csv
seed "agreements import" 1 data/demo/agreements.csv
seed "agreements import-amendments" 1 data/demo/agreement-amendments.csv
seed "access import-rules" 0 data/demo/access-rules.csv
seed "access import-plants" 1 data/demo/plants.csv
seed "access import-barriers" 1 data/demo/barriers.csv
seed "shipments import" 1 data/demo/shipments.csv tests/data/shipments-bad.csv
seed "shipments import-events" 1 data/demo/shipment-events.csv
seed "invest import-native" 2 data/demo/invest-projects.csv
seed "invest import-figures" 1 data/demo/invest-figures.csv
seed "invest import auto" 12 tests/data/invest/aei-tracker.xlsx tests/data/invest/other-workbook.xlsx
seed "invest import auto" 0 tests/data/invest/aei-dataset1.csv tests/data/invest/aiddata-gcdf3.csv
seed "invest import aei" 13 tests/data/invest/aei-text-amounts.xlsx tests/data/invest/aei-misplaced-sheet.xlsx
seed "invest import aiddata" 1 tests/data/invest/aiddata-gcdf3.csv
seed "invest import native" 1 data/demo/invest-projects.csv
for what in nodes projects links demand; do
    seed "logistics import-$what" 0 data/demo/logistics-$what.csv
    seed "logistics import $what" 1 data/demo/logistics-$what.csv
done
seed "tourism import" 1 data/demo/tourism-flows.csv
seed "commitments import-meetings" 1 data/demo/meetings.csv
seed "commitments import" 1 data/demo/commitments.csv
put "invest import-stages" 1 stages.csv <<'CSV'
code,to,date,note
KZ-JP-02,signed,2023-04-01,agreement signed
KZ-JP-02,construction,2024-02-30,
NOPE,stalled,2024-01-01,"a note, quoted"
CSV
put "logistics assign" 0 scenario.json <<'JSON'
{"name": "half the grain, more containers, Dostyk closed a quarter",
 "demand": {"scale_pct": 50,
            "add": [{"year": 2026, "origin": "ALMATY", "destination": "URUMQI", "commodity": "containers", "tonnes": 100000}]},
 "capacity": [{"link": "AKTOGAY-DOSTYK", "pct": 0, "from": "2026-01-01", "to": "2026-04-01"}]}
JSON
put "logistics assign" 0 scenario-cut.json <<'JSON'
{"capacity": [{"link": "AKTOGAY-DOSTYK", "pct": 0, "from": "2026-03-01", "to": "2026-01-02"}], "demand": {"scale": 2}}
JSON
