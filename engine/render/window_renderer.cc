#include "engine/render/window_renderer.h"

#include <algorithm>

#include "kernels/oscillator_lane_setup.h"

namespace tutti::engine::render {

namespace {

using kernels::kBlockFrames;
using kernels::kLaneCount;

// Lanes for the voices [first, last): the lowest lane whose previous voice has ended before
// this one starts, so that the voices sounding together crowd into the low lanes and the lane
// kernels can skip the vectors of idle high lanes.
void assign_lanes(const synth::WindowScore& score, std::size_t first, std::size_t last,
                  WindowRenderer::LaneMap& lane_of) {
  std::array<std::uint32_t, kLaneCount> free_from{};
  for (std::size_t v = first; v < last; ++v) {
    const synth::ScoredVoice& voice = score.voices[v];
    int lane = 0;
    while (free_from[static_cast<std::size_t>(lane)] > voice.first_block) ++lane;
    // At most kLaneCount voices per group, so a lane is always free.
    lane_of[v - first] = lane;
    free_from[static_cast<std::size_t>(lane)] = voice.first_block + voice.block_count;
  }
}

bool same_source(const synth::ScoredVoice& a, const synth::ScoredVoice& b) {
  return a.data.words == b.data.words && a.data.low_bytes == b.data.low_bytes &&
         a.interpolation == b.interpolation;
}

}  // namespace

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

void WindowRenderer::render_group(const synth::WindowScore& score, std::size_t group,
                                  StereoBus& bus) {
  bus.resize_and_clear(static_cast<std::size_t>(score.block_count) * kBlockFrames);
  const std::size_t first = group * kVoicesPerMixGroup;
  const std::size_t last = std::min(score.voices.size(), first + kVoicesPerMixGroup);
  if (first >= last) return;
  LaneMap lane_of{};
  assign_lanes(score, first, last, lane_of);
  std::uint32_t begin_block = score.block_count;
  std::uint32_t end_block = 0;
  for (std::size_t v = first; v < last; ++v) {
    begin_block = std::min(begin_block, score.voices[v].first_block);
    end_block = std::max(end_block, score.voices[v].first_block + score.voices[v].block_count);
  }

  // Block b + 1 is gathered, and its sample points prefetched, while block b renders.
  std::array<BlockLanes, 2> blocks;
  collect_block(score, first, last, lane_of, begin_block, blocks[0]);
  kernels::LaneBlockBuffer oscillator_out;
  kernels::LaneBlockBuffer filtered;
  for (std::uint32_t b = begin_block; b < end_block; ++b) {
    BlockLanes& lanes = blocks[(b - begin_block) & 1];
    if (b + 1 < end_block) {
      BlockLanes& next = blocks[(b + 1 - begin_block) & 1];
      collect_block(score, first, last, lane_of, b + 1, next);
      if (next.sounding_count > 0) {
        const synth::ScoredVoice& leader = score.voices[next.sounding[0]];
        kernels::prefetch_oscillator_lanes(leader.data, leader.interpolation, next.oscillators);
      }
    }
    if (lanes.sounding_count == 0) continue;
    render_block(score, first, lane_of, b, lanes, oscillator_out, filtered, bus);
  }
}

void WindowRenderer::render_block(const synth::WindowScore& score, std::size_t first,
                                  const LaneMap& lane_of, std::uint32_t b, BlockLanes& lanes,
                                  kernels::LaneBlockBuffer& oscillator_out,
                                  kernels::LaneBlockBuffer& filtered, StereoBus& bus) const {
  // One lane call reads one bank with one interpolation; a voice that differs (never within
  // one render today) is rendered by the scalar twin into its lane afterwards.
  const synth::ScoredVoice& leader = score.voices[lanes.sounding[0]];
  for (std::size_t i = 1; i < lanes.sounding_count; ++i) {
    const std::size_t v = lanes.sounding[i];
    if (!same_source(score.voices[v], leader)) lanes.oscillators.block[lane_of[v - first]] = nullptr;
  }
  kernels_.render_oscillator_lanes(leader.data, leader.interpolation, lanes.oscillators,
                                   oscillator_out.samples);
  for (std::size_t i = 1; i < lanes.sounding_count; ++i) {
    const std::size_t v = lanes.sounding[i];
    const synth::ScoredVoice& voice = score.voices[v];
    if (same_source(voice, leader)) continue;
    const synth::VoiceBlockControl& control = score.control(v, b);
    float mono[kBlockFrames];
    kernels::scalar::render_oscillator(voice.data, control.region, voice.interpolation,
                                       control.oscillator, mono);
    const int lane = lane_of[v - first];
    for (int k = 0; k < control.oscillator.frames; ++k) {
      oscillator_out.samples[k * kLaneCount + lane] = mono[k];
    }
  }

  kernels_.apply_biquad_lanes(lanes.filters, oscillator_out.samples, filtered.samples);

  // All sounding voices in one call, in score order: the bus stays in registers across voices,
  // with exactly the per-voice pan_mix results.
  const kernels::PanBlock* pans[kVoicesPerMixGroup];
  const float* rows[kVoicesPerMixGroup];
  int frames[kVoicesPerMixGroup];
  for (std::size_t i = 0; i < lanes.sounding_count; ++i) {
    const std::size_t v = lanes.sounding[i];
    const synth::VoiceBlockControl& control = score.control(v, b);
    pans[i] = &control.pan;
    rows[i] = filtered.samples + lane_of[v - first] * kBlockFrames;
    frames[i] = control.oscillator.frames;
  }
  const std::size_t offset = static_cast<std::size_t>(b) * kBlockFrames;
  kernels_.pan_mix_lanes(pans, rows, frames, static_cast<int>(lanes.sounding_count),
                         bus.left.data() + offset, bus.right.data() + offset);
}

void WindowRenderer::collect_block(const synth::WindowScore& score, std::size_t first,
                                   std::size_t last, const LaneMap& lane_of, std::uint32_t b,
                                   BlockLanes& lanes) {
  // Only the null marks of idle lanes need resetting: a lane's other fields are read only when
  // its marks are set. (Assigning a whole fresh BlockLanes was a `rep stos` of 600 bytes per
  // block, a visible cost.)
  std::fill(std::begin(lanes.oscillators.block), std::end(lanes.oscillators.block), nullptr);
  std::fill(std::begin(lanes.filters.filter), std::end(lanes.filters.filter), nullptr);
  lanes.sounding_count = 0;
  for (std::size_t v = first; v < last; ++v) {
    const synth::ScoredVoice& voice = score.voices[v];
    if (b < voice.first_block || b - voice.first_block >= voice.block_count) continue;
    const synth::VoiceBlockControl& control = score.control(v, b);
    // The voice's control two blocks on (its controls are consecutive): loaded now, it is in
    // cache when that block is gathered, instead of a miss per voice and block.
    if (b + 2 - voice.first_block < voice.block_count) {
      // A control is 104 bytes: it spans two cache lines, or three where it straddles them.
      const char* ahead = reinterpret_cast<const char*>(&control + 2);
      __builtin_prefetch(ahead);
      __builtin_prefetch(ahead + 64);
      __builtin_prefetch(ahead + sizeof(synth::VoiceBlockControl) - 1);
    }
    if (control.oscillator.frames == 0) continue;
    const int lane = lane_of[v - first];
    lanes.oscillators.block[lane] = &control.oscillator;
    lanes.oscillators.region[lane] = &control.region;
    lanes.filters.filter[lane] = &control.filter;
    lanes.filters.state[lane] = &entry_memory_[v];
    lanes.filters.frames[lane] = control.oscillator.frames;
    lanes.sounding[lanes.sounding_count++] = v;
  }
}

void WindowRenderer::finish(const synth::WindowScore& score, std::span<const StereoBus> groups,
                            StereoBus& out) {
  const std::size_t frames = static_cast<std::size_t>(score.block_count) * kBlockFrames;
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
