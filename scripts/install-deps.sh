#!/usr/bin/env bash
# Installs every Debian 12 package ledgerstress needs to build, test and run.
# Idempotent; silent when everything is already present. Must run as root (or
# through sudo) on a machine that is missing packages.
set -euo pipefail

PACKAGES=(
  g++ cmake make pkg-config git
  libpqxx-dev libpq-dev
  libtomlplusplus-dev
  libboost-program-options-dev
  nlohmann-json3-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  postgresql-15          # server binaries (initdb, pg_ctl, postgres) + contrib
  postgresql-client-15   # psql, pgbench
  libjs-chart.js         # Chart.js, inlined into the HTML report at build time
  chromium               # headless browser for the HTML report test
  clang-14 libclang-rt-14-dev  # libFuzzer for the scenario loader fuzz target
  python3-django python3-psycopg2  # the reference driver: the review's code in real Django (/usr/bin/python3)
  help2man                # the man page, generated from the --help texts at build time
  dpkg-dev file           # cpack -G DEB: dpkg-shlibdeps computes the package's library Depends
  bash-completion man-db  # the package test: the installed completion and `man ledgerstress`
  ccache                  # a compile cache: scripts/build.sh on a second clone compiles only what changed
  jq                      # bench/gate_stability.sh reads the reports
)
# The Kubernetes manifests' check (ctest label deploy) runs npm's
# kubernetes-models: Debian's Node.js and npm, unless a node and npm are
# there already (another packaging of Node.js must not be replaced).
command -v node >/dev/null && command -v npm >/dev/null || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
