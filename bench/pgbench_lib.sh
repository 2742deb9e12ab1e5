# Shared by the scripts that run pgbench beside ledgerstress
# (bench/pgbench_compare.sh, bench/pgbench_rate.sh); sourced, not run.
#
# Expects: $here (the repository), $dsn ("" to start a `ledgerstress db
# start` cluster), $clients (the client counts the caller will run, e.g.
# "8 32 128": the cluster it starts takes the largest plus room for the
# harness's own sessions; a running one with fewer is refused). Sets: ls_bin, pgbench, psql, work (a temp dir removed at
# exit), dsn and DATABASE_URL; stops the cluster at exit when it started it.
# The caller's name for messages: $tool.

ls_bin="${LEDGERSTRESS_BIN:-$here/build/ledgerstress}"
[[ -x "$ls_bin" ]] || { echo "$tool: $ls_bin not built: run scripts/build.sh" >&2; exit 2; }
pgbench="$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)"
[[ -x "$pgbench" ]] || { echo "$tool: pgbench not found (apt install postgresql-15)" >&2; exit 2; }
psql="$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)"

work="$(mktemp -d)"
started=""
cleanup() {
  [[ -n "$started" ]] && "$ls_bin" db stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The largest client count asked for, plus the harness's own sessions
# (monitor, checks, fixture) and a margin.
connections_needed() {
  local most=0 c
  for c in $clients; do (( c > most )) && most=$c; done
  echo $(( most + 30 ))
}

if [[ -z "$dsn" ]]; then
  if ! status="$("$ls_bin" db status)"; then
    "$ls_bin" db start --max-connections "$(connections_needed)" >/dev/null
    started=1
    status="$("$ls_bin" db status)"
  fi
  dsn="${status#running: }"
fi
export DATABASE_URL="$dsn"
have="$("$psql" "$dsn" -XAtc 'SHOW max_connections')" || { echo "$tool: cannot connect to $dsn" >&2; exit 2; }
if (( have < $(connections_needed) )); then
  echo "$tool: the server takes $have connections, these runs need $(connections_needed)" \
       "(clients: $clients); stop the 'db start' cluster (ledgerstress db stop) or raise max_connections" >&2
  exit 2
fi

# A fresh fixture for pgbench: bench/pledge.toml, one call, data kept.
# Prints the schema's name.
fixture() {
  local out
  out="$("$ls_bin" run "$here/bench/pledge.toml" --set workers=1 --set calls_per_worker=1 --keep-data \
          --report-dir "$work" --format json 2>"$work/fixture.err")" || { cat "$work/fixture.err" >&2; return 1; }
  sed -n 's/^data kept in schemas: //p' <<<"$out"
}

# The variables bench/pledge.pgbench needs for fixture $1, as -D options.
fixture_vars() {
  local donor0 donors project
  read -r donor0 donors project < <("$psql" "$dsn" -XAtq -F ' ' -c \
    "SELECT min(u.id), count(*), (SELECT max(id) FROM $1.project) FROM $1.app_user u WHERE u.email LIKE 'donor%'")
  echo "-D donor0=$donor0 -D donors=$donors -D project=$project"
}

drop_schema() { "$psql" "$dsn" -Xq -c "SET client_min_messages = warning" -c "DROP SCHEMA $1 CASCADE"; }

# The session settings ledgerstress's workers use that change the server's
# work: the schema, and a plan per execution (see harness/pg/target.cpp).
pgbench_options() { echo "-c search_path=$1 -c plan_cache_mode=force_custom_plan"; }

median() { python3 -c "import statistics, sys; print('%.1f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
