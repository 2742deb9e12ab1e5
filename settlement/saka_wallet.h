#ifndef LEDGERSTRESS_SETTLEMENT_SAKA_WALLET_H_
#define LEDGERSTRESS_SETTLEMENT_SAKA_WALLET_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "settlement/connection.h"

#include "settlement/observer.h"

namespace settlement {

// How saka_get_or_create_wallet avoids (or fails to avoid) creating a second
// SAKA wallet for a user under concurrent calls. See docs/review.md, claim 3.
enum class SakaStrategy {
  // Django's QuerySet.get_or_create in autocommit mode: SELECT; if no row,
  // INSERT inside its own transaction; on unique_violation SELECT again.
  // Creates duplicates when saka_wallet.user_id has no unique constraint.
  kGetOrCreate,
  // As the review wrote it: @transaction.atomic around
  // select_for_update().get_or_create(). FOR UPDATE locks nothing when no
  // row exists yet, so it creates duplicates exactly like kGetOrCreate.
  kSelectForUpdate,
  // Hardened: INSERT ... ON CONFLICT (user_id) DO NOTHING, then SELECT.
  // REQUIRES: the unique constraint on saka_wallet.user_id.
  kInsertOnConflict,
};

// Parses "get_or_create" | "select_for_update" | "insert_on_conflict".
// Returns false for anything else.
bool ParseSakaStrategy(const std::string& name, SakaStrategy* out);
const char* SakaStrategyName(SakaStrategy s);
// Every strategy's name, in the order of the enum.
const std::vector<std::string>& SakaStrategyNames();

// Thrown when a user already has several SAKA wallets, as Django's
// MultipleObjectsReturned from QuerySet.get().
class MultipleWalletsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SakaWalletResult {
  std::int64_t wallet_id = 0;
  bool created = false;  // this call inserted the row it returns
};

// Returns the user's SAKA wallet, creating it if none exists.
//
// The connection must have no transaction open; its search_path selects the
// schema holding saka_wallet. On failure the pqxx exception (or
// MultipleWalletsError) propagates and any transaction this call opened has
// been rolled back.
SakaWalletResult SakaGetOrCreateWallet(Connection& conn,
                                       std::int64_t user_id,
                                       SakaStrategy strategy,
                                       Observer& observer);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_SAKA_WALLET_H_
