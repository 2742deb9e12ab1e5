#include "harness/invariants/invariant_table.h"

namespace ledgerstress {
namespace {

// Adapters from the checks' own signatures to the table's.
template <InvariantResult (*F)(pqxx::connection_base&)>
InvariantResult Plain(pqxx::connection_base& conn, const InvariantParams&) {
  return F(conn);
}

InvariantResult History(pqxx::connection_base& conn, const InvariantParams& p) {
  static const ClientHistory kEmpty;
  return CheckAcknowledgedWritesDurable(conn, p.history ? *p.history : kEmpty);
}

}  // namespace

const std::vector<InvariantDef>& BuiltinInvariants() {
  static const std::vector<InvariantDef> rows = {
      {"one_wallet_per_user", "no user owns more than one wallet or more than one SAKA wallet",
       "wallet, saka_wallet", Plain<CheckOneWalletPerUser>},
      {"no_stranded_escrow", "a SUCCESS project has no LOCKED escrow", "project, escrow_contract",
       Plain<CheckNoStrandedEscrow>},
      {"release_split_exact",
       "each RELEASED escrow has exactly one RELEASE, COMMISSION and FEE credit; they sum to its amount "
       "and each is rounded half-up",
       "escrow_contract, wallet_transaction; the case's commission_rate and fee_rate", CheckReleaseSplitExact},
      {"money_conserved", "wallet + pocket balances + LOCKED escrows = sum of DEPOSIT transactions",
       "wallet, wallet_pocket, escrow_contract, wallet_transaction", Plain<CheckMoneyConserved>},
      {"balances_match_ledger", "each wallet's balance equals the sum of its transactions",
       "wallet, wallet_pocket, wallet_transaction", Plain<CheckBalancesMatchLedger>},
      {"no_negative_balance", "no wallet or pocket balance is below zero", "wallet, wallet_pocket",
       Plain<CheckNoNegativeBalance>},
      {"allocation_split_exact",
       "each allocation credits every pocket exactly its largest-remainder part of the amount (weights 50/30/20 "
       "by pocket id, as the built-in allocation draws them)",
       "wallet_transaction (the rows of one transaction), wallet_pocket", Plain<CheckAllocationSplitExact>},
      {"idempotent", "an idempotency key maps to at most one escrow and one transaction of each kind",
       "escrow_contract, wallet_transaction", Plain<CheckIdempotent>},
      {"acknowledged_writes_durable",
       "every call the client saw succeed is in the database once; every failed one left nothing; "
       "in-doubt calls resolved by key and counted apart",
       "the client history of the operations with a durable query (pledges, deposits, pocket transfers and "
       "allocations), each call looked up by its key",
       History},
  };
  return rows;
}

const InvariantDef* FindInvariant(const std::string& name) {
  for (const InvariantDef& d : BuiltinInvariants()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace ledgerstress
