#!/usr/bin/env bash
# The man page shows every command and every option of the program it was
# generated from:   man_page_test.sh BIN PAGE   (PAGE: ledgerstress.1[.gz])
# Also checks that the check fires: a page with one command's section cut
# out must be refused.
set -euo pipefail
bin=$1
page=$2

commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')

# Prints what PAGE lacks ("COMMAND: --option" or "COMMAND: section"); fails if anything.
missing_from() {
  local text status=0
  text=$(MANWIDTH=200 man -l "$1" 2>/dev/null)
  for c in $commands; do
    grep -q "^ *ledgerstress $c\$" <<<"$text" || { echo "$c: section"; status=1; }
    for o in $("$bin" "$c" --help | sed -n 's/^  \(-[a-zA-Z] \[ \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p'); do
      grep -Eq -- "^ *(-[a-zA-Z] \[ )?$o\b" <<<"$text" || { echo "$c: $o"; status=1; }
    done
  done
  return $status
}

[[ -n $commands ]] || { echo "FAIL: no commands in '$bin --help'"; exit 1; }
if ! missing=$(missing_from "$page"); then
  echo "FAIL: the man page lacks:"; echo "$missing"; exit 1
fi
echo "ok: $(wc -w <<<"$commands") commands, every option, in $page"

# The check fires: cut the sweep section out.
cut=$(mktemp --suffix=.1)
trap 'rm -f "$cut"' EXIT
zcat -f "$page" | awk '/^\.SS "ledgerstress sweep"/ { skip = 1; next } skip && /^\.SS/ { skip = 0 } !skip' >"$cut"
if missing_from "$cut" >/dev/null; then
  echo "FAIL: a page without the sweep section passed the check"; exit 1
fi
echo "ok: a page without the sweep section is refused"
