#include "settlement/close_common.h"

#include <algorithm>
#include <map>
#include <vector>

namespace settlement {
namespace {

// Django's bulk_create(objs, batch_size=n): one multi-row INSERT per n rows.
void BulkCreateTransactions(CountedWork& tx, const std::vector<std::string>& rows, int batch_size) {
  for (std::size_t i = 0; i < rows.size(); i += static_cast<std::size_t>(batch_size)) {
    std::string sql = "INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id) VALUES ";
    const std::size_t end = std::min(rows.size(), i + static_cast<std::size_t>(batch_size));
    for (std::size_t j = i; j < end; ++j) sql += (j > i ? "," : "") + rows[j];
    tx.ExecRaw(sql);
  }
}

// One chunk of the batched close: locks its escrows (the earlier chunks'
// locks still held), releases them and credits the wallets. Returns how
// many it released.
std::int64_t ReleaseChunk(CountedWork& tx, const CloseWallets& wallets, const std::vector<std::int64_t>& chunk,
                          const CloseParams& p) {
  // Lock the chunk; the locks of earlier chunks are still held: they are
  // only released by the commit at the very end.
  const Rows locked =
      tx.Exec("SELECT id, amount FROM escrow_contract WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
              ArrayLiteral(chunk));
  std::map<std::int64_t, Cents> credit;  // wallet -> total, applied in id order
  std::vector<std::string> rows;
  std::vector<std::int64_t> released;
  for (const auto& row : locked) {
    const std::int64_t id = row[0].as<std::int64_t>();
    Cents amount = 0;
    ParseCents(row[1].as<std::string>(), &amount);
    const ReleaseSplit s = SplitRelease(amount, p.commission_rate, p.fee_rate);
    credit[wallets.owner] += s.net;
    credit[wallets.commission] += s.commission;
    credit[wallets.fees] += s.fee;
    const std::string escrow = std::to_string(id);
    rows.push_back("(" + std::to_string(wallets.owner) + "," + FormatCents(s.net) + ",'RELEASE'," + escrow + ")");
    rows.push_back("(" + std::to_string(wallets.commission) + "," + FormatCents(s.commission) + ",'COMMISSION'," +
                   escrow + ")");
    rows.push_back("(" + std::to_string(wallets.fees) + "," + FormatCents(s.fee) + ",'FEE'," + escrow + ")");
    released.push_back(id);
  }
  if (released.empty()) return 0;
  // EscrowContract.objects.bulk_update(escrows, ['status', 'released_at'])
  tx.Exec("UPDATE escrow_contract SET status = 'RELEASED', released_at = now() WHERE id = ANY($1::bigint[])",
          ArrayLiteral(released));
  std::string values;
  for (const auto& [wallet, cents] : credit) {
    values +=
        (values.empty() ? "(" : ",(") + std::to_string(wallet) + "::bigint," + FormatCents(cents) + "::numeric)";
  }
  tx.ExecRaw("UPDATE wallet w SET balance = w.balance + v.delta FROM (VALUES " + values +
             ") v(id, delta) WHERE w.id = v.id");
  BulkCreateTransactions(tx, rows, p.release_batch_size);
  return static_cast<std::int64_t>(released.size());
}

}  // namespace

CloseResult CloseBatched(Connection& conn, std::int64_t project_id, const CloseParams& p, Observer& obs) {
  CloseResult out;
  CloseTransaction(conn, p, obs, [&](CountedWork& tx) {  // @transaction.atomic around the whole close
    out = CloseResult{};
    const CloseWallets wallets = LookupCloseWallets(tx, project_id);
    // escrows_count = escrows_qs.count(); the review only logs a warning when
    // it exceeds MAX_ESCROWS_PER_BATCH.
    tx.Exec("SELECT count(*) FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED'", project_id);
    // escrows_list = list(escrows_qs[:MAX_ESCROWS_PER_BATCH]): the slice drops
    // everything past the cap.
    std::vector<std::int64_t> ids;
    for (const auto& row : tx.Exec("SELECT id FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED' "
                                   "ORDER BY id LIMIT $2",
                                   project_id, p.max_escrows_per_close)) {
      ids.push_back(row[0].as<std::int64_t>());
    }
    const std::size_t batch = static_cast<std::size_t>(p.release_batch_size);
    for (std::size_t i = 0; i < ids.size(); i += batch) {
      const std::vector<std::int64_t> chunk(ids.begin() + i, ids.begin() + std::min(ids.size(), i + batch));
      out.released += ReleaseChunk(tx, wallets, chunk, p);
    }
    // The project is marked SUCCESS whether or not escrows were left behind.
    tx.Exec("UPDATE project SET status = 'SUCCESS', closed_at = now() WHERE id = $1", project_id);
  });
  out.marked_success = true;
  return out;
}

}  // namespace settlement
