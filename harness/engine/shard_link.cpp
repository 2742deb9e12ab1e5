#include "harness/engine/shard_link.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <thread>

#include <pqxx/pqxx>

#include "harness/host_info.h"

namespace ledgerstress {

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

ShardLink::ShardLink(const Target& target, const std::string& run_id, ShardSpec spec, const std::string& fingerprint,
                     StopSource* stop)
    : spec_(spec), run_id_(run_id), schema_("ls_" + run_id + "_shards"), stop_(stop) {
  conn_ = Connect(target, SessionSettings::Named("ledgerstress/" + run_id + "/shard"));
  Join(fingerprint);
  pqxx::nontransaction(*conn_).exec_params("SELECT set_config('application_name', $1, false)",
                                           "ledgerstress/" + run_id + "/shard" + std::to_string(spec_.index));
  wake_ = std::make_unique<Wake>(*conn_, schema_);
}

ShardLink::~ShardLink() = default;

// A shard other than 0 joins a run shard 0 (or an auto shard) has made,
// so that one that comes after the run ended does not make a new one.
void ShardLink::AwaitSchema(std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    pqxx::nontransaction tx(*conn_);
    if (!tx.exec_params1("SELECT to_regclass($1) IS NULL", tx.quote_name(schema_) + ".shards")[0].as<bool>()) return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw ShardError("run " + run_id_ + ": no shard 0 within " + Ms(spec_.timeout) + " (schema " + schema_ +
                       " does not exist): start shard 0 (or --shard auto/N) with the same --run-id; a run that "
                       "has ended cannot be joined");
    }
    if (stop_->stop_requested()) throw ShardError("stopped while waiting for shard 0 of run " + run_id_);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void ShardLink::Join(const std::string& fingerprint) {
  if (spec_.index > 0) AwaitSchema(std::chrono::steady_clock::now() + spec_.timeout);
  pqxx::work tx(*conn_);
  const std::string s = tx.quote_name(schema_);
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", "ledgerstress-shards-" + schema_);
  tx.exec("CREATE SCHEMA IF NOT EXISTS " + s);
  tx.exec("CREATE TABLE IF NOT EXISTS " + s + ".shards (shard int PRIMARY KEY, shards int NOT NULL, host text, " +
          "pid int, backend_pid int, fingerprint text NOT NULL, joined timestamptz NOT NULL DEFAULT now())");
  tx.exec("CREATE TABLE IF NOT EXISTS " + s + ".posts (key text, shard int, body text NOT NULL, " +
          "posted timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (key, shard))");
  if (spec_.index == ShardSpec::kAuto) TakeFreeIndex(tx);
  CheckLikeTheOthers(tx, fingerprint);
  tx.exec_params("INSERT INTO " + s + ".shards (shard, shards, host, pid, backend_pid, fingerprint) "
                 "VALUES ($1, $2, $3, $4, pg_backend_pid(), $5)",
                 spec_.index, spec_.count, ReadHostInfo().name, static_cast<int>(getpid()), fingerprint);
  tx.commit();
}

void ShardLink::TakeFreeIndex(pqxx::transaction_base& tx) {
  const pqxx::result free = tx.exec_params("SELECT i FROM generate_series(0, $1 - 1) i WHERE NOT EXISTS "
                                           "(SELECT 1 FROM " + tx.quote_name(schema_) + ".shards WHERE shard = i) "
                                           "ORDER BY i LIMIT 1",
                                           spec_.count);
  if (free.empty()) {
    throw ShardError("--shard auto/" + std::to_string(spec_.count) + ": all " + std::to_string(spec_.count) +
                     " shards of run " + schema_ + " are taken (one process too many, or the run id was used "
                     "before: pick a new --run-id)");
  }
  spec_.index = free[0][0].as<int>();
}

// Refuses this shard when one already joined has its index, another count
// or another fingerprint: every shard must run the same cases alike.
void ShardLink::CheckLikeTheOthers(pqxx::transaction_base& tx, const std::string& fingerprint) {
  const pqxx::result rows = tx.exec("SELECT shard, shards, host, pid, fingerprint FROM " + tx.quote_name(schema_) +
                                    ".shards ORDER BY shard");
  const std::string me = std::to_string(spec_.index) + "/" + std::to_string(spec_.count);
  for (const auto& row : rows) {
    const std::string who = "shard " + row[0].as<std::string>() + "/" + row[1].as<std::string>() + " (host " +
                            row[2].as<std::string>("?") + ", pid " + row[3].as<std::string>("?") + ")";
    if (row[0].as<int>() == spec_.index) {
      throw ShardError("run " + run_id_ + ": shard " + me + " was joined already by " + who +
                       ": every shard needs its own I (or use --shard auto/N), and a run id is used once "
                       "(pick a new --run-id, or drop schema " + schema_ + " left by an earlier run)");
    }
    if (row[1].as<int>() != spec_.count) {
      throw ShardError("run " + run_id_ + ": this process is shard " + me + " but " + who +
                       " joined with another count of shards: every shard needs the same N");
    }
    if (row[4].as<std::string>() != fingerprint) {
      throw ShardError("run " + run_id_ + ": shard " + me + " would run other cases than " + who +
                       " (another scenario file, --seed, --set, --case or --repeat, or another version of ledgerstress; a "
                       "scenario without `seed` draws one in each process: give every shard the same --seed)");
    }
  }
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

template <class T, class Step>
T ShardLink::Poll(Step step) {
  for (;;) {
    const std::uint64_t seen = wake_->received;
    std::string waiting;
    if (std::optional<T> done = step(&waiting)) return *std::move(done);
    if (stop_->stop_requested()) throw ShardError("stopped while waiting for " + waiting);
    if (wake_->received == seen) conn_->await_notification(0, 100000);
  }
}

void ShardLink::AwaitLiving(const std::string& key) {
  const auto deadline = std::chrono::steady_clock::now() + spec_.timeout;
  const std::string where = " of " + std::to_string(spec_.count) + " at '" + key + "'";
  Poll<bool>([&](std::string* waiting) -> std::optional<bool> {
    std::vector<int> missing;
    {
      pqxx::nontransaction tx(*conn_);
      const pqxx::result r = tx.exec_params(
          "SELECT s.shard FROM " + tx.quote_name(schema_) + ".shards s WHERE s.shard <> $1 AND NOT EXISTS "
          "(SELECT 1 FROM " + tx.quote_name(schema_) + ".posts p WHERE p.key = $2 AND p.shard = s.shard) "
          "AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.backend_pid) ORDER BY s.shard",
          spec_.index, key);
      for (const auto& row : r) missing.push_back(row[0].as<int>());
    }
    if (missing.empty()) return true;
    if (std::chrono::steady_clock::now() > deadline) {
      throw ShardError(Describe(missing) + where + ": not there within " + Ms(spec_.timeout) + " (--shard-timeout)");
    }
    *waiting = Describe(missing) + where;
    return std::nullopt;
  });
}

void ShardLink::AwaitJoined() {
  try {
    while (static_cast<int>(JoinedOthers().size()) < spec_.count - 1 && !stop_->stop_requested() &&
           std::chrono::steady_clock::now() < joined_at_ + spec_.timeout) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } catch (const std::exception&) {
  }
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

// The shards of `from` that have not posted `key`. Throws ShardError when
// another shard posted "abort".
std::vector<int> ShardLink::Missing(const std::string& key, const std::vector<int>& from) {
  std::vector<int> missing = from;
  int aborted = -1;
  std::string why;
  {
    pqxx::nontransaction tx(*conn_);
    const pqxx::result r = tx.exec_params(
        "SELECT shard, key, CASE WHEN key = 'abort' THEN body END FROM " + tx.quote_name(schema_) +
            ".posts WHERE (key = $1 AND shard = ANY($2::int[])) OR (key = 'abort' AND shard <> $3) ORDER BY shard",
        key, List(from), spec_.index);
    for (const auto& row : r) {
      const int shard = row[0].as<int>();
      if (row[1].as<std::string>() == "abort" && key != "abort") {
        if (aborted < 0) aborted = shard, why = row[2].as<std::string>("");
        continue;
      }
      missing.erase(std::remove(missing.begin(), missing.end(), shard), missing.end());
    }
  }
  if (aborted >= 0 && !missing.empty()) {
    throw ShardError("shard " + std::to_string(aborted) + " (host " + HostOf(aborted) + ") ended the run: " + why);
  }
  return missing;
}

std::vector<std::string> ShardLink::Bodies(const std::string& key, const std::vector<int>& from) {
  pqxx::nontransaction tx(*conn_);
  const pqxx::result r = tx.exec_params("SELECT shard, body FROM " + tx.quote_name(schema_) +
                                            ".posts WHERE key = $1 AND shard = ANY($2::int[])",
                                        key, List(from));
  std::vector<std::string> bodies(from.size());
  for (const auto& row : r) {
    const auto at = std::find(from.begin(), from.end(), row[0].as<int>());
    if (at != from.end()) bodies[static_cast<std::size_t>(at - from.begin())] = row[1].as<std::string>();
  }
  return bodies;
}

// The shards of `shards` that joined and are still there.
std::vector<int> ShardLink::Alive(const std::vector<int>& shards) {
  pqxx::nontransaction tx(*conn_);
  const pqxx::result r = tx.exec_params(
      "SELECT shard FROM " + tx.quote_name(schema_) + ".shards s WHERE shard = ANY($1::int[]) AND EXISTS "
      "(SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.backend_pid) ORDER BY shard",
      List(shards));
  std::vector<int> alive;
  for (const auto& row : r) alive.push_back(row[0].as<int>());
  return alive;
}

std::vector<std::string> ShardLink::Await(const std::string& key, const std::vector<int>& from, Patience patience) {
  const auto deadline = std::chrono::steady_clock::now() + spec_.timeout;
  const std::string where = " of " + std::to_string(spec_.count) + " at '" + key + "'";
  return Poll<std::vector<std::string>>([&](std::string* waiting) -> std::optional<std::vector<std::string>> {
    const std::vector<int> missing = Missing(key, from);  // bodies fetched once, below: a part can be large
    if (missing.empty()) return Bodies(key, from);
    if (const std::vector<int> gone = Gone(missing); !gone.empty()) {
      throw ShardError(Describe(gone) + where + ": its process is gone (its link to the server closed); the run "
                       "cannot go on without it: start the whole run again under a new --run-id");
    }
    const bool all_there = patience == Patience::kWhileAlive && Alive(missing).size() == missing.size();
    if (!all_there && std::chrono::steady_clock::now() > deadline) {
      throw ShardError(Describe(missing) + where + ": not there within " + Ms(spec_.timeout) + " (--shard-timeout)");
    }
    *waiting = Describe(missing) + where;
    return std::nullopt;
  });
}

std::vector<ShardLink::Part> ShardLink::AwaitParts(const std::string& key, const std::vector<int>& from) {
  const auto deadline = std::chrono::steady_clock::now() + spec_.timeout;
  const std::string where = " of " + std::to_string(spec_.count) + " at '" + key + "'";
  return Poll<std::vector<Part>>([&](std::string* waiting) -> std::optional<std::vector<Part>> {
    std::vector<Part> parts = PartsNow(key, from, std::chrono::steady_clock::now() > deadline);
    std::vector<int> posted, still;
    for (Part& p : parts) {
      if (p.posted) posted.push_back(p.shard);
      if (p.lost == "gone") {
        p.lost = Describe({p.shard}) + where + ": its process is gone (its link to the server closed)";
      } else if (p.lost == "late") {
        p.lost = Describe({p.shard}) + where + ": not there within " + Ms(spec_.timeout) + " (--shard-timeout)";
      } else if (!p.posted && p.lost.empty()) {
        still.push_back(p.shard);
      }
    }
    if (!still.empty()) {
      *waiting = Describe(still) + where;
      return std::nullopt;
    }
    const std::vector<std::string> bodies = Bodies(key, posted);
    for (Part& p : parts) {
      const auto at = std::find(posted.begin(), posted.end(), p.shard);
      if (at != posted.end()) p.body = bodies[static_cast<std::size_t>(at - posted.begin())];
    }
    return parts;
  });
}

// Where each shard of `from` stands with `key`: posted; lost as "gone",
// "late" (never joined, `late` is true), or "shard i (host h) ended the
// run: why"; or still to come (lost empty).
std::vector<ShardLink::Part> ShardLink::PartsNow(const std::string& key, const std::vector<int>& from, bool late) {
  pqxx::nontransaction tx(*conn_);
  const std::string s = tx.quote_name(schema_);
  const pqxx::result r = tx.exec_params(
      "SELECT f.shard, EXISTS (SELECT 1 FROM " + s + ".posts p WHERE p.key = $1 AND p.shard = f.shard),"
      " (SELECT body FROM " + s + ".posts p WHERE p.key = 'abort' AND p.shard = f.shard), sh.shard IS NOT NULL,"
      " sh.shard IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = sh.backend_pid)"
      " FROM unnest($2::int[]) AS f(shard) LEFT JOIN " + s + ".shards sh ON sh.shard = f.shard ORDER BY f.shard",
      key, List(from));
  std::vector<Part> parts;
  std::vector<std::string> aborted;  // why, for the shards that ended the run
  for (const auto& row : r) {
    Part p;
    p.shard = row[0].as<int>();
    p.posted = row[1].as<bool>();
    aborted.push_back(!p.posted && !row[2].is_null() ? row[2].as<std::string>() : "");
    if (!p.posted && row[2].is_null() && row[4].as<bool>()) {
      p.lost = "gone";
    } else if (!p.posted && row[2].is_null() && !row[3].as<bool>() && late) {
      p.lost = "late";
    }
    parts.push_back(std::move(p));
  }
  tx.commit();  // HostOf opens a transaction of its own on the connection
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (aborted[i].empty() || parts[i].posted) continue;
    parts[i].lost = "shard " + std::to_string(parts[i].shard) + " (host " + HostOf(parts[i].shard) +
                    ") ended the run: " + aborted[i];
  }
  return parts;
}

void ShardLink::Abort(const std::string& why) {
  try {
    Post("abort", why);
  } catch (const std::exception&) {
  }
}

void ShardLink::Arrive(const std::string& key) {
  Post(key);
  std::vector<int> all;
  for (int i = 0; i < spec_.count; ++i) all.push_back(i);
  Await(key, all);
}

bool ShardLink::CleansUp() {
  if (coordinator()) return true;
  try {
    std::vector<int> lower;
    for (int i : JoinedOthers()) {
      if (i < spec_.index) lower.push_back(i);
    }
    return Gone(lower).size() == lower.size();  // shard 0 and every shard below this one are gone
  } catch (const std::exception&) {
    return false;
  }
}

void ShardLink::Drop(const std::vector<std::string>& schemas) {
  std::vector<std::string> all = schemas;
  all.push_back(schema_);  // the coordination schema last
  for (const std::string& schema : all) {
    try {
      pqxx::nontransaction tx(*conn_);
      tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(schema) + " CASCADE");
    } catch (const std::exception&) {
    }
  }
}

}  // namespace ledgerstress
