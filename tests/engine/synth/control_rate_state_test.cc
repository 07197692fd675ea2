// The control-rate state that voices keep from block to block to avoid recomputing: the
// filter design reuses the coefficients in effect while the whole cents of its input repeat,
// the envelope keeps a copy of the current stage's segment apart from its shape, and the
// attenuation table is read without branches. All must behave exactly as recomputing would,
// including after a parameter change in the middle of a note.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/synth/conversions.h"
#include "engine/synth/envelope.h"
#include "engine/synth/filter_design_cache.h"
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
  filter.next_block(0.0, kRate, nullptr, block);
  filter.next_block(0.0, kRate, nullptr, block);
  return filter;
}

TEST(LowpassFilterDesignState, RepeatedInputKeepsTheDesignUnramped) {
  LowpassFilterDesign filter = resonant_filter(8000.0);
  kernels::FilterBlock first, again;
  filter.next_block(0.0, kRate, nullptr, first);
  filter.next_block(0.0, kRate, nullptr, again);
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
  filter.next_block(0.0, kRate, nullptr, block);
  filter.next_block(-1200.0, kRate, nullptr, moved);  // an octave down
  EXPECT_EQ(moved.ramp_frames, kernels::kBlockFrames);
  EXPECT_TRUE(same_coefficients(moved.start, block.start));
  EXPECT_NE(moved.step.b02, 0.0f);
  filter.next_block(-1200.0, kRate, nullptr, settled);
  EXPECT_EQ(settled.ramp_frames, 0);
  EXPECT_FALSE(same_coefficients(settled.start, block.start));
}

TEST(LowpassFilterDesignState, QChangeBetweenEqualInputsRedesigns) {
  kernels::FilterBlock block, after_q;
  LowpassFilterDesign filter = settled_filter(block);
  filter.set_q_centibels(200.0);
  filter.next_block(0.0, kRate, nullptr, after_q);  // same input, new resonance: not the kept design
  EXPECT_EQ(after_q.ramp_frames, kernels::kBlockFrames);
  EXPECT_NE(after_q.step.b02, 0.0f);
}

TEST(LowpassFilterDesignState, CutoffChangeOffsetByModulationStillRedesigns) {
  // The total cutoff is unchanged, but the parameter changed: FluidSynth redesigns (to the
  // same coefficients), which the kept design must not skip.
  kernels::FilterBlock block, after;
  LowpassFilterDesign filter = settled_filter(block);
  filter.set_cutoff_cents(7000.0);
  filter.next_block(1000.0, kRate, nullptr, after);
  EXPECT_EQ(after.ramp_frames, kernels::kBlockFrames);
  EXPECT_TRUE(same_coefficients(after.start, block.start));
}

bool same_block(const kernels::FilterBlock& a, const kernels::FilterBlock& b) {
  return same_coefficients(a.start, b.start) && same_coefficients(a.step, b.step) &&
         a.ramp_frames == b.ramp_frames && a.compensate_history == b.compensate_history &&
         a.enabled == b.enabled;
}

TEST(LowpassFilterDesignState, ModulationWithinAWholeCentKeepsTheDesign) {
  // The cutoff in Hz is read at whole cents, so a modulation envelope moving the cutoff by
  // fractions of a cent (a slow decay) leaves the filter exactly as an unmodulated one.
  kernels::FilterBlock block;
  LowpassFilterDesign moving = settled_filter(block);
  LowpassFilterDesign still = settled_filter(block);
  for (double fraction : {0.25, 0.5, 0.999, 0.0, 0.75}) {
    kernels::FilterBlock moved, kept;
    moving.next_block(fraction, kRate, nullptr, moved);
    still.next_block(0.0, kRate, nullptr, kept);
    EXPECT_TRUE(same_block(moved, kept)) << fraction;
    EXPECT_EQ(moved.ramp_frames, 0) << fraction;
  }
}

