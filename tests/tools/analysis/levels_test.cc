#include "tools/analysis/levels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/tools/analysis/synthetic_signals.h"

namespace tutti::analysis {
namespace {

TEST(Levels, FullScaleSineIsMinus3Db) {
  const auto signal = testing::sine(1000.0, 48000.0, 48000, 1.0);  // whole number of cycles
  EXPECT_NEAR(rms_db(signal), -3.0103, 1e-3);
  EXPECT_NEAR(peak(signal), 1.0, 1e-6);
  EXPECT_NEAR(peak_db(signal), 0.0, 1e-4);
}

TEST(Levels, RmsOfARangeSeesOnlyThatRange) {
  std::vector<float> signal(1000, 0.0f);
  for (std::size_t n = 500; n < 600; ++n) signal[n] = 0.5f;
  const std::span<const float> all(signal);
  EXPECT_NEAR(rms_db(all.subspan(500, 100)), 20.0 * std::log10(0.5), 1e-9);
  EXPECT_NEAR(rms(all), 0.5 * std::sqrt(0.1), 1e-9);
  EXPECT_EQ(rms_db(all.subspan(0, 500)), -INFINITY);
}

TEST(Levels, SilenceAndEmpty) {
  const std::vector<float> empty;
  EXPECT_EQ(rms(empty), 0.0);
  EXPECT_EQ(peak(empty), 0.0);
  EXPECT_EQ(amplitude_to_db(0.0), -INFINITY);
  EXPECT_NEAR(db_to_amplitude(-6.0205999), 0.5, 1e-8);
}

TEST(Levels, OnsetIsTheFirstSampleAboveTheThreshold) {
  std::vector<float> signal(100, 0.0f);
  signal[40] = 0.0009f;
  signal[41] = -0.002f;  // negative excursions count
  signal[70] = 0.5f;
  EXPECT_EQ(first_index_above(signal, 0.001), 41u);
  EXPECT_EQ(first_index_above(signal, 0.1), 70u);
  EXPECT_FALSE(first_index_above(signal, 0.5).has_value());  // strictly above
}

TEST(Levels, EnvelopeFollowsAnExponentialDecay) {
  // A 1 kHz tone decaying by 6.02 dB per 4800-sample block: consecutive block RMS halve.
  const double rate = 48000.0;
  auto signal = testing::sine(1000.0, rate, 48000, 1.0);
  for (std::size_t n = 0; n < signal.size(); ++n) {
    signal[n] *= static_cast<float>(std::exp2(-static_cast<double>(n) / 4800.0));
  }
  const auto envelope = rms_envelope(signal, 4800);
  ASSERT_EQ(envelope.size(), 10u);
  for (std::size_t block = 1; block < envelope.size(); ++block) {
    EXPECT_NEAR(envelope[block] / envelope[block - 1], 0.5, 1e-3) << "block " << block;
  }
  EXPECT_EQ(rms_envelope(signal, 47999).size(), 2u);  // a short last block is kept
  EXPECT_TRUE(rms_envelope(signal, 0).empty());
}

}  // namespace
}  // namespace tutti::analysis
