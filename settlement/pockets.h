#ifndef LEDGERSTRESS_SETTLEMENT_POCKETS_H_
#define LEDGERSTRESS_SETTLEMENT_POCKETS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "settlement/connection.h"

#include "settlement/money.h"
#include "settlement/observer.h"
#include "settlement/retry.h"

namespace settlement {

// Splits `amount` into parts proportional to `weights` that sum exactly to
// `amount`: each part is rounded down, then the cents left over go one by
// one to the largest remainders (ties: the earlier weight). REQUIRES:
// amount >= 0, weights non-empty, non-negative, with a positive sum.
std::vector<Cents> AllocateLargestRemainder(Cents amount, const std::vector<std::int64_t>& weights);

// Moves `amount` (> 0) from the user's wallet balance into its pocket
// `pocket_name`: the wallet and then the pocket locked FOR UPDATE, funds
// checked (InsufficientFunds), two TRANSFER rows (wallet -amount under
// `key`, pocket +amount). Idempotent by key. Runs under `retry`.
void TransferToPocket(Connection& conn, std::int64_t user_id, const std::string& pocket_name,
                      Cents amount, const std::string& key, Observer& obs, const RetryPolicy& retry = {});

// Deposits `amount` (> 0) and allocates it across the user's pockets by
// `weights` (one per pocket, pockets in id order): a DEPOSIT row under
// `key`, an ALLOCATION row taking it off the wallet, and one ALLOCATION row
// per pocket crediting its part (largest remainder). Idempotent by key.
// Runs under `retry`.
void AllocateDepositAcrossPockets(Connection& conn, std::int64_t user_id, Cents amount,
                                  const std::vector<std::int64_t>& weights, const std::string& key, Observer& obs,
                                  const RetryPolicy& retry = {});

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_POCKETS_H_
