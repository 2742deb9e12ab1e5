#ifndef LEDGERSTRESS_HARNESS_FAULTS_FAULT_H_
#define LEDGERSTRESS_HARNESS_FAULTS_FAULT_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "harness/pg/target.h"
#include "model/run_result.h"

namespace ledgerstress {

// A fault a case injects beside its workers: one row of the fault table
// (harness/engine/fault_table.h) makes it; CaseWatchers drives it.
//
// Contract, all from the thread that runs the case: constructed before the
// workers connect; Start() once every worker is connected; Stop() after the
// workers have joined (it returns promptly, also mid-period: a Ctrl-C or the
// case's end never waits out a period; a second Stop() does nothing); then
// AddTo() once. A fault touches only the run's own sessions and never
// throws from Stop() or AddTo(): what it could not do goes into
// FaultReport::missing.
class Fault {
 public:
  virtual ~Fault() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;
  // Writes its figures into `out`, leaving the other faults' as they are.
  virtual void AddTo(FaultReport* out) const = 0;

  // Where worker `i` publishes the user of its call in flight, for a fault
  // that needs to know (nullptr: it does not).
  virtual std::atomic<std::int64_t>* InFlightSlot(int /*i*/) { return nullptr; }
  // What the workers (and their drivers) connect to, for a fault that sits
  // on the wire between them and the server (nullptr: the server itself).
  // Valid for the fault's lifetime.
  virtual const Target* WorkerTarget() const { return nullptr; }
};

// Adds what a fault could not do to out->missing ("a; b"); nothing when
// `why` is empty.
inline void AddMissing(FaultReport* out, const std::string& why) {
  if (!why.empty()) out->missing += (out->missing.empty() ? "" : "; ") + why;
}

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_FAULT_H_
