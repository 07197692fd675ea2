// Pitch of a voice (SF2 2.04 8.1.2/8.1.3): the key relative to the root key (the sample's
// original pitch, or overridingRootKey), coarseTune and fineTune, scaleTuning, the sample's pitch
// correction and the ratio of the sample's rate to the output rate. Measured by FFT to well
// under a cent on a looped sine whose native frequency is known (441 Hz: 100 points per cycle
// at 44.1 kHz).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

constexpr double kCentTolerance = 1.0;

// The frequency a key should sound at when the sample (native frequency `native_hz`) sounds at
// `root_key`, with `cents` of further tuning.
double expected_hz(double native_hz, int key, int root_key, double cents = 0.0) {
  return native_hz * std::pow(2.0, ((key - root_key) * 100.0 + cents) / 1200.0);
}

// The pitch of a held note, from 100 ms to 500 ms after its start (well after the attack).
double note_cents_off(const Sf2Builder& bank, int key, double expected) {
  const Rendered out = render(bank, single_note_song(key, 100, 0, 600));
  const std::int64_t start = audible_frame(0) + 4410;
  const double error = cents_off(out.left_span(start, 17640), expected);
  report("key " + std::to_string(key) + " at " + std::to_string(expected) + " Hz: pitch error", error, "cents");
  return error;
}

Sf2Builder sine_bank(int root_key, const ZoneEdit& instrument = {}, const ZoneEdit& preset = {}) {
  return single_zone_bank(sine_points(), looped(root_key, 2000), instrument, preset);
}

TEST(Pitch, FollowsTheKeyWithinOneCentAcrossTheKeyboard) {
  const Sf2Builder bank = sine_bank(69);
  for (int key = 24; key <= 108; key += 12) {
    const double expected = expected_hz(kSineHz, key, 69);
    const double error = note_cents_off(bank, key, expected);
    EXPECT_LT(std::fabs(error), kCentTolerance) << "key " << key << " expected " << expected << " Hz, off by " << error << " cents";
  }
}

TEST(Pitch, OverridingRootKeyReplacesTheSamplesRootKey) {
  // The sample says 69; the zone says 57, so key 69 plays an octave above the sample.
  const Sf2Builder bank = sine_bank(69, [](ZoneSpec& z) { z.gen(Generator::overridingRootKey, 57); });
  EXPECT_LT(std::fabs(note_cents_off(bank, 69, 2.0 * kSineHz)), kCentTolerance);
  EXPECT_LT(std::fabs(note_cents_off(bank, 57, kSineHz)), kCentTolerance);
}

TEST(Pitch, CoarseTuneShiftsBySemitones) {
  const Sf2Builder bank = sine_bank(60, [](ZoneSpec& z) { z.gen(Generator::coarseTune, 7); });
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, expected_hz(kSineHz, 67, 60))), kCentTolerance);
}

TEST(Pitch, FineTuneShiftsByCents) {
  const Sf2Builder bank = sine_bank(60, [](ZoneSpec& z) { z.gen(Generator::fineTune, -37); });
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, expected_hz(kSineHz, 60, 60, -37.0))), kCentTolerance);
}

TEST(Pitch, PresetTuningAddsToInstrumentTuning) {
  // SF2 2.04 9.4: preset generators are offsets added to the instrument's values.
  const Sf2Builder bank = sine_bank(
      60, [](ZoneSpec& z) { z.gen(Generator::coarseTune, 2).gen(Generator::fineTune, 10); },
      [](ZoneSpec& z) { z.gen(Generator::coarseTune, 3).gen(Generator::fineTune, 15); });
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, expected_hz(kSineHz, 65, 60, 25.0))), kCentTolerance);
}

TEST(Pitch, ScaleTuningSetsCentsPerKey) {
  // 50 cents per key: an octave of keys spans half an octave, around the root key.
  const Sf2Builder bank = sine_bank(60, [](ZoneSpec& z) { z.gen(Generator::scaleTuning, 50); });
  EXPECT_LT(std::fabs(note_cents_off(bank, 72, expected_hz(kSineHz, 60, 60, 600.0))), kCentTolerance);
  EXPECT_LT(std::fabs(note_cents_off(bank, 48, expected_hz(kSineHz, 60, 60, -600.0))), kCentTolerance);
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, kSineHz)), kCentTolerance);
}

TEST(Pitch, SamplePitchCorrectionRaisesThePitch) {
  // chPitchCorrection says how far to retune the sample to make it sound at its root key:
  // +25 plays it 25 cents higher.
  SampleOptions options = looped(60, 2000);
  options.pitch_correction = 25;
  const Sf2Builder bank = single_zone_bank(sine_points(), options);
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, expected_hz(kSineHz, 60, 60, 25.0))), kCentTolerance);
}

TEST(Pitch, SampleRateRatioScalesPlayback) {
  // 50 points per cycle at 22050 Hz is 441 Hz: at the root key it must sound at 441 Hz in the
  // 44.1 kHz output (the voice steps half a point per output frame), and an octave up at +12.
  const Sf2Builder bank = single_zone_bank(sine_loop(20, 50), looped(60, 1000, 22050));
  EXPECT_LT(std::fabs(note_cents_off(bank, 60, kSineHz)), kCentTolerance);
  EXPECT_LT(std::fabs(note_cents_off(bank, 72, 2.0 * kSineHz)), kCentTolerance);
}

}  // namespace
}  // namespace tutti::test
