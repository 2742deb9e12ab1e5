#include "harness/pg/dsn.h"

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

}  // namespace
}  // namespace ledgerstress
