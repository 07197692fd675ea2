// Which voices sound when notes compete: exclusive classes (SF2 2.04 8.1.2 #57: a new note cuts
// the other notes of its class on the channel, with FluidSynth's -200 timecent release) and
// voice stealing when the polyphony is exhausted (FluidSynth's priorities: drums kept,
// released and sustained notes first, older notes before younger). Each note plays its own
// frequency, so the tones present in the output tell which voices survived.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

// Key k plays 441 Hz x 2^((k - 60)/12) (one looped sine, root 60) with a 4 s release, so
// released voices keep sounding; zones for keys 60 and 61..72 may share an exclusive class (the
// competing note is key 72, an octave up, so both tones are whole cycles in the measured spans
// and do not leak into each other's amplitude). Presets
// 0:0 and 128:0 (drums) use the same instrument.
Sf2Builder tone_bank(int exclusive_class_60 = 0, int exclusive_class_72 = 0) {
  Sf2Builder builder;
  const int sample = builder.add_sample(sine_points(), looped(60, 2000));
  auto tone_zone = [sample](int low, int high, int exclusive_class) {
    ZoneSpec z = zone(sample);
    z.key_range(low, high).gen(Generator::sampleModes, 1).gen(Generator::releaseVolEnv, 2400);
    if (exclusive_class != 0) z.gen(Generator::exclusiveClass, exclusive_class);
    return z;
  };
  const int instrument = builder.add_instrument(
      "tones", {tone_zone(0, 59, 0), tone_zone(60, 60, exclusive_class_60), tone_zone(61, 72, exclusive_class_72),
                tone_zone(73, 127, 0)});
  builder.add_preset("tones", 0, 0, {preset_zone(instrument)});
  builder.add_preset("drum tones", 128, 0, {preset_zone(instrument)});
  return builder;
}

double key_hz(int key) { return kSineHz * std::pow(2.0, (key - 60) / 12.0); }

// The amplitude of key `key`'s tone over 100 ms (a whole number of cycles of every key that is
// a multiple of 12 semitones from 60) starting at `ms` of the song.
double tone_at(const Rendered& out, int key, std::uint32_t ms) {
  return tone_amplitude(out.left_span(audible_frame(ms), 4400), key_hz(key));
}

TEST(ExclusiveClass, NewNoteReleasesTheClassWithAFastRelease) {
  // Key 60 then key 72, same class: key 60's 4 s release is replaced by -200 timecents
  // (0.891 s for 96 dB), so 100 ms after the cut it is 10.8 dB down.
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 100).note_on(clock.at(300), 0, 72, 100)
      .note_off(clock.at(1000), 0, 60).note_off(clock.at(1000), 0, 72);
  const Rendered out = render(tone_bank(1, 1), song);
  const double before = tone_amplitude(out.left_span(audible_frame(200), 4400), kSineHz);
  // 1800 frames centred 100 ms after the cut: the decay is straight in dB.
  const std::int64_t centre = audible_frame(300) + 4410;
  const double after = tone_amplitude(out.left_span(centre - 900, 1800), kSineHz);
  ASSERT_GT(before, 0.0);
  const double expected = -96.0 * 0.1 / std::pow(2.0, -200.0 / 1200.0);
  report("key 60, 100 ms after key 72 of its class started (expected " + std::to_string(expected) + ")",
         to_db(after / before), "dB");
  EXPECT_NEAR(to_db(after / before), expected, 0.5);
}

