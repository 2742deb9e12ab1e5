#ifndef LEDGERSTRESS_HARNESS_ENGINE_MONITOR_H_
#define LEDGERSTRESS_HARNESS_ENGINE_MONITOR_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <pqxx/transaction_base>

#include "harness/periodic_thread.h"
#include "harness/pg/target.h"
#include "model/run_result.h"
#include "settlement/connection.h"

namespace ledgerstress {

// Watches the server from its own connection while a case's measured phase
// runs: every `interval`, rows locked in the case's escrow_contract and
// wallet tables (pgrowlocks), lock waiters (pg_locks not granted) and our
// sessions idle in transaction; before and after, the pg_stat_statements
// calls and pg_stat_database.deadlocks counters. A sum of calls that lost
// entries in between (evicted beyond pg_stat_statements.max, or all of
// them reset) is not a count: it is marked missing. What cannot be seen
// (pg_stat_statements_info, PostgreSQL 14 on, counts neither a reset of
// some entries nor anything before 14) still lowers the sum unnoticed.
//
// Never throws and never fails the case: a figure it cannot get is marked
// missing (-1, with the reason in ServerObservation::missing). Memory stays
// bounded however long the phase runs (the series is thinned).
// Not thread-safe; driven by one thread.
class Monitor {
 public:
  Monitor(Target target, std::string schema, std::string app_prefix,
          std::chrono::milliseconds interval = std::chrono::milliseconds(50));
  ~Monitor();

  // The server will be crashed and restarted while sampling (the crash
  // nemesis): a sample that finds the server down is skipped and the
  // sampler reconnects; the statement and deadlock counts, which a crash
  // resets, are marked missing with that reason. Call before Begin().
  void ExpectRestarts() { expect_restarts_ = true; }
  // Reads the counters only: no sampling, and none missed. Call before Begin().
  void CountersOnly() { counters_only_ = true; }
  // The case runs on the scenario's own schema: there are no escrow or
  // wallet rows to count (marked missing); the rest is sampled. Before Begin.
  void NoBuiltinTables() { no_builtin_tables_ = true; }
  // What NoBuiltinTables() records in the observation's `missing` (the
  // reason a threshold on rows locked cannot run on such a schema). `run`
  // leaves it out of its "not measured" lines: nothing was asked of it.
  static constexpr const char* kOwnSchemaNoRowsLocked =
      "the scenario's own schema has no escrow_contract or wallet table: rows locked not measured";
  // A session of ours seen idle in transaction for longer than this is a
  // sleep with a transaction (and its locks) open, whatever the code says
  // of itself (ServerObservation::long_idle_in_transaction). Before Begin.
  void set_long_idle_threshold(std::chrono::milliseconds t) { long_idle_ = t; }
  // The threshold for a case: 3/4 of its retry_base_delay, at least 50 ms.
  // Far above the gap between two statements of a transaction (a thread
  // descheduled on a busy machine measured above 40 ms), and within the
  // first backoff of the schedule (half to all of the base delay).
  static std::chrono::milliseconds LongIdleFor(std::chrono::milliseconds retry_base_delay) {
    return std::max(std::chrono::milliseconds(50), retry_base_delay * 3 / 4);
  }
  // Connects and reads the "before" counters. Call once every worker has
  // connected, so that their session set-up is not counted.
  void Begin();
  // Starts sampling in a thread; t = 0 is now.
  void StartSampling();
  // Stops sampling (idempotent).
  void StopSampling();
  // Reads the "after" counters and returns everything observed.
  ServerObservation End();
  // pg_stat_database.deadlocks now minus at Begin(); -1 when unknown.
  std::int64_t DeadlocksSince();

 private:
  void Sample();
  // The one statement a sample runs (escrow and wallet row locks when
  // pgrowlocks is there, lock waiters, our sessions idle in transaction).
  std::string SampleSql(pqxx::transaction_base& tx) const;
  // Folds a sample into the observation (maxima, the long idle sessions
  // seen, the series, thinned to kMaxSeries points). Takes mu_.
  void Record(const ServerSample& s, const std::string& long_idle);
  void Resample();  // reconnects the sampler after a crash; quiet while the server is down
  std::int64_t StatementsCounter();
  // What pg_stat_statements_info says: entries evicted so far, and the
  // time of the last full reset. conn_ up and statements_info_ set; throws.
  struct StatementsInfo {
    std::int64_t dealloc = 0;
    std::string reset;
  };
  StatementsInfo ReadStatementsInfo();
  // Why the sum of calls since Begin() is not a count (entries evicted, or
  // every entry reset, in between), or "" when it is. conn_ must be up.
  std::string StatementsLost();
  std::int64_t DeadlocksCounter();
  void Miss(const std::string& why);

  Target target_;
  std::string schema_;
  std::string app_prefix_;
  std::chrono::milliseconds interval_;
  std::unique_ptr<settlement::Connection> conn_;       // used by Begin/End, and by the sampling thread
  std::unique_ptr<settlement::Connection> sampler_;    // the sampling thread's own
  std::string rowlocks_fn_;                      // qualified pgrowlocks(), "" when unavailable
  std::string statements_view_;                  // qualified pg_stat_statements, "" when unavailable
  std::string statements_info_;                  // qualified pg_stat_statements_info, "" before PostgreSQL 14
  StatementsInfo info_before_;                   // at Begin()
  std::int64_t statements_before_ = -1;
  std::int64_t deadlocks_before_ = -1;
  std::chrono::steady_clock::time_point t0_;
  PeriodicThread thread_;
  std::mutex mu_;
  ServerObservation obs_;  // GUARDED_BY(mu_) while the thread runs
  int stride_ = 1;         // keep every stride_-th sample (thinning)
  std::int64_t seen_ = 0;
  bool expect_restarts_ = false;
  bool counters_only_ = false;
  bool no_builtin_tables_ = false;
  std::chrono::milliseconds long_idle_{75};
  std::set<std::string> long_idle_seen_;  // "pid:state_change" of each long idle period; GUARDED_BY(mu_)
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_MONITOR_H_
