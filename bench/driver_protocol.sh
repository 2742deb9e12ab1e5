#!/usr/bin/env bash
# What the driver protocol costs, measured (no target in a timed test):
#
# 1. The protocol alone: deposits answered by a driver that does nothing
#    (bench/drivers/noop.py), 2 workers, runs of 5 s and 15 s. Prints the
#    calls per second per worker and the harness's own CPU per call (its
#    report's host.harness_cpu_s, not its children's), from the difference
#    between the two runs (so set-up, fixture and checks cancel); and the
#    same with the noop drivers' Python counted (time(1)).
# 2. The review's Django deposit through the harness (4 workers, 10 s) and
#    the same function from a plain pool of 4 processes for 10 s on the same
#    schema (bench/drivers/django_alone.py). Prints both and the ratio
#    (target >= 0.9).
#
#   bench/driver_protocol.sh [--seconds 10] [--processes 4]
#
# Runs on a fresh embedded cluster (ledgerstress db start, stopped at the
# end unless one was running). Needs the build and python3-django.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
seconds=10
processes=4
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --processes) processes="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "driver_protocol: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
started=0
if ! "$ls_bin" db status >/dev/null 2>&1; then "$ls_bin" db start >/dev/null; started=1; fi
cleanup() { [[ $started -eq 1 ]] && "$ls_bin" db stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT

# field <report.json> <python expression over the report r>
field() { /usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
# run <scenario> <name> [ledgerstress args...]: CPU seconds of the harness (user+sys) in $work/<name>.cpu
run() {
  local scenario=$1 name=$2; shift 2
  /usr/bin/time -f "%U %S" -o "$work/$name.cpu" "$ls_bin" run "$scenario" --report-dir "$work/$name" \
    --format json "$@" >/dev/null 2>&1
  ls "$work/$name"/*.json
}

short=$(run "$here/bench/drivers/noop.toml" short --set duration=5s)
long=$(run "$here/bench/drivers/noop.toml" long --set duration=15s)
calls_short=$(field "$short" "r['cases'][0]['operations'][0]['calls']")
calls_long=$(field "$long" "r['cases'][0]['operations'][0]['calls']")
# The harness's own CPU (its report's host.harness_cpu_s), and with its drivers and their Python (time(1)).
cpu() { field "$1" "r['host']['harness_cpu_s']"; }
all() { tail -n 1 "$work/$1.cpu" | awk '{print $1 + $2}'; }
awk -v cs="$calls_short" -v cl="$calls_long" -v ts="$(cpu "$short")" -v tl="$(cpu "$long")" \
    -v as="$(all short)" -v al="$(all long)" 'BEGIN {
  printf "protocol (noop driver, 2 workers): %.0f calls/s per worker; harness CPU %.2f us per call " \
         "(target <= 10), %.2f us with the noop drivers\n",
         (cl - cs) / 10 / 2, (tl - ts) / (cl - cs) * 1e6, (al - as) / (cl - cs) * 1e6 }'

through=$(run "$here/bench/drivers/django_deposit.toml" django --set "duration=${seconds}s" \
  --set "workers=$processes" --keep-data)
through_rate=$(field "$through" "sum(o['outcomes'].get('ok',0) for o in r['cases'][0]['operations']) / r['cases'][0]['timing']['workers_s']")
schema=$(field "$through" "r['cases'][0]['schema']")
dsn_dir=$("$ls_bin" db status 2>/dev/null | sed -n 's/.*host=\([^ ]*\).*/\1/p' | head -1)
alone_rate=$(PGHOST="$dsn_dir" PGUSER=postgres PGDATABASE=postgres PGOPTIONS="-c search_path=$schema" \
  /usr/bin/python3 "$here/bench/drivers/django_alone.py" "$processes" "$seconds")
PGHOST="$dsn_dir" PGUSER=postgres PGDATABASE=postgres psql -qAtc "SET client_min_messages = warning; DROP SCHEMA \"$schema\" CASCADE" >/dev/null
awk -v a="$alone_rate" -v t="$through_rate" -v p="$processes" 'BEGIN {
  printf "django deposit, %d processes: alone %.1f/s, through ledgerstress %.1f/s, ratio %.3f (target >= 0.9)\n",
         p, a, t, t / a }'
