// SF2 modulators (SF2 2.04 8.2-8.5, 9.5) as FluidSynth evaluates them (FLUIDSYNTH_MODEL.md 6):
// the default set's vibrato sources (mod wheel, channel pressure) and its inert
// velocity-to-cutoff; custom modulators from MIDI controllers and general controllers (key,
// poly and channel pressure), each of the four curves in both polarities and directions, amount
// sources, the absolute-value transform, and a zone modulator identical to a default one
// replacing it (instrument level) or adding to it (preset level). Levels on the DC probe,
// pitches by FFT.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/engine/synth/level_probe.h"
#include "tests/engine/synth/modulator_curves.h"

namespace tutti::test {
namespace {

constexpr double kCentibelStep = 0.1;  // dB: attenuation is read at whole centibels
constexpr int kSourceController = 16;  // general purpose controller 1: no default meaning
constexpr int kAmountController = 17;

// A source's value for normalised input x = value / 128, from the table of
// FLUIDSYNTH_MODEL.md 6.3 (spec 8.2.1 with FluidSynth's bipolar mapping).
double expected_source(SourceCurve curve, bool bipolar, bool descending, double x) {
  auto unipolar = [curve](double u) {
    switch (curve) {
      case SourceCurve::linear: return u;
      case SourceCurve::concave: return concave(127.0 * u);
      case SourceCurve::convex: return convex(127.0 * u);
      case SourceCurve::switched: return u >= 0.5 ? 1.0 : 0.0;
    }
    return 0.0;
  };
  if (!bipolar) {
    if (curve == SourceCurve::switched) return (x >= 0.5) != descending ? 1.0 : 0.0;
    return unipolar(descending ? 1.0 - x : x);
  }
  double value = 0.0;
  if (curve == SourceCurve::linear) value = 2.0 * x - 1.0;
  else if (curve == SourceCurve::switched) value = x >= 0.5 ? 1.0 : -1.0;
  else value = x > 0.5 ? unipolar(2.0 * (x - 0.5)) : -unipolar(2.0 * (0.5 - x));
  return descending ? -value : value;
}

// The DC probe with 400 cB of attenuation (1000 in the file), so modulators can move it both
// ways, and `mods` on the instrument zone.
Sf2Builder attenuated_bank(std::vector<Modulator> mods, std::vector<Modulator> preset_mods = {}) {
  return dc_bank(
      [mods](ZoneSpec& z) {
        z.gen(Generator::initialAttenuation, 1000);
        for (const Modulator& m : mods) z.mod(m);
      },
      [preset_mods](ZoneSpec& z) {
        for (const Modulator& m : preset_mods) z.mod(m);
      });
}

double level_db_with_controllers(const Sf2Builder& bank, std::vector<std::pair<int, int>> controllers,
                                 int velocity = 127) {
  const StereoLevel level = steady_level(bank, velocity, [&](MidiTrack& t) {
    for (auto [controller, value] : controllers) t.control_change(0, 0, controller, value);
  });
  return to_db(level.left);
}

std::string curve_name(SourceCurve curve) {
  switch (curve) {
    case SourceCurve::linear: return "linear";
    case SourceCurve::concave: return "concave";
    case SourceCurve::convex: return "convex";
    case SourceCurve::switched: return "switch";
  }
  return "?";
}

TEST(CustomModulator, ControllerSourceFollowsEachCurvePolarityAndDirection) {
  constexpr int kAmount = 300;  // cB at full scale
  const double reference = level_db_with_controllers(attenuated_bank({}), {});
  for (SourceCurve curve : {SourceCurve::linear, SourceCurve::concave, SourceCurve::convex, SourceCurve::switched}) {
    for (bool bipolar : {false, true}) {
      for (bool descending : {false, true}) {
        const Sf2Builder bank = attenuated_bank(
            {modulator(cc_source(kSourceController, curve, bipolar, descending), Generator::initialAttenuation, kAmount)});
        for (int value : {0, 32, 64, 96, 127}) {
          const double measured = level_db_with_controllers(bank, {{kSourceController, value}}) - reference;
          const double expected = -kAmount * expected_source(curve, bipolar, descending, value / 128.0) / 10.0;
          const std::string what = curve_name(curve) + (bipolar ? " bipolar" : " unipolar") +
                                   (descending ? " negative" : " positive") + ", CC16 = " + std::to_string(value);
          report(what + " (expected " + std::to_string(expected) + ")", measured, "dB");
          EXPECT_NEAR(measured, expected, kCentibelStep) << what;
        }
      }
    }
  }
}

TEST(CustomModulator, AmountSourceScalesThePrimarySource) {
  const Sf2Builder bank = attenuated_bank({modulator(cc_source(kSourceController), Generator::initialAttenuation, 300,
                                                     cc_source(kAmountController))});
  const double reference = level_db_with_controllers(attenuated_bank({}), {});
  const double measured =
      level_db_with_controllers(bank, {{kSourceController, 64}, {kAmountController, 32}}) - reference;
  // 300 cB x 0.5 x 0.25.
  EXPECT_NEAR(measured, -3.75, kCentibelStep);
  const double no_amount = level_db_with_controllers(bank, {{kSourceController, 127}, {kAmountController, 0}}) - reference;
  EXPECT_NEAR(no_amount, 0.0, 0.01) << "an amount source at 0 silences the modulator";
}

TEST(CustomModulator, AbsoluteValueTransformFoldsNegativeOutput) {
  // Bipolar linear source, amount -300 cB: at CC 0 the product is +300, at 127 it is -295.3;
  // with transform 2 both attenuate (SF2 2.04 8.3; FluidSynth would zero it, COMPAT.md D4).
  const std::uint16_t source = cc_source(kSourceController, SourceCurve::linear, true);
  const Sf2Builder folded = attenuated_bank(
      {modulator(source, Generator::initialAttenuation, -300, 0,
                 static_cast<std::uint16_t>(engine::sf2::ModulatorTransform::absoluteValue))});
  const Sf2Builder plain = attenuated_bank({modulator(source, Generator::initialAttenuation, -300)});
  const double reference = level_db_with_controllers(attenuated_bank({}), {});
  const double top = -300.0 * (2.0 * 127.0 / 128.0 - 1.0);
  EXPECT_NEAR(level_db_with_controllers(folded, {{kSourceController, 0}}) - reference, -30.0, kCentibelStep);
  EXPECT_NEAR(level_db_with_controllers(folded, {{kSourceController, 127}}) - reference, top / 10.0, kCentibelStep);
  EXPECT_NEAR(level_db_with_controllers(plain, {{kSourceController, 127}}) - reference, -top / 10.0, kCentibelStep);
}

TEST(CustomModulator, ControllerChangeReachesASoundingNote) {
  const Sf2Builder bank = attenuated_bank({modulator(cc_source(kSourceController), Generator::initialAttenuation, 200)});
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 127).control_change(clock.at(200), 0, kSourceController, 64)
      .note_off(clock.at(400), 0, 60);
  const Rendered out = render(bank, song);
  const std::int64_t change = audible_frame(200);
  const double before = mean_magnitude(out.left_span(change - 2 * kBlock, 2 * kBlock));
  const double after = mean_magnitude(out.left_span(change + kBlock, 2 * kBlock));
  ASSERT_GT(before, 0.0);
  EXPECT_NEAR(to_db(after / before), -10.0, kCentibelStep);
}

TEST(CustomModulator, KeyNumberSourceTunesByKey) {
  // Key number (linear, unipolar) to fineTune with 128 cents: key k adds k cents.
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), [](ZoneSpec& z) {
    z.mod(modulator(general_source(GeneralController::noteOnKeyNumber), Generator::fineTune, 128));
  });
  for (int key : {48, 60, 72}) {
    const Rendered out = render(bank, single_note_song(key, 100, 0, 400));
    const double expected = kSineHz * std::pow(2.0, ((key - 60) * 100.0 + key) / 1200.0);
    const double error = cents_off(out.left_span(audible_frame(100), 8820), expected);
    report("key " + std::to_string(key) + " tuned by its key number", error, "cents");
    EXPECT_NEAR(error, 0.0, 1.0) << "key " << key;
  }
}

