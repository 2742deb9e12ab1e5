#include "harness/pg/dsn.h"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "harness/pg/target.h"

#include <gtest/gtest.h>

namespace ledgerstress {
namespace {

TEST(RedactDsn, HidesTheUrlPassword) {
  EXPECT_EQ(RedactDsn("postgresql://app:s3cr%40t@db.example:5432/ledger"),
            "postgresql://app:***@db.example:5432/ledger");
  EXPECT_EQ(RedactDsn("postgres://app:pw@h/db?sslmode=require"), "postgres://app:***@h/db?sslmode=require");
}

TEST(RedactDsn, HidesAPasswordGivenAsUrlParameter) {
  EXPECT_EQ(RedactDsn("postgresql://h/db?user=u&password=topsecret&sslmode=disable"),
            "postgresql://h/db?user=u&password=***&sslmode=disable");
}

TEST(RedactDsn, HidesKeyValuePasswordsQuotedOrNot) {
  EXPECT_EQ(RedactDsn("host=h password=hunter2 dbname=x"), "host=h password=*** dbname=x");
  EXPECT_EQ(RedactDsn("host=h password = 'two words' dbname=x"), "host=h password = '***' dbname=x");
}

TEST(RedactDsn, LeavesDsnsWithoutPasswordAlone) {
  EXPECT_EQ(RedactDsn("host=/tmp/x port=5432 user=postgres"), "host=/tmp/x port=5432 user=postgres");
  EXPECT_EQ(RedactDsn("postgresql://app@h/db"), "postgresql://app@h/db");
  EXPECT_EQ(RedactDsn(""), "");
}

TEST(RedactWith, RemovesThePasswordFromAnyMessage) {
  const std::string dsn = "host=h user=u password=hunter2";
  const std::string out = RedactWith("could not connect with hunter2 via " + dsn, dsn);
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
}

TEST(FirstLine, KeepsOneTrimmedLine) {
  EXPECT_EQ(FirstLine("  connection refused\n\tIs the server running?\n"), "connection refused");
  EXPECT_EQ(FirstLine(""), "");
}

}  // namespace
}  // namespace ledgerstress

namespace ledgerstress {
namespace {

TEST(WithHostPort, ReplacesTheServerAndKeepsEveryOtherSetting) {
  const std::string d = WithHostPort("postgresql://me:s3cr%27t@db.example:6543/app?sslmode=disable&hostaddr=10.0.0.1",
                                     "/tmp/proxy dir", 5432);
  EXPECT_NE(d.find("host='/tmp/proxy dir' port=5432"), std::string::npos) << d;
  EXPECT_NE(d.find("user='me'"), std::string::npos) << d;
  EXPECT_NE(d.find("password='s3cr\\'t'"), std::string::npos) << d;
  EXPECT_NE(d.find("dbname='app'"), std::string::npos) << d;
  EXPECT_NE(d.find("sslmode='disable'"), std::string::npos) << d;
  EXPECT_EQ(d.find("db.example"), std::string::npos) << d;
  EXPECT_EQ(d.find("hostaddr"), std::string::npos) << d;
  EXPECT_EQ(d.find("6543"), std::string::npos) << d;
}

TEST(WithHostPort, RefusesWhatLibpqCannotParse) {
  EXPECT_THROW(WithHostPort("host='unterminated", "/tmp", 1), std::invalid_argument);
}

TEST(TargetDescribe, SaysWhereTheServerComesFromWithoutThePassword) {
  EXPECT_EQ((Target{"postgresql://me:pw@db/app", "--dsn"}).Describe(), "--dsn postgresql://me:***@db/app");
  EXPECT_EQ((Target{"postgres://u:sekret@h/d", "DATABASE_URL"}).Describe(), "$DATABASE_URL postgres://u:***@h/d");
  EXPECT_EQ((Target{"host=/tmp/ls port=5432 user=postgres dbname=postgres", "db start cluster"}).Describe(),
            "db start cluster host=/tmp/ls port=5432 user=postgres dbname=postgres");
  std::vector<std::pair<std::string, std::string>> saved;  // the PG* variables of whoever runs the test
  for (const char* var : {"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"}) {
    if (const char* v = std::getenv(var)) saved.emplace_back(var, v);
    unsetenv(var);
  }
  setenv("PGHOST", "db.example", 1);
  setenv("PGPORT", "5433", 1);
  EXPECT_EQ((Target{"", "PG* environment"}).Describe(), "PG* environment (PGHOST=db.example PGPORT=5433)");
  unsetenv("PGHOST");
  unsetenv("PGPORT");
  for (const auto& [var, value] : saved) setenv(var.c_str(), value.c_str(), 1);
}

}  // namespace
}  // namespace ledgerstress
