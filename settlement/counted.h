#ifndef LEDGERSTRESS_SETTLEMENT_COUNTED_H_
#define LEDGERSTRESS_SETTLEMENT_COUNTED_H_

#include <charconv>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include <pqxx/pqxx>

#include "settlement/connection.h"
#include "settlement/observer.h"
#include "settlement/rows.h"

// Internal to settlement/: statements that report themselves to the
// observer, so that statement counts are exact by construction.

namespace settlement {

// The text of each parameter of one statement: strings by pointer (they
// must outlive the statement: the caller's arguments do), integers
// formatted into the object itself. No allocation.
template <std::size_t N>
class ParamTexts {
 public:
  template <typename... Args>
  explicit ParamTexts(const Args&... args) {
    (Add(args), ...);
  }
  ParamTexts(const ParamTexts&) = delete;
  ParamTexts& operator=(const ParamTexts&) = delete;
  const char* const* values() const { return values_; }

 private:
  void Add(const std::string& s) { values_[n_++] = s.c_str(); }
  void Add(const char* s) { values_[n_++] = s; }
  template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int> && !std::is_same_v<Int, bool>>>
  void Add(Int v) {
    char* end = std::to_chars(numbers_[n_], numbers_[n_] + sizeof numbers_[n_] - 1, v).ptr;
    *end = '\0';
    values_[n_] = numbers_[n_];
    ++n_;
  }

  const char* values_[N > 0 ? N : 1];
  char numbers_[N > 0 ? N : 1][24];
  std::size_t n_ = 0;
};

// A read-committed transaction that counts its BEGIN, every statement and
// its COMMIT. Destroying it uncommitted rolls back (the ROLLBACK is not
// counted: it is the failure path).
//
// Everything goes to libpq directly (see connection.h), as libpqxx's
// pqxx::work would send it: BEGIN, COMMIT and ROLLBACK as simple queries, the
// statements in the extended protocol. `conn` must have no transaction open
// on it (std::logic_error otherwise) and be open (pqxx::broken_connection
// otherwise); libpqxx does
// not know of this one, so none may be opened through it while this lives.
// Failures throw the exceptions libpqxx throws
// (sql_errors.h); a connection lost during COMMIT throws
// pqxx::in_doubt_error, as pqxx::work does.
class CountedWork {
 public:
  // `begin` opens the transaction ("BEGIN ISOLATION LEVEL REPEATABLE READ",
  // say); it must outlive the object.
  CountedWork(Connection& conn, Observer& obs, const char* begin = "BEGIN");
  ~CountedWork();
  CountedWork(const CountedWork&) = delete;
  CountedWork& operator=(const CountedWork&) = delete;

  // A statement whose text is a string literal: prepared on the session the
  // first time (named after the literal's address), then executed by name,
  // so the server parses it once per session.
  template <std::size_t N, typename... Args>
  Rows Exec(const char (&sql)[N], const Args&... args) {
    obs_.OnStatement(1);
    const ParamTexts<sizeof...(Args)> p(args...);
    return ExecPrepared(sql, static_cast<int>(sizeof...(Args)), p.values());
  }
  // A statement built at run time (its text varies): sent with its text.
  template <typename... Args>
  Rows Exec(const std::string& sql, const Args&... args) {
    obs_.OnStatement(1);
    const ParamTexts<sizeof...(Args)> p(args...);
    return ExecText(sql, static_cast<int>(sizeof...(Args)), p.values());
  }
  // A statement whose text outlives the connection (a scenario's SQL, held
  // for the whole run), with `n` parameters as text (a null pointer is
  // NULL): prepared on the session the first time, by the text's address,
  // as the literals above.
  Rows ExecStable(const char* sql, int n, const char* const* values) {
    obs_.OnStatement(1);
    return ExecPrepared(sql, n, values);
  }
  // A statement without parameters, in the simple query protocol.
  Rows ExecRaw(const std::string& sql);
  void Commit();

 private:
  Rows ExecPrepared(const char* sql, int n, const char* const* values);
  Rows ExecText(const std::string& sql, int n, const char* const* values);

  Observer& obs_;
  Connection& conn_;
  pg_conn* handle_;
  bool open_ = false;  // BEGIN succeeded, and neither COMMIT nor ROLLBACK was sent
};

// One statement in autocommit mode.
template <typename... Args>
pqxx::result ExecAutocommit(Connection& conn, Observer& obs, const std::string& sql, Args&&... args) {
  pqxx::nontransaction tx(conn);
  obs.OnStatement(1);
  return tx.exec_params(sql, std::forward<Args>(args)...);
}

// One statement in autocommit mode, prepared by address as
// CountedWork::ExecStable does. `conn` must have no transaction open.
Rows ExecStableAutocommit(Connection& conn, Observer& obs, const char* sql, int n, const char* const* values);

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
