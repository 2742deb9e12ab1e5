// acknowledged_writes_durable: the client's history against the database
// as Jepsen checks what clients saw acknowledged.
#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"

namespace ledgerstress {
namespace {

// `sql` with its parameter $1 replaced by `with`.
std::string Bind1(std::string sql, const std::string& with) {
  for (std::size_t at = sql.find("$1"); at != std::string::npos; at = sql.find("$1", at + with.size())) {
    sql.replace(at, 2, with);
  }
  return sql;
}

// CASE h.op WHEN 'pledge_funds' THEN (its durable query on h.key) ... END.
std::string RowsLeftExpression(const ClientHistory& history, pqxx::work& tx) {
  if (history.operations().empty()) return "0::bigint";
  std::string e = "CASE h.op";
  for (const ClientHistory::Operation& op : history.operations()) {
    e += " WHEN " + tx.quote(op.name) + " THEN (" + Bind1(op.durable_sql, "h.key") + ")";
  }
  return e + " END";
}

}  // namespace

InvariantResult CheckAcknowledgedWritesDurable(pqxx::connection_base& conn, const ClientHistory& history) {
  pqxx::work tx(conn);
  tx.exec("CREATE TEMP TABLE ls_history (key text, op text, seen text) ON COMMIT DROP");
  // Multi-row inserts of 1000: the history of a long run loads in a few
  // round trips.
  std::string sql;
  std::size_t rows = 0;
  history.ForEach([&](const std::string& key, const ClientHistory::Operation& op, ClientHistory::Seen seen) {
    sql += (rows ? ",(" : "INSERT INTO ls_history VALUES (") + tx.quote(key) + "," + tx.quote(op.name) +
           (seen == ClientHistory::kOk ? ",'ok')" : seen == ClientHistory::kFailed ? ",'failed')" : ",'in_doubt')");
    if (++rows == 1000) {
      tx.exec(sql);
      sql.clear();
      rows = 0;
    }
  });
  if (rows) tx.exec(sql);
  // How many rows each call left, by its operation's durable query. A key
  // sent more than once (duplicate_rate) is one call: acknowledged if any
  // copy was, else in doubt if any copy was, else failed.
  tx.exec("CREATE TEMP TABLE ls_found ON COMMIT DROP AS SELECT h.key, h.op, h.seen, " +
          RowsLeftExpression(history, tx) +
          " AS rows FROM (SELECT key, op, CASE WHEN bool_or(seen = 'ok') THEN 'ok'"
          " WHEN bool_or(seen = 'in_doubt') THEN 'in_doubt' ELSE 'failed' END AS seen"
          " FROM ls_history GROUP BY key, op) h");
  InvariantResult r;
  r.name = "acknowledged_writes_durable";
  const pqxx::row t = tx.exec1(
      "SELECT count(*) FILTER (WHERE seen = 'ok'), count(*) FILTER (WHERE seen = 'failed'),"
      "       count(*) FILTER (WHERE seen = 'in_doubt' AND rows = 1), count(*) FILTER (WHERE seen = 'in_doubt' AND rows = 0),"
      "       count(*) FILTER (WHERE (seen = 'ok' AND rows <> 1) OR (seen = 'failed' AND rows <> 0) OR rows > 1)"
      "  FROM ls_found");
  r.details["acknowledged"] = t[0].as<double>();
  r.details["failed"] = t[1].as<double>();
  r.details["in_doubt_committed"] = t[2].as<double>();
  r.details["in_doubt_absent"] = t[3].as<double>();
  r.violations = t[4].as<std::uint64_t>();
  if (r.violations == 0) {
    r.status = "held";
    r.message = std::to_string(t[0].as<std::uint64_t>()) + " acknowledged call(s) all present once, " +
                std::to_string(t[1].as<std::uint64_t>()) + " failed call(s) left nothing; in doubt: " +
                std::to_string(t[2].as<std::uint64_t>()) + " committed, " + std::to_string(t[3].as<std::uint64_t>()) +
                " not";
  } else {
    r.status = "violated";
    r.message = std::to_string(r.violations) +
                " call(s) where the database disagrees with what the client saw (lost or phantom writes)";
    const pqxx::result rows = tx.exec(
        "SELECT key, op, seen, rows FROM ls_found WHERE (seen = 'ok' AND rows <> 1) OR (seen = 'failed' AND rows <> 0)"
        " OR rows > 1 ORDER BY key LIMIT 10");
    r.sample_columns = {"key", "op", "client_saw", "rows_in_database"};
    for (const auto& row : rows) {
      r.samples.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str()});
    }
  }
  tx.commit();
  return r;
}

}  // namespace ledgerstress
