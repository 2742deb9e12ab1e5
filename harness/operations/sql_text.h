#ifndef LEDGERSTRESS_HARNESS_OPERATIONS_SQL_TEXT_H_
#define LEDGERSTRESS_HARNESS_OPERATIONS_SQL_TEXT_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ledgerstress {

// The `:name` parameters of SQL text written in a scenario, as psql and
// pgbench spell them. A parameter is ':' followed by a letter or '_' and
// then letters, digits and '_'. Not parameters: '::' casts (x::int),
// anything inside '...' or E'...' strings, "quoted identifiers", $tag$
// dollar quotes $tag$, -- and /* */ comments, and ':' followed by a digit
// (a[1:2]).

// The end (one past) of whatever is not SQL code at `i` -- a '...' or
// E'...' string, a "quoted identifier", a $tag$ dollar quote $tag$, a -- or
// /* */ comment -- or `i` when code starts there. REQUIRES: i < s.size().
std::size_t SkipNonCode(const std::string& s, std::size_t i);

// One `:name` in the text: its byte offset (of the ':') and its name.
struct NamedParam {
  std::size_t offset = 0;
  std::string name;
};

// Every `:name` of `sql`, in order of appearance.
std::vector<NamedParam> FindNamedParams(const std::string& sql);

// `sql` with each `:name` replaced by $1, $2, ... (the same name: the same
// number), and the names in numbering order (names[k] is $k+1).
struct PositionalSql {
  std::string text;
  std::vector<std::string> names;
};
PositionalSql ToPositional(const std::string& sql);

// `sql` with each `:name` replaced by literals.at(name).
// REQUIRES: every name of `sql` is in `literals`.
std::string SubstituteLiterals(const std::string& sql, const std::map<std::string, std::string>& literals);

// The offset in `sql` of the byte at `at` in SubstituteLiterals(sql,
// literals): where an error the server reports in the substituted text
// is in the text as written (a literal's own bytes map to its `:name`).
// REQUIRES: as SubstituteLiterals.
std::size_t OffsetBeforeSubstitution(const std::string& sql, const std::map<std::string, std::string>& literals,
                                     std::size_t at);

// A SQL string literal of `s`: 'it''s'.
std::string QuoteLiteral(const std::string& s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_SQL_TEXT_H_
