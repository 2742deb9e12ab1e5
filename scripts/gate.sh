#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the shipped gate
# suite (scenarios/ci.toml) on a throwaway embedded PostgreSQL. Prints a
# summary and where the reports are (HTML to open in a browser, JSON, JUnit,
# Markdown); exits with ledgerstress's exit code (0 pass, 1 gate failed, ...).
# Extra arguments go to `ledgerstress run`, e.g. --seed 7 or --keep-data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
cd "$root"
exec "$build/ledgerstress" run scenarios/ci.toml --format json,html,junit,md "$@"
