// Scenario-defined invariants ([[sql_invariant]]): a query that
// must return no row, or one given value.
#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {
namespace {

// The query without trailing blanks and semicolons, to wrap as a subquery.
std::string Body(const std::string& query) {
  std::string q = query;
  while (!q.empty() && (q.back() == ';' || std::isspace(static_cast<unsigned char>(q.back())))) q.pop_back();
  return q;
}

// Runs the check in a read-only transaction. Wrapping the query as a
// subquery, sent with the extended protocol, admits exactly one SELECT-able
// statement: a write, a second statement or a COMMIT is refused.
InvariantResult Run(pqxx::connection_base& conn, const SqlInvariant& q, bool with_timeout) {
  InvariantResult out;
  out.name = q.name;
  pqxx::read_transaction tx(conn);
  if (with_timeout) tx.exec("SET LOCAL statement_timeout = 10000");
  const std::string body = Body(q.query);
  if (!q.has_expect) {
    out.violations = tx.exec_params("SELECT count(*) FROM (" + body + "\n) ls_v")[0][0].as<std::uint64_t>();
    if (out.violations == 0) {
      out.status = "held";
      out.message = "no row: " + q.name + " holds";
      return out;
    }
    out.status = "violated";
    out.message = q.message + " (" + std::to_string(out.violations) + " row(s))";
    AddSamples(tx.exec_params("SELECT * FROM (" + body + "\n) ls_v LIMIT " + std::to_string(kMaxSamples)), &out);
    return out;
  }
  const pqxx::result r = tx.exec_params("SELECT * FROM (" + body + "\n) ls_v LIMIT 2");
  const bool one = r.size() == 1 && r.columns() >= 1;
  const std::string got = one ? (r[0][0].is_null() ? "NULL" : r[0][0].c_str()) : "";
  if (one && got == q.expect) {
    out.status = "held";
    out.message = "returned " + q.expect + " as expected";
    return out;
  }
  out.status = "violated";
  out.violations = 1;
  out.message = q.message + " (expected " + q.expect + ", got " +
                (one ? got : std::to_string(r.size()) + " row(s)") + ")";
  AddSamples(r, &out);
  return out;
}

}  // namespace

InvariantResult CheckSqlInvariant(pqxx::connection_base& conn, const SqlInvariant& q) {
  try {
    return Run(conn, q, false);
  } catch (const std::exception& e) {
    InvariantResult out;
    out.name = q.name;
    out.status = "error";
    out.message = FirstLine(e.what());  // the server's words: "ERROR:  division by zero"
    return out;
  }
}

std::string SqlInvariantRefusal(pqxx::connection_base& conn, const std::vector<SqlInvariant>& sql) {
  for (const SqlInvariant& q : sql) {
    try {
      Run(conn, q, true);
    } catch (const std::exception& e) {
      return q.where + ": sql_invariant '" + q.name + "': the server refused the query: " + FirstLine(e.what());
    }
  }
  return "";
}

}  // namespace ledgerstress
