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
#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "engine/common/found_once.h"
#include "engine/synth/conversions.h"

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

  // The bounds of one Q over every cutoff, as at() reads them: a voice keeps them while its Q
  // stays, since finding the Q's table is most of a query's cost. Empty until assigned.
  class ForQ {
   public:
    ForQ() = default;
    bool empty() const { return sums_ == nullptr; }
    // The bound over every cutoff up to `highest_cutoff_cents` (absolute cents, before the
    // filter's own limits).
    double at(double highest_cutoff_cents) const {
      const double cents = std::clamp(highest_cutoff_cents, kLowestFilterCents, kHighestFilterCents);
      const auto index = static_cast<std::size_t>((cents - kLowestFilterCents) / kGridCents);
      return (*sums_)[std::min(index, sums_->size() - 1)];
    }

   private:
    friend class FilterGainBounds;
    explicit ForQ(const std::vector<double>& sums) : sums_(&sums) {}
    const std::vector<double>* sums_ = nullptr;
  };

  // The bounds for Q `q_centibels` (initialFilterQ with its modulators). Thread-safe: a table
  // is found by whichever caller first needs it (its values do not depend on who).
  ForQ for_q(double q_centibels) const;
  // The bound for Q `q_centibels` over every cutoff up to `highest_cutoff_cents`.
  double at(double q_centibels, double highest_cutoff_cents) const { return for_q(q_centibels).at(highest_cutoff_cents); }

 private:
  // The cutoff grid the tables are found on.
  static constexpr double kGridCents = 100.0;

  const std::vector<double>& table(int q_centibels) const;
  std::vector<double> find_table(int q_centibels) const;

  double output_rate_;
  std::array<FoundOnce<std::vector<double>>, kLargestQCentibels + 1> by_centibel_;  // per whole cB of Q
};

}  // namespace tutti::engine::synth
