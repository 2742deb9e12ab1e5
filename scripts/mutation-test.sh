#!/usr/bin/env bash
# Mutation testing of the gate: how many realistic bugs in the correct code
# do the shipped scenarios stop?
#
#   scripts/mutation-test.sh                 # every mutant in tests/mutants/
#   scripts/mutation-test.sh 03 retry        # the mutants whose file name contains 03 or retry
#
# Each tests/mutants/NN-name.patch is one bug a developer could make in
# settlement/'s correct strategies; its first line, "# bug: ...", says which.
# The script copies the working tree to a scratch directory, builds the
# unmutated ledgerstress there and runs every scenario of
# tests/mutants/scenarios.txt on it (any failure is a false alarm: it stops).
# Then, per mutant: apply the patch, rebuild, run the scenarios in order
# until one exits non-zero (caught: the case and the check that caught it)
# or none does (survived), revert. Mutants listed in tests/mutants/equivalent.txt
# (name: why) change nothing a test could observe and are not counted.
#
# Prints a table and the score; writes it as Markdown to
# ${MUTATION_REPORT:-mutation-report.md}. Exit 0 when the score reaches
# ${MUTATION_MIN_SCORE:-90} percent, 1 otherwise, 2 on a setup error.
# Takes about a minute per mutant on a 2-core machine (a rebuild of the
# changed file and a run of scenarios/ci.toml); survivors run every scenario.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mutants_dir=$root/tests/mutants
scratch=${MUTATION_SCRATCH:-$(mktemp -d /tmp/ledgerstress-mutation.XXXXXX)}
report=${MUTATION_REPORT:-$PWD/mutation-report.md}
min_score=${MUTATION_MIN_SCORE:-90}
lock=${MUTATION_LOCK:-/tmp/ledgerstress-cpu.lock}  # shared with other builds on this machine
mapfile -t scenarios < <(grep -v '^\s*\(#\|$\)' "$mutants_dir/scenarios.txt")

say() { echo "mutation-test: $*" >&2; }
locked() { flock "$lock" "$@"; }

"$root/scripts/install-deps.sh"
say "copying the working tree to $scratch"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$scratch")
say "building the unmutated code (log: $scratch/build.log)"
locked cmake -S "$scratch" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGERSTRESS_BUILD_TESTS=OFF \
  >"$scratch/build.log" 2>&1
build() { locked cmake --build "$scratch/build" --target ledgerstress -j"$(nproc)" >>"$scratch/build.log" 2>&1; }
build || { tail -n 30 "$scratch/build.log" >&2; say "the unmutated code does not build"; exit 2; }

# Runs the scenarios in order, each on a throwaway cluster of its own
# (--embedded: nothing else on the machine can stop it mid-run); prints
# "caught<TAB>scenario<TAB>finding" for the first that exits non-zero, or
# "survived". A run that could not judge (exit 3 other than a check's
# "cannot run", e.g. a lost server) prints "error<TAB>scenario<TAB>why":
# never counted as caught.
judge() {
  local s rc out
  for s in "${scenarios[@]}"; do
    out=$scratch/mutation-reports/$(basename "$s" .toml)
    rm -rf "$out"
    rc=0
    (cd "$scratch" && locked build/ledgerstress run "$s" --embedded --format json --report-dir "$out" \
       >"$out.log" 2>&1) || rc=$?
    if [[ $rc -ne 0 ]]; then
      local f
      f=$(finding "$out" "$rc")
      printf '%s\t%s\t%s\n' "${f%%$'\t'*}" "$s" "${f#*$'\t'}"
      return
    fi
  done
  echo survived
}

# The first case that missed its expectation, and why, from the JSON report,
# as "caught<TAB>why" (a failed check, or a case a check says cannot run on
# this code) or "error<TAB>why" (anything else: no verdict at all).
finding() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import glob, json, sys
rc = sys.argv[2]
for path in glob.glob(sys.argv[1] + "/*.json"):
    for c in json.load(open(path)).get("cases", []):
        if c.get("verdict") in ("fail", "error"):
            kind = "caught" if rc == "1" or c.get("cannot_run") else "error"
            print(f"{kind}\texit {rc}: {c['name']}: {c.get('verdict_reason', '')}"[:300]); sys.exit()
print(f"error\texit {rc} (no report: see the run's log)")
PY
}

say "baseline: the scenarios on the unmutated code must all pass"
mkdir -p "$scratch/mutation-reports"
base=$(judge)
if [[ $base != survived ]]; then say "false alarm on the unmutated code: $base"; exit 2; fi

declare -A equivalent=()
if [[ -f $mutants_dir/equivalent.txt ]]; then
  while IFS=: read -r name why; do [[ -n $name && $name != \#* ]] && equivalent[$name]=$why; done <"$mutants_dir/equivalent.txt"
fi

caught=0 counted=0
rows=()
for patch in "$mutants_dir"/*.patch; do
  name=$(basename "$patch" .patch)
  if [[ $# -gt 0 ]]; then
    keep=0; for f in "$@"; do [[ $name == *"$f"* ]] && keep=1; done
    [[ $keep -eq 1 ]] || continue
  fi
  bug=$(sed -n '1s/^# bug: //p' "$patch")
  if [[ -n ${equivalent[$name]:-} ]]; then
    rows+=("| $name | equivalent | ${equivalent[$name]} |"); say "$name: equivalent (not counted)"; continue
  fi
  (cd "$scratch" && git apply "$patch") || { say "$name: does not apply"; exit 2; }
  if build; then result=$(judge); else result=$'caught\tbuild\tdoes not compile'; fi
  (cd "$scratch" && git apply -R "$patch")
  if [[ $result == error* ]]; then
    say "$name: no verdict, an infrastructure error: ${result#*$'\t'}"
    exit 2
  fi
  counted=$((counted + 1))
  if [[ $result == caught* ]]; then
    caught=$((caught + 1))
    IFS=$'\t' read -r _ where why <<<"$result"
    rows+=("| $name | caught by $where | ${why//|/\\|} |")
  else
    rows+=("| $name | **survived** | $bug |")
  fi
  say "$name: ${rows[-1]}"
done
build  # leave the scratch build unmutated

score=$(( counted ? 100 * caught / counted : 0 ))
{
  echo "# Mutation score: $caught of $counted caught ($score%)"
  echo
  echo "Scenarios, in order: ${scenarios[*]}"
  echo
  echo "| mutant | result | finding (or the bug, for a survivor) |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee "$report"
say "report: $report"
[[ $score -ge $min_score ]]
