// Determinism: the same song through the same bank renders to the same bits, every time and
// whatever the size of the windows the render loop scores and mixes in (design.md: "Determinism
// is a feature").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

// Three presets that exercise most of the voice: a sine with vibrato, a modulation envelope on
// pitch and cutoff and a resonant filter; noise through a swept filter with tremolo; drums with
// an exclusive class.
Sf2Builder busy_bank() {
  Sf2Builder builder;
  const int sine = builder.add_sample(sine_points(), looped(60, 2000));
  const int noise = builder.add_sample(noise_points(4096, 7), looped(60, 4096));
  const int dc = builder.add_sample(dc_points(), looped(60, 2000));
  const int lead = builder.add_instrument(
      "lead", {zone(sine)
                   .gen(Generator::sampleModes, 1)
                   .gen(Generator::vibLfoToPitch, 30)
                   .gen(Generator::freqVibLFO, -1000)
                   .gen(Generator::modEnvToPitch, 200)
                   .gen(Generator::modEnvToFilterFc, 2400)
                   .gen(Generator::decayModEnv, -1200)
                   .gen(Generator::initialFilterFc, 8000)
                   .gen(Generator::initialFilterQ, 100)
                   .gen(Generator::releaseVolEnv, -1200)});
  const int pad = builder.add_instrument(
      "pad", {zone(noise)
                  .gen(Generator::sampleModes, 1)
                  .gen(Generator::modLfoToVolume, 60)
                  .gen(Generator::modLfoToFilterFc, 1200)
                  .gen(Generator::freqModLFO, -500)
                  .gen(Generator::initialFilterFc, 7000)
                  .gen(Generator::attackVolEnv, -2400)
                  .gen(Generator::releaseVolEnv, -600)});
  const int kit = builder.add_instrument(
      "kit", {zone(dc).key_range(36, 41).gen(Generator::sampleModes, 1).gen(Generator::exclusiveClass, 1),
              zone(sine).key_range(42, 50).gen(Generator::sampleModes, 1).gen(Generator::exclusiveClass, 1)});
  builder.add_preset("lead", 0, 0, {preset_zone(lead)});
  builder.add_preset("pad", 0, 1, {preset_zone(pad)});
  builder.add_preset("kit", 128, 0, {preset_zone(kit)});
  return builder;
}

MidiBuilder busy_song() {
  MidiBuilder song(kMillisecondTicks);
  Clock lead_clock;
  MidiTrack& lead = song.track();
  lead.control_change(lead_clock.at(0), 0, 10, 30).control_change(0, 0, 64, 127);
  for (int i = 0; i < 12; ++i) {
    const auto at = static_cast<std::uint32_t>(i * 90);
    lead.note_on(lead_clock.at(at), 0, 55 + (i * 7) % 24, 40 + i * 7)
        .pitch_bend(lead_clock.at(at + 30), 0, 8192 + i * 500)
        .control_change(lead_clock.at(at + 40), 0, 1, i * 10)
        .note_off(lead_clock.at(at + 60), 0, 55 + (i * 7) % 24);
  }
  lead.control_change(lead_clock.at(1200), 0, 64, 0);
  Clock pad_clock;
  MidiTrack& pad = song.track();
  pad.program_change(pad_clock.at(0), 1, 1).note_on(pad_clock.at(100), 1, 48, 90);
  for (int i = 0; i < 10; ++i) pad.control_change(pad_clock.at(static_cast<std::uint32_t>(200 + i * 80)), 1, 11, 127 - i * 9);
  pad.note_off(pad_clock.at(1300), 1, 48);
  Clock drum_clock;
  MidiTrack& drums = song.track();
  for (int i = 0; i < 16; ++i) {
    const auto at = static_cast<std::uint32_t>(i * 70);
    drums.note_on(drum_clock.at(at), 9, i % 2 ? 38 : 44, 100).note_off(drum_clock.at(at + 35), 9, i % 2 ? 38 : 44);
  }
  return song;
}

bool identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(Determinism, RenderingTheSameSongTwiceIsBitIdentical) {
  const auto bank = prepare_bank(busy_bank());
  ASSERT_NE(bank, nullptr);
  const MidiBuilder song = busy_song();
  const Rendered first = render(*bank, song);
  const Rendered second = render(*bank, song);
  ASSERT_GT(first.frames(), 44100);
  EXPECT_GT(first.result.peak, 0.01);
  EXPECT_TRUE(identical(first.left, second.left));
  EXPECT_TRUE(identical(first.right, second.right));
}

TEST(Determinism, WindowSizeDoesNotChangeAVoice) {
  // One voice at a time: its whole state (phase, envelopes, LFOs, filter memory) carries from
  // window to window, so any window size gives the same bits.
  const auto bank = prepare_bank(busy_bank());
  ASSERT_NE(bank, nullptr);
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .note_on(clock.at(0), 0, 60, 100)
      .pitch_bend(clock.at(200), 0, 12000)
      .control_change(clock.at(300), 0, 1, 100)
      .note_off(clock.at(600), 0, 60)
      .program_change(clock.at(1000), 0, 1)
      .note_on(clock.at(1000), 0, 48, 90)
      .control_change(clock.at(1300), 0, 11, 60)
      .note_off(clock.at(1500), 0, 48);
  engine::render::RenderOptions options = default_options();
  const Rendered reference = render(*bank, song, options);
  ASSERT_GT(reference.frames(), 44100);
  for (std::uint32_t window_blocks : {1u, 7u, 64u}) {
    options.window_blocks = window_blocks;
    const Rendered windowed = render(*bank, song, options);
    EXPECT_TRUE(identical(reference.left, windowed.left)) << window_blocks << "-block windows";
    EXPECT_TRUE(identical(reference.right, windowed.right)) << window_blocks << "-block windows";
  }
}

TEST(Determinism, WindowSizeChangesAMixOnlyByFloatRounding) {
  // Many voices, with stealing across window boundaries. The voices of a window are summed in
  // the order they appear in it, so the window size can change the order of additions: the
  // result may differ in the last bit of a float, never by more than rounding.
  const auto bank = prepare_bank(busy_bank());
  ASSERT_NE(bank, nullptr);
  const MidiBuilder song = busy_song();
  engine::render::RenderOptions options = default_options();
  options.synth.polyphony = 4;
  const Rendered reference = render(*bank, song, options);
  EXPECT_GT(reference.result.statistics.voices_stolen, 0u);
  for (std::uint32_t window_blocks : {1u, 7u, 64u}) {
    options.window_blocks = window_blocks;
    const Rendered windowed = render(*bank, song, options);
    ASSERT_EQ(windowed.frames(), reference.frames());
    double largest = 0.0;
    for (std::size_t i = 0; i < reference.left.size(); ++i) {
      largest = std::max({largest, std::fabs(static_cast<double>(reference.left[i]) - windowed.left[i]),
                          std::fabs(static_cast<double>(reference.right[i]) - windowed.right[i])});
    }
    // A few float ulps of the peak; a 16-bit step is 3e-5.
    EXPECT_LT(largest, 1e-6 * reference.result.peak + 1e-9) << window_blocks << "-block windows";
  }
}

}  // namespace
}  // namespace tutti::test
