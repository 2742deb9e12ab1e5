#include "harness/invariants/invariants.h"

#include <pqxx/pqxx>
#include <pqxx/nontransaction>

#include "harness/invariants/invariant_table.h"
#include "harness/pg/dsn.h"

namespace ledgerstress {

void AddSamples(const pqxx::result& r, InvariantResult* out) {
  for (pqxx::row::size_type c = 0; c < r.columns(); ++c) out->sample_columns.push_back(r.column_name(c));
  for (const auto& row : r) {
    std::vector<std::string> cells;
    for (const auto& f : row) cells.push_back(f.is_null() ? "NULL" : f.c_str());
    out->samples.push_back(std::move(cells));
  }
}

InvariantResult CheckOneWalletPerUser(pqxx::connection_base& conn) {
  InvariantResult out;
  out.name = "one_wallet_per_user";
  pqxx::nontransaction tx(conn);
  const char kDuplicates[] =
      "WITH dup AS ("
      "  SELECT 'saka_wallet' AS wallet_table, user_id, count(*) AS wallets,"
      "         string_agg(id::text, ',' ORDER BY id) AS wallet_ids"
      "    FROM saka_wallet GROUP BY user_id HAVING count(*) > 1"
      "  UNION ALL"
      "  SELECT 'wallet', user_id, count(*), string_agg(id::text, ',' ORDER BY id)"
      "    FROM wallet GROUP BY user_id HAVING count(*) > 1) ";
  const pqxx::row totals = tx.exec1(
      std::string(kDuplicates) +
      "SELECT count(*), coalesce(sum(wallets - 1), 0), coalesce(max(wallets), 0),"
      "       (SELECT count(*) FROM saka_wallet), (SELECT count(DISTINCT user_id) FROM saka_wallet)"
      "  FROM dup");
  out.violations = totals[0].as<std::uint64_t>();
  out.details["users_with_duplicates"] = totals[0].as<double>();
  out.details["extra_wallets"] = totals[1].as<double>();
  out.details["max_wallets_per_user"] = std::max(totals[2].as<double>(), totals[4].as<double>() > 0 ? 1.0 : 0.0);
  out.details["saka_wallets"] = totals[3].as<double>();
  out.details["users_with_saka_wallet"] = totals[4].as<double>();
  if (out.violations == 0) {
    out.status = "held";
    out.message = "every user has at most one wallet and one SAKA wallet";
    return out;
  }
  out.status = "violated";
  out.message = std::to_string(out.violations) + " user(s) own several wallets (" +
                std::to_string(totals[1].as<std::uint64_t>()) + " extra, up to " +
                std::to_string(totals[2].as<std::uint64_t>()) + " for one user)";
  AddSamples(tx.exec(std::string(kDuplicates) + "SELECT * FROM dup ORDER BY wallets DESC, user_id LIMIT " +
                     std::to_string(kMaxSamples)),
             &out);
  return out;
}

InvariantResult FromViolationQuery(pqxx::connection_base& conn, const std::string& name,
                                   const std::string& violations_sql, const std::string& held,
                                   const std::string& violated) {
  InvariantResult out;
  out.name = name;
  pqxx::nontransaction tx(conn);
  out.violations = tx.exec1("SELECT count(*) FROM (" + violations_sql + ") v")[0].as<std::uint64_t>();
  if (out.violations == 0) {
    out.status = "held";
    out.message = held;
    return out;
  }
  out.status = "violated";
  out.message = violated;
  const auto at = out.message.find("%d");
  if (at != std::string::npos) out.message.replace(at, 2, std::to_string(out.violations));
  AddSamples(tx.exec("SELECT * FROM (" + violations_sql + ") v LIMIT " + std::to_string(kMaxSamples)), &out);
  return out;
}

InvariantResult CheckInvariant(pqxx::connection_base& conn, const std::string& name,
                               const InvariantParams& params) {
  InvariantResult r;
  r.name = name;
  r.status = "error";
  const InvariantDef* def = FindInvariant(name);
  if (!def) {
    r.message = "no check is implemented for invariant '" + name + "'";
    return r;
  }
  try {
    return def->check(conn, params);
  } catch (const std::exception& e) {
    r.message = FirstLine(e.what());
    return r;
  }
}

}  // namespace ledgerstress
