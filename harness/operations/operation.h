#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_OPERATION_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_OPERATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ledgerstress {

struct CallContext;  // harness/operations/call.h
struct CallArgs;
struct SqlOperation;  // harness/operations/sql_operation.h

// One call of an operation under a fixed strategy, on arguments its row's
// `draw` picked. Throws what the code under test throws; the worker
// classifies it.
using OperationFn = std::function<void(CallContext&, const CallArgs&)>;

// The parts of a case an operation may play (a bit set).
enum Role : unsigned {
  kRaceCaller = 1u << 0,   // workload = "race": every worker calls it at once
  kBackground = 1u << 1,   // workload = "close" or "ledger": the mix of the background workers
  kCloser = 1u << 2,       // workload = "close": the closer threads call it once each
};

// One row of the operation table: everything the harness knows about an
// operation, in one place. The catalog (`list strategies`), the scenario
// loader (mix, strategy, thresholds), the worker (argument drawing, the
// call, the client history) and acknowledged_writes_durable read it.
//
// The built-in rows bind the C++ port in settlement/; a row can come from
// elsewhere (a driver process, SQL in the scenario) by filling the same
// fields.
struct OperationDef {
  std::string name;     // as in `mix.<name>` and `strategy.<name>`
  std::string summary;  // one line, for `list strategies`
  std::string source = "built-in";
  std::vector<std::string> strategies;  // first is the default
  unsigned roles = 0;                    // Role bits
  // Weight in the background mix of a case that gives no `mix` (0: not in
  // the default mix).
  double default_weight = 0;
  // Names of the arguments a call receives (docs/driver-protocol.md).
  std::vector<std::string> args;
  // How one call's arguments are drawn from the case's fixture and the
  // worker's seeded RNG. nullptr for a closer (the close workload passes
  // the project).
  void (*draw)(CallContext&, CallArgs*) = nullptr;
  // The call under `strategy` (one of `strategies`); nullptr for a closer.
  std::function<OperationFn(const std::string& strategy)> bind;
  // A query with one parameter $1 (the call's idempotency key) that either
  // counts the rows a call under that key left (one row, one column), or
  // returns them, with columns named like the call's `args` (DurableShape):
  // then acknowledged_writes_durable also compares each with the call's
  // values. Empty: the call writes nothing a key can find, and the client
  // history does not track it. acknowledged_writes_durable resolves
  // in-doubt calls with it.
  std::string durable_sql;
  // A scenario's SQL operation (`source` says where): `bind` is unset, the
  // case binds it with its variables (BindSqlOperation).
  std::shared_ptr<const SqlOperation> sql;

  bool Plays(Role r) const { return (roles & r) != 0; }
  bool Tracked() const { return !durable_sql.empty(); }
};

// The operations a scenario may use, in the order `list` shows them.
class OperationTable {
 public:
  // Adds a row. REQUIRES: no row of that name yet (std::invalid_argument).
  void Add(OperationDef def);
  // nullptr when there is no such operation.
  const OperationDef* Find(const std::string& name) const;
  const std::vector<OperationDef>& rows() const { return rows_; }
  std::vector<std::string> Names() const;
  // The operations that play `role`, in table order.
  std::vector<std::string> NamesFor(Role role) const;

 private:
  std::vector<OperationDef> rows_;
};

// The C++ port's operations (settlement/): built once, never modified.
const OperationTable& BuiltinOperations();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_OPERATION_H_
