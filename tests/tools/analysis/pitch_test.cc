#include "tools/analysis/pitch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tests/tools/analysis/synthetic_signals.h"

namespace tutti::analysis {
namespace {

using testing::sawtooth;
using testing::sine;

// Engine tests assert rendered pitch within 1 cent; the estimator must be 10x finer.
constexpr double kMaxErrorCents = 0.1;

// 30 Hz .. 8 kHz, log-spaced so the tones fall at arbitrary fractions of an FFT bin.
std::vector<double> test_frequencies(int count) {
  std::vector<double> frequencies;
  for (int i = 0; i < count; ++i) {
    frequencies.push_back(30.0 * std::pow(8000.0 / 30.0, i / static_cast<double>(count - 1)));
  }
  return frequencies;
}

struct ToneCase {
  double sample_rate;
  double seconds;
};

class PitchAccuracy : public ::testing::TestWithParam<ToneCase> {};

TEST_P(PitchAccuracy, PureSinesWithinATenthOfACent) {
  const auto [rate, seconds] = GetParam();
  const auto length = static_cast<std::size_t>(seconds * rate);
  double worst = 0.0;
  int index = 0;
  for (const double hz : test_frequencies(31)) {
    const auto signal = sine(hz, rate, length, 0.5, 0.7 * index++);
    const auto estimate = estimate_frequency(signal, rate);
    ASSERT_TRUE(estimate.has_value()) << hz << " Hz: " << estimate.error().message();
    const double error = std::abs(cents_between(*estimate, hz));
    EXPECT_LT(error, kMaxErrorCents) << hz << " Hz estimated as " << *estimate;
    worst = std::max(worst, error);
  }
  RecordProperty("worst_error_millicents", static_cast<int>(std::ceil(worst * 1000.0)));
  std::printf("sines %.0f Hz, %.2f s: worst error %.6f cents\n", rate, seconds, worst);
}

TEST_P(PitchAccuracy, SawtoothFundamentalWithinATenthOfACent) {
  const auto [rate, seconds] = GetParam();
  const auto length = static_cast<std::size_t>(seconds * rate);
  double worst = 0.0;
  int index = 0;
  for (const double hz : test_frequencies(13)) {
    const auto signal = sawtooth(hz, rate, length, 0.3, 1.3 * index++);
    // The hint is 40 cents off, as a detuned engine would be.
    const auto fundamental = estimate_fundamental(signal, rate, hz * std::exp2(40.0 / 1200.0));
    ASSERT_TRUE(fundamental.has_value()) << hz << " Hz: " << fundamental.error().message();
    const double error = std::abs(cents_between(*fundamental, hz));
    EXPECT_LT(error, kMaxErrorCents) << hz << " Hz saw estimated as " << *fundamental;
    worst = std::max(worst, error);
    // The fundamental is also the saw's strongest partial, so the hint-free call agrees.
    const auto dominant = estimate_frequency(signal, rate);
    ASSERT_TRUE(dominant.has_value());
    EXPECT_LT(std::abs(cents_between(*dominant, hz)), kMaxErrorCents) << hz << " Hz saw";
  }
  std::printf("saws %.0f Hz, %.2f s: worst error %.6f cents\n", rate, seconds, worst);
}

INSTANTIATE_TEST_SUITE_P(RatesAndLengths, PitchAccuracy,
                         ::testing::Values(ToneCase{44100.0, 0.5}, ToneCase{44100.0, 1.0},
                                           ToneCase{48000.0, 0.5}, ToneCase{22050.0, 0.75}));

TEST(Pitch, FundamentalIsFoundWhenAnUpperHarmonicIsStronger) {
  const double rate = 44100.0, hz = 110.0;
  const std::size_t length = 22050;
  auto signal = sine(hz, rate, length, 0.1);
  const auto second = sine(2 * hz, rate, length, 0.4, 1.0);
  const auto third = sine(3 * hz, rate, length, 0.2, 2.0);
  for (std::size_t n = 0; n < length; ++n) signal[n] += second[n] + third[n];

  const auto dominant = estimate_frequency(signal, rate);
  ASSERT_TRUE(dominant.has_value());
  EXPECT_LT(std::abs(cents_between(*dominant, 2 * hz)), kMaxErrorCents);

  const auto fundamental = estimate_fundamental(signal, rate, hz);
  ASSERT_TRUE(fundamental.has_value());
  EXPECT_LT(std::abs(cents_between(*fundamental, hz)), kMaxErrorCents);
}

TEST(Pitch, DecayingNoteIsMeasuredAtItsPitch) {
  // A rendered note is not steady: a fast attack then a 40 dB decay over the segment. Its
  // envelope is real, so the spectrum stays symmetric about the pitch and the peak stays put.
  const double rate = 44100.0;
  for (const double hz : {32.7, 261.63, 3520.0}) {
    auto signal = sawtooth(hz, rate, 22050, 0.3, 0.4);
    for (std::size_t n = 0; n < signal.size(); ++n) {
      const double t = static_cast<double>(n) / rate;
      signal[n] *= static_cast<float>(std::min(1.0, t / 0.005) * std::pow(10.0, -4.0 * t));
    }
    const auto estimate = estimate_fundamental(signal, rate, hz);
    ASSERT_TRUE(estimate.has_value()) << estimate.error().message();
    EXPECT_LT(std::abs(cents_between(*estimate, hz)), kMaxErrorCents) << hz << " Hz";
  }
}

TEST(Pitch, NoisyLowToneStaysAccurate) {
  const double rate = 44100.0, hz = 31.0;
  auto signal = sine(hz, rate, 44100, 0.5);
  const auto noise = testing::white_noise(signal.size(), 0.005, 7);  // about -40 dB
  for (std::size_t n = 0; n < signal.size(); ++n) signal[n] += noise[n];
  const auto estimate = estimate_fundamental(signal, rate, hz);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_LT(std::abs(cents_between(*estimate, hz)), kMaxErrorCents);
}

TEST(Pitch, DcOffsetDoesNotPullALowTone) {
  const double rate = 44100.0, hz = 30.0;
  auto signal = sine(hz, rate, 22050, 0.2);
  for (float& x : signal) x += 0.3f;
  const auto estimate = estimate_frequency(signal, rate);
  ASSERT_TRUE(estimate.has_value());
  EXPECT_LT(std::abs(cents_between(*estimate, hz)), kMaxErrorCents);
}

TEST(Pitch, AmplitudeOfTheToneIsMeasured) {
  const auto signal = sine(1234.5, 48000.0, 24000, 0.25, 0.3);
  const auto tone = estimate_tone(signal, 48000.0, 1000.0, 1500.0);
  ASSERT_TRUE(tone.has_value());
  EXPECT_NEAR(tone->amplitude, 0.25, 1e-4);
}

TEST(Pitch, SilenceIsAnError) {
  const std::vector<float> silence(4096, 0.0f);
  const auto estimate = estimate_frequency(silence, 44100.0);
  ASSERT_FALSE(estimate.has_value());
  EXPECT_NE(estimate.error().message().find("silent"), std::string::npos)
      << estimate.error().message();
}

TEST(Pitch, TooShortSignalIsAnError) {
  const auto signal = sine(440.0, 44100.0, 32);
  EXPECT_FALSE(estimate_frequency(signal, 44100.0).has_value());
}

TEST(Pitch, HintFarFromTheToneFindsNoPeak) {
  // 1 kHz tone, looking around 440 Hz: the band holds only the tone's leakage, rising toward
  // the band's upper edge, which must not be reported as a pitch.
  const auto signal = sine(1000.0, 44100.0, 22050);
  const auto estimate = estimate_fundamental(signal, 44100.0, 440.0, 300.0);
  ASSERT_FALSE(estimate.has_value());
  EXPECT_NE(estimate.error().message().find("no tone"), std::string::npos)
      << estimate.error().message();
}

TEST(Pitch, SideLobeOfANearbyStrongToneIsNotATone) {
  // 0.1 s of a 1 kHz tone: 10 Hz bins. Searching 900..960 Hz (4 to 10 bins away) finds only its
  // side lobes, which have local maxima of their own.
  const auto signal = sine(1000.0, 44100.0, 4410);
  const auto estimate = estimate_tone(signal, 44100.0, 900.0, 960.0);
  ASSERT_FALSE(estimate.has_value());
  EXPECT_NE(estimate.error().message().find("side lobe of the component at"),
            std::string::npos)
      << estimate.error().message();
}

TEST(Pitch, WeakToneNextToAStrongOneIsStillMeasured) {
  // 40 dB down and 100 Hz (50 bins) away from a strong tone: real, and measurable.
  auto signal = sine(1000.0, 44100.0, 22050, 0.5);
  const auto weak = sine(900.0, 44100.0, 22050, 0.005, 1.0);
  for (std::size_t n = 0; n < signal.size(); ++n) signal[n] += weak[n];
  const auto tone = estimate_tone(signal, 44100.0, 850.0, 950.0);
  ASSERT_TRUE(tone.has_value()) << tone.error().message();
  EXPECT_LT(std::abs(cents_between(tone->hz, 900.0)), kMaxErrorCents);
  EXPECT_NEAR(tone->amplitude, 0.005, 1e-5);
}

TEST(Pitch, CentsBetween) {
  EXPECT_NEAR(cents_between(880.0, 440.0), 1200.0, 1e-12);
  EXPECT_NEAR(cents_between(440.0 * std::exp2(1.0 / 1200.0), 440.0), 1.0, 1e-9);
  EXPECT_NEAR(cents_between(440.0, 880.0), -1200.0, 1e-12);
}

}  // namespace
}  // namespace tutti::analysis
