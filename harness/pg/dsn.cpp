#include "harness/pg/dsn.h"

#include <cctype>
#include <stdexcept>

#include <libpq-fe.h>

namespace ledgerstress {
namespace {

bool IsUrl(const std::string& dsn) {
  return dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
}

// [begin, end) of the password inside dsn, or begin == end when none.
std::pair<std::size_t, std::size_t> PasswordSpan(const std::string& dsn) {
  if (IsUrl(dsn)) {
    const std::size_t scheme_end = dsn.find("://") + 3;
    const std::size_t authority_end = dsn.find_first_of("/?", scheme_end);
    const std::size_t at = dsn.rfind('@', authority_end == std::string::npos ? dsn.size() : authority_end);
    if (at != std::string::npos && at > scheme_end) {
      const std::size_t colon = dsn.find(':', scheme_end);
      if (colon != std::string::npos && colon < at) return {colon + 1, at};
    }
    const std::size_t q = dsn.find("password=", dsn.find('?') == std::string::npos ? dsn.size() : dsn.find('?'));
    if (q != std::string::npos) {
      const std::size_t b = q + 9;
      const std::size_t e = dsn.find('&', b);
      return {b, e == std::string::npos ? dsn.size() : e};
    }
    return {0, 0};
  }
  // key = value pairs; values may be single-quoted with backslash escapes.
  std::size_t i = 0;
  while (i < dsn.size()) {
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) ++i;
    const std::size_t key_begin = i;
    while (i < dsn.size() && dsn[i] != '=' && !std::isspace(static_cast<unsigned char>(dsn[i]))) ++i;
    const std::string key = dsn.substr(key_begin, i - key_begin);
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) ++i;
    if (i >= dsn.size() || dsn[i] != '=') return {0, 0};
    ++i;
    while (i < dsn.size() && std::isspace(static_cast<unsigned char>(dsn[i]))) ++i;
    std::size_t vb = i, ve;
    if (i < dsn.size() && dsn[i] == '\'') {
      vb = ++i;
      while (i < dsn.size() && dsn[i] != '\'') i += (dsn[i] == '\\' ? 2 : 1);
      ve = std::min(i, dsn.size());
      ++i;
    } else {
      while (i < dsn.size() && !std::isspace(static_cast<unsigned char>(dsn[i]))) ++i;
      ve = i;
    }
    if (key == "password") return {vb, ve};
  }
  return {0, 0};
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t p = s->find(from); p != std::string::npos; p = s->find(from, p + to.size())) {
    s->replace(p, from.size(), to);
  }
}

}  // namespace

std::string DsnPassword(const std::string& dsn) {
  const auto span = PasswordSpan(dsn);
  return dsn.substr(span.first, span.second - span.first);
}

std::string RedactDsn(const std::string& dsn) {
  const auto span = PasswordSpan(dsn);
  if (span.first == span.second) return dsn;
  return dsn.substr(0, span.first) + "***" + dsn.substr(span.second);
}

std::string RedactWith(const std::string& text, const std::string& dsn) {
  std::string out = text;
  ReplaceAll(&out, dsn, RedactDsn(dsn));
  ReplaceAll(&out, DsnPassword(dsn), "***");
  return out;
}

std::string FirstLine(const std::string& message) {
  std::size_t b = 0;
  while (b < message.size() && std::isspace(static_cast<unsigned char>(message[b]))) ++b;
  std::size_t e = message.find('\n', b);
  if (e == std::string::npos) e = message.size();
  while (e > b && std::isspace(static_cast<unsigned char>(message[e - 1]))) --e;
  return message.substr(b, e - b);
}

}  // namespace ledgerstress

namespace ledgerstress {

std::string WithHostPort(const std::string& dsn, const std::string& host, int port) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(dsn.c_str(), &err);
  if (!opts) {
    const std::string why = err ? err : "cannot parse the connection string";
    PQfreemem(err);
    throw std::invalid_argument(FirstLine(why));
  }
  const auto quoted = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  std::string out = "host=" + quoted(host) + " port=" + std::to_string(port);
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    const std::string k = o->keyword;
    if (!o->val || k == "host" || k == "hostaddr" || k == "port") continue;
    out += " " + k + "=" + quoted(o->val);
  }
  PQconninfoFree(opts);
  return out;
}

}  // namespace ledgerstress
