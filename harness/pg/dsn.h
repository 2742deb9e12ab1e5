#ifndef LEDGERSTRESS_HARNESS_PG_DSN_H_
#define LEDGERSTRESS_HARNESS_PG_DSN_H_

#include <string>

namespace ledgerstress {

// The password in a libpq connection string, URL ("postgresql://u:pw@h/db",
// "?password=pw") or key/value ("password=pw" or "password='p w'") form;
// "" when there is none.
std::string DsnPassword(const std::string& dsn);

// `dsn` with its password replaced by "***", safe to print.
std::string RedactDsn(const std::string& dsn);

// `text` (an error message, a log line) with every occurrence of the DSN's
// password and of the DSN itself replaced by their redacted forms.
std::string RedactWith(const std::string& text, const std::string& dsn);

// The first line of a (libpq) message, trimmed: error output stays one line.
std::string FirstLine(const std::string& message);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_DSN_H_
