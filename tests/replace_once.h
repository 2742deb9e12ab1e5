// What tests that edit a known-good text share: replace one occurrence.
#ifndef LEDGERSTRESS_TESTS_REPLACE_ONCE_H_
#define LEDGERSTRESS_TESTS_REPLACE_ONCE_H_

#include <stdexcept>
#include <string>

namespace ledgerstress::testing {

// `s` with the first `from` replaced by `to`. Throws std::logic_error (the
// test fails) when `from` is not in `s`: an edit that does not apply must
// not leave the text good and the test vacuous.
inline std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  if (at == std::string::npos) throw std::logic_error("test text has no '" + from + "'");
  return s.replace(at, from.size(), to);
}

}  // namespace ledgerstress::testing

#endif  // LEDGERSTRESS_TESTS_REPLACE_ONCE_H_