TEST(LowpassFilterDesignState, CrossingToTheNextWholeCentRedesigns) {
  // 8000 cents is about 2.5 kHz, where one cent is 1.5 Hz, far above the 0.01 Hz a redesign
  // needs: the next whole cent ramps to a new design, as recomputing every block would.
  kernels::FilterBlock block, near, crossed;
  LowpassFilterDesign filter = settled_filter(block);
  filter.next_block(0.9, kRate, nullptr, near);
  filter.next_block(1.0, kRate, nullptr, crossed);
  EXPECT_EQ(near.ramp_frames, 0);
  EXPECT_EQ(crossed.ramp_frames, kernels::kBlockFrames);
  EXPECT_NE(crossed.step.b02, 0.0f);
  // The same as a fresh filter's design at 8001 cents once both have settled.
  kernels::FilterBlock fresh_block, settled;
  LowpassFilterDesign fresh = resonant_filter(8001.0);
  fresh.next_block(0.0, kRate, nullptr, fresh_block);
  filter.next_block(1.0, kRate, nullptr, settled);
  EXPECT_TRUE(same_coefficients(settled.start, fresh_block.start));
}

TEST(LowpassFilterDesignState, CutoffsBeyondTheLimitsShareTheLimitDesign) {
  // Totals above 13500 cents (or below 1500) are limited before the whole cents are taken, so
  // any of them keeps the limit's design without ramping.
  kernels::FilterBlock block, first, higher;
  LowpassFilterDesign filter = resonant_filter(13500.0);
  filter.next_block(0.0, kRate, nullptr, block);
  filter.next_block(800.0, kRate, nullptr, first);
  filter.next_block(2400.0, kRate, nullptr, higher);
  EXPECT_TRUE(same_block(first, higher));
  EXPECT_EQ(higher.ramp_frames, 0);
  EXPECT_TRUE(same_coefficients(higher.start, block.start));
}

TEST(FilterDesignCache, RemembersADesignByItsInputsAndRecomputesForOthers) {
  FilterDesignCacheOf<0> cache;  // one slot: every input meets the last one's
  int designed = 0;
  const auto design = [&](double b1) {
    return [&designed, b1] {
      ++designed;
      return LowpassCoefficients{b1 / 2.0, b1, -1.5, 0.5};
    };
  };
  EXPECT_EQ(cache.get(1000.0, kRate, 0.7, design(0.25)).b1, 0.25);
  EXPECT_EQ(cache.get(1000.0, kRate, 0.7, design(0.5)).b1, 0.25);  // remembered: not designed again
  EXPECT_EQ(designed, 1);
  // Any input that differs, by a bit, is another design.
  EXPECT_EQ(cache.get(std::nextafter(1000.0, 2000.0), kRate, 0.7, design(0.5)).b1, 0.5);
  EXPECT_EQ(cache.get(1000.0, 48000.0, 0.7, design(0.75)).b1, 0.75);
  EXPECT_EQ(cache.get(1000.0, kRate, 0.8, design(1.0)).b1, 1.0);
  EXPECT_EQ(cache.get(1000.0, kRate, 0.8, design(2.0)).b1, 1.0);
  EXPECT_EQ(designed, 4);
}

TEST(FilterDesignCache, ManyMoreInputsThanSlotsStillGiveEachItsOwnDesign) {
  // Inputs that share a slot evict one another: each lookup still returns its own inputs'
  // design, whatever the cache holds.
  FilterDesignCache cache;
  for (int pass = 0; pass < 2; ++pass) {
    for (int cents = 1500; cents < 13500; cents += 3) {
      const double hz = cents_to_hz(cents);
      const LowpassCoefficients got = cache.get(hz, kRate, 0.7, [hz] { return LowpassCoefficients{hz, 0, 0, 0}; });
      ASSERT_EQ(got.b02, hz) << cents << " pass " << pass;
    }
  }
}

TEST(LowpassFilterDesignState, RememberedDesignsGiveTheFreshBlocksBitForBit) {
  // A swept cutoff designs anew every block; a second voice sweeping the same cents finds every
  // design remembered. Each block, ramps and history compensation included, is the one a filter
  // designing everything afresh writes.
  FilterDesignCache cache;
  for (int voice = 0; voice < 2; ++voice) {
    LowpassFilterDesign cached = resonant_filter(7000.0);
    LowpassFilterDesign fresh = resonant_filter(7000.0);
    for (int block = 0; block < 200; ++block) {
      const double modulation = 3000.0 * std::sin(block * 0.05) - 20.0 * block;
      kernels::FilterBlock with_cache, without;
      cached.next_block(modulation, kRate, &cache, with_cache);
      fresh.next_block(modulation, kRate, nullptr, without);
      ASSERT_TRUE(same_block(with_cache, without)) << "voice " << voice << " block " << block;
    }
  }
}

