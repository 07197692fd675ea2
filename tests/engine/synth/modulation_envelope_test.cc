// The modulation envelope (SF2 2.04 8.1.2 #25-#32): delay, attack, hold, decay to the sustain
// level (in 0.1% of full scale below the peak), release, with key scaling of hold and decay,
// reaching pitch (modEnvToPitch) and filter cutoff (modEnvToFilterFc). Pitch is traced by FFT
// on a 1764 Hz tone; the filter is read as a tone's amplitude against the predicted response.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/lowpass_response.h"
#include "tools/analysis/pitch.h"

namespace tutti::test {
namespace {

constexpr int kKey = 84;
constexpr double kToneHz = 4.0 * kSineHz;

// The pitch (cents from 1764 Hz) over a 1024-frame window starting `ms` after the note began,
// searched within 300 cents of `near_cents`: the envelope moves the pitch by up to an octave,
// beyond the search range of a measurement centred on the key.
double pitch_at(const Rendered& out, double ms, double near_cents = 0.0) {
  const auto first = audible_frame(0) + static_cast<std::int64_t>(ms * kRate / 1000.0);
  const double near_hz = kToneHz * std::pow(2.0, near_cents / 1200.0);
  return analysis::cents_between(measured_hz(out.left_span(first, 1024), near_hz), kToneHz);
}

Rendered held_note(const ZoneEdit& instrument, int key = kKey, std::uint32_t off_ms = 1500) {
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), instrument);
  return render(bank, single_note_song(key, 100, 0, off_ms));
}

// Attack instant, 200 ms hold, 400 ms decay to 50%: +1200 cents during the hold, +600 after.
ZoneEdit pitch_envelope(int delay_timecents = -12000) {
  return [=](ZoneSpec& z) {
    z.gen(Generator::modEnvToPitch, 1200)
        .gen(Generator::delayModEnv, delay_timecents)
        .gen(Generator::attackModEnv, -12000)
        .gen(Generator::holdModEnv, -2786)    // 2^(-2786/1200) = 0.200 s
        .gen(Generator::decayModEnv, -1586)   // 0.400 s from peak to zero
        .gen(Generator::sustainModEnv, 500);  // 50% below the peak
  };
}

TEST(ModulationEnvelope, HoldAndSustainSetThePitchOffset) {
  const Rendered out = held_note(pitch_envelope());
  const double hold = pitch_at(out, 60.0, 1200.0);
  const double sustain = pitch_at(out, 1000.0, 600.0);
  report("mod env to pitch 1200: during hold", hold, "cents");
  report("mod env to pitch 1200: at sustain 50%", sustain, "cents");
  EXPECT_NEAR(hold, 1200.0, 1.0);
  EXPECT_NEAR(sustain, 600.0, 1.0);
}

TEST(ModulationEnvelope, DecayIsLinearOverItsTimeFromThePeak) {
  // The decay runs from 1 towards 0 at 1/decay-time per second and stops at the sustain level:
  // a quarter of the decay time after the hold the offset is 75% (900 cents).
  const Rendered out = held_note(pitch_envelope());
  const double quarter = pitch_at(out, 200.0 + 100.0 - 1024.0 / kRate * 500.0, 900.0);
  report("mod env a quarter into the decay", quarter, "cents");
  // A 1024-frame window spans 23 ms of a 3000-cents-per-second slope: the window's mean is the
  // value at its centre.
  EXPECT_NEAR(quarter, 900.0, 10.0);
}

TEST(ModulationEnvelope, DelayHoldsTheOffsetAtZero) {
  const Rendered out = held_note(pitch_envelope(-2786));  // 200 ms delay
  const double during_delay = pitch_at(out, 100.0);
  const double after = pitch_at(out, 260.0, 1200.0);
  report("mod env pitch during a 200 ms delay", during_delay, "cents");
  EXPECT_NEAR(during_delay, 0.0, 0.5);
  EXPECT_NEAR(after, 1200.0, 1.0);
}

