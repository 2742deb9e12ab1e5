#ifndef LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEY_READERS_H_
#define LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEY_READERS_H_

// The readers, showers and conditions of the case-key table's rows
// (case_keys.cpp) that are more than one line. Internal to the scenario
// loader: called while a scenario is read, on the loading thread; they
// report a bad value with Fail() at the key's position.

#include <string>
#include <utility>
#include <vector>

#include "harness/scenario/case_keys.h"

namespace ledgerstress::case_key_readers {

using Ctx = CaseContext;

// One of `names`, or a message naming them all.
template <typename E>
E Choice(const CaseReader& r, const char* key, const std::vector<std::pair<const char*, E>>& names, E fallback) {
  const std::string v = r.String(key, names.front().first);
  std::vector<std::string> known;
  for (const auto& [n, e] : names) {
    if (v == n) return e;
    known.push_back(std::string("\"") + n + "\"");
  }
  std::string list;
  for (std::size_t i = 0; i < known.size(); ++i) list += (i ? (i + 1 == known.size() ? " or " : ", ") : "") + known[i];
  Fail(r.Find(key)->where, std::string("'") + key + "' must be " + list + ", got \"" + v + "\"");
  return fallback;
}

// How a setting is shown in reports: a number as written, a list joined with ','.
std::string Num(double v);
std::string Join(const std::vector<std::string>& v);
void Show(Settings* s, const char* key, std::string value);

// Readers (a key's value into the case, or Fail at its position) and showers.
void ReadWorkers(const CaseReader& r, const Ctx&, CaseSpec* c);
void ReadCallsPerWorker(const CaseReader& r, const Ctx&, CaseSpec* c);
void ShowSchedule(const CaseSpec& c, Settings* s);
void ReadInvariants(const CaseReader& r, const Ctx&, CaseSpec* c);
void ReadViolates(const CaseReader& r, const Ctx& ctx, CaseSpec* c);
void ReadRetry(const CaseReader& r, const Ctx&, CaseSpec* c);
void ReadMonitorInterval(const CaseReader& r, const Ctx&, CaseSpec* c);
void ReadDriverKey(const CaseReader& r, const Ctx& ctx, CaseSpec* c);
void ReadArrivalRate(const CaseReader& r, const Ctx&, CaseSpec* c);
std::string FormatRatePerSecond(double r);  // "200/s", as arrival_rate is written
void ReadSeed(const CaseReader& r, const Ctx& ctx, CaseSpec* c);
// `sessions` of the explore workload (explore_keys.cpp): also sets the
// case's mix (each operation named, weight 1, for the SQL checks) and its
// workers (one per session).
void ReadExploreSessions(const CaseReader& r, const Ctx& ctx, CaseSpec* c);
void ShowExploreSessions(const CaseSpec& c, Settings* s);
// The explore workload's own keys: sessions, max_schedules, schedules,
// pct_depth, schedule (its row in workload_table.cpp).
std::vector<CaseKeyDef> ExploreKeyRows();
// Conditions: whether the case reads the key at all.
bool CloserReads(const CaseSpec& c, const char* strategy_a, const char* strategy_b);
bool StrategyReadBy(const CaseSpec& c, const std::string& key);

}  // namespace ledgerstress::case_key_readers

#endif  // LEDGERSTRESS_HARNESS_SCENARIO_CASE_KEY_READERS_H_
