#pragma once
// Alignment of a candidate render against its reference: the integer lag that maximises their
// normalised cross-correlation within a window of ±max_lag_frames.
#include <cstdint>
#include <span>
#include <vector>

namespace tutti::analysis {

struct LagEstimate {
  // Positive: the candidate is late, candidate[n + frames] lines up with reference[n].
  std::int64_t frames = 0;
  // The normalised cross-correlation at that lag, in [-1, 1] (1: identical up to a gain).
  double correlation = 0.0;
};

// For each lag l in [-max_lag_frames, max_lag_frames] with a non-empty overlap,
//   ncc(l) = sum_n ref[n]*cand[n+l] / sqrt(sum_n ref[n]^2 * sum_n cand[n+l]^2),
// all sums over the overlap (the n where both samples exist); normalising per lag keeps a lag
// from winning merely because it overlaps more of a loud passage. Returns the lag with the
// largest ncc (ties go to the smaller |lag|, then the negative one). The correlations are
// computed block by block with FFTs, so the cost is O(n log max_lag), not O(n * max_lag).
LagEstimate find_lag(std::span<const float> reference, std::span<const float> candidate,
                     std::int64_t max_lag_frames);

// ncc(l) for every lag l in [-L, L], L = min(max_lag_frames, both lengths − 1), at index l + L
// (0 where an overlap is silent); empty when an input is. For diagnostics and plots.
std::vector<double> normalized_cross_correlation(std::span<const float> reference,
                                                 std::span<const float> candidate,
                                                 std::int64_t max_lag_frames);

}  // namespace tutti::analysis
