#include "harness/drivers/reply_dispatcher.h"

#include "harness/drivers/driver_reply.h"

namespace ledgerstress {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

ReplyDispatcher::Ticket ReplyDispatcher::Expect() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return Ticket{};
  const std::int64_t id = next_id_++;
  slots_[id];
  return Ticket{id, epoch_};
}

std::string ReplyDispatcher::Pending() const {
  std::string ids;
  int n = 0;
  for (const auto& [id, slot] : slots_) {
    if (slot.answered || slot.closed) continue;
    ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    ++n;
  }
  if (n == 0) return " (no call in flight)";
  return " (" + std::string(n == 1 ? "call " : "calls ") + ids + " in flight)";
}

std::string ReplyDispatcher::Deliver(const std::string& line) {
  const json reply = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || !reply.contains("type") || !reply["type"].is_string()) {
    return "wrote a line that is not a protocol message: " + Shorten(line);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!reply.contains("id") || !reply["id"].is_number_integer()) return "answered without an id" + Pending();
  const std::int64_t id = reply["id"].get<std::int64_t>();
  const auto slot = slots_.find(id);
  if (id < epoch_first_id_ || id >= next_id_) return "answered id " + reply["id"].dump() + ", which it was not asked" + Pending();
  if (slot == slots_.end() || slot->second.answered) return "answered id " + std::to_string(id) + " twice" + Pending();
  if (const std::string p = ReplyTypeProblem(reply); !p.empty()) return p;
  slot->second.answered = true;
  slot->second.reply = reply;
  cv_.notify_all();
  return "";
}

ReplyDispatcher::Wait ReplyDispatcher::Await(const Ticket& ticket, Clock::time_point deadline,
                                             const std::function<bool()>& stopped, json* reply,
                                             std::string* problem) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto slot = slots_.find(ticket.id);
  if (ticket.id == 0 || slot == slots_.end()) {
    *problem = closed_because_;
    return Wait::kClosed;
  }
  for (;;) {
    if (slot->second.answered) {  // also when the process ended after answering
      *reply = std::move(slot->second.reply);
      slots_.erase(slot);
      return Wait::kReply;
    }
    if (slot->second.closed) {
      *problem = slot->second.problem;
      slots_.erase(slot);
      return Wait::kClosed;
    }
    const auto now = Clock::now();
    if (now >= deadline) return Wait::kTimeout;
    if (stopped) {
      lock.unlock();  // stopped() may take locks of its own
      const bool stop = stopped();
      lock.lock();
      if (stop) return Wait::kStopped;
    }
    cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(50)));
  }
}

std::string ReplyDispatcher::AwaitClose(const Ticket& ticket) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto slot = slots_.find(ticket.id);
  if (slot == slots_.end()) return closed_because_;
  cv_.wait(lock, [&] { return slot->second.closed; });
  std::string problem = std::move(slot->second.problem);
  slots_.erase(slot);
  return problem;
}

void ReplyDispatcher::Close(const std::string& problem) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return;
  open_ = false;
  closed_because_ = problem;
  for (auto& [id, slot] : slots_) {
    if (slot.closed) continue;
    slot.closed = true;
    slot.problem = problem;
  }
  cv_.notify_all();
}

void ReplyDispatcher::Open() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = true;
  ++epoch_;
  epoch_first_id_ = next_id_;
}

bool ReplyDispatcher::IsCurrent(const Ticket& ticket) const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_ && ticket.id != 0 && ticket.epoch == epoch_;
}

std::size_t ReplyDispatcher::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, slot] : slots_) n += !slot.answered && !slot.closed;
  return n;
}

}  // namespace ledgerstress