TEST(ExclusiveClass, DifferentClassesAndChannelsAreLeftAlone) {
  for (const bool other_channel : {false, true}) {
    MidiBuilder song(kMillisecondTicks);
    Clock clock;
    const int channel_72 = other_channel ? 1 : 0;
    song.track().note_on(clock.at(0), 0, 60, 100).note_on(clock.at(300), channel_72, 72, 100)
        .note_off(clock.at(1000), 0, 60).note_off(clock.at(1000), channel_72, 72);
    const Rendered out = render(other_channel ? tone_bank(1, 1) : tone_bank(1, 2), song);
    const double before = tone_amplitude(out.left_span(audible_frame(200), 4400), kSineHz);
    const double after = tone_amplitude(out.left_span(audible_frame(400), 4400), kSineHz);
    ASSERT_GT(before, 0.0);
    EXPECT_NEAR(to_db(after / before), 0.0, 0.05) << (other_channel ? "other channel" : "other class");
  }
}

TEST(ExclusiveClass, RepeatedNoteOfTheClassCutsThePreviousOne) {
  // A hi-hat played twice: the first stroke's 4 s release does not ring under the second. Once
  // the cut stroke's fast release is over, the output is exactly that of the second stroke alone.
  auto song = [](bool first_stroke) {
    MidiBuilder builder(kMillisecondTicks);
    Clock clock;
    MidiTrack& track = builder.track();
    if (first_stroke) track.note_on(clock.at(0), 0, 60, 100).note_off(clock.at(100), 0, 60);
    track.note_on(clock.at(1000), 0, 72, 100).note_off(clock.at(1100), 0, 72);
    return builder;
  };
  const Rendered plain = render(tone_bank(0, 0), song(true));
  const Rendered both = render(tone_bank(1, 1), song(true));
  const Rendered second_only = render(tone_bank(1, 1), song(false));
  ASSERT_GT(tone_at(plain, 60, 2000), 0.0) << "without the class, key 60 still rings at 2 s";
  // -200 timecents take 0.89 s over 96 dB: from 1.9 s on nothing of key 60 is left.
  const std::int64_t first = audible_frame(1900);
  const std::int64_t count = audible_frame(3000) - first;
  const auto a = both.left_span(first, count);
  const auto b = second_only.left_span(first, count);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(mean_magnitude(b), 0.0);
  double largest = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::fabs(static_cast<double>(a[i]) - b[i]));
  report("largest difference from the second stroke alone, 0.9 s after the cut", largest, "");
  EXPECT_LT(largest, 1e-7);
}

engine::render::RenderOptions two_voices() {
  engine::render::RenderOptions options = default_options();
  options.synth.polyphony = 2;
  return options;
}

TEST(VoiceStealing, TheOldestNoteGoesFirst) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 48, 100).note_on(clock.at(1000), 0, 60, 100)
      .note_on(clock.at(2000), 0, 72, 100).note_off(clock.at(3000), 0, 48).note_off(clock.at(3000), 0, 60)
      .note_off(clock.at(3000), 0, 72);
  const Rendered out = render(tone_bank(), song, two_voices());
  EXPECT_EQ(out.result.statistics.voices_stolen, 1u);
  EXPECT_GT(tone_at(out, 48, 1500), 0.0);
  EXPECT_LT(tone_at(out, 48, 2500), 1e-6) << "key 48, the oldest, was stolen";
  EXPECT_GT(tone_at(out, 60, 2500), 0.01);
  EXPECT_GT(tone_at(out, 72, 2500), 0.01);
}

TEST(VoiceStealing, AReleasedNoteGoesBeforeAnOlderHeldOne) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 48, 100).note_on(clock.at(1000), 0, 60, 100)
      .note_off(clock.at(1100), 0, 60).note_on(clock.at(2000), 0, 72, 100)
      .note_off(clock.at(3000), 0, 48).note_off(clock.at(3000), 0, 72);
  const Rendered out = render(tone_bank(), song, two_voices());
  EXPECT_GT(tone_at(out, 60, 1800), 0.0) << "still in its 4 s release";
  EXPECT_LT(tone_at(out, 60, 2500), 1e-6) << "the released note was stolen";
  EXPECT_GT(tone_at(out, 48, 2500), 0.01);
}

