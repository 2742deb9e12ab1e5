#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_RESULT_COLUMNS_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_RESULT_COLUMNS_H_

#include <string>
#include <vector>

namespace ledgerstress {

// The names of the columns a statement returns, as far as its text alone
// tells them (no server): the select list of its top-level SELECT, or its
// RETURNING list. A column is named by `AS name` (or a bare alias, `expr
// name`), by a column reference (`t.balance`: balance) or by a function call
// (`count(*)`: count), each optionally cast (`x::int`: x), as PostgreSQL
// names them; an unquoted name is folded to lower case.
//
// Anything else (`*`, `t.*`, an expression without an alias, VALUES, a
// statement with no RETURNING) leaves `complete` false: the statement may
// return names not in `names`, which only the server can tell (`run` asks
// it before any case runs). Never throws; text it does not understand is
// reported incomplete, never guessed.
struct ResultColumns {
  std::vector<std::string> names;
  bool complete = false;
};
ResultColumns GuessResultColumns(const std::string& sql);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_RESULT_COLUMNS_H_
