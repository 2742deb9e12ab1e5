#ifndef LEDGERSTRESS_HARNESS_ENGINE_SHARD_LINK_H_
#define LEDGERSTRESS_HARNESS_ENGINE_SHARD_LINK_H_

// One process's link to the other shards of a sharded run (`run --shard
// i/N --run-id ID`): every shard runs the same scenario with the same seed
// and run id against one server, and they meet in the run's coordination
// schema, ls_<run id>_shards, which holds two tables: `shards` (who joined:
// host, pid, the backend of its link) and `posts` (what a shard posted
// under a key: a barrier arrival, shard 0's "case ready", a shard's part of
// a case). A post NOTIFYs the schema's channel, so a waiting shard wakes as
// soon as the post commits: the workers of every shard are released within
// one notification's delivery of each other.
//
// A shard that dies is noticed by its link's backend leaving
// pg_stat_activity; one that never arrives, by the timeout. Either is a
// ShardError naming it, never a wait without end.
//
// One ShardLink per process, used from the thread that runs the cases
// (one connection, not thread-safe).

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/interrupt.h"
#include "harness/pg/target.h"
#include "settlement/connection.h"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace ledgerstress {

struct ShardSpec {
  static constexpr int kAuto = -1;
  // This process's shard, from 0; kAuto: the lowest one no process has
  // joined yet, taken when it joins (`--shard auto/N`, for launchers that
  // number nothing, as `docker compose --scale`).
  int index = 0;
  int count = 1;  // shards of the run; 1: not sharded
  // How long a shard waits for the others at a barrier, for shard 0's
  // setup of a case, or (shard 0) for the others' parts.
  std::chrono::milliseconds timeout{60000};
  bool sharded() const { return count > 1; }
};

// The workers a shard runs: global worker indices [first, end), the same
// ones (with the same seeds, users and keys) a one-process run would give
// them. Shards differ by at most one worker.
struct WorkerSlice {
  int first = 0;
  int end = 0;
  int size() const { return end - first; }
  bool Has(int i) const { return i >= first && i < end; }
};
inline WorkerSlice SliceOf(const ShardSpec& shard, int workers) {
  const auto at = [&](int i) { return static_cast<int>(static_cast<long long>(workers) * i / shard.count); };
  return WorkerSlice{at(shard.index), at(shard.index + 1)};
}

// Another shard is missing (gone, or late beyond the timeout), the run id
// is already taken, or the link to the server broke. what() names the
// shard. Exit 3.
class ShardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ShardLink {
 public:
  // Connects, creates the coordination schema when it is missing and
  // registers this shard (spec.index, or with kAuto the lowest free one:
  // spec() then says which). Throws ShardError when shard `index` is
  // registered already (another process runs it, or the run id was used
  // before: pick a new one), every shard of an auto join is taken, or a
  // shard registered another count; InfrastructureError when the server
  // cannot be reached.
  // `fingerprint` stands for what every shard must run alike (the
  // scenario's cases as resolved: seeds, keys, vars); a shard whose
  // fingerprint differs from one already joined is refused.
  ShardLink(const Target& target, const std::string& run_id, ShardSpec spec, const std::string& fingerprint,
            StopSource* stop);
  ShardLink(const ShardLink&) = delete;
  ShardLink& operator=(const ShardLink&) = delete;
  ~ShardLink();

  const ShardSpec& spec() const { return spec_; }
  bool coordinator() const { return spec_.index == 0; }
  const std::string& schema() const { return schema_; }
  // Every shard but this one, ascending.
  std::vector<int> Others() const;

