#ifndef LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SCHEDULES_H_
#define LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SCHEDULES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace ledgerstress {

// Which orders of the explorer's steps to run. Pure functions of their
// arguments: any thread, no state, no database.
//
// A schedule is the order in which the sessions take their steps: a
// sequence of session indices in which session s appears steps[s] times
// (its k-th appearance is its k-th step). Schedule ids are stable: in
// "every interleaving" mode the id is the schedule's rank in lexicographic
// order (0 is every step of session 0 first); in PCT mode the id is the
// draw's index under the case seed. Either way the same id, seed and
// sessions give the same schedule (--schedule replays it).

using StepOrder = std::vector<int>;

// The number of interleavings of sessions with `steps` steps each (the
// multinomial coefficient), or UINT64_MAX when it does not fit.
std::uint64_t InterleavingCount(const std::vector<int>& steps);

// The interleaving of rank `id` in lexicographic order.
// REQUIRES: id < InterleavingCount(steps) < UINT64_MAX.
StepOrder NthInterleaving(const std::vector<int>& steps, std::uint64_t id);

// PCT (Burckhardt et al., ASPLOS 2010): schedule `id` of those drawn from
// `seed`. Each session gets a distinct random priority above `depth`;
// depth-1 change points are drawn among the k steps; at each step the
// enabled session of highest priority runs, and at the j-th change point
// its priority drops to j. With every session always enabled (the
// explorer defers a blocked session's steps), it finds a bug of depth d
// among n sessions and k steps with probability >= 1/(n k^(d-1)).
StepOrder PctSchedule(const std::vector<int>& steps, int depth, std::uint64_t seed, std::uint64_t id);

// PCT's bound for n sessions, k steps, depth d: 1/(n k^(d-1)).
double PctProbability(int sessions, int steps, int depth);
// The schedules that give a bug of that depth a 99% chance: the least N
// with 1 - (1 - p)^N >= 0.99.
std::uint64_t PctSchedulesFor99(double p);

// The times consecutive steps of `s` belong to different sessions.
int ContextSwitches(const StepOrder& s);

// "0 0 1 1 0": the schedule as the report prints it (sessions from 1).
std::string ScheduleText(const StepOrder& s);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_HARNESS_ENGINE_EXPLORE_SCHEDULES_H_
