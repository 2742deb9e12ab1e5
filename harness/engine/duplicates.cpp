#include "harness/engine/duplicates.h"

namespace ledgerstress {

DuplicateSlots::DuplicateSlots(int workers, int first) : first_(first) {
  for (int w = 0; w < workers; ++w) slots_.push_back(std::make_unique<Slot>());
}

void DuplicateSlots::Offer(int worker, const PlannedCall& call) {
  if (!HasPartner(worker)) return;
  Slot& s = *slots_[static_cast<std::size_t>(worker)];
  std::lock_guard<std::mutex> lock(s.mu);
  s.call = call;
  s.full = true;
}

bool DuplicateSlots::Take(int worker, int round, PlannedCall* out) {
  if (!HasPartner(worker)) return false;
  Slot& s = *slots_[static_cast<std::size_t>(worker ^ 1)];
  std::lock_guard<std::mutex> lock(s.mu);
  if (!s.full || s.call.round != round) return false;
  *out = s.call;
  s.full = false;
  return true;
}

}  // namespace ledgerstress
