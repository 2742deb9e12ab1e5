#!/usr/bin/env bash
# The ctest fixture behind the db and e2e labels: one embedded PostgreSQL
# (`ledgerstress db start`) that those tests share, each in schemas of its
# own, instead of an initdb per test. ctest runs `start` before the first
# test that requires the fixture and `stop` after the last one.
#
#   cluster_fixture.sh LEDGERSTRESS_BIN start|stop DIR
#
# `start` first stops and removes whatever an interrupted run left in DIR.
set -euo pipefail
bin=$1 action=$2 dir=$3
case "$action" in
  start)
    "$bin" db stop --dir "$dir" >/dev/null 2>&1 || true
    rm -rf "$dir"
    exec "$bin" db start --dir "$dir" --max-connections 300 ;;
  stop)
    exec "$bin" db stop --dir "$dir" ;;
  *)
    echo "cluster_fixture.sh: unknown action '$action' (start or stop)" >&2
    exit 2 ;;
esac
