#!/usr/bin/env bash
# The open model cross-checked with pgbench -R: the pledge transaction at
# the same offered rate on both sides, the same clients, the same duration,
# each on a fresh copy of the same fixture. pgbench's latency under -R is
# measured from each transaction's scheduled start (read from its -l log);
# ledgerstress's is pledge_funds.corrected (from each call's intended start,
# arrival = "poisson" as pgbench's schedule). Prints both p50 and p99, the
# ratios ledgerstress / pgbench (target 0.8-1.25), both schedule lags, and
# what each dropped (pgbench -L, ledgerstress max_start_delay).
#
#   bench/pgbench_rate.sh [--rate 300] [--clients 8] [--duration 10]
#                         [--rounds 3] [--max-delay-ms 1000] [--dsn DSN]
#
# The ratios are of the medians over the rounds; each round runs both,
# alternating which goes first. Without --dsn it starts a `ledgerstress db
# start` cluster and stops it at the end (unless one was already running).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
tool=pgbench_rate
rate=300
clients=8
duration=10
rounds=3
max_delay=1000
dsn=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --max-delay-ms) max_delay="$2"; shift 2 ;;
    --dsn) dsn="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "$tool: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
source "$here/bench/pgbench_lib.sh"

# One pgbench -R run on a fresh fixture; prints p50_ms p99_ms lag_avg_ms
# lag_max_ms skipped (latency from the schedule, from its per-transaction log).
run_pgbench() {
  local schema out
  schema="$(fixture)"
  [[ -n "$schema" ]] || { echo "$tool: could not create the fixture" >&2; return 3; }
  rm -f "$work"/pgl*
  # shellcheck disable=SC2046
  out="$(PGOPTIONS="$(pgbench_options "$schema")" "$pgbench" -n -M prepared -c "$clients" -j "$clients" \
          -T "$duration" -R "$rate" -L "$max_delay" -l --log-prefix="$work/pgl" -f "$here/bench/pledge.pgbench" \
          $(fixture_vars "$schema") "$dsn" 2>"$work/pgbench.err")" || { cat "$work/pgbench.err" >&2; return 3; }
  drop_schema "$schema"
  python3 - "$out" "$work"/pgl* <<'PY'
import re, statistics, sys
out = sys.argv[1]
# Each log line: client_id transaction_no time script_no time_epoch time_us schedule_lag;
# time is "skipped" for a transaction dropped by -L.
lat = []
for path in sys.argv[2:]:
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and f[2] != "skipped":
            lat.append(int(f[2]) / 1000.0)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
lag = re.search(r"schedule lag: avg ([0-9.]+) \(max ([0-9.]+)\) ms", out)
skipped = re.search(r"number of transactions skipped: (\d+)", out)
print("%.3f %.3f %s %s %s" % (q(0.5), q(0.99), lag.group(1), lag.group(2), skipped.group(1) if skipped else "0"))
PY
}

# One ledgerstress run at the rate; prints the same five figures.
run_ledgerstress() {
  rm -f "$work"/*.json
  "$ls_bin" run "$here/bench/pledge.toml" --set workers="$clients" --set duration="${duration}s" \
    --set arrival_rate="$rate/s" --set arrival=poisson --set max_start_delay="${max_delay}ms" \
    --report-dir "$work" --format json >/dev/null 2>"$work/ls.err" || { cat "$work/ls.err" >&2; return 3; }
  python3 - "$work"/*.json <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["cases"][0]
op = next(o for o in c["operations"] if o["name"] == "pledge_funds")
a = c["arrivals"]
print("%.3f %.3f %.3f %.3f %d" % (op["latency_corrected"]["p50_ms"], op["latency_corrected"]["p99_ms"],
                                  a["lag"]["mean_ms"], a["lag"]["max_ms"], a["dropped"]))
PY
}

echo "pledge transaction at ${rate}/s, $clients clients, ${duration}s per run, $rounds round(s) (alternating first)," \
     "server: $("$psql" "$dsn" -XAtq -c 'SHOW server_version')"
: >"$work/pg.runs"
: >"$work/ls.runs"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    run_pgbench >>"$work/pg.runs"
    run_ledgerstress >>"$work/ls.runs"
  else
    run_ledgerstress >>"$work/ls.runs"
    run_pgbench >>"$work/pg.runs"
  fi
done
# Columns of a .runs line: p50 p99 lag_avg lag_max dropped.
col() {
  mapfile -t v < <(cut -d' ' -f"$2" "$work/$1.runs")
  python3 -c "import statistics, sys; print('%.2f' % statistics.median(map(float, sys.argv[1:])))" "${v[@]}"
}
printf '%-14s %10s %10s %14s %14s %8s\n' "" "p50 ms" "p99 ms" "lag avg ms" "lag max ms" dropped
for side in pg ls; do
  printf '%-14s %10s %10s %14s %14s %8s\n' "$([[ $side == pg ]] && echo pgbench -R || echo ledgerstress)" \
    "$(col $side 1)" "$(col $side 2)" "$(col $side 3)" "$(col $side 4)" "$(col $side 5)"
done
p50="$(python3 -c "print('%.2f' % ($(col ls 1) / $(col pg 1)))")"
p99="$(python3 -c "print('%.2f' % ($(col ls 2) / $(col pg 2)))")"
echo "ratio ledgerstress / pgbench: p50 $p50, p99 $p99 (target 0.8-1.25)"
python3 -c "import sys; sys.exit(0 if all(0.8 <= x <= 1.25 for x in ($p50, $p99)) else 1)" \
  && echo "target met" || echo "outside the 0.8-1.25 target"
