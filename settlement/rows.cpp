#include "settlement/rows.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include <libpq-fe.h>
#include <pqxx/except>

namespace settlement {
namespace {

[[noreturn]] void Fail(const char* text, const char* type) {
  throw pqxx::conversion_error(std::string("could not convert '") + text + "' to " + type);
}

void ToInt(const char* text, std::int64_t* out, const char* type) {
  const char* end = text + std::strlen(text);
  const auto r = std::from_chars(text, end, *out);
  if (r.ec != std::errc() || r.ptr != end) Fail(text, type);
}

// NULL converts to nothing, as in libpqxx.
void RefuseNull(bool null, const char* type) {
  if (null) throw pqxx::conversion_error(std::string("attempt to convert a NULL value to ") + type);
}

}  // namespace

bool Field::is_null() const { return PQgetisnull(res_, row_, col_) != 0; }

const char* Field::c_str() const { return PQgetvalue(res_, row_, col_); }


void Field::Convert(std::int64_t* out) const {
  RefuseNull(is_null(), "a 64-bit integer");
  ToInt(c_str(), out, "a 64-bit integer");
}

void Field::Convert(std::string* out) const {
  RefuseNull(is_null(), "a string");
  out->assign(c_str(), static_cast<std::size_t>(PQgetlength(res_, row_, col_)));
}

std::size_t Row::size() const { return static_cast<std::size_t>(PQnfields(res_)); }

Rows::Rows(pg_result* res) : res_(res) {}

std::size_t Rows::size() const { return static_cast<std::size_t>(PQntuples(res_.get())); }

int Rows::column(const char* name) const {
  for (int c = 0; c < PQnfields(res_.get()); ++c) {
    if (std::strcmp(PQfname(res_.get(), c), name) == 0) return c;
  }
  return -1;
}

std::int64_t Rows::affected_rows() const {
  const char* n = PQcmdTuples(res_.get());
  return *n ? std::strtoll(n, nullptr, 10) : 0;
}

void Rows::Clear::operator()(pg_result* r) const { PQclear(r); }

}  // namespace settlement
