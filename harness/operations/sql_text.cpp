#include "harness/operations/sql_text.h"

#include <cctype>

namespace ledgerstress {
namespace {

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The end (one past) of the quoted run that starts at `i` with `q`; a
// doubled quote stays inside. `backslash`: E'...' strings escape with '\'.
std::size_t SkipQuoted(const std::string& s, std::size_t i, char q, bool backslash) {
  for (++i; i < s.size(); ++i) {
    if (backslash && s[i] == '\\') {
      ++i;
    } else if (s[i] == q) {
      if (i + 1 < s.size() && s[i + 1] == q) ++i;
      else return i + 1;
    }
  }
  return s.size();
}

// A dollar quote's tag at `i` ("$$" or "$tag$"), or "" when none starts there.
std::string DollarTag(const std::string& s, std::size_t i) {
  std::size_t j = i + 1;
  while (j < s.size() && IdentChar(s[j]) && !(j == i + 1 && std::isdigit(static_cast<unsigned char>(s[j])))) ++j;
  return j < s.size() && s[j] == '$' ? s.substr(i, j - i + 1) : "";
}

}  // namespace

std::size_t SkipNonCode(const std::string& s, std::size_t i) {
  const char c = s[i];
  const char next = i + 1 < s.size() ? s[i + 1] : '\0';
  if (c == '\'') {
    const bool e = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !IdentChar(s[i - 2]));
    return SkipQuoted(s, i, '\'', e);
  }
  if (c == '"') return SkipQuoted(s, i, '"', false);
  if (c == '-' && next == '-') {
    const std::size_t nl = s.find('\n', i);
    return nl == std::string::npos ? s.size() : nl;
  }
  if (c == '/' && next == '*') {
    const std::size_t end = s.find("*/", i + 2);
    return end == std::string::npos ? s.size() : end + 2;
  }
  if (c == '$' && (i == 0 || !IdentChar(s[i - 1]))) {
    const std::string tag = DollarTag(s, i);
    if (!tag.empty()) {
      const std::size_t end = s.find(tag, i + tag.size());
      return end == std::string::npos ? s.size() : end + tag.size();
    }
  }
  return i;
}

std::vector<NamedParam> FindNamedParams(const std::string& sql) {
  std::vector<NamedParam> out;
  for (std::size_t i = 0; i < sql.size();) {
    const std::size_t skipped = SkipNonCode(sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (sql[i] == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      i += 2;  // a cast
      continue;
    }
    if (sql[i] == ':' && i + 1 < sql.size() && IdentStart(sql[i + 1])) {
      std::size_t j = i + 1;
      while (j < sql.size() && IdentChar(sql[j])) ++j;
      out.push_back(NamedParam{i, sql.substr(i + 1, j - i - 1)});
      i = j;
      continue;
    }
    ++i;
  }
  return out;
}

PositionalSql ToPositional(const std::string& sql) {
  PositionalSql out;
  std::size_t copied = 0;
  for (const NamedParam& p : FindNamedParams(sql)) {
    std::size_t k = 0;
    while (k < out.names.size() && out.names[k] != p.name) ++k;
    if (k == out.names.size()) out.names.push_back(p.name);
    out.text += sql.substr(copied, p.offset - copied) + "$" + std::to_string(k + 1);
    copied = p.offset + 1 + p.name.size();
  }
  out.text += sql.substr(copied);
  return out;
}

std::string SubstituteLiterals(const std::string& sql, const std::map<std::string, std::string>& literals) {
  std::string out;
  std::size_t copied = 0;
  for (const NamedParam& p : FindNamedParams(sql)) {
    out += sql.substr(copied, p.offset - copied) + literals.at(p.name);
    copied = p.offset + 1 + p.name.size();
  }
  return out + sql.substr(copied);
}

std::size_t OffsetBeforeSubstitution(const std::string& sql, const std::map<std::string, std::string>& literals,
                                     std::size_t at) {
  std::size_t shifted = 0;  // bytes the literals so far added; unsigned, it may wrap, and the sums stay right
  for (const NamedParam& p : FindNamedParams(sql)) {
    const std::size_t start = p.offset + shifted;
    if (at < start) break;
    const std::size_t length = literals.at(p.name).size();
    if (at < start + length) return p.offset;
    shifted += length - (1 + p.name.size());
  }
  return at - shifted;
}

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace ledgerstress
