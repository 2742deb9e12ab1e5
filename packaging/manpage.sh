#!/bin/sh
# Writes the man page OUT (and OUT.gz) from the program's own help texts, so
# it cannot drift from them: help2man turns `ledgerstress --help` and
# `--version` into NAME, SYNOPSIS, DESCRIPTION and the overview; then one
# subsection per command, from `ledgerstress CMD --help` verbatim, for every
# command the main help lists under "commands:".
#   packaging/manpage.sh build/ledgerstress build/ledgerstress.1
set -eu
bin=$1
out=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# help2man knows a synopsis by "Usage:"; ledgerstress writes "usage:".
cat >"$tmp/ledgerstress" <<WRAP
#!/bin/sh
"$bin" "\$@" | sed '1s/^usage:/Usage:/'
WRAP
chmod +x "$tmp/ledgerstress"

# Plain text as roff, verbatim: backslashes and minus signs escaped, a line
# starting with a control character defused.
roff_verbatim() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || { echo "manpage.sh: no commands in '$bin --help'" >&2; exit 1; }
{
  echo "[COMMANDS]"
  echo "Each command's own --help, verbatim."
  for c in $commands; do
    printf '.SS "ledgerstress %s"\n.nf\n' "$c"
    "$bin" "$c" --help | roff_verbatim
    printf '.fi\n'
  done
  echo "[FILES]"
  echo ".TP"
  echo ".I share/ledgerstress/scenarios"
  echo "under the installation prefix (/usr for the Debian package): the shipped"
  echo "scenarios, run by name; their drivers are in share/ledgerstress/drivers."
  echo ".TP"
  echo ".I share/doc/ledgerstress"
  echo "README.md and the reference pages (scenario format, report format, driver protocol)."
  echo "[SEE ALSO]"
  echo ".BR pgbench (1),"
  echo ".BR psql (1)"
} >"$tmp/include.h2m"

help2man --no-info --section=1 --include="$tmp/include.h2m" \
  --name="concurrency stress tests for PostgreSQL settlement code" \
  --output="$out" "$tmp/ledgerstress"
gzip -9n -c "$out" >"$out.gz"
