// Channel messages beyond the basic controllers, as FluidSynth honours them
// (FLUIDSYNTH_MODEL.md 2.4-2.8): RPN 1/2 channel fine and coarse tuning, NRPN 120 SF2 generator
// offsets (SF2 2.04 9.6), bank selection with the drum channel on bank 128 and the missing-
// preset fallbacks, GM/GS/XG system exclusive resets (device id 0 or 0x7F only), GS rhythm
// parts, and the soft pedal (no effect). Each preset of the test bank plays key 60 at its own
// pitch, so the measured pitch says which preset sounded.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

struct PresetPitch {
  int bank, program, root_key;
};

// Every preset plays the same looped 441 Hz sine with its own root key: key 60 sounds at
// 441 x 2^((60 - root) / 12) Hz.
Sf2Builder preset_bank(const std::vector<PresetPitch>& presets) {
  Sf2Builder builder;
  const int sample = builder.add_sample(sine_points(), looped(60, 2000));
  for (const PresetPitch& p : presets) {
    const int instrument = builder.add_instrument(
        "root " + std::to_string(p.root_key),
        {zone(sample).gen(Generator::sampleModes, 1).gen(Generator::overridingRootKey, p.root_key)});
    builder.add_preset("p" + std::to_string(p.bank) + ":" + std::to_string(p.program), p.bank, p.program,
                       {preset_zone(instrument)});
  }
  return builder;
}

const std::vector<PresetPitch> kPresets = {
    {0, 0, 60}, {0, 1, 55}, {3, 2, 57}, {128, 0, 48}, {128, 5, 53}};

// The root key whose pitch key 60 sounds at after `setup` (messages at tick 0) on `channel`,
// from 100 ms to 300 ms of a note starting at `note_ms`; -1 if no preset's pitch matches.
int sounding_root(const std::function<void(MidiTrack&)>& setup, int channel = 0, std::uint32_t note_ms = 0) {
  MidiBuilder song(kMillisecondTicks);
  MidiTrack& track = song.track();
  setup(track);
  Clock clock;
  track.note_on(clock.at(note_ms), channel, 60, 100).note_off(clock.at(note_ms + 400), channel, 60);
  const Rendered out = render(preset_bank(kPresets), song);
  const auto span = out.left_span(audible_frame(note_ms + 100), 8820);
  for (const PresetPitch& p : kPresets) {
    const double hz = kSineHz * std::pow(2.0, (60 - p.root_key) / 12.0);
    if (std::fabs(cents_off(span, hz)) < 5.0) return p.root_key;
  }
  return -1;
}

Bytes with_checksum(Bytes roland) {
  // Roland checksum over address and data (from the 5th byte on).
  int sum = 0;
  for (std::size_t i = 4; i < roland.size(); ++i) sum += roland[i];
  roland.push_back(static_cast<std::uint8_t>((128 - (sum & 127)) & 127));
  return roland;
}
Bytes gm_system_on(int device) { return {0x7e, static_cast<std::uint8_t>(device), 0x09, 0x01}; }
Bytes gs_reset(int device) { return with_checksum({0x41, static_cast<std::uint8_t>(device), 0x42, 0x12, 0x40, 0x00, 0x7f, 0x00}); }
Bytes xg_reset(int device) { return {0x43, static_cast<std::uint8_t>(device), 0x4c, 0x00, 0x00, 0x7e, 0x00}; }

TEST(DrumChannel, Channel10PlaysTheDrumBank) {
  EXPECT_EQ(sounding_root([](MidiTrack&) {}, 9), 48);
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.program_change(0, 9, 5); }, 9), 53);
}

TEST(DrumChannel, BankSelectCannotMoveTheDrumChannelOffBank128) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.control_change(0, 9, 0, 0).program_change(0, 9, 5); }, 9), 53);
}

TEST(DrumChannel, MissingKitFallsBackToKit0) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.program_change(0, 9, 7); }, 9), 48);
}

TEST(BankSelect, Controller0SelectsTheBankAtTheNextProgramChange) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.control_change(0, 0, 0, 3).program_change(0, 0, 2); }), 57);
  // CC32 is ignored in FluidSynth's default (GS) style.
  EXPECT_EQ(sounding_root([](MidiTrack& t) {
              t.control_change(0, 0, 0, 3).control_change(0, 0, 32, 9).program_change(0, 0, 2);
            }),
            57);
}

TEST(BankSelect, MissingPresetFallsBackToBank0ThenToProgram0) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.control_change(0, 0, 0, 3).program_change(0, 0, 1); }), 55);
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.control_change(0, 0, 0, 3).program_change(0, 0, 9); }), 60);
}

TEST(SystemExclusive, GmSystemOnResetsPrograms) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.program_change(0, 0, 1).sysex(10, gm_system_on(0x7f)); }, 0, 20), 60);
  EXPECT_EQ(sounding_root([](MidiTrack& t) { t.program_change(0, 0, 1); }, 0, 20), 55);
}

TEST(SystemExclusive, GmSystemOnCutsSoundingNotes) {
  const Sf2Builder bank = preset_bank(kPresets);
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 100).sysex(clock.at(200), gm_system_on(0x7f)).note_off(clock.at(400), 0, 60);
  const Rendered out = render(bank, song);
  EXPECT_EQ(last_above(out.left, 0.0), audible_frame(200) - 1);
}

