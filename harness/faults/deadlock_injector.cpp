#include "harness/faults/deadlock_injector.h"

#include <cstdlib>

#include <pqxx/pqxx>

#include "harness/pg/dsn.h"

namespace ledgerstress {

DeadlockInjector::DeadlockInjector(Target target, std::string schema, std::string worker_prefix,
                                   std::int64_t project_id, std::chrono::milliseconds every,
                                   const InFlightUsers* in_flight, bool workers_set_timeout)
    : target_(std::move(target)), schema_(std::move(schema)), worker_prefix_(std::move(worker_prefix)),
      project_id_(project_id), every_(every), in_flight_(in_flight), workers_set_timeout_(workers_set_timeout) {}

DeadlockInjector::~DeadlockInjector() { Stop(); }

void DeadlockInjector::OpenConnection() {
  conn_ = Connect(target_, SessionSettings::Named(worker_prefix_ + "-deadlock-injector", schema_));
  try {
    pqxx::nontransaction(*conn_).exec("SET deadlock_timeout = " + std::to_string(kInjectorDeadlockTimeout.count()));
    own_timeout_ = workers_set_timeout_;
    if (own_timeout_) {
      victim_timeout_ = kWorkerDeadlockTimeout;  // what the workers set (see SessionSettings)
      return;
    }
  } catch (const pqxx::sql_error&) {
    // Not a superuser: everyone keeps the server's deadlock_timeout.
    own_timeout_ = false;
  }
  {
    const std::string ms = pqxx::nontransaction(*conn_).exec1(
        "SELECT reset_val FROM pg_settings WHERE name = 'deadlock_timeout'")[0].as<std::string>();  // the server's, not ours
    victim_timeout_ = std::chrono::milliseconds(std::atoll(ms.c_str()));
  }
}

void DeadlockInjector::Start() {
  try {
    OpenConnection();
  } catch (const std::exception& e) {
    missing_ = "the deadlock injector cannot connect: " + RedactWith(FirstLine(e.what()), target_.dsn);
    conn_.reset();
    return;
  }
  thread_.Start(every_, PeriodicThread::First::kTickAtStart, [this] { return Tick(); });
}

void DeadlockInjector::Stop() {
  thread_.Stop();
  conn_.reset();
}

DeadlockInjector::DeadlockInjector(Target target, std::string schema, std::string worker_prefix,
                                   std::int64_t project_id, std::chrono::milliseconds every, int workers,
                                   bool workers_set_timeout)
    : DeadlockInjector(std::move(target), std::move(schema), std::move(worker_prefix), project_id, every, nullptr,
                       workers_set_timeout) {
  own_in_flight_ = std::make_unique<InFlightUsers>(workers);
  in_flight_ = own_in_flight_.get();
}

void DeadlockInjector::AddTo(FaultReport* out) const {
  const FaultReport mine = Report();
  out->deadlock_injection = true;
  out->deadlocks_injected = mine.deadlocks_injected;
  out->injection_attempts = mine.injection_attempts;
  out->victim_deadlock_timeout_ms = mine.victim_deadlock_timeout_ms;
  out->note = mine.note;
  AddMissing(out, mine.missing);
}

FaultReport DeadlockInjector::Report() const {
  FaultReport r;
  r.deadlock_injection = true;
  r.deadlocks_injected = injected_.load();
  r.injection_attempts = attempts_.load();
  r.missing = missing_;
  r.victim_deadlock_timeout_ms = victim_timeout_.count();
  if (!own_timeout_ && victim_timeout_.count() > 0) {
    r.note = std::string(workers_set_timeout_ ? "deadlock_timeout cannot be set (not a superuser)"
                                              : "a driver's sessions keep the server's deadlock_timeout") +
             ": the server's " + std::to_string(victim_timeout_.count()) +
             " ms is used, so each injection stalls the pledges behind the project row for up to " +
             std::to_string(victim_timeout_.count()) + " ms";
  }
  return r;
}

bool DeadlockInjector::Tick() {
  try {
    if (InjectOnce()) ++injected_;
  } catch (const std::exception& e) {
    // A failed injection (our own connection lost, say) is not the
    // workload's problem: note it and carry on with a fresh connection.
    if (missing_.empty()) missing_ = "an injection failed: " + FirstLine(e.what());
    try {
      OpenConnection();
    } catch (const std::exception&) {
      return false;
    }
  }
  return true;
}

std::int64_t DeadlockInjector::FindVictim(pqxx::work& tx) {
  const std::string prefix = worker_prefix_ + "/w";
  // Wait for one of our workers to block on row B, briefly: the victim's
  // deadlock check runs deadlock_timeout after it starts waiting, and the
  // cycle must exist by then.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (!thread_.stopping() && std::chrono::steady_clock::now() < deadline) {
    // A worker that started waiting just now (its deadlock check is still
    // ahead of it), never the previous victim (a call is deadlocked at most
    // once in a row, so a retry strategy is judged on recovering, not luck).
    const pqxx::result r = tx.exec(
        "SELECT l.pid, substr(a.application_name, " + std::to_string(prefix.size() + 1) + ")"
        "  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE NOT l.granted AND starts_with(a.application_name, " + tx.quote(prefix) + ")" +
        " AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid)) AND l.pid <> " + std::to_string(last_victim_) +
        " AND (l.waitstart IS NULL OR clock_timestamp() - l.waitstart < interval '30 ms')"
        " ORDER BY l.waitstart DESC NULLS FIRST LIMIT 1");
    if (!r.empty()) {
      const std::int64_t user = in_flight_ ? in_flight_->UserOf(std::atoi(r[0][1].c_str())) : 0;
      if (user != 0) {
        victim_user_ = user;
        return r[0][0].as<std::int64_t>();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return 0;
}

bool DeadlockInjector::InjectOnce() {
  ++attempts_;
  pqxx::work tx(*conn_);
  // Row B: the project every pledge locks FOR SHARE.
  tx.exec_params("SELECT id FROM project WHERE id = $1 FOR UPDATE", project_id_);
  const std::int64_t victim = FindVictim(tx);
  if (victim == 0) return false;  // nobody pledged in time; rolled back
  // Row A: the wallet the victim's pledge locked first. Blocks until
  // PostgreSQL aborts the victim (its deadlock check runs first) and its lock
  // on A goes away. Should the victim's check have run before the cycle
  // closed, nobody would see the deadlock until our own deadlock_timeout,
  // with every pledge stalled behind row B meanwhile: give up quickly instead.
  const auto give_up = (own_timeout_ ? std::chrono::milliseconds(0) : victim_timeout_) + std::chrono::milliseconds(400);
  tx.exec("SET LOCAL lock_timeout = " + std::to_string(give_up.count()));
  // A call already queued on row A behind the victim (a deposit for the same
  // user: it holds A's tuple lock and waits for the victim's transaction)
  // would be in the cycle too, and PostgreSQL may abort it instead: a
  // bystander failed by the harness. Skip such a victim. (Pledges queued on
  // row B wait for the victim's tuple lock on B, not its transaction, and
  // stay outside the cycle.) The check is a one-time filter of the locking
  // statement itself: a call that queues on A after it waits behind us.
  try {
    const pqxx::result locked = tx.exec_params(
        "SELECT id FROM wallet WHERE user_id = $1"
        "   AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE NOT l.granted AND l.locktype = 'transactionid'"
        "                      AND l.pid <> pg_backend_pid() AND $2::int = ANY(pg_blocking_pids(l.pid)))"
        "   FOR UPDATE",
        victim_user_, victim);
    if (locked.empty()) return false;  // someone waits on the victim: not an injection
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
