#include "tools/analysis/lag.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tests/tools/analysis/synthetic_signals.h"

namespace tutti::analysis {
namespace {

constexpr double kRate = 44100.0;
constexpr std::int64_t kMaxLag = 2205;  // 50 ms at 44.1 kHz

// The candidate as a render that starts `lag` frames late (lag > 0: silence prepended) or
// early (lag < 0: the start is missing), same content otherwise.
std::vector<float> shifted(const std::vector<float>& reference, std::int64_t lag) {
  std::vector<float> candidate;
  if (lag >= 0) {
    candidate.assign(static_cast<std::size_t>(lag), 0.0f);
    candidate.insert(candidate.end(), reference.begin(), reference.end());
  } else {
    candidate.assign(reference.begin() + static_cast<std::ptrdiff_t>(-lag), reference.end());
  }
  return candidate;
}

// The definition in lag.h, evaluated directly: O(n * lags), for small inputs only.
double direct_ncc(const std::vector<float>& ref, const std::vector<float>& cand,
                  std::int64_t lag) {
  double cross = 0, ref_energy = 0, cand_energy = 0;
  for (std::int64_t n = 0; n < static_cast<std::int64_t>(ref.size()); ++n) {
    const std::int64_t m = n + lag;
    if (m < 0 || m >= static_cast<std::int64_t>(cand.size())) continue;
    cross += static_cast<double>(ref[n]) * cand[m];
    ref_energy += static_cast<double>(ref[n]) * ref[n];
    cand_energy += static_cast<double>(cand[m]) * cand[m];
  }
  return ref_energy * cand_energy > 0 ? cross / std::sqrt(ref_energy * cand_energy) : 0.0;
}

const std::vector<std::int64_t> kLags = {0, 1, -1, 7, -13, 441, -1000, 2204, -2204, 2205, -2205};

TEST(Lag, RecoversTheDelayOfNoiseExactly) {
  const auto reference = testing::white_noise(3 * 44100, 0.3, 11);
  for (const std::int64_t lag : kLags) {
    const LagEstimate estimate = find_lag(reference, shifted(reference, lag), kMaxLag);
    EXPECT_EQ(estimate.frames, lag);
    EXPECT_NEAR(estimate.correlation, 1.0, 1e-5) << "lag " << lag;
  }
}

TEST(Lag, RecoversTheDelayOfMusicExactly) {
  const auto reference = testing::music_like(kRate, 5 * 44100, 5);
  for (const std::int64_t lag : kLags) {
    auto candidate = shifted(reference, lag);
    // A slightly different render: 1 dB quieter with its own faint noise.
    const auto noise = testing::white_noise(candidate.size(), 2e-3, 99);
    for (std::size_t n = 0; n < candidate.size(); ++n) candidate[n] = 0.89f * candidate[n] + noise[n];
    EXPECT_EQ(find_lag(reference, candidate, kMaxLag).frames, lag);
  }
}

TEST(Lag, RecoversTheDelayOfBassExactly) {
  // Low notes only: neighbouring lags correlate within ~2e-5 of each other. The best lags are
  // recomputed in double, so an exact shifted copy scores 1 to double precision (the FFT alone
  // is only good to ~1e-7).
  const std::size_t length = 4 * 44100;
  auto reference = testing::sine(41.2, kRate, length, 0.4);
  const auto fifth = testing::sine(61.7, kRate, length, 0.2, 0.5);
  const auto noise = testing::white_noise(length, 1e-4, 77);
  for (std::size_t n = 0; n < length; ++n) reference[n] += fifth[n] + noise[n];
  for (const std::int64_t lag : {0, 1, -1, 123, -777, 2205}) {
    const LagEstimate estimate = find_lag(reference, shifted(reference, lag), kMaxLag);
    EXPECT_EQ(estimate.frames, lag);
    EXPECT_NEAR(estimate.correlation, 1.0, 1e-12) << "lag " << lag;
  }
}

TEST(Lag, EqualLengthsWithTheTailCutOff) {
  // A late candidate rendered to the same length as the reference loses its last frames.
  const auto reference = testing::music_like(kRate, 2 * 44100, 8);
  for (const std::int64_t lag : {300, -300}) {
    auto candidate = shifted(reference, lag);
    candidate.resize(reference.size(), 0.0f);
    EXPECT_EQ(find_lag(reference, candidate, kMaxLag).frames, lag);
  }
}

TEST(Lag, DelaysOutsideTheWindowAreNotFound) {
  const auto reference = testing::white_noise(44100, 0.3, 12);
  const LagEstimate estimate = find_lag(reference, shifted(reference, 3000), kMaxLag);
  EXPECT_LE(std::abs(estimate.frames), kMaxLag);
  EXPECT_LT(estimate.correlation, 0.2);
}

TEST(Lag, MatchesTheDirectDefinitionOnEveryLag) {
  // Short signals of unequal lengths, both longer and shorter candidates: the FFT result and
  // the incrementally normalised overlaps against the formula, lag by lag.
  const auto reference = testing::music_like(8000.0, 700, 3);
  for (const std::size_t candidate_length : {650u, 700u, 760u}) {
    auto candidate = shifted(reference, 5);
    candidate.resize(candidate_length, 0.0f);
    const auto noise = testing::white_noise(candidate_length, 0.01, 4);
    for (std::size_t n = 0; n < candidate_length; ++n) candidate[n] += noise[n];
    const std::int64_t window = 40;
    const std::vector<double> ncc = normalized_cross_correlation(reference, candidate, window);
    ASSERT_EQ(ncc.size(), 2u * window + 1);
    for (std::int64_t lag = -window; lag <= window; ++lag) {
      ASSERT_NEAR(ncc[lag + window], direct_ncc(reference, candidate, lag), 1e-5)
          << "lag " << lag << ", candidate length " << candidate_length;
    }
    EXPECT_EQ(find_lag(reference, candidate, window).frames, 5);
  }
}

TEST(Lag, WindowIsLimitedByTheSignalLengths) {
  const auto reference = testing::white_noise(30, 0.3, 5);
  const auto candidate = testing::white_noise(10, 0.3, 6);
  const std::vector<double> ncc = normalized_cross_correlation(reference, candidate, 100);
  ASSERT_EQ(ncc.size(), 2u * 9 + 1);  // |lag| <= shorter length - 1
  for (std::int64_t lag = -9; lag <= 9; ++lag) {
    ASSERT_NEAR(ncc[lag + 9], direct_ncc(reference, candidate, lag), 1e-5) << "lag " << lag;
  }
}

TEST(Lag, InvertedPolarityIsNotAMatch) {
  const auto reference = testing::white_noise(20000, 0.3, 4);
  auto candidate = shifted(reference, 100);
  for (float& x : candidate) x = -x;
  EXPECT_LT(find_lag(reference, candidate, kMaxLag).correlation, 0.1);
}

TEST(Lag, EmptyOrSilentInputsGiveZero) {
  const std::vector<float> empty;
  const std::vector<float> silence(1000, 0.0f);
  const auto noise = testing::white_noise(1000, 0.3, 1);
  EXPECT_EQ(find_lag(empty, noise, 10).frames, 0);
  EXPECT_EQ(find_lag(noise, silence, 10).frames, 0);
  EXPECT_EQ(find_lag(noise, silence, 10).correlation, 0.0);
  EXPECT_EQ(find_lag(noise, noise, 0).frames, 0);
}

}  // namespace
}  // namespace tutti::analysis
