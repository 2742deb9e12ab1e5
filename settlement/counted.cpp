#include "settlement/counted.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <libpq-fe.h>

#include "settlement/sql_errors.h"

namespace settlement {

namespace {

pg_conn* OpenHandle(Connection& conn) {
  if (!conn.handle()) throw pqxx::broken_connection("the connection to the server is closed");
  return conn.handle();
}

Rows Checked(PGconn* conn, PGresult* res, const char* query) {
  if (res) {
    const ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return Rows(res);
  }
  ThrowSqlError(conn, res, query);
}

// The name `sql` is prepared under on `conn`, preparing it first if needed.
const std::string& Prepared(Connection& conn, PGconn* h, const char* sql) {
  auto& prepared = conn.prepared();
  const auto it = prepared.find(sql);
  if (it != prepared.end()) return it->second;
  char name[32];
  std::snprintf(name, sizeof name, "ls_%" PRIxPTR, reinterpret_cast<std::uintptr_t>(sql));
  PGresult* res = PQprepare(h, name, sql, 0, nullptr);
  if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) ThrowSqlError(h, res, sql);
  PQclear(res);
  return prepared.emplace(sql, name).first->second;
}

}  // namespace

CountedWork::CountedWork(Connection& conn, Observer& obs, const char* begin)
    : obs_(obs), conn_(conn), handle_(OpenHandle(conn)) {
  // A transaction already open on the session (a pqxx::work, or a
  // CountedWork not yet destroyed) would swallow this one's BEGIN and COMMIT.
  if (PQtransactionStatus(handle_) == PQTRANS_INTRANS || PQtransactionStatus(handle_) == PQTRANS_INERROR) {
    throw std::logic_error("settlement: a transaction is already open on this connection");
  }
  Checked(handle_, PQexec(handle_, begin), begin);
  open_ = true;
  obs_.OnStatement(1);
}

CountedWork::~CountedWork() {
  // As pqxx::work's destructor: roll back, whatever state the session is in
  // (on a lost connection this fails at once, and there is nothing to undo).
  if (open_) PQclear(PQexec(handle_, "ROLLBACK"));
}

Rows CountedWork::ExecPrepared(const char* sql, int n, const char* const* values) {
  const std::string& name = Prepared(conn_, handle_, sql);
  return Checked(handle_,
                 PQexecPrepared(handle_, name.c_str(), n, values, nullptr, nullptr, 0), sql);
}

Rows CountedWork::ExecText(const std::string& sql, int n, const char* const* values) {
  return Checked(handle_,
                 PQexecParams(handle_, sql.c_str(), n, nullptr, values, nullptr, nullptr, 0),
                 sql.c_str());
}

Rows CountedWork::ExecRaw(const std::string& sql) {
  obs_.OnStatement(1);
  return Checked(handle_, PQexec(handle_, sql.c_str()), sql.c_str());
}

Rows ExecStableAutocommit(Connection& conn, Observer& obs, const char* sql, int n, const char* const* values) {
  PGconn* h = OpenHandle(conn);
  obs.OnStatement(1);
  const std::string& name = Prepared(conn, h, sql);
  return Checked(h, PQexecPrepared(h, name.c_str(), n, values, nullptr, nullptr, 0), sql);
}

void CountedWork::Commit() {
  obs_.OnStatement(1);
  open_ = false;  // whatever COMMIT answers, the transaction is over
  PGconn* h = handle_;
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
