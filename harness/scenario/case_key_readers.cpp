#include "harness/scenario/case_key_readers.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>

#include "harness/scenario/catalog.h"
#include "harness/scenario/duration.h"
#include "harness/scenario/suggest.h"
#include "settlement/money.h"

namespace ledgerstress::case_key_readers {

std::string Num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

void Show(Settings* s, const char* key, std::string value) { s->emplace_back(key, std::move(value)); }

void ReadWorkers(const CaseReader& r, const Ctx&, CaseSpec* c) {
  const bool close = c->workload == Workload::kClose;
  c->workers = static_cast<int>(r.Integer("workers", close ? 0 : 1, 2000, 0, /*required=*/!close));
}

void ReadCallsPerWorker(const CaseReader& r, const Ctx&, CaseSpec* c) {
  c->calls_per_worker = r.Integer("calls_per_worker", 1, 1000000000, 0);
}

void ShowSchedule(const CaseSpec& c, Settings* s) {
  if (c.calls_per_worker > 0) Show(s, "calls_per_worker", std::to_string(c.calls_per_worker));
  else Show(s, "duration", FormatDuration(c.duration));
}

void ReadInvariants(const CaseReader& r, const Ctx&, CaseSpec* c) {
  c->invariants = r.Names("invariants", InvariantNames(), "invariant");
  if (!c->user_schema) {
    if (c->invariants.empty()) c->invariants = InvariantNames();
    return;
  }
  // The scenario's own schema has none of the built-in tables.
  for (const std::string& name : c->invariants) {
    if (!Contains(SchemaFreeInvariants(), name)) {
      Fail(r.Find("invariants")->where, "invariant '" + name + "' reads the built-in tables, which a scenario with its "
                                        "own [schema] does not have; state it as a [[sql_invariant]] (on this schema: " +
                                        Quoted(SchemaFreeInvariants()) + ")");
    }
  }
  if (c->invariants.empty()) c->invariants = SchemaFreeInvariants();
}

void ReadViolates(const CaseReader& r, const Ctx& ctx, CaseSpec* c) {
  std::vector<std::string> violable = c->invariants;
  for (const SqlInvariant& q : *ctx.sql) violable.push_back(q.name);
  violable.push_back("error_rate");
  violable.push_back("retry_discipline");
  violable.push_back("lock_footprint");
  violable.push_back("race_returns");
  violable.push_back("in_doubt_rate");
  c->violates = r.Names("violates", violable, "invariant or check");
}

void ReadRetry(const CaseReader& r, const Ctx&, CaseSpec* c) {
  const std::string name = r.String("retry", settlement::RetryStrategyName(c->retry));
  if (!settlement::ParseRetryStrategy(name, &c->retry)) {
    Fail(r.Find("retry")->where, "'retry' must be \"none\", \"in_transaction\" or \"per_transaction\"" +
                                     DidYouMean(name, settlement::RetryStrategyNames()));
  }
}

void ReadMonitorInterval(const CaseReader& r, const Ctx&, CaseSpec* c) {
  // Short enough by default for a close to show its peak of rows locked.
  c->monitor_interval = std::chrono::milliseconds(c->workload == Workload::kClose ? 10 : 50);
  c->monitor_interval = r.Duration("monitor_interval", c->monitor_interval);
  if (c->monitor_interval.count() > 0 && c->monitor_interval.count() < 5) {
    Fail(r.Find("monitor_interval")->where, "'monitor_interval' must be 0 (off) or at least 5ms");
  }
}

void ReadDriverKey(const CaseReader& r, const Ctx& ctx, CaseSpec* c) {
  const Field* f = r.Find("driver");
  if (!f) return;
  const std::string name = r.String("driver", "");
  std::vector<std::string> known;
  if (ctx.drivers) {
    for (const auto& [n, d] : *ctx.drivers) known.push_back(n);
  }
  if (!Contains(known, name)) {
    Fail(f->where, "unknown driver '" + name + "'" + DidYouMean(name, known) +
                       (known.empty() ? "; declare it in a [drivers." + name + "] table" : "; declared: " + Quoted(known)));
  }
  c->driver = ctx.drivers->at(name);
}

// "200/s", "12.5/s" or "600/min" (calls per second or per minute).
void ReadArrivalRate(const CaseReader& r, const Ctx&, CaseSpec* c) {
  const Field* f = r.Find("arrival_rate");
  if (!f) return;
  const std::string v = r.String("arrival_rate", "");
  const auto slash = v.find('/');
  const std::string unit = slash == std::string::npos ? "" : v.substr(slash + 1);
  char* end = nullptr;
  const double n = std::strtod(v.c_str(), &end);
  if (slash == std::string::npos || end != v.c_str() + slash || (unit != "s" && unit != "min") || !(n > 0)) {
    Fail(f->where, "'arrival_rate' must be calls per second or per minute, such as \"200/s\" or \"600/min\", got \"" +
                       v + "\"");
  }
  c->arrival_rate_per_s = unit == "s" ? n : n / 60;
  if (c->arrival_rate_per_s > 1e6) Fail(f->where, "'arrival_rate' must be at most 1000000/s");
}

std::string FormatRatePerSecond(double r) { return Num(r) + "/s"; }

void ReadSeed(const CaseReader& r, const Ctx& ctx, CaseSpec* c) {
  const std::int64_t seed = r.Integer("seed", 0, INT64_MAX, -1);
  // Derived from the scenario's seed and the case's position: --seed replays a whole run.
  std::uint64_t x = ctx.scenario_seed + ctx.index + 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  c->seed = seed >= 0 ? static_cast<std::uint64_t>(seed) : x ^ (x >> 31);
}

bool CloserReads(const CaseSpec& c, const char* strategy_a, const char* strategy_b) {
  if (c.workload != Workload::kClose) return false;
  if (c.driver) return true;  // a driver's close is handed every close parameter
  const auto it = c.strategies.find("close_project_success");
  return it != c.strategies.end() && (it->second == strategy_a || it->second == strategy_b);
}

bool StrategyReadBy(const CaseSpec& c, const std::string& key) {
  const std::string op = key.substr(key.find('.') + 1);
  if (op == "close_project_success") return c.workload == Workload::kClose;
  return c.mix.count(op) > 0;
}

}  // namespace ledgerstress::case_key_readers
