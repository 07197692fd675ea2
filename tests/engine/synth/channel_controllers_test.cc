// Channel controllers: CC7 volume and CC11 expression on the concave attenuation curve (also
// on sounding notes), pitch bend with its RPN 0 range on FluidSynth's scale (99.21875 cents
// per semitone of range at full deflection, because the wheel is divided by 16384 and the
// range by 128), CC120 all sound off, CC123 all notes off and CC121 reset all controllers.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/modulator_curves.h"

namespace tutti::test {
namespace {

constexpr double kCentibelStep = 0.1;  // dB

Sf2Builder sine_bank(const ZoneEdit& instrument = {}) {
  return single_zone_bank(sine_points(), looped(60, 2000), instrument);
}

void expect_concave_controller(int controller) {
  const Sf2Builder bank = dc_bank();
  auto level_with = [&bank, controller](int value) {
    return steady_level(bank, 127, [controller, value](MidiTrack& t) { t.control_change(0, 0, controller, value); }).left;
  };
  const double loudest = level_with(127);
  ASSERT_GT(loudest, 0.0);
  for (int value : {1, 32, 64, 100}) {
    const double measured = to_db(level_with(value) / loudest);
    // CC7 is 100 by default: the curve's value is relative to 127 either way.
    const double expected = -(concave_attenuation_cb(value) - concave_attenuation_cb(127)) / 10.0;
    report("CC" + std::to_string(controller) + " " + std::to_string(value) + " vs 127 (expected " +
               std::to_string(expected) + ")",
           measured, "dB");
    EXPECT_NEAR(measured, expected, kCentibelStep) << "CC" << controller << " = " << value;
  }
}

TEST(Volume, Controller7FollowsTheConcaveCurve) { expect_concave_controller(7); }

TEST(Expression, Controller11FollowsTheConcaveCurve) { expect_concave_controller(11); }

TEST(Volume, Controller7ChangesSoundingNotesAtTheNextBlock) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .control_change(clock.at(0), 0, 7, 127)
      .note_on(clock.at(0), 0, 60, 127)
      .control_change(clock.at(200), 0, 7, 64)
      .note_off(clock.at(400), 0, 60);
  const Rendered out = render(dc_bank(), song);
  const std::int64_t change = audible_frame(200);
  const double before = mean_magnitude(out.left_span(change - 2 * kBlock, 2 * kBlock));
  const double after = mean_magnitude(out.left_span(change + kBlock, 2 * kBlock));
  ASSERT_GT(before, 0.0);
  EXPECT_NEAR(std::fabs(out.left[static_cast<std::size_t>(change - 1)]), before, 1e-6 * before)
      << "unchanged until the block the controller is heard in";
  const double expected = -(concave_attenuation_cb(64) - concave_attenuation_cb(127)) / 10.0;
  report("CC7 127 -> 64 on a sounding note", to_db(after / before), "dB");
  EXPECT_NEAR(to_db(after / before), expected, kCentibelStep);
}

// The pitch of a 441 Hz note from 100 to 400 ms after `setup` ran at tick 0, in cents from
// 441 Hz, searched within 300 cents of `near_cents`.
double bent_cents(const std::function<void(MidiTrack&)>& setup, double near_cents) {
  MidiBuilder song(kMillisecondTicks);
  MidiTrack& track = song.track();
  setup(track);
  Clock clock;
  track.note_on(clock.at(0), 0, 60, 100).note_off(clock.at(500), 0, 60);
  const Rendered out = render(sine_bank(), song);
  const double near_hz = kSineHz * std::pow(2.0, near_cents / 1200.0);
  return near_cents + cents_off(out.left_span(audible_frame(100), 13230), near_hz);
}

void set_bend_range(MidiTrack& track, int semitones) {
  track.control_change(0, 0, 101, 0).control_change(0, 0, 100, 0).control_change(0, 0, 6, semitones);
}

TEST(PitchBend, FullUpWithRpnRange12RaisesByFluidSynthsScale) {
  const double cents = bent_cents([](MidiTrack& t) {
    set_bend_range(t, 12);
    t.pitch_bend(0, 0, 16383);
  }, 1200.0);
  // 12700 cents x (2 x 16383/16384 - 1) x 12/128: just under 12 x 99.21875.
  const double expected = 12700.0 * (2.0 * 16383.0 / 16384.0 - 1.0) * (12.0 / 128.0);
  report("bend 16383, range 12 (expected " + std::to_string(expected) + ")", cents, "cents");
  EXPECT_NEAR(cents, expected, 1.0);
  EXPECT_GT(std::fabs(cents - 1200.0), 5.0) << "FluidSynth's scale, not 100 cents per semitone";
}

TEST(PitchBend, FullDownWithTheDefaultRangeLowersByFluidSynthsScale) {
  const double cents = bent_cents([](MidiTrack& t) { t.pitch_bend(0, 0, 0); }, -200.0);
  const double expected = -12700.0 * (2.0 / 128.0);  // -198.4375
  report("bend 0, default range 2", cents, "cents");
  // The voice's pitch is quantised to whole cents (COMPAT.md 2): -198.44 plays as -199.
  EXPECT_NEAR(cents, expected, 1.0);
}

TEST(PitchBend, CentreLeavesThePitchAlone) {
  const double cents = bent_cents([](MidiTrack& t) {
    set_bend_range(t, 24);
    t.pitch_bend(0, 0, 8192);
  }, 0.0);
  EXPECT_NEAR(cents, 0.0, 0.05);
}

Sf2Builder dc_bank_with_release(int timecents) {
  return dc_bank([timecents](ZoneSpec& z) { z.gen(Generator::releaseVolEnv, timecents); });
}

TEST(AllSoundOff, Controller120CutsNotesAtTheNextBlock) {
  // A 1 s release would let the note ring on; CC120 stops it dead at a block boundary.
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 100).control_change(clock.at(200), 0, 120, 0).note_off(clock.at(400), 0, 60);
  const Rendered out = render(dc_bank_with_release(0), song);
  const std::int64_t cut = audible_frame(200);
  EXPECT_GT(std::fabs(out.left[static_cast<std::size_t>(cut - 1)]), 0.0);
  EXPECT_EQ(last_above(out.left, 0.0), cut - 1);
}

