// Stepping a run of blocks voice after voice (Synthesizer::step_blocks, what the scorer does
// between events) scores exactly what stepping the same blocks one at a time does: the same
// entries in the same order (the mixing order), the same controls bit for bit, the same
// statistics, and in the song's tail the same number of blocks (none after the last voice
// ends). The songs are scripted against the synthesizer directly, with voices that are muted,
// made coarse, woken by a controller, stolen, and that finish inside a run.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/synth/synthesizer.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::sf2::Generator;
using engine::synth::Synthesizer;
using engine::synth::VoiceBlockControl;
using engine::synth::WindowScore;

// Bit equality of floats, so that a sign of zero or a last bit counts too.
bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Field by field: the padding of a control is never written.
bool same_control(const VoiceBlockControl& a, const VoiceBlockControl& b) {
  const auto& x = a.oscillator;
  const auto& y = b.oscillator;
  const bool oscillator = x.phase == y.phase && x.increment == y.increment && same_bits(x.gain, y.gain) &&
                          same_bits(x.gain_step, y.gain_step) && x.frames == y.frames && x.looping == y.looping &&
                          x.has_looped == y.has_looped;
  const auto same_coefficients = [](const kernels::BiquadCoefficients& p, const kernels::BiquadCoefficients& q) {
    return same_bits(p.b02, q.b02) && same_bits(p.b1, q.b1) && same_bits(p.a1, q.a1) && same_bits(p.a2, q.a2);
  };
  const bool filter = same_coefficients(a.filter.start, b.filter.start) &&
                      same_coefficients(a.filter.step, b.filter.step) && a.filter.ramp_frames == b.filter.ramp_frames &&
                      a.filter.compensate_history == b.filter.compensate_history &&
                      a.filter.enabled == b.filter.enabled;
  const bool pan = same_bits(a.pan.left_from, b.pan.left_from) && same_bits(a.pan.left_to, b.pan.left_to) &&
                   same_bits(a.pan.right_from, b.pan.right_from) && same_bits(a.pan.right_to, b.pan.right_to);
  return oscillator && filter && pan && a.region == b.region && a.interpolation == b.interpolation;
}

void expect_same_score(const WindowScore& a, const WindowScore& b, std::size_t window) {
  SCOPED_TRACE("window " + std::to_string(window));
  EXPECT_EQ(a.first_frame, b.first_frame);
  EXPECT_EQ(a.block_count, b.block_count);
  ASSERT_EQ(a.voices.size(), b.voices.size());
  for (std::size_t v = 0; v < a.voices.size(); ++v) {
    SCOPED_TRACE("entry " + std::to_string(v));
    const auto& x = a.voices[v];
    const auto& y = b.voices[v];
    EXPECT_EQ(x.voice_id, y.voice_id);
    EXPECT_EQ(x.slot, y.slot);
    EXPECT_EQ(x.starts_here, y.starts_here);
    EXPECT_EQ(x.ends_here, y.ends_here);
    EXPECT_EQ(x.first_block, y.first_block);
    ASSERT_EQ(x.block_count, y.block_count);
    for (std::uint32_t k = 0; k < x.block_count; ++k) {
      EXPECT_TRUE(same_control(a.controls[v][k], b.controls[v][k])) << "block " << x.first_block + k;
    }
  }
}

// What a script scored, window by window.
struct Scored {
  std::vector<WindowScore> windows;
  engine::synth::SynthStatistics statistics;
};

// Plays a song against the synthesizer: `song` applies events and calls run(blocks) for the
// stretches between them and window() to close a window; tail() then steps the song's tail to
// its end in runs of `tail_run` blocks.
class Player {
 public:
  Player(const engine::synth::PreparedBank& bank, bool voice_after_voice) : voice_after_voice_(voice_after_voice) {
    engine::synth::SynthSettings settings;
    settings.polyphony = 6;  // the second chord steals
    settings.audibility_floor = 1e-4;  // high, so that releases mute within a short song
    settings.coarse_interpolation = true;
    synth_.emplace(bank, settings);
    synth_->begin_window(0);
  }

  Synthesizer& synth() { return *synth_; }

  // `blocks` blocks with no event between them.
  std::uint32_t run(std::uint32_t blocks, bool end_when_idle = false) {
    if (voice_after_voice_) return synth_->step_blocks(blocks, end_when_idle);
    std::uint32_t stepped = 0;
    for (; stepped < blocks; ++stepped) {
      if (end_when_idle && synth_->active_voices() == 0) break;
      synth_->step_block();
    }
    return stepped;
  }

  void window() {
    scored_.windows.emplace_back();
    synth_->finish_window(scored_.windows.back());
    synth_->begin_window(synth_->frames_elapsed());
  }

  // Releases every note and steps until the last voice has finished, closing a window every
  // `window_blocks` blocks.
  void tail(std::uint32_t tail_run, std::uint32_t window_blocks) {
    synth_->release_all_notes();
    std::uint32_t in_window = 0;
    while (synth_->active_voices() > 0) {
      const std::uint32_t stepped = run(std::min(tail_run, window_blocks - in_window), true);
      ASSERT_GT(stepped, 0u);
      in_window += stepped;
      if (in_window == window_blocks) {
        window();
        in_window = 0;
      }
    }
    window();
  }

  Scored finish() {
    scored_.statistics = synth_->statistics();
    return std::move(scored_);
  }

 private:
  bool voice_after_voice_;
  std::optional<Synthesizer> synth_;
  Scored scored_;
};

