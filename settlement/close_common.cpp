#include "settlement/close_common.h"

#include "settlement/ledger.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace settlement {

void CloseTransaction(Connection& conn, const CloseParams& p, Observer& obs,
                      const std::function<void(CountedWork&)>& body) {
  RunWithRetry(conn, p.retry, obs, body, [] { return false; });
}

std::array<std::int64_t, 3> CloseWallets::Sorted() const {
  std::array<std::int64_t, 3> ids = {owner, commission, fees};
  std::sort(ids.begin(), ids.end());
  return ids;
}

CloseWallets LookupCloseWallets(CountedWork& tx, std::int64_t project_id) {
  const Rows r = tx.Exec(
      "SELECT (SELECT w.id FROM project p JOIN wallet w ON w.user_id = p.owner_user_id WHERE p.id = $1),"
      "       (SELECT w.id FROM wallet w JOIN app_user u ON u.id = w.user_id WHERE u.email = $2),"
      "       (SELECT w.id FROM wallet w JOIN app_user u ON u.id = w.user_id WHERE u.email = $3)",
      project_id, std::string(kCommissionEmail), std::string(kFeesEmail));
  if (r[0][0].is_null() || r[0][1].is_null() || r[0][2].is_null()) {
    throw std::runtime_error("project " + std::to_string(project_id) +
                             " has no owner wallet, or the COMMISSION/FEES wallets are missing");
  }
  return CloseWallets{r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>(), r[0][2].as<std::int64_t>()};
}

void LockWallets(CountedWork& tx, const CloseWallets& w) {
  tx.Exec("SELECT id FROM wallet WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
          ArrayLiteral(w.Sorted()));
}

ChunkResult ReleaseChunkSetBased(CountedWork& tx, std::int64_t project_id, const CloseWallets& w,
                                 std::int64_t after_id, int limit, const CloseParams& p) {
  // Data-modifying CTEs run exactly once whether or not they are read.
  // Credits are summed per wallet id, so that an owner who is also a system
  // user is credited once with the total.
  static const char kSql[] =
      "WITH chunk AS ("
      "  SELECT id, amount FROM escrow_contract"
      "   WHERE project_id = $1 AND status = 'LOCKED' AND id > $2"
      "   ORDER BY id LIMIT $3 FOR UPDATE),"
      " split AS ("
      "  SELECT id, amount, round(amount * $4::numeric, 2) AS commission,"
      "         round(amount * $5::numeric, 2) AS fee FROM chunk),"
      " released AS ("
      "  UPDATE escrow_contract e SET status = 'RELEASED', released_at = now()"
      "    FROM split s WHERE e.id = s.id RETURNING e.id),"
      " ledger AS ("
      "  INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id)"
      "  SELECT $6::bigint, amount - commission - fee, 'RELEASE', id FROM split"
      "  UNION ALL SELECT $7::bigint, commission, 'COMMISSION', id FROM split"
      "  UNION ALL SELECT $8::bigint, fee, 'FEE', id FROM split"
      "  RETURNING 1),"
      " credits AS ("
      "  UPDATE wallet w SET balance = w.balance + c.delta"
      "    FROM (SELECT id, sum(delta) AS delta FROM ("
      "            SELECT $6::bigint AS id, amount - commission - fee AS delta FROM split"
      "            UNION ALL SELECT $7::bigint, commission FROM split"
      "            UNION ALL SELECT $8::bigint, fee FROM split) parts GROUP BY id) c"
      "   WHERE w.id = c.id RETURNING 1)"
      " SELECT count(*), coalesce(max(id), 0) FROM split";
  const std::int64_t n = limit > 0 ? limit : std::numeric_limits<std::int64_t>::max();
  const Rows r = tx.Exec(kSql, project_id, after_id, n, FormatRate(p.commission_rate),
                                 FormatRate(p.fee_rate), w.owner, w.commission, w.fees);
  return ChunkResult{r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>()};
}

bool MarkSuccessIfNoneLocked(Connection& conn, std::int64_t project_id, Observer& obs) {
  CountedWork tx(conn, obs);
  const Rows p = tx.Exec("SELECT status FROM project WHERE id = $1 FOR UPDATE", project_id);
  if (p.empty() || p[0][0].as<std::string>() != "FUNDING") return false;
  const Rows r = tx.Exec(
      "UPDATE project SET status = 'SUCCESS', closed_at = now() WHERE id = $1"
      " AND NOT EXISTS (SELECT 1 FROM escrow_contract WHERE project_id = $1 AND status = 'LOCKED')"
      " RETURNING id",
      project_id);
  if (r.empty()) return false;
  tx.Commit();
  return true;
}

}  // namespace settlement
