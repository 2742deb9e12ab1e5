// settlement::Rows over results built in memory (libpq can make one without
// a server), and the parameter texts CountedWork sends.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pqxx/except>

#include "settlement/counted.h"
#include "settlement/rows.h"

namespace settlement {
namespace {

// A two-column result: (id, name) rows; a null pointer makes a NULL.
PGresult* Make(std::initializer_list<std::pair<const char*, const char*>> rows) {
  PGresult* r = PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK);
  PGresAttDesc cols[2] = {};
  cols[0].name = const_cast<char*>("id");
  cols[1].name = const_cast<char*>("name");
  PQsetResultAttrs(r, 2, cols);
  int i = 0;
  for (const auto& [a, b] : rows) {
    PQsetvalue(r, i, 0, const_cast<char*>(a), a ? static_cast<int>(std::strlen(a)) : -1);
    PQsetvalue(r, i, 1, const_cast<char*>(b), b ? static_cast<int>(std::strlen(b)) : -1);
    ++i;
  }
  return r;
}

TEST(Rows, ReadsValuesByRowAndColumn) {
  const Rows rows(Make({{"7", "alice"}, {"-9223372036854775808", "bob"}}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::int64_t>(), 7);
  EXPECT_EQ(rows[0][1].as<std::string>(), "alice");
  EXPECT_STREQ(rows[1][1].c_str(), "bob");
  EXPECT_EQ(rows[1][0].as<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
}

TEST(Rows, IteratesEveryRowOnce) {
  const Rows rows(Make({{"1", "a"}, {"2", "b"}, {"3", "c"}}));
  std::int64_t sum = 0;
  int n = 0;
  for (const auto& row : rows) {
    sum += row[0].as<std::int64_t>();
    ++n;
  }
  EXPECT_EQ(n, 3);
  EXPECT_EQ(sum, 6);
  const Rows none(Make({}));
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.begin() != none.end());
}

TEST(Rows, RefusesNullAndTextThatIsNotANumber) {
  const Rows rows(Make({{nullptr, "12x"}, {"99999999999", "99999999999999999999"}}));
  EXPECT_TRUE(rows[0][0].is_null());
  EXPECT_FALSE(rows[0][1].is_null());
  EXPECT_STREQ(rows[0][0].c_str(), "");
  EXPECT_THROW(rows[0][0].as<std::int64_t>(), pqxx::conversion_error);
  EXPECT_THROW(rows[0][0].as<std::string>(), pqxx::conversion_error);
  EXPECT_THROW(rows[0][1].as<std::int64_t>(), pqxx::conversion_error);
  EXPECT_EQ(rows[1][0].as<std::int64_t>(), 99999999999);
  EXPECT_THROW(rows[1][1].as<std::int64_t>(), pqxx::conversion_error) << "out of range for 64 bits";
  EXPECT_EQ(rows[1][1].as<std::string>(), "99999999999999999999");
}

TEST(ParamTexts, FormatsIntegersAndPointsAtStrings) {
  const std::string key = "pledge-1";
  const ParamTexts<5> p(std::int64_t{42}, key, std::numeric_limits<std::int64_t>::min(), "literal", 0);
  EXPECT_STREQ(p.values()[0], "42");
  EXPECT_EQ(p.values()[1], key.c_str()) << "strings are passed by pointer, not copied";
  EXPECT_STREQ(p.values()[2], "-9223372036854775808");
  EXPECT_STREQ(p.values()[3], "literal");
  EXPECT_STREQ(p.values()[4], "0");
}

}  // namespace
}  // namespace settlement
