#ifndef LEDGERSTRESS_HARNESS_HOST_INFO_H_
#define LEDGERSTRESS_HARNESS_HOST_INFO_H_

#include <cstdint>
#include <string>

namespace ledgerstress {

struct HostInfo {
  std::string name;       // hostname
  int cores = 0;          // online CPUs
  std::uint64_t memory_bytes = 0;
  std::string os;         // uname: sysname release machine
};

HostInfo ReadHostInfo();

// Peak resident set size of this process so far, in bytes.
std::uint64_t PeakRssBytes();

// CPU time (user + system, every thread) this process used so far, in
// seconds; not its children's (driver processes, the embedded server).
double ProcessCpuSeconds();

// Current UTC time as ISO 8601 ("2026-11-29T01:52:24Z").
std::string UtcNowIso8601();

// A run id: UTC time and random hex, usable in a schema name
// ("20261129t015224_3fa2").
std::string NewRunId();

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_HOST_INFO_H_