TEST(CustomModulator, PolyPressureReachesOnlyItsKey) {
  // Poly pressure to attenuation, 200 cB: pressure 64 on key 60 lowers it 10 dB; key 72 on
  // the same channel keeps its level.
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), [](ZoneSpec& z) {
    z.mod(modulator(general_source(GeneralController::polyPressure), Generator::initialAttenuation, 200));
  });
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 127).note_on(clock.at(0), 0, 72, 127)
      .poly_pressure(clock.at(200), 0, 60, 64).note_off(clock.at(500), 0, 60).note_off(clock.at(500), 0, 72);
  const Rendered out = render(bank, song);
  const auto before = out.left_span(audible_frame(50), 4400);
  const auto after = out.left_span(audible_frame(300), 4400);
  const double key60 = to_db(tone_amplitude(after, kSineHz) / tone_amplitude(before, kSineHz));
  const double key72 = to_db(tone_amplitude(after, 2.0 * kSineHz) / tone_amplitude(before, 2.0 * kSineHz));
  report("poly pressure 64 on key 60: key 60", key60, "dB");
  report("poly pressure 64 on key 60: key 72", key72, "dB");
  EXPECT_NEAR(key60, -10.0, kCentibelStep);
  EXPECT_NEAR(key72, 0.0, 0.01);
}

