#include "harness/scenario/catalog.h"

namespace ledgerstress {

const std::vector<OperationInfo>& Operations() {
  static const std::vector<OperationInfo> ops = {
      {"saka_get_or_create_wallet",
       {"insert_on_conflict", "get_or_create", "select_for_update"},
       "return the user's SAKA wallet, creating it if missing (DESIGN claim 3)"},
      {"close_project_success",
       {"keyset", "set_based", "per_escrow", "batched"},
       "release every LOCKED escrow of a project and mark it SUCCESS (DESIGN claims 1, 2)"},
      {"pledge_funds", {"default"},
       "lock the donor wallet, check funds, debit, create a LOCKED escrow; idempotent by key"},
      {"deposit", {"default"}, "credit a user's wallet; idempotent by key"},
      {"transfer_to_pocket", {"default"}, "move money from a wallet into one of its pockets; idempotent by key"},
      {"allocate_deposit_across_pockets", {"default"},
       "deposit and split across the wallet's pockets by weights (largest remainder); idempotent by key"},
  };
  return ops;
}

const std::vector<InvariantInfo>& Invariants() {
  static const std::vector<InvariantInfo> invs = {
      {"one_wallet_per_user",
       "no user owns more than one wallet or more than one SAKA wallet"},
      {"no_stranded_escrow", "a SUCCESS project has no LOCKED escrow"},
      {"release_split_exact",
       "each RELEASED escrow has exactly one RELEASE, COMMISSION and FEE credit; they sum to its amount "
       "and each is rounded half-up"},
      {"money_conserved", "wallet + pocket balances + LOCKED escrows = sum of DEPOSIT transactions"},
      {"balances_match_ledger", "each wallet's balance equals the sum of its transactions"},
      {"no_negative_balance", "no wallet or pocket balance is below zero"},
      {"idempotent", "an idempotency key maps to at most one escrow and one transaction of each kind"},
      {"acknowledged_writes_durable",
       "every pledge/deposit the client saw succeed is in the database once; every failed one left nothing; "
       "in-doubt calls resolved by key and counted apart"},
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
