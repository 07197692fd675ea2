// The voice model feature by feature against FluidSynth: each case is a tiny bank and song built
// in code that exercises one part of SF2 2.04 or of the channel state machine (modulation
// envelope, LFOs, filter, exclusive classes, custom and overridden modulators, pedals, (N)RPN,
// resets, voice stealing, 24-bit samples, tempo changes). Both renderers play the same files;
// the renders must match in level and null out. Where the behaviour tests in tests/engine/synth
// check the engine against the spec and FluidSynth's documented formulas, these check it against
// FluidSynth itself, so a formula misread on both sides cannot hide.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tests/engine/render/render_fixture.h"
#include "tests/parity/parity_support.h"
#include "tools/analysis/compare.h"

namespace tutti::parity {
namespace {

using test::Clock;
using test::MidiBuilder;
using test::MidiTrack;
using test::Sf2Builder;
using test::ZoneSpec;
using test::cc_source;
using test::general_source;
using test::modulator;
using engine::sf2::GeneralController;
using engine::sf2::Generator;
using engine::sf2::SourceCurve;

struct Case {
  std::string name;
  Sf2Builder bank;
  MidiBuilder song{test::kMillisecondTicks};
  int polyphony = 256;
};

// A song of millisecond ticks whose one track `write` fills; the track ends `tail_ms` after the
// last event so both players keep rendering through the releases (FluidSynth's file renderer
// stops with its player).
MidiBuilder song_of(const std::function<void(MidiTrack&, Clock&)>& write, std::uint32_t end_ms) {
  MidiBuilder song(test::kMillisecondTicks);
  Clock clock;
  MidiTrack& track = song.track();
  write(track, clock);
  track.end_of_track(clock.at(end_ms));
  return song;
}

// A looped sine (441 Hz at key 60) with `edit` applied to its instrument zone.
Sf2Builder sine_bank(const test::ZoneEdit& edit) {
  return test::single_zone_bank(test::sine_points(), test::looped(60, 2000), edit);
}
// A looped saw of 100 points (rich in harmonics, for the filter).
Sf2Builder saw_bank(const test::ZoneEdit& edit) {
  return test::single_zone_bank(test::saw_loop(20, 100), test::looped(60, 2000), edit);
}

// A few notes, held and released, over 2.5 s.
void phrase(MidiTrack& track, Clock& clock, int channel = 0) {
  track.note_on(clock.at(0), channel, 60, 100).note_on(clock.at(300), channel, 67, 80)
      .note_off(clock.at(900), channel, 60).note_on(clock.at(1000), channel, 72, 127)
      .note_off(clock.at(1600), channel, 67).note_off(clock.at(2000), channel, 72);
}

std::vector<Case> cases() {
  std::vector<Case> all;
  auto add = [&](std::string name, Sf2Builder bank, MidiBuilder song, int polyphony = 256) {
    Case c;
    c.name = std::move(name);
    c.bank = std::move(bank);
    c.song = std::move(song);
    c.polyphony = polyphony;
    all.push_back(std::move(c));
  };
  const auto plain_phrase = song_of([](MidiTrack& t, Clock& c) { phrase(t, c); }, 4000);

  add("modulation_envelope_to_pitch",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::modEnvToPitch, 700).gen(Generator::delayModEnv, -3986)
            .gen(Generator::attackModEnv, -2400).gen(Generator::holdModEnv, -3000)
            .gen(Generator::decayModEnv, -1200).gen(Generator::sustainModEnv, 600)
            .gen(Generator::releaseModEnv, -2000).gen(Generator::keynumToModEnvDecay, 50)
            .gen(Generator::releaseVolEnv, -1200);
      }),
      plain_phrase);
  add("modulation_envelope_to_filter",
      saw_bank([](ZoneSpec& z) {
        z.gen(Generator::initialFilterFc, 5000).gen(Generator::initialFilterQ, 120)
            .gen(Generator::modEnvToFilterFc, 4000).gen(Generator::attackModEnv, -3000)
            .gen(Generator::decayModEnv, -600).gen(Generator::sustainModEnv, 800)
            .gen(Generator::keynumToModEnvHold, 30).gen(Generator::releaseVolEnv, -1200);
      }),
      plain_phrase);
  add("vibrato_lfo",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::vibLfoToPitch, 60).gen(Generator::freqVibLFO, 200)
            .gen(Generator::delayVibLFO, -3000);
      }),
      plain_phrase);
  add("modulation_lfo_on_an_attenuated_note",
      saw_bank([](ZoneSpec& z) {
        z.gen(Generator::initialAttenuation, 250).gen(Generator::modLfoToVolume, 60)
            .gen(Generator::modLfoToPitch, -40).gen(Generator::modLfoToFilterFc, 1500)
            .gen(Generator::initialFilterFc, 7000).gen(Generator::freqModLFO, -500)
            .gen(Generator::delayModLFO, -5000);
      }),
      plain_phrase);
  add("modulation_lfo_to_volume_in_the_attack",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::modLfoToVolume, -100).gen(Generator::freqModLFO, 1000)
            .gen(Generator::attackVolEnv, 0).gen(Generator::initialAttenuation, 100);
      }),
      plain_phrase);
  add("resonant_filter",
      saw_bank([](ZoneSpec& z) {
        z.gen(Generator::initialFilterFc, 8000).gen(Generator::initialFilterQ, 300);
      }),
      plain_phrase);
  add("volume_envelope_and_key_scaling",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::delayVolEnv, -5000).gen(Generator::attackVolEnv, -2000)
            .gen(Generator::holdVolEnv, -3000).gen(Generator::decayVolEnv, -600)
            .gen(Generator::sustainVolEnv, 250).gen(Generator::releaseVolEnv, -1000)
            .gen(Generator::keynumToVolEnvHold, 40).gen(Generator::keynumToVolEnvDecay, -30);
      }),
      plain_phrase);

  {
    // Keys 60 and 72 share class 1, key 64 has none: repeated strokes cut each other.
    Sf2Builder bank;
    const int sample = bank.add_sample(test::sine_points(), test::looped(60, 2000));
    auto tone = [&](int low, int high, int exclusive_class) {
      ZoneSpec z = test::zone(sample);
      z.key_range(low, high).gen(Generator::sampleModes, 1).gen(Generator::releaseVolEnv, 1200);
      if (exclusive_class) z.gen(Generator::exclusiveClass, exclusive_class);
      return z;
    };
    const int instrument = bank.add_instrument("hats", {tone(0, 63, 0), tone(64, 71, 1), tone(72, 127, 1)});
    bank.add_preset("hats", 0, 0, {test::preset_zone(instrument)});
    add("exclusive_class", std::move(bank), song_of([](MidiTrack& t, Clock& c) {
          t.note_on(c.at(0), 0, 60, 100).note_off(c.at(100), 0, 60).note_on(c.at(300), 0, 64, 100)
              .note_off(c.at(400), 0, 64).note_on(c.at(700), 0, 72, 90).note_on(c.at(900), 1, 64, 100)
              .note_off(c.at(950), 0, 72).note_off(c.at(1000), 1, 64).note_on(c.at(1200), 0, 64, 110)
              .note_on(c.at(1230), 0, 64, 70).note_off(c.at(1500), 0, 64);
        }, 4000));
  }

  add("custom_modulators_curves_and_polarity",
      saw_bank([](ZoneSpec& z) {
        z.gen(Generator::initialFilterFc, 9000)
            .mod(modulator(cc_source(1, SourceCurve::concave, false, true), Generator::initialFilterFc, -3000))
            .mod(modulator(cc_source(2, SourceCurve::convex, true, false), Generator::fineTune, 80))
            .mod(modulator(cc_source(3, SourceCurve::switched, false, false), Generator::pan, 300))
            .mod(modulator(cc_source(4, SourceCurve::linear, true, true), Generator::initialAttenuation, 120,
                           cc_source(5, SourceCurve::concave)));
      }),
      song_of([](MidiTrack& t, Clock& c) {
        t.control_change(c.at(0), 0, 5, 100).note_on(c.at(0), 0, 60, 100);
        for (int step = 1; step <= 16; ++step) {
          const std::uint32_t at = static_cast<std::uint32_t>(step * 100);
          t.control_change(c.at(at), 0, 1 + step % 4, (step * 37) % 128);
        }
        t.note_off(c.at(1800), 0, 60);
      }, 3500));
  // The absolute-value transform is left out: FluidSynth zeroes such modulators, tutti applies
  // them (COMPAT.md D4).
  add("default_modulator_overrides",
      sine_bank([](ZoneSpec& z) {
        // Velocity to attenuation with a smaller amount replaces the default one; a CC7
        // modulator identical in identity but aimed at pan adds beside it.
        z.mod(modulator(general_source(GeneralController::noteOnVelocity, SourceCurve::concave, false, true),
                        Generator::initialAttenuation, 480))
            .mod(modulator(cc_source(7, SourceCurve::concave, false, true), Generator::pan, 200));
      }),
      song_of([](MidiTrack& t, Clock& c) {
        t.note_on(c.at(0), 0, 60, 30).note_on(c.at(200), 0, 64, 70).control_change(c.at(400), 0, 7, 60)
            .note_on(c.at(600), 0, 67, 120).note_off(c.at(1200), 0, 60).note_off(c.at(1200), 0, 64)
            .note_off(c.at(1200), 0, 67);
      }, 3000));
  add("velocity_pan_volume_expression",
      sine_bank([](ZoneSpec& z) { z.gen(Generator::pan, -250).gen(Generator::releaseVolEnv, -2000); }),
      song_of([](MidiTrack& t, Clock& c) {
        int when = 0;
        for (int velocity : {1, 20, 64, 100, 127}) {
          t.note_on(c.at(static_cast<std::uint32_t>(when)), 0, 60, velocity)
              .note_off(c.at(static_cast<std::uint32_t>(when + 150)), 0, 60);
          when += 200;
        }
        for (int pan : {0, 20, 64, 100, 127}) {
          t.control_change(c.at(static_cast<std::uint32_t>(when)), 0, 10, pan)
              .control_change(c.at(static_cast<std::uint32_t>(when)), 0, 7, 127 - pan / 2)
              .control_change(c.at(static_cast<std::uint32_t>(when)), 0, 11, 40 + pan / 2)
              .note_on(c.at(static_cast<std::uint32_t>(when)), 0, 64, 90)
              .note_off(c.at(static_cast<std::uint32_t>(when + 150)), 0, 64);
          when += 200;
        }
      }, 3000));
  add("sustain_sostenuto_and_soft_pedals",
      sine_bank([](ZoneSpec& z) { z.gen(Generator::releaseVolEnv, -1200); }),
      song_of([](MidiTrack& t, Clock& c) {
        t.note_on(c.at(0), 0, 60, 100).control_change(c.at(100), 0, 66, 127).note_on(c.at(150), 0, 64, 100)
            .note_off(c.at(200), 0, 60).note_off(c.at(250), 0, 64).control_change(c.at(300), 0, 64, 127)
            .note_on(c.at(350), 0, 67, 100).note_off(c.at(400), 0, 67).control_change(c.at(600), 0, 66, 0)
            .control_change(c.at(800), 0, 64, 0).control_change(c.at(900), 0, 67, 127)
            .note_on(c.at(950), 0, 72, 100).note_off(c.at(1300), 0, 72).control_change(c.at(1400), 0, 67, 0);
      }, 3000));
  add("rpn_and_nrpn",
      sine_bank({}),
      song_of([](MidiTrack& t, Clock& c) {
        // Bend range 7 semitones, coarse tuning +2, fine tuning -30 cents, then the SF2 NRPN
        // offsets of fineTune (+40 cents) and initialFilterFc.
        t.control_change(c.at(0), 0, 101, 0).control_change(c.at(0), 0, 100, 0)
            .control_change(c.at(0), 0, 6, 7).control_change(c.at(0), 0, 38, 0)
            .note_on(c.at(0), 0, 60, 100).pitch_bend(c.at(200), 0, 12000)
            .control_change(c.at(400), 0, 100, 2).control_change(c.at(400), 0, 6, 66)
            .control_change(c.at(600), 0, 100, 1).control_change(c.at(600), 0, 6, 56)
            .control_change(c.at(600), 0, 38, 0).control_change(c.at(800), 0, 99, 120)
            .control_change(c.at(800), 0, 98, 52).control_change(c.at(800), 0, 6, 64 + 0)
            .control_change(c.at(800), 0, 38, 40).control_change(c.at(1000), 0, 101, 127)
            .control_change(c.at(1000), 0, 100, 127).control_change(c.at(1000), 0, 6, 10)
            .note_off(c.at(1400), 0, 60);
      }, 3000));
  {
    // Four distinguishable presets: 0:0, 0:1, 8:0 and the drum kit 128:0.
    Sf2Builder bank;
    const int low = bank.add_sample(test::sine_points(), test::looped(60, 2000));
    const int saw = bank.add_sample(test::saw_loop(20, 100), test::looped(60, 2000));
    auto instrument = [&](int sample, int fine) {
      ZoneSpec z = test::zone(sample);
      z.gen(Generator::sampleModes, 1).gen(Generator::fineTune, fine);
      return bank.add_instrument("i", {z});
    };
    bank.add_preset("a", 0, 0, {test::preset_zone(instrument(low, 0))});
    bank.add_preset("b", 0, 1, {test::preset_zone(instrument(saw, 0))});
    bank.add_preset("c", 8, 0, {test::preset_zone(instrument(low, 50))});
    bank.add_preset("kit", 128, 0, {test::preset_zone(instrument(saw, -50))});
    const test::Bytes gm_on = {0x7E, 0x7F, 0x09, 0x01};
    const test::Bytes gs_reset = {0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41};
    const test::Bytes xg_on = {0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00};
    const test::Bytes gs_drum_part = {0x41, 0x10, 0x42, 0x12, 0x40, 0x12, 0x15, 0x02, 0x17};
    add("gm_gs_xg_resets_and_bank_select", std::move(bank),
        song_of([&](MidiTrack& t, Clock& c) {
          t.control_change(c.at(0), 0, 0, 8).program_change(c.at(0), 0, 0).note_on(c.at(0), 0, 60, 100)
              .note_off(c.at(200), 0, 60).sysex(c.at(300), gm_on).control_change(c.at(400), 0, 0, 8)
              .program_change(c.at(400), 0, 1).note_on(c.at(400), 0, 60, 100).note_off(c.at(600), 0, 60)
              .sysex(c.at(700), gs_reset).control_change(c.at(800), 0, 0, 8).program_change(c.at(800), 0, 0)
              .note_on(c.at(800), 0, 60, 100).note_off(c.at(1000), 0, 60).sysex(c.at(1100), gs_drum_part)
              .note_on(c.at(1200), 2, 60, 100).note_off(c.at(1400), 2, 60).sysex(c.at(1500), xg_on)
              .control_change(c.at(1600), 1, 0, 127).program_change(c.at(1600), 1, 0)
              .note_on(c.at(1600), 1, 64, 100).note_off(c.at(1800), 1, 64).note_on(c.at(1900), 9, 67, 100)
              .note_off(c.at(2100), 9, 67);
        }, 3500));
  }
  Sf2Builder stealing_bank;
  {
    const int sample = stealing_bank.add_sample(test::sine_points(), test::looped(60, 2000));
    ZoneSpec z = test::zone(sample);
    z.gen(Generator::sampleModes, 1).gen(Generator::releaseVolEnv, 2400);
    const int instrument = stealing_bank.add_instrument("tone", {z});
    stealing_bank.add_preset("tone", 0, 0, {test::preset_zone(instrument)});
    stealing_bank.add_preset("kit", 128, 0, {test::preset_zone(instrument)});
  }
  add("voice_stealing_at_polyphony_8", std::move(stealing_bank),
      song_of([](MidiTrack& t, Clock& c) {
        // 30 notes 60 ms apart, each held for six more onsets, every third on the drum channel,
        // with the sustain pedal down for a third of them: with 4 s releases, far more than 8
        // voices want to sound. Every note gets its note-off (FluidSynth's file renderer runs
        // until the last voice has finished).
        auto channel = [](int i) { return i % 3 == 2 ? 9 : 0; };
        auto key = [](int i) { return 48 + (i * 7) % 30; };
        for (int i = 0; i < 36; ++i) {
          const auto at = static_cast<std::uint32_t>(i * 60);
          if (i < 30) t.note_on(c.at(at), channel(i), key(i), 60 + (i * 13) % 60);
          if (i >= 6) t.note_off(c.at(at + 30), channel(i - 6), key(i - 6));
          if (i == 10) t.control_change(c.at(at + 30), 0, 64, 127);
          if (i == 20) t.control_change(c.at(at + 30), 0, 64, 0);
        }
      }, 4000),
      8);
  {
    Sf2Builder bank;
    test::SampleOptions options = test::looped(60, 2000);
    options.bits24 = true;
    const int sample = bank.add_sample(test::sine_points(20, 0.001f), options);
    ZoneSpec z = test::zone(sample);
    z.gen(Generator::sampleModes, 1).gen(Generator::initialAttenuation, 0);
    bank.add_preset("quiet", 0, 0, {test::preset_zone(bank.add_instrument("quiet", {z}))});
    add("sm24_low_level_sine", std::move(bank), plain_phrase);
  }
  {
    MidiBuilder song(480);
    song.track().tempo(0, 500000).tempo(960, 300000).tempo(480, 1000000).tempo(240, 400000).end_of_track(4000);
    MidiTrack& notes = song.track();
    for (int i = 0; i < 12; ++i) notes.note_on(i == 0 ? 0 : 160, 0, 60 + i, 100).note_off(80, 0, 60 + i);
    add("format_1_tempo_changes", sine_bank({}), std::move(song));
  }
  add("pressure_bend_and_mod_wheel",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::freqVibLFO, 300)
            .mod(modulator(general_source(GeneralController::polyPressure, SourceCurve::convex),
                           Generator::initialAttenuation, 300));
      }),
      song_of([](MidiTrack& t, Clock& c) {
        t.note_on(c.at(0), 0, 60, 100).note_on(c.at(0), 0, 67, 100).poly_pressure(c.at(200), 0, 67, 90)
            .channel_pressure(c.at(400), 0, 100).control_change(c.at(600), 0, 1, 80)
            .pitch_bend(c.at(800), 0, 2000).pitch_bend(c.at(1000), 0, 15000).channel_pressure(c.at(1100), 0, 0)
            .note_off(c.at(1400), 0, 60).note_off(c.at(1400), 0, 67);
      }, 3000));
  {
    // Root key override, scale tuning, coarse and fine tune, the sample's pitch correction and
    // rate, address offsets, and loop-until-release; and a linked stereo pair.
    Sf2Builder bank;
    test::SampleOptions options = test::looped(57, 2000, 22050);
    options.pitch_correction = -23;
    const int mono = bank.add_sample(test::saw_loop(20, 100), options);
    const auto [left, right] = bank.add_stereo_sample(test::sine_points(20), test::sine_loop(40, 50, 0.5f),
                                                      test::looped(60, 2000));
    ZoneSpec tuned = test::zone(mono);
    tuned.key_range(0, 71).gen(Generator::sampleModes, 3).gen(Generator::overridingRootKey, 62)
        .gen(Generator::scaleTuning, 70).gen(Generator::coarseTune, -3).gen(Generator::fineTune, 17)
        .gen(Generator::startAddrsOffset, 37).gen(Generator::startloopAddrsOffset, 100)
        .gen(Generator::endloopAddrsOffset, -300).gen(Generator::releaseVolEnv, -1000);
    ZoneSpec stereo_left = test::zone(left);
    stereo_left.key_range(72, 127).gen(Generator::sampleModes, 1).gen(Generator::pan, -500);
    ZoneSpec stereo_right = test::zone(right);
    stereo_right.key_range(72, 127).gen(Generator::sampleModes, 1).gen(Generator::pan, 500);
    const int instrument = bank.add_instrument("tuned", {tuned, stereo_left, stereo_right});
    bank.add_preset("tuned", 0, 0, {test::preset_zone(instrument).gen(Generator::fineTune, -8)});
    add("tuning_offsets_loop_modes_and_stereo_pair", std::move(bank), plain_phrase);
  }
  add("short_retriggered_and_attack_released_notes",
      sine_bank([](ZoneSpec& z) {
        z.gen(Generator::attackVolEnv, -1200).gen(Generator::attackModEnv, -1200)
            .gen(Generator::modEnvToPitch, 300).gen(Generator::modLfoToVolume, 40)
            .gen(Generator::freqModLFO, 800).gen(Generator::releaseVolEnv, -1800);
      }),
      song_of([](MidiTrack& t, Clock& c) {
        // A 2 ms note (held to the 10 ms minimum), the same key struck again while sounding,
        // and notes released half way through their attacks.
        t.note_on(c.at(0), 0, 60, 100).note_off(c.at(2), 0, 60).note_on(c.at(100), 0, 64, 100)
            .note_on(c.at(300), 0, 64, 60).note_off(c.at(500), 0, 64).note_on(c.at(700), 0, 67, 110)
            .note_off(c.at(950), 0, 67).note_on(c.at(1000), 0, 72, 90).note_off(c.at(1001), 0, 72);
      }, 3000));
  return all;
}

