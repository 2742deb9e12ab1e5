#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANT_TABLE_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANT_TABLE_H_

#include <string>
#include <vector>

#include <pqxx/connection_base>

#include "harness/invariants/invariants.h"

namespace ledgerstress {

// One row of the invariant table: a built-in check of the harness's schema
// (fixtures/schema.sql). `list invariants` prints the rows; the scenario
// loader validates `invariants` and `violates` against their names;
// CheckInvariant runs `check`.
struct InvariantDef {
  std::string name;
  std::string summary;
  // What the check reads, for `list invariants` (every row reads the
  // harness's tables; some read more).
  std::string applies_to;
  // Throws pqxx errors; CheckInvariant turns them into status "error".
  InvariantResult (*check)(pqxx::connection_base&, const InvariantParams&) = nullptr;
};

// Every built-in invariant, in the order they are checked and listed.
const std::vector<InvariantDef>& BuiltinInvariants();

// nullptr when there is no such invariant.
const InvariantDef* FindInvariant(const std::string& name);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_INVARIANT_TABLE_H_
