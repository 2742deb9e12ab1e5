#include "settlement/close_common.h"

namespace settlement {

CloseResult CloseKeyset(Connection& conn, std::int64_t project_id, const CloseParams& p, Observer& obs) {
  CloseResult out;
  CloseWallets wallets;
  CloseTransaction(conn, p, obs, [&](CountedWork& tx) { wallets = LookupCloseWallets(tx, project_id); });
  std::int64_t cursor = 0;
  // Each restart below needs a LOCKED row that appeared behind the cursor
  // (a pledge whose id was drawn earlier but committed later); bound them so
  // that a stream of such pledges cannot keep the close busy forever.
  for (int restarts = 0; restarts < 100;) {
    // One short transaction per chunk: locks are held for one chunk only.
    ChunkResult chunk;
    CloseTransaction(conn, p, obs, [&](CountedWork& tx) {
      LockWallets(tx, wallets);
      chunk = ReleaseChunkSetBased(tx, project_id, wallets, cursor, p.release_batch_size, p);
    });
    out.released += chunk.released;
    if (chunk.released > 0) {
      cursor = chunk.last_id;
      continue;
    }
    const pqxx::result left = ExecAutocommit(
        conn, obs, "SELECT min(id) FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED'", project_id);
    if (left[0][0].is_null()) break;
    cursor = left[0][0].as<std::int64_t>() - 1;
    ++restarts;
  }
  out.marked_success = MarkSuccessIfNoneLocked(conn, project_id, obs);
  return out;
}

CloseResult CloseSetBased(Connection& conn, std::int64_t project_id, const CloseParams& p, Observer& obs) {
  CloseResult out;
  CloseTransaction(conn, p, obs, [&](CountedWork& tx) {
    const CloseWallets wallets = LookupCloseWallets(tx, project_id);
    LockWallets(tx, wallets);
    out.released = ReleaseChunkSetBased(tx, project_id, wallets, 0, 0, p).released;
  });
  out.marked_success = MarkSuccessIfNoneLocked(conn, project_id, obs);
  return out;
}

}  // namespace settlement
