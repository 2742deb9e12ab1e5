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

// `dsn` (a connection string or URI) as a key=value string whose server is
// host:port instead (hostaddr dropped), every other setting kept. Throws
// std::invalid_argument when libpq cannot parse it.
std::string WithHostPort(const std::string& dsn, const std::string& host, int port);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_PG_DSN_H_
