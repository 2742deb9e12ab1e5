#include "settlement/ledger.h"

#include "settlement/counted.h"

namespace settlement {

const char kCommissionEmail[] = "commission@system";
const char kFeesEmail[] = "fees@system";

namespace {

// The statements of a deposit, inside the caller's transaction. Returns
// false when the key was already used (nothing written).
bool DepositBody(CountedWork& tx, std::int64_t user_id, Cents amount, const std::string& key, DepositResult* out) {
  // Lock the wallet first: two deposits with one key serialise here, so the
  // key check below sees the other's committed row.
  const Rows w = tx.Exec("SELECT id FROM wallet WHERE user_id = $1 FOR UPDATE", user_id);
  if (w.empty()) throw std::runtime_error("user " + std::to_string(user_id) + " has no wallet");
  const std::int64_t wallet_id = w[0][0].as<std::int64_t>();
  const Rows seen = tx.Exec(
      "SELECT id FROM wallet_transaction WHERE idempotency_key = $1 AND kind = 'DEPOSIT'", key);
  if (!seen.empty()) {
    out->transaction_id = seen[0][0].as<std::int64_t>();
    out->duplicate = true;
    return false;
  }
  tx.Exec("UPDATE wallet SET balance = balance + $2::numeric WHERE id = $1", wallet_id, FormatCents(amount));
  out->transaction_id = tx.Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, idempotency_key) "
                                "VALUES ($1, $2::numeric, 'DEPOSIT', $3) RETURNING id",
                                wallet_id, FormatCents(amount), key)[0][0]
                            .as<std::int64_t>();
  return true;
}

// The statements of a pledge, inside the caller's transaction. Returns
// false when the key was already used (nothing written).
bool PledgeBody(CountedWork& tx, std::int64_t user_id, std::int64_t project_id, Cents amount,
                const std::string& pledge_type, const std::string& key, PledgeResult* out) {
  const Rows w = tx.Exec("SELECT id, balance FROM wallet WHERE user_id = $1 FOR UPDATE", user_id);
  if (w.empty()) throw std::runtime_error("user " + std::to_string(user_id) + " has no wallet");
  const std::int64_t wallet_id = w[0][0].as<std::int64_t>();
  const Rows seen = tx.Exec("SELECT id FROM escrow_contract WHERE idempotency_key = $1", key);
  if (!seen.empty()) {
    out->escrow_id = seen[0][0].as<std::int64_t>();
    out->duplicate = true;
    return false;
  }
  const Rows p = tx.Exec("SELECT status FROM project WHERE id = $1 FOR SHARE", project_id);
  if (p.empty() || p[0][0].as<std::string>() != "FUNDING") {
    throw ProjectNotFunding("project " + std::to_string(project_id) + " is not FUNDING");
  }
  Cents balance = 0;
  ParseCents(w[0][1].c_str(), &balance);
  const std::string amount_text = FormatCents(amount);  // once: three statements use it
  if (balance < amount) {
    throw InsufficientFunds("wallet " + std::to_string(wallet_id) + " holds " + FormatCents(balance) +
                            ", pledge needs " + amount_text);
  }
  tx.Exec("UPDATE wallet SET balance = balance - $2::numeric WHERE id = $1", wallet_id, amount_text);
  out->escrow_id = tx.Exec("INSERT INTO escrow_contract (project_id, donor_wallet_id, amount, pledge_type, "
                           "idempotency_key) VALUES ($1, $2, $3::numeric, $4, $5) RETURNING id",
                           project_id, wallet_id, amount_text, pledge_type, key)[0][0]
                       .as<std::int64_t>();
  tx.Exec("INSERT INTO wallet_transaction (wallet_id, amount, kind, escrow_id, idempotency_key) "
          "VALUES ($1, -$2::numeric, 'PLEDGE', $3, $4)",
          wallet_id, amount_text, out->escrow_id, key);
  return true;
}

// Whether a write under `key` committed: one autocommit lookup.
bool KeyCommitted(Connection& conn, Observer& obs, const char* sql, const std::string& key) {
  return !ExecAutocommit(conn, obs, sql, key).empty();
}

}  // namespace

DepositResult Deposit(Connection& conn, std::int64_t user_id, Cents amount,
                      const std::string& key, Observer& obs, const RetryPolicy& retry) {
  DepositResult out;
  RunWithRetry(
      conn, retry, obs,
      [&](CountedWork& tx) {
        out = DepositResult{};
        DepositBody(tx, user_id, amount, key, &out);  // a used key writes nothing: the commit is empty
      },
      [&] {
        return KeyCommitted(conn, obs,
                            "SELECT 1 FROM wallet_transaction WHERE idempotency_key = $1 AND kind = 'DEPOSIT'", key);
      });
  return out;
}

PledgeResult PledgeFunds(Connection& conn, std::int64_t user_id, std::int64_t project_id,
                         Cents amount, const std::string& pledge_type, const std::string& key,
                         Observer& obs, const RetryPolicy& retry) {
  PledgeResult out;
  RunWithRetry(
      conn, retry, obs,
      [&](CountedWork& tx) {
        out = PledgeResult{};
        PledgeBody(tx, user_id, project_id, amount, pledge_type, key, &out);  // a used key writes nothing
      },
      [&] { return KeyCommitted(conn, obs, "SELECT 1 FROM escrow_contract WHERE idempotency_key = $1", key); });
  return out;
}

}  // namespace settlement
