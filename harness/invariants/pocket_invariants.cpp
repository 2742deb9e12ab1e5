// allocation_split_exact: the split of each allocation, recomputed.
#include <pqxx/pqxx>

#include "harness/invariants/invariants.h"
#include "harness/operations/call.h"

namespace ledgerstress {
namespace {

std::string WeightsArray() {
  std::string a = "ARRAY[";
  for (std::size_t i = 0; i < kAllocationWeights.size(); ++i) a += (i ? "," : "") + std::to_string(kAllocationWeights[i]);
  return a + "]::bigint[]";
}

}  // namespace

InvariantResult CheckAllocationSplitExact(pqxx::connection_base& conn) {
  // Largest remainder in SQL: each part rounded down, then the cents left
  // go one each to the largest remainders, the earlier pocket first on a tie.
  const std::string w = WeightsArray();
  return FromViolationQuery(
      conn, "allocation_split_exact",
      "WITH parts AS ("
      "  SELECT xmin::text AS tx, wallet_id, pocket_id, sum(amount) AS amount FROM wallet_transaction"
      "   WHERE kind = 'ALLOCATION' AND pocket_id IS NOT NULL GROUP BY 1, 2, 3),"
      " alloc AS ("
      "  SELECT d.xmin::text AS tx, d.wallet_id, (d.amount * 100)::bigint AS cents FROM wallet_transaction d"
      "   WHERE d.kind = 'DEPOSIT' AND EXISTS (SELECT 1 FROM parts p WHERE p.tx = d.xmin::text AND p.wallet_id = d.wallet_id)),"
      " pockets AS ("
      "  SELECT a.*, wp.id AS pocket_id, row_number() OVER (PARTITION BY a.tx, a.wallet_id ORDER BY wp.id) AS i"
      "    FROM alloc a JOIN wallet_pocket wp ON wp.wallet_id = a.wallet_id),"
      " floors AS ("
      "  SELECT *, (cents * (" + w + ")[i]) / (SELECT sum(x)::bigint FROM unnest(" + w + ") x) AS base,"
      "         (cents * (" + w + ")[i]) % (SELECT sum(x)::bigint FROM unnest(" + w + ") x) AS rem FROM pockets),"
      " expected AS ("
      "  SELECT tx, wallet_id, pocket_id, base + CASE WHEN row_number() OVER (PARTITION BY tx, wallet_id ORDER BY rem DESC, i)"
      "         <= cents - sum(base) OVER (PARTITION BY tx, wallet_id) THEN 1 ELSE 0 END AS cents FROM floors)"
      " SELECT e.wallet_id, e.pocket_id, e.cents / 100.0 AS expected, p.amount AS credited"
      "   FROM expected e LEFT JOIN parts p ON p.tx = e.tx AND p.wallet_id = e.wallet_id AND p.pocket_id = e.pocket_id"
      "  WHERE p.amount IS DISTINCT FROM e.cents / 100.0 ORDER BY e.wallet_id, e.pocket_id",
      "every allocation credited each pocket exactly its largest-remainder part",
      "%d pocket credit(s) of an allocation differ from the largest-remainder split of its weights");
}

}  // namespace ledgerstress
