#include "harness/invariants/durable_shape.h"

#include <algorithm>
#include <stdexcept>

namespace ledgerstress {
namespace {

bool Named(const std::vector<std::string>& names, const std::string& s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string BindKey(std::string sql, const std::string& with) {
  for (std::size_t at = sql.find("$1"); at != std::string::npos; at = sql.find("$1", at + with.size())) {
    sql.replace(at, 2, with);
  }
  return sql;
}

DurableShape DescribeDurable(pqxx::transaction_base& tx, const std::string& op, const std::string& durable_sql,
                             const std::vector<std::string>& arg_names) {
  const pqxx::result r = tx.exec("SELECT * FROM (" + BindKey(durable_sql, "NULL::text") + ") d LIMIT 0");
  std::vector<std::string> columns;
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) columns.push_back(r.column_name(c));
  const bool all_named = std::all_of(columns.begin(), columns.end(), [&](const std::string& c) { return Named(arg_names, c); });
  DurableShape shape;
  if (columns.size() == 1 && !all_named) return shape;  // it counts
  if (columns.empty() || !all_named) {
    throw std::runtime_error("the durable query of operation '" + op + "' returns the column(s) " + Joined(columns) +
                             ": return either one column counting the rows a call left under :key, or the rows "
                             "themselves with columns named like the call's arguments (" + Joined(arg_names) +
                             "), which are compared with each call's values");
  }
  shape.counts = false;
  shape.columns = columns;
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
    shape.types.push_back(tx.exec1("SELECT format_type(" + std::to_string(r.column_type(c)) + ", NULL)")[0].c_str());
  }
  return shape;
}

}  // namespace ledgerstress
