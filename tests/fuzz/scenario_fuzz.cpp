// libFuzzer target: any bytes either load as a validated scenario or give a
// ScenarioError; any other exception, a crash or a sanitizer report is a bug.
//   scripts/test-sanitizers.sh builds it (clang, -DLEDGERSTRESS_FUZZ=ON);
//   build-fuzz/tests/scenario_fuzz /tmp/corpus tests/fuzz/corpus scenarios -max_total_time=600
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/scenario/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ledgerstress::LoadOptions options;
    options.seed = 1;  // no random_device in the fuzzer's hot loop
    ledgerstress::ParseScenario(text, "fuzz.toml", options);
  } catch (const ledgerstress::ScenarioError&) {
    // A clean, positioned error: what bad input must give.
  }
  return 0;
}
