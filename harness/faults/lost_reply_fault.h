#ifndef LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_FAULT_H_
#define LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_FAULT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "harness/faults/fault.h"
#include "harness/faults/lost_reply_proxy.h"
#include "harness/pg/target.h"

namespace ledgerstress {

// lost_reply_every: the case's workers connect through a LostReplyProxy of
// ours, which every `every` is armed to let the next COMMIT reach the
// server and lose its reply. The calls whose reply is lost really committed
// and the client cannot know: the code under test must resolve them by key
// (a fresh session and a lookup), never by doing the work again blindly.
// Works against any server the proxy can reach without SSL: it lives on our
// side of the wire.
//
// Built and driven by the thread that runs the case; the arming runs on a
// thread of its own between Start() and Stop() (or destruction).
class LostReplyFault final : public Fault {
 public:
  // Starts the proxy in front of `server`. Throws InfrastructureError when
  // the proxy cannot listen or `server`'s address cannot be read.
  LostReplyFault(const Target& server, std::chrono::milliseconds every);
  ~LostReplyFault();
  LostReplyFault(const LostReplyFault&) = delete;
  LostReplyFault& operator=(const LostReplyFault&) = delete;

  // What the workers connect to: `server` with the proxy's host and port.
  const Target& worker_target() const { return worker_target_; }
  // Arms the proxy every `every` until Stop(). Wakes at once on Stop().
  void Start() override;
  void Stop() override;
  // The figure replies_lost.
  void AddTo(FaultReport* out) const override {
    out->Set("replies_lost", static_cast<double>(replies_lost()),
             std::to_string(replies_lost()) + " COMMIT reply(ies) lost");
  }
  const Target* WorkerTarget() const override { return &worker_target_; }
  // Replies lost so far (COMMITs applied whose client never heard).
  std::int64_t replies_lost() const { return static_cast<std::int64_t>(proxy_->dropped()); }

 private:
  std::chrono::milliseconds every_;
  std::unique_ptr<LostReplyProxy> proxy_;
  Target worker_target_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_FAULTS_LOST_REPLY_FAULT_H_
