#ifndef LEDGERSTRESS_HARNESS_ENGINE_BOUND_OP_H_
#define LEDGERSTRESS_HARNESS_ENGINE_BOUND_OP_H_

// A case's operations bound to their strategies, as the workers call them.
// Built by the main thread before the workers start; read-only afterwards.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/engine/recorded_args.h"
#include "harness/engine/time_series.h"
#include "harness/invariants/client_history.h"
#include "harness/operations/call.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// One operation of a case's mix, bound to its strategy.
struct BoundOp {
  std::string name;
  std::string strategy;
  const OperationDef* def = nullptr;  // its row: how arguments are drawn
  OperationFn fn;
  double cumulative_weight = 0;
  // Its index in the case's ClientHistory, or ClientHistory::kUntracked.
  std::uint8_t history_op = 0xFF;
  bool through_driver = false;  // fn sends the call to the worker's driver
  // Every worker's finished seconds of this operation (see SecondSeries).
  std::shared_ptr<SharedSecondSeries> series = std::make_shared<SharedSecondSeries>();
  // The arguments the client history records of each tracked call.
  ArgRecorder recorder;
};

// The operations of `spec`'s mix from `table`, bound to the case's
// strategies, with cumulative weights. With `history`, the operations that
// have a durable query are tracked in it. REQUIRES: the mix was validated
// against `table` (the scenario loader does this).
std::vector<BoundOp> BindMix(const CaseSpec& spec, const OperationTable& table, ClientHistory* history);

// The operations `spec`'s mix names: the scenario's table, or the built-in
// one for a spec made without it.
const OperationTable& OperationsOf(const CaseSpec& spec);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_BOUND_OP_H_
