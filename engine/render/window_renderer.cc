#include "engine/render/window_renderer.h"

#include <algorithm>
#include <array>

namespace tutti::engine::render {

WindowRenderer::WindowRenderer(const kernels::KernelSet& kernels, std::uint32_t voice_slots)
    : kernels_(kernels), slot_memory_(voice_slots) {}

void WindowRenderer::prepare(const synth::WindowScore& score) {
  // Each entry starts from its slot's memory (a continuing voice) or from rest (a new voice),
  // so no two entries share state while groups render concurrently.
  entry_memory_.resize(score.voices.size());
  for (std::size_t v = 0; v < score.voices.size(); ++v) {
    const synth::ScoredVoice& voice = score.voices[v];
    entry_memory_[v] = voice.starts_here ? kernels::BiquadState{} : slot_memory_[voice.slot];
  }
}

void WindowRenderer::render_voice(const synth::WindowScore& score, std::size_t index,
                                  StereoBus& bus) {
  const synth::ScoredVoice& voice = score.voices[index];
  kernels::BiquadState& memory = entry_memory_[index];
  alignas(64) std::array<float, kernels::kBlockFrames> mono{};
  for (std::uint32_t b = 0; b < voice.block_count; ++b) {
    const synth::VoiceBlockControl& control = score.controls[voice.first_control + b];
    const int frames = control.oscillator.frames;
    if (frames == 0) continue;
    kernels_.render_oscillator(voice.data, control.region, voice.interpolation,
                               control.oscillator, mono.data());
    kernels_.apply_biquad(control.filter, memory, mono.data(), frames);
    const std::size_t offset =
        static_cast<std::size_t>(voice.first_block + b) * kernels::kBlockFrames;
    kernels_.pan_mix(control.pan, mono.data(), frames, bus.left.data() + offset,
                     bus.right.data() + offset);
  }
}

void WindowRenderer::render_group(const synth::WindowScore& score, std::size_t group,
                                  StereoBus& bus) {
  bus.resize_and_clear(static_cast<std::size_t>(score.block_count) * kernels::kBlockFrames);
  const std::size_t first = group * kVoicesPerMixGroup;
  const std::size_t last = std::min(score.voices.size(), first + kVoicesPerMixGroup);
  for (std::size_t v = first; v < last; ++v) render_voice(score, v, bus);
}

void WindowRenderer::finish(const synth::WindowScore& score, std::span<const StereoBus> groups,
                            StereoBus& out) {
  const std::size_t frames = static_cast<std::size_t>(score.block_count) * kernels::kBlockFrames;
  out.resize_and_clear(frames);
  for (const StereoBus& group : groups) {
    kernels_.accumulate(group.left.data(), static_cast<int>(frames), out.left.data());
    kernels_.accumulate(group.right.data(), static_cast<int>(frames), out.right.data());
  }
  // Entries in score order: a slot reused inside the window keeps its last voice's memory.
  for (std::size_t v = 0; v < score.voices.size(); ++v) {
    if (!score.voices[v].ends_here) slot_memory_[score.voices[v].slot] = entry_memory_[v];
  }
}

void WindowRenderer::render(const synth::WindowScore& score, StereoBus& out) {
  prepare(score);
  const std::size_t groups = group_count(score);
  if (group_buses_.size() < groups) group_buses_.resize(groups);
  for (std::size_t g = 0; g < groups; ++g) render_group(score, g, group_buses_[g]);
  finish(score, std::span<const StereoBus>(group_buses_.data(), groups), out);
}

}  // namespace tutti::engine::render
