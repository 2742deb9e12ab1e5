#include "harness/engine/driver_case.h"

#include <filesystem>

#include "harness/drivers/driver_env.h"

namespace ledgerstress {

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
  return d;
}

}  // namespace ledgerstress
