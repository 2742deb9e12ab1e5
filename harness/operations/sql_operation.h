#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_SQL_OPERATION_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_SQL_OPERATION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/operations/operation.h"

namespace ledgerstress {

// An operation a scenario writes in SQL (`[[operation]]`,
// docs/scenario-format.md): the statements of one transaction (or of
// autocommit), with `:name` parameters drawn per call from seeded
// generators, or columns of an earlier statement's one
// row (pgbench's \gset). Scenario variables reach the statements through
// generators ({ int = [1, "vars.accounts"] }). Immutable once loaded; every
// worker shares it.

// How one parameter's value is drawn for each call.
enum class GeneratorKind {
  kInt,      // { int = [lo, hi] }: uniform, inclusive
  kMoney,    // { money = ["1.00", "500.00"] }: uniform in cents, written "12.34"
  kChoice,   // { choice = ["a", "b"] }: uniform among the values, as text
  kUnique,   // { unique = true }: the call's idempotency key, unique in the run
  kWorker,   // { worker = true }: the worker's index, from 0
  kRound,    // { round = true }: the round, from 0
  kFixture,  // { fixture = "donor" }: a row of the built-in schema's fixture
};

// A bound of an int or money range: a number, or a scenario variable
// ("vars.accounts") whose value the case gives.
struct RangeBound {
  std::int64_t value = 0;  // int: the integer; money: cents
  std::string var;         // the variable's name (without "vars."), or ""
};

struct SqlGenerator {
  GeneratorKind kind = GeneratorKind::kInt;
  RangeBound lo, hi;                 // kInt, kMoney
  std::vector<std::string> choices;  // kChoice
  std::string fixture;               // kFixture: one of FixtureGenerators()
};

// The names `{ fixture = NAME }` takes: "donor", "owner",
// "background_project", "race_user".
const std::vector<std::string>& FixtureGenerators();

struct SqlParam {
  std::string name;
  SqlGenerator gen;
  std::string where;  // file:line:col of its `params.<name>`
};

struct SqlStatement {
  std::string sql;                 // as written
  std::string text;                // with $1, $2, ... for the `:name`s
  std::vector<std::size_t> slots;  // slots[k]: the value slot of $k+1
  std::vector<std::string> names;  // names[k]: the name of $k+1
  // `gset = true`: returns exactly one row, whose columns become values
  // of the statements after it, by column name.
  bool gset = false;
  // `rows = n` (-1: not given): a row count other than n (rows touched by
  // INSERT/UPDATE/DELETE, returned by SELECT) stops the call, rolls its
  // transaction back and ends it as `otherwise`.
  std::int64_t rows = -1;
  enum class Otherwise { kError, kNoEffect, kExpected };
  Otherwise otherwise = Otherwise::kError;
  std::string where;  // file:line:col of the statement's string
};

// The values of a case's scenario variables (`vars.<name>`), as text.
using VarValues = std::map<std::string, std::string>;

struct SqlOperation {
  std::string name;
  std::string description;  // `description`, for `list` and the report
  std::string where;  // file:line:col of the [[operation]] table
  // The values one call works with, by slot: first the params, then the
  // gset columns the statements read.
  std::vector<SqlParam> params;
  std::vector<std::string> columns;  // slots params.size() ..
  std::vector<SqlStatement> statements;
  // `transaction = false`: each statement commits on its own (no retry).
  bool transaction = true;
  std::string isolation = "read committed";  // `isolation`
  std::string begin = "BEGIN";               // what opens the transaction
  // SQLSTATEs (`success`) that end a call well (it is rolled back and
  // counted ok) and (`expected`) that end it as an expected failure
  // (counted "expected", not an error: a business rule said no).
  std::vector<std::string> success_sqlstates;
  std::vector<std::string> expected_sqlstates;
  // `durable`: a query with $1 (written :key, the call's key) counting the
  // rows a call under that key left, or returning them with columns named
  // like params (compared with the call's values); "" for none.
  std::string durable_sql;
  std::string durable_where;

  std::size_t slot_count() const { return params.size() + columns.size(); }
  // No `statements`: a declared operation, which the case's driver
  // implements (the harness draws its params and sends them in `call`).
  bool declared() const { return statements.empty(); }
};

// Draws one call's params of `op` (a declared operation's, sent to a
// driver) with the case's variables. Immutable; shared by the workers.
class ParamDraw {
 public:
  // REQUIRES: as BindSqlOperation.
  ParamDraw(std::shared_ptr<const SqlOperation> op, const VarValues& vars);
  // Draws every param into *values (by param index), as a call would.
  void Draw(CallContext& ctx, std::vector<std::string>* values) const;
  const SqlOperation& op() const { return *op_; }

 private:
  std::shared_ptr<const SqlOperation> op_;
  std::vector<std::pair<std::int64_t, std::int64_t>> bounds_;  // each int/money param's resolved range
};

// A call that ended with one of its operation's `expected` SQLSTATEs: the
// worker counts it as outcome "expected", not as an error.
class ExpectedSqlFailure : public std::runtime_error {
 public:
  ExpectedSqlFailure(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// The call of `op` with the case's variables `vars` (REQUIRES: every
// variable a range bound of `op` names is in it, an integer or money as
// the range is): draws the params, runs the statements on the worker's
// connection under the worker's retry policy (a transaction is retried
// whole, by per_transaction, after sleeping outside it), binds gset
// columns on the way. Throws what the statements throw, ExpectedSqlFailure
// for an expected SQLSTATE, std::runtime_error for a gset statement that
// did not return exactly one row.
OperationFn BindSqlOperation(std::shared_ptr<const SqlOperation> op, const VarValues& vars);

// The operation-table row of `op`: races and runs in the background, one
// strategy ("as_written"), draws nothing itself (its call does).
OperationDef SqlOperationRow(std::shared_ptr<const SqlOperation> op);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_SQL_OPERATION_H_
