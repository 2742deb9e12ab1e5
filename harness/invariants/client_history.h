#ifndef LEDGERSTRESS_HARNESS_INVARIANTS_CLIENT_HISTORY_H_
#define LEDGERSTRESS_HARNESS_INVARIANTS_CLIENT_HISTORY_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ledgerstress {

// What the clients saw of their calls (as Jepsen's history), for
// acknowledged_writes_durable. A worker's call number n uses the idempotency
// key `key_prefix + n`, so the history keeps no keys: per call one byte
// (operation and outcome), the offset of its arguments, and the arguments
// the check compares with the row the call left.
//
// The operations it tracks are registered first (Track): each with the
// query that finds what a call under a key left (the operation table's
// durable_sql) and the names of the arguments recorded for each call, so
// the check works for any operation that has one.
//
// Filled by one thread per Log (its worker), read after the workers joined.
class ClientHistory {
 public:
  // kNoEffect: the call ended well and said it took no effect.
  enum Seen : std::uint8_t { kOk = 0, kFailed = 1, kInDoubt = 2, kNoEffect = 3 };
  static constexpr std::uint8_t kUntracked = 0xFF;  // a call the check ignores (a SAKA wallet call)
  static constexpr std::size_t kMaxOperations = 63;
  // Separates the recorded arguments of one call (the ASCII unit separator:
  // no generator draws it).
  static constexpr char kArgSeparator = '\x1f';

  struct Operation {
    std::string name;
    std::string durable_sql;  // one parameter, $1: the key
    // The arguments recorded per call, in order (a column of durable_sql's
    // rows named like one of them is compared with it).
    std::vector<std::string> arg_names;
  };

  // The index calls of `name` are packed with; the same index for the same
  // name. REQUIRES: fewer than kMaxOperations operations (std::length_error).
  std::uint8_t Track(const std::string& name, const std::string& durable_sql,
                     std::vector<std::string> arg_names = {}) {
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].name == name) return static_cast<std::uint8_t>(i);
    }
    if (ops_.size() >= kMaxOperations) throw std::length_error("ClientHistory: too many operations");
    ops_.push_back(Operation{name, durable_sql, std::move(arg_names)});
    return static_cast<std::uint8_t>(ops_.size() - 1);
  }
  const std::vector<Operation>& operations() const { return ops_; }

  static std::uint8_t Pack(std::uint8_t op, Seen seen) { return static_cast<std::uint8_t>(op << 2 | seen); }

  // One worker's calls: calls[n] is Pack(op, seen) or kUntracked for the
  // call whose key is key_prefix + n. Its recorded arguments (joined by
  // kArgSeparator) are args[args_end[n-1] .. args_end[n]) (from 0 for n = 0);
  // args_end may be empty when no call recorded any.
  struct Log {
    std::string key_prefix;
    std::vector<std::uint8_t> calls;
    std::string args;
    std::vector<std::uint32_t> args_end;

    std::string_view ArgsOf(std::size_t n) const {
      if (n >= args_end.size()) return {};
      const std::uint32_t from = n == 0 ? 0 : args_end[n - 1];
      return std::string_view(args).substr(from, args_end[n] - from);
    }
  };

  void Add(Log log) { logs_.push_back(std::move(log)); }
  const std::vector<Log>& logs() const { return logs_; }

  // Calls f(key, operation, seen, args) for every tracked call, worker by
  // worker, then the duplicates.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Log& log : logs_) {
      for (std::size_t n = 0; n < log.calls.size(); ++n) {
        const std::uint8_t c = log.calls[n];
        if (c == kUntracked) continue;
        f(log.key_prefix + std::to_string(n), ops_.at(c >> 2), static_cast<Seen>(c & 3), log.ArgsOf(n));
      }
    }
    for (const Duplicate& d : duplicates_) {
      f(d.key, ops_.at(d.call >> 2), static_cast<Seen>(d.call & 3), std::string_view(d.args));
    }
  }

  // A call sent again under a key already in a log (duplicate_rate): its
  // own entry, under that key. The check combines every entry of a key: ok
  // if any copy was acknowledged, else in doubt if any copy was, else no
  // effect if any copy said so, else failed.
  struct Duplicate {
    std::string key;
    std::uint8_t call;  // Pack(op, seen)
    std::string args;   // as Log::ArgsOf
  };
  void AddDuplicates(std::vector<Duplicate> d) {
    for (Duplicate& x : d) duplicates_.push_back(std::move(x));
  }
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

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