// Chords, a note-off, controllers that quieten a channel and bring it back, a chord that steals,
// then the tail.
void play_song(Player& p) {
  Synthesizer& s = p.synth();
  for (int key : {60, 64, 67}) s.note_on(0, key, 100);
  s.note_on(1, 48, 30);
  p.run(7);
  s.note_off(0, 64);
  s.control_change(1, 7, 4);  // channel 1 nearly silent: its voice mutes
  p.run(20);
  for (int key : {72, 76, 79}) s.note_on(0, key, 20);  // seven voices for six slots
  p.run(13);
  p.window();
  p.run(5);
  for (int key : {60, 67, 72}) s.note_off(0, key);
  p.run(30);
  s.control_change(1, 7, 127);  // and loud again: the muted voice wakes up
  p.run(5);
  p.window();
  p.run(1);
  p.run(1);
  p.window();
  p.tail(16, 40);
}

// The song scored both ways must agree, window by window; returns the score of runs.
Scored expect_runs_score_as_blocks(const Sf2Builder& bank_file) {
  const auto bank = prepare_bank(bank_file);
  EXPECT_NE(bank, nullptr);
  if (bank == nullptr) return {};
  Player by_block(*bank, false);
  play_song(by_block);
  Player by_voice(*bank, true);
  play_song(by_voice);
  const Scored blocks = by_block.finish();
  Scored runs = by_voice.finish();

  EXPECT_EQ(blocks.windows.size(), runs.windows.size());
  for (std::size_t w = 0; w < std::min(blocks.windows.size(), runs.windows.size()); ++w) {
    expect_same_score(blocks.windows[w], runs.windows[w], w);
  }
  EXPECT_EQ(blocks.statistics.voice_blocks, runs.statistics.voice_blocks);
  EXPECT_EQ(blocks.statistics.muted_voice_blocks, runs.statistics.muted_voice_blocks);
  EXPECT_EQ(blocks.statistics.coarse_voice_blocks, runs.statistics.coarse_voice_blocks);
  return runs;
}

// Blocks that a voice ends with part of its frames, at its sample's end.
int partial_blocks(const Scored& scored) {
  int count = 0;
  for (const WindowScore& score : scored.windows) {
    for (std::size_t v = 0; v < score.voices.size(); ++v) {
      for (std::uint32_t k = 0; k < score.voices[v].block_count; ++k) {
        const int frames = score.controls[v][k].oscillator.frames;
        count += frames > 0 && frames < kernels::kBlockFrames ? 1 : 0;
      }
    }
  }
  return count;
}

// Entries of voices that sounded before, were muted and sound again: a new entry, from fresh
// filter memory, of a voice already seen.
int woken_entries(const Scored& scored) {
  std::set<std::uint64_t> seen;
  int count = 0;
  for (const WindowScore& score : scored.windows) {
    for (const auto& voice : score.voices) {
      count += voice.starts_here && seen.contains(voice.voice_id) ? 1 : 0;
      seen.insert(voice.voice_id);
    }
  }
  return count;
}

TEST(StepBlocks, VoiceAfterVoiceScoresAsBlockAfterBlockWithReleases) {
  // A looped sine whose releases fall 96 dB in a quarter second: voices mute, then finish by
  // their envelope, inside runs.
  const Scored runs =
      expect_runs_score_as_blocks(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
        zone.gen(Generator::releaseVolEnv, -2400)
            .gen(Generator::initialFilterQ, 120)
            .gen(Generator::initialFilterFc, 8000)
            .gen(Generator::modLfoToFilterFc, 600)
            .gen(Generator::freqModLFO, 0);
      }));
  // The song reaches what it is meant to: stealing, muting, waking and coarse voices.
  EXPECT_GT(runs.statistics.voices_stolen, 0u);
  EXPECT_GT(woken_entries(runs), 0);
  EXPECT_GT(runs.statistics.muted_voice_blocks, 0u);
  EXPECT_GT(runs.statistics.coarse_voice_blocks, 0u);
}

TEST(StepBlocks, VoiceAfterVoiceScoresAsBlockAfterBlockWithSampleEnds) {
  // Unlooped: 2,000 points last 31 blocks at the root key, fewer above it; voices finish at the
  // sample's end, inside runs.
  const Scored runs =
      expect_runs_score_as_blocks(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
        zone.gen(Generator::sampleModes, 0).gen(Generator::releaseVolEnv, -2400);
      }));
  EXPECT_GE(partial_blocks(runs), 6);
}

TEST(StepBlocks, TheTailEndsWithTheBlockInWhichTheLastVoiceFinishes) {
  const auto bank = prepare_bank(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
    zone.gen(Generator::sampleModes, 0);
  }));
  ASSERT_NE(bank, nullptr);
  Synthesizer synth(*bank, {});
  synth.begin_window(0);
  synth.note_on(0, 60, 100);
  // 2,000 points at one point per frame: the voice plays 31 whole blocks and ends in the 32nd.
  EXPECT_EQ(synth.step_blocks(64, true), 32u);
  EXPECT_EQ(synth.active_voices(), 0);
  EXPECT_EQ(synth.frames_elapsed(), 32 * kBlock);
  WindowScore score;
  synth.finish_window(score);
  EXPECT_EQ(score.block_count, 32u);
  ASSERT_EQ(score.voices.size(), 1u);
  EXPECT_TRUE(score.voices[0].ends_here);
  EXPECT_EQ(score.voices[0].block_count, 32u);
  // Outside the tail, blocks after the last voice are the song's and count.
  synth.begin_window(synth.frames_elapsed());
  synth.note_on(0, 60, 100);
  EXPECT_EQ(synth.step_blocks(40, false), 40u);
  EXPECT_EQ(synth.frames_elapsed(), 72 * kBlock);
}

}  // namespace
}  // namespace tutti::test
