#include "harness/engine/shard_link.h"

#include <unistd.h>

#include <pqxx/pqxx>

#include "harness/host_info.h"

namespace ledgerstress {

WorkerSlice SliceOf(const ShardSpec& shard, int workers) {
  const auto at = [&](int i) { return static_cast<int>(static_cast<long long>(workers) * i / shard.count); };
  return WorkerSlice{at(shard.index), at(shard.index + 1)};
}

// Wakes await_notification when a post of the run commits.
class ShardLink::Wake : public pqxx::notification_receiver {
 public:
  Wake(pqxx::connection_base& c, const std::string& channel) : pqxx::notification_receiver(c, channel) {}
  void operator()(const std::string&, int) override { ++received; }
  // Notifications seen, also those consumed while a query ran (libpqxx
  // reads them after every statement): a waiter compares it across its
  // query so that a post committed meanwhile is never waited out.
  std::uint64_t received = 0;
};

namespace {

std::string Ms(std::chrono::milliseconds d) {
  return d.count() % 1000 ? std::to_string(d.count()) + " ms" : std::to_string(d.count() / 1000) + " s";
}

std::string List(const std::vector<int>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "}";
}

}  // namespace

ShardLink::ShardLink(const Target& target, const std::string& run_id, ShardSpec spec, StopSource* stop)
    : spec_(spec), schema_("ls_" + run_id + "_shards"), stop_(stop) {
  conn_ = Connect(target, SessionSettings::Named("ledgerstress/" + run_id + "/shard"));
  Join();
  pqxx::nontransaction(*conn_).exec_params("SELECT set_config('application_name', $1, false)",
                                           "ledgerstress/" + run_id + "/shard" + std::to_string(spec_.index));
  wake_ = std::make_unique<Wake>(*conn_, schema_);
}

ShardLink::~ShardLink() = default;

void ShardLink::Join() {
  pqxx::work tx(*conn_);
  const std::string s = tx.quote_name(schema_);
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", "ledgerstress-shards-" + schema_);
  tx.exec("CREATE SCHEMA IF NOT EXISTS " + s);
  tx.exec("CREATE TABLE IF NOT EXISTS " + s + ".shards (shard int PRIMARY KEY, shards int NOT NULL, host text, " +
          "pid int, backend_pid int, joined timestamptz NOT NULL DEFAULT now())");
  tx.exec("CREATE TABLE IF NOT EXISTS " + s + ".posts (key text, shard int, body text NOT NULL, " +
          "posted timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (key, shard))");
  if (spec_.index == ShardSpec::kAuto) {
    const pqxx::result free = tx.exec_params("SELECT i FROM generate_series(0, $1 - 1) i WHERE NOT EXISTS "
                                             "(SELECT 1 FROM " + s + ".shards WHERE shard = i) ORDER BY i LIMIT 1",
                                             spec_.count);
    if (free.empty()) {
      throw ShardError("--shard auto/" + std::to_string(spec_.count) + ": all " + std::to_string(spec_.count) +
                       " shards of run " + schema_ + " are taken (one process too many, or the run id was used "
                       "before: pick a new --run-id)");
    }
    spec_.index = free[0][0].as<int>();
  }
  const pqxx::result other = tx.exec_params("SELECT shard, shards, host, pid FROM " + s +
                                                ".shards WHERE shard = $1 OR shards <> $2 LIMIT 1",
                                            spec_.index, spec_.count);
  if (!other.empty()) {
    const auto& row = other[0];
    throw ShardError("shard " + row[0].as<std::string>() + " of run " + schema_ + " was joined already as " +
                     row[0].as<std::string>() + "/" + row[1].as<std::string>() + " by host " +
                     row[2].as<std::string>("?") + " (pid " + row[3].as<std::string>("?") +
                     "): every shard of a run needs the same N and its own i, and a run id is used once "
                     "(pick a new --run-id, or drop schema " + schema_ + " left by an earlier run)");
  }
  tx.exec_params("INSERT INTO " + s + ".shards (shard, shards, host, pid, backend_pid) "
                 "VALUES ($1, $2, $3, $4, pg_backend_pid())",
                 spec_.index, spec_.count, ReadHostInfo().name, static_cast<int>(getpid()));
  tx.commit();
}

std::vector<int> ShardLink::Others() const {
  std::vector<int> v;
  for (int i = 0; i < spec_.count; ++i) {
    if (i != spec_.index) v.push_back(i);
  }
  return v;
}

void ShardLink::Post(const std::string& key, const std::string& body) {
  pqxx::work tx(*conn_);
  tx.exec_params("INSERT INTO " + tx.quote_name(schema_) + ".posts (key, shard, body) VALUES ($1, $2, $3) "
                 "ON CONFLICT (key, shard) DO UPDATE SET body = EXCLUDED.body, posted = clock_timestamp()",
                 key, spec_.index, body);
  tx.exec_params("SELECT pg_notify($1, $2)", schema_, key);
  tx.commit();
}

// The shards of `shards` that registered and whose link's backend is gone.
std::vector<int> ShardLink::Gone(const std::vector<int>& shards) {
  pqxx::nontransaction tx(*conn_);
  const pqxx::result r = tx.exec_params(
      "SELECT shard FROM " + tx.quote_name(schema_) + ".shards s WHERE shard = ANY($1::int[]) AND NOT EXISTS "
      "(SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.backend_pid) ORDER BY shard",
      List(shards));
  std::vector<int> gone;
  for (const auto& row : r) gone.push_back(row[0].as<int>());
  return gone;
}

std::vector<int> ShardLink::JoinedOthers() {
  pqxx::nontransaction tx(*conn_);
  const pqxx::result r = tx.exec_params(
      "SELECT shard FROM " + tx.quote_name(schema_) + ".shards WHERE shard <> $1 ORDER BY shard", spec_.index);
  std::vector<int> joined;
  for (const auto& row : r) joined.push_back(row[0].as<int>());
  return joined;
}

std::string ShardLink::HostOf(int index) {
  pqxx::nontransaction tx(*conn_);
  const pqxx::result r =
      tx.exec_params("SELECT host FROM " + tx.quote_name(schema_) + ".shards WHERE shard = $1", index);
  return r.empty() ? "?" : r[0][0].as<std::string>("?");
}

// "shard 2 (host h) and shard 3 (never joined)"
std::string ShardLink::Describe(const std::vector<int>& shards) {
  std::string s;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string host = HostOf(shards[i]);
    s += (i == 0 ? "" : i + 1 == shards.size() ? " and " : ", ") + std::string("shard ") +
         std::to_string(shards[i]) + (host == "?" ? " (never joined)" : " (host " + host + ")");
  }
  return s;
}

