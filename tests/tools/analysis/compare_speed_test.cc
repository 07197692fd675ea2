// How long the parity comparison of a 3-minute stereo pair takes. Labelled `heavy` (outside the
// default ctest run): it measures time, which a loaded machine distorts, so it reports process
// CPU time and asserts a bound with room to spare; the target is well under a second.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "tests/tools/analysis/synthetic_signals.h"
#include "tools/analysis/compare.h"

namespace tutti::analysis {
namespace {

constexpr int kRate = 44100;

struct Timing {
  double cpu_seconds, wall_seconds;
};

template <typename Work>
Timing time_it(Work&& work) {
  const std::clock_t cpu_start = std::clock();
  const auto wall_start = std::chrono::steady_clock::now();
  work();
  return {static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count()};
}

class CompareSpeed : public ::testing::Test {
 protected:
  // A 3-minute stereo reference and a candidate 7 ms late, 1 dB quieter, with its own noise.
  void SetUp() override {
    const std::size_t frames = 180 * kRate, delay = 300;
    const auto left = testing::white_noise(frames, 0.2, 31);
    const auto right = testing::white_noise(frames, 0.2, 32);
    const auto noise = testing::white_noise(frames, 0.002, 33);
    reference_ = AudioBuffer{kRate, 2, {}};
    candidate_ = AudioBuffer{kRate, 2, std::vector<float>(2 * delay, 0.0f)};
    for (std::size_t n = 0; n < frames; ++n) {
      reference_.interleaved.push_back(left[n]);
      reference_.interleaved.push_back(right[n]);
      if (n + delay < frames) {
        candidate_.interleaved.push_back(0.89f * left[n] + noise[n]);
        candidate_.interleaved.push_back(0.89f * right[n] - noise[n]);
      }
    }
  }
  AudioBuffer reference_, candidate_;
};

TEST_F(CompareSpeed, WholeThreeMinutePair) {
  CompareOptions whole;
  whole.max_seconds.reset();
  Expected<CompareReport> report = Unexpected{Error{}};
  const Timing timing = time_it([&] { report = compare_audio(reference_, candidate_, whole); });
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->lag_frames, 300);
  std::printf("3-minute stereo pair, whole: cpu %.3f s, wall %.3f s\n", timing.cpu_seconds,
              timing.wall_seconds);
  EXPECT_LT(timing.cpu_seconds, 2.0);
}

TEST_F(CompareSpeed, FirstSixtySecondsAsTheProjectMeasures) {
  Expected<CompareReport> report = Unexpected{Error{}};
  const Timing timing = time_it([&] { report = compare_audio(reference_, candidate_); });
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->lag_frames, 300);
  std::printf("3-minute stereo pair, first 60 s: cpu %.3f s, wall %.3f s\n", timing.cpu_seconds,
              timing.wall_seconds);
  EXPECT_LT(timing.cpu_seconds, 0.7);
}

}  // namespace
}  // namespace tutti::analysis
