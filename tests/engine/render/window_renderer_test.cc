// The window renderer's plumbing against a plain reference: every voice of every block rendered
// one at a time by the scalar twins (oscillator, biquad with its memory carried by hand, pan
// mix), added to its group's bus in score order, the buses summed in group order. The renderer
// keeps each group's filter lanes from block to block (coefficients reloaded only when a voice's
// filter block changes, memory held in the lanes and handed to and from the score entries as
// voices take and leave lanes); none of that may change a bit.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "engine/render/window_renderer.h"
#include "kernels/biquad.h"
#include "kernels/kernel_set.h"
#include "kernels/oscillator.h"
#include "kernels/stereo_mix.h"

namespace tutti::engine::render {
namespace {

using kernels::kBlockFrames;

constexpr std::uint32_t kBlocks = 24;
constexpr std::uint32_t kPoints = 1u << 16;

kernels::BiquadCoefficients low_pass(std::mt19937& random) {
  std::uniform_real_distribution<float> pole(0.1f, 0.9f);
  const float r = pole(random);
  const float a1 = -2.0f * r * 0.9f;
  const float a2 = r * r;
  const float b02 = (1.0f + a1 + a2) / 4.0f;
  return {b02, 2.0f * b02, a1, a2};
}

// A voice's scored blocks: a settled filter repeated block after block, now and then a cutoff
// move (a ramp, sometimes with memory compensation, then a new settled filter), some voices
// passing through, a few silent blocks, and a partial last block for voices that end.
struct VoicePlan {
  synth::ScoredVoice voice;
  synth::ControlList controls;
};

VoicePlan plan_voice(std::mt19937& random, std::uint32_t slot, std::uint32_t first_block, std::uint32_t blocks,
                     bool starts_here, bool ends_here, const kernels::SampleData& data) {
  VoicePlan plan;
  plan.voice.voice_id = slot;
  plan.voice.slot = slot;
  plan.voice.starts_here = starts_here;
  plan.voice.ends_here = ends_here;
  plan.voice.data = data;
  plan.voice.interpolation = kernels::Interpolation::cubic;
  plan.voice.first_block = first_block;
  plan.voice.block_count = blocks;
  std::uniform_int_distribution<std::uint32_t> start_point(8, kPoints / 2);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  kernels::Phase phase = kernels::phase_from_index(start_point(random));
  const kernels::Phase increment = (kernels::Phase{1} << 32) / 2 + (random() & 0xffffff);
  kernels::FilterBlock filter;
  filter.start = low_pass(random);
  filter.enabled = unit(random) > 0.2f;
  kernels::PanBlock pan{unit(random), 0.0f, unit(random), 0.0f};
  pan.left_to = pan.left_from;
  pan.right_to = pan.right_from;
  for (std::uint32_t i = 0; i < blocks; ++i) {
    synth::VoiceBlockControl control;
    control.region = {0, kPoints - 3, 0, kPoints - 3};
    control.oscillator.phase = phase;
    control.oscillator.increment = increment;
    control.oscillator.gain = unit(random);
    control.oscillator.gain_step = (unit(random) - 0.5f) / 256.0f;
    const bool last = i + 1 == blocks;
    control.oscillator.frames = ends_here && last ? 1 + static_cast<int>(random() % kBlockFrames) : kBlockFrames;
    if (i > 0 && unit(random) < 0.05f) control.oscillator.frames = 0;  // silent: nothing moves
    const float move = unit(random);
    if (move < 0.15f) {
      // A cutoff move this block, then the target held.
      const kernels::BiquadCoefficients target = low_pass(random);
      filter.ramp_frames = move < 0.05f ? kBlockFrames : 1 + static_cast<int>(random() % kBlockFrames);
      const float steps = static_cast<float>(filter.ramp_frames);
      filter.step = {(target.b02 - filter.start.b02) / steps, (target.b1 - filter.start.b1) / steps,
                     (target.a1 - filter.start.a1) / steps, (target.a2 - filter.start.a2) / steps};
      filter.compensate_history = unit(random) < 0.5f;
      control.filter = filter;
      filter = kernels::FilterBlock{target, {}, 0, false, filter.enabled};
    } else {
      control.filter = filter;
    }
    if (unit(random) < 0.1f) {  // a pan move
      pan.left_from = pan.left_to;
      pan.right_from = pan.right_to;
      pan.left_to = unit(random);
      pan.right_to = unit(random);
    } else {
      pan.left_from = pan.left_to;
      pan.right_from = pan.right_to;
    }
    control.pan = pan;
    plan.controls.push_back(control);
    phase += increment * static_cast<kernels::Phase>(control.oscillator.frames);
  }
  return plan;
}

// The reference: voice by voice, block by block, with the scalar twins.
class Reference {
 public:
  explicit Reference(std::uint32_t slots) : slot_memory_(slots) {}

