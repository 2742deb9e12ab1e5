#include "harness/pg/target.h"

#include <cstdlib>

#include <pqxx/pqxx>
#include <pqxx/nontransaction>

#include "harness/errors.h"
#include "harness/pg/dsn.h"
#include "harness/pg/embedded_cluster.h"
#include "harness/pg/like_pattern.h"
#include "settlement/connection.h"

namespace ledgerstress {

std::string Target::Display() const {
  return dsn.empty() ? "(libpq defaults from PG* variables)" : RedactDsn(dsn);
}

namespace {

const char* const kPgVariables[] = {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"};

// "(PGHOST=db PGPORT=5433)": the PG* variables libpq will read (no password among them).
std::string PgVariablesSet() {
  std::string set;
  for (const char* var : kPgVariables) {
    if (const char* v = std::getenv(var); v && *v) set += (set.empty() ? "" : " ") + std::string(var) + "=" + v;
  }
  return "(" + set + ")";
}

}  // namespace

std::string Target::Describe() const {
  if (own_cluster) return "embedded cluster (throwaway) " + own_cluster->dir();
  if (source == "PG* environment") return source + " " + PgVariablesSet();
  if (source == "DATABASE_URL") return "$DATABASE_URL " + Display();
  return source + " " + Display();
}

bool ResolveUserTarget(const std::string& dsn_flag, Target* out) {
  if (!dsn_flag.empty()) {
    *out = Target{dsn_flag, "--dsn"};
    return true;
  }
  if (const char* url = std::getenv("DATABASE_URL"); url && *url) {
    *out = Target{url, "DATABASE_URL"};
    return true;
  }
  for (const char* var : kPgVariables) {
    if (const char* v = std::getenv(var); v && *v) {
      *out = Target{"", "PG* environment"};
      return true;
    }
  }
  return false;
}

void ApplySessionSettings(settlement::Connection& conn, const Target& target, const SessionSettings& settings) {
  try {
    pqxx::nontransaction tx(conn);
    std::string sql = "SET application_name = " + tx.quote(settings.application_name) + ";";
    if (!settings.search_path.empty()) sql += "SET search_path = " + tx.quote_name(settings.search_path) + ";";
    sql += "SET lock_timeout = " + std::to_string(settings.lock_timeout.count()) + ";";
    sql += "SET statement_timeout = " + std::to_string(settings.statement_timeout.count()) + ";";
    // The settlement code prepares its statements. A case's tables start
    // empty and grow by thousands of rows a second with no ANALYZE in
    // between, so a generic plan made on the 6th execution (and the foreign
    // key triggers' cached plans) would keep a sequential scan forever: the
    // key lookup measured 0.26 ms instead of 0.003 ms. Plan every execution
    // as an unprepared driver would; parsing is still saved.
    sql += "SET plan_cache_mode = force_custom_plan;";
    for (const auto& [name, value] : settings.extra) sql += "SET " + name + " = " + tx.quote(value) + ";";
    tx.exec(sql);
    conn.set_session_sql(sql);  // a session the settlement code reopens gets the same settings
  } catch (const pqxx::broken_connection& e) {
    throw InfrastructureError("lost the connection to " + target.Display() + " while setting up a session: " +
                              RedactWith(FirstLine(e.what()), target.dsn));
  }
  if (settings.deadlock_timeout.count() > 0) {
    try {
      pqxx::nontransaction tx(conn);
      tx.exec("SET deadlock_timeout = " + std::to_string(settings.deadlock_timeout.count()));
    } catch (const pqxx::insufficient_privilege&) {
      // Not a superuser: keep the server's deadlock_timeout.
    }
  }
}

std::unique_ptr<settlement::Connection> Connect(const Target& target, const SessionSettings& settings) {
  std::unique_ptr<settlement::Connection> conn;
  try {
    conn = std::make_unique<settlement::Connection>(target.dsn);
    // libpqxx 6 may silently reopen a broken connection on the next
    // statement; the workers reconnect themselves (and count it), and a
    // settlement transaction must never go on in a fresh session.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
  } catch (const std::exception& e) {
    throw InfrastructureError("cannot connect to " + target.Display() + " (" + target.source +
                              "): " + RedactWith(FirstLine(e.what()), target.dsn));
  }
  ApplySessionSettings(*conn, target, settings);
  return conn;
}

}  // namespace ledgerstress

namespace ledgerstress {

void CancelOurStatements(const Target& target, const std::string& prefix) {
  try {
    auto conn = Connect(target, SessionSettings::Named(prefix + "-canceller"));
    pqxx::nontransaction tx(*conn);
    tx.exec("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name LIKE " +
            tx.quote(LikeEscaped(prefix + "/") + "%") + " AND pid <> pg_backend_pid()");
  } catch (const std::exception&) {
    // The server may be gone: nothing left to cancel.
  }
}

}  // namespace ledgerstress