TEST(SyntheticParity, EachVoiceModelFeatureMatchesFluidSynth) {
  std::size_t failures = 0;
  for (Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const std::string base = scratch_directory() + "/synthetic-" + c.name;
    ASSERT_TRUE(c.bank.write(base + ".sf2").has_value());
    ASSERT_TRUE(c.song.write(base + ".mid"));
    // Float output: at 16 bits the reference's rounding, not the synthesis, would decide the
    // null test on quiet cases.
    auto reference = render_with_fluidsynth(base + ".mid", base + ".fluidsynth.wav", base + ".sf2",
                                            "-o audio.file.format=float -o synth.polyphony=" + std::to_string(c.polyphony));
    ASSERT_TRUE(reference.has_value()) << reference.error().message();
    const auto bank = test::prepare_bank(c.bank);
    ASSERT_TRUE(bank);
    engine::render::RenderOptions options;
    options.synth.polyphony = c.polyphony;
    auto candidate = render_with_tutti(base + ".mid", *bank, options);
    ASSERT_TRUE(candidate.has_value()) << candidate.error().message();
    analysis::CompareOptions compare;
    compare.max_seconds.reset();
    auto report = analysis::compare_audio(*reference, *candidate, compare);
    ASSERT_TRUE(report.has_value()) << report.error().message();
    std::printf("%-42s level_db=%+.3f null_snr_db=%.1f lag=%lld\n", c.name.c_str(), report->level_db,
                report->null_snr_db, static_cast<long long>(report->lag_frames));
    std::fflush(stdout);
    // FluidSynth renders in single precision and tutti in double at control rate, so a render
    // nulls to the rounding of the two, not bit for bit.
    const bool ok = report->lag_frames == 0 && std::abs(report->level_db) <= 0.05 && report->null_snr_db >= 50.0;
    EXPECT_EQ(report->lag_frames, 0);
    EXPECT_LE(std::abs(report->level_db), 0.05);
    EXPECT_GE(report->null_snr_db, 50.0);
    if (!ok) ++failures;
  }
  EXPECT_EQ(failures, 0u);
}

}  // namespace
}  // namespace tutti::parity
