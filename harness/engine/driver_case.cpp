#include "harness/engine/driver_case.h"

#include <algorithm>
#include <filesystem>
#include <random>

#include "harness/drivers/driver_env.h"
#include "harness/drivers/shared_driver.h"

namespace ledgerstress {
namespace {

// concurrency = k > 1: the workers k to a process, each process's sessions
// named after its workers ("<prefix>/w4-7": the backend killer and the
// monitor find them under "<prefix>/w"), each seeded from the case's seed.
void AddSharedDrivers(const CaseSpec& spec, const WorkloadEnv& env, DriverCase* d) {
  const int k = spec.driver->concurrency;
  std::mt19937_64 seeder(spec.seed ^ 0x9e3779b97f4a7c15ull);
  for (int first = 0; first < spec.workers; first += k) {
    std::vector<int> ids;
    for (int w = first; w < std::min(first + k, spec.workers); ++w) ids.push_back(w);
    const std::string app = env.app_prefix + "/w" + std::to_string(ids.front()) + "-" + std::to_string(ids.back());
    d->shared.push_back(std::make_shared<SharedDriver>(*d, std::move(ids), app, seeder()));
  }
}

}  // namespace

std::unique_ptr<DriverCase> MakeDriverCase(const CaseSpec& spec, const WorkloadEnv& env, SessionSettings session,
                                           bool short_deadlock_timeout) {
  if (!spec.driver) return nullptr;
  auto d = std::make_unique<DriverCase>();
  d->spec = spec.driver.get();
  if (!short_deadlock_timeout) session.deadlock_timeout = std::chrono::milliseconds(0);  // PGOPTIONS would be refused
  d->env = DriverEnvironment(*env.target, session, *spec.driver);
  d->case_name = spec.name;
  d->schema = env.schema;
  d->workers = spec.workers;
  d->retry = settlement::RetryStrategyName(spec.retry);
  d->max_attempts = spec.max_attempts;
  d->retry_base_delay_ms = spec.retry_base_delay.count();
  d->retry_jitter = spec.retry_jitter;
  d->log_dir = (env.driver_log_dir.empty() ? std::filesystem::temp_directory_path().string() + "/ledgerstress-drivers"
                                           : env.driver_log_dir) + "/" + env.schema;
  std::filesystem::create_directories(d->log_dir);
  if (spec.driver->concurrency > 1) AddSharedDrivers(spec, env, d.get());
  return d;
}

}  // namespace ledgerstress