  void render(const synth::WindowScore& score, std::vector<float>& left, std::vector<float>& right) {
    const std::size_t frames = static_cast<std::size_t>(score.block_count) * kBlockFrames;
    left.assign(frames, 0.0f);
    right.assign(frames, 0.0f);
    std::vector<kernels::BiquadState> memory(score.voices.size());
    for (std::size_t v = 0; v < score.voices.size(); ++v) {
      memory[v] = score.voices[v].starts_here ? kernels::BiquadState{} : slot_memory_[score.voices[v].slot];
    }
    for (std::size_t first = 0; first < score.voices.size(); first += kVoicesPerMixGroup) {
      const std::size_t last = std::min(score.voices.size(), first + kVoicesPerMixGroup);
      std::vector<float> bus_left(frames, 0.0f), bus_right(frames, 0.0f);
      for (std::uint32_t b = 0; b < score.block_count; ++b) {
        for (std::size_t v = first; v < last; ++v) {
          const synth::ScoredVoice& voice = score.voices[v];
          if (b < voice.first_block || b >= voice.first_block + voice.block_count) continue;
          const synth::VoiceBlockControl& control = score.control(v, b);
          const int n = control.oscillator.frames;
          if (n == 0) continue;
          float mono[kBlockFrames];
          kernels::scalar::render_oscillator(voice.data, control.region, voice.interpolation, control.oscillator,
                                             mono);
          kernels::BiquadState state = memory[v];
          kernels::scalar::apply_biquad(control.filter, state, mono, n);
          // A voice's memory goes on only through whole blocks.
          if (n == kBlockFrames) memory[v] = state;
          const std::size_t offset = static_cast<std::size_t>(b) * kBlockFrames;
          kernels::scalar::pan_mix(control.pan, mono, n, bus_left.data() + offset, bus_right.data() + offset);
        }
      }
      kernels::scalar::accumulate(bus_left.data(), static_cast<int>(frames), left.data());
      kernels::scalar::accumulate(bus_right.data(), static_cast<int>(frames), right.data());
    }
    for (std::size_t v = 0; v < score.voices.size(); ++v) {
      if (!score.voices[v].ends_here) slot_memory_[score.voices[v].slot] = memory[v];
    }
  }

 private:
  std::vector<kernels::BiquadState> slot_memory_;
};

void expect_same_bits(const std::vector<float>& expected, const std::vector<float>& actual, const char* what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  int differences = 0;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    if (std::memcmp(&expected[k], &actual[k], sizeof(float)) == 0) continue;
    if (++differences <= 5) ADD_FAILURE() << what << " frame " << k << ": reference " << expected[k] << " renderer " << actual[k];
  }
  EXPECT_EQ(differences, 0) << what;
}

// Two windows of `slots` voices (40: three groups, 12: one, whose bus becomes the output): in the
// first, voices start and end anywhere, so lanes pass from voice to voice inside a group; in the
// second, the voices that did not end go on from their slots' filter memory.
void check_against_reference(const kernels::KernelSet& kernels, std::uint32_t slots = 40) {
  std::mt19937 random(2026);
  std::vector<std::int16_t> words(kPoints);
  for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 60001) - 30000);
  const kernels::SampleData data{words.data(), nullptr};

  WindowRenderer renderer(kernels, slots);
  Reference reference(slots);
  std::vector<bool> continuing(slots, false);
  for (int window = 0; window < 2; ++window) {
    synth::WindowScore score;
    score.first_frame = static_cast<std::int64_t>(window) * kBlocks * kBlockFrames;
    score.block_count = kBlocks;
    for (std::uint32_t slot = 0; slot < slots; ++slot) {
      const bool goes_on = continuing[slot];
      const std::uint32_t first_block = goes_on ? 0 : static_cast<std::uint32_t>(random() % (kBlocks - 1));
      const bool ends_here = random() % 3 != 0;
      const std::uint32_t blocks = ends_here ? 1 + static_cast<std::uint32_t>(random() % (kBlocks - first_block))
                                             : kBlocks - first_block;
      VoicePlan plan = plan_voice(random, slot, first_block, blocks, !goes_on, ends_here, data);
      score.voices.push_back(plan.voice);
      score.controls.push_back(std::move(plan.controls));
      continuing[slot] = !ends_here;
    }
    std::vector<float> expected_left, expected_right;
    reference.render(score, expected_left, expected_right);
    StereoBus out;
    renderer.render(score, out);
    expect_same_bits(expected_left, out.left, "left");
    expect_same_bits(expected_right, out.right, "right");
  }
}

TEST(WindowRenderer, ScalarKernelsGiveTheVoiceByVoiceReferenceBits) {
  check_against_reference(*kernels::kernel_set(kernels::Backend::scalar));
}

TEST(WindowRenderer, OneGroupsWindowIsItsBusBitForBit) {
  check_against_reference(*kernels::kernel_set(kernels::Backend::scalar), 12);
  const kernels::KernelSet* set = kernels::kernel_set(kernels::Backend::hwy, kernels::Arithmetic::portable);
  ASSERT_NE(set, nullptr);
  check_against_reference(*set, 12);
}

TEST(WindowRenderer, PortableSimdKernelsGiveTheVoiceByVoiceReferenceBits) {
  const kernels::KernelSet* set = kernels::kernel_set(kernels::Backend::hwy, kernels::Arithmetic::portable);
  ASSERT_NE(set, nullptr);
  check_against_reference(*set);
}

}  // namespace
}  // namespace tutti::engine::render
