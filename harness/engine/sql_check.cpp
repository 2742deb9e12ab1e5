#include "harness/engine/sql_check.h"

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <set>

#include <libpq-fe.h>

#include "harness/engine/fixtures.h"
#include "harness/engine/schema_command.h"
#include "harness/invariants/invariants.h"
#include "harness/operations/sql_operation.h"
#include "harness/operations/sql_text.h"
#include "harness/pg/dsn.h"
#include "harness/scenario/statement_names.h"

namespace ledgerstress {
namespace {

// A PGresult freed however the scope ends.
struct Result {
  PGresult* res;
  ~Result() { PQclear(res); }
  bool ok() const {
    return res && (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
  }
};

// The byte of the sent text the server's error points at, when it says.
bool ErrorOffset(const Result& r, std::size_t* at) {
  const char* pos = r.res ? PQresultErrorField(r.res, PG_DIAG_STATEMENT_POSITION) : nullptr;
  if (!pos) return false;
  *at = static_cast<std::size_t>(std::max(1L, std::strtol(pos, nullptr, 10)) - 1);
  return true;
}

// "line:col" (1-based, columns in characters) of byte `at` of `sql`.
std::string LineCol(const std::string& sql, std::size_t at) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < at && i < sql.size(); ++i) {
    if (sql[i] == '\n') line++, col = 1;
    else if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++col;  // characters, not bytes
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

std::string ServerMessage(PGconn* h, const Result& r) {
  return FirstLine(r.res ? PQresultErrorMessage(r.res) : PQerrorMessage(h));
}

// The server's message, with where in `sql` it points when it says.
std::string Refusal(PGconn* h, const Result& r, const std::string& sql) {
  const std::string msg = ServerMessage(h, r);
  std::size_t at = 0;
  if (!ErrorOffset(r, &at)) return msg;
  const std::string place = LineCol(sql, at);
  const std::size_t colon = place.find(':');
  return msg + " (at line " + place.substr(0, colon) + ", column " + place.substr(colon + 1) + " of it)";
}

// SQL the scenario reads from `file`: the error points at the file's line
// (`to_file` maps an offset of the sent text to one of the file's).
[[noreturn]] void RefuseFile(PGconn* h, const Result& r, const std::string& file, const std::string& written,
                             const std::function<std::size_t(std::size_t)>& to_file, const std::string& what) {
  std::size_t at = 0;
  const std::string place = ErrorOffset(r, &at) ? ":" + LineCol(written, to_file(at)) : "";
  throw ScenarioError(file + place + ": " + what + ": the server refuses it: " + ServerMessage(h, r));
}

void Exec(PGconn* h, const std::string& sql, const std::string& where, const std::string& what) {
  const Result r{PQexec(h, sql.c_str())};
  if (!r.ok()) throw ScenarioError(where + ": " + what + ": the server refuses it: " + Refusal(h, r, sql));
}

void ExecSchema(PGconn* h, const UserSchema& u) {
  if (u.sql_file.empty()) return Exec(h, u.sql, u.where, "[schema]");
  const Result r{PQexec(h, u.sql.c_str())};
  if (!r.ok()) RefuseFile(h, r, u.sql_file, u.sql, [](std::size_t at) { return at; }, "[schema] file (" + u.where + ")");
}

// The scratch schema with the scenario's tables (or the built-in ones).
void CreateSchema(PGconn* h, const Scenario& s, const std::string& schema) {
  const std::string name = "\"" + schema + "\"";
  if (s.user_schema && s.user_schema->command.given()) {  // its command fills it, on sessions of its own
    Exec(h, "CREATE SCHEMA " + name, s.path, "the scratch schema");
    return;
  }
  Exec(h, "BEGIN", "", "BEGIN");
  Exec(h, "CREATE SCHEMA " + name + "; SET LOCAL search_path = " + name, s.path, "the scratch schema");
  if (s.user_schema) ExecSchema(h, *s.user_schema);
  else Exec(h, kSchemaSql, s.path, "the built-in schema");
  Exec(h, "COMMIT", s.path, "COMMIT");
}

// Each case's fixture (its own variables), once per distinct text, rolled back.
void CheckFixtures(PGconn* h, const Scenario& s) {
  if (!s.user_schema || s.user_schema->fixture.empty()) return;
  std::set<std::string> done;
  for (const CaseSpec& c : s.cases) {
    const std::string sql = FixtureSql(*s.user_schema, c.vars);
    if (!done.insert(sql).second) continue;
    Exec(h, "BEGIN", s.path, "BEGIN");
    const Result r{PQexec(h, sql.c_str())};
    const bool ok = r.ok();
    PQclear(PQexec(h, "ROLLBACK"));
    if (ok) continue;
    const std::string what = "the [schema] fixture, with case '" + c.name + "''s vars";
    if (!s.user_schema->fixture_file.empty()) {
      const auto literals = VarLiterals(c.vars);
      const std::string& written = s.user_schema->fixture;
      RefuseFile(h, r, s.user_schema->fixture_file, written,
                 [&](std::size_t at) { return OffsetBeforeSubstitution(written, literals, at); },
                 "[schema] fixture_file (" + s.user_schema->fixture_where + "), with case '" + c.name + "''s vars");
    }
    throw ScenarioError(s.user_schema->fixture_where + ": " + what + ": the server refuses it: " + Refusal(h, r, sql));
  }
}

// Prepares `text`; returns its result columns. Throws at `where`.
std::vector<std::string> Prepare(PGconn* h, const std::string& text, const std::string& where, const std::string& what) {
  const Result p{PQprepare(h, "ls_sqlcheck", text.c_str(), 0, nullptr)};
  if (!p.ok()) throw ScenarioError(where + ": " + what + ": the server refuses it: " + Refusal(h, p, text));
  const Result d{PQdescribePrepared(h, "ls_sqlcheck")};
  std::vector<std::string> columns;
  for (int c = 0; d.ok() && c < PQnfields(d.res); ++c) columns.push_back(PQfname(d.res, c));
  PQclear(PQexec(h, "DEALLOCATE ls_sqlcheck"));
  return columns;
}

// The loader refuses the clashes the statement's text shows; the server
// also tells the columns of `SELECT *`.
void RefuseParamColumns(const SqlOperation& op, std::size_t index, const SqlStatement& st,
                        const std::vector<std::string>& columns) {
  for (const std::string& c : columns) {
    for (const SqlParam& p : op.params) {
      if (p.name == c) throw ScenarioError(st.where + ": " + GsetParamClash(op.name, index, c));
    }
  }
}

void CheckOperation(PGconn* h, const SqlOperation& op) {
  std::set<std::string> bound;  // columns of the gset statements so far
  for (std::size_t i = 0; i < op.statements.size(); ++i) {
    const SqlStatement& st = op.statements[i];
    const std::string what = "operation '" + op.name + "', statement " + std::to_string(i + 1);
    const std::vector<std::string> columns = Prepare(h, st.text, st.where, what);
    for (std::size_t k = 0; k < st.slots.size(); ++k) {
      if (st.slots[k] < op.params.size() || bound.count(st.names[k])) continue;
      std::string have;
      for (const std::string& b : bound) have += (have.empty() ? "" : ", ") + b;
      throw ScenarioError(st.where + ": " + what + ": undefined parameter ':" + st.names[k] +
                          "': not in params, and no earlier statement with gset = true returns a column of that "
                          "name (they return: " + (have.empty() ? "none" : have) + ")");
    }
    if (st.gset && columns.empty()) throw ScenarioError(st.where + ": " + what + ": gset = true, but it returns no columns");
    if (st.gset) RefuseParamColumns(op, i, st, columns);
    if (st.gset) bound.insert(columns.begin(), columns.end());
  }
  if (!op.durable_sql.empty()) Prepare(h, op.durable_sql, op.durable_where, "operation '" + op.name + "', durable");
}

// Each case's invariants (their queries hold the case's vars), once per distinct text.
void CheckInvariants(settlement::Connection& conn, const Scenario& s) {
  std::set<std::string> done;
  for (const CaseSpec& c : s.cases) {
    std::vector<SqlInvariant> fresh;
    for (const SqlInvariant& q : c.sql_invariants) {
      if (done.insert(q.query).second) fresh.push_back(q);
    }
    if (const std::string why = SqlInvariantRefusal(conn, fresh); !why.empty()) throw ScenarioError(why);
  }
}

}  // namespace

bool HasScenarioSql(const Scenario& s) {
  if (s.user_schema) return true;
  if (!s.cases.empty() && !s.cases.front().sql_invariants.empty()) return true;
  if (!s.operations) return false;
  for (const OperationDef& d : s.operations->rows()) {
    if (d.sql) return true;
  }
  return false;
}

void CheckScenarioSql(settlement::Connection& conn, const Scenario& s, const std::string& schema,
                      const BuildWithCommands& build) {
  PGconn* h = conn.handle();
  CreateSchema(h, s, schema);
  try {
    if (s.user_schema && HasSchemaCommands(*s.user_schema)) {
      if (!build) throw std::logic_error("CheckScenarioSql: the [schema] has commands, and no way to run them");
      build(schema);
    }
    CheckFixtures(h, s);
    if (s.operations) {
      for (const OperationDef& d : s.operations->rows()) {
        if (d.sql) CheckOperation(h, *d.sql);
      }
    }
    CheckInvariants(conn, s);
  } catch (...) {
    PQclear(PQexec(h, ("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").c_str()));
    throw;
  }
  PQclear(PQexec(h, ("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").c_str()));
}

}  // namespace ledgerstress
