#ifndef LEDGERSTRESS_HARNESS_BUILD_INFO_H_
#define LEDGERSTRESS_HARNESS_BUILD_INFO_H_

namespace ledgerstress {
// The program's version and the git commit it was configured from
// ("unknown" outside a checkout).
extern const char* const kVersion;
extern const char* const kGitCommit;
}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_BUILD_INFO_H_
