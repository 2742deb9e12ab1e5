#include "harness/engine/operations.h"

#include <stdexcept>

#include "settlement/ledger.h"
#include "settlement/pockets.h"
#include "settlement/saka_wallet.h"

namespace ledgerstress {
namespace {

std::int64_t Uniform(std::mt19937_64& rng, std::int64_t lo, std::int64_t hi) {
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

std::int64_t RaceUser(const CallContext& c) {
  std::int64_t u = c.targets.race_first_user + static_cast<std::int64_t>(c.round) * c.targets.users_per_round;
  if (c.targets.users_per_round > 1) u += Uniform(c.rng, 0, c.targets.users_per_round - 1);
  return u;
}

}  // namespace

OperationFn BindOperation(const std::string& operation, const std::string& strategy) {
  if (operation == "saka_get_or_create_wallet") {
    settlement::SakaStrategy s;
    if (!settlement::ParseSakaStrategy(strategy, &s)) {
      throw std::invalid_argument("unknown strategy '" + strategy + "' for " + operation);
    }
    return [s](CallContext& c) { settlement::SakaGetOrCreateWallet(c.conn, RaceUser(c), s, c.observer); };
  }
  if (operation == "pledge_funds") {
    // A donor pledges 1.00 to 20.00 to the background project.
    return [](CallContext& c) {
      const std::int64_t donor = c.targets.donor_first_user + Uniform(c.rng, 0, c.targets.donors - 1);
      settlement::PledgeFunds(c.conn, donor, c.targets.background_project, Uniform(c.rng, 100, 2000), "DONATION",
                              c.key, c.observer, c.retry);
    };
  }
  if (operation == "deposit") {
    // Half the deposits go to the owners of the projects being closed, whose
    // wallets the close locks; half to donors.
    return [](CallContext& c) {
      const auto& owners = c.targets.owner_users;
      const bool to_owner = !owners.empty() && Uniform(c.rng, 0, 1) == 0;
      const std::int64_t user =
          to_owner ? owners[static_cast<std::size_t>(Uniform(c.rng, 0, static_cast<std::int64_t>(owners.size()) - 1))]
                   : c.targets.donor_first_user + Uniform(c.rng, 0, c.targets.donors - 1);
      settlement::Deposit(c.conn, user, Uniform(c.rng, 100, 10000), c.key, c.observer, c.retry);
    };
  }
  if (operation == "transfer_to_pocket") {
    // A donor moves 1.00 to 20.00 into one of its three pockets.
    return [](CallContext& c) {
      static const char* const kPockets[] = {"savings", "giving", "reserve"};
      const std::int64_t donor = c.targets.donor_first_user + Uniform(c.rng, 0, c.targets.donors - 1);
      settlement::TransferToPocket(c.conn, donor, kPockets[Uniform(c.rng, 0, 2)], Uniform(c.rng, 100, 2000), c.key,
                                   c.observer, c.retry);
    };
  }
  if (operation == "allocate_deposit_across_pockets") {
    // A donor deposits 1.00 to 100.00 split 50/30/20 across its pockets.
    return [](CallContext& c) {
      const std::int64_t donor = c.targets.donor_first_user + Uniform(c.rng, 0, c.targets.donors - 1);
      settlement::AllocateDepositAcrossPockets(c.conn, donor, Uniform(c.rng, 100, 10000), {50, 30, 20}, c.key,
                                               c.observer, c.retry);
    };
  }
  throw std::invalid_argument("unknown operation '" + operation + "'");
}

}  // namespace ledgerstress
