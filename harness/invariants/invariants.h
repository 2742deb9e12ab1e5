#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_

#include <string>

#include <pqxx/connection_base>

#include "reports/run_result.h"

namespace ledgerstress {

// Checks the invariant `name` (a catalog name) by SQL against the schema on
// the connection's search_path, after the workload has stopped. Never throws
// for a database error: the result's status is then "error" with the cause.
// A violation carries its count and at most 10 sample rows.
InvariantResult CheckInvariant(pqxx::connection_base& conn, const std::string& name);

// The invariant that no user owns two wallets or two SAKA wallets. Details:
// users_with_duplicates, extra_wallets, max_wallets_per_user,
// saka_wallets, users_with_saka_wallet.
InvariantResult CheckOneWalletPerUser(pqxx::connection_base& conn);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANTS_H_
