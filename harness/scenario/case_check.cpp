#include "harness/scenario/case_check.h"

#include "harness/scenario/case_keys.h"
#include "harness/scenario/workload_table.h"

namespace ledgerstress {
namespace {

// Where the first field of `row` (or of its sub-keys) is, or nullptr.
const Field* Given(const CaseReader& r, const CaseKeyDef& row) {
  if (!row.table) return r.Find(row.name);
  const auto sub = r.Sub(row.name);
  return sub.empty() ? nullptr : sub.front().second;
}

bool IsOverride(const Field& f) { return f.where.rfind("--", 0) == 0; }

// "driver 'x' has concurrency = 4 (s.toml:5:15)": for the refusals below.
std::string SharedProcess(const DriverSpec& d) {
  return "driver '" + d.name + "' has concurrency = " + std::to_string(d.concurrency) + " (" + d.concurrency_where + ")";
}

// A driver process with several calls in flight serves several workers
// from one application_name: what needs a session per worker is refused.
void CheckDriverConcurrency(const CaseReader& r, const CaseSpec& c) {
  if (!c.driver || c.driver->concurrency == 1) return;
  if (c.ledger.deadlock_injection) {
    Fail(r.Find("deadlock_injection")->where,
         "deadlock_injection cannot run through a process shared by several workers: " + SharedProcess(*c.driver) +
             ", and the injector tells whose call a blocked session runs by its application_name, one per worker "
             "(set concurrency = 1, or a second [drivers.*] table without it, for this case)");
  }
  if (c.workload == Workload::kClose) {
    const Field* f = r.Find("workload");
    Fail(f ? f->where : r.Find("driver")->where,
         "the close workload runs one driver process per closer and per background worker: " +
             SharedProcess(*c.driver) + " (concurrency is for the race and ledger workloads)");
  }
}

}  // namespace

// What the explorer cannot step through: a driver's code, a fixture that
// only a program of the team's makes (reset before every schedule).
void CheckExplore(const CaseReader& r, const CaseSpec& c) {
  if (c.workload != Workload::kExplore) return;
  if (c.driver) {
    Fail(r.Find("driver")->where,
         "workload = \"explore\" runs [[operation]] statements one by one in an order it chooses; a driver's "
         "code runs its transactions whole, out of the explorer's reach (remove driver = ..., or use workload = "
         "\"race\" or \"ledger\" for the driver)");
  }
  if (c.user_schema && c.user_schema->fixture_command.given()) {
    Fail(c.user_schema->fixture_command.where,
         "case '" + c.name + "': workload = \"explore\" resets the fixture before every schedule, and a "
         "fixture_command is a program run once per case: give the fixture as SQL (fixture or fixture_file)");
  }
}

void CheckOverridesApply(const Fields& overrides, const std::vector<CaseSpec>& cases) {
  for (const auto& [key, f] : overrides) {
    const std::string name = key.substr(0, key.find('.'));
    for (const CaseKeyDef& row : CaseKeys()) {
      if (row.name != name) continue;
      bool read = false;
      for (const CaseSpec& c : cases) read = read || (row.workloads & BitOf(c.workload)) != 0;
      if (!read) {
        Fail(f.where, "no case of this scenario reads '" + row.name + "': it needs workload = " +
                          WorkloadsText(row.workloads));
      }
    }
  }
}

namespace {

// Why `row` is refused for a case of workload `w`.
std::string WhyRefused(const CaseKeyDef& row, Workload w) {
  const WorkloadRow& own = RowOf(w);
  if (row.workloads == ScheduledMixWorkloads() && own.instead_of_a_schedule) {
    return std::string("does not apply to workload = \"") + own.name + "\": " + own.instead_of_a_schedule;
  }
  return "needs workload = " + WorkloadsText(row.workloads);
}

}  // namespace

void CheckKeysApply(const CaseReader& r, const CaseSpec& c) {
  for (const CaseKeyDef& row : CaseKeys()) {
    if (row.workloads & BitOf(c.workload)) continue;
    const Field* f = Given(r, row);
    // --set and --vary apply to the cases that read the key (CheckOverridesApply).
    if (!f || IsOverride(*f)) continue;
    Fail(f->where, "'" + row.name + "' " + WhyRefused(row, c.workload));
  }
}

void CheckCase(const CaseReader& r, const std::string& case_where, const CaseSpec& c) {
  if (RowOf(c.workload).runs_for_a_schedule && c.calls_per_worker == 0 && c.duration.count() == 0) {
    if (r.Find("duration")) Fail(r.Find("duration")->where, "'duration' must be more than 0");
    Fail(case_where, "case '" + c.name + "' needs 'calls_per_worker' or 'duration'");
  }
  if (!c.violates.empty() && c.expect != Expectation::kViolation) {
    Fail(r.Find("violates")->where, "'violates' needs expect = \"violation\"");
  }
  if (c.commission_rate_ppm + c.fee_rate_ppm > 1000000) {
    Fail(r.Find("fee_rate") ? r.Find("fee_rate")->where : case_where, "commission_rate + fee_rate must not exceed 1");
  }
  if (c.arrival_rate_per_s > 0 && c.calls_per_worker > 0) {
    Fail(r.Find("arrival_rate")->where, "'arrival_rate' needs 'duration', not 'calls_per_worker': the rate sets how "
                                        "many calls arrive");
  }
  for (const char* k : {"arrival", "max_start_delay"}) {
    if (c.arrival_rate_per_s == 0 && r.Find(k)) Fail(r.Find(k)->where, std::string("'") + k + "' needs 'arrival_rate'");
  }
  if (c.arrival_rate_per_s > 0 && c.workload == Workload::kClose && c.workers == 0) {
    Fail(r.Find("arrival_rate")->where, "'arrival_rate' paces the background workers: set 'workers'");
  }
  const auto saka = c.strategies.find("saka_get_or_create_wallet");
  if (!c.driver && c.mix.count("saka_get_or_create_wallet") && saka->second == "insert_on_conflict" &&
      !c.schema_options.at("saka_unique_user")) {
    const Field* s = r.Find("strategy.saka_get_or_create_wallet");
    Fail(s ? s->where : r.Find("schema.saka_unique_user")->where,
         "strategy 'insert_on_conflict' needs schema.saka_unique_user = true "
         "(ON CONFLICT (user_id) names the unique constraint)");
  }
  if (c.ledger.deadlock_injection && !c.mix.count("pledge_funds")) {
    Fail(r.Find("deadlock_injection")->where, "deadlock_injection injects into pledge_funds: add it to the mix");
  }
  CheckDriverConcurrency(r, c);
}

}  // namespace ledgerstress
