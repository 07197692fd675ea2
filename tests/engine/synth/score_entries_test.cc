// The window score's voice entries as the synthesizer writes them: a voice's entry says
// starts_here only in the window of its first block (the renderer clears the slot's filter
// memory for it), including a voice that takes a slot in the middle of a window, after the
// slot's previous voice finished or was stolen there.
#include <gtest/gtest.h>

#include <cstdint>

#include "engine/synth/synthesizer.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::synth::Synthesizer;
using engine::synth::WindowScore;

class ScoreEntries : public ::testing::Test {
 protected:
  ScoreEntries() : bank_(prepare_bank(single_zone_bank(sine_points(), looped(60, 2000)))) {}

  // One voice at most, so a second note steals the first one's slot.
  Synthesizer make_synthesizer() {
    engine::synth::SynthSettings settings;
    settings.polyphony = 1;
    return Synthesizer(*bank_, settings);
  }

  // Steps `blocks` blocks into the window that begins at the synthesizer's current frame.
  static void step(Synthesizer& synth, int blocks) {
    for (int b = 0; b < blocks; ++b) synth.step_block();
  }

  // A first window of two blocks in which key 60 starts.
  static void first_window_with_a_note(Synthesizer& synth, WindowScore& score) {
    synth.begin_window(0);
    synth.note_on(0, 60, 100);
    step(synth, 2);
    synth.finish_window(score);
  }

  // A window of `blocks` blocks with no event in it.
  static void plain_window(Synthesizer& synth, WindowScore& score, int blocks) {
    synth.begin_window(synth.frames_elapsed());
    step(synth, blocks);
    synth.finish_window(score);
  }

  std::shared_ptr<const engine::synth::PreparedBank> bank_;
};

TEST_F(ScoreEntries, AVoiceStartsHereOnlyInItsFirstWindow) {
  Synthesizer synth = make_synthesizer();
  WindowScore score;
  synth.begin_window(0);
  synth.note_on(0, 60, 100);
  step(synth, 4);
  synth.finish_window(score);
  ASSERT_EQ(score.voices.size(), 1u);
  EXPECT_TRUE(score.voices[0].starts_here);
  EXPECT_FALSE(score.voices[0].ends_here);
  EXPECT_EQ(score.voices[0].block_count, 4u);

  for (int window = 0; window < 2; ++window) {
    plain_window(synth, score, 3);
    ASSERT_EQ(score.voices.size(), 1u);
    EXPECT_FALSE(score.voices[0].starts_here) << "window " << window + 1;
    EXPECT_EQ(score.voices[0].block_count, 3u);
  }
}

TEST_F(ScoreEntries, AVoiceStealingASlotMidWindowStartsHere) {
  Synthesizer synth = make_synthesizer();
  WindowScore score;
  first_window_with_a_note(synth, score);

  synth.begin_window(synth.frames_elapsed());
  step(synth, 2);
  synth.note_on(0, 64, 100);  // polyphony 1: takes the first note's slot
  step(synth, 2);
  synth.finish_window(score);
  ASSERT_EQ(score.voices.size(), 2u);
  EXPECT_EQ(score.voices[0].slot, score.voices[1].slot);
  EXPECT_FALSE(score.voices[0].starts_here);
  EXPECT_TRUE(score.voices[0].ends_here);
  EXPECT_TRUE(score.voices[1].starts_here);
  EXPECT_EQ(score.voices[1].first_block, 2u);

  plain_window(synth, score, 2);
  ASSERT_EQ(score.voices.size(), 1u);
  EXPECT_FALSE(score.voices[0].starts_here);
}

TEST_F(ScoreEntries, AVoiceTakingAFinishedVoicesSlotMidWindowStartsHere) {
  Synthesizer synth = make_synthesizer();
  WindowScore score;
  first_window_with_a_note(synth, score);

  synth.begin_window(synth.frames_elapsed());
  step(synth, 1);
  synth.control_change(0, engine::synth::kAllSoundOff, 0);
  step(synth, 1);  // the voice finishes in this block
  EXPECT_EQ(synth.active_voices(), 0);
  synth.note_on(0, 64, 100);
  step(synth, 2);
  synth.finish_window(score);
  ASSERT_EQ(score.voices.size(), 2u);
  EXPECT_EQ(score.voices[0].slot, score.voices[1].slot);
  EXPECT_FALSE(score.voices[0].starts_here);
  EXPECT_TRUE(score.voices[0].ends_here);
  EXPECT_TRUE(score.voices[1].starts_here);
  EXPECT_FALSE(score.voices[1].ends_here);
}

}  // namespace
}  // namespace tutti::test
