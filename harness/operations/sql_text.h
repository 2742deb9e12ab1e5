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

// A SQL string literal of `s`: 'it''s'.
std::string QuoteLiteral(const std::string& s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_OPERATIONS_SQL_TEXT_H_
