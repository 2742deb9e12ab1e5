#include "harness/scenario/catalog.h"

namespace ledgerstress {

const std::vector<OperationInfo>& Operations() {
  static const std::vector<OperationInfo> ops = {
      {"saka_get_or_create_wallet",
       {"insert_on_conflict", "get_or_create", "select_for_update"},
       "return the user's SAKA wallet, creating it if missing (DESIGN claim 3)"},
  };
  return ops;
}

const std::vector<InvariantInfo>& Invariants() {
  static const std::vector<InvariantInfo> invs = {
      {"one_wallet_per_user",
       "no user owns more than one wallet or more than one SAKA wallet"},
  };
  return invs;
}

const std::vector<SchemaOptionInfo>& SchemaOptions() {
  static const std::vector<SchemaOptionInfo> opts = {
      {"saka_unique_user", true,
       "unique constraint on saka_wallet.user_id (insert_on_conflict needs it)"},
  };
  return opts;
}

const OperationInfo* FindOperation(const std::string& name) {
  for (const OperationInfo& op : Operations()) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::vector<std::string> OperationNames() {
  std::vector<std::string> v;
  for (const auto& op : Operations()) v.push_back(op.name);
  return v;
}

std::vector<std::string> InvariantNames() {
  std::vector<std::string> v;
  for (const auto& i : Invariants()) v.push_back(i.name);
  return v;
}

std::vector<std::string> SchemaOptionNames() {
  std::vector<std::string> v;
  for (const auto& o : SchemaOptions()) v.push_back(o.name);
  return v;
}

}  // namespace ledgerstress
