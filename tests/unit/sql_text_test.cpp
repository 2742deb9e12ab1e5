#include "harness/operations/sql_text.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

std::vector<std::string> Names(const std::string& sql) {
  std::vector<std::string> out;
  for (const NamedParam& p : FindNamedParams(sql)) out.push_back(p.name);
  return out;
}

TEST(SqlText, FindsNamedParamsAndTheirOffsets) {
  const auto params = FindNamedParams("UPDATE t SET v = :v WHERE id = :id_2");
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "v");
  EXPECT_EQ(params[0].offset, 17u);
  EXPECT_EQ(params[1].name, "id_2");
}

TEST(SqlText, CastsStringsIdentifiersCommentsAndSlicesAreNotParams) {
  EXPECT_TRUE(Names("SELECT x::numeric, a[1:2], ':no', \"a:b\" -- :c\n/* :d */").empty());
  EXPECT_TRUE(Names("SELECT $$ :e $$, $tag$ :f $tag$, E'it\\'s :g'").empty());
  EXPECT_EQ(Names("SELECT :a::int + :b, 'x''y' || :c"), (std::vector<std::string>{"a", "b", "c"}));
  // A $n parameter is no dollar quote: what follows is still code.
  EXPECT_EQ(Names("SELECT $1, :a"), (std::vector<std::string>{"a"}));
}

TEST(SqlText, ToPositionalNumbersEachNameOnce) {
  const PositionalSql p = ToPositional("SELECT :a, :b, :a::text");
  EXPECT_EQ(p.text, "SELECT $1, $2, $1::text");
  EXPECT_EQ(p.names, (std::vector<std::string>{"a", "b"}));
}

TEST(SqlText, SubstituteLiteralsAndQuote) {
  EXPECT_EQ(SubstituteLiterals("SELECT :n, :s", {{"n", "10"}, {"s", QuoteLiteral("it's")}}), "SELECT 10, 'it''s'");
}

TEST(SqlText, AnOffsetAfterSubstitutionMapsBackToTheTextAsWritten) {
  const std::string written = "SELECT :long_name, :s, bad";  // -> "SELECT 1, 'x', bad"
  const std::map<std::string, std::string> literals = {{"long_name", "1"}, {"s", "'x'"}};
  const std::string sent = SubstituteLiterals(written, literals);
  ASSERT_EQ(sent, "SELECT 1, 'x', bad");
  EXPECT_EQ(OffsetBeforeSubstitution(written, literals, sent.find("bad")), written.find("bad"));
  EXPECT_EQ(OffsetBeforeSubstitution(written, literals, sent.find("'x'") + 1), written.find(":s"))
      << "a literal's own bytes map to its :name";
  EXPECT_EQ(OffsetBeforeSubstitution(written, literals, 3), 3u) << "before any variable nothing moves";
}

}  // namespace
}  // namespace ledgerstress
