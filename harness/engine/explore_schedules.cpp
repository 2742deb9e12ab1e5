#include "harness/engine/explore_schedules.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace ledgerstress {
namespace {

constexpr std::uint64_t kTooMany = std::numeric_limits<std::uint64_t>::max();

// C(n, k), or kTooMany.
std::uint64_t Binomial(std::uint64_t n, std::uint64_t k) {
  k = std::min(k, n - k);
  unsigned __int128 r = 1;
  for (std::uint64_t i = 1; i <= k; ++i) {
    r = r * (n - k + i) / i;  // exact: r * (n-k+i) is C(n-k+i, i) * i
    if (r >= kTooMany) return kTooMany;
  }
  return static_cast<std::uint64_t>(r);
}

}  // namespace

std::uint64_t InterleavingCount(const std::vector<int>& steps) {
  unsigned __int128 r = 1;
  std::uint64_t n = 0;
  for (const int s : steps) {
    n += static_cast<std::uint64_t>(s);
    const std::uint64_t b = Binomial(n, static_cast<std::uint64_t>(s));
    if (b == kTooMany) return kTooMany;
    r *= b;
    if (r >= kTooMany) return kTooMany;
  }
  return static_cast<std::uint64_t>(r);
}

StepOrder NthInterleaving(const std::vector<int>& steps, std::uint64_t id) {
  std::vector<int> left = steps;
  const int total = std::accumulate(steps.begin(), steps.end(), 0);
  StepOrder out;
  out.reserve(static_cast<std::size_t>(total));
  for (int pos = 0; pos < total; ++pos) {
    for (std::size_t s = 0; s < left.size(); ++s) {
      if (left[s] == 0) continue;
      --left[s];
      const std::uint64_t below = InterleavingCount(left);  // the orders that take s here
      if (id < below) {
        out.push_back(static_cast<int>(s));
        break;
      }
      id -= below;
      ++left[s];
    }
  }
  return out;
}

StepOrder PctSchedule(const std::vector<int>& steps, int depth, std::uint64_t seed, std::uint64_t id) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(id >> 32), 0x5C7u};
  std::mt19937_64 rng(seq);
  const int n = static_cast<int>(steps.size());
  const int total = std::accumulate(steps.begin(), steps.end(), 0);
  std::vector<int> priority(static_cast<std::size_t>(n));
  std::iota(priority.begin(), priority.end(), depth);  // depth .. depth+n-1: above every change point's
  std::shuffle(priority.begin(), priority.end(), rng);
  std::vector<int> change(static_cast<std::size_t>(std::max(depth - 1, 0)));
  for (int& c : change) c = std::uniform_int_distribution<int>(1, std::max(total, 1))(rng);
  std::vector<int> left = steps;
  StepOrder out;
  for (int step = 1; step <= total; ++step) {
    int best = -1;
    for (int s = 0; s < n; ++s) {
      if (left[static_cast<std::size_t>(s)] > 0 && (best < 0 || priority[s] > priority[best])) best = s;
    }
    for (std::size_t j = 0; j < change.size(); ++j) {
      if (change[j] == step) priority[static_cast<std::size_t>(best)] = static_cast<int>(j) + 1 - depth;  // below every other
    }
    // The priority drop takes effect before the step: another session may run now.
    best = -1;
    for (int s = 0; s < n; ++s) {
      if (left[static_cast<std::size_t>(s)] > 0 && (best < 0 || priority[s] > priority[best])) best = s;
    }
    out.push_back(best);
    --left[static_cast<std::size_t>(best)];
  }
  return out;
}

double PctProbability(int sessions, int steps, int depth) {
  return 1.0 / (static_cast<double>(sessions) * std::pow(static_cast<double>(steps), depth - 1));
}

std::uint64_t PctSchedulesFor99(double p) {
  if (p >= 1) return 1;
  return static_cast<std::uint64_t>(std::ceil(std::log(0.01) / std::log1p(-p)));
}

int ContextSwitches(const StepOrder& s) {
  int n = 0;
  for (std::size_t i = 1; i < s.size(); ++i) n += s[i] != s[i - 1];
  return n;
}

std::string ScheduleText(const StepOrder& s) {
  std::string out;
  for (const int x : s) out += (out.empty() ? "" : " ") + std::to_string(x + 1);
  return out;
}

}  // namespace ledgerstress