std::vector<std::string> ShardLink::Await(const std::string& key, const std::vector<int>& from) {
  const auto deadline = std::chrono::steady_clock::now() + spec_.timeout;
  for (;;) {
    std::vector<std::string> bodies(from.size());
    std::vector<int> missing;
    const std::uint64_t seen = wake_->received;
    {
      pqxx::nontransaction tx(*conn_);
      const pqxx::result r = tx.exec_params("SELECT shard, body FROM " + tx.quote_name(schema_) +
                                                ".posts WHERE key = $1 AND shard = ANY($2::int[])",
                                            key, List(from));
      for (std::size_t i = 0; i < from.size(); ++i) {
        bool found = false;
        for (const auto& row : r) {
          if (row[0].as<int>() != from[i]) continue;
          bodies[i] = row[1].as<std::string>();
          found = true;
        }
        if (!found) missing.push_back(from[i]);
      }
    }
    if (missing.empty()) return bodies;
    const std::string where = " of " + std::to_string(spec_.count) + " at '" + key + "'";
    if (const std::vector<int> gone = Gone(missing); !gone.empty()) {
      throw ShardError(Describe(gone) + where + ": its process is gone (its link to the server closed)");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw ShardError(Describe(missing) + where + ": not there within " + Ms(spec_.timeout) +
                       " (--shard-timeout)");
    }
    if (stop_->stop_requested()) throw ShardError("stopped while waiting for " + Describe(missing) + where);
    if (wake_->received == seen) conn_->await_notification(0, 100000);
  }
}

void ShardLink::Arrive(const std::string& key) {
  Post(key);
  std::vector<int> all;
  for (int i = 0; i < spec_.count; ++i) all.push_back(i);
  Await(key, all);
}

void ShardLink::Drop() {
  try {
    pqxx::nontransaction tx(*conn_);
    tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema_) + " CASCADE");
  } catch (const std::exception&) {
  }
}

}  // namespace ledgerstress
