// The case-key table's rows, in reading order.
#include "harness/scenario/case_keys.h"

#include "harness/scenario/case_key_readers.h"

#include <cstdlib>
#include <cstdint>
#include <sstream>

#include "harness/scenario/catalog.h"
#include "harness/scenario/duration.h"
#include "harness/scenario/suggest.h"
#include "harness/scenario/workload_table.h"
#include "settlement/money.h"

namespace ledgerstress {
namespace {

using namespace case_key_readers;
using Ctx = CaseContext;

// The workloads with the close fixture's donors and a background mix; a
// new workload that reads these keys adds its bit here.
const unsigned kNotRace = kCloseBit | kLedgerBit;

// What the case is and expects.
std::vector<CaseKeyDef> WhatRows() {
  return {
      {"name", kEveryWorkload, false, nullptr, nullptr, nullptr},  // read first, by the loader
      {"description", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->description = r.String("description", ""); }},
      {"expect", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->expect = Choice<Expectation>(r, "expect", {{"pass", Expectation::kPass}, {"violation", Expectation::kViolation}},
                                         Expectation::kPass);
       }},
      {"workload", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         std::vector<std::pair<const char*, Workload>> names;
         for (const WorkloadRow& w : WorkloadRows()) names.emplace_back(w.name, w.id);
         c->workload = Choice<Workload>(r, "workload", names, Workload::kRace);
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "workload", WorkloadName(c.workload)); }},
      {"driver", kEveryWorkload, false, ReadDriverKey,
       [](const CaseSpec& c, Settings* s) { Show(s, "driver", c.driver ? c.driver->name : "built-in"); }},
      {"workers", MixWorkloads(), false, ReadWorkers,
       [](const CaseSpec& c, Settings* s) { Show(s, "workers", std::to_string(c.workers)); }},
      {"donors", kNotRace, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->donors = static_cast<int>(r.Integer("donors", 1, 1000000, c->donors)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "donors", std::to_string(c.donors)); }},
  };
}

// How long and how hard the workers run.
std::vector<CaseKeyDef> ScheduleRows() {
  return {
      {"calls_per_worker", ScheduledMixWorkloads(), false, ReadCallsPerWorker, ShowSchedule},
      {"duration", ScheduledMixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->duration = r.Duration("duration", std::chrono::milliseconds(0)); }},
      {"arrival_rate", kNotRace, false, ReadArrivalRate,
       [](const CaseSpec& c, Settings* s) {
         if (c.arrival_rate_per_s > 0) Show(s, "arrival_rate", FormatRatePerSecond(c.arrival_rate_per_s));
       }},
      {"arrival", kNotRace, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->arrival_poisson = Choice<bool>(r, "arrival", {{"constant", false}, {"poisson", true}}, false);
       },
       [](const CaseSpec& c, Settings* s) {
         if (c.arrival_rate_per_s > 0) Show(s, "arrival", c.arrival_poisson ? "poisson" : "constant");
       }},
      {"max_start_delay", kNotRace, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->max_start_delay = r.Duration("max_start_delay", c->max_start_delay); },
       [](const CaseSpec& c, Settings* s) {
         if (c.arrival_rate_per_s > 0) Show(s, "max_start_delay", FormatDuration(c.max_start_delay));
       }},
      {"users_per_round", ScheduledMixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->race.users_per_round = static_cast<int>(r.Integer("users_per_round", 1, 1000000, 1));
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "users_per_round", std::to_string(c.race.users_per_round)); }},
      {"rounds", MixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->rounds = static_cast<int>(r.Integer("rounds", 1, 100000, 1)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "rounds", std::to_string(c.rounds)); }},
  };
}

// What the workers call and what is checked.
std::vector<CaseKeyDef> MixRows() {
  return {
      {"mix", MixWorkloads(), true, [](const CaseReader& r, const Ctx&, CaseSpec* c) { ReadMixAndStrategies(r, c); },
       [](const CaseSpec& c, Settings* s) {
         for (const auto& [op, w] : c.mix) s->emplace_back("mix." + op, Num(w));
       }},
      {"strategy", MixWorkloads(), true, nullptr,  // read with the mix
       [](const CaseSpec& c, Settings* s) {
         for (const auto& [op, st] : c.strategies) s->emplace_back("strategy." + op, st);
       },
       StrategyReadBy},
      {"schema", kEveryWorkload, true, [](const CaseReader& r, const Ctx&, CaseSpec* c) { ReadSchemaOptions(r, c); },
       [](const CaseSpec& c, Settings* s) {
         for (const auto& [opt, on] : c.schema_options) s->emplace_back("schema." + opt, on ? "true" : "false");
       }},
      {"vars", kEveryWorkload, true, [](const CaseReader& r, const Ctx&, CaseSpec* c) { ReadVars(r, c); },
       [](const CaseSpec& c, Settings* s) {
         for (const auto& [name, v] : c.vars) s->emplace_back("vars." + name, v.text);
       }},
      {"invariants", kEveryWorkload, false, ReadInvariants,
       [](const CaseSpec& c, Settings* s) { Show(s, "invariants", Join(c.invariants)); }},
      {"violates", kEveryWorkload, false, ReadViolates},
  };
}

