#!/usr/bin/env bash
# Bash completion completes commands, options, scenario names (from the
# search path) and case keys:   completion_test.sh COMPLETION BIN
# COMPLETION is the script, or "installed" for the one bash-completion loads;
# BIN the ledgerstress to complete for (its own answers are used).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
completion=$1
bin=$2
fails=0

# expect LINE... -- WANTED: WANTED is among the completions ("" : none at all).
expect() {
  local args=() wanted got
  while [[ $1 != -- ]]; do args+=("$1"); shift; done
  wanted=$2
  got=$("$here/complete.sh" "$completion" "$bin" "${args[@]}" | sed '/^$/d')
  if [[ -z $wanted && -z $got ]] || { [[ -n $wanted ]] && grep -qx -- "$wanted" <<<"$got"; }; then
    echo "ok: ledgerstress ${args[*]}<TAB> -> ${wanted:-nothing}"
  else
    echo "FAIL: ledgerstress ${args[*]}<TAB>: wanted '${wanted:-nothing}', got: $(tr '\n' ' ' <<<"$got")"
    fails=$((fails + 1))
  fi
}

expect ru -- run
expect run wal -- wallet_race
expect sweep close_5 -- close_5000_open
expect run zzz -- ""
expect run --se -- --set
expect run --se -- --seed
expect run wallet_race --set work -- workers=
expect run wallet_race --set strategy.saka -- strategy.saka_get_or_create_wallet=
expect sweep close_5000 --vary release -- release_batch_size=
expect list "" -- case-keys
expect db st -- status
expect sch -- schema

# Names come from the search path.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '[[case]]\nname = "x"\n' >"$dir/my_own_race.toml"
LEDGERSTRESS_SCENARIO_PATH=$dir expect run my_ -- my_own_race
expect run my_ -- ""

[[ $fails -eq 0 ]] || { echo "$fails completion(s) wrong"; exit 1; }
