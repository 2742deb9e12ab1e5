#!/usr/bin/env bash
# The explorer (workload = "explore") against PostgreSQL's own isolation
# tester on the same job: every order of the steps of 2 sessions x 4 steps
# (BEGIN; UPDATE; SELECT; COMMIT each: 70 orders), each order from a fresh
# fixture, on the same server. Two workloads (bench/explore/):
#   noblock  each session updates its own row: no step ever waits.
#   block    both update the same row: in 60 of the 70 orders one UPDATE
#            waits on the other's row lock until that session's COMMIT.
#
#   bench/explore_isolation.sh [--rounds 3] [--dsn DSN]
#
# Prints schedules (orders) per second on each side, every round and the
# medians, and ratio = explorer / isolationtester (> 1: ledgerstress is
# faster), the median of the rounds' ratios. The explorer's rate is given
# on two bases: "loop", its report's timing.workers_s (the schedules alone:
# fixture reset, steps, invariant checks), and "wall", the whole
# `ledgerstress run` process (start, connections, case schema, report). The
# isolation tester's is its whole process (it connects once, then runs
# setup, the steps and teardown per permutation): compare it with "wall"
# for the cost of a run, with "loop" for the cost of a schedule.
#
# The isolation tester runs every permutation of noblock.spec (it has no
# permutation line); block.spec lists its 70 orders as the explorer sends
# them (a waiting session's steps deferred), since the tester, told to send
# a step to a session still waiting, hangs until PGISOLATIONTIMEOUT (see
# the spec). Each side must report 70 schedules, else the script fails.
# Each round runs both sides of a workload, alternating which goes first.
#
# Without --dsn it uses the `ledgerstress db start` cluster, starting it
# (and stopping it at the end) when none runs. Needs the build and
# postgresql-15's isolationtester ($ISOLATIONTESTER to point elsewhere).
# On a shared machine, run it under the CPU lock:
#   flock /tmp/ledgerstress-cpu.lock bench/explore_isolation.sh
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
tester="${ISOLATIONTESTER:-/usr/lib/postgresql/15/lib/pgxs/src/test/isolation/isolationtester}"
rounds=3
dsn=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --dsn) dsn="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "explore_isolation: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -x "$tester" ]] || { echo "explore_isolation: no isolation tester at $tester" >&2; exit 2; }
[[ -x "$ls_bin" ]] || { echo "explore_isolation: no ledgerstress at $ls_bin (build it)" >&2; exit 2; }

