// acknowledged_writes_durable: the client's history against the database
// as Jepsen checks what clients saw acknowledged, and, where the durable
// query finds the rows themselves, whether each is the right row.
#include <algorithm>

#include <pqxx/pqxx>

#include "harness/invariants/durable_shape.h"
#include "harness/invariants/invariants.h"

namespace ledgerstress {
namespace {

const char* SeenName(ClientHistory::Seen seen) {
  switch (seen) {
    case ClientHistory::kOk: return "ok";
    case ClientHistory::kFailed: return "failed";
    case ClientHistory::kInDoubt: return "in_doubt";
    case ClientHistory::kNoEffect: return "no_effect";
  }
  return "failed";
}

// Loads the history into ls_history, in multi-row inserts of 1000: the
// history of a long run loads in a few round trips.
void LoadHistory(pqxx::work& tx, const ClientHistory& history) {
  tx.exec("CREATE TEMP TABLE ls_history (key text, op text, seen text, args text) ON COMMIT DROP");
  std::string sql;
  std::size_t rows = 0;
  history.ForEach([&](const std::string& key, const ClientHistory::Operation& op, ClientHistory::Seen seen,
                      std::string_view args) {
    sql += (rows ? ",(" : "INSERT INTO ls_history VALUES (") + tx.quote(key) + "," + tx.quote(op.name) + ",'" +
           SeenName(seen) + "'," + tx.quote(std::string(args)) + ")";
    if (++rows == 1000) {
      tx.exec(sql);
      sql.clear();
      rows = 0;
    }
  });
  if (rows) tx.exec(sql);
}

// A found row's columns that differ from the call's recorded values.
std::string MismatchCondition(pqxx::work& tx, const ClientHistory::Operation& op, const DurableShape& shape) {
  std::string cond;
  for (std::size_t c = 0; c < shape.columns.size(); ++c) {
    const auto at = std::find(op.arg_names.begin(), op.arg_names.end(), shape.columns[c]) - op.arg_names.begin();
    cond += (cond.empty() ? "" : " OR ") + std::string("d.") + tx.quote_name(shape.columns[c]) +
            " IS DISTINCT FROM split_part(h.args, chr(31), " + std::to_string(at + 1) + ")::" + shape.types[c];
  }
  return cond.empty() ? "false" : cond;
}

// ls_found: per key, how many rows its call left and how many of them do
// not match its arguments, one statement per operation.
void FindRows(pqxx::work& tx, const ClientHistory& history, std::vector<DurableShape>* shapes) {
  tx.exec("CREATE TEMP TABLE ls_found (key text, op text, seen text, args text, rows bigint, wrong bigint)"
          " ON COMMIT DROP");
  for (const ClientHistory::Operation& op : history.operations()) {
    shapes->push_back(DescribeDurable(tx, op.name, op.durable_sql, op.arg_names));
    const DurableShape& shape = shapes->back();
    const std::string durable = BindKey(op.durable_sql, "h.key");
    const std::string found =
        shape.counts ? "SELECT (" + durable + ") AS rows, 0::bigint AS wrong"
                     : "SELECT count(*) AS rows, count(*) FILTER (WHERE CASE WHEN h.seen IN ('ok', 'in_doubt') AND "
                       "h.args <> '' THEN " + MismatchCondition(tx, op, shape) + " ELSE false END) AS wrong FROM (" +
                           durable + ") d";
    tx.exec("INSERT INTO ls_found SELECT h.key, h.op, h.seen, h.args, x.rows, x.wrong FROM ls_merged h"
            " CROSS JOIN LATERAL (" + found + ") x WHERE h.op = " + tx.quote(op.name));
  }
}

const char* kViolation =
    "(seen = 'ok' AND rows <> 1) OR (seen IN ('failed', 'no_effect') AND rows <> 0) OR rows > 1 OR wrong > 0";

// "user_id=7, amount=12.50" from the recorded values.
std::string ArgumentsText(const ClientHistory::Operation& op, const std::string& args) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < op.arg_names.size() && from <= args.size(); ++i) {
    const std::size_t end = std::min(args.find(ClientHistory::kArgSeparator, from), args.size());
    out += (out.empty() ? "" : ", ") + op.arg_names[i] + "=" + args.substr(from, end - from);
    from = end + 1;
  }
  return out;
}

