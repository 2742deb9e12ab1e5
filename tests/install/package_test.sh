#!/usr/bin/env bash
# The Debian package as a CI job or a DBA's workstation uses it:
#   package_test.sh BUILD_DIR
# builds it with scripts/package.sh, checks its Depends/Suggests, installs it
# with `apt-get install ./ledgerstress_*.deb`, and then, from an empty
# directory, the installed binary: runs the gate (`ledgerstress run ci`,
# exit 0) and a shipped SQL scenario by name, refuses an unknown name (exit 2,
# with a suggestion), runs the installed docs example (a driver given by a
# path relative to its scenario), and has its man page and bash completion.
# Needs root for apt-get (exit 77, skipped, otherwise). Purges the package
# afterwards unless it was installed before.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$1
[[ $(id -u) -eq 0 ]] || { echo "skipped: installing a package needs root"; exit 77; }

step() { echo "== $* ($SECONDS s)"; }
fail() { echo "FAIL: $*"; exit 1; }

step "scripts/package.sh"
deb=$(BUILD_DIR=$build "$root/scripts/package.sh")
echo "$deb: $(du -k "$deb" | cut -f1) KiB"

step "Depends and Suggests"
depends=$(dpkg-deb -f "$deb" Depends)
suggests=$(dpkg-deb -f "$deb" Suggests)
echo "Depends: $depends"
echo "Suggests: $suggests"
for p in libpqxx-6.4 libpq5 libboost-program-options1.74.0 postgresql-15 postgresql-contrib; do
  grep -qE "(^|, )$p( |,|$)" <<<"$depends" || fail "Depends lacks $p"
done
! grep -qE "django|psycopg2" <<<"$depends" || fail "the Django driver's packages must only be suggested"
grep -q python3-django <<<"$suggests" && grep -q python3-psycopg2 <<<"$suggests" || fail "Suggests lacks the Django driver's packages"

step "apt-get install ./$(basename "$deb")"
before=$(dpkg-query -W -f='${Status}' ledgerstress 2>/dev/null || true)
work=$(mktemp -d)
chmod 755 "$work"  # readable by apt's _apt user; the postgres user reaches nothing here
cleanup() {
  cd /
  rm -rf "$work"
  [[ $before == "install ok installed" ]] || apt-get purge -y -qq -o DPkg::Lock::Timeout=120 ledgerstress >/dev/null 2>&1 || true
}
trap cleanup EXIT
cp "$deb" "$work/"
(cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 \
   "./$(basename "$deb")" >"$work/apt.log" 2>&1) || { cat "$work/apt.log"; fail "apt-get install"; }
[[ $(command -v ledgerstress) == /usr/bin/ledgerstress ]] || fail "ledgerstress on PATH is $(command -v ledgerstress)"

# The installed binary, from an empty directory, with no server named and no
# `db start` cluster or scenario directory of this machine's in the way.
mkdir "$work/empty"
cd "$work/empty"
ls_() {
  env -u DATABASE_URL -u PGHOST -u PGHOSTADDR -u PGPORT -u PGDATABASE -u PGUSER -u PGSERVICE \
    -u LEDGERSTRESS_SCENARIO_PATH LEDGERSTRESS_DB_DIR="$work/no-db" ledgerstress "$@"
}

step "ledgerstress run ci"
code=0
ls_ run ci >"$work/ci.out" 2>&1 || code=$?
[[ $code -eq 0 ]] || { cat "$work/ci.out"; fail "run ci exited $code"; }
ls ledgerstress-reports/ci-*.json ledgerstress-reports/ci-*.html >/dev/null || fail "no ci report in $PWD/ledgerstress-reports"

step "ledgerstress run sql_race (a shipped SQL scenario, by name)"
code=0
ls_ run sql_race >"$work/race.out" 2>&1 || code=$?
[[ $code -eq 0 ]] || { cat "$work/race.out"; fail "run sql_race exited $code"; }

step "ledgerstress run walet_race (no such scenario)"
code=0
ls_ run walet_race >"$work/typo.out" 2>&1 || code=$?
[[ $code -eq 2 ]] || { cat "$work/typo.out"; fail "an unknown name exited $code, not 2"; }
grep -q "did you mean 'wallet_race'?) in /usr/share/ledgerstress/scenarios" "$work/typo.out" || { cat "$work/typo.out"; fail "no suggestion"; }

step "ledgerstress list scenarios"
ls_ list scenarios >"$work/list.out"
grep -q "^/usr/share/ledgerstress/scenarios (installed):" "$work/list.out" || { cat "$work/list.out"; fail "list scenarios"; }
grep -q "^  ci  " "$work/list.out" || { cat "$work/list.out"; fail "list scenarios lacks ci"; }

step "the installed docs example: a driver relative to its scenario"
if /usr/bin/python3 -c "import psycopg2" 2>/dev/null; then
  code=0
  ls_ run /usr/share/doc/ledgerstress/examples/mine.toml --set duration=2s >"$work/mine.out" 2>&1 || code=$?
  [[ $code -eq 0 ]] || { cat "$work/mine.out"; fail "the docs example exited $code"; }
else
  echo "python3-psycopg2 not installed (suggested only): example not run"
fi
for f in /usr/share/ledgerstress/scenarios/*.toml; do  # every driver path of a shipped scenario resolves
  for rel in $(sed -n 's/^command *= *\[.*"\(\.\.*\/[^"]*\)".*/\1/p' "$f"); do
    [[ -f $(dirname "$f")/$rel ]] || fail "$f: $rel does not exist next to it"
  done
done

step "man ledgerstress"
[[ $(man -w ledgerstress) == /usr/share/man/man1/ledgerstress.1.gz ]] || fail "man -w: $(man -w ledgerstress)"
"$root/tests/install/man_page_test.sh" ledgerstress "$(man -w ledgerstress)"

step "bash completion"
"$root/tests/install/completion_test.sh" installed ledgerstress
step "done"