// Session settings, limits on errors, retries.
std::vector<CaseKeyDef> SessionRows() {
  return {
      {"session", kEveryWorkload, true, [](const CaseReader& r, const Ctx&, CaseSpec* c) { ReadSessionSettings(r, c); },
       [](const CaseSpec& c, Settings* s) {
         for (const auto& [name, value] : c.session) s->emplace_back("session." + name, value);
       }},
      {"max_error_rate", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->max_error_rate = r.Number("max_error_rate", 0, 1, 0); },
       [](const CaseSpec& c, Settings* s) { Show(s, "max_error_rate", Num(c.max_error_rate)); }},
      {"max_in_doubt_rate", MixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->max_in_doubt_rate = r.Number("max_in_doubt_rate", 0, 1, 1); },
       [](const CaseSpec& c, Settings* s) { Show(s, "max_in_doubt_rate", Num(c.max_in_doubt_rate)); }},
      {"min_effective_calls", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->min_effective_calls = r.Integer("min_effective_calls", 0, 1000000000, 1);
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "min_effective_calls", std::to_string(c.min_effective_calls)); }},
      {"lock_timeout", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->lock_timeout = r.Duration("lock_timeout", c->lock_timeout); },
       [](const CaseSpec& c, Settings* s) { Show(s, "lock_timeout", FormatDuration(c.lock_timeout)); }},
      {"statement_timeout", kEveryWorkload, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->statement_timeout = r.Duration("statement_timeout", c->statement_timeout);
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "statement_timeout", FormatDuration(c.statement_timeout)); }},
      {"retry", MixWorkloads(), false, ReadRetry, [](const CaseSpec& c, Settings* s) { Show(s, "retry", settlement::RetryStrategyName(c.retry)); }},
      {"max_attempts", MixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->max_attempts = static_cast<int>(r.Integer("max_attempts", 1, 10, c->max_attempts)); },
       [](const CaseSpec& c, Settings* s) { Show(s, "max_attempts", std::to_string(c.max_attempts)); }},
      {"retry_base_delay", MixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->retry_base_delay = r.Duration("retry_base_delay", c->retry_base_delay); },
       [](const CaseSpec& c, Settings* s) { Show(s, "retry_base_delay", FormatDuration(c.retry_base_delay)); }},
      {"retry_jitter", MixWorkloads(), false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->retry_jitter = r.Bool("retry_jitter", c->retry_jitter); },
       [](const CaseSpec& c, Settings* s) { Show(s, "retry_jitter", c.retry_jitter ? "true" : "false"); }},
  };
}

