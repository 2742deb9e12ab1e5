#include "harness/engine/sql_check.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <libpq-fe.h>

#include "harness/engine/fixtures.h"
#include "harness/engine/schema_command.h"
#include "harness/invariants/invariants.h"
#include "harness/operations/sql_operation.h"
#include "harness/pg/dsn.h"

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

// The server's message, with where in `sql` it points when it says.
std::string Refusal(PGconn* h, const Result& r, const std::string& sql) {
  std::string msg = FirstLine(r.res ? PQresultErrorMessage(r.res) : PQerrorMessage(h));
  const char* pos = r.res ? PQresultErrorField(r.res, PG_DIAG_STATEMENT_POSITION) : nullptr;
  if (!pos) return msg;
  const std::size_t at = static_cast<std::size_t>(std::max(1L, std::strtol(pos, nullptr, 10)) - 1);
  int line = 1, col = 1;
  for (std::size_t i = 0; i < at && i < sql.size(); ++i) {
    if (sql[i] == '\n') line++, col = 1;
    else if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++col;  // characters, not bytes
  }
  return msg + " (at line " + std::to_string(line) + ", column " + std::to_string(col) + " of it)";
}

void Exec(PGconn* h, const std::string& sql, const std::string& where, const std::string& what) {
  const Result r{PQexec(h, sql.c_str())};
  if (!r.ok()) throw ScenarioError(where + ": " + what + ": the server refuses it: " + Refusal(h, r, sql));
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
  if (s.user_schema) Exec(h, s.user_schema->sql, s.user_schema->where, "[schema]");
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
    if (!ok) {
      throw ScenarioError(s.user_schema->fixture_where + ": the [schema] fixture, with case '" + c.name +
                          "''s vars: the server refuses it: " + Refusal(h, r, sql));
    }
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
    if (st.gset) bound.insert(columns.begin(), columns.end());
  }
  if (!op.durable_sql.empty()) Prepare(h, op.durable_sql, op.durable_where, "operation '" + op.name + "', durable");
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
    if (!s.cases.empty()) ValidateSqlInvariants(conn, s.cases.front().sql_invariants);
  } catch (...) {
    PQclear(PQexec(h, ("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").c_str()));
    throw;
  }
  PQclear(PQexec(h, ("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").c_str()));
}

}  // namespace ledgerstress
