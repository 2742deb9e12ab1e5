#!/usr/bin/env bash
# What the driver protocol costs, measured (no target in a timed test):
#
# 1. The protocol alone: deposits answered by a driver that does nothing
#    (bench/drivers/noop.py), 2 workers, runs of 5 s and 15 s. Prints the
#    calls per second per worker and the harness's own CPU per call (its
#    report's host.harness_cpu_s, not its children's), from the difference
#    between the two runs (so set-up, fixture and checks cancel); and the
#    same with the noop drivers' Python counted (time(1)).
# 2. The review's Django deposit three ways, 4 processes, 10 s each, on a
#    fresh copy of the same fixture: through the harness; from a plain pool
#    of 4 processes (bench/drivers/django_alone.py); and through the real
#    driver processes fed by a minimal Python loop instead of the harness
#    (bench/drivers/django_pipe.py): what a call's round trip between two
#    processes costs by itself, the floor for anything that runs the code
#    in a process of its own. Over --rounds rounds, rotating which side
#    goes first (this machine is shared: one 10 s run can be 10% off),
#    prints each round's figures, the medians and the median of the rounds'
#    ratios: through/alone (target >= 0.95), pipe/alone (the floor) and
#    through/pipe (what the harness adds to the floor).
#
#   bench/driver_protocol.sh [--seconds 10] [--processes 4] [--rounds 5] [--skip-protocol]
#
# Runs on a fresh embedded cluster (ledgerstress db start, stopped at the
# end unless one was running). Needs the build and python3-django.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
seconds=10
processes=4
rounds=5
protocol=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --processes) processes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --skip-protocol) protocol=0; shift ;;
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

if [[ $protocol -eq 1 ]]; then
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
fi

# One side of a round each; both print deposits per second.
# through: the harness runs the deposit in $processes driver processes on a fresh case schema.
through() {
  local report
  report=$(run "$here/bench/drivers/django_deposit.toml" django --set "duration=${seconds}s" --set "workers=$processes")
  field "$report" "sum(o['outcomes'].get('ok',0) for o in r['cases'][0]['operations']) / r['cases'][0]['timing']['workers_s']"
  rm -rf "$work/django"
}
# plain <script>: bench/drivers/<script>'s pool of $processes on a fresh copy of the same fixture
# (one deposit through the harness, data kept); the session's search_path is the schema's, as the harness's.
plain() {
  local report schema rate
  report=$(run "$here/bench/drivers/django_deposit.toml" fixture --set workers=1 --set calls_per_worker=1 --keep-data)
  schema=$(field "$report" "r['cases'][0]['schema']")
  rm -rf "$work/fixture"
  rate=$(PGHOST="$dsn_dir" PGUSER=postgres PGDATABASE=postgres \
    PGOPTIONS="-c search_path=$schema" \
    /usr/bin/python3 "$here/bench/drivers/$1" "$processes" "$seconds")
  PGHOST="$dsn_dir" PGUSER=postgres PGDATABASE=postgres psql -qAtc "SET client_min_messages = warning; DROP SCHEMA \"$schema\" CASCADE" >/dev/null
  echo "$rate"
}
alone() { plain django_alone.py; }
pipe() { plain django_pipe.py; }
dsn_dir=$("$ls_bin" db status 2>/dev/null | sed -n 's/.*host=\([^ ]*\).*/\1/p' | head -1)
echo "django deposit, $processes processes, ${seconds}s a side, $rounds round(s) rotating which side goes first:"
declare -A rates=([alone]="" [pipe]="" [through]="")
sides=(alone pipe through)
for ((r = 1; r <= rounds; r++)); do
  declare -A got=()
  for ((i = 0; i < 3; i++)); do
    side=${sides[$(((r - 1 + i) % 3))]}
    got[$side]=$($side)
    rates[$side]+=" ${got[$side]}"
  done
  awk -v r="$r" -v a="${got[alone]}" -v p="${got[pipe]}" -v t="${got[through]}" 'BEGIN {
    printf "  round %d: alone %.1f/s, pipe %.1f/s, through ledgerstress %.1f/s; through/alone %.3f, pipe/alone %.3f, through/pipe %.3f\n",
           r, a, p, t, t / a, p / a, t / p }'
done
# median of the rounds' ratios <numerator side> <denominator side>
ratio_median() {
  /usr/bin/python3 -c "import statistics, sys; n, d = sys.argv[1].split(), sys.argv[2].split(); print('%.3f' % statistics.median(float(a) / float(b) for a, b in zip(n, d)))" "${rates[$1]}" "${rates[$2]}"
}
median() { /usr/bin/python3 -c "import statistics, sys; print('%.1f' % statistics.median(map(float, sys.argv[1].split())))" "${rates[$1]}"; }
echo "medians: alone $(median alone)/s, pipe $(median pipe)/s, through ledgerstress $(median through)/s"
echo "median ratios: through/alone $(ratio_median through alone) (target >= 0.95), pipe/alone $(ratio_median pipe alone) (the floor), through/pipe $(ratio_median through pipe)"
