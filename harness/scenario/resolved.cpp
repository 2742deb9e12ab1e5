#include "harness/scenario/resolved.h"

#include <sstream>

#include "harness/scenario/duration.h"
#include "settlement/money.h"

namespace ledgerstress {

std::vector<std::pair<std::string, std::string>> ResolvedSettings(const CaseSpec& c) {
  std::vector<std::pair<std::string, std::string>> s;
  s.emplace_back("workload", c.workload == Workload::kClose    ? "close"
                             : c.workload == Workload::kLedger ? "ledger"
                                                               : "race");
  s.emplace_back("workers", std::to_string(c.workers));
  if (c.workload == Workload::kClose) {
    s.emplace_back("escrows", std::to_string(c.escrows));
    s.emplace_back("projects", std::to_string(c.projects));
    s.emplace_back("closers_per_project", std::to_string(c.closers_per_project));
    s.emplace_back("donors", std::to_string(c.donors));
    s.emplace_back("release_batch_size", std::to_string(c.release_batch_size));
    s.emplace_back("max_escrows_per_close", std::to_string(c.max_escrows_per_close));
    s.emplace_back("commission_rate", settlement::FormatRate(c.commission_rate_ppm));
    s.emplace_back("fee_rate", settlement::FormatRate(c.fee_rate_ppm));
  }
  if (c.workload != Workload::kClose) {
    if (c.calls_per_worker > 0) s.emplace_back("calls_per_worker", std::to_string(c.calls_per_worker));
    else s.emplace_back("duration", FormatDuration(c.duration));
    s.emplace_back("users_per_round", std::to_string(c.users_per_round));
  }
  s.emplace_back("rounds", std::to_string(c.rounds));
  for (const auto& [op, w] : c.mix) {
    std::ostringstream v;
    v << w;
    s.emplace_back("mix." + op, v.str());
  }
  for (const auto& [op, st] : c.strategies) s.emplace_back("strategy." + op, st);
  for (const auto& [opt, on] : c.schema_options) s.emplace_back("schema." + opt, on ? "true" : "false");
  std::string invs;
  for (const auto& i : c.invariants) invs += (invs.empty() ? "" : ",") + i;
  s.emplace_back("invariants", invs);
  std::ostringstream rate;
  rate << c.max_error_rate;
  s.emplace_back("max_error_rate", rate.str());
  s.emplace_back("lock_timeout", FormatDuration(c.lock_timeout));
  s.emplace_back("statement_timeout", FormatDuration(c.statement_timeout));
  s.emplace_back("retry", c.retry);
  s.emplace_back("max_attempts", std::to_string(c.max_attempts));
  s.emplace_back("retry_base_delay", FormatDuration(c.retry_base_delay));
  s.emplace_back("retry_jitter", c.retry_jitter ? "true" : "false");
  s.emplace_back("deadlock_injection", c.deadlock_injection ? "true" : "false");
  if (c.deadlock_injection) s.emplace_back("deadlock_every", FormatDuration(c.deadlock_every));
  s.emplace_back("backend_kill_every", FormatDuration(c.backend_kill_every));
  if (c.workload != Workload::kRace) s.emplace_back("monitor_interval", FormatDuration(c.monitor_interval));
  s.emplace_back("seed", std::to_string(c.seed));
  return s;
}

}  // namespace ledgerstress
