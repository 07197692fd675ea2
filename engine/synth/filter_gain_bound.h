#pragma once
// How much the voice's low-pass (engine/synth/lowpass_filter.h) can raise a signal's peak: for
// an input never above x, the output never exceeds x times the sum of the filter's impulse
// response magnitudes (its L1 norm). A bound on a voice's future output needs the largest such
// sum over every cutoff the voice's envelopes and LFOs can still take it to, for its Q.
//
// Per Q (whole centibels), the sums are found once, at cutoffs 100 cents apart, and kept as a
// running maximum from the lowest cutoff up, so a query is one table read. They grow with the
// cutoff (towards the top, where the zeros at the Nyquist frequency stop taming the poles) and
// with Q, which is what makes the grid and rounding Q up safe; a margin covers the steps.
#include <array>
#include <vector>

#include "engine/common/found_once.h"

namespace tutti::engine::synth {

class FilterGainBounds {
 public:
  static constexpr int kLargestQCentibels = 960;  // the design clamps Q to 96 dB

  // The bounds for one output rate, shared by every render in the process: a Q's table costs
  // about a millisecond, and a batch of short songs found the same tables again song after
  // song. Lives until the process ends.
  static const FilterGainBounds& shared(double output_rate);

  explicit FilterGainBounds(double output_rate) : output_rate_(output_rate) {}
  FilterGainBounds(const FilterGainBounds&) = delete;
  FilterGainBounds& operator=(const FilterGainBounds&) = delete;

  // The bound for Q `q_centibels` (initialFilterQ with its modulators) over every cutoff up to
  // `highest_cutoff_cents` (absolute cents, before the filter's own limits). Thread-safe: a
  // table is found by whichever caller first needs it (its values do not depend on who).
  double at(double q_centibels, double highest_cutoff_cents) const;

 private:
  const std::vector<double>& table(int q_centibels) const;
  std::vector<double> find_table(int q_centibels) const;

  double output_rate_;
  std::array<FoundOnce<std::vector<double>>, kLargestQCentibels + 1> by_centibel_;  // per whole cB of Q
};

}  // namespace tutti::engine::synth
