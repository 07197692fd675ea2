// Voices stepped eight at a time (ControlBatch, SynthSettings::batch_control) score exactly
// what Voice::step alone scores: the same entries, the same controls bit for bit, the same
// statistics. Songs that take every way out of a lane: envelope stages ending, delayed
// note-offs, pitch bends, cutoff modulation, audibility checks that mute and make coarse,
// muted voices stepped in lanes until they end, loops wrapped more than once per block,
// unlooped samples that end.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include "engine/synth/synthesizer.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::sf2::Generator;
using engine::synth::VoiceBlockControl;

struct Scored {
  // Per voice, per block from the song's start: the control, as bytes of its fields.
  std::map<std::uint64_t, std::map<std::int64_t, VoiceBlockControl>> controls;
  engine::synth::SynthStatistics statistics;
  std::int64_t frames = 0;
  // Blocks marked as repeating their voice's previous block's filter, and region.
  std::size_t repeated_filters = 0, repeated_regions = 0;
};

// Every block of a voice's list carries the repeats of its previous block in the list (none for
// the first), whichever way it was stepped: what the renderer trusts instead of comparing.
void expect_repeats_marked(const engine::synth::ControlList& list, std::uint32_t blocks, Scored& scored) {
  for (std::uint32_t k = 0; k < blocks; ++k) {
    const VoiceBlockControl& control = list[k];
    const VoiceBlockControl* previous = k == 0 ? nullptr : &list[k - 1];
    const bool filter = previous != nullptr && kernels::same_filter(previous->filter, control.filter);
    const bool region = previous != nullptr && previous->region == control.region;
    EXPECT_EQ(control.repeats.filter, filter) << "block " << k;
    EXPECT_EQ(control.repeats.region, region) << "block " << k;
    EXPECT_EQ(control.repeats.filter_enabled, control.filter.enabled) << "block " << k;
    scored.repeated_filters += filter ? 1 : 0;
    scored.repeated_regions += region ? 1 : 0;
  }
}

Scored score(const engine::synth::PreparedBank& bank, bool batch, double audibility_floor) {
  engine::synth::SynthSettings settings;
  settings.polyphony = 40;
  settings.audibility_floor = audibility_floor;
  settings.coarse_interpolation = audibility_floor > 0.0;
  settings.batch_control = batch;
  engine::synth::Synthesizer synth(bank, settings);
  Scored scored;
  engine::synth::WindowScore window;
  const auto take = [&] {
    synth.finish_window(window);
    const std::int64_t first_block = window.first_frame / kBlock;
    for (std::size_t v = 0; v < window.voices.size(); ++v) {
      const auto& voice = window.voices[v];
      expect_repeats_marked(window.controls[v], voice.block_count, scored);
      for (std::uint32_t k = 0; k < voice.block_count; ++k) {
        scored.controls[voice.voice_id][first_block + voice.first_block + k] = window.controls[v][k];
      }
    }
    synth.begin_window(synth.frames_elapsed());
  };
  synth.begin_window(0);
  int key = 30;
  for (int round = 0; round < 6; ++round) {
    for (int n = 0; n < 5; ++n) {
      synth.note_on(n % 3, key, 40 + 15 * n);
      key = key >= 120 ? 30 + round : key + 13;
    }
    synth.note_on(3, 127, 100);  // many loop lengths per block
    synth.step_blocks(7 + 5 * round);
    if (round == 2) synth.pitch_bend(0, 12000);
    if (round == 3) synth.control_change(1, engine::synth::kVolume, 3);
    for (int k = 30; k <= 127; ++k) synth.note_off(round % 3, k);
    synth.step_blocks(3);  // note-offs before the minimum note length end a few blocks later
    take();
    synth.step_blocks(40);
    take();
  }
  synth.release_all_notes();
  while (synth.active_voices() > 0) {
    synth.step_blocks(64, true);
    take();
  }
  scored.statistics = synth.statistics();
  scored.frames = synth.frames_elapsed();
  return scored;
}

bool same_bytes(const VoiceBlockControl& a, const VoiceBlockControl& b) {
  const auto& x = a.oscillator;
  const auto& y = b.oscillator;
  const auto same = [](const auto& p, const auto& q) { return std::memcmp(&p, &q, sizeof p) == 0; };
  return x.phase == y.phase && x.increment == y.increment && same(x.gain, y.gain) && same(x.gain_step, y.gain_step) &&
         x.frames == y.frames && x.looping == y.looping && x.has_looped == y.has_looped && a.region == b.region &&
         a.interpolation == b.interpolation && same(a.pan, b.pan) && same(a.filter.start, b.filter.start) &&
         same(a.filter.step, b.filter.step) && a.filter.ramp_frames == b.filter.ramp_frames &&
         a.filter.compensate_history == b.filter.compensate_history && a.filter.enabled == b.filter.enabled;
}

