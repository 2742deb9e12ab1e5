#ifndef LEDGERSTRESS_MODEL_SWEEP_FIGURES_H_
#define LEDGERSTRESS_MODEL_SWEEP_FIGURES_H_

#include <vector>

#include "model/run_result.h"
#include "model/sweep_result.h"

namespace ledgerstress {

// The sweep's figures for every case of one grid point's run: one entry per
// case name, in the run's order, medians over its repetitions (--repeat).
// The close time is the case's close phase; the statements are the close's
// own (observer); the rows locked are the monitor's sampled maxima; the user
// p99s are those of every operation but close_project_success.
std::vector<SweepCaseFigures> SweepFiguresOf(const RunResult& run);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_SWEEP_FIGURES_H_