TEST(LowpassFilterDesignState, WithoutQTheFilterIsOffWhateverTheInput) {
  LowpassFilterDesign filter;
  filter.reset();
  kernels::FilterBlock block;
  filter.next_block(0.0, kRate, nullptr, block);
  EXPECT_FALSE(block.enabled);
  filter.next_block(0.0, kRate, nullptr, block);
  EXPECT_FALSE(block.enabled);
  filter.set_q_centibels(0.0);
  filter.next_block(0.0, kRate, nullptr, block);
  EXPECT_TRUE(block.enabled);
}

// An envelope's per-block state with its shape, as a voice keeps them (apart).
struct ShapedEnvelope {
  EnvelopeShape shape;
  Envelope envelope;
  void set_segment(EnvelopeStage stage, const EnvelopeSegment& segment) {
    envelope.set_segment(shape, stage, segment);
  }
  void advance() { envelope.advance(shape); }
  void enter(EnvelopeStage stage) { envelope.enter(shape, stage); }
  void set_value(double value) { envelope.set_value(value); }
  EnvelopeStage stage() const { return envelope.stage(); }
  double value() const { return envelope.value(); }
};

ShapedEnvelope rising_envelope() {
  ShapedEnvelope envelope;
  envelope.set_segment(EnvelopeStage::delay, {0, 0.0, 0.0, -1.0, 1.0});
  envelope.set_segment(EnvelopeStage::attack, {10, 1.0, 0.125, -1.0, 1.0});
  envelope.set_segment(EnvelopeStage::hold, {0, 1.0, 0.0, -1.0, 2.0});
  envelope.set_segment(EnvelopeStage::decay, {2, 1.0, -0.25, 0.5, 2.0});
  envelope.set_segment(EnvelopeStage::release, {4, 1.0, -0.25, 0.0, 1.0});
  envelope.envelope.reset(envelope.shape);
  return envelope;
}

TEST(AttenuationConversion, EveryRangeReadsItsGainWithoutBranches) {
  // The branch-free read clamps its index into a table whose last entry is 0: the results
  // must be those of the definition (1 up to 0 cB, 10^(-cB/200) at whole centibels, 0 from
  // 1441 cB on).
  EXPECT_EQ(centibels_to_gain(-250.0), 1.0);
  EXPECT_EQ(centibels_to_gain(-0.0), 1.0);
  EXPECT_EQ(centibels_to_gain(0.0), 1.0);
  EXPECT_EQ(centibels_to_gain(0.75), 1.0);
  EXPECT_NEAR(centibels_to_gain(200.0), 0.1, 1e-15);
  EXPECT_EQ(centibels_to_gain(200.9), centibels_to_gain(200.0));
  EXPECT_NEAR(centibels_to_gain(1440.5), std::pow(10.0, -1440.0 / 200.0), 1e-20);
  EXPECT_GT(centibels_to_gain(1440.5), 0.0);
  EXPECT_EQ(centibels_to_gain(1441.0), 0.0);
  EXPECT_EQ(centibels_to_gain(5000.0), 0.0);
  EXPECT_EQ(centibels_to_gain(1e300), 0.0);
  EXPECT_EQ(centibels_to_gain(std::numeric_limits<double>::infinity()), 0.0);
  // A NaN reads inside the table (entry 0) rather than anywhere.
  EXPECT_EQ(centibels_to_gain(std::numeric_limits<double>::quiet_NaN()), 1.0);
}

TEST(EnvelopeState, ChangingTheStageInProgressTakesEffectAtTheNextBlock) {
  ShapedEnvelope envelope = rising_envelope();
  envelope.advance();
  envelope.advance();
  ASSERT_EQ(envelope.stage(), EnvelopeStage::attack);
  ASSERT_EQ(envelope.value(), 0.25);
  envelope.set_segment(EnvelopeStage::attack, {10, 1.0, 0.5, -1.0, 1.0});
  envelope.advance();
  EXPECT_EQ(envelope.value(), 0.75);
}

TEST(EnvelopeState, ChangingAnotherStageAppliesWhenThatStageIsEntered) {
  ShapedEnvelope envelope = rising_envelope();
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
  ShapedEnvelope envelope = rising_envelope();
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
