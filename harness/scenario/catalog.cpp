#include "harness/scenario/catalog.h"

namespace ledgerstress {

const std::vector<SchemaOptionInfo>& SchemaOptions() {
  static const std::vector<SchemaOptionInfo> opts = {
      {"saka_unique_user", true,
       "unique constraint on saka_wallet.user_id (insert_on_conflict needs it)"},
  };
  return opts;
}

std::vector<std::string> InvariantNames() {
  std::vector<std::string> v;
  for (const auto& i : BuiltinInvariants()) v.push_back(i.name);
  return v;
}

std::vector<std::string> SchemaOptionNames() {
  std::vector<std::string> v;
  for (const auto& o : SchemaOptions()) v.push_back(o.name);
  return v;
}

}  // namespace ledgerstress
