#!/usr/bin/env bash
# ctest's KubernetesManifestsAreValid: installs the checker's npm packages
# (pinned by package-lock.json) into WORK once, then checks the manifests.
#   check.sh MANIFEST_DIR WORK [COMPOSE_YAML]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
manifests=$1 work=$2 compose=${3:-}
mkdir -p "$work"
if ! cmp -s "$here/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
fi
cp "$here/check_manifests.mjs" "$work/"
node "$work/check_manifests.mjs" "$manifests" $compose

# The check fires: each broken copy must be refused.
broken() {  # NAME SED-EXPRESSION
  rm -rf "$work/broken" && cp -r "$manifests" "$work/broken"
  sed -i "$2" "$work/broken/job.yaml"
  if node "$work/check_manifests.mjs" "$work/broken" >"$work/broken.log" 2>&1; then
    echo "FAIL: the check accepted a Job with $1" >&2
    exit 1
  fi
  echo "refused, as it must be: $1: $(grep -m1 -E '^(Error|AssertionError)' "$work/broken.log")"
}
broken "a string backoffLimit (schema)" 's/backoffLimit: 0 /backoffLimit: "zero" /'
broken "a non-indexed Job" 's/completionMode: Indexed/completionMode: NonIndexed/'
broken "SHARDS unlike completions" 's/value: "4"/value: "3"/'
broken "a shard without its index" 's/--shard "${JOB_COMPLETION_INDEX}\/${SHARDS}"/--shard 0\/4/'
