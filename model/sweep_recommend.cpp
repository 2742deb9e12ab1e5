#include "model/sweep_recommend.h"

#include <algorithm>
#include <limits>
#include <map>

#include "model/text.h"

namespace ledgerstress {
namespace {

struct Scored {
  std::size_t index = 0;
  bool eligible = false;
  std::string why_not;      // when not eligible
  double slowdown = 1;      // worst case's cost over that case's best
  std::string slowest_case;
  double p99 = 0;           // worst user p99 over the cases
  std::string p99_where;    // "deposit in keyset/two_closers"
};

const SweepCaseFigures* Find(const SweepPoint& p, const std::string& name) {
  for (const SweepCaseFigures& f : p.cases) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

double Cost(const SweepCaseFigures& f, bool by_close) {
  if (by_close) return f.close_seconds;
  return f.throughput > 0 ? 1.0 / f.throughput : std::numeric_limits<double>::infinity();
}

std::string Pct(double ratio) { return Fmt("%.0f%%", ratio * 100); }

// The recommendation's working state: the cases that count, the score of
// every point, and the texts the reason and notes are made of.
class Recommender {
 public:
  explicit Recommender(const SweepResult& sweep) : sweep_(sweep) {}

  SweepRecommendation Run() {
    if (sweep_.points.empty()) return rec_;
    FindConsidered();
    cost_name_ = by_close_ ? "close time" : "time per call";
    budget_ = Fmt("%g ms", sweep_.p99_budget_ms);
    tol_ = Pct(sweep_.tolerance);
    rec_.p99_used = corrected_ ? "corrected" : "service";
    rec_.rule = "among the values at which every case expected to pass held its invariants, those whose "
                "concurrent user p99 (" +
                std::string(corrected_ ? "corrected: from each call's intended start on the arrival schedule"
                                       : "from each call's actual start: a closed loop, which under-reports a "
                                         "stall; set arrival_rate for the corrected p99") +
                ") stays within the " + budget_ + " budget and whose " + cost_name_ +
                " is within " + tol_ + " of the fastest in every case compete; the lowest p99 wins (if none is "
                "within " + tol_ + ", the fastest within budget)";
    if (considered_.empty()) {
      rec_.reason = "nothing to recommend: every swept case expects a violation";
      return rec_;
    }
    scored_.resize(sweep_.points.size());
    for (std::size_t i = 0; i < scored_.size(); ++i) JudgeEligible(i);
    Score();
    Choose();
    Notes();
    return rec_;
  }

 private:
  // The cases expected to pass, and whether any of them closes.
  void FindConsidered() {
    for (const SweepPoint& p : sweep_.points) {
      for (const SweepCaseFigures& f : p.cases) {
        if (f.expect != "pass") continue;
        if (std::find(considered_.begin(), considered_.end(), f.name) == considered_.end()) {
          considered_.push_back(f.name);
        }
        by_close_ = by_close_ || f.has_close;
        corrected_ = corrected_ || f.p99_corrected;
      }
    }
  }

  void JudgeEligible(std::size_t i) {
    const SweepPoint& p = sweep_.points[i];
    Scored& s = scored_[i];
    s.index = i;
    s.eligible = p.verdict == Verdict::kPass || p.verdict == Verdict::kFail;
    if (!s.eligible) s.why_not = p.verdict == Verdict::kError ? "the run failed: " + p.error : "not run (" + VerdictName(p.verdict) + ")";
    for (const std::string& name : considered_) {
      const SweepCaseFigures* f = Find(p, name);
      if (!s.eligible) break;
      if (f && f->verdict == Verdict::kPass) continue;
      s.eligible = false;
      std::string inv;
      if (f) {
        for (const std::string& v : f->violated) inv += (inv.empty() ? "" : ", ") + v;
      }
      s.why_not = "'" + name + "' " + (f ? VerdictName(f->verdict) : std::string("missing")) +
                  (inv.empty() ? "" : " (" + inv + " violated)");
    }
  }

  // Each eligible point's slowdown against the best per case, and its worst user p99.
  void Score() {
    std::map<std::string, double> best;
    for (const Scored& s : scored_) {
      if (!s.eligible) continue;
      for (const std::string& name : considered_) {
        const double c = Cost(*Find(sweep_.points[s.index], name), by_close_);
        auto it = best.find(name);
        if (it == best.end() || c < it->second) best[name] = c;
      }
    }
    for (Scored& s : scored_) {
      if (!s.eligible) continue;
      for (const std::string& name : considered_) {
        const SweepCaseFigures& f = *Find(sweep_.points[s.index], name);
        const double b = best[name];
        const double ratio = b > 0 ? Cost(f, by_close_) / b : 1;
        if (ratio > s.slowdown || s.slowest_case.empty()) {
          s.slowdown = std::max(ratio, s.slowdown);
          s.slowest_case = name;
        }
        std::string op;
        const double p99 = f.WorstUserP99(&op);
        if (!op.empty() && p99 >= s.p99) {
          s.p99 = p99;
          s.p99_where = op + " in " + name;
        }
      }
    }
  }

  void Choose() {
    const Scored* fastest = nullptr;
    std::vector<const Scored*> in_budget, in_tol;
    for (const Scored& s : scored_) {
      if (!s.eligible) continue;
      if (!fastest || s.slowdown < fastest->slowdown) fastest = &s;
      if (s.p99 > sweep_.p99_budget_ms) continue;
      in_budget.push_back(&s);
      if (s.slowdown <= 1 + sweep_.tolerance + 1e-12) in_tol.push_back(&s);
    }
    if (!in_tol.empty()) {
      ChooseWithinTolerance(in_tol);
    } else if (!in_budget.empty()) {
      chosen_ = *std::min_element(in_budget.begin(), in_budget.end(),
                                  [](const Scored* a, const Scored* b) { return a->slowdown < b->slowdown; });
      rec_.reason = Label(chosen_) + ": the fastest value whose concurrent user p99 stays within the " + budget_ +
                    " budget (" + P99Text(chosen_) + "); its " + SlowerText(chosen_) + ", but no value within " +
                    tol_ + " of the fastest stays within budget";
    } else if (fastest) {
      const Scored* lowest = fastest;
      for (const Scored& s : scored_) {
        if (s.eligible && s.p99 < lowest->p99) lowest = &s;
      }
      rec_.reason = "no recommendation: no value keeps the concurrent user p99 within the " + budget_ +
                    " budget; the lowest is " + Label(lowest) + " with " + P99Text(lowest) +
                    ". Raise --p99-budget or lighten the background load";
    } else {
      rec_.reason = "no recommendation: no value passed its invariants";
    }
    if (!chosen_) return;
    rec_.made = true;
    rec_.point = chosen_->index;
  }

  void ChooseWithinTolerance(const std::vector<const Scored*>& in_tol) {
    chosen_ = *std::min_element(in_tol.begin(), in_tol.end(), [](const Scored* a, const Scored* b) {
      return a->p99 != b->p99 ? a->p99 < b->p99 : a->slowdown < b->slowdown;
    });
    rec_.reason = Label(chosen_) + ": " + SlowerText(chosen_) +
                  (chosen_->slowdown <= 1 + 1e-12 ? "" : ", within " + tol_) + ", and " + P99Text(chosen_) +
                  ", within the " + budget_ + " budget" +
                  (in_tol.size() > 1 ? ": the lowest p99 of the " + std::to_string(in_tol.size()) + " values within " +
                                           tol_ + " of the fastest"
                                     : "");
  }

  // Why each other point lost.
  void Notes() {
    for (const Scored& s : scored_) {
      if (&s == chosen_) continue;
      const std::string l = Label(&s);
      if (!s.eligible) {
        rec_.notes.push_back(l + " is never recommended: " + s.why_not);
      } else if (chosen_ && s.slowdown < chosen_->slowdown) {
        const double faster = 1 - s.slowdown / chosen_->slowdown;
        rec_.notes.push_back(l + " is " + Pct(faster) + " faster but " +
                             (s.p99 > sweep_.p99_budget_ms ? "its " + P99Text(&s) + " is over the " + budget_ + " budget"
                                                           : "its " + P99Text(&s) + " is higher"));
      } else if (s.p99 > sweep_.p99_budget_ms) {
        rec_.notes.push_back(l + ": " + P99Text(&s) + " is over the " + budget_ + " budget");
      }
    }
  }

  std::string Label(const Scored* s) const { return sweep_.points[s->index].Label(); }

  std::string P99Text(const Scored* s) const {
    if (s->p99_where.empty()) return "no concurrent user operation";
    const auto sp = s->p99_where.find(' ');
    return s->p99_where.substr(0, sp) + (corrected_ ? " corrected p99 " : " p99 ") + Fmt("%.1f ms", s->p99) +
           s->p99_where.substr(sp);
  }

  std::string SlowerText(const Scored* s) const {
    if (s->slowdown <= 1 + 1e-12) return "the fastest " + cost_name_;
    return cost_name_ + " " + Pct(s->slowdown - 1) + " above the fastest" +
           (considered_.size() > 1 ? " (in " + s->slowest_case + ")" : "");
  }

  const SweepResult& sweep_;
  SweepRecommendation rec_;
  std::vector<std::string> considered_;
  bool by_close_ = false;
  bool corrected_ = false;  // some case has an arrival_rate: its p99 is from the intended start
  std::string cost_name_, budget_, tol_;
  std::vector<Scored> scored_;
  const Scored* chosen_ = nullptr;
};

}  // namespace

SweepRecommendation Recommend(const SweepResult& sweep) { return Recommender(sweep).Run(); }

}  // namespace ledgerstress