TEST(VoiceStealing, ASustainedNoteGoesBeforeAnOlderHeldOne) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 1, 48, 100).control_change(clock.at(900), 0, 64, 127)
      .note_on(clock.at(1000), 0, 60, 100).note_off(clock.at(1100), 0, 60).note_on(clock.at(2000), 0, 72, 100)
      .note_off(clock.at(3000), 1, 48).note_off(clock.at(3000), 0, 72);
  const Rendered out = render(tone_bank(), song, two_voices());
  EXPECT_LT(tone_at(out, 60, 2500), 1e-6) << "the sustained note was stolen";
  EXPECT_GT(tone_at(out, 48, 2500), 0.01);
}

TEST(VoiceStealing, DrumNotesAreKeptOverOlderMelodicOnes) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 9, 48, 100).note_on(clock.at(1000), 0, 60, 100)
      .note_on(clock.at(2000), 0, 72, 100).note_off(clock.at(3000), 9, 48).note_off(clock.at(3000), 0, 60)
      .note_off(clock.at(3000), 0, 72);
  const Rendered out = render(tone_bank(), song, two_voices());
  EXPECT_GT(tone_at(out, 48, 2500), 0.01) << "the drum note is kept although it is the oldest";
  EXPECT_LT(tone_at(out, 60, 2500), 1e-6);
}

TEST(VoiceStealing, TheStolenVoiceIsCutAtABlockBoundary) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 48, 100).note_on(clock.at(1000), 0, 60, 100)
      .note_on(clock.at(2000), 0, 72, 100).note_off(clock.at(3000), 0, 60).note_off(clock.at(3000), 0, 72);
  const Rendered all = render(tone_bank(), song);
  const Rendered stolen = render(tone_bank(), song, two_voices());
  // Identical up to the block in which key 72 is heard; from there key 48 is gone entirely.
  const std::int64_t cut = audible_frame(2000);
  ASSERT_GT(stolen.frames(), cut);
  for (std::int64_t i = 0; i < cut; ++i) {
    ASSERT_EQ(stolen.left[static_cast<std::size_t>(i)], all.left[static_cast<std::size_t>(i)]) << "frame " << i;
  }
  EXPECT_EQ(cut % kBlock, 0);
}

TEST(VoiceStealing, AStealingNoteRampsItsPanFromTheSlotsSpareVoice) {
  // FluidSynth's voice slot has a spare render voice for stealing (COMPAT.md 11): the note that
  // steals plays on it and ramps its pan gains over its first block from where the spare was
  // left. One voice, constant sample, centre pan: note B steals note A's slot and ramps from
  // the never-used spare (zero), so its first block rises as gain ramp x pan ramp (a quarter
  // of the level at mid-block); note C steals B's and gets A's render voice back, already at
  // the centre gains, so only the gain ramps (half the level at mid-block).
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, 60, 127).note_on(clock.at(500), 0, 62, 127)
      .note_on(clock.at(1000), 0, 64, 127).note_off(clock.at(1500), 0, 64);
  engine::render::RenderOptions one_voice = default_options();
  one_voice.synth.polyphony = 1;
  const Rendered out = render(single_zone_bank(dc_points(), looped(60, 2000)), song, one_voice);
  auto mid_block_share = [&](std::uint32_t ms) {
    const std::int64_t first = audible_frame(ms);
    const double steady = mean_magnitude(out.left_span(first + 2 * kBlock, kBlock));
    return mean_magnitude(out.left_span(first + kBlock / 2, 1)) / steady;
  };
  report("note B (stole from a fresh spare): level at mid first block", mid_block_share(500), "of steady");
  report("note C (stole back A's render voice): level at mid first block", mid_block_share(1000), "of steady");
  EXPECT_NEAR(mid_block_share(500), 0.25, 0.01);
  EXPECT_NEAR(mid_block_share(1000), 0.5, 0.01);
}

}  // namespace
}  // namespace tutti::test
