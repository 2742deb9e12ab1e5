#ifndef LEDGERSTRESS_SETTLEMENT_COUNTED_H_
#define LEDGERSTRESS_SETTLEMENT_COUNTED_H_

#include <string>
#include <utility>

#include <pqxx/pqxx>

#include "settlement/observer.h"

// Internal to settlement/: statements that report themselves to the
// observer, so that statement counts are exact by construction.

namespace settlement {

// The name under which the literal `sql` is prepared on `conn`, preparing it
// there first if this thread has not yet done so on this session (a new
// connection, or a reconnect at the same address, prepares again).
const std::string& PreparedName(pqxx::connection_base& conn, const char* sql);

// A read-committed transaction that counts its BEGIN, every statement and
// its COMMIT. Destroying it uncommitted rolls back (libpqxx's ROLLBACK is
// not counted: it is the failure path).
class CountedWork {
 public:
  CountedWork(pqxx::connection_base& conn, Observer& obs) : work_(conn), obs_(obs) { obs_.OnStatement(1); }

  // A statement whose text is a string literal: prepared on the connection
  // the first time (named after the literal's address), then executed by
  // name, so the server parses and plans it once per session.
  template <std::size_t N, typename... Args>
  pqxx::result Exec(const char (&sql)[N], Args&&... args) {
    obs_.OnStatement(1);
    return work_.exec_prepared(PreparedName(work_.conn(), sql), std::forward<Args>(args)...);
  }
  // A statement built at run time (its text varies): sent with its text.
  template <typename... Args>
  pqxx::result Exec(const std::string& sql, Args&&... args) {
    obs_.OnStatement(1);
    return work_.exec_params(sql, std::forward<Args>(args)...);
  }
  pqxx::result ExecRaw(const std::string& sql) {
    obs_.OnStatement(1);
    return work_.exec(sql);
  }
  void Commit() {
    obs_.OnStatement(1);
    work_.commit();
  }
  pqxx::work& txn() { return work_; }

 private:
  pqxx::work work_;
  Observer& obs_;
};

// One statement in autocommit mode.
template <typename... Args>
pqxx::result ExecAutocommit(pqxx::connection_base& conn, Observer& obs, const std::string& sql, Args&&... args) {
  pqxx::nontransaction tx(conn);
  obs.OnStatement(1);
  return tx.exec_params(sql, std::forward<Args>(args)...);
}

// "{1,2,3}": a bigint[] literal for a $n::bigint[] parameter (libpqxx 6.4
// has no array parameters).
template <typename Container>
std::string ArrayLiteral(const Container& ids) {
  std::string s = "{";
  for (const auto& id : ids) {
    if (s.size() > 1) s += ',';
    s += std::to_string(id);
  }
  return s + "}";
}

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_COUNTED_H_
