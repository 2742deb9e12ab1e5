#include "harness/scenario/key_use.h"

#include "harness/scenario/case_keys.h"
#include "harness/scenario/catalog.h"

namespace ledgerstress {

std::string StrategyOf(const CaseSpec& spec, const std::string& operation) {
  auto it = spec.strategies.find(operation);
  if (it != spec.strategies.end()) return it->second;
  const OperationDef* op = BuiltinOperations().Find(operation);
  return op && !op->strategies.empty() ? op->strategies.front() : "";
}

bool CaseReadsKey(const CaseSpec& spec, const std::string& key) {
  const CaseKeyDef* def = FindCaseKey(key);
  if (!def) return true;  // not a case key: the loader refuses it before a sweep asks
  return def->read_by ? def->read_by(spec, key) : true;
}

}  // namespace ledgerstress
