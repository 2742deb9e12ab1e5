#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_CHECK_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_CHECK_H_

#include <string>

#include "harness/scenario/case_reader.h"
#include "harness/scenario/scenario.h"

namespace ledgerstress {

// The check layer of the scenario loader (after every key was read and
// range-checked on its own): the keys given for a workload that does not
// read them, and the rules between keys (a schedule for the race, violates
// with expect = "violation", what deadlock injection and the backend
// killer need, ...). Throws ScenarioError naming the offending key's
// position, or the case's when no key is to blame.
void CheckKeysApply(const CaseReader& r, const CaseSpec& c);

// A --set or --vary applies to the cases whose workload reads its key;
// one that no case reads is refused at its own "where".
void CheckOverridesApply(const Fields& overrides, const std::vector<CaseSpec>& cases);
void CheckCase(const CaseReader& r, const std::string& case_where, const CaseSpec& c);
// What the explorer cannot step through: a driver case, a fixture_command.
void CheckExplore(const CaseReader& r, const CaseSpec& c);
// The rules of the scenario's own SQL (sql_case_check.cpp): the variables
// the fixture and the generators read are set and every one set is read;
// the mix and the faults fit the schema (the built-in operations, the
// close workload, deadlock injection and fixture generators need the
// built-in schema); a driver case runs no SQL operation.
void CheckSqlCase(const CaseReader& r, const std::string& case_where, const CaseSpec& c);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CASE_CHECK_H_
