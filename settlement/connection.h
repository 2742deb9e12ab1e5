#ifndef LEDGERSTRESS_SETTLEMENT_CONNECTION_H_
#define LEDGERSTRESS_SETTLEMENT_CONNECTION_H_

#include <memory>
#include <string>
#include <unordered_map>

#include <pqxx/connection>

// libpq's connection handle (libpq-fe.h's PGconn), kept out of this header.
struct pg_conn;

namespace settlement {

// A connection policy that makes the connection's libpq handle reachable
// from settlement/ (libpqxx 6.4 has no public accessor): CountedWork sends
// its statements through libpq directly, without libpqxx's per-statement
// parameter vectors, result objects and prepared-statement map (in the pledge
// benchmark a worker spent 1.6x pgbench's client user CPU per transaction
// through libpqxx, about the same as pgbench through libpq). Connects as
// pqxx::connect_direct does.
class HandlePolicy : public pqxx::connect_direct {
 public:
  explicit HandlePolicy(const std::string& options) : pqxx::connect_direct(options) {}
  handle do_completeconnect(handle orig) override;
  handle do_dropconnect(handle orig) noexcept override;
  handle do_disconnect(handle orig) noexcept override;
};

// The connection type for everything handed to settlement functions: a
// pqxx::connection (same constructor, same behaviour) whose handle
// RawHandle() can find.
using Connection = pqxx::basic_connection_base<HandlePolicy>;

// What settlement/ keeps of one open connection: its libpq handle and the
// statements prepared on it (string literals, by address, and the name each
// got). Lives while the connection is open; used by one thread at a time,
// as the connection is.
struct Session {
  pg_conn* handle = nullptr;
  std::unordered_map<const char*, std::string> prepared;
};

// The session of `conn`, or nullptr when `conn` is not an open
// settlement::Connection. Takes a lock (once per transaction).
std::shared_ptr<Session> SessionOf(const pqxx::connection_base& conn);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_CONNECTION_H_
