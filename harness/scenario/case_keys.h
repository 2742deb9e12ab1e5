#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEYS_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEYS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/case_reader.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The workloads a case key is read by (a bit set).
enum WorkloadBits : unsigned {
  kRaceBit = 1u << 0,
  kCloseBit = 1u << 1,
  kLedgerBit = 1u << 2,
  kExploreBit = 1u << 3,
  // The workloads that run a mix over a pool of workers (not the explorer).
  kMixWorkloads = kRaceBit | kCloseBit | kLedgerBit,
  kEveryWorkload = kMixWorkloads | kExploreBit,
};
unsigned BitOf(Workload w);

// What a key's reader may need beyond the case's own fields.
struct CaseContext {
  std::size_t index = 0;                              // the case's position in the file
  std::uint64_t scenario_seed = 0;                    // derives the case's default seed
  const std::vector<SqlInvariant>* sql = nullptr;     // the scenario's [[sql_invariant]] tables
  const std::map<std::string, std::shared_ptr<const DriverSpec>>* drivers = nullptr;  // [drivers.<name>]
  std::shared_ptr<const OperationTable> operations;   // built-in + [[operation]]
  std::shared_ptr<const UserSchema> user_schema;      // [schema], or null
};

// The resolved settings of a case, as the report lists them.
using Settings = std::vector<std::pair<std::string, std::string>>;

// One row of the case-key table: everything the harness knows about one
// key of a [[case]] (or [defaults], --set, --vary). The loader reads the
// keys in table order (so a row may rely on the rows above it: `workload`
// comes first), the report's resolved settings list them in the same
// order, and the sweep asks the table which cases read a key it varies.
// docs/scenario-format.md documents each key for users.
struct CaseKeyDef {
  std::string name;
  unsigned workloads = kEveryWorkload;  // read by these; given for another, it is refused
  bool table = false;                   // holds sub-keys `name.KEY` (mix, strategy, schema, thresholds)
  // Why the key is refused for another workload; "" gives "'KEY' needs workload = ...".
  std::string refused_because;
  // Reads the key into *c, or its default when absent; throws ScenarioError
  // for a bad value (wrong type, out of range, unknown name).
  void (*read)(const CaseReader&, const CaseContext&, CaseSpec*) = nullptr;
  // Appends the resolved value(s) for the report; nullptr: not listed.
  void (*show)(const CaseSpec&, Settings*) = nullptr;
  // Whether changing the key (or one of its sub-keys, `key` as written) can
  // change what `spec` does, beyond being read by its workload
  // (release_batch_size: only the keyset and batched closes). nullptr: every
  // case of its workloads reads it.
  bool (*read_by)(const CaseSpec& spec, const std::string& key) = nullptr;
};

// Every case key, in reading order.
const std::vector<CaseKeyDef>& CaseKeys();
// nullptr when there is no such key (for "table.sub", the table's row).
const CaseKeyDef* FindCaseKey(const std::string& key);
// The names, for the parse layer.
const KeySet& CaseKeyNames();
// Pairs of keys of which a case has exactly one; a later layer's choice
// replaces an earlier layer's other key.
const std::vector<std::pair<std::string, std::string>>& ExclusiveCaseKeys();

// Reads the table keys (case_tables.cpp).
void ReadMixAndStrategies(const CaseReader& r, CaseSpec* c);
void ReadSchemaOptions(const CaseReader& r, CaseSpec* c);
void ReadThresholds(const CaseReader& r, CaseSpec* c);
void ReadSessionSettings(const CaseReader& r, CaseSpec* c);
void ReadVars(const CaseReader& r, CaseSpec* c);
// The built-in invariants that read only what every schema has (the client
// history): the ones a case on the scenario's own schema may check.
const std::vector<std::string>& SchemaFreeInvariants();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEYS_H_
