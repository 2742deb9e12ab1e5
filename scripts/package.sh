#!/usr/bin/env bash
# Builds the Debian package: installs what is missing, builds
# ${BUILD_DIR:-build} (scripts/build.sh on a fresh clone; an existing build
# directory is brought up to date as configured), then runs cpack there.
# Prints the path of the .deb, e.g. build/ledgerstress_0.1.0_amd64.deb:
#   scripts/package.sh && apt-get install ./build/ledgerstress_*.deb
# Extra arguments go to cmake's configure step on a fresh build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
if [[ -f $build/CMakeCache.txt ]]; then
  "$root/scripts/install-deps.sh"
  log="$build/build.log"
  if ! cmake --build "$build" -j"$(nproc)" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "package: build failed; full log in $log" >&2
    exit 1
  fi
else
  BUILD_DIR=$build "$root/scripts/build.sh" "$@"
fi
rm -f "$build"/ledgerstress_*.deb
(cd "$build" && cpack -G DEB >"$build/package.log" 2>&1) || {
  tail -n 40 "$build/package.log" >&2
  echo "package: cpack failed; full log in $build/package.log" >&2
  exit 1
}
deb=$(ls "$build"/ledgerstress_*.deb)
echo "$deb"
