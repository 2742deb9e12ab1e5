#ifndef LEDGERSTRESS_REPORTS_ATOMIC_FILE_H_
#define LEDGERSTRESS_REPORTS_ATOMIC_FILE_H_

#include <string>

namespace ledgerstress {

// Writes `content` to `path` through a temp file in the same directory and a
// rename, so that a crash never leaves half a report that looks whole.
// Creates missing parent directories. Returns false and sets *error (naming
// the path) on failure.
bool WriteFileAtomically(const std::string& path, const std::string& content, std::string* error);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_ATOMIC_FILE_H_
