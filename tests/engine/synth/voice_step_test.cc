// Voice::step on its own, block by block: what the control-rate model hands the kernels.
// Two contracts the synthesizer and the renderer rely on: a block that renders nothing is a
// complete default control (the caller may pass uninitialised memory), and an unlooped voice
// plays every point up to its sample's end and not one past it, in whole blocks until the
// last (the count is found without dividing while the end is more than a block away).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "engine/synth/voice.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::synth::BlockOutcome;
using engine::synth::ChannelState;
using engine::synth::Voice;
using engine::synth::VoiceBlockControl;
using engine::synth::VoiceEnvironment;
using engine::sf2::Generator;
using engine::sf2::index_of;

// One voice of a one-sample bank on a channel at full volume, driven directly.
class VoiceRig {
 public:
  VoiceRig(const std::vector<float>& points, const SampleOptions& options,
           kernels::Interpolation interpolation = kernels::Interpolation::cubic)
      : bank_(prepare_bank(single_zone_bank(points, options))) {
    environment_.data = bank_->sample_data();
    environment_.interpolation = interpolation;
    channel_.controllers[engine::synth::kVolume] = 127;
    channel_.controllers[engine::synth::kExpression] = 127;
    channel_.controllers[engine::synth::kPan] = 64;
  }

  // Starts the voice on `key`; `generators` sets zone generators as (generator, value) pairs.
  Voice& start(int key, std::vector<std::pair<Generator, double>> generators) {
    voice_.begin(environment_, bank_->sample(0), 0, channel_, key, 100, 1, 0, {});
    for (const auto& [generator, value] : generators) voice_.set_generator(index_of(generator), value);
    voice_.start();
    return voice_;
  }

 private:
  std::shared_ptr<const engine::synth::PreparedBank> bank_;
  VoiceEnvironment environment_;
  ChannelState channel_;
  Voice voice_;
};

bool is_default(const VoiceBlockControl& c) {
  const VoiceBlockControl d{};
  const auto same_coefficients = [](const kernels::BiquadCoefficients& a, const kernels::BiquadCoefficients& b) {
    return a.b02 == b.b02 && a.b1 == b.b1 && a.a1 == b.a1 && a.a2 == b.a2;
  };
  return c.oscillator.phase == d.oscillator.phase && c.oscillator.increment == d.oscillator.increment &&
         c.oscillator.gain == d.oscillator.gain && c.oscillator.gain_step == d.oscillator.gain_step &&
         c.oscillator.frames == 0 && c.oscillator.looping == d.oscillator.looping &&
         c.oscillator.has_looped == d.oscillator.has_looped &&
         same_coefficients(c.filter.start, d.filter.start) && same_coefficients(c.filter.step, d.filter.step) &&
         c.filter.ramp_frames == d.filter.ramp_frames &&
         c.filter.compensate_history == d.filter.compensate_history && c.filter.enabled == d.filter.enabled &&
         c.pan.left_from == d.pan.left_from && c.pan.left_to == d.pan.left_to &&
         c.pan.right_from == d.pan.right_from && c.pan.right_to == d.pan.right_to &&
         c.region == d.region && c.interpolation == d.interpolation;
}

// A control full of garbage, as uninitialised memory may be.
VoiceBlockControl garbage_control() {
  VoiceBlockControl control;
  std::memset(static_cast<void*>(&control), 0xA5, sizeof control);
  return control;
}

TEST(VoiceStep, SilentBlocksAreCompleteDefaultControls) {
  VoiceRig rig(sine_points(), looped(60, 20 * kSinePeriod));
  // A 0.5 s delay (-1200 timecents): the first blocks are silent.
  Voice& voice = rig.start(60, {{Generator::delayVolEnv, -1200.0}});
  VoiceBlockControl control = garbage_control();
  ASSERT_EQ(voice.step(control), BlockOutcome::silent);
  EXPECT_TRUE(is_default(control));
}

TEST(VoiceStep, FinishedBlocksAreCompleteDefaultControls) {
  VoiceRig rig(sine_points(), looped(60, 20 * kSinePeriod));
  Voice& voice = rig.start(60, {});
  VoiceBlockControl control = garbage_control();
  ASSERT_EQ(voice.step(control), BlockOutcome::sounding);
  EXPECT_GT(control.oscillator.frames, 0);
  voice.turn_off();
  control = garbage_control();
  ASSERT_EQ(voice.step(control), BlockOutcome::finished);
  EXPECT_TRUE(is_default(control));
}

// Steps an unlooped voice to its end; checks every block but the last is whole and returns
// the frames played and the first block's control.
struct PlayedToEnd {
  std::int64_t frames = 0;
  VoiceBlockControl first;
};
PlayedToEnd play_to_end(Voice& voice) {
  PlayedToEnd played;
  for (int block = 0; block < 100000; ++block) {
    VoiceBlockControl control = garbage_control();
    const BlockOutcome outcome = voice.step(control);
    if (block == 0) played.first = control;
    played.frames += control.oscillator.frames;
    if (outcome == BlockOutcome::finished) {
      EXPECT_LT(control.oscillator.frames, kBlock) << "block " << block;
      return played;
    }
    EXPECT_EQ(outcome, BlockOutcome::sounding) << "block " << block;
    EXPECT_EQ(control.oscillator.frames, kBlock) << "block " << block;
  }
  ADD_FAILURE() << "the voice never reached its sample's end";
  return played;
}

// The frames from `start` that read points up to `end`: frame k reads start + k * increment,
// rounded to the nearest point without interpolation and truncated with it.
std::int64_t frames_before_end(kernels::Phase start, kernels::Phase increment, std::uint32_t end,
                               kernels::Interpolation interpolation) {
  const kernels::Phase half = interpolation == kernels::Interpolation::none ? kernels::Phase{1} << 31 : 0;
  const kernels::Phase limit = kernels::phase_from_index(end + 1);
  std::int64_t frames = 0;
  for (kernels::Phase at = start + half; at < limit; at += increment) ++frames;
  return frames;
}

TEST(VoiceStep, UnloopedVoicePlaysEveryPointUpToTheSampleEnd) {
  const std::vector<float> points = sine_points(37);  // 3700 points, unlooped
  for (const auto interpolation : {kernels::Interpolation::cubic, kernels::Interpolation::none}) {
    for (int key : {60, 67, 48, 83}) {  // ratios 1, 1.498..., 0.5, 3.78...
      SampleOptions options;
      options.root_key = 60;
      VoiceRig rig(points, options, interpolation);
      Voice& voice = rig.start(key, {{Generator::sampleModes, 0.0}});
      const PlayedToEnd played = play_to_end(voice);
      const kernels::OscillatorBlock& first = played.first.oscillator;
      ASSERT_GT(first.increment, 0u);
      EXPECT_EQ(played.frames,
                frames_before_end(first.phase, first.increment, played.first.region.end, interpolation))
          << "key " << key << ", interpolation " << static_cast<int>(interpolation);
    }
  }
}

}  // namespace
}  // namespace tutti::test
