// The control-rate state that voices keep from block to block to avoid recomputing: the
// filter design reuses the coefficients in effect while its input repeats, and the envelope
// keeps a copy of the current stage's segment. Both must behave exactly as recomputing would,
// including after a parameter change in the middle of a note.
#include <gtest/gtest.h>

#include "engine/synth/envelope.h"
#include "engine/synth/lowpass_filter.h"

namespace tutti::engine::synth {
namespace {

constexpr double kRate = 44100.0;

bool same_coefficients(const kernels::BiquadCoefficients& a, const kernels::BiquadCoefficients& b) {
  return a.b02 == b.b02 && a.b1 == b.b1 && a.a1 == b.a1 && a.a2 == b.a2;
}

LowpassFilterDesign resonant_filter(double cutoff_cents) {
  LowpassFilterDesign filter;
  filter.reset();
  filter.set_cutoff_cents(cutoff_cents);
  filter.set_q_centibels(100.0);
  return filter;
}

// A filter past its first two blocks at 8000 cents, no modulation: its design is the kept one.
LowpassFilterDesign settled_filter(kernels::FilterBlock& block) {
  LowpassFilterDesign filter = resonant_filter(8000.0);
  filter.next_block(0.0, kRate, block);
  filter.next_block(0.0, kRate, block);
  return filter;
}

TEST(LowpassFilterDesignState, RepeatedInputKeepsTheDesignUnramped) {
  LowpassFilterDesign filter = resonant_filter(8000.0);
  kernels::FilterBlock first, again;
  filter.next_block(0.0, kRate, first);
  filter.next_block(0.0, kRate, again);
  EXPECT_TRUE(first.enabled);
  EXPECT_EQ(first.ramp_frames, 0);  // a new voice's first design applies at once
  EXPECT_TRUE(again.enabled);
  EXPECT_EQ(again.ramp_frames, 0);
  EXPECT_FALSE(again.compensate_history);
  EXPECT_TRUE(same_coefficients(first.start, again.start));
}

TEST(LowpassFilterDesignState, ModulatedCutoffRampsToTheNewDesign) {
  LowpassFilterDesign filter = resonant_filter(8000.0);
  kernels::FilterBlock block, moved, settled;
  filter.next_block(0.0, kRate, block);
  filter.next_block(-1200.0, kRate, moved);  // an octave down
  EXPECT_EQ(moved.ramp_frames, kernels::kBlockFrames);
  EXPECT_TRUE(same_coefficients(moved.start, block.start));
  EXPECT_NE(moved.step.b02, 0.0f);
  filter.next_block(-1200.0, kRate, settled);
  EXPECT_EQ(settled.ramp_frames, 0);
  EXPECT_FALSE(same_coefficients(settled.start, block.start));
}

TEST(LowpassFilterDesignState, QChangeBetweenEqualInputsRedesigns) {
  kernels::FilterBlock block, after_q;
  LowpassFilterDesign filter = settled_filter(block);
  filter.set_q_centibels(200.0);
  filter.next_block(0.0, kRate, after_q);  // same input, new resonance: not the kept design
  EXPECT_EQ(after_q.ramp_frames, kernels::kBlockFrames);
  EXPECT_NE(after_q.step.b02, 0.0f);
}

TEST(LowpassFilterDesignState, CutoffChangeOffsetByModulationStillRedesigns) {
  // The total cutoff is unchanged, but the parameter changed: FluidSynth redesigns (to the
  // same coefficients), which the kept design must not skip.
  kernels::FilterBlock block, after;
  LowpassFilterDesign filter = settled_filter(block);
  filter.set_cutoff_cents(7000.0);
  filter.next_block(1000.0, kRate, after);
  EXPECT_EQ(after.ramp_frames, kernels::kBlockFrames);
  EXPECT_TRUE(same_coefficients(after.start, block.start));
}

TEST(LowpassFilterDesignState, WithoutQTheFilterIsOffWhateverTheInput) {
  LowpassFilterDesign filter;
  filter.reset();
  kernels::FilterBlock block;
  filter.next_block(0.0, kRate, block);
  EXPECT_FALSE(block.enabled);
  filter.next_block(0.0, kRate, block);
  EXPECT_FALSE(block.enabled);
  filter.set_q_centibels(0.0);
  filter.next_block(0.0, kRate, block);
  EXPECT_TRUE(block.enabled);
}

Envelope rising_envelope() {
  Envelope envelope;
  envelope.set_segment(EnvelopeStage::delay, {0, 0.0, 0.0, -1.0, 1.0});
  envelope.set_segment(EnvelopeStage::attack, {10, 1.0, 0.125, -1.0, 1.0});
  envelope.set_segment(EnvelopeStage::hold, {0, 1.0, 0.0, -1.0, 2.0});
  envelope.set_segment(EnvelopeStage::decay, {2, 1.0, -0.25, 0.5, 2.0});
  envelope.set_segment(EnvelopeStage::release, {4, 1.0, -0.25, 0.0, 1.0});
  envelope.reset();
  return envelope;
}

TEST(EnvelopeState, ChangingTheStageInProgressTakesEffectAtTheNextBlock) {
  Envelope envelope = rising_envelope();
  envelope.advance();
  envelope.advance();
  ASSERT_EQ(envelope.stage(), EnvelopeStage::attack);
  ASSERT_EQ(envelope.value(), 0.25);
  envelope.set_segment(EnvelopeStage::attack, {10, 1.0, 0.5, -1.0, 1.0});
  envelope.advance();
  EXPECT_EQ(envelope.value(), 0.75);
}

TEST(EnvelopeState, ChangingAnotherStageAppliesWhenThatStageIsEntered) {
  Envelope envelope = rising_envelope();
  envelope.advance();
  envelope.set_segment(EnvelopeStage::release, {2, 1.0, -0.5, 0.0, 1.0});
  envelope.advance();
  EXPECT_EQ(envelope.value(), 0.25);  // still the attack's step
  envelope.set_value(1.0);
  envelope.enter(EnvelopeStage::release);
  envelope.advance();
  EXPECT_EQ(envelope.stage(), EnvelopeStage::release);
  EXPECT_EQ(envelope.value(), 0.5);  // the changed release's step, not the original's 0.25
  envelope.advance();
  EXPECT_EQ(envelope.value(), 0.0);
  envelope.advance();  // two blocks: over by count
  EXPECT_EQ(envelope.stage(), EnvelopeStage::finished);
}

TEST(EnvelopeState, StagesFollowInOrderToTheSustainLevel) {
  Envelope envelope = rising_envelope();
  const struct {
    EnvelopeStage stage;
    double value;
  } expected[] = {
      {EnvelopeStage::attack, 0.125}, {EnvelopeStage::attack, 0.25},  {EnvelopeStage::attack, 0.375},
      {EnvelopeStage::attack, 0.5},   {EnvelopeStage::attack, 0.625}, {EnvelopeStage::attack, 0.75},
      {EnvelopeStage::attack, 0.875}, {EnvelopeStage::attack, 1.0},
      {EnvelopeStage::hold, 1.0},      // over the top: clamped, the attack ends by range
      {EnvelopeStage::decay, 0.75},    // a hold of no blocks is skipped
      {EnvelopeStage::decay, 0.5},     // at the sustain level, not below it: still decaying
      {EnvelopeStage::sustain, 0.5},   // decay over by count, on the sustain level
      {EnvelopeStage::sustain, 0.5},
  };
  for (const auto& step : expected) {
    envelope.advance();
    EXPECT_EQ(envelope.stage(), step.stage);
    EXPECT_EQ(envelope.value(), step.value);
  }
}

}  // namespace
}  // namespace tutti::engine::synth
