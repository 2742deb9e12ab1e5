#ifndef LEDGERSTRESS_SETTLEMENT_CONNECTION_H_
#define LEDGERSTRESS_SETTLEMENT_CONNECTION_H_

#include <string>
#include <unordered_map>

#include <pqxx/connection_base>
#include <pqxx/connection>

// libpq's connection handle (libpq-fe.h's PGconn), kept out of this header.
struct pg_conn;

namespace settlement {

// The connection every settlement function takes: a libpqxx connection
// (connects as pqxx::connection does, with the same options string, and
// works with pqxx::work and friends) that also keeps its libpq handle and
// the statements prepared on it.
//
// Why: CountedWork sends its statements through libpq directly, without
// libpqxx's per-statement parameter vectors, result objects and
// prepared-statement map (in the pledge benchmark a worker spent 1.6x
// pgbench's client user CPU per transaction through libpqxx, about the same
// as pgbench through libpq). libpqxx 6.4 has no public accessor for the
// handle, so the connection's own policy keeps it when the connection
// completes and forgets it when it is dropped or closed (the pattern of
// libpqxx's basic_connection_base).
//
// Neither copyable nor movable (hold it in a std::unique_ptr). One thread at
// a time, as every libpqxx connection.
class Connection : public pqxx::connection_base {
 public:
  // `options`: a libpq connection string or URI. Connects now; throws
  // pqxx::broken_connection when that fails.
  explicit Connection(const std::string& options);
  ~Connection() noexcept;

  // The open connection's libpq handle; nullptr when it is not open.
  pg_conn* handle() const noexcept { return handle_; }

  // Whether the next call can use this session: open as far as libpq knows
  // (libpqxx's is_open() may still say yes after the server went away) and
  // with no transaction left open. A caller whose call failed reconnects
  // when this is false.
  bool Usable() const noexcept;

  // The statements prepared on this connection (string literals, by
  // address, and the name each was prepared under). Emptied whenever the
  // connection is dropped or closed: a new session knows none of them.
  std::unordered_map<const char*, std::string>& prepared() noexcept { return prepared_; }

  // Statements (several, separated by `;`) that set a session up: run again
  // by Reopen() on the new session. The caller that set the session up
  // (application_name, search_path, timeouts) records them here.
  void set_session_sql(std::string sql) { session_sql_ = std::move(sql); }

  // Replaces a broken session by a new one: libpq's PQreset (same
  // connection string, same handle), then the session SQL. Forgets the
  // prepared statements. For the retry loop, which must ask whether a
  // COMMIT whose reply was lost took effect: the session that sent it is
  // usually gone. Throws pqxx::broken_connection when no session can be
  // had (the server is down); the connection then stays unusable.
  void Reopen();

 private:
  class Policy : public pqxx::connect_direct {
   public:
    Policy(const std::string& options, Connection* owner) : pqxx::connect_direct(options), owner_(owner) {}
    handle do_completeconnect(handle orig) override;
    handle do_dropconnect(handle orig) noexcept override;
    handle do_disconnect(handle orig) noexcept override;

   private:
    Connection* owner_;
  };

  void Forget() noexcept;

  // Declaration order matters: connection_base is given policy_ before it
  // is built (as in libpqxx), and init() in the constructor's body runs the
  // policy, which writes handle_ and prepared_.
  std::string options_;
  Policy policy_;
  pg_conn* handle_ = nullptr;
  std::unordered_map<const char*, std::string> prepared_;
  std::string session_sql_;
};

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_CONNECTION_H_
