#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test
# (unit, integration against an embedded PostgreSQL the tests start, and
# end-to-end CLI tests) with ctest. Extra arguments go to ctest, e.g.
#   scripts/test.sh -L unit        # only the unit tests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" -DLEDGERSTRESS_BUILD_TESTS=ON
build=${BUILD_DIR:-$root/build}
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
