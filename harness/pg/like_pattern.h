#ifndef LEDGERSTRESS_HARNESS_PG_LIKE_PATTERN_H_
#define LEDGERSTRESS_HARNESS_PG_LIKE_PATTERN_H_

#include <string>

namespace ledgerstress {

// `s` as a LIKE pattern that matches exactly `s`: '%', '_' and '\' escaped
// with '\' (LIKE's default escape). Our application_names carry run ids,
// which may contain '_'; unescaped, "ls/a_b/%" would also match another
// run's "ls/axb/...". Append the wildcard after escaping:
//   tx.quote(LikeEscaped(prefix + "/") + "%")
// Pure; any thread.
inline std::string LikeEscaped(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_LIKE_PATTERN_H_
