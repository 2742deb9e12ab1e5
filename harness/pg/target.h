#ifndef LEDGERSTRESS_HARNESS_PG_TARGET_H_
#define LEDGERSTRESS_HARNESS_PG_TARGET_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>

#include "settlement/connection.h"

namespace ledgerstress {

class EmbeddedCluster;

// Where the harness connects. Chosen once per run (see ResolveUserTarget).
struct Target {
  std::string dsn;     // libpq connection string; may hold a password
  std::string source;  // "--dsn", "DATABASE_URL", "PG* environment", "db start cluster", "embedded cluster"
  // The embedded cluster this run started, outliving the run's cases: the
  // only server the crash nemesis may crash. Null for every other target.
  EmbeddedCluster* own_cluster = nullptr;
  // How long a worker that lost its connection keeps trying to open a new
  // one (a killed backend, crash recovery, a failover) before it gives up
  // and the case is an error (--reconnect-for).
  std::chrono::seconds reconnect_for{20};
  // The DSN safe to print.
  std::string Display() const;
  // Where the server comes from and how it is reached, password-free, for
  // the run's "server: ..." line: "embedded cluster (throwaway) DIR",
  // "db start cluster host=... port=...", "--dsn postgresql://me@db/app",
  // "$DATABASE_URL ...", "PG* environment (PGHOST=db PGPORT=5433)".
  std::string Describe() const;
};

// The target named by the user, in this order: `dsn_flag` (--dsn),
// $DATABASE_URL, the libpq PG* variables (PGHOST, PGHOSTADDR, PGPORT,
// PGDATABASE, PGUSER, PGSERVICE: the empty DSN lets libpq read them).
// Returns false when none is set: the caller then uses an embedded cluster.
bool ResolveUserTarget(const std::string& dsn_flag, Target* out);

// Per-session settings applied right after connecting, in one round trip.
struct SessionSettings {
  std::string application_name;  // identifies our backends (backend killer)
  std::string search_path;       // the case's schema; "" leaves it alone
  std::chrono::milliseconds lock_timeout{0};       // 0: off
  std::chrono::milliseconds statement_timeout{0};  // 0: off
  // 0: the server's. Setting it needs superuser; when refused it is left alone.
  std::chrono::milliseconds deadlock_timeout{0};
  // A case's `session.<name>` settings (name, value), set last, in order.
  // REQUIRES: names are setting names (the scenario loader checks them).
  std::vector<std::pair<std::string, std::string>> extra;

  // A session that only names itself (and its schema): every timeout the server's.
  static SessionSettings Named(std::string application_name, std::string search_path = "") {
    SessionSettings s;
    s.application_name = std::move(application_name);
    s.search_path = std::move(search_path);
    return s;
  }
};

// Cancels the statements in flight in the harness's own sessions whose
// application_name starts with `prefix` (pg_cancel_backend: they fail with
// 57014, the sessions survive). Best effort, from a fresh connection; never
// throws. Used when a stop is requested so that a long statement does not
// hold up Ctrl-C.
void CancelOurStatements(const Target& target, const std::string& prefix);

// Opens a connection for the calling thread and applies `settings` to it
// (ApplySessionSettings). Throws InfrastructureError with a one-line,
// password-free message when the server cannot be reached.
std::unique_ptr<settlement::Connection> Connect(const Target& target,
                                          const SessionSettings& settings);
// Sets `settings` on an open, idle session of `target`: what Connect does
// after connecting, and what a session reset with DISCARD ALL needs again.
// Throws InfrastructureError when the connection breaks meanwhile.
void ApplySessionSettings(settlement::Connection& conn, const Target& target, const SessionSettings& settings);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_TARGET_H_
