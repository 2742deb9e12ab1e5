#include "harness/scenario/case_filter.h"

#include <algorithm>

#include "harness/scenario/suggest.h"

namespace ledgerstress {
namespace {

// "'a', 'b' or 'c'", at most `most` of them ("..." after).
std::string Quoted(const std::vector<std::string>& names, std::size_t most, const char* last_sep) {
  std::string out;
  const std::size_t n = std::min(names.size(), most);
  for (std::size_t i = 0; i < n; ++i) {
    out += (i == 0 ? "" : i + 1 == n && n == names.size() ? last_sep : ", ") + ("'" + names[i] + "'");
  }
  return names.size() > most ? out + ", ..." : out;
}

std::vector<std::string> Matching(const std::string& pattern, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (GlobMatch(pattern, n)) out.push_back(n);
  }
  return out;
}

// What a pattern that matches no case may have meant: a case a typo away,
// else the cases it matches as a part of their name, else every case.
std::string Hint(const std::string& pattern, const std::vector<std::string>& names) {
  const std::vector<std::string> close = CloseMatches(pattern, names, 3);
  if (!close.empty()) return " (did you mean " + Quoted(close, 3, " or ") + "?)";
  const std::string inside = "*" + pattern + "*";
  const std::vector<std::string> part = Matching(inside, names);
  if (!part.empty()) return " (did you mean '" + inside + "'? it matches " + Quoted(part, 5, " and ") + ")";
  return names.empty() ? " (the scenario has no case)" : " (the cases: " + Quoted(names, 10, ", ") + ")";
}

}  // namespace

bool GlobMatch(const std::string& pattern, const std::string& name) {
  std::size_t p = 0, n = 0;
  std::size_t star = std::string::npos, resume = 0;  // the last '*' and where its match would grow from
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> SplitCasePatterns(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    for (std::size_t b = 0; b <= v.size();) {
      const std::size_t e = std::min(v.find(':', b), v.size());
      if (e == b) throw ScenarioError("--case '" + v + "': an empty pattern (patterns are separated by ':')");
      out.push_back(v.substr(b, e - b));
      b = e + 1;
    }
  }
  return out;
}

bool CaseSelected(const std::vector<std::string>& patterns, const std::string& name) {
  return patterns.empty() ||
         std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return GlobMatch(p, name); });
}

void RequireEveryPatternMatches(const std::vector<std::string>& patterns, const std::vector<std::string>& names,
                                const std::string& path) {
  for (const std::string& p : patterns) {
    if (Matching(p, names).empty()) throw ScenarioError(path + ": --case '" + p + "': no case matches" + Hint(p, names));
  }
}

void SelectCases(const std::vector<std::string>& patterns, Scenario* s) {
  std::vector<std::string> names;
  for (const CaseSpec& c : s->cases) names.push_back(c.name);
  RequireEveryPatternMatches(patterns, names, s->path);
  std::vector<CaseSpec> kept;
  for (CaseSpec& c : s->cases) {
    if (CaseSelected(patterns, c.name)) kept.push_back(std::move(c));
  }
  s->cases = std::move(kept);
}

}  // namespace ledgerstress