work=$(mktemp -d)
started=0
# The isolation tester's table (its teardown drops it; an interrupted run leaves it).
drop_table() { psql "$dsn" -Xqc "SET client_min_messages = warning; DROP TABLE IF EXISTS explore_isolation" >/dev/null; }
cleanup() {
  [[ -n "$dsn" ]] && drop_table 2>/dev/null
  [[ $started -eq 1 ]] && "$ls_bin" db stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
if [[ -z "$dsn" ]]; then
  # `db status` prints "running: host=...", `db start` "started in 1.50s: host=...".
  if line=$("$ls_bin" db status 2>/dev/null); then :; else line=$("$ls_bin" db start); started=1; fi
  dsn=$(sed -n 's/^[^:]*: \(host=.*\)$/\1/p' <<<"$line" | head -1)
  [[ -n "$dsn" ]] || { echo "explore_isolation: no conninfo in '$line'" >&2; exit 3; }
fi
# A spec mistake (a step sent to a waiting session) fails in 30 s, not 300.
export PGISOLATIONTIMEOUT=30
drop_table
expected=70

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print('%.4f' % ($2 - $1))"; }

# explorer <workload>: prints "<schedules> <loop s> <wall s> <blocked schedules>".
explorer() {
  local out="$work/ls-$1" t0 t1
  rm -rf "$out"
  t0=$(now)
  "$ls_bin" run "$here/bench/explore/$1.toml" --dsn "$dsn" --report-dir "$out" --format json \
    >"$work/ls.out" 2>&1 || { cat "$work/ls.out" >&2; echo "explore_isolation: ledgerstress failed ($1)" >&2; return 3; }
  t1=$(now)
  python3 - "$out"/*.json "$(elapsed "$t0" "$t1")" "$expected" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["cases"][0]
x = c.get("explore") or {}
n = x.get("schedules_run", int(sys.argv[3]))  # older builds: no explore section
print(n, c["timing"]["workers_s"], sys.argv[2], x.get("schedules_blocked", "?"))
PY
}

# isolation <workload>: prints "<permutations> <wall s> <permutations with a waiting step>".
isolation() {
  local t0 t1
  t0=$(now)
  "$tester" "$dsn" <"$here/bench/explore/$1.spec" >"$work/it.out" 2>"$work/it.err" \
    || { cat "$work/it.err" >&2; echo "explore_isolation: isolationtester failed ($1)" >&2; return 3; }
  t1=$(now)
  if grep -qi "cancel\|timed out" "$work/it.out" "$work/it.err"; then
    cat "$work/it.err" >&2; echo "explore_isolation: isolationtester canceled a step ($1)" >&2; return 3
  fi
  printf '%s %s %s\n' "$(grep -c '^starting permutation' "$work/it.out" || true)" "$(elapsed "$t0" "$t1")" \
    "$(awk '/^starting permutation/ { p = 0 } /<waiting \.\.\.>/ && !p { n++; p = 1 } END { print n + 0 }' "$work/it.out")"
}

# check <side> <workload> <schedules>: a side that did not run every order is not a result.
check() {
  [[ "$3" == "$expected" ]] || { echo "explore_isolation: $1 ran $3 schedules of $2, not $expected" >&2; exit 3; }
}

# median <file> <column>; ratio_median <file> <numerator column> <denominator column>: of the rounds
median() { python3 -c "import statistics, sys; print('%.1f' % statistics.median(float(l.split()[int(sys.argv[2])]) for l in open(sys.argv[1])))" "$@"; }
ratio_median() {
  python3 -c "import statistics, sys; print('%.3f' % statistics.median(float(l.split()[int(sys.argv[2])]) / float(l.split()[int(sys.argv[3])]) for l in open(sys.argv[1])))" "$@"
}

echo "explorer vs isolation tester: 2 sessions x 4 steps, all $expected orders, $rounds round(s) per workload (alternating first)"
echo "server: $dsn ($(psql "$dsn" -XAtqc 'SHOW server_version' 2>/dev/null || echo '?'))"
for w in noblock block; do
  echo
  echo "workload $w ($(sed -n 's/^description = "\(.*\)"$/\1/p' "$here/bench/explore/$w.toml")):"
  : >"$work/$w.rates"
  for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then
      ls_res=$(explorer "$w")
      it_res=$(isolation "$w")
    else
      it_res=$(isolation "$w")
      ls_res=$(explorer "$w")
    fi
    read -r ln ll lw lb <<<"$ls_res"
    read -r in iw ib <<<"$it_res"
    check explorer "$w" "$ln"
    check isolationtester "$w" "$in"
    if [[ $w == block && ( "$ib" == 0 || "$lb" == 0 ) ]] || [[ $w == noblock && "$ib$lb" != 00 ]]; then
      echo "explore_isolation: workload $w: waits explorer $lb, tester $ib: not the workload meant" >&2; exit 3
    fi
    # Each line of .rates: explorer loop/s, explorer wall/s, isolationtester/s.
    python3 -c "print('%.1f %.1f %.1f' % ($ln / $ll, $ln / $lw, $in / $iw))" >>"$work/$w.rates"
    read -r rl rw ri < <(tail -n 1 "$work/$w.rates")
    printf '  round %d: explorer %d in %.3fs loop (%s/s), %.3fs wall (%s/s); isolationtester %d in %.3fs (%s/s);' \
      "$r" "$ln" "$ll" "$rl" "$lw" "$rw" "$in" "$iw" "$ri"
    printf ' ratio loop %.3f, wall %.3f; waited: explorer %s, tester %s\n' \
      "$(python3 -c "print($rl / $ri)")" "$(python3 -c "print($rw / $ri)")" "$lb" "$ib"
  done
  printf '  medians: explorer %s/s loop, %s/s wall; isolationtester %s/s\n' \
    "$(median "$work/$w.rates" 0)" "$(median "$work/$w.rates" 1)" "$(median "$work/$w.rates" 2)"
  printf '  median ratio explorer/isolationtester: loop %s, wall %s (> 1: ledgerstress faster)\n' \
    "$(ratio_median "$work/$w.rates" 0 2)" "$(ratio_median "$work/$w.rates" 1 2)"
done