TEST(SystemExclusive, GsAndXgResetsNeedDeviceId0Or7F) {
  // FluidSynth's device id is 0: the common 0x10 is not addressed to it (COMPAT.md 20).
  auto after = [](const Bytes& reset) {
    return sounding_root([&reset](MidiTrack& t) { t.program_change(0, 0, 1).sysex(10, reset); }, 0, 20);
  };
  EXPECT_EQ(after(gs_reset(0x10)), 55);
  EXPECT_EQ(after(gs_reset(0x00)), 60);
  EXPECT_EQ(after(gs_reset(0x7f)), 60);
  EXPECT_EQ(after(xg_reset(0x10)), 55);
  EXPECT_EQ(after(xg_reset(0x00)), 60);
  EXPECT_EQ(after(gm_system_on(0x10)), 55);
}

TEST(SystemExclusive, GmModeIgnoresBankSelect) {
  EXPECT_EQ(sounding_root([](MidiTrack& t) {
              t.sysex(0, gm_system_on(0x7f)).control_change(10, 0, 0, 3).program_change(0, 0, 2);
            }, 0, 20),
            60) << "bank 3 ignored: 0:2 does not exist, so 0:0";
}

TEST(SystemExclusive, GsRhythmPartTurnsAChannelIntoADrumChannel) {
  // Part 1 is MIDI channel 1 (index 0); 02 = drum map 2.
  const Bytes rhythm = with_checksum({0x41, 0x00, 0x42, 0x12, 0x40, 0x11, 0x15, 0x02});
  EXPECT_EQ(sounding_root([&](MidiTrack& t) { t.sysex(0, rhythm); }, 0, 20), 48);
}

// The pitch of key 60 on preset 0:0 after `setup`, in cents from 441 Hz, searched near `near`.
double tuned_cents(const std::function<void(MidiTrack&)>& setup, double near, std::uint32_t setup_ms = 0) {
  MidiBuilder song(kMillisecondTicks);
  MidiTrack& track = song.track();
  track.note_on(0, 0, 60, 100).text(setup_ms, "setup");  // the setup's events follow at setup_ms
  setup(track);
  track.note_off(500, 0, 60);
  const Rendered out = render(preset_bank(kPresets), song);
  const double near_hz = kSineHz * std::pow(2.0, near / 1200.0);
  return near + cents_off(out.left_span(audible_frame(setup_ms + 100), 8820), near_hz);
}

void select_rpn(MidiTrack& t, int lsb) { t.control_change(0, 0, 101, 0).control_change(0, 0, 100, lsb); }

TEST(Rpn, CoarseTuningMovesSoundingNotesBySemitones) {
  const double cents = tuned_cents([](MidiTrack& t) { select_rpn(t, 2); t.control_change(0, 0, 6, 67); }, 300.0, 100);
  report("RPN 2 = 67", cents, "cents");
  EXPECT_NEAR(cents, 300.0, 1.0);
}

TEST(Rpn, FineTuningMovesSoundingNotesByCents) {
  // 14-bit data 8192 + 4096: +50 cents (100 cents per 8192 steps); the LSB comes first.
  const double cents = tuned_cents([](MidiTrack& t) {
    select_rpn(t, 1);
    t.control_change(0, 0, 38, 0).control_change(0, 0, 6, 96);
  }, 50.0, 100);
  report("RPN 1 = 96/0", cents, "cents");
  EXPECT_NEAR(cents, 50.0, 1.0);
}

TEST(Rpn, DataEntryWithoutASelectedParameterDoesNothing) {
  const double cents = tuned_cents([](MidiTrack& t) { t.control_change(0, 0, 6, 100); }, 0.0, 100);
  EXPECT_NEAR(cents, 0.0, 0.1);
}

TEST(Nrpn, Sf2GeneratorOffsetsApplyToSoundingNotes) {
  // NRPN 120/51 selects coarseTune; data 8194 is +2 (one unit per step for tuning).
  const double cents = tuned_cents([](MidiTrack& t) {
    t.control_change(0, 0, 99, 120).control_change(0, 0, 98, 51).control_change(0, 0, 38, 2).control_change(0, 0, 6, 64);
  }, 200.0, 100);
  report("NRPN 120/51 = 8194", cents, "cents");
  EXPECT_NEAR(cents, 200.0, 1.0);
}

TEST(Nrpn, OtherNrpnsAreIgnored) {
  const double cents = tuned_cents([](MidiTrack& t) {
    t.control_change(0, 0, 99, 1).control_change(0, 0, 98, 51).control_change(0, 0, 6, 80);
  }, 0.0, 100);
  EXPECT_NEAR(cents, 0.0, 0.1);
}

TEST(SoftPedal, HasNoEffectAsInFluidSynth) {
  const Sf2Builder bank = preset_bank(kPresets);
  MidiBuilder plain(kMillisecondTicks), soft(kMillisecondTicks);
  plain.track().note_on(0, 0, 60, 100).note_off(300, 0, 60);
  soft.track().control_change(0, 0, 67, 127).note_on(0, 0, 60, 100).note_off(300, 0, 60);
  const Rendered a = render(bank, plain);
  const Rendered b = render(bank, soft);
  ASSERT_FALSE(a.left.empty());
  EXPECT_EQ(a.left, b.left);
}

}  // namespace
}  // namespace tutti::test
