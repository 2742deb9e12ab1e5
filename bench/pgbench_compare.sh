#!/usr/bin/env bash
# The harness against pgbench on the same pledge transaction:
# for each client count, pgbench (bench/pledge.pgbench) and ledgerstress
# (bench/pledge.toml), one after the other, on the same server, each on a
# fresh copy of the same fixture, for the same duration. Prints both
# throughputs and ratio = ledgerstress / pgbench (target >= 0.95).
#
#   bench/pgbench_compare.sh [--clients "8 32"] [--duration 10] [--rounds 3]
#                            [--pgbench-threads N] [--dsn DSN] [--ours builtin|sql]
#
# --ours picks what runs the pledge on our side: "builtin" (default), the
# C++ port's pledge_funds (bench/pledge.toml); "sql", the same statements
# written as a SQL operation in the scenario (bench/pledge_sql.toml), as
# a team would bring its own.
#
# Each round runs both, alternating which goes first; the ratio is of the
# medians over the rounds (this machine is shared: one 10 s pair can be 20% off).
#
# Without --dsn it starts a `ledgerstress db start` cluster and stops it at
# the end (unless one was already running). Needs the build (scripts/build.sh)
# and pgbench (postgresql-15). Throughputs count committed pledges per second:
# pgbench's "tps (without initial connection time)", ledgerstress's ok calls
# over the workers' running time (connections are made before the clock
# starts, on both sides). pgbench runs in prepared mode (-M prepared, its
# fastest) with one thread per client by default, as ledgerstress does.
# Beside the ratio: each client's CPU time (user + system) per transaction,
# the medians over the rounds (both share the server's two cores with it).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
tool=pgbench_compare
clients="8 32"
duration=10
rounds=3
threads=""
dsn=""
ours=builtin
while [[ $# -gt 0 ]]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --pgbench-threads) threads="$2"; shift 2 ;;
    --dsn) dsn="$2"; shift 2 ;;
    --ours) ours="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pgbench_compare: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$ours" in
  builtin) ours_toml="$here/bench/pledge.toml" ;;
  sql) ours_toml="$here/bench/pledge_sql.toml" ;;
  *) echo "pgbench_compare: --ours must be builtin or sql, got '$ours'" >&2; exit 2 ;;
esac
source "$here/bench/pgbench_lib.sh"

# The client's CPU (user + system seconds) of the last timed command.
TIMEFORMAT='%U %S'
cpu_seconds() { awk '{ print $1 + $2 }' "$work/cpu"; }

# One pgbench run of $1 clients on a fresh fixture; prints its tps and the
# client's CPU microseconds per transaction.
run_pgbench() {
  local c="$1" schema out n
  schema="$(fixture)"
  [[ -n "$schema" ]] || { echo "pgbench_compare: could not create the fixture" >&2; return 3; }
  # shellcheck disable=SC2046
  out="$( { time PGOPTIONS="$(pgbench_options "$schema")" "$pgbench" -n -M prepared \
           -c "$c" -j "${threads:-$c}" -T "$duration" -f "$here/bench/pledge.pgbench" \
           $(fixture_vars "$schema") "$dsn" 2>"$work/pgbench.err"; } 2>"$work/cpu")" \
    || { cat "$work/pgbench.err" >&2; return 3; }
  drop_schema "$schema"
  n="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")"
  printf '%s %s\n' "$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")" \
    "$(python3 -c "print('%.0f' % ($(cpu_seconds) * 1e6 / max($n, 1)))")"
}

# One ledgerstress run of $1 workers; prints committed pledges per second of
# the workers' running time, and the client's CPU microseconds per committed
# pledge (its short setup and checks included).
run_ledgerstress() {
  rm -f "$work"/*.json
  { time "$ls_bin" run "$ours_toml" --set workers="$1" --set duration="${duration}s" \
      --report-dir "$work" --format json >/dev/null 2>"$work/ls.err"; } 2>"$work/cpu" \
    || { cat "$work/ls.err" >&2; return 3; }
  python3 - "$(cpu_seconds)" "$work"/*.json <<'PY'
import json, sys
c = json.load(open(sys.argv[2]))["cases"][0]
ok = sum(op["outcomes"].get("ok", 0) for op in c["operations"])
print("%.1f %.0f" % (ok / (c["timing"].get("workers_s") or c["timing"]["run_s"]), float(sys.argv[1]) * 1e6 / max(ok, 1)))
PY
}

echo "pledge transaction (ours: $ours, $(basename "$ours_toml")), ${duration}s per run, $rounds round(s) of pgbench and ledgerstress (alternating first), server: $("$psql" "$dsn" -XAtq -c 'SHOW server_version')"
printf '%-8s %-28s %-28s %8s  %s\n' clients "pgbench tps (each)" "ledgerstress tps (each)" ratio \
  "client CPU us/txn pgbench, ledgerstress"
below=0
for c in $clients; do
  : >"$work/pg.runs"
  : >"$work/ls.runs"
  for ((r = 1; r <= rounds; r++)); do
    # Alternate who goes first: the run after a drop and a checkpoint is not
    # the same as the one before.
    if ((r % 2)); then
      run_pgbench "$c" >>"$work/pg.runs"
      run_ledgerstress "$c" >>"$work/ls.runs"
    else
      run_ledgerstress "$c" >>"$work/ls.runs"
      run_pgbench "$c" >>"$work/pg.runs"
    fi
  done
  # Each line of a .runs file: tps, client CPU us per transaction.
  mapfile -t pg < <(cut -d' ' -f1 "$work/pg.runs")
  mapfile -t pg_cpu < <(cut -d' ' -f2 "$work/pg.runs")
  mapfile -t ls < <(cut -d' ' -f1 "$work/ls.runs")
  mapfile -t ls_cpu < <(cut -d' ' -f2 "$work/ls.runs")
  pg_med="$(median "${pg[@]}")"
  ls_med="$(median "${ls[@]}")"
  ratio="$(python3 -c "print('%.3f' % ($ls_med / $pg_med))")"
  printf '%-8s %-28s %-28s %8s  %s, %s\n' "$c" "$pg_med (${pg[*]%.*})" "$ls_med (${ls[*]%.*})" "$ratio" \
    "$(median "${pg_cpu[@]}")" "$(median "${ls_cpu[@]}")"
  python3 -c "import sys; sys.exit(0 if $ratio >= 0.95 else 1)" || below=1
done
if [[ $below == 1 ]]; then echo "ratio below the 0.95 target at some client count"; else echo "target met: ratio >= 0.95 at every client count"; fi
