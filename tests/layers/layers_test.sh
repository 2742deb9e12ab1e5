#!/usr/bin/env bash
# The layers the build enforces (cmake/layers.cmake): the repository's own
# sources pass cmake/check-layers.cmake; a copy with one #include that
# points up (faults -> engine) fails it, naming the file, the line and the
# layers; a source in a directory that is no layer fails it too.
#   layers_test.sh <source dir> <build dir>
set -euo pipefail
src=$1
table=$2/generated/layers_table.cmake
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# CMake folds its messages: $work/flat is the output on one line.
check() {
  local rc=0
  cmake -DSOURCE_DIR="$1" -DTABLE="$table" -P "$src/cmake/check-layers.cmake" >"$work/out" 2>&1 || rc=$?
  tr -s ' \n' '  ' <"$work/out" >"$work/flat"
  return $rc
}
fail() { echo "FAIL: $*"; cat "$work/out"; exit 1; }

check "$src" || fail "the repository's own includes are refused"
echo "ok: the repository's includes point down"

cp -r "$src/harness" "$src/model" "$src/reports" "$src/settlement" "$work/"
file=harness/faults/backend_killer.cpp
sed -i '1a #include "harness/engine/worker.h"' "$work/$file"
if check "$work"; then fail "an include from faults up to engine passed"; fi
grep -q "$file:2: includes harness/engine/worker.h: layer 'faults' may not include layer 'engine'" "$work/flat" \
  || fail "the message does not name the file, the line and the layers"
grep -q "it may include: faults base pg model settlement)" "$work/flat" || fail "the message does not say what faults may include"
echo "ok: faults -> engine refused at $file:2"

sed -i '2d' "$work/$file"
check "$work" || fail "the copy with the include taken out is refused"
mkdir "$work/harness/newlayer"
echo '#include "harness/engine/worker.h"' > "$work/harness/newlayer/x.cpp"
if check "$work"; then fail "a source in a directory that is no layer passed"; fi
grep -q "harness/newlayer/x.cpp: its directory is no layer" "$work/flat" || fail "the unknown directory is not named"
echo "ok: a directory that is no layer refused"
