#!/usr/bin/env bash
# The test suite again under AddressSanitizer + UndefinedBehaviorSanitizer
# (build-asan/), and the engine's concurrency tests under ThreadSanitizer
# (build-tsan/), then a short libFuzzer run of the scenario loader
# (build-fuzz/, clang). Slower than scripts/test.sh; CI runs both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

BUILD_DIR="$root/build-asan" CMAKE_BUILD_TYPE=Debug "$root/scripts/build.sh" \
  -DLEDGERSTRESS_ASAN=ON -DLEDGERSTRESS_BUILD_TESTS=ON
(cd "$root/build-asan" &&
 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
 LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0" \
 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
 ctest --output-on-failure -j"$(nproc)" -L 'unit|db|e2e')

BUILD_DIR="$root/build-tsan" CMAKE_BUILD_TYPE=RelWithDebInfo "$root/scripts/build.sh" \
  -DLEDGERSTRESS_TSAN=ON -DLEDGERSTRESS_BUILD_TESTS=ON
(cd "$root/build-tsan" &&
 TSAN_OPTIONS="halt_on_error=1:suppressions=$root/tests/tsan.supp" \
 ctest --output-on-failure -j"$(nproc)" -R 'Barrier|PeriodicThread|SakaRace|CloseWorkload|Retry|Faults|OpenModel|SqlOperation|DriverConcurrency|ReplyDispatcher')

# The scenario loader under libFuzzer (clang), a short run over the seed
# corpus. Only the fuzz target is built with clang.
# Through ccache as scripts/build.sh does, when it is installed.
fuzz="$root/build-fuzz"
mkdir -p "$fuzz"
launcher=""
if [[ "${LEDGERSTRESS_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null; then
  launcher="env;CCACHE_BASEDIR=$root;ccache"
fi
if ! { CXX=clang++ cmake -S "$root" -B "$fuzz" -DLEDGERSTRESS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
         -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" &&
       cmake --build "$fuzz" --target scenario_fuzz -j"$(nproc)"; } >"$fuzz/build.log" 2>&1; then
  tail -n 40 "$fuzz/build.log" >&2
  exit 1
fi
(cd "$fuzz" && ctest --output-on-failure -L fuzz)
