#ifndef LEDGERSTRESS_HARNESS_ENGINE_FAULT_TABLE_H_
#define LEDGERSTRESS_HARNESS_ENGINE_FAULT_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/engine/monitor.h"
#include "harness/faults/fault.h"
#include "harness/pg/target.h"
#include "harness/scenario/scenario.h"
#include "model/run_result.h"

namespace ledgerstress {

// What a fault may need of its case, when a row makes it.
struct FaultEnv {
  const CaseSpec& spec;
  const Target& target;            // the server, direct
  const std::string& schema;       // the case's
  const std::string& app_prefix;   // "ledgerstress/<run-id>/<case>": the workers' sessions start with it
  std::int64_t pledge_project;     // the project pledges go to (the deadlock injector's row B)
  bool workers_set_timeout;        // see DeadlockInjector
  Monitor* monitor;                // the case's, or nullptr
};

// One fault a case can inject: the one place that says when it is on, how
// it is made, and what "could not inject" means for the verdict. The case
// key itself is read and checked with the other keys (harness/scenario/
// case_keys.cpp, case_check.cpp); its figures are FaultReport's fields.
struct FaultRow {
  const char* key;  // the case key that turns it on
  bool (*asked)(const CaseSpec&);
  // Throws InfrastructureError when it cannot even be set up (a proxy that
  // cannot listen): the case is an error.
  std::unique_ptr<Fault> (*make)(const FaultEnv&);
  // Why the case cannot be judged although it ran ("" when the fault did
  // what the case asked for): the case becomes an error, never a pass.
  std::string (*cannot_run)(const CaseSpec&, const CaseResult&);
  // Its figures' values when it is off (-1: "no such fault"), set in a case
  // that asked for another fault, so that the report's faults object has
  // every fault's figures whenever it has one.
  std::vector<FaultFigure> off;
};

// Every fault, in the order they are started (and stopped in reverse), and
// their figures and cannot-run messages read.
const std::vector<FaultRow>& FaultTable();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_FAULT_TABLE_H_
