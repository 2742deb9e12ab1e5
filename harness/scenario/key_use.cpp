#include "harness/scenario/key_use.h"

#include "harness/scenario/case_keys.h"

namespace ledgerstress {

bool CaseReadsKey(const CaseSpec& spec, const std::string& key) {
  const CaseKeyDef* def = FindCaseKey(key);
  if (!def) return true;  // not a case key: the loader refuses it before a sweep asks
  return def->read_by ? def->read_by(spec, key) : true;
}

}  // namespace ledgerstress