TEST(AllNotesOff, Controller123ReleasesNotesWithTheirRelease) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 100).control_change(clock.at(200), 0, 123, 0).note_off(clock.at(1000), 0, 60);
  const Rendered out = render(dc_bank_with_release(-1200), song);  // 0.5 s
  const std::int64_t off = audible_frame(200);
  const double held = std::fabs(out.left[static_cast<std::size_t>(off - 1)]);
  ASSERT_GT(held, 0.0);
  const double quarter = std::fabs(out.left[static_cast<std::size_t>(off + 5512)]);  // 125 ms
  report("125 ms after CC123, 0.5 s release", to_db(quarter / held), "dB");
  EXPECT_NEAR(to_db(quarter / held), -24.0, 0.3);
  EXPECT_NEAR(static_cast<double>(last_above(out.left, 0.0) - off), 0.5 * kRate, 2.0 * kBlock);
}

TEST(AllNotesOff, Controller123RespectsTheSustainPedal) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .control_change(clock.at(0), 0, 64, 127)
      .note_on(clock.at(0), 0, 60, 100)
      .control_change(clock.at(200), 0, 123, 0)
      .control_change(clock.at(400), 0, 64, 0)
      .note_off(clock.at(600), 0, 60);
  const Rendered out = render(dc_bank_with_release(-1200), song);
  const double held = std::fabs(out.left[static_cast<std::size_t>(audible_frame(200) - 1)]);
  const double pedal_up = std::fabs(out.left[static_cast<std::size_t>(audible_frame(400) - 1)]);
  ASSERT_GT(held, 0.0);
  EXPECT_NEAR(to_db(pedal_up / held), 0.0, 0.01) << "held by the pedal after CC123";
  EXPECT_NEAR(static_cast<double>(last_above(out.left, 0.0) - audible_frame(400)), 0.5 * kRate, 2.0 * kBlock);
}

TEST(ResetAllControllers, RestoresExpressionAndPitchBendButKeepsVolume) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .control_change(clock.at(0), 0, 7, 64)
      .control_change(clock.at(0), 0, 11, 64)
      .pitch_bend(clock.at(0), 0, 16383)
      .note_on(clock.at(0), 0, 60, 127)
      .control_change(clock.at(300), 0, 121, 0)
      .note_off(clock.at(600), 0, 60);
  const Rendered out = render(sine_bank(), song);
  const std::int64_t reset = audible_frame(300);
  // Before: bent up a whole tone (FluidSynth's scale), CC7 and CC11 at 64.
  const double bend = 12700.0 * (2.0 * 16383.0 / 16384.0 - 1.0) * (2.0 / 128.0);
  const double bent_hz = kSineHz * std::pow(2.0, bend / 1200.0);
  EXPECT_NEAR(cents_off(out.left_span(reset - 8820, 8800), bent_hz), 0.0, 1.0);
  // After: no bend, CC11 back at 127, CC7 still 64.
  const std::span<const float> after = out.left_span(reset + 441, 8800);
  EXPECT_NEAR(cents_off(after, kSineHz), 0.0, 1.0);
  const double level_before = tone_amplitude(out.left_span(reset - 8820, 8820), bent_hz);
  const double level_after = tone_amplitude(after, kSineHz);
  const double rise = to_db(level_after / level_before);
  report("CC121 with CC7 = CC11 = 64: level change", rise, "dB");
  EXPECT_NEAR(rise, (concave_attenuation_cb(64) - concave_attenuation_cb(127)) / 10.0, kCentibelStep);
}

}  // namespace
}  // namespace tutti::test
