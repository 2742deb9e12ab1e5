// Invariants about balances and the ledger.
#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"

namespace ledgerstress {

InvariantResult CheckMoneyConserved(pqxx::connection_base& conn) {
  InvariantResult r;
  r.name = "money_conserved";
  pqxx::nontransaction tx(conn);
  // One statement, one snapshot: the sums are consistent with each other.
  const pqxx::row t = tx.exec1(
      "WITH s AS (SELECT (SELECT coalesce(sum(balance), 0) FROM wallet) AS w,"
      "                  (SELECT coalesce(sum(balance), 0) FROM wallet_pocket) AS p,"
      "                  (SELECT coalesce(sum(amount), 0) FROM escrow_contract WHERE status = 'LOCKED') AS l,"
      "                  (SELECT coalesce(sum(amount), 0) FROM wallet_transaction WHERE kind = 'DEPOSIT') AS d)"
      " SELECT w::text, p::text, l::text, d::text, (w + p + l - d)::text, w + p + l = d FROM s");
  const std::string wallets = t[0].c_str(), pockets = t[1].c_str(), locked = t[2].c_str(), deposits = t[3].c_str();
  const std::string d = t[4].c_str();
  r.details["wallets"] = t[0].as<double>();
  r.details["pockets"] = t[1].as<double>();
  r.details["locked_escrows"] = t[2].as<double>();
  r.details["deposits"] = t[3].as<double>();
  r.details["difference"] = t[4].as<double>();
  const bool balanced = t[5].as<bool>();
  r.sample_columns = {"wallets", "pockets", "locked_escrows", "deposits", "difference"};
  if (balanced) {
    r.status = "held";
    r.message = "wallets " + wallets + " + pockets " + pockets + " + locked escrows " + locked + " = deposits " +
                deposits;
    return r;
  }
  r.status = "violated";
  r.violations = 1;
  r.message = "money was created or destroyed: balances + locked escrows - deposits = " + d;
  r.samples.push_back({wallets, pockets, locked, deposits, d});
  return r;
}

InvariantResult CheckBalancesMatchLedger(pqxx::connection_base& conn) {
  return FromViolationQuery(
      conn, "balances_match_ledger",
      "SELECT w.id AS wallet_id, w.balance, coalesce(t.total, 0) AS ledger_total,"
      "       w.balance - coalesce(t.total, 0) AS difference"
      "  FROM wallet w LEFT JOIN (SELECT wallet_id, sum(amount) AS total FROM wallet_transaction"
      "                            WHERE pocket_id IS NULL GROUP BY wallet_id) t ON t.wallet_id = w.id"
      " WHERE w.balance <> coalesce(t.total, 0)"
      " UNION ALL "
      "SELECT -p.id, p.balance, coalesce(t.total, 0), p.balance - coalesce(t.total, 0)"
      "  FROM wallet_pocket p LEFT JOIN (SELECT pocket_id, sum(amount) AS total FROM wallet_transaction"
      "                                   WHERE pocket_id IS NOT NULL GROUP BY pocket_id) t ON t.pocket_id = p.id"
      " WHERE p.balance <> coalesce(t.total, 0)",
      "every wallet and pocket balance equals the sum of its transactions",
      "%d wallet(s) or pocket(s) disagree with their ledger (pockets shown with negative ids)");
}

InvariantResult CheckNoNegativeBalance(pqxx::connection_base& conn) {
  return FromViolationQuery(
      conn, "no_negative_balance",
      "SELECT 'wallet' AS kind, id, balance FROM wallet WHERE balance < 0"
      " UNION ALL SELECT 'pocket', id, balance FROM wallet_pocket WHERE balance < 0",
      "no balance is negative", "%d negative balance(s)");
}

InvariantResult CheckIdempotent(pqxx::connection_base& conn) {
  return FromViolationQuery(
      conn, "idempotent",
      "SELECT 'escrow_contract' AS tbl, idempotency_key, count(*) AS rows FROM escrow_contract"
      " WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING count(*) > 1"
      " UNION ALL "
      "SELECT 'wallet_transaction/' || kind, idempotency_key, count(*) FROM wallet_transaction"
      " WHERE idempotency_key IS NOT NULL GROUP BY kind, idempotency_key HAVING count(*) > 1",
      "every idempotency key maps to one escrow and one transaction of each kind",
      "%d idempotency key(s) were applied more than once");
}

}  // namespace ledgerstress