void AddSamples(pqxx::work& tx, const ClientHistory& history, const std::vector<DurableShape>& shapes,
                InvariantResult* r) {
  r->sample_columns = {"key", "op", "client_saw", "arguments", "row_found", "rows_in_database"};
  const pqxx::result rows =
      tx.exec(std::string("SELECT key, op, seen, args, rows, wrong FROM ls_found WHERE ") + kViolation + " ORDER BY key LIMIT 10");
  for (const auto& row : rows) {
    const auto& ops = history.operations();
    std::size_t k = 0;
    while (k < ops.size() && ops[k].name != row[1].c_str()) ++k;
    std::string found;
    if (k < ops.size() && !shapes[k].counts) {
      const pqxx::result f = tx.exec_params("SELECT row_to_json(d)::text FROM (" + ops[k].durable_sql + ") d LIMIT 1",
                                            row[0].c_str());
      if (!f.empty()) found = f[0][0].c_str();
    }
    r->samples.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(),
                          k < ops.size() ? ArgumentsText(ops[k], row[3].c_str()) : "", found, row[4].c_str()});
  }
}

std::string Count(const pqxx::field& f) { return std::to_string(f.as<std::uint64_t>()); }

}  // namespace

InvariantResult CheckAcknowledgedWritesDurable(pqxx::connection_base& conn, const ClientHistory& history) {
  if (history.operations().empty()) {
    // No operation with a durable query was called: no claim to check (and
    // no temporary tables to make, which the explorer would pay per schedule).
    InvariantResult r;
    r.name = "acknowledged_writes_durable";
    r.status = "held";
    r.message = "no call of an operation with a durable query: nothing to check";
    return r;
  }
  pqxx::work tx(conn);
  LoadHistory(tx, history);
  // A key sent more than once (duplicate_rate) is one call: acknowledged if
  // any copy was, else in doubt if any copy was, else no effect if any copy
  // said so, else failed. Its arguments: any copy's (they are the same).
  tx.exec("CREATE TEMP TABLE ls_merged ON COMMIT DROP AS SELECT key, op,"
          " CASE WHEN bool_or(seen = 'ok') THEN 'ok' WHEN bool_or(seen = 'in_doubt') THEN 'in_doubt'"
          " WHEN bool_or(seen = 'no_effect') THEN 'no_effect' ELSE 'failed' END AS seen, max(args) AS args"
          " FROM ls_history GROUP BY key, op");
  std::vector<DurableShape> shapes;
  FindRows(tx, history, &shapes);
  InvariantResult r;
  r.name = "acknowledged_writes_durable";
  const pqxx::row t = tx.exec1(
      std::string("SELECT count(*) FILTER (WHERE seen = 'ok'), count(*) FILTER (WHERE seen = 'failed'),"
                  "       count(*) FILTER (WHERE seen = 'in_doubt' AND rows = 1), count(*) FILTER (WHERE seen = 'in_doubt' AND rows = 0),"
                  "       count(*) FILTER (WHERE ") + kViolation + "), count(*) FILTER (WHERE seen = 'no_effect'),"
      "       count(*) FILTER (WHERE seen = 'ok' AND rows = 0),"
      "       count(*) FILTER (WHERE seen IN ('failed', 'no_effect') AND rows > 0),"
      "       count(*) FILTER (WHERE rows > 1), count(*) FILTER (WHERE wrong > 0)"
      "  FROM ls_found");
  r.details["acknowledged"] = t[0].as<double>();
  r.details["failed"] = t[1].as<double>();
  r.details["in_doubt_committed"] = t[2].as<double>();
  r.details["in_doubt_absent"] = t[3].as<double>();
  r.details["no_effect"] = t[5].as<double>();
  r.details["lost"] = t[6].as<double>();
  r.details["phantom"] = t[7].as<double>();
  r.details["duplicated"] = t[8].as<double>();
  r.details["wrong_effect"] = t[9].as<double>();
  r.violations = t[4].as<std::uint64_t>();
  if (r.violations == 0) {
    r.status = "held";
    r.message = Count(t[0]) + " acknowledged call(s) all present once, " + Count(t[1]) + " failed or refused and " + Count(t[5]) +
                " no-effect call(s) left nothing; in doubt: " + Count(t[2]) + " committed, " + Count(t[3]) + " not";
  } else {
    r.status = "violated";
    r.message = std::to_string(r.violations) + " call(s) where the database disagrees with what the client saw: " +
                Count(t[6]) + " acknowledged and lost, " + Count(t[7]) + " phantom (failed or no effect, yet a row), " +
                Count(t[8]) + " with more than one row, " + Count(t[9]) +
                " with the wrong effect (the row under the key does not match the call's arguments)";
    AddSamples(tx, history, shapes, &r);
  }
  tx.commit();
  return r;
}

}  // namespace ledgerstress
