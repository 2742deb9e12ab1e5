#!/usr/bin/env bash
# Is the gate's verdict stable? Runs scenarios/ci.toml N times in a row, each
# on a throwaway embedded cluster as scripts/gate.sh does, and compares every
# case's outcome across the runs: its verdict, the invariants it found
# violated and the checks that failed (thresholds included). Prints one line
# per case with what it gave and how often; exits 1 if any case gave two
# different outcomes, 2 if a run could not be judged (its report is missing).
#
#   bench/gate_stability.sh [--runs 20] [--scenario scenarios/ci.toml] [--keep DIR]
#
# Needs the build (build/ledgerstress, or $LEDGERSTRESS_BIN) and jq. Each run
# writes its JSON report under a temp dir (removed at the end unless --keep).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
runs=20
scenario="$here/scenarios/ci.toml"
keep=""
while (( $# )); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gate_stability.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "gate_stability.sh: --runs takes a number of runs, at least 1, not '$runs'" >&2; exit 2; }
command -v jq >/dev/null || { echo "gate_stability.sh: needs jq (apt-get install jq)" >&2; exit 2; }
[[ -x "$ls_bin" ]] || { echo "gate_stability.sh: no binary at $ls_bin (scripts/build.sh)" >&2; exit 2; }

work="${keep:-$(mktemp -d)}"
mkdir -p "$work"
# Only this call's runs are compared: an older run's files would be read.
[[ -z "$(ls -A "$work")" ]] || { echo "gate_stability.sh: --keep $work is not empty" >&2; exit 2; }
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT

# One line per case: "name<TAB>verdict violated=[...] failed=[...]".
outcomes() {
  jq -r '.cases[] | [.name, (.verdict
          + " violated=" + ([.invariants[]? | select(.status == "violated") | .name] | sort | join(","))
          + " failed=" + ([.checks[]? | select(.passed == false) | .name] | sort | join(",")))] | @tsv' "$1"
}

for (( i = 1; i <= runs; i++ )); do
  dir="$work/run$i"
  start=$(date +%s)
  code=0
  "$ls_bin" run "$scenario" --embedded --report-dir "$dir" --format json >"$dir.log" 2>&1 || code=$?
  report=$(ls "$dir"/*.json 2>/dev/null | grep -v -- '-shard' | head -n 1 || true)
  if [[ -z "$report" ]]; then
    echo "run $i: exit $code and no report; its output:" >&2
    tail -n 20 "$dir.log" >&2
    exit 2
  fi
  outcomes "$report" >"$dir.tsv" || { echo "run $i: cannot read its report $report" >&2; exit 2; }
  echo "run $i of $runs: exit $code, $(( $(date +%s) - start )) s, run verdict $(jq -r .run.verdict "$report")" >&2
done

echo
printf '%-44s %s\n' case "outcome (runs)"
status=0
while IFS= read -r name; do
  seen=$(cat "$work"/run*.tsv | awk -F'\t' -v n="$name" '$1 == n { print $2 }' | sort | uniq -c |
         awk '{ c = $1; $1 = ""; printf "%s%s (%d)", sep, substr($0, 2), c; sep = " | " }')
  kinds=$(cat "$work"/run*.tsv | awk -F'\t' -v n="$name" '$1 == n { print $2 }' | sort -u | wc -l)
  count=$(cat "$work"/run*.tsv | awk -F'\t' -v n="$name" '$1 == n' | wc -l)
  flag=""
  if (( kinds != 1 || count != runs )); then flag="  <- UNSTABLE"; status=1; fi
  printf '%-44s %s%s\n' "$name" "$seen" "$flag"
done < <(cut -f1 "$work/run1.tsv")
echo
if (( status == 0 )); then
  echo "every case gave the same outcome in all $runs runs"
else
  echo "some case changed its outcome over $runs runs (marked UNSTABLE)"
fi
exit $status
