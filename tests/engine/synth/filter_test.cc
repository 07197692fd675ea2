// The voice's resonant low-pass (SF2 2.04 8.1.2 initialFilterFc/initialFilterQ, 8.1.3) as
// FluidSynth runs it: the cutoff in absolute cents, limited to 1500..13500 cents; Q in
// centibels above a Butterworth response; the passband lowered by half the resonance height;
// and the filter never switched off, even fully open (COMPAT.md 7). Measured as the amplitude
// of a 441 Hz tone against the same note through a fully open filter, and on the DC probe.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/lowpass_response.h"
#include "tests/engine/synth/modulator_curves.h"

namespace tutti::test {
namespace {

constexpr double kOpenCents = 13500.0;

// The 441 Hz tone's amplitude from 100 to 300 ms of a held note (a whole number of cycles).
double tone_level(const ZoneEdit& filter) {
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), filter);
  const Rendered out = render(bank, single_note_song(60, 127, 0, 400));
  return tone_amplitude(out.left_span(audible_frame(100), 8820), kSineHz);
}

ZoneEdit filter_at(int cutoff_cents, int q_centibels) {
  return [=](ZoneSpec& z) {
    z.gen(Generator::initialFilterFc, cutoff_cents).gen(Generator::initialFilterQ, q_centibels);
  };
}

// The tone through the filter relative to a fully open filter of the same Q, measured and as
// the biquad's response predicts it.
void expect_tone_response(int cutoff_cents, int q_centibels) {
  const double open = tone_level(filter_at(static_cast<int>(kOpenCents), q_centibels));
  ASSERT_GT(open, 0.0);
  const double measured = to_db(tone_level(filter_at(cutoff_cents, q_centibels)) / open);
  const double expected = lowpass_gain_db(kSineHz, cutoff_cents, q_centibels) -
                          lowpass_gain_db(kSineHz, kOpenCents, q_centibels);
  report("441 Hz through Fc " + std::to_string(cutoff_cents) + " cents, Q " + std::to_string(q_centibels) +
             " cB (expected " + std::to_string(expected) + ")",
         measured, "dB");
  EXPECT_NEAR(measured, expected, 0.1) << "Fc " << cutoff_cents << " Q " << q_centibels;
}

TEST(InitialFilterFc, CutoffIsTheThreeDecibelPointAtZeroQ) {
  // 6900 cents is 440 Hz: a Butterworth response is 3 dB down there.
  expect_tone_response(6900, 0);
  EXPECT_NEAR(lowpass_gain_db(kSineHz, 6900, 0) - lowpass_gain_db(kSineHz, kOpenCents, 0), -3.0, 0.1);
}

TEST(InitialFilterFc, AnOctaveAboveTheCutoffFallsTwelveDecibels) {
  expect_tone_response(5700, 0);  // 220 Hz
  expect_tone_response(4500, 0);  // 110 Hz: two octaves, about 24 dB
}

TEST(InitialFilterQ, ResonancePeaksAtTheCutoffByTheQHeight) {
  // Q 120 cB: the response at the cutoff is 12 dB above a Butterworth's -3 dB point, less the
  // 6 dB of passband compensation (half the height, relative to the open filter of equal Q).
  expect_tone_response(6900, 120);
  expect_tone_response(6900, 240);
  expect_tone_response(8100, 240);  // an octave above the tone: the passband, below the peak
}

TEST(InitialFilterQ, PassbandDropsByHalfTheResonanceHeight) {
  // The DC probe passes the filter's DC gain: 1/sqrt(Q). Q 200 cB is 20 dB, so -10 dB.
  const StereoLevel flat = steady_level(dc_bank(filter_at(13500, 0)));
  const StereoLevel resonant = steady_level(dc_bank(filter_at(13500, 200)));
  ASSERT_GT(flat.left, 0.0);
  report("DC gain with Q 200 cB vs 0 cB", to_db(resonant.left / flat.left), "dB");
  EXPECT_NEAR(to_db(resonant.left / flat.left), -10.0, 0.05);
}

TEST(InitialFilterFc, FullyOpenFilterStillPassesItsButterworthGain) {
  // FluidSynth keeps the filter on with the cutoff at 0.45 x the rate: the DC probe carries
  // the 0 cB Q's passband gain of 1/sqrt(1/sqrt(2)) (+1.5 dB) on top of the gain chain.
  const StereoLevel level = steady_level(dc_bank());
  // 0.5 as a 16-bit point on the 24-bit scale, x synth gain 0.2f x the centre pan gain x the
  // default attenuation (velocity 127, CC7 100, CC11 127 on the concave curve, read at the
  // whole centibel).
  const double point = std::round(0.5 * 32767.0) * 256.0 / 8388608.0;
  const double attenuation_cb =
      std::floor(concave_attenuation_cb(127) + concave_attenuation_cb(100) + concave_attenuation_cb(127));
  const double chain = point * static_cast<double>(0.2f) * std::sqrt(0.5) * std::pow(10.0, -attenuation_cb / 200.0);
  const double filter_gain = 1.0 / std::sqrt(filter_q_linear(0.0));
  report("fully open filter: DC level over the gain chain", to_db(level.left / chain), "dB");
  EXPECT_NEAR(to_db(level.left / chain), to_db(filter_gain), 0.03);  // the pan table
}

TEST(InitialFilterFc, CutoffIsLimitedTo1500And13500Cents) {
  // Below 1500 and above 13500 cents the cutoff stops moving: the output is identical.
  auto render_with = [](int cutoff_cents) {
    const Sf2Builder bank = single_zone_bank(noise_points(2000, 7), looped(60, 2000), filter_at(cutoff_cents, 0));
    return render(bank, single_note_song(60, 127, 0, 200)).left;
  };
  const std::vector<float> lowest = render_with(1500);
  const std::vector<float> below = render_with(0);
  ASSERT_FALSE(lowest.empty());
  EXPECT_EQ(lowest, below);
  const std::vector<float> highest = render_with(13500);
  EXPECT_EQ(highest, render_with(20000));
  EXPECT_NE(highest, render_with(13000)) << "just below the ceiling the filter still moves";
}

}  // namespace
}  // namespace tutti::test
