#!/usr/bin/env bash
# Renders HTML run reports and a sweep page in headless Chromium, offline:
# each must load with no console error (a network request would fail through
# the dead proxy and log one), draw every chart it has a box for (no empty
# box), show its tables as HTML tables, and show a hostile scenario name as
# text.
# Usage: html_report_test.sh LEDGERSTRESS_BINARY
set -euo pipefail
bin=$1
chromium=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium" ]]; then
  echo "chromium is not installed (scripts/install-deps.sh installs it)"; exit 1
fi
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
# Under ctest, the runs use the suite's cluster; alone, a throwaway one each.
if [[ -n ${LEDGERSTRESS_TEST_DB_DIR:-} ]]; then export LEDGERSTRESS_DB_DIR=$LEDGERSTRESS_TEST_DB_DIR; fi
cat > "$work/hostile.toml" <<'TOML'
name = "<script>alert(1)</script>"
description = "an </script> in the description & a \"quote\""
[[case]]
name = "<img src=x onerror=alert(2)>"
workers = 4
duration = "1500ms"
rounds = 2
TOML
TMPDIR=$work "$bin" run "$work/hostile.toml" --report-dir "$work/reports" --format html,json > "$work/run.out" 2>&1 || {
  cat "$work/run.out"; echo "the run failed"; exit 1; }
cat > "$work/hostile_close.toml" <<'TOML'
name = "<script>alert(3)</script>"
[[case]]
name = "<img src=x onerror=alert(4)>"
workload = "close"
escrows = 200
donors = 20
workers = 1
strategy.close_project_success = "keyset"
TOML
cat > "$work/strategies.toml" <<'TOML'
name = "<script>alert(5)</script>"
[defaults]
workload = "close"
escrows = 300
donors = 30
workers = 2
arrival_rate = "100/s"
[[case]]
name = "keyset"
strategy.close_project_success = "keyset"
[[case]]
name = "set_based"
strategy.close_project_success = "set_based"
TOML
TMPDIR=$work "$bin" run "$work/strategies.toml" --report-dir "$work/strategies" --format html,json \
  > "$work/strategies.out" 2>&1 || { cat "$work/strategies.out"; echo "the strategies run failed"; exit 1; }
TMPDIR=$work "$bin" sweep "$work/hostile_close.toml" --vary release_batch_size=20,200 --report-dir "$work/sweep" \
  > "$work/sweep.out" 2>&1 || { cat "$work/sweep.out"; echo "the sweep failed"; exit 1; }

fail=0
# Loads FILE in headless Chromium, offline; checks no console error, no
# request, at least MIN charts drawn, and that NEEDLE (a hostile name) shows
# as escaped text and never as markup.
check() {
  local file=$1 min=$2 needle=$3 tag=$4 dom charts canvases
  rm -rf "$work/profile"
  dom=$(timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" \
    --proxy-server=127.0.0.1:9 --enable-logging=stderr --v=0 --log-net-log="$work/netlog.json" \
    --virtual-time-budget=5000 --dump-dom "file://$file" 2>"$work/chromium.log")
  if grep -E 'CONSOLE|Uncaught|ERR_PROXY|Failed to load' "$work/chromium.log"; then
    echo "FAIL ($tag): console errors or network requests while loading the page"; fail=1
  fi
  # Chromium's own background traffic (update checks, accounts) goes to
  # Google hosts; anything else was asked for by the page.
  if grep -o '"url":"[a-z]*://[^"/]*' "$work/netlog.json" | grep -vE '(google|googleapis|gstatic)\.com$' | sort -u | grep .; then
    echo "FAIL ($tag): the page made network requests"; fail=1
  fi
  charts=$(grep -o 'data-charts-drawn="[0-9]*"' <<<"$dom" | grep -o '[0-9]*' || echo 0)
  if [[ "${charts:-0}" -lt $min ]]; then
    echo "FAIL ($tag): expected at least $min charts drawn, got ${charts:-0}"; fail=1
  fi
  canvases=$(grep -o '<canvas' <<<"$dom" | wc -l)
  if [[ "$canvases" -ne "${charts:-0}" ]]; then
    echo "FAIL ($tag): $canvases chart boxes but ${charts:-0} charts drawn: an empty box"; fail=1
  fi
  if grep -q '<pre' <<<"$dom"; then
    echo "FAIL ($tag): a table is preformatted text, not an HTML table"; fail=1
  fi
  for id in ${5:-}; do
    grep -q "$id" <<<"$dom" || { echo "FAIL ($tag): no $id"; fail=1; }
  done
  if grep -q "<script>$needle" <<<"$dom" || grep -q '<img src="x"' <<<"$dom"; then
    echo "FAIL ($tag): a scenario or case name was interpreted as HTML"; fail=1
  fi
  if ! grep -q "&lt;script&gt;$needle&lt;/script&gt;" <<<"$dom"; then
    echo "FAIL ($tag): the scenario name is not shown escaped"; fail=1
  fi
  [[ $fail -eq 0 ]] && echo "$tag: loads offline with no console error, $charts charts drawn in $canvases boxes, names escaped"
  return 0
}
check "$(ls "$work"/reports/*.html)" 2 'alert(1)' "run report"
check "$(ls "$work"/strategies/*.html)" 7 'alert(5)' "close strategies report" "ls-strat-close ls-strat-locked ls-strat-p99"
if ! grep -q '<th>strategy</th>' "$(ls "$work"/strategies/*.html)"; then
  echo "FAIL (close strategies report): the strategies table is not an HTML table"; fail=1
fi
check "$(ls "$work"/sweep/*.html)" 4 'alert(3)' "sweep page" 'data-x-axis="logarithmic"' 
if ! grep -q '<th>release_batch_size</th>' "$(ls "$work"/sweep/*.html)"; then
  echo "FAIL (sweep page): the sweep's table is not an HTML table"; fail=1
fi
exit $fail
