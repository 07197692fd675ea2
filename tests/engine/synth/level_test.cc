// Levels: initialAttenuation (with FluidSynth's 0.4 factor on SoundFont values), velocity
// attenuation on the concave curve, the equal-power pan law for the pan generator and CC10,
// FluidSynth's CC8 balance, and stereo sample pairs played as two panned voices. Attenuation
// is quantised to whole centibels by FluidSynth's table, hence tolerances of 0.1 dB where the
// expectation has fractions of a centibel.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/modulator_curves.h"

namespace tutti::test {
namespace {

constexpr double kCentibelStep = 0.1;  // dB: the attenuation table's resolution

TEST(InitialAttenuation, HundredCentibelsInTheFileAttenuateFourDecibels) {
  // FluidSynth multiplies SoundFont attenuation by 0.4 (COMPAT.md 4): 100 cB -> 40 cB.
  const StereoLevel plain = steady_level(dc_bank());
  const StereoLevel attenuated = steady_level(dc_bank([](ZoneSpec& z) { z.gen(Generator::initialAttenuation, 100); }));
  ASSERT_GT(plain.left, 0.0);
  const double change = to_db(attenuated.left / plain.left);
  report("initialAttenuation 100 cB", change, "dB");
  EXPECT_NEAR(change, -4.0, 0.01);
}

TEST(InitialAttenuation, PresetAttenuationAddsToTheInstruments) {
  // 100 cB (instrument) + 150 cB (preset) = 250 cB in the file, 100 cB after the 0.4 factor.
  const StereoLevel plain = steady_level(dc_bank());
  const StereoLevel attenuated = steady_level(dc_bank([](ZoneSpec& z) { z.gen(Generator::initialAttenuation, 100); },
                                                      [](ZoneSpec& z) { z.gen(Generator::initialAttenuation, 150); }));
  const double change = to_db(attenuated.left / plain.left);
  report("initialAttenuation 100 + 150 cB", change, "dB");
  EXPECT_NEAR(change, -10.0, 0.01);
}

TEST(VelocityAttenuation, FollowsTheConcaveCurve) {
  // The default modulator: 960 cB x concave(127 x (1 - velocity/128)); velocity 127 is not 0 cB
  // (1.36 cB) because FluidSynth normalises by 128.
  const Sf2Builder bank = dc_bank();
  const StereoLevel loudest = steady_level(bank, 127);
  ASSERT_GT(loudest.left, 0.0);
  for (int velocity : {1, 32, 64, 100, 126}) {
    const double measured = to_db(steady_level(bank, velocity).left / loudest.left);
    const double expected = -(concave_attenuation_cb(velocity) - concave_attenuation_cb(127)) / 10.0;
    report("velocity " + std::to_string(velocity) + " vs 127 (expected " + std::to_string(expected) + ")", measured, "dB");
    EXPECT_NEAR(measured, expected, kCentibelStep) << "velocity " << velocity;
  }
}

// Equal power: left = cos, right = sin of (pan + 500) / 1000 x 90 degrees. FluidSynth reads
// them from a 1002-entry table, 0.03 dB at most from the formula.
constexpr double kPanTableTolerance = 0.03;
double expected_right(double pan) { return std::sin((pan + 500.0) / 1000.0 * std::numbers::pi / 2.0); }
double expected_left(double pan) { return std::cos((pan + 500.0) / 1000.0 * std::numbers::pi / 2.0); }

TEST(Pan, GeneratorFollowsTheEqualPowerLaw) {
  const StereoLevel hard_left = steady_level(dc_bank([](ZoneSpec& z) { z.gen(Generator::pan, -500); }));
  ASSERT_GT(hard_left.left, 0.0);
  EXPECT_EQ(hard_left.right, 0.0);
  const double full = hard_left.left;
  for (int pan : {-250, 0, 250, 500}) {
    const StereoLevel level = steady_level(dc_bank([pan](ZoneSpec& z) { z.gen(Generator::pan, pan); }));
    const double power = (level.left * level.left + level.right * level.right) / (full * full);
    report("pan " + std::to_string(pan) + ": left", to_db(level.left / full), "dB");
    report("pan " + std::to_string(pan) + ": right", to_db(level.right / full), "dB");
    EXPECT_NEAR(power, 1.0, 0.002) << "pan " << pan << ": total power";
    if (pan < 500) EXPECT_NEAR(to_db(level.left / full), to_db(expected_left(pan)), kPanTableTolerance) << "pan " << pan;
    else EXPECT_EQ(level.left, 0.0);
    EXPECT_NEAR(to_db(level.right / full), to_db(expected_right(pan)), kPanTableTolerance) << "pan " << pan;
  }
}

TEST(Pan, Controller10MovesAlongTheSameLaw) {
  // CC10 is a bipolar source scaled to +-500: 0 is hard left, 64 the centre, and 127 only
  // reaches +492.2 (127/128), so the left side keeps -38 dB.
  auto with_cc10 = [](int value) {
    return steady_level(dc_bank(), 127, [value](MidiTrack& t) { t.control_change(0, 0, 10, value); });
  };
  const StereoLevel left = with_cc10(0);
  const StereoLevel centre = with_cc10(64);
  const StereoLevel right = with_cc10(127);
  ASSERT_GT(left.left, 0.0);
  const double full = left.left;
  EXPECT_EQ(left.right, 0.0);
  EXPECT_NEAR(to_db(centre.left / full), to_db(std::sqrt(0.5)), kPanTableTolerance);
  EXPECT_NEAR(to_db(centre.right / full), to_db(std::sqrt(0.5)), kPanTableTolerance);
  const double pan_127 = 500.0 * (2.0 * 127.0 / 128.0 - 1.0);
  report("CC10 127: left", to_db(right.left / full), "dB");
  EXPECT_NEAR(to_db(right.right / full), to_db(expected_right(pan_127)), kPanTableTolerance);
  EXPECT_NEAR(to_db(right.left / full), to_db(expected_left(pan_127)), 0.3);
}

TEST(Balance, Controller8AttenuatesTheOppositeSide) {
  // FluidSynth's non-standard default modulator: CC8, concave bipolar, 960 cB of balance; a
  // negative balance attenuates the right side, a positive one the left (FLUIDSYNTH_MODEL.md
  // 6.1 #11, 9).
  auto with_cc8 = [](int value) {
    return steady_level(dc_bank(), 127, [value](MidiTrack& t) { t.control_change(0, 0, 8, value); });
  };
  const StereoLevel centre = with_cc8(64);
  ASSERT_GT(centre.left, 0.0);
  const StereoLevel quarter = with_cc8(32);
  // x = 32/128: -concave(254 x (0.5 - x)) = -concave(63.5).
  const double quarter_cb = 960.0 * concave(254.0 * (0.5 - 32.0 / 128.0));
  report("CC8 32: right", to_db(quarter.right / centre.right), "dB");
  EXPECT_NEAR(to_db(quarter.left / centre.left), 0.0, 0.01);
  EXPECT_NEAR(to_db(quarter.right / centre.right), -quarter_cb / 10.0, kCentibelStep);
  const StereoLevel high = with_cc8(127);
  const double high_cb = 960.0 * concave(254.0 * (127.0 / 128.0 - 0.5));
  report("CC8 127: left", to_db(high.left / centre.left), "dB");
  EXPECT_NEAR(to_db(high.right / centre.right), 0.0, 0.01);
  EXPECT_NEAR(to_db(high.left / centre.left), -high_cb / 10.0, kCentibelStep);
}

TEST(StereoPair, LeftAndRightSamplesPlayOnTheirSides) {
  // A linked pair: 441 Hz on the left sample, 882 Hz on the right, in zones panned hard left
  // and hard right (as SoundFonts lay stereo pairs out). Each side carries only its sample.
  Sf2Builder builder;
  const auto [left, right] = builder.add_stereo_sample(sine_points(20), sine_loop(40, 50, 0.5f), looped(60, 2000));
  const int instrument = builder.add_instrument(
      "stereo", {zone(left).gen(Generator::sampleModes, 1).gen(Generator::pan, -500),
                 zone(right).gen(Generator::sampleModes, 1).gen(Generator::pan, 500)});
  builder.add_preset("stereo", 0, 0, {preset_zone(instrument)});
  const Rendered out = render(builder, single_note_song(60, 127, 0, 300));
  EXPECT_EQ(out.result.statistics.voices_started, 2u);
  const std::int64_t first = audible_frame(100);
  const double left_441 = tone_amplitude(out.left_span(first, 4400), kSineHz);
  const double left_882 = tone_amplitude(out.left_span(first, 4400), 2.0 * kSineHz);
  const double right_441 = tone_amplitude(out.right_span(first, 4400), kSineHz);
  const double right_882 = tone_amplitude(out.right_span(first, 4400), 2.0 * kSineHz);
  ASSERT_GT(left_441, 0.0);
  report("left channel: 882 Hz relative to 441 Hz", to_db(left_882 / left_441), "dB");
  report("right channel: 441 Hz relative to 882 Hz", to_db(right_441 / right_882), "dB");
  EXPECT_LT(left_882, 1e-5 * left_441);
  EXPECT_LT(right_441, 1e-5 * right_882);
  EXPECT_NEAR(to_db(right_882 / left_441), 0.0, 0.1) << "both sides at the same level";
}

}  // namespace
}  // namespace tutti::test
