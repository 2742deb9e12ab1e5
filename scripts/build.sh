#!/usr/bin/env bash
# Installs what is missing, then configures and builds ledgerstress into
# ${BUILD_DIR:-build}. Extra arguments go to cmake's configure step, e.g.
#   scripts/build.sh -DLEDGERSTRESS_BUILD_BENCHMARKS=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${BUILD_DIR:-$root/build}
mkdir -p "$build"
log="$build/build.log"
echo "ledgerstress: building in $build (log: $log)" >&2
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" "$@" &&
       cmake --build "$build" -j"$(nproc)"; } >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "ledgerstress: build failed; full log in $log" >&2
  exit 1
fi
