#include "harness/faults/deadlock_injector.h"

#include <pqxx/pqxx>

#include "harness/pg/dsn.h"

namespace ledgerstress {

DeadlockInjector::DeadlockInjector(Target target, std::string schema, std::string worker_prefix,
                                   std::int64_t project_id, std::chrono::milliseconds every)
    : target_(std::move(target)), schema_(std::move(schema)), worker_prefix_(std::move(worker_prefix)),
      project_id_(project_id), every_(every) {}

DeadlockInjector::~DeadlockInjector() { Stop(); }

void DeadlockInjector::Start() {
  try {
    conn_ = Connect(target_, SessionSettings{worker_prefix_ + "-deadlock-injector", schema_, {}, {}});
    pqxx::nontransaction tx(*conn_);
    tx.exec("SET deadlock_timeout = " + std::to_string(kInjectorDeadlockTimeout.count()));
    if (tx.exec("SELECT 1 FROM pg_extension WHERE extname = 'pgrowlocks'").empty()) {
      missing_ = "pgrowlocks is not installed: no deadlock injected";
      conn_.reset();
      return;
    }
  } catch (const std::exception& e) {
    missing_ = "the deadlock injector cannot run (it needs superuser to set deadlock_timeout): " +
               RedactWith(FirstLine(e.what()), target_.dsn);
    conn_.reset();
    return;
  }
  running_ = true;
  thread_ = std::thread([this] { Loop(); });
}

void DeadlockInjector::Stop() {
  if (!running_.exchange(false)) return;
  thread_.join();
  conn_.reset();
}

FaultReport DeadlockInjector::Report() const {
  FaultReport r;
  r.deadlock_injection = true;
  r.deadlocks_injected = injected_.load();
  r.injection_attempts = attempts_.load();
  r.missing = missing_;
  return r;
}

void DeadlockInjector::Loop() {
  auto next = std::chrono::steady_clock::now();
  while (running_.load()) {
    next += every_;
    try {
      if (InjectOnce()) ++injected_;
    } catch (const std::exception& e) {
      // A failed injection (our own connection lost, say) is not the
      // workload's problem: note it and carry on with a fresh connection.
      if (missing_.empty()) missing_ = "an injection failed: " + FirstLine(e.what());
      try {
        conn_ = Connect(target_, SessionSettings{worker_prefix_ + "-deadlock-injector", schema_, {}, {}});
        pqxx::nontransaction(*conn_).exec("SET deadlock_timeout = " +
                                          std::to_string(kInjectorDeadlockTimeout.count()));
      } catch (const std::exception&) {
        return;
      }
    }
    std::this_thread::sleep_until(std::max(next, std::chrono::steady_clock::now()));
  }
}

bool DeadlockInjector::InjectOnce() {
  ++attempts_;
  pqxx::work tx(*conn_);
  // Row B: the project every pledge locks FOR SHARE.
  tx.exec_params("SELECT id FROM project WHERE id = $1 FOR UPDATE", project_id_);
  const std::string prefix = tx.quote(worker_prefix_ + "/w%");
  // Wait for one of our workers to block on it, briefly: the victim's
  // deadlock check runs kWorkerDeadlockTimeout after it starts waiting, and
  // the cycle must exist by then.
  std::int64_t victim = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (victim == 0 && running_.load() && std::chrono::steady_clock::now() < deadline) {
    // A worker that started waiting just now (its deadlock check is still
    // ahead of it), never the previous victim (a call is deadlocked at most
    // once in a row, so a retry strategy is judged on recovering, not luck).
    const pqxx::result r = tx.exec(
        "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE NOT l.granted AND a.application_name LIKE " + prefix +
        " AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid)) AND l.pid <> " + std::to_string(last_victim_) +
        " AND (l.waitstart IS NULL OR clock_timestamp() - l.waitstart < interval '30 ms')"
        " ORDER BY l.waitstart DESC NULLS FIRST LIMIT 1");
    if (!r.empty()) victim = r[0][0].as<std::int64_t>();
    else std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (victim == 0) return false;  // nobody pledged in time; rolled back
  // Row A: the wallet the victim holds FOR UPDATE.
  const pqxx::result held = tx.exec_params(
      "SELECT locked_row::text FROM public.pgrowlocks($1) WHERE $2 = ANY(pids) LIMIT 1",
      schema_ + ".wallet", victim);
  if (held.empty()) return false;
  // Blocks until PostgreSQL aborts the victim (its short deadlock_timeout
  // fires first) and its lock on A goes away.
  // Should the victim's check have run before the cycle closed, nobody
  // would see the deadlock until our own (long) deadlock_timeout, with every
  // pledge stalled behind row B meanwhile: give up quickly instead.
  tx.exec("SET LOCAL lock_timeout = '400ms'");
  try {
    tx.exec_params("SELECT id FROM wallet WHERE ctid = $1::tid FOR UPDATE", held[0][0].as<std::string>());
  } catch (const pqxx::deadlock_detected&) {
    return false;  // we were the one aborted: not an injection
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "55P03") return false;  // no cycle was detected in time: not an injection
    throw;
  }
  last_victim_ = victim;
  return true;  // rolled back on destruction: B and A are released
}

}  // namespace ledgerstress
