#ifndef LEDGERSTRESS_HARNESS_ENGINE_DUPLICATES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_DUPLICATES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ledgerstress {

// One call as planned, enough to send it again identically: the operation
// (its index in the case's BoundOps), the seed of the RNG its arguments are
// drawn from, its idempotency key, and its round.
struct PlannedCall {
  std::size_t op = 0;
  std::uint64_t seed = 0;
  std::string key;
  int round = 0;
};

// The same request sent by two workers at once (duplicate_rate): workers
// are paired (0 with 1, 2 with 3, ...); a worker offers the call it is about
// to make, and its partner, at the start of its next call, takes the offer
// and sends that call too while the first is likely still in flight. A
// worker without a partner (the last of an odd count) offers nothing.
//
// Thread-safe: each worker calls Offer and Take from its own thread.
class DuplicateSlots {
 public:
  // The workers [first, workers) of this process (a shard of a sharded run
  // runs a slice: a partner outside it is no partner).
  explicit DuplicateSlots(int workers, int first = 0);

  // Whether `worker` has a partner to offer calls to.
  bool HasPartner(int worker) const {
    return (worker ^ 1) < static_cast<int>(slots_.size()) && (worker ^ 1) >= first_;
  }
  // Offers `call` to `worker`'s partner, replacing an offer not yet taken.
  void Offer(int worker, const PlannedCall& call);
  // Takes the partner's pending offer for `round` into *out; false if none.
  bool Take(int worker, int round, PlannedCall* out);

 private:
  struct Slot {
    std::mutex mu;
    bool full = false;  // GUARDED_BY(mu)
    PlannedCall call;   // GUARDED_BY(mu)
  };
  std::vector<std::unique_ptr<Slot>> slots_;  // slots_[w]: worker w's offer
  int first_ = 0;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_DUPLICATES_H_
