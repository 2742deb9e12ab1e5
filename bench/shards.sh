#!/usr/bin/env bash
# What splitting a run over shards costs and gives, measured on this
# machine (no target in a timed test). Every shard is a real ledgerstress
# process (`run --shard i/N`) against one `db start` cluster on loopback.
#
# 1. Release skew: bench/shards/race8.toml (8 workers) and race.toml (100
#    workers), 30 rounds each, in one process and as 4 shards: per round,
#    the time from the first worker's release to the last's (the report's
#    release_skew, wall clock over every shard), p50 and p99 over the
#    rounds. With 100 threads on 2 cores, waking them all is most of it.
# 2. Coordination cost per case: bench/shards/tiny.toml (10 cases of 4
#    workers, one call each) in one process and as 2 and 4 shards: the
#    extra wall time of shard 0 (joining, the set-up posted, the barriers,
#    the parts, the verdict), divided by 10.
# 3. Throughput: bench/shards/noop.toml (8 workers calling a driver that
#    does nothing, 5 s) as 1, 2 and 4 shards: calls per second of the whole
#    run (shard 0's merged figures over the workers' running time).
#
# Over --rounds rounds, the order of the sides rotated each round; prints
# each round's figures and the medians. On a 2-core machine the shards
# share the cores the single process had: the figures show what the
# coordination costs, not what more hosts would give.
#
#   bench/shards.sh [--rounds 3]
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
rounds=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "shards: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
work=$(mktemp -d)
started=0
if ! "$ls_bin" db status >/dev/null 2>&1; then "$ls_bin" db start --max-connections 300 >/dev/null; started=1; fi
cleanup() { [[ $started -eq 1 ]] && "$ls_bin" db stop >/dev/null 2>&1; rm -rf "$work"; }
trap cleanup EXIT

# run_shards SCENARIO N TAG: runs N shards (N=1: one plain process) and
# prints shard 0's JSON report path; its wall time in seconds on fd 3.
seq_id=0
run_shards() {
  local scenario=$1 n=$2 tag=$3 run pids=() i t0 t1
  seq_id=$((seq_id + 1))
  run="bench_${tag}_${seq_id}_$$"
  t0=$(date +%s.%N)
  if [[ $n -eq 1 ]]; then
    "$ls_bin" run "$scenario" --run-id "$run" --report-dir "$work/$run" --format json >/dev/null 2>"$work/$run.err"
  else
    for ((i = 0; i < n; i++)); do
      "$ls_bin" run "$scenario" --shard "$i/$n" --run-id "$run" --report-dir "$work/$run" --format json \
        >/dev/null 2>"$work/$run.$i.err" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
  fi
  t1=$(date +%s.%N)
  echo "$(python3 -c "print($t1 - $t0)")" >&3
  ls "$work/$run"/*"$run".json
}

field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }
median() { python3 -c "import statistics,sys; print('%.3f' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

skew() {  # SCENARIO LABEL
  local one50=() one99=() four50=() four99=() r side rep p50 p99
  echo "== 1. release skew: $2, 30 rounds (ms, p50 / p99 over the rounds)"
  for ((r = 1; r <= rounds; r++)); do
    for side in $( ((r % 2)) && echo "1 4" || echo "4 1"); do
      rep=$(run_shards "$1" "$side" skew 3>/dev/null)
      p50=$(field "$rep" "r['cases'][0]['release_skew']['p50_ms']")
      p99=$(field "$rep" "r['cases'][0]['release_skew']['p99_ms']")
      echo "round $r: $side process(es): p50 $p50  p99 $p99"
      if [[ $side -eq 1 ]]; then one50+=("$p50"); one99+=("$p99"); else four50+=("$p50"); four99+=("$p99"); fi
    done
  done
  echo "median: one process p50 $(median "${one50[@]}") p99 $(median "${one99[@]}");" \
       "4 shards p50 $(median "${four50[@]}") p99 $(median "${four99[@]}")"
}
skew "$here/bench/shards/race8.toml" "8 workers (2 per shard)"
skew "$here/bench/shards/race.toml" "100 workers (25 per shard)"

echo "== 2. coordination cost per case: 10 cases of 4 workers, one call each (s of wall time)"
declare -A wall
for ((r = 1; r <= rounds; r++)); do
  line="round $r:"
  for side in $( ((r % 2)) && echo "1 2 4" || echo "4 2 1"); do
    exec 4>&1
    t=$( { run_shards "$here/bench/shards/tiny.toml" "$side" tiny 3>&1 >/dev/null; } )
    wall[$side]+="$t "
    line+=" $side: $(printf %.2f "$t")"
  done
  echo "$line"
done
m1=$(median ${wall[1]}); m2=$(median ${wall[2]}); m4=$(median ${wall[4]})
echo "median wall: 1 process $m1 s, 2 shards $m2 s, 4 shards $m4 s;" \
     "per case: 2 shards +$(python3 -c "print('%.0f' % (($m2 - $m1) * 100))") ms," \
     "4 shards +$(python3 -c "print('%.0f' % (($m4 - $m1) * 100))") ms"

echo "== 3. throughput: 8 noop-driver workers, 5 s (calls/s of the whole run)"
declare -A rate
for ((r = 1; r <= rounds; r++)); do
  line="round $r:"
  for side in $( ((r % 2)) && echo "1 2 4" || echo "4 2 1"); do
    rep=$(run_shards "$here/bench/shards/noop.toml" "$side" noop 3>/dev/null)
    v=$(field "$rep" "sum(o['calls'] for o in r['cases'][0]['operations']) / r['cases'][0]['timing']['workers_s']")
    rate[$side]+="$v "
    line+=" $side: $(printf %.0f "$v")/s"
  done
  echo "$line"
done
echo "median: 1 process $(median ${rate[1]})/s, 2 shards $(median ${rate[2]})/s, 4 shards $(median ${rate[4]})/s"