TEST(ModulationEnvelope, AttackIsConvexForPitch) {
  // A 400 ms attack: the convex curve is already at 1 + (5/12) log10(0.5) = 87.5% halfway.
  const Rendered out = held_note([](ZoneSpec& z) {
    z.gen(Generator::modEnvToPitch, 1200).gen(Generator::attackModEnv, -1586).gen(Generator::holdModEnv, 0);
  });
  const double halfway = pitch_at(out, 200.0 - 1024.0 / kRate * 500.0, 1050.0);
  const double expected = 1200.0 * (1.0 + (5.0 / 12.0) * std::log10(0.5));
  report("mod env convex attack, halfway (expected " + std::to_string(expected) + ")", halfway, "cents");
  EXPECT_NEAR(halfway, expected, 15.0);
  EXPECT_GT(halfway, 800.0) << "a linear attack would be at 600 cents";
}

TEST(ModulationEnvelope, ReleaseReturnsThePitchToTheKey) {
  // Sustain at the peak; the note-off at 500 ms starts a 100 ms release of the offset.
  const Rendered out = held_note([](ZoneSpec& z) {
    z.gen(Generator::modEnvToPitch, 1200).gen(Generator::releaseModEnv, -3986)  // 0.1 s
        .gen(Generator::releaseVolEnv, 0);                                      // 1 s
  }, kKey, 500);
  EXPECT_NEAR(pitch_at(out, 400.0, 1200.0), 1200.0, 1.0);
  const double after = pitch_at(out, 700.0);
  report("mod env pitch 200 ms after the note-off (100 ms release)", after, "cents");
  EXPECT_NEAR(after, 0.0, 1.0);
}

TEST(ModulationEnvelope, KeynumToModEnvHoldScalesTheHold) {
  // keynumToModEnvHold 100 tc per key: key 72 holds 2^(-12 x 100/1200) = half as long as
  // key 60 (the origin of key scaling). With 400 ms at key 60, key 72 decays from 200 ms.
  const ZoneEdit edit = [](ZoneSpec& z) {
    z.gen(Generator::modEnvToPitch, 1200).gen(Generator::holdModEnv, -1586)  // 0.4 s at key 60
        .gen(Generator::keynumToModEnvHold, 100).gen(Generator::decayModEnv, -12000)
        .gen(Generator::sustainModEnv, 1000);
  };
  const Rendered high = held_note(edit, 72);
  const double at_300 = cents_off(high.left_span(audible_frame(0) + 13230, 1024), 2.0 * kSineHz);
  const double at_150 = cents_off(high.left_span(audible_frame(0) + 6615 - 512, 1024),
                                  2.0 * kSineHz * 2.0);
  report("key 72: mod env pitch at 150 ms (hold 200 ms), from +1200", at_150, "cents");
  report("key 72: mod env pitch at 300 ms", at_300, "cents");
  EXPECT_NEAR(at_150, 0.0, 1.0);  // still +1200
  EXPECT_NEAR(at_300, 0.0, 1.0);  // back at the key
}

TEST(ModulationEnvelope, ModulatesTheFilterCutoff) {
  // Fc 4000 cents (82 Hz) opened by +6000 cents (to 2637 Hz) during the hold, then back to
  // 82 Hz at a zero sustain: the 441 Hz tone follows the filter's response at each cutoff.
  const Rendered out = held_note([](ZoneSpec& z) {
    z.gen(Generator::initialFilterFc, 4000).gen(Generator::modEnvToFilterFc, 6000)
        .gen(Generator::holdModEnv, -1586).gen(Generator::decayModEnv, -2786)
        .gen(Generator::sustainModEnv, 1000);
  }, 60);
  const double open = tone_amplitude(out.left_span(audible_frame(0) + 4410, 8820), kSineHz);
  const double closed = tone_amplitude(out.left_span(audible_frame(0) + 35280, 8820), kSineHz);
  ASSERT_GT(closed, 0.0);
  const double measured = to_db(closed / open);
  const double expected = lowpass_gain_db(kSineHz, 4000, 0) - lowpass_gain_db(kSineHz, 10000, 0);
  report("mod env to filter: closed vs open (expected " + std::to_string(expected) + ")", measured, "dB");
  EXPECT_NEAR(measured, expected, 0.2);
}

}  // namespace
}  // namespace tutti::test
