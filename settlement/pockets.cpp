#include "settlement/pockets.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "settlement/ledger.h"

namespace settlement {

std::vector<Cents> AllocateLargestRemainder(Cents amount, const std::vector<std::int64_t>& weights) {
  const std::int64_t total = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  if (weights.empty() || total <= 0 || amount < 0) throw std::invalid_argument("bad allocation weights");
  std::vector<Cents> parts(weights.size());
  std::vector<std::pair<__int128, std::size_t>> remainders;
  Cents given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = static_cast<__int128>(amount) * weights[i];
    parts[i] = static_cast<Cents>(exact / total);
    given += parts[i];
    remainders.emplace_back(exact % total, i);
  }
  // Largest remainder first; the earlier weight wins a tie.
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < amount; ++k, ++given) ++parts[remainders[k % remainders.size()].second];
  return parts;
}

namespace {

std::int64_t LockWallet(CountedWork& tx, std::int64_t user_id, Cents* balance) {
  const Rows w = tx.Exec("SELECT id, balance FROM wallet WHERE user_id = $1 FOR UPDATE", user_id);
  if (w.empty()) throw std::runtime_error("user " + std::to_string(user_id) + " has no wallet");
  if (balance) ParseCents(w[0][1].as<std::string>(), balance);
  return w[0][0].as<std::int64_t>();
}

bool KeyUsed(CountedWork& tx, const std::string& key, const char* kind) {
  return !tx.Exec("SELECT 1 FROM wallet_transaction WHERE idempotency_key = $1 AND kind = $2", key,
                  std::string(kind))
              .empty();
}

}  // namespace

void TransferToPocket(Connection& conn, std::int64_t user_id, const std::string& pocket_name,
                      Cents amount, const std::string& key, Observer& obs, const RetryPolicy& retry) {
  RunWithRetry(
      conn, retry, obs,
      [&](CountedWork& tx) {
        Cents balance = 0;
        const std::int64_t wallet = LockWallet(tx, user_id, &balance);
        if (KeyUsed(tx, key, "TRANSFER")) return;
        const Rows p = 
            tx.Exec("SELECT id FROM wallet_pocket WHERE wallet_id = $1 AND name = $2 FOR UPDATE", wallet, pocket_name);
        if (p.empty()) throw std::runtime_error("wallet " + std::to_string(wallet) + " has no pocket " + pocket_name);
        if (balance < amount) {
          throw InsufficientFunds("wallet " + std::to_string(wallet) + " holds " + FormatCents(balance) +
                                  ", transfer needs " + FormatCents(amount));
        }
        const std::int64_t pocket = p[0][0].as<std::int64_t>();
        tx.Exec("UPDATE wallet SET balance = balance - $2::numeric WHERE id = $1", wallet, FormatCents(amount));
        tx.Exec("UPDATE wallet_pocket SET balance = balance + $2::numeric WHERE id = $1", pocket, FormatCents(amount));
        tx.Exec("INSERT INTO wallet_transaction (wallet_id, pocket_id, amount, kind, idempotency_key) VALUES "
                "($1, NULL, -$3::numeric, 'TRANSFER', $4), ($1, $2, $3::numeric, 'TRANSFER', NULL)",
                wallet, pocket, FormatCents(amount), key);
      },
      [&] {
        return !ExecAutocommit(conn, obs,
                               "SELECT 1 FROM wallet_transaction WHERE idempotency_key = $1 AND kind = 'TRANSFER'", key)
                    .empty();
      });
}

void AllocateDepositAcrossPockets(Connection& conn, std::int64_t user_id, Cents amount,
                                  const std::vector<std::int64_t>& weights, const std::string& key, Observer& obs,
                                  const RetryPolicy& retry) {
  RunWithRetry(
      conn, retry, obs,
      [&](CountedWork& tx) {
        const std::int64_t wallet = LockWallet(tx, user_id, nullptr);
        if (KeyUsed(tx, key, "DEPOSIT")) return;
        std::vector<std::int64_t> pockets;
        for (const auto& row : tx.Exec("SELECT id FROM wallet_pocket WHERE wallet_id = $1 ORDER BY id FOR UPDATE", wallet)) {
          pockets.push_back(row[0].as<std::int64_t>());
        }
        if (pockets.size() != weights.size()) {
          throw std::runtime_error("wallet " + std::to_string(wallet) + " has " + std::to_string(pockets.size()) +
                                   " pockets, the allocation has " + std::to_string(weights.size()) + " weights");
        }
        const std::vector<Cents> parts = AllocateLargestRemainder(amount, weights);
        std::string rows = "($1, NULL, $2::numeric, 'DEPOSIT', $3), ($1, NULL, -$2::numeric, 'ALLOCATION', NULL)";
        std::string credits;
        for (std::size_t i = 0; i < pockets.size(); ++i) {
          const std::string part = FormatCents(parts[i]);
          rows += ", ($1, " + std::to_string(pockets[i]) + ", " + part + ", 'ALLOCATION', NULL)";
          credits += (credits.empty() ? "(" : ", (") + std::to_string(pockets[i]) + ", " + part + "::numeric)";
        }
        tx.Exec("INSERT INTO wallet_transaction (wallet_id, pocket_id, amount, kind, idempotency_key) VALUES " + rows,
                wallet, FormatCents(amount), key);
        tx.ExecRaw("UPDATE wallet_pocket p SET balance = p.balance + v.part FROM (VALUES " + credits +
                   ") v(id, part) WHERE p.id = v.id");
      },
      [&] {
        return !ExecAutocommit(conn, obs,
                               "SELECT 1 FROM wallet_transaction WHERE idempotency_key = $1 AND kind = 'DEPOSIT'", key)
                    .empty();
      });
}

}  // namespace settlement
