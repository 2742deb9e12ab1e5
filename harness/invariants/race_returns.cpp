// The race's returned values: every call for one user got the same wallet,
// and that wallet is the user's. A get-or-create that hands a loser of the
// race some other id (0, its own discarded row, another user's) breaks the
// caller although the table is right.
#include <map>
#include <set>

#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"

namespace ledgerstress {
namespace {

std::string ArrayOf(const std::vector<std::int64_t>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "}";
}

}  // namespace

std::optional<CheckResult> CheckRaceReturns(pqxx::connection_base& conn, const ClientHistory& history) {
  if (history.returns().empty()) return std::nullopt;
  std::map<std::int64_t, std::set<std::int64_t>> ids_by_user;
  for (const auto& [user, id] : history.returns()) ids_by_user[user].insert(id);
  std::vector<std::int64_t> users, ids;
  std::string disagree;
  int disagreeing = 0;
  for (const auto& [user, set] : ids_by_user) {
    for (std::int64_t id : set) {
      users.push_back(user);
      ids.push_back(id);
    }
    if (set.size() < 2) continue;
    if (++disagreeing <= 3) disagree += "; user " + std::to_string(user) + " got " + std::to_string(set.size()) + " ids";
  }
  pqxx::nontransaction tx(conn);
  const pqxx::row r = tx.exec_params1(
      "SELECT count(*), coalesce(string_agg('user ' || u || ' got ' || id, '; ' ORDER BY u, id)"
      "  FILTER (WHERE rn <= 3), '') FROM (SELECT u, id, row_number() OVER (ORDER BY u, id) AS rn"
      "  FROM unnest($1::bigint[], $2::bigint[]) AS x(u, id)"
      " WHERE NOT EXISTS (SELECT 1 FROM saka_wallet w WHERE w.id = x.id AND w.user_id = x.u)) bad",
      ArrayOf(users), ArrayOf(ids));
  const auto foreign = r[0].as<std::int64_t>();
  CheckResult c;
  c.name = "race_returns";
  c.passed = disagreeing == 0 && foreign == 0;
  c.message = std::to_string(history.returns().size()) + " call(s) returned a wallet for " +
              std::to_string(ids_by_user.size()) + " user(s): " + std::to_string(disagreeing) +
              " user(s) given different ids, " + std::to_string(foreign) + " id(s) that are not the user's SAKA wallet" +
              disagree + (foreign ? "; " + r[1].as<std::string>() : "");
  return c;
}

}  // namespace ledgerstress
