#include "harness/faults/backend_killer.h"

#include <pqxx/pqxx>

#include "harness/pg/dsn.h"
#include "harness/pg/like_pattern.h"

namespace ledgerstress {

BackendKiller::BackendKiller(Target target, std::string worker_prefix, std::chrono::milliseconds every,
                             std::uint64_t seed)
    : target_(std::move(target)), worker_prefix_(std::move(worker_prefix)), every_(every), rng_(seed) {}

BackendKiller::~BackendKiller() { Stop(); }

void BackendKiller::Start() {
  try {
    conn_ = Connect(target_, SessionSettings::Named(worker_prefix_ + "-backend-killer"));
  } catch (const std::exception& e) {
    missing_ = "the backend killer cannot connect: " + RedactWith(FirstLine(e.what()), target_.dsn);
    return;
  }
  thread_.Start(every_, PeriodicThread::First::kTickAfterOnePeriod, [this] { return KillOne(); });
}

void BackendKiller::Stop() {
  thread_.Stop();
  conn_.reset();
}

bool BackendKiller::KillOne() {
  try {
    pqxx::nontransaction tx(*conn_);
    // Our workers only: the application_name prefix carries the run id.
    const pqxx::result pids = tx.exec("SELECT pid FROM pg_stat_activity WHERE application_name LIKE " +
                                      tx.quote(LikeEscaped(worker_prefix_ + "/w") + "%") + " AND pid <> pg_backend_pid()");
    if (pids.empty()) return true;
    const auto victim = pids[static_cast<pqxx::result::size_type>(
        std::uniform_int_distribution<std::size_t>(0, pids.size() - 1)(rng_))][0].as<std::int64_t>();
    if (tx.exec_params1("SELECT pg_terminate_backend($1)", victim)[0].as<bool>()) ++kills_;
  } catch (const std::exception& e) {
    if (missing_.empty()) missing_ = "a kill failed: " + FirstLine(e.what());
  }
  return true;
}

void BackendKiller::AddTo(FaultReport* out) const {
  out->Set("backends_killed", static_cast<double>(kills()), std::to_string(kills()) + " backend(s) killed");
  AddMissing(out, missing_);
}

}  // namespace ledgerstress