  // Posts `body` under `key` for this shard (a second post of a key
  // replaces the first) and wakes the waiting shards.
  void Post(const std::string& key, const std::string& body = "");
  // How long Await waits for a shard that is still there: kBounded up to
  // the timeout (a barrier: every shard should be there soon); kWhileAlive
  // as long as it is there (its set-up, its last calls, its checks can
  // take any time). A shard that never joined is waited for up to the
  // timeout either way.
  enum class Patience { kBounded, kWhileAlive };
  // Waits until every shard of `from` has posted `key`; their bodies in
  // the order of `from`. Throws ShardError naming the shards that had not
  // when one of them is gone or waited out (Patience), when another shard
  // ended the run (Abort: its reason), or when a stop is requested.
  std::vector<std::string> Await(const std::string& key, const std::vector<int>& from,
                                 Patience patience = Patience::kBounded);
  // One shard's part of a case (AwaitParts): its body when it posted it,
  // else why it never will (`lost`).
  struct Part {
    int shard = 0;
    bool posted = false;
    std::string body;
    std::string lost;  // "shard 1 (host h) of 3 at 'key': its process is gone ..."
  };
  // Waits until each shard of `from` has posted `key`, is gone, ended the
  // run (posted "abort") without posting it, or (one that never joined) is
  // waited out; their parts by shard, ascending. Unlike Await, a shard
  // that is lost is an answer, not an error: the caller resolves its calls.
  // Throws ShardError when a stop is requested.
  std::vector<Part> AwaitParts(const std::string& key, const std::vector<int>& from);
  // Tells every shard that this one ends the run, and why: their Await
  // throws at once instead of waiting out the timeout. Never throws.
  void Abort(const std::string& why);
  // The barrier across shards: Post(key), then Await(key) from every shard.
  void Arrive(const std::string& key);

  // Waits until every shard of the run has joined, or until the timeout
  // has passed since this one did (one that never came, or a stop): the
  // run's end must not drop the coordination schema under a shard that is
  // about to join, which would then never learn why the run ended. Never
  // throws.
  void AwaitJoined();
  // Waits until every other shard that joined and is still there has
  // posted `key` (a shard that is gone is no longer waited for). Throws
  // ShardError after the timeout, naming the ones that had not.
  void AwaitLiving(const std::string& key);
  // Shards of `shards` that joined and whose process is gone, ascending.
  std::vector<int> Gone(const std::vector<int>& shards);
  const std::string& run_id() const { return run_id_; }
  // Shard i's host as it registered ("?" when it has not).
  std::string HostOf(int index);
  // Whether this shard cleans up at the end: shard 0, or when shard 0 is
  // gone, the lowest shard still there. Never throws (false on error).
  bool CleansUp();
  // Drops `schemas` (those that exist) and the coordination schema, once
  // the others are done. Never throws.
  void Drop(const std::vector<std::string>& schemas);

 private:
  class Wake;
  std::string Describe(const std::vector<int>& shards);
  std::vector<int> JoinedOthers();
  std::vector<int> Missing(const std::string& key, const std::vector<int>& from);
  std::vector<std::string> Bodies(const std::string& key, const std::vector<int>& from);
  std::vector<int> Alive(const std::vector<int>& shards);
  std::vector<Part> PartsNow(const std::string& key, const std::vector<int>& from, bool late);
  void AwaitSchema(std::chrono::steady_clock::time_point deadline);
  // The one wait loop of Await, AwaitParts and AwaitLiving: calls `step`
  // until it returns a value, woken by each post's notification (or every
  // 100 ms). `step` sets *waiting to whom it still waits for and throws
  // ShardError to give up; a stop request ends the wait naming them.
  template <class T, class Step>
  T Poll(Step step);
  void Join(const std::string& fingerprint);
  void TakeFreeIndex(pqxx::transaction_base& tx);
  void CheckLikeTheOthers(pqxx::transaction_base& tx, const std::string& fingerprint);

  ShardSpec spec_;
  std::chrono::steady_clock::time_point joined_at_ = std::chrono::steady_clock::now();
  std::string run_id_;
  std::string schema_;
  StopSource* stop_;
  std::unique_ptr<settlement::Connection> conn_;
  std::unique_ptr<Wake> wake_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_SHARD_LINK_H_
