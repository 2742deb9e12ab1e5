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
# A compile cache when ccache is installed (install-deps installs it): a
# fresh clone on a machine that built ledgerstress before compiles only what
# changed. Paths under the clone are hashed relative to it, and the debug
# info names it "." (CMakeLists.txt), so two clones share entries.
# LEDGERSTRESS_CCACHE=0 builds without it.
launcher=""
if [[ "${LEDGERSTRESS_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null; then
  launcher="env;CCACHE_BASEDIR=$root;ccache"
fi
echo "ledgerstress: building in $build (log: $log)" >&2
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
         -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" -DCMAKE_C_COMPILER_LAUNCHER="$launcher" "$@" &&
       cmake --build "$build" -j"$(nproc)"; } >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "ledgerstress: build failed; full log in $log" >&2
  exit 1
fi