TEST(CustomModulator, ChannelPressureReachesEveryNoteOfTheChannel) {
  // The default channel-pressure vibrato is switched off (amount 0 replaces it) so the tones
  // stay steady enough to measure.
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), [](ZoneSpec& z) {
    z.mod(modulator(general_source(GeneralController::channelPressure), Generator::initialAttenuation, 200));
    z.mod(modulator(general_source(GeneralController::channelPressure), Generator::vibLfoToPitch, 0));
  });
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 127).note_on(clock.at(0), 0, 72, 127).note_on(clock.at(0), 1, 60, 127)
      .channel_pressure(clock.at(200), 0, 64).note_off(clock.at(500), 0, 60).note_off(clock.at(500), 0, 72)
      .note_off(clock.at(500), 1, 60);
  const Rendered out = render(bank, song);
  const auto before = out.left_span(audible_frame(50), 4400);
  const auto after = out.left_span(audible_frame(300), 4400);
  // Channel 0's key 60 and channel 1's key 60 share 441 Hz: -10 dB on one of two equal tones.
  const double shared = to_db(tone_amplitude(after, kSineHz) / tone_amplitude(before, kSineHz));
  const double key72 = to_db(tone_amplitude(after, 2.0 * kSineHz) / tone_amplitude(before, 2.0 * kSineHz));
  EXPECT_NEAR(key72, -10.0, kCentibelStep);
  EXPECT_NEAR(shared, to_db((1.0 + std::pow(10.0, -0.5)) / 2.0), kCentibelStep) << "channel 1 is untouched";
}

TEST(CustomModulator, InstrumentModulatorIdenticalToADefaultReplacesIt) {
  // The default velocity-to-attenuation modulator with amount 0 at instrument level: velocity
  // no longer changes the level.
  const std::uint16_t velocity = general_source(GeneralController::noteOnVelocity, SourceCurve::concave, false, true);
  const Sf2Builder bank = attenuated_bank({modulator(velocity, Generator::initialAttenuation, 0)});
  const double loud = level_db_with_controllers(bank, {}, 127);
  const double soft = level_db_with_controllers(bank, {}, 20);
  report("velocity 20 vs 127 with the default replaced by amount 0", soft - loud, "dB");
  EXPECT_NEAR(soft - loud, 0.0, 0.01);
}

TEST(CustomModulator, PresetModulatorIdenticalToADefaultAddsToIt) {
  // +480 cB at preset level: velocity to attenuation becomes 1440 cB at full scale.
  const std::uint16_t velocity = general_source(GeneralController::noteOnVelocity, SourceCurve::concave, false, true);
  const Sf2Builder bank = attenuated_bank({}, {modulator(velocity, Generator::initialAttenuation, 480)});
  const double drop = level_db_with_controllers(bank, {}, 100) - level_db_with_controllers(bank, {}, 127);
  const double expected = -1.5 * (concave_attenuation_cb(100) - concave_attenuation_cb(127)) / 10.0;
  report("velocity 100 vs 127 with 480 cB added to the default (expected " + std::to_string(expected) + ")", drop, "dB");
  EXPECT_NEAR(drop, expected, kCentibelStep);
}

