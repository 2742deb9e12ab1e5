#include "settlement/close_common.h"

#include <vector>

namespace settlement {

CloseResult ClosePerEscrow(Connection& conn, std::int64_t project_id, const CloseParams& p, Observer& obs) {
  CloseResult out;
  CloseWallets wallets;
  std::vector<std::int64_t> ids;
  CloseTransaction(conn, p, obs, [&](CountedWork& tx) {
    wallets = LookupCloseWallets(tx, project_id);
    ids.clear();
    for (const auto& row : tx.Exec("SELECT id FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED' "
                                   "ORDER BY id",
                                   project_id)) {
      ids.push_back(row[0].as<std::int64_t>());
    }
  });
  const auto sorted = wallets.Sorted();
  for (const std::int64_t id : ids) {
    // release_escrow(escrow): its own transaction, one statement per step.
    bool released = false;
    CloseTransaction(conn, p, obs, [&](CountedWork& tx) {
      released = false;
      const Rows e = tx.Exec("SELECT amount, status FROM escrow_contract WHERE id = $1 FOR UPDATE", id);
      if (e.empty() || e[0][1].as<std::string>() != "LOCKED") return;  // released by someone else
      Cents amount = 0;
      ParseCents(e[0][0].as<std::string>(), &amount);
      const ReleaseSplit split = SplitRelease(amount, p.commission_rate, p.fee_rate);
      tx.Exec("UPDATE escrow_contract SET status = 'RELEASED', released_at = now() WHERE id = $1", id);
      for (const std::int64_t wallet : sorted) {
        const Cents credit = wallet == wallets.owner        ? split.net
                             : wallet == wallets.commission ? split.commission
                                                            : split.fee;
        tx.Exec("UPDATE wallet SET balance = balance + $2::numeric WHERE id = $1", wallet, FormatCents(credit));
      }
      const struct {
        std::int64_t wallet;
        Cents amount;
        const char* kind;
      } credits[] = {{wallets.owner, split.net, "RELEASE"},
                     {wallets.commission, split.commission, "COMMISSION"},
                     {wallets.fees, split.fee, "FEE"}};
      for (const auto& c : credits) {
        tx.Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id) VALUES ($1, $2::numeric, $3, $4)",
                c.wallet, FormatCents(c.amount), c.kind, id);
      }
      released = true;
    });
    if (released) ++out.released;
  }
  out.marked_success = MarkSuccessIfNoneLocked(conn, project_id, obs);
  return out;
}

}  // namespace settlement
