#include "harness/scenario/workload_table.h"

#include "harness/scenario/case_key_readers.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

using namespace case_key_readers;

// The close workload's own keys: its fixture and constants.
std::vector<CaseKeyDef> CloseKeyRows() {
  return {
      {"escrows", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->close.escrows = static_cast<int>(r.Integer("escrows", 1, 1000000, c->close.escrows)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "escrows", std::to_string(c.close.escrows)); }},
      {"projects", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->close.projects = static_cast<int>(r.Integer("projects", 1, 100, c->close.projects)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "projects", std::to_string(c.close.projects)); }},
      {"closers_per_project", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->close.closers_per_project = static_cast<int>(r.Integer("closers_per_project", 1, 16, c->close.closers_per_project));
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "closers_per_project", std::to_string(c.close.closers_per_project)); }},
      {"release_batch_size", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->close.release_batch_size = static_cast<int>(r.Integer("release_batch_size", 1, 1000000, c->close.release_batch_size));
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "release_batch_size", std::to_string(c.close.release_batch_size)); },
       [](const CaseSpec& c, const std::string&) { return CloserReads(c, "keyset", "batched"); }},
      {"max_escrows_per_close", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->close.max_escrows_per_close =
             static_cast<int>(r.Integer("max_escrows_per_close", 1, 100000000, c->close.max_escrows_per_close));
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "max_escrows_per_close", std::to_string(c.close.max_escrows_per_close)); },
       [](const CaseSpec& c, const std::string&) { return CloserReads(c, "batched", "batched"); }},
      {"pledges_into_closing", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->close.pledges_into_closing = r.Number("pledges_into_closing", 0, 1, 0); },
       [](const CaseSpec& c, Settings* s) {
         if (c.close.pledges_into_closing > 0) Show(s, "pledges_into_closing", Num(c.close.pledges_into_closing));
       }},
      {"commission_rate", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->commission_rate_ppm = r.RatePpm("commission_rate", c->commission_rate_ppm); },
       [](const CaseSpec& c, Settings* s) { Show(s, "commission_rate", settlement::FormatRate(c.commission_rate_ppm)); }},
      {"fee_rate", 0, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->fee_rate_ppm = r.RatePpm("fee_rate", c->fee_rate_ppm); },
       [](const CaseSpec& c, Settings* s) { Show(s, "fee_rate", settlement::FormatRate(c.fee_rate_ppm)); }},
  };
}

}  // namespace

const std::vector<WorkloadRow>& WorkloadRows() {
  static const std::vector<WorkloadRow> rows = {
      {Workload::kRace, "race", true, nullptr, true, nullptr},
      {Workload::kClose, "close", false, "background workers run until every close has returned", true, CloseKeyRows},
      {Workload::kLedger, "ledger", true, nullptr, true, nullptr},
      {Workload::kExplore, "explore", false, "it runs orders of its sessions' statements instead (max_schedules, schedules)",
       false, ExploreKeyRows},
  };
  return rows;
}

const WorkloadRow& RowOf(Workload w) {
  for (const WorkloadRow& row : WorkloadRows()) {
    if (row.id == w) return row;
  }
  return WorkloadRows().front();  // unreachable: every Workload has a row (workload_table_test)
}

std::string WorkloadsText(unsigned bits) {
  std::string out;
  for (const WorkloadRow& row : WorkloadRows()) {
    if (bits & BitOf(row.id)) out += (out.empty() ? "\"" : " or \"") + std::string(row.name) + "\"";
  }
  return out;
}

}  // namespace ledgerstress
