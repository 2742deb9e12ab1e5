#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_CLIENT_HISTORY_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_CLIENT_HISTORY_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ledgerstress {

// What the clients saw of their calls (as Jepsen's history), for
// acknowledged_writes_durable. A worker's call number n uses the idempotency
// key `key_prefix + n`, so the history keeps one byte per call and no keys:
// memory grows by 1 byte a call, not by a string.
//
// The operations it tracks are registered first (Track): each with the
// query that counts the rows a call under a key left (the operation table's
// durable_sql), so the check works for any operation that has one.
class ClientHistory {
 public:
  enum Seen : std::uint8_t { kOk = 0, kFailed = 1, kInDoubt = 2 };
  static constexpr std::uint8_t kUntracked = 0xFF;  // a call the check ignores (a SAKA wallet call)
  static constexpr std::size_t kMaxOperations = 63;

  struct Operation {
    std::string name;
    std::string durable_sql;  // one parameter, $1: the key
  };

  // The index calls of `name` are packed with; the same index for the same
  // name. REQUIRES: fewer than kMaxOperations operations (std::length_error).
  std::uint8_t Track(const std::string& name, const std::string& durable_sql) {
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].name == name) return static_cast<std::uint8_t>(i);
    }
    if (ops_.size() >= kMaxOperations) throw std::length_error("ClientHistory: too many operations");
    ops_.push_back(Operation{name, durable_sql});
    return static_cast<std::uint8_t>(ops_.size() - 1);
  }
  const std::vector<Operation>& operations() const { return ops_; }

  static std::uint8_t Pack(std::uint8_t op, Seen seen) { return static_cast<std::uint8_t>(op << 2 | seen); }

  // One worker's calls: calls[n] is Pack(op, seen) or kUntracked for the
  // call whose key is key_prefix + n.
  struct Log {
    std::string key_prefix;
    std::vector<std::uint8_t> calls;
  };

  void Add(Log log) { logs_.push_back(std::move(log)); }

  // Calls f(key, operation, seen) for every tracked call, worker by worker.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Log& log : logs_) {
      for (std::size_t n = 0; n < log.calls.size(); ++n) {
        const std::uint8_t c = log.calls[n];
        if (c == kUntracked) continue;
        f(log.key_prefix + std::to_string(n), ops_.at(c >> 2), static_cast<Seen>(c & 3));
      }
    }
    for (const Duplicate& d : duplicates_) f(d.key, ops_.at(d.call >> 2), static_cast<Seen>(d.call & 3));
  }

  // A call sent again under a key already in a log (duplicate_rate): its
  // own entry, under that key. The check combines every entry of a key: ok
  // if any copy was acknowledged, else in doubt if any copy was, else failed.
  struct Duplicate {
    std::string key;
    std::uint8_t call;  // Pack(op, seen)
  };
  void AddDuplicates(std::vector<Duplicate> d) {
    for (Duplicate& x : d) duplicates_.push_back(std::move(x));
  }

  // Race workload: the wallet id each successful call returned, with the
  // user it asked for (one pair per call whose code reports it).
  using Return = std::pair<std::int64_t, std::int64_t>;  // user id, wallet id
  void AddReturns(const std::vector<Return>& r) { returns_.insert(returns_.end(), r.begin(), r.end()); }
  const std::vector<Return>& returns() const { return returns_; }

  std::size_t TrackedCalls() const {
    std::size_t n = 0;
    for (const Log& log : logs_) {
      for (std::uint8_t c : log.calls) n += c != kUntracked;
    }
    return n;
  }

 private:
  std::vector<Operation> ops_;
  std::vector<Log> logs_;
  std::vector<Duplicate> duplicates_;
  std::vector<Return> returns_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_INVARIANTS_CLIENT_HISTORY_H_
