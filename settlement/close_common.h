#ifndef LEDGERSTRESS_SETTLEMENT_CLOSE_COMMON_H_
#define LEDGERSTRESS_SETTLEMENT_CLOSE_COMMON_H_

// Internal to settlement/: what the close strategies share.

#include <array>
#include <cstdint>
#include <functional>

#include "settlement/close_project.h"
#include "settlement/counted.h"

namespace settlement {

// Runs `body` as one transaction of the close under params.retry.
void CloseTransaction(Connection& conn, const CloseParams& p, Observer& obs,
                      const std::function<void(CountedWork&)>& body);

// The three wallets a release credits.
struct CloseWallets {
  std::int64_t owner = 0;
  std::int64_t commission = 0;
  std::int64_t fees = 0;
  // The three ids ascending: every strategy locks wallets in this order, so
  // concurrent closes never deadlock on them.
  std::array<std::int64_t, 3> Sorted() const;
};

// One statement. Throws std::runtime_error when the project or a system
// wallet is missing.
CloseWallets LookupCloseWallets(CountedWork& tx, std::int64_t project_id);

// Locks the three wallets FOR UPDATE in ascending id order (one statement).
void LockWallets(CountedWork& tx, const CloseWallets& w);

// Releases, in one set-based statement, the project's LOCKED escrows with
// id > after_id, at most `limit` of them (limit <= 0: all), ascending by id.
// Returns how many it released and the highest id released (0 if none).
struct ChunkResult {
  std::int64_t released = 0;
  std::int64_t last_id = 0;
};
ChunkResult ReleaseChunkSetBased(CountedWork& tx, std::int64_t project_id, const CloseWallets& w,
                                 std::int64_t after_id, int limit, const CloseParams& p);

// Marks the project SUCCESS if it is FUNDING and no escrow of it is LOCKED,
// in one transaction that locks the project row first. Returns whether it
// did. One statement would not do: a pledge holding the project FOR SHARE
// when the UPDATE arrives commits its escrow while the UPDATE waits, and
// the UPDATE's NOT EXISTS, evaluated on the snapshot taken before the wait,
// does not see it (the row was only locked, so nothing is re-checked): the
// project would close on a LOCKED escrow. After the lock, a new statement's
// snapshot sees every pledge that got in first, and later pledges wait and
// then find the project closed.
bool MarkSuccessIfNoneLocked(Connection& conn, std::int64_t project_id, Observer& obs);

CloseResult ClosePerEscrow(Connection& conn, std::int64_t project_id, const CloseParams& p,
                           Observer& obs);
CloseResult CloseBatched(Connection& conn, std::int64_t project_id, const CloseParams& p,
                         Observer& obs);
CloseResult CloseKeyset(Connection& conn, std::int64_t project_id, const CloseParams& p,
                        Observer& obs);
CloseResult CloseSetBased(Connection& conn, std::int64_t project_id, const CloseParams& p,
                          Observer& obs);

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_CLOSE_COMMON_H_