// The faults (their behaviour is harness/engine/fault_table.cpp's rows), and the monitor.
std::vector<CaseKeyDef> FaultRows() {
  return {
      {"deadlock_injection", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->ledger.deadlock_injection = r.Bool("deadlock_injection", false); },
       [](const CaseSpec& c, Settings* s) { Show(s, "deadlock_injection", c.ledger.deadlock_injection ? "true" : "false"); }},
      {"deadlock_every", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->ledger.deadlock_every = r.Duration("deadlock_every", c->ledger.deadlock_every);
         if (c->ledger.deadlock_every.count() < 10) Fail(r.Find("deadlock_every")->where, "'deadlock_every' must be at least 10ms");
       },
       [](const CaseSpec& c, Settings* s) {
         if (c.ledger.deadlock_injection) Show(s, "deadlock_every", FormatDuration(c.ledger.deadlock_every));
       }},
      {"backend_kill_every", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->ledger.backend_kill_every = r.Duration("backend_kill_every", c->ledger.backend_kill_every);
         if (c->ledger.backend_kill_every.count() > 0 && c->ledger.backend_kill_every.count() < 10) {
           Fail(r.Find("backend_kill_every")->where, "'backend_kill_every' must be 0 (off) or at least 10ms");
         }
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "backend_kill_every", FormatDuration(c.ledger.backend_kill_every)); }},
      {"duplicate_rate", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) { c->ledger.duplicate_rate = r.Number("duplicate_rate", 0, 1, 0); },
       [](const CaseSpec& c, Settings* s) {
         if (c.ledger.duplicate_rate > 0) Show(s, "duplicate_rate", Num(c.ledger.duplicate_rate));
       }},
      {"lost_reply_every", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->ledger.lost_reply_every = r.Duration("lost_reply_every", c->ledger.lost_reply_every);
         if (c->ledger.lost_reply_every.count() > 0 && c->ledger.lost_reply_every.count() < 10) {
           Fail(r.Find("lost_reply_every")->where, "'lost_reply_every' must be 0 (off) or at least 10ms");
         }
       },
       [](const CaseSpec& c, Settings* s) {
         if (c.ledger.lost_reply_every.count() > 0) Show(s, "lost_reply_every", FormatDuration(c.ledger.lost_reply_every));
       }},
      // Read after the faults it cannot combine with: the rule lives here, once.
      {"server_crash_every", kLedgerBit, false,
       [](const CaseReader& r, const Ctx&, CaseSpec* c) {
         c->ledger.server_crash_every = r.Duration("server_crash_every", c->ledger.server_crash_every);
         if (const Field* f = r.Find("server_crash_every")) c->ledger.server_crash_where = f->where;
         if (c->ledger.server_crash_every.count() == 0) return;
         if (c->ledger.server_crash_every.count() < 1000) {  // recovery and the reconnects take a good part of a second
           Fail(c->ledger.server_crash_where, "'server_crash_every' must be 0 (off) or at least 1s");
         }
         if (c->ledger.deadlock_injection || c->ledger.backend_kill_every.count() > 0) {
           // Their connections do not survive a crash; one fault at a time keeps the verdict readable.
           Fail(c->ledger.server_crash_where,
                "'server_crash_every' cannot be combined with deadlock_injection or backend_kill_every");
         }
       },
       [](const CaseSpec& c, Settings* s) { Show(s, "server_crash_every", FormatDuration(c.ledger.server_crash_every)); }},
      {"monitor_interval", kNotRace, false, ReadMonitorInterval,
       [](const CaseSpec& c, Settings* s) { Show(s, "monitor_interval", FormatDuration(c.monitor_interval)); }},
  };
}

// Limits on the figures, and the seed.
std::vector<CaseKeyDef> LastRows() {
  return {
      {"thresholds", MixWorkloads(), true, [](const CaseReader& r, const Ctx&, CaseSpec* c) { ReadThresholds(r, c); }},
      {"seed", kEveryWorkload, false, ReadSeed,
       [](const CaseSpec& c, Settings* s) { Show(s, "seed", std::to_string(c.seed)); }},
  };
}

// A workload's own keys are read by it alone, whatever its rows say.
void AddOwnKeys(std::vector<CaseKeyDef>* rows) {
  for (const WorkloadRow& w : WorkloadRows()) {
    if (!w.keys) continue;
    for (CaseKeyDef& row : w.keys()) {
      row.workloads = BitOf(w.id);
      rows->push_back(std::move(row));
    }
  }
}

std::vector<CaseKeyDef> Rows() {
  std::vector<CaseKeyDef> rows = WhatRows();
  AddOwnKeys(&rows);
  for (auto group : {ScheduleRows, MixRows, SessionRows, FaultRows, LastRows}) {
    for (CaseKeyDef& row : group()) rows.push_back(std::move(row));
  }
  return rows;
}

unsigned WorkloadsWhere(bool (*has)(const WorkloadRow&)) {
  unsigned bits = 0;
  for (const WorkloadRow& w : WorkloadRows()) {
    if (has(w)) bits |= BitOf(w.id);
  }
  return bits;
}

}  // namespace

unsigned MixWorkloads() {
  return WorkloadsWhere([](const WorkloadRow& w) { return w.runs_a_mix; });
}

unsigned ScheduledMixWorkloads() {
  return WorkloadsWhere([](const WorkloadRow& w) { return w.runs_a_mix && w.runs_for_a_schedule; });
}

const std::vector<CaseKeyDef>& CaseKeys() {
  static const std::vector<CaseKeyDef> rows = Rows();
  return rows;
}

const CaseKeyDef* FindCaseKey(const std::string& key) {
  const std::string head = key.substr(0, key.find('.'));
  for (const CaseKeyDef& d : CaseKeys()) {
    if (d.name == head) return &d;
  }
  return nullptr;
}

const KeySet& CaseKeyNames() {
  static const KeySet names = [] {
    KeySet k;
    for (const CaseKeyDef& d : CaseKeys()) {
      k.keys.push_back(d.name);
      if (d.table) k.tables.push_back(d.name);
    }
    return k;
  }();
  return names;
}

const std::vector<std::pair<std::string, std::string>>& ExclusiveCaseKeys() {
  static const std::vector<std::pair<std::string, std::string>> pairs = {{"calls_per_worker", "duration"}};
  return pairs;
}

}  // namespace ledgerstress
