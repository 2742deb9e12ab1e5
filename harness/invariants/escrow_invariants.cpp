// Invariants about escrows and their release.
#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"
#include "settlement/money.h"

namespace ledgerstress {

InvariantResult CheckNoStrandedEscrow(pqxx::connection_base& conn) {
  InvariantResult r = FromViolationQuery(
      conn, "no_stranded_escrow",
      "SELECT p.id AS project_id, e.id AS escrow_id, e.amount, e.donor_wallet_id"
      "  FROM project p JOIN escrow_contract e ON e.project_id = p.id"
      " WHERE p.status = 'SUCCESS' AND e.status = 'LOCKED' ORDER BY p.id, e.id",
      "no SUCCESS project has a LOCKED escrow",
      "%d escrow(s) still LOCKED on SUCCESS projects (stranded funds)");
  pqxx::nontransaction tx(conn);
  const pqxx::row t = tx.exec1(
      "SELECT count(DISTINCT p.id), coalesce(sum(e.amount), 0)"
      "  FROM project p JOIN escrow_contract e ON e.project_id = p.id"
      " WHERE p.status = 'SUCCESS' AND e.status = 'LOCKED'");
  r.details["projects_with_stranded"] = t[0].as<double>();
  r.details["stranded_amount"] = t[1].as<double>();
  return r;
}

InvariantResult CheckReleaseSplitExact(pqxx::connection_base& conn, const InvariantParams& p) {
  // Per RELEASED escrow: exactly one credit of each kind, commission and fee
  // rounded half-up from the amount, and the three summing to the amount.
  // round(numeric, 2) rounds half away from zero: half-up for positives.
  const std::string cr = settlement::FormatRate(p.commission_rate_ppm);
  const std::string fr = settlement::FormatRate(p.fee_rate_ppm);
  InvariantResult r = FromViolationQuery(
      conn, "release_split_exact",
      "SELECT e.id AS escrow_id, e.amount,"
      "       count(*) FILTER (WHERE t.kind = 'RELEASE') AS releases,"
      "       count(*) FILTER (WHERE t.kind = 'COMMISSION') AS commissions,"
      "       count(*) FILTER (WHERE t.kind = 'FEE') AS fees,"
      "       coalesce(sum(t.amount) FILTER (WHERE t.kind = 'COMMISSION'), 0) AS commission,"
      "       coalesce(sum(t.amount) FILTER (WHERE t.kind = 'FEE'), 0) AS fee,"
      "       coalesce(sum(t.amount), 0) AS credited"
      "  FROM escrow_contract e"
      "  LEFT JOIN wallet_transaction t ON t.escrow_id = e.id AND t.kind IN ('RELEASE', 'COMMISSION', 'FEE')"
      " WHERE e.status = 'RELEASED'"
      " GROUP BY e.id, e.amount"
      " HAVING count(*) FILTER (WHERE t.kind = 'RELEASE') <> 1"
      "     OR count(*) FILTER (WHERE t.kind = 'COMMISSION') <> 1"
      "     OR count(*) FILTER (WHERE t.kind = 'FEE') <> 1"
      "     OR coalesce(sum(t.amount), 0) <> e.amount"
      "     OR coalesce(sum(t.amount) FILTER (WHERE t.kind = 'COMMISSION'), 0) <> round(e.amount * " + cr + ", 2)"
      "     OR coalesce(sum(t.amount) FILTER (WHERE t.kind = 'FEE'), 0) <> round(e.amount * " + fr + ", 2)"
      " ORDER BY e.id",
      "every released escrow was split exactly once, rounded half-up, summing to its amount",
      "%d released escrow(s) credited wrongly (missing, doubled or mis-rounded)");
  pqxx::nontransaction tx(conn);
  r.details["released_escrows"] =
      tx.exec1("SELECT count(*) FROM escrow_contract WHERE status = 'RELEASED'")[0].as<double>();
  // Credits for escrows that are not RELEASED at all (released twice and
  // rolled back halfway would show here too).
  r.details["credits_on_unreleased_escrows"] = tx.exec1(
      "SELECT count(*) FROM wallet_transaction t JOIN escrow_contract e ON e.id = t.escrow_id"
      " WHERE t.kind IN ('RELEASE', 'COMMISSION', 'FEE') AND e.status <> 'RELEASED'")[0].as<double>();
  if (r.details["credits_on_unreleased_escrows"] > 0 && r.status == "held") {
    r.status = "violated";
    r.violations = static_cast<std::uint64_t>(r.details["credits_on_unreleased_escrows"]);
    r.message = std::to_string(r.violations) + " release credit(s) on escrows that are not RELEASED";
  }
  return r;
}

}  // namespace ledgerstress
