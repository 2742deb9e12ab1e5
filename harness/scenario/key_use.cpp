#include "harness/scenario/key_use.h"

#include "harness/scenario/catalog.h"

namespace ledgerstress {

std::string StrategyOf(const CaseSpec& spec, const std::string& operation) {
  auto it = spec.strategies.find(operation);
  if (it != spec.strategies.end()) return it->second;
  const OperationDef* op = BuiltinOperations().Find(operation);
  return op && !op->strategies.empty() ? op->strategies.front() : "";
}

bool CaseReadsKey(const CaseSpec& spec, const std::string& key) {
  const bool close = spec.workload == Workload::kClose;
  const std::string closer = close ? StrategyOf(spec, "close_project_success") : "";
  if (key == "release_batch_size") return closer == "keyset" || closer == "batched";
  if (key == "max_escrows_per_close") return closer == "batched";
  if (key.rfind("strategy.", 0) == 0) {
    const std::string op = key.substr(9);
    if (op == "close_project_success") return close;
    return spec.mix.count(op) > 0;
  }
  return true;
}

}  // namespace ledgerstress