void expect_same_scores(const engine::synth::PreparedBank& bank, double audibility_floor) {
  const Scored single = score(bank, false, audibility_floor);
  const Scored batched = score(bank, true, audibility_floor);
  EXPECT_EQ(batched.frames, single.frames);
  EXPECT_EQ(batched.statistics.voices_started, single.statistics.voices_started);
  EXPECT_EQ(batched.statistics.voice_blocks, single.statistics.voice_blocks);
  EXPECT_EQ(batched.statistics.muted_voice_blocks, single.statistics.muted_voice_blocks);
  EXPECT_EQ(batched.statistics.coarse_voice_blocks, single.statistics.coarse_voice_blocks);
  ASSERT_EQ(batched.controls.size(), single.controls.size());
  std::size_t blocks = 0;
  for (const auto& [voice, controls] : single.controls) {
    ASSERT_TRUE(batched.controls.contains(voice)) << "voice " << voice;
    const auto& other = batched.controls.at(voice);
    ASSERT_EQ(other.size(), controls.size()) << "voice " << voice;
    for (const auto& [block, control] : controls) {
      ASSERT_TRUE(other.contains(block)) << "voice " << voice << ", block " << block;
      EXPECT_TRUE(same_bytes(other.at(block), control)) << "voice " << voice << ", block " << block;
      ++blocks;
    }
  }
  EXPECT_GT(blocks, 2000u);
  // Both kinds of block, repeating and not, in numbers.
  EXPECT_GT(batched.repeated_filters, 100u);
  EXPECT_LT(batched.repeated_filters, blocks * 9 / 10);
  EXPECT_GT(batched.repeated_regions, blocks / 2);
  // With a floor, muted voices take the lanes too (stepped as Voice::step_unheard steps them).
  if (audibility_floor > 0.0) {
    EXPECT_GT(single.statistics.muted_voice_blocks, 100u);
  }
  // Both ways took a good share of the blocks (vibrato alone leaves a block to Voice::step),
  // so the comparison above is of the two.
  EXPECT_EQ(single.statistics.lane_voice_blocks, 0u);
  const std::uint64_t sounding = single.statistics.voice_blocks - single.statistics.muted_voice_blocks;
  EXPECT_GT(batched.statistics.lane_voice_blocks, sounding / 8);
  EXPECT_LT(batched.statistics.lane_voice_blocks, sounding * 7 / 8);
}

ZoneEdit modulated(int sample_mode) {
  return [sample_mode](ZoneSpec& zone) {
    zone.gen(Generator::sampleModes, sample_mode)
        .gen(Generator::delayVolEnv, -7000)
        .gen(Generator::attackVolEnv, -4000)
        .gen(Generator::holdVolEnv, -5000)
        .gen(Generator::decayVolEnv, -1000)
        .gen(Generator::sustainVolEnv, 200)
        .gen(Generator::releaseVolEnv, -600)
        .gen(Generator::initialFilterQ, 120)
        .gen(Generator::initialFilterFc, 7000)
        .gen(Generator::modLfoToFilterFc, 900)
        .gen(Generator::modEnvToFilterFc, 2400)
        .gen(Generator::attackModEnv, -5000)
        .gen(Generator::decayModEnv, 1200)
        .gen(Generator::sustainModEnv, 400)
        .gen(Generator::vibLfoToPitch, 30)
        .gen(Generator::delayVibLFO, -3000)
        .gen(Generator::modLfoToVolume, 60);
  };
}

TEST(ControlBatch, LoopedVoicesScoreWhatVoiceStepScores) {
  const auto bank = prepare_bank(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), modulated(1)));
  ASSERT_NE(bank, nullptr);
  expect_same_scores(*bank, 0.0);
  expect_same_scores(*bank, 1e-4);
}

TEST(ControlBatch, VoicesLoopingUntilReleaseScoreWhatVoiceStepScores) {
  const auto bank = prepare_bank(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), modulated(3)));
  ASSERT_NE(bank, nullptr);
  expect_same_scores(*bank, 1e-4);
}

TEST(ControlBatch, UnloopedVoicesScoreWhatVoiceStepScores) {
  // 0.45 s of sine played once: low notes end by their sample's end within the song.
  const auto bank = prepare_bank(single_zone_bank(sine_points(200, 0.8f), looped(60, 20000), modulated(0)));
  ASSERT_NE(bank, nullptr);
  expect_same_scores(*bank, 0.0);
  expect_same_scores(*bank, 1e-4);
}

}  // namespace
}  // namespace tutti::test
