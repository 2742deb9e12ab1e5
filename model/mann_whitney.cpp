#include "model/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace ledgerstress {
namespace {

// P(U <= u) for samples of sizes m and n without ties: the share of the
// C(m+n, m) orderings whose U statistic is at most u.
double ExactCdf(int m, int n, int u) {
  // ways[i][j][k]: orderings of i values of a and j of b with U = k.
  std::vector<std::vector<std::vector<double>>> ways(
      m + 1, std::vector<std::vector<double>>(n + 1, std::vector<double>(m * n + 1, 0)));
  for (int i = 0; i <= m; ++i) {
    for (int j = 0; j <= n; ++j) {
      if (i == 0 || j == 0) {
        ways[i][j][0] = 1;
        continue;
      }
      for (int k = 0; k <= i * j; ++k) {
        // The largest value is from a (it beats all j of b) or from b.
        ways[i][j][k] = (k >= j ? ways[i - 1][j][k - j] : 0) + ways[i][j - 1][k];
      }
    }
  }
  double below = 0, total = 0;
  for (int k = 0; k <= m * n; ++k) {
    total += ways[m][n][k];
    if (k <= u) below += ways[m][n][k];
  }
  return below / total;
}

}  // namespace

double MannWhitneyP(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t m = a.size(), n = b.size();
  if (m == 0 || n == 0) return 1;
  std::vector<std::pair<double, int>> all;
  for (double v : a) all.emplace_back(v, 0);
  for (double v : b) all.emplace_back(v, 1);
  std::sort(all.begin(), all.end());
  // Ranks with ties averaged; tie groups for the variance correction.
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    const double t = static_cast<double>(j - i);
    if (t > 1) ties = true;
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k) {
      if (all[k].second == 0) rank_sum_a += rank;
    }
    i = j;
  }
  const double md = static_cast<double>(m), nd = static_cast<double>(n), N = md + nd;
  const double u_a = rank_sum_a - md * (md + 1) / 2;
  const double u_min = std::min(u_a, md * nd - u_a);
  if (!ties && m <= 25 && n <= 25) {
    return std::min(1.0, 2 * ExactCdf(static_cast<int>(m), static_cast<int>(n), static_cast<int>(std::lround(u_min))));
  }
  const double variance = md * nd / 12 * ((N + 1) - tie_term / (N * (N - 1)));
  if (variance <= 0) return 1;
  const double z = (std::abs(u_a - md * nd / 2) - 0.5) / std::sqrt(variance);
  return std::min(1.0, std::erfc(std::max(0.0, z) / std::sqrt(2.0)));
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace ledgerstress
