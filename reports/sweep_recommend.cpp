#include "reports/sweep_recommend.h"

#include <algorithm>
#include <limits>
#include <map>

#include "reports/text.h"

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

}  // namespace

SweepRecommendation Recommend(const SweepResult& sweep) {
  SweepRecommendation rec;
  if (sweep.points.empty()) return rec;
  std::vector<std::string> considered;
  bool by_close = false;
  for (const SweepPoint& p : sweep.points) {
    for (const SweepCaseFigures& f : p.cases) {
      if (f.expect != "pass") continue;
      if (std::find(considered.begin(), considered.end(), f.name) == considered.end()) considered.push_back(f.name);
      by_close = by_close || f.has_close;
    }
  }
  const std::string cost_name = by_close ? "close time" : "time per call";
  const std::string budget = Fmt("%g ms", sweep.p99_budget_ms);
  const std::string tol = Pct(sweep.tolerance);
  rec.rule = "among the values at which every case expected to pass held its invariants, those whose "
             "concurrent user p99 stays within the " + budget + " budget and whose " + cost_name +
             " is within " + tol + " of the fastest in every case compete; the lowest p99 wins (if none is "
             "within " + tol + ", the fastest within budget)";
  if (considered.empty()) {
    rec.reason = "nothing to recommend: every swept case expects a violation";
    return rec;
  }

  std::vector<Scored> scored(sweep.points.size());
  for (std::size_t i = 0; i < sweep.points.size(); ++i) {
    const SweepPoint& p = sweep.points[i];
    Scored& s = scored[i];
    s.index = i;
    s.eligible = p.verdict == "pass" || p.verdict == "fail";
    if (!s.eligible) s.why_not = p.verdict == "error" ? "the run failed: " + p.error : "not run (" + p.verdict + ")";
    for (const std::string& name : considered) {
      const SweepCaseFigures* f = Find(p, name);
      if (!s.eligible) break;
      if (!f || f->verdict != "pass") {
        s.eligible = false;
        std::string inv;
        if (f) {
          for (const std::string& v : f->violated) inv += (inv.empty() ? "" : ", ") + v;
        }
        s.why_not = "'" + name + "' " + (f ? f->verdict : std::string("missing")) +
                    (inv.empty() ? "" : " (" + inv + " violated)");
      }
    }
  }
  std::map<std::string, double> best;
  for (const Scored& s : scored) {
    if (!s.eligible) continue;
    for (const std::string& name : considered) {
      const double c = Cost(*Find(sweep.points[s.index], name), by_close);
      auto it = best.find(name);
      if (it == best.end() || c < it->second) best[name] = c;
    }
  }
  for (Scored& s : scored) {
    if (!s.eligible) continue;
    for (const std::string& name : considered) {
      const SweepCaseFigures& f = *Find(sweep.points[s.index], name);
      const double b = best[name];
      const double ratio = b > 0 ? Cost(f, by_close) / b : 1;
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

  const Scored* fastest = nullptr;
  std::vector<const Scored*> in_budget, in_tol;
  for (const Scored& s : scored) {
    if (!s.eligible) continue;
    if (!fastest || s.slowdown < fastest->slowdown) fastest = &s;
    if (s.p99 <= sweep.p99_budget_ms) {
      in_budget.push_back(&s);
      if (s.slowdown <= 1 + sweep.tolerance + 1e-12) in_tol.push_back(&s);
    }
  }
  auto label = [&](const Scored* s) { return sweep.points[s->index].Label(); };
  auto p99_text = [&](const Scored* s) {
    return s->p99_where.empty() ? std::string("no concurrent user operation")
                                : s->p99_where.substr(0, s->p99_where.find(' ')) + " p99 " + Fmt("%.1f ms", s->p99) +
                                      s->p99_where.substr(s->p99_where.find(' '));
  };
  auto slower_text = [&](const Scored* s) {
    return s->slowdown <= 1 + 1e-12 ? std::string("the fastest ") + cost_name
                                    : cost_name + " " + Pct(s->slowdown - 1) + " above the fastest" +
                                          (considered.size() > 1 ? " (in " + s->slowest_case + ")" : "");
  };

  const Scored* chosen = nullptr;
  if (!in_tol.empty()) {
    chosen = *std::min_element(in_tol.begin(), in_tol.end(), [](const Scored* a, const Scored* b) {
      return a->p99 != b->p99 ? a->p99 < b->p99 : a->slowdown < b->slowdown;
    });
    rec.reason = label(chosen) + ": " + slower_text(chosen) + (chosen->slowdown <= 1 + 1e-12 ? "" : ", within " + tol) +
                 ", and " + p99_text(chosen) + ", within the " + budget + " budget" +
                 (in_tol.size() > 1 ? ": the lowest p99 of the " + std::to_string(in_tol.size()) +
                                          " values within " + tol + " of the fastest"
                                    : "");
  } else if (!in_budget.empty()) {
    chosen = *std::min_element(in_budget.begin(), in_budget.end(),
                               [](const Scored* a, const Scored* b) { return a->slowdown < b->slowdown; });
    rec.reason = label(chosen) + ": the fastest value whose concurrent user p99 stays within the " + budget +
                 " budget (" + p99_text(chosen) + "); its " + slower_text(chosen) + ", but no value within " + tol +
                 " of the fastest stays within budget";
  } else if (fastest) {
    const Scored* lowest = fastest;
    for (const Scored& s : scored) {
      if (s.eligible && s.p99 < lowest->p99) lowest = &s;
    }
    rec.reason = "no recommendation: no value keeps the concurrent user p99 within the " + budget +
                 " budget; the lowest is " + label(lowest) + " with " + p99_text(lowest) +
                 ". Raise --p99-budget or lighten the background load";
  } else {
    rec.reason = "no recommendation: no value passed its invariants";
  }
  if (chosen) {
    rec.made = true;
    rec.point = chosen->index;
  }
  for (const Scored& s : scored) {
    if (&s == chosen) continue;
    const std::string l = sweep.points[s.index].Label();
    if (!s.eligible) {
      rec.notes.push_back(l + " is never recommended: " + s.why_not);
    } else if (chosen && s.slowdown < chosen->slowdown) {
      const double faster = 1 - s.slowdown / chosen->slowdown;
      rec.notes.push_back(l + " is " + Pct(faster) + " faster but " +
                          (s.p99 > sweep.p99_budget_ms ? "its " + p99_text(&s) + " is over the " + budget + " budget"
                                                       : "its " + p99_text(&s) + " is higher"));
    } else if (s.p99 > sweep.p99_budget_ms) {
      rec.notes.push_back(l + ": " + p99_text(&s) + " is over the " + budget + " budget");
    }
  }
  return rec;
}

}  // namespace ledgerstress
