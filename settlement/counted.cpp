#include "settlement/counted.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <libpq-fe.h>

#include "settlement/sql_errors.h"

namespace settlement {

namespace {

std::shared_ptr<Session> SessionFor(pqxx::connection_base& conn) {
  std::shared_ptr<Session> s = SessionOf(conn);
  if (s) return s;
  if (conn.sock() < 0) throw pqxx::broken_connection("the connection to the server is closed");
  throw std::logic_error(
      "settlement: statements need a settlement::Connection (settlement/connection.h), not a plain pqxx connection");
}

Rows Checked(PGconn* conn, PGresult* res, const char* query) {
  if (res) {
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return Rows(res);
  }
  ThrowSqlError(conn, res, query);
}

// The name `sql` is prepared under on `s`, preparing it first if needed.
const std::string& Prepared(Session& s, const char* sql) {
  const auto it = s.prepared.find(sql);
  if (it != s.prepared.end()) return it->second;
  char name[32];
  std::snprintf(name, sizeof name, "ls_%" PRIxPTR, reinterpret_cast<std::uintptr_t>(sql));
  PGresult* res = PQprepare(s.handle, name, sql, 0, nullptr);
  if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) ThrowSqlError(s.handle, res, sql);
  PQclear(res);
  return s.prepared.emplace(sql, name).first->second;
}

}  // namespace

CountedWork::CountedWork(pqxx::connection_base& conn, Observer& obs) : obs_(obs), session_(SessionFor(conn)) {
  // A transaction already open on the session (a pqxx::work, or a
  // CountedWork not yet destroyed) would swallow this one's BEGIN and COMMIT.
  if (PQtransactionStatus(session_->handle) == PQTRANS_INTRANS ||
      PQtransactionStatus(session_->handle) == PQTRANS_INERROR) {
    throw std::logic_error("settlement: a transaction is already open on this connection");
  }
  Checked(session_->handle, PQexec(session_->handle, "BEGIN"), "BEGIN");
  open_ = true;
  obs_.OnStatement(1);
}

CountedWork::~CountedWork() {
  // As pqxx::work's destructor: roll back, whatever state the session is in
  // (on a lost connection this fails at once, and there is nothing to undo).
  if (open_) PQclear(PQexec(session_->handle, "ROLLBACK"));
}

Rows CountedWork::ExecPrepared(const char* sql, int n, const char* const* values) {
  const std::string& name = Prepared(*session_, sql);
  return Checked(session_->handle,
                 PQexecPrepared(session_->handle, name.c_str(), n, values, nullptr, nullptr, 0), sql);
}

Rows CountedWork::ExecText(const std::string& sql, int n, const char* const* values) {
  return Checked(session_->handle,
                 PQexecParams(session_->handle, sql.c_str(), n, nullptr, values, nullptr, nullptr, 0),
                 sql.c_str());
}

Rows CountedWork::ExecRaw(const std::string& sql) {
  obs_.OnStatement(1);
  return Checked(session_->handle, PQexec(session_->handle, sql.c_str()), sql.c_str());
}

void CountedWork::Commit() {
  obs_.OnStatement(1);
  open_ = false;  // whatever COMMIT answers, the transaction is over
  PGconn* h = session_->handle;
  PGresult* res = PQexec(h, "COMMIT");
  if (res && PQresultStatus(res) == PGRES_COMMAND_OK) {
    // The server answers a COMMIT of a failed transaction with ROLLBACK.
    const bool rolled_back = std::strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
    PQclear(res);
    if (rolled_back) {
      throw pqxx::sql_error("COMMIT rolled the transaction back: a statement of it had failed", "COMMIT", "25P02");
    }
    return;
  }
  if (PQstatus(h) != CONNECTION_OK) {
    // The COMMIT may have reached the server and been applied: nobody can
    // tell from here (pqxx::work throws the same).
    const std::string why = res ? PQresultErrorMessage(res) : PQerrorMessage(h);
    PQclear(res);
    throw pqxx::in_doubt_error("the connection was lost while committing; the transaction may or may not have "
                               "been committed: " + why);
  }
  ThrowSqlError(h, res, "COMMIT");
}

}  // namespace settlement
