#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEYS_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEYS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/case_reader.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The workloads a case key is read by: a set of bits, one per Workload
// (its value in scenario.h), so a new workload needs no bit of its own here.
constexpr unsigned BitOf(Workload w) { return 1u << static_cast<unsigned>(w); }
constexpr unsigned kRaceBit = BitOf(Workload::kRace);
constexpr unsigned kCloseBit = BitOf(Workload::kClose);
constexpr unsigned kLedgerBit = BitOf(Workload::kLedger);
constexpr unsigned kExploreBit = BitOf(Workload::kExplore);
constexpr unsigned kEveryWorkload = ~0u;
// The workloads whose row (workload_table.cpp) says they run a mix over a
// pool of workers, and those of them that run for a schedule: the keys
// every such workload reads (workers, mix, retry, ...; calls_per_worker).
unsigned MixWorkloads();
unsigned ScheduledMixWorkloads();

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
  // Read by these; given for another, it is refused ("needs workload = ...",
  // or the workload row's `instead_of_a_schedule` for a schedule key).
  unsigned workloads = kEveryWorkload;
  bool table = false;                   // holds sub-keys `name.KEY` (mix, strategy, schema, thresholds)
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

// Every case key, in reading order: the case's own (name, workload, ...),
// then each workload's own keys (its row's `keys`, in the workload table's
// order), then the keys several workloads share.
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
