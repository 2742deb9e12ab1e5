#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_DURABLE_SHAPE_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_DURABLE_SHAPE_H_

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace ledgerstress {

// What an operation's durable query (one parameter, $1: a call's key)
// returns, in one of two forms (docs/scenario-format.md):
//  - it counts: one row, one column (not named like an argument), the
//    number of rows a call under the key left;
//  - it finds: one row per row the call left, every column named like one
//    of the call's recorded arguments (a built-in row's `args`, an SQL
//    operation's `params`); each is compared with the call's value.
struct DurableShape {
  bool counts = true;
  std::vector<std::string> columns;  // finds: the columns, in order
  std::vector<std::string> types;    // finds: each column's SQL type (format_type)
};

// Describes `durable_sql` by running it once on `tx` with a NULL key and
// LIMIT 0. Throws std::runtime_error naming operation `op` when the columns
// fit neither form; pqxx errors when the query does not run.
DurableShape DescribeDurable(pqxx::transaction_base& tx, const std::string& op, const std::string& durable_sql,
                             const std::vector<std::string>& arg_names);

// `sql` with every $1 replaced by `with`.
std::string BindKey(std::string sql, const std::string& with);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_DURABLE_SHAPE_H_
