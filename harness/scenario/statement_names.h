#ifndef LEDGERSTRESS_HARNESS_SCENARIO_STATEMENT_NAMES_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_STATEMENT_NAMES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "harness/operations/sql_operation.h"

namespace ledgerstress {

// The `:name`s of one [[operation]]'s statements, compiled in order
// without a server. A name is a parameter (`params.<name>`) or a column of
// an earlier statement with gset = true, whose columns are told from its
// text (GuessResultColumns). Throws ScenarioError at the statement for
//  - a name that is no parameter, when no earlier statement has gset, or
//    when the earlier gset statements' text names all their columns and
//    none is that name;
//  - a gset column the text names like a parameter (it would never be read).
// When a gset statement's text cannot tell its columns (SELECT *), later
// names are left to the server's check before any case runs.
class StatementNames {
 public:
  // `used[i]` is set once a statement reads op->params[i]. REQUIRES: `op`'s
  // params are read; `used` has one entry per param. Both outlive this.
  StatementNames(SqlOperation* op, std::vector<bool>* used) : op_(op), used_(used) {}

  // Fills st->text, st->names and st->slots (params by index, gset columns
  // after them, in op->columns); st->sql, where and gset are read.
  void Compile(SqlStatement* st);

 private:
  void RefuseUndefined(const SqlStatement& st, const std::string& name) const;
  void AddGsetColumns(const SqlStatement& st);

  SqlOperation* op_;
  std::vector<bool>* used_;
  std::size_t index_ = 0;             // of the statement being compiled
  std::vector<std::string> earlier_;  // columns the earlier gset statements' text names
  bool any_gset_ = false;             // some earlier statement has gset = true
  bool complete_ = true;              // and its text names every column
};

// The error for a gset column named like one of the operation's params:
// "operation 'op', statement N: gset column 'c' has the name of
// params.c ...". `index` is 0-based. The server's check uses it too.
std::string GsetParamClash(const std::string& op, std::size_t index, const std::string& column);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_STATEMENT_NAMES_H_
