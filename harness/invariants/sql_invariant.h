#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_SQL_INVARIANT_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_SQL_INVARIANT_H_

#include <string>
#include <vector>

namespace ledgerstress {

// `[[sql_invariant]]`: a check the scenario defines in SQL, run after every
// case (after the catalog's invariants) against the case's schema, in a
// read-only transaction, one statement. See docs/scenario-format.md.
struct SqlInvariant {
  std::string name;     // `name`, required, unique, not a catalog invariant
  std::string query;    // `query`, required: lists the violations
  std::string message;  // `message`, required: what a violation means
  // The `:name`s `query` reads: the case's vars.<name>, each replaced by
  // its value as a SQL literal (as the [schema] fixture's) when the case is
  // loaded, so that `query` of a loaded case holds none.
  std::vector<std::string> vars;
  // `expect`: when set, the query must return exactly this one value
  // (compared as text) instead of zero rows.
  bool has_expect = false;
  std::string expect;
  std::string where;    // "file:line:col" of `query`, for messages
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_SQL_INVARIANT_H_
