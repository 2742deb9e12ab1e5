#include "harness/engine/monitor.h"

#include <pqxx/pqxx>

#include "harness/pg/dsn.h"
#include "harness/pg/like_pattern.h"
#include "settlement/connection.h"

namespace ledgerstress {
namespace {

constexpr std::size_t kMaxSeries = 300;  // 300 to 600 points: enough for a chart, flat in run length

// The schema an extension lives in, quoted, or "" when not installed.
std::string ExtensionSchema(settlement::Connection& conn, const std::string& ext) {
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(
      "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1",
      ext);
  return r.empty() ? "" : tx.quote_name(r[0][0].as<std::string>());
}

// Why pg_stat_statements does not count what the harness counts (top-level
// statements, BEGIN and COMMIT included), or "" when it does.
std::string StatementsCaveat(settlement::Connection& conn) {
  pqxx::nontransaction tx(conn);
  const pqxx::row r = tx.exec1(
      "SELECT coalesce(current_setting('pg_stat_statements.track', true), ''),"
      " coalesce(current_setting('pg_stat_statements.track_utility', true), '')");
  const std::string track = r[0].as<std::string>();
  const std::string utility = r[1].as<std::string>();
  if (track != "top") return "pg_stat_statements.track = '" + track + "' (not 'top')";
  if (utility != "on") return "pg_stat_statements.track_utility = '" + utility + "': BEGIN and COMMIT not counted";
  return "";
}

// The extension's pg_stat_statements_info (version 1.9, PostgreSQL 14, on)
// as a qualified name, or "" when it has none.
std::string StatementsInfoView(settlement::Connection& conn, const std::string& schema) {
  try {
    pqxx::nontransaction tx(conn);
    const std::string view = schema + ".pg_stat_statements_info";
    return tx.exec1("SELECT to_regclass(" + tx.quote(view) + ") IS NULL")[0].as<bool>() ? "" : view;
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace

Monitor::Monitor(Target target, std::string schema, std::string app_prefix, std::chrono::milliseconds interval)
    : target_(std::move(target)), schema_(std::move(schema)), app_prefix_(std::move(app_prefix)),
      interval_(interval) {}

Monitor::~Monitor() { StopSampling(); }

void Monitor::Miss(const std::string& why) {
  if (obs_.missing.find(why) != std::string::npos) return;
  obs_.missing += (obs_.missing.empty() ? "" : "; ") + why;
}

void Monitor::Begin() {
  try {
    conn_ = Connect(target_, SessionSettings::Named(app_prefix_ + "/monitor"));
    if (!counters_only_) sampler_ = Connect(target_, SessionSettings::Named(app_prefix_ + "/monitor-sampler"));
    const std::string rl = ExtensionSchema(*conn_, "pgrowlocks");
    if (no_builtin_tables_) Miss(kOwnSchemaNoRowsLocked);
    else if (!rl.empty()) rowlocks_fn_ = rl + ".pgrowlocks";
    else if (!counters_only_) Miss("pgrowlocks is not installed in this database: rows locked not measured");
    const std::string ss = ExtensionSchema(*conn_, "pg_stat_statements");
    if (!ss.empty()) {
      statements_view_ = ss + ".pg_stat_statements";
      obs_.statements_caveat = StatementsCaveat(*conn_);
      statements_info_ = StatementsInfoView(*conn_, ss);
      try {
        if (!statements_info_.empty()) info_before_ = ReadStatementsInfo();
      } catch (const std::exception&) {
        statements_info_.clear();  // not preloaded: the count below says the extension is unreadable
      }
    }
    else Miss("pg_stat_statements is not installed in this database: server statement counts not measured");
    statements_before_ = StatementsCounter();
    deadlocks_before_ = DeadlocksCounter();
  } catch (const std::exception& e) {
    Miss("monitor connection failed: " + RedactWith(FirstLine(e.what()), target_.dsn));
    conn_.reset();
    sampler_.reset();
  }
}

std::int64_t Monitor::StatementsCounter() {
  if (statements_view_.empty() || !conn_) return -1;
  try {
    pqxx::nontransaction tx(*conn_);
    // Our own monitoring queries name these catalogs; leave them out.
    return tx.exec1("SELECT coalesce(sum(calls), 0)::bigint FROM " + statements_view_ +
                    " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " AND query NOT LIKE '%pgrowlocks%' AND query NOT LIKE '%pg_stat_%'"
                    " AND query NOT LIKE '%pg_locks%' AND query NOT LIKE '%pg_extension%'")[0]
        .as<std::int64_t>();
  } catch (const std::exception& e) {
    Miss("pg_stat_statements unreadable: " + FirstLine(e.what()));
    statements_view_.clear();
    return -1;
  }
}

Monitor::StatementsInfo Monitor::ReadStatementsInfo() {
  pqxx::nontransaction tx(*conn_);
  const pqxx::row r = tx.exec1("SELECT dealloc, coalesce(stats_reset::text, '') FROM " + statements_info_);
  return StatementsInfo{r[0].as<std::int64_t>(), r[1].as<std::string>()};
}

std::string Monitor::StatementsLost() {
  if (statements_info_.empty()) return "";
  try {
    const StatementsInfo now = ReadStatementsInfo();
    if (now.reset != info_before_.reset) {
      return "pg_stat_statements was reset during the case: server statement counts not measured";
    }
    if (now.dealloc == info_before_.dealloc) return "";
    pqxx::nontransaction tx(*conn_);
    const std::string max = tx.exec1("SELECT current_setting('pg_stat_statements.max')")[0].as<std::string>();
    return "pg_stat_statements evicted entries during the case (more distinct statements than "
           "pg_stat_statements.max = " + max + "; raise it): server statement counts not measured";
  } catch (const std::exception& e) {
    return "pg_stat_statements_info unreadable: " + FirstLine(e.what());
  }
}

std::int64_t Monitor::DeadlocksCounter() {
  if (!conn_) return -1;
  try {
    pqxx::nontransaction tx(*conn_);
    return tx.exec1("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")[0]
        .as<std::int64_t>();
  } catch (const std::exception&) {
    return -1;
  }
}

void Monitor::StartSampling() {
  t0_ = std::chrono::steady_clock::now();
  if (counters_only_) return;
  if (interval_.count() <= 0) {
    Miss("sampling off (monitor_interval = 0ms): rows locked, lock waiters and idle sessions not measured");
    return;
  }
  if (!sampler_) return;
  obs_.sampled = true;
  obs_.long_idle_in_transaction = 0;
  thread_.Start(interval_, PeriodicThread::First::kTickAtStart, [this] {
    Sample();
    return true;
  });
}

void Monitor::StopSampling() {
  thread_.Stop();
}

std::string Monitor::SampleSql(pqxx::transaction_base& tx) const {
  const std::string esc = tx.quote(schema_ + ".escrow_contract");
  const std::string wal = tx.quote(schema_ + ".wallet");
  const std::string app = tx.quote(LikeEscaped(app_prefix_ + "/") + "%");
  std::string sql = "SELECT ";
  // Escrow rows: in all, and the most one transaction holds (one scan, by
  // locker). A pgrowlocks scan is no snapshot: while it runs one chunk can
  // commit and the next lock its rows, and the scan sees both. Per
  // transaction it can only under-count.
  if (rowlocks_fn_.empty()) sql += "-1, -1, -1, ";
  else sql += "e.total, e.one, (SELECT count(*) FROM " + rowlocks_fn_ + "(" + wal + ")), ";
  sql += "(SELECT count(*) FROM pg_locks WHERE NOT granted), "
         "(SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' "
         "AND application_name LIKE " + app + "), "
         "(SELECT coalesce(string_agg(pid || ':' || state_change, ','), '') FROM pg_stat_activity "
         "WHERE state LIKE 'idle in transaction%' AND application_name LIKE " + app +
         " AND now() - state_change > interval '" + std::to_string(long_idle_.count()) + " ms')";
  if (!rowlocks_fn_.empty()) {
    sql += " FROM (SELECT coalesce(sum(n), 0) AS total, coalesce(max(n), 0) AS one FROM (SELECT count(*) AS n FROM " +
           rowlocks_fn_ + "(" + esc + ") GROUP BY locker) g) e";
  }
  return sql;
}

void Monitor::Sample() {
  if (!sampler_) return Resample();
  ServerSample s;
  std::string long_idle;  // "pid:state_change,..." of our sessions idle in transaction too long
  s.t_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  try {
    pqxx::nontransaction tx(*sampler_);
    const pqxx::row r = tx.exec1(SampleSql(tx));
    s.escrow_rows_locked = r[0].as<std::int64_t>();
    s.escrow_rows_locked_by_one = r[1].as<std::int64_t>();
    s.wallet_rows_locked = r[2].as<std::int64_t>();
    s.lock_waiters = r[3].as<std::int64_t>();
    s.idle_in_transaction = r[4].as<std::int64_t>();
    long_idle = r[5].as<std::string>();
  } catch (const std::exception& e) {
    if (expect_restarts_ && !sampler_->is_open()) {
      sampler_.reset();  // the server went down: reconnect at the next sample
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Miss("a sample failed: " + FirstLine(e.what()));
    return;
  }
  Record(s, long_idle);
}

void Monitor::Record(const ServerSample& s, const std::string& long_idle) {
  std::lock_guard<std::mutex> lock(mu_);
  ++obs_.samples;
  obs_.max_escrow_rows_locked = std::max(obs_.max_escrow_rows_locked, s.escrow_rows_locked);
  obs_.max_escrow_rows_locked_by_one = std::max(obs_.max_escrow_rows_locked_by_one, s.escrow_rows_locked_by_one);
  obs_.max_wallet_rows_locked = std::max(obs_.max_wallet_rows_locked, s.wallet_rows_locked);
  obs_.max_lock_waiters = std::max(obs_.max_lock_waiters, s.lock_waiters);
  obs_.max_idle_in_transaction = std::max(obs_.max_idle_in_transaction, s.idle_in_transaction);
  for (std::size_t at = 0; at < long_idle.size();) {
    const std::size_t comma = std::min(long_idle.find(',', at), long_idle.size());
    long_idle_seen_.insert(long_idle.substr(at, comma - at));
    at = comma + 1;
  }
  obs_.long_idle_in_transaction = static_cast<std::int64_t>(long_idle_seen_.size());
  if (seen_++ % stride_ != 0) return;
  obs_.series.push_back(s);
  if (obs_.series.size() >= 2 * kMaxSeries) {
    // Keep every other point and sample half as often into the series.
    std::vector<ServerSample> thinned;
    for (std::size_t i = 0; i < obs_.series.size(); i += 2) thinned.push_back(obs_.series[i]);
    obs_.series.swap(thinned);
    stride_ *= 2;
  }
}

void Monitor::Resample() {
  try {
    sampler_ = Connect(target_, SessionSettings::Named(app_prefix_ + "/monitor-sampler"));
  } catch (const std::exception&) {
    // Still down (or in recovery): the next sample tries again.
  }
}

std::int64_t Monitor::DeadlocksSince() {
  const std::int64_t now = DeadlocksCounter();
  return now < 0 || deadlocks_before_ < 0 ? -1 : now - deadlocks_before_;
}

ServerObservation Monitor::End() {
  StopSampling();
  if (expect_restarts_) {
    Miss("the server was crashed during the case (server_crash_every), which resets its statistics: "
         "statement and deadlock counts not measured");
    conn_.reset();  // broken by the crash: the counters below read as missing
    statements_before_ = deadlocks_before_ = -1;
  }
  const std::int64_t statements_after = StatementsCounter();
  const std::int64_t deadlocks_after = DeadlocksCounter();
  if (statements_before_ >= 0 && statements_after >= 0) {
    const std::string lost = StatementsLost();
    if (lost.empty()) obs_.statements_delta = statements_after - statements_before_;
    else Miss(lost);
  }
  if (deadlocks_before_ >= 0 && deadlocks_after >= 0) obs_.deadlocks_delta = deadlocks_after - deadlocks_before_;
  if (rowlocks_fn_.empty()) {
    obs_.max_escrow_rows_locked = -1;
    obs_.max_escrow_rows_locked_by_one = -1;
    obs_.max_wallet_rows_locked = -1;
  }
  return obs_;
}

}  // namespace ledgerstress
