#ifndef LEDGERSTRESS_MODEL_SWEEP_RESULT_H_
#define LEDGERSTRESS_MODEL_SWEEP_RESULT_H_

// What a `ledgerstress sweep` gathered: plain data, filled by the sweep
// command, read by the sweep writers (table, JSON, HTML) and the
// recommendation. No behaviour, no database.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/verdict.h"

namespace ledgerstress {

// One case at one grid point, its figures the median over the repetitions
// (the lists keep each repetition's value).
struct SweepCaseFigures {
  std::string name;
  std::string expect;               // "pass" | "violation"
  Verdict verdict = Verdict::kSkipped;  // the worst over repetitions: error > fail > caught > pass
  std::vector<std::string> violated;  // invariants seen violated in any repetition
  bool has_close = false;           // the case closes projects
  double close_seconds = 0;         // median close phase (first release to last return)
  std::vector<double> close_seconds_each;
  double throughput = 0;            // median calls per second of the whole case
  double statements = -1;           // median statements of the close; -1: not measured (a driver that does not report them)
  std::int64_t max_escrow_rows_locked = -1;  // largest sampled, -1 not measured
  std::int64_t max_wallet_rows_locked = -1;
  // Concurrent user operations (everything but the close; for a case without
  // a close, every operation): median p99 in ms by operation.
  // With an arrival_rate, from each call's intended start (corrected).
  std::map<std::string, double> user_p99_ms;
  bool p99_corrected = false;       // user_p99_ms is the corrected p99 (the case has an arrival_rate)
  std::uint64_t calls = 0;          // summed over repetitions
  std::uint64_t errors = 0;         // failed calls, summed over repetitions

  // Largest user p99 and the operation it belongs to ("" when none ran).
  double WorstUserP99(std::string* op = nullptr) const;
};

struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> settings;  // key -> value, in --vary order
  std::vector<SweepCaseFigures> cases;
  Verdict verdict = Verdict::kSkipped;  // of the point's run: pass, fail, error, interrupted or skipped
  std::string error;        // one line when verdict is error
  double seconds = 0;       // wall time of the point, all repetitions

  // "release_batch_size=100" or "release_batch_size=100, workers=8".
  std::string Label() const;
};

struct SweepRecommendation {
  bool made = false;
  std::size_t point = 0;  // index in SweepResult::points when made
  std::string rule;       // the rule, with the budget and tolerance in force
  // Which p99 the rule judged: "corrected" (from each call's intended
  // start: the cases have an arrival_rate) or "service" (from its actual
  // start: a closed loop).
  std::string p99_used;
  std::string reason;     // why this point, with its numbers
  std::vector<std::string> notes;  // what the other points did (faster but over budget, invariants failed...)
};

struct SweepResult {
  // Run metadata.
  std::string run_id, scenario_name, scenario_path, started_at, finished_at;
  std::uint64_t seed = 0;
  std::string tool_version, git_commit, command_line, target_source, target_display, server_version;
  std::string host_name;
  int host_cores = 0;
  std::uint64_t host_memory_bytes = 0;
  double duration_seconds = 0;

  std::vector<std::string> keys;  // the varied keys, in --vary order
  int repeat = 1;
  double p99_budget_ms = 50;      // --p99-budget
  double tolerance = 0.10;        // --tolerance (0.10 = within 10% of the fastest)
  std::vector<std::string> swept_cases;  // cases run at every point
  std::vector<std::pair<std::string, std::string>> skipped_cases;  // name -> why not run
  std::vector<SweepPoint> points;
  SweepRecommendation recommendation;
  Verdict verdict = Verdict::kPending;  // pass, fail, error, interrupted or invalid once over
  std::string error;
};

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_SWEEP_RESULT_H_
