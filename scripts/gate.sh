#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the shipped gate
# suite on a throwaway embedded PostgreSQL. Prints a summary and the path of
# the report; exits with ledgerstress's exit code (0 pass, 1 gate failed, ...).
# Extra arguments go to `ledgerstress run`, e.g. --seed 7 or --keep-data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
build=${BUILD_DIR:-$root/build}
cd "$root"
exec "$build/ledgerstress" run scenarios/wallet_race.toml "$@"
