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
  // Which pocket credits belong to which DEPOSIT: those written by the same
  // transaction (xmin) when there are any; otherwise (rows written inside a
  // savepoint carry the savepoint's own xid) the wallet's pocket credits
  // after the deposit and before its next one -- an allocation holds the
  // wallet's lock, so nothing of another call comes in between.
  // Then largest remainder in SQL: each part rounded down, then the cents
  // left go one each to the largest remainders, the earlier pocket first.
  const std::string w = WeightsArray();
  const std::string total = "(SELECT sum(x)::bigint FROM unnest(" + w + ") x)";
  return FromViolationQuery(
      conn, "allocation_split_exact",
      "WITH parts AS ("
      "  SELECT id, xmin::text AS tx, wallet_id, pocket_id, amount FROM wallet_transaction"
      "   WHERE kind = 'ALLOCATION' AND pocket_id IS NOT NULL),"
      " deps AS ("
      "  SELECT id, xmin::text AS tx, wallet_id, amount, lead(id) OVER (PARTITION BY wallet_id ORDER BY id) AS next_id"
      "    FROM wallet_transaction WHERE kind = 'DEPOSIT'),"
      " own AS (SELECT d.id AS dep, p.id, p.pocket_id, p.amount FROM deps d"
      "          JOIN parts p ON p.tx = d.tx AND p.wallet_id = d.wallet_id),"
      " ranged AS (SELECT d.id AS dep, p.id, p.pocket_id, p.amount FROM deps d"
      "          JOIN parts p ON p.wallet_id = d.wallet_id AND p.id > d.id"
      "           AND p.id < coalesce(d.next_id, 9223372036854775807)"
      "         WHERE NOT EXISTS (SELECT 1 FROM own o WHERE o.dep = d.id)"
      "           AND NOT EXISTS (SELECT 1 FROM own o WHERE o.id = p.id)),"
      " got AS (SELECT dep, pocket_id, sum(amount) AS amount FROM (SELECT * FROM own UNION ALL SELECT * FROM ranged) a"
      "          GROUP BY dep, pocket_id),"
      " alloc AS (SELECT d.id AS dep, d.wallet_id, (d.amount * 100)::bigint AS cents FROM deps d"
      "           WHERE EXISTS (SELECT 1 FROM got g WHERE g.dep = d.id)),"
      " pockets AS ("
      "  SELECT a.*, wp.id AS pocket_id, row_number() OVER (PARTITION BY a.dep ORDER BY wp.id) AS i"
      "    FROM alloc a JOIN wallet_pocket wp ON wp.wallet_id = a.wallet_id),"
      " floors AS ("
      "  SELECT *, (cents * (" + w + ")[i]) / " + total + " AS base, (cents * (" + w + ")[i]) % " + total + " AS rem"
      "    FROM pockets),"
      " expected AS ("
      "  SELECT dep, wallet_id, pocket_id, base + CASE WHEN row_number() OVER (PARTITION BY dep ORDER BY rem DESC, i)"
      "         <= cents - sum(base) OVER (PARTITION BY dep) THEN 1 ELSE 0 END AS cents FROM floors)"
      " SELECT e.wallet_id, e.pocket_id, e.cents / 100.0 AS expected, g.amount AS credited"
      "   FROM expected e LEFT JOIN got g ON g.dep = e.dep AND g.pocket_id = e.pocket_id"
      "  WHERE g.amount IS DISTINCT FROM e.cents / 100.0 ORDER BY e.wallet_id, e.pocket_id",
      "every allocation credited each pocket exactly its largest-remainder part",
      "%d pocket credit(s) of an allocation differ from the largest-remainder split of its weights");
}

}  // namespace ledgerstress
