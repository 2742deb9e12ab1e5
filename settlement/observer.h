#ifndef LEDGERSTRESS_SETTLEMENT_OBSERVER_H_
#define LEDGERSTRESS_SETTLEMENT_OBSERVER_H_

namespace settlement {

// What the settlement code reports about its own work. The harness installs
// an implementation that counts; production code passes NoopObserver.
//
// Thread safety: an observer is used by one connection's calls at a time
// (one per worker), so implementations need no locking of their own.
class Observer {
 public:
  virtual ~Observer() = default;

  // One SQL statement sent to the server (BEGIN, COMMIT and SAVEPOINT
  // included), costing round_trips client/server exchanges.
  virtual void OnStatement(int round_trips) {}
};

// An observer that ignores everything.
class NoopObserver final : public Observer {};

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_OBSERVER_H_
