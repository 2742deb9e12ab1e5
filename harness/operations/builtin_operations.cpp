// The operation table's built-in rows: the C++ port in settlement/, with
// how each call's arguments are drawn from the case's fixture.
#include <algorithm>
#include <stdexcept>

#include "harness/operations/call.h"
#include "harness/operations/operation.h"
#include "settlement/close_project.h"
#include "settlement/ledger.h"
#include "settlement/pockets.h"
#include "settlement/saka_wallet.h"

namespace ledgerstress {
namespace {

std::int64_t Uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

std::int64_t Donor(CallContext& c) { return c.targets.donor_first_user + Uniform(c.rng, 0, c.targets.donors - 1); }

// `names` with `first` moved to the front: the table's first strategy is the default.
std::vector<std::string> DefaultFirst(std::vector<std::string> names, const std::string& first) {
  std::stable_partition(names.begin(), names.end(), [&](const std::string& n) { return n == first; });
  return names;
}

// The round's user (one of users_per_round, drawn): every race worker asks
// for the same few users at once.
void DrawRaceUser(CallContext& c, CallArgs* a) {
  a->user_id = c.targets.race_first_user + static_cast<std::int64_t>(c.round) * c.targets.users_per_round;
  if (c.targets.users_per_round > 1) a->user_id += Uniform(c.rng, 0, c.targets.users_per_round - 1);
}

// A donor pledges 1.00 to 20.00 to the background project, or (a share
// pledges_into_closing of them) to a project being closed.
void DrawPledge(CallContext& c, CallArgs* a) {
  a->user_id = Donor(c);
  a->project_id = c.targets.background_project;
  const auto& closing = c.targets.closing_projects;
  if (c.targets.into_closing > 0 && !closing.empty() &&
      std::uniform_real_distribution<double>(0, 1)(c.rng) < c.targets.into_closing) {
    a->project_id = closing[static_cast<std::size_t>(Uniform(c.rng, 0, static_cast<std::int64_t>(closing.size()) - 1))];
  }
  a->amount = Uniform(c.rng, 100, 2000);
  a->pledge_type = "DONATION";
}

// Half the deposits go to the owners of the projects being closed, whose
// wallets the close locks; half to donors. 1.00 to 100.00.
void DrawDeposit(CallContext& c, CallArgs* a) {
  const auto& owners = c.targets.owner_users;
  const bool to_owner = !owners.empty() && Uniform(c.rng, 0, 1) == 0;
  a->user_id = to_owner ? owners[static_cast<std::size_t>(Uniform(c.rng, 0, static_cast<std::int64_t>(owners.size()) - 1))]
                        : Donor(c);
  a->amount = Uniform(c.rng, 100, 10000);
}

// A donor moves 1.00 to 20.00 into one of its three pockets.
void DrawTransfer(CallContext& c, CallArgs* a) {
  static const char* const kPockets[] = {"savings", "giving", "reserve"};
  a->user_id = Donor(c);
  a->pocket = kPockets[Uniform(c.rng, 0, 2)];
  a->amount = Uniform(c.rng, 100, 2000);
}

// A donor deposits 1.00 to 100.00 split 50/30/20 across its pockets.
void DrawAllocation(CallContext& c, CallArgs* a) {
  a->user_id = Donor(c);
  a->amount = Uniform(c.rng, 100, 10000);
  a->weights = &kAllocationWeights;
}

// Operations with one strategy: the binder checks the name and returns `fn`.
std::function<OperationFn(const std::string&)> Only(OperationFn fn) {
  return [fn](const std::string& strategy) {
    if (strategy != "default") throw std::invalid_argument("unknown strategy '" + strategy + "'");
    return fn;
  };
}

OperationDef Saka() {
  OperationDef d;
  d.name = "saka_get_or_create_wallet";
  d.summary = "return the user's SAKA wallet, creating it if missing (the review's claim 3)";
  d.strategies = DefaultFirst(settlement::SakaStrategyNames(),
                              settlement::SakaStrategyName(settlement::SakaStrategy::kInsertOnConflict));
  d.roles = kRaceCaller;
  d.args = {"user_id"};
  d.draw = DrawRaceUser;
  d.bind = [](const std::string& strategy) -> OperationFn {
    settlement::SakaStrategy s;
    if (!settlement::ParseSakaStrategy(strategy, &s)) throw std::invalid_argument("unknown strategy '" + strategy + "'");
    return [s](CallContext& c, const CallArgs& a) {
      c.returned_id = settlement::SakaGetOrCreateWallet(*c.conn, a.user_id, s, c.observer).wallet_id;
    };
  };
  return d;
}

OperationDef Close() {
  OperationDef d;
  d.name = "close_project_success";
  d.summary = "release every LOCKED escrow of a project and mark it SUCCESS (the review's claims 1 and 2)";
  d.strategies = DefaultFirst(settlement::CloseStrategyNames(),
                              settlement::CloseStrategyName(settlement::CloseStrategy::kKeyset));
  d.roles = kCloser;
  d.args = {"project_id", "release_batch_size", "max_escrows_per_close", "commission_rate", "fee_rate"};
  return d;
}

// A background operation with one strategy, whose write its key finds.
OperationDef Background(std::string name, std::string summary, double default_weight, std::vector<std::string> args,
                        void (*draw)(CallContext&, CallArgs*), OperationFn fn, std::string durable_sql) {
  OperationDef d;
  d.name = std::move(name);
  d.summary = std::move(summary);
  d.strategies = {"default"};
  d.roles = kBackground;
  d.default_weight = default_weight;
  d.args = std::move(args);
  d.draw = draw;
  d.bind = Only(std::move(fn));
  d.durable_sql = std::move(durable_sql);
  return d;
}

OperationDef Pledge() {
  return Background(
      "pledge_funds", "lock the donor wallet, check funds, debit, create a LOCKED escrow; idempotent by key", 3,
      {"user_id", "project_id", "amount", "pledge_type", "key"}, DrawPledge,
      [](CallContext& c, const CallArgs& a) {
        settlement::PledgeFunds(*c.conn, a.user_id, a.project_id, a.amount, a.pledge_type, c.key, c.observer, c.retry);
      },
      "SELECT w.user_id, e.project_id, e.amount, e.pledge_type FROM escrow_contract e"
      " JOIN wallet w ON w.id = e.donor_wallet_id WHERE e.idempotency_key = $1");
}

OperationDef Deposit() {
  return Background(
      "deposit", "credit a user's wallet; idempotent by key", 1, {"user_id", "amount", "key"}, DrawDeposit,
      [](CallContext& c, const CallArgs& a) {
        settlement::Deposit(*c.conn, a.user_id, a.amount, c.key, c.observer, c.retry);
      },
      "SELECT w.user_id, t.amount FROM wallet_transaction t JOIN wallet w ON w.id = t.wallet_id"
      " WHERE t.idempotency_key = $1 AND t.kind = 'DEPOSIT'");
}

OperationDef Transfer() {
  return Background(
      "transfer_to_pocket", "move money from a wallet into one of its pockets; idempotent by key", 0,
      {"user_id", "pocket", "amount", "key"}, DrawTransfer,
      [](CallContext& c, const CallArgs& a) {
        settlement::TransferToPocket(*c.conn, a.user_id, a.pocket, a.amount, c.key, c.observer, c.retry);
      },
      // The keyed row is the wallet's debit; its pocket's credit has no key.
      "SELECT w.user_id, -t.amount AS amount FROM wallet_transaction t JOIN wallet w ON w.id = t.wallet_id"
      " WHERE t.idempotency_key = $1 AND t.kind = 'TRANSFER'");
}

OperationDef Allocation() {
  return Background(
      "allocate_deposit_across_pockets",
      "deposit and split across the wallet's pockets by weights (largest remainder); idempotent by key", 0,
      {"user_id", "amount", "weights", "key"}, DrawAllocation,
      [](CallContext& c, const CallArgs& a) {
        settlement::AllocateDepositAcrossPockets(*c.conn, a.user_id, a.amount, *a.weights, c.key, c.observer, c.retry);
      },
      "SELECT w.user_id, t.amount FROM wallet_transaction t JOIN wallet w ON w.id = t.wallet_id"
      " WHERE t.idempotency_key = $1 AND t.kind = 'DEPOSIT'");
}

}  // namespace

const OperationTable& BuiltinOperations() {
  static const OperationTable table = [] {
    OperationTable t;
    for (OperationDef (*row)() : {Saka, Close, Pledge, Deposit, Transfer, Allocation}) t.Add(row());
    return t;
  }();
  return table;
}

}  // namespace ledgerstress