TEST(CustomModulator, ModulatorWithADifferentIdentityAddsAlongsideTheDefault) {
  // Same source and destination but a linear curve: a second modulator, not a replacement.
  const std::uint16_t linear_velocity = general_source(GeneralController::noteOnVelocity, SourceCurve::linear, false, true);
  const Sf2Builder bank = attenuated_bank({modulator(linear_velocity, Generator::initialAttenuation, 200)});
  const double drop = level_db_with_controllers(bank, {}, 64) - level_db_with_controllers(bank, {}, 127);
  const double expected = -((concave_attenuation_cb(64) - concave_attenuation_cb(127)) +
                            200.0 * ((1.0 - 64.0 / 128.0) - (1.0 - 127.0 / 128.0))) / 10.0;
  EXPECT_NEAR(drop, expected, kCentibelStep);
}

// Peak vibrato depth of key 84 held for a second with a 2 Hz vibrato LFO, after `setup`.
double vibrato_depth(const std::function<void(MidiTrack&)>& setup, const ZoneEdit& extra = {}) {
  const Sf2Builder bank = single_zone_bank(sine_points(), looped(60, 2000), [&](ZoneSpec& z) {
    z.gen(Generator::freqVibLFO, -1703);  // 2 Hz
    if (extra) extra(z);
  });
  MidiBuilder song(kMillisecondTicks);
  MidiTrack& track = song.track();
  if (setup) setup(track);
  Clock clock;
  track.note_on(clock.at(0), 0, 84, 100).note_off(clock.at(1100), 0, 84);
  const Rendered out = render(bank, song);
  double depth = 0.0;
  for (const PitchPoint& p : pitch_trace(out.left_span(audible_frame(0), 44100), 4.0 * kSineHz, 512, 64)) {
    depth = std::max(depth, std::fabs(p.cents));
  }
  return depth;
}

TEST(DefaultModulators, ModulationWheelDeepensTheVibrato) {
  // 50 cents at full scale (127/128 of it at 127); 0 without the wheel.
  EXPECT_LT(vibrato_depth({}), 0.5);
  const double depth = vibrato_depth([](MidiTrack& t) { t.control_change(0, 0, 1, 127); });
  report("CC1 127: vibrato depth", depth, "cents");
  EXPECT_NEAR(depth, 50.0 * 127.0 / 128.0, 2.0);
}

TEST(DefaultModulators, ChannelPressureDeepensTheVibrato) {
  const double depth = vibrato_depth([](MidiTrack& t) { t.channel_pressure(0, 0, 64); });
  report("channel pressure 64: vibrato depth", depth, "cents");
  EXPECT_NEAR(depth, 25.0, 1.5);
}

TEST(DefaultModulators, VelocityDoesNotCloseTheFilter) {
  // The spec's default velocity-to-cutoff (-2400 cents) is inert in FluidSynth (COMPAT.md 6):
  // a soft note's spectrum has the loud note's shape, only its level differs.
  const Sf2Builder bank = single_zone_bank(saw_loop(20, kSinePeriod), looped(60, 2000),
                                           [](ZoneSpec& z) { z.gen(Generator::initialFilterFc, 9000); });
  auto brightness = [&bank](int velocity) {
    const Rendered out = render(bank, single_note_song(60, velocity, 0, 400));
    const auto span = out.left_span(audible_frame(100), 8820);
    return to_db(tone_amplitude(span, 10.0 * kSineHz) / tone_amplitude(span, kSineHz));
  };
  const double loud = brightness(127);
  const double soft = brightness(10);
  report("10th harmonic vs fundamental, velocity 10 minus velocity 127", soft - loud, "dB");
  EXPECT_NEAR(soft - loud, 0.0, 0.01);
}

}  // namespace
}  // namespace tutti::test
