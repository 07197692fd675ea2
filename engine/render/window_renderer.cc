#include "engine/render/window_renderer.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kernels/oscillator_lane_setup.h"
#include "kernels/prefetch.h"

namespace tutti::engine::render {

namespace {

using kernels::kBlockFrames;
using kernels::kLaneCount;

// How many blocks ahead of the one collected its voices' control records are prefetched.
constexpr std::uint32_t kControlPrefetchBlocks = 2;

bool same_source(const synth::ScoredVoice& a, const synth::ScoredVoice& b) {
  return a.data.words == b.data.words && a.data.low_bytes == b.data.low_bytes &&
         a.interpolation == b.interpolation;
}

// Each set bit of `mask`, lowest first.
template <class Body>
void for_each_bit(std::uint32_t mask, Body&& body) {
  for (; mask != 0; mask &= mask - 1) body(static_cast<std::size_t>(__builtin_ctz(mask)));
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

void WindowRenderer::render_group(const synth::WindowScore& score, std::size_t group_index,
                                  StereoBus& bus) {
  bus.resize_and_clear(static_cast<std::size_t>(score.block_count) * kBlockFrames);
  const std::size_t first = group_index * kVoicesPerMixGroup;
  const std::size_t last = std::min(score.voices.size(), first + kVoicesPerMixGroup);
  if (first >= last) return;

  // Each voice takes the lowest lane whose previous voice has ended before it starts, so that
  // the voices sounding together crowd into the low lanes and the lane kernels can skip the
  // vectors of idle high lanes. (At most kLaneCount voices per group: a lane is always free.)
  Group group;
  group.count = last - first;
  group.interpolation = score.voices[first].interpolation;
  std::array<std::uint32_t, kLaneCount> free_from{};
  std::uint32_t begin_block = score.block_count;
  std::uint32_t end_block = 0;
  for (std::size_t i = 0; i < group.count; ++i) {
    const synth::ScoredVoice& voice = score.voices[first + i];
    GroupVoice& gv = group.voices[i];
    gv.entry = first + i;
    gv.first_block = voice.first_block;
    gv.end_block = voice.first_block + voice.block_count;
    gv.controls = score.controls[first + i].data();
    gv.data = voice.data;
    int lane = 0;
    while (free_from[static_cast<std::size_t>(lane)] > voice.first_block) ++lane;
    gv.lane = lane;
    free_from[static_cast<std::size_t>(lane)] = gv.end_block;
    group.one_source = group.one_source && same_source(voice, score.voices[first]);
    begin_block = std::min(begin_block, gv.first_block);
    end_block = std::max(end_block, gv.end_block);
  }

  KeptLanes kept;
  GroupFilters& filters = kept.filters;
  for (int lane = 0; lane < kLaneCount; ++lane) kernels::clear_filter_lane(filters.setup, lane);
  std::fill(std::begin(filters.setup.history1), std::end(filters.setup.history1), 0.0f);
  std::fill(std::begin(filters.setup.history2), std::end(filters.setup.history2), 0.0f);

  // Block b + 1 is gathered, and its sample points prefetched, while block b renders.
  std::array<BlockLanes, 2> blocks;
  kernels::LaneBlockBuffer oscillator_out;
  kernels::LaneBlockBuffer filtered;
  collect_block(group, begin_block, filtered.samples, blocks[0]);
  std::uint32_t present = 0;
  for (std::uint32_t b = begin_block; b < end_block; ++b) {
    BlockLanes& lanes = blocks[(b - begin_block) & 1];
    if (b + 1 < end_block) {
      BlockLanes& next = blocks[(b + 1 - begin_block) & 1];
      collect_block(group, b + 1, filtered.samples, next);
    }
    if (lanes.present != present) {
      hand_over_lanes(group, present & ~lanes.present, lanes.present & ~present, filters);
      present = lanes.present;
    }
    if (lanes.sounding_count == 0) continue;
    render_block(score, group, b, lanes, kept, oscillator_out, filtered, bus);
  }
  hand_over_lanes(group, present, 0, filters);
}

void WindowRenderer::hand_over_lanes(const Group& group, std::uint32_t left, std::uint32_t joined,
                                     GroupFilters& filters) {
  kernels::FilterLaneSetup& setup = filters.setup;
  // Leavers first: a voice may take over a lane at the block its previous voice left it.
  for_each_bit(left, [&](std::size_t i) {
    const GroupVoice& voice = group.voices[i];
    entry_memory_[voice.entry] = {setup.history1[voice.lane], setup.history2[voice.lane]};
    kernels::clear_filter_lane(setup, voice.lane);
    filters.loaded &= ~(1u << voice.lane);
  });
  for_each_bit(joined, [&](std::size_t i) {
    const GroupVoice& voice = group.voices[i];
    setup.history1[voice.lane] = entry_memory_[voice.entry].history1;
    setup.history2[voice.lane] = entry_memory_[voice.entry].history2;
  });
}

void WindowRenderer::render_block(const synth::WindowScore& score, const Group& group,
                                  std::uint32_t b, BlockLanes& lanes, KeptLanes& kept,
                                  kernels::LaneBlockBuffer& oscillator_out,
                                  kernels::LaneBlockBuffer& filtered, StereoBus& bus) const {
  // The filter and pan inputs of the sounding voices. A lane's coefficients are rewritten only
  // when its filter block differs from the one they were loaded from (a settled filter repeats);
  // a block that repeats its voice's previous one, rendered in the lane, is not even compared.
  GroupFilters& filters = kept.filters;
  kernels::FilterLaneSetup& setup = filters.setup;
  setup.active = lanes.active;
  setup.keep = lanes.keep;
  lanes.oscillators.same_region = 0;
  for (std::size_t k = 0; k < lanes.sounding_count; ++k) {
    const synth::VoiceBlockControl& control = *lanes.control[k];
    const auto lane = static_cast<std::size_t>(group.voices[lanes.sounding[k]].lane);
    const std::uint32_t bit = 1u << lane;
    const bool continues = kept.next_block[lane] == b;
    kept.next_block[lane] = b + 1;
    lanes.oscillators.same_region |= continues && control.repeats.region ? bit : 0u;
    if (continues && control.repeats.filter) continue;
    kernels::FilterBlock& loaded_from = filters.loaded_from[lane];
    if ((filters.loaded & bit) == 0 || !kernels::same_filter(loaded_from, control.filter)) {
      kernels::set_filter_lane(setup, static_cast<int>(lane), control.filter);
      loaded_from = control.filter;
      filters.loaded |= bit;
    }
  }

  // One lane call reads one bank with the render's interpolation, the leader's, and interpolates
  // coarse voices' blocks (Voice::coarse) linearly, lane by lane (oscillators.linear_lanes). A
  // voice block that differs otherwise (another bank, never within one render today) is rendered
  // by the scalar twin into its lane afterwards.
  const synth::ScoredVoice& leader = score.voices[group.voices[lanes.sounding[0]].entry];
  const kernels::Interpolation mode = leader.interpolation;
  std::uint32_t off_call = 0;  // bit k: sounding voice k
  if (!group.one_source || lanes.other_interpolation) {
    for (std::size_t k = 0; k < lanes.sounding_count; ++k) {
      const GroupVoice& voice = group.voices[lanes.sounding[k]];
      const kernels::Interpolation interpolation = lanes.control[k]->interpolation;
      if (!same_source(score.voices[voice.entry], leader) ||
          (interpolation != mode && interpolation != kernels::Interpolation::linear)) {
        lanes.oscillators.block[voice.lane] = nullptr;
        lanes.oscillators.linear_lanes &= ~(1u << voice.lane);
        off_call |= 1u << k;
        // Not prepared in the lane: the lane's next block cannot take its region as known.
        kept.next_block[static_cast<std::size_t>(voice.lane)] = 0;
      }
    }
  }
  // The lane setup goes on from block to block: only what changed is derived again.
  kept.oscillators.prepare(mode, lanes.oscillators);
  lanes.oscillators.prepared = &kept.oscillators.setup();
  kernels_.render_oscillator_lanes(leader.data, mode, lanes.oscillators, oscillator_out.samples);
  for_each_bit(off_call, [&](std::size_t k) {
    const GroupVoice& group_voice = group.voices[lanes.sounding[k]];
    const synth::VoiceBlockControl& control = *lanes.control[k];
    float mono[kBlockFrames];
    kernels::scalar::render_oscillator(score.voices[group_voice.entry].data, control.region, control.interpolation,
                                       control.oscillator, mono);
    for (int f = 0; f < control.oscillator.frames; ++f) {
      oscillator_out.samples[f * kLaneCount + group_voice.lane] = mono[f];
    }
  });

  kernels_.apply_biquad_lanes(setup, oscillator_out.samples, filtered.samples);

  // All sounding voices in one call, in score order: the bus stays in registers across voices,
  // with exactly the per-voice pan_mix results.
  const std::size_t offset = static_cast<std::size_t>(b) * kBlockFrames;
  kernels_.pan_mix_lanes(lanes.pans, lanes.rows, lanes.frames,
                         static_cast<int>(lanes.sounding_count), bus.left.data() + offset,
                         bus.right.data() + offset);
}

void WindowRenderer::collect_block(const Group& group, std::uint32_t b, const float* filtered,
                                   BlockLanes& lanes) {
  // Only the null marks of idle lanes need resetting: a lane's other fields are read only when
  // its mark is set. Copied from a constant, as a few vector moves (std::fill of the pointers
  // compiled to a `rep stos`, and clearing lane by lane to a loop, both visible costs).
  static constexpr const kernels::OscillatorBlock* kNoBlocks[kLaneCount] = {};
  std::memcpy(lanes.oscillators.block, kNoBlocks, sizeof kNoBlocks);
  lanes.present = 0;
  lanes.active = 0;
  lanes.keep = 0;
  lanes.sounding_count = 0;
  lanes.other_interpolation = false;
  lanes.oscillators.linear_lanes = 0;
  for (std::size_t i = 0; i < group.count; ++i) {
    const GroupVoice& voice = group.voices[i];
    if (b < voice.first_block || b >= voice.end_block) continue;
    lanes.present |= 1u << i;
    const synth::VoiceBlockControl& control = voice.controls[b - voice.first_block];
    // The first line of a record is the first touch of it, which waited on memory (16 lists read
    // side by side are not streams the hardware prefetcher takes up): asked for two blocks ahead,
    // -1.3% CPU on the OpenTTD files. (With the 112-byte records of before, two lines each, the
    // same prefetch cost 1% more.)
    if (b + kControlPrefetchBlocks < voice.end_block) kernels::prefetch_line(&control + kControlPrefetchBlocks);
    if (control.oscillator.frames == 0) continue;
    // The block's first sample points, for when it renders (after the block being rendered now).
    // Asked here, with the record at hand, rather than in a second pass over the lanes' records:
    // -0.6% to -1.5% CPU on the OpenTTD files (least of 5 and of 3 passes).
    kernels::prefetch_block_start(voice.data, control.oscillator);
    const std::uint32_t bit = 1u << voice.lane;
    lanes.oscillators.block[voice.lane] = &control.oscillator;
    lanes.oscillators.region[voice.lane] = &control.region;
    lanes.active |= bit;
    // An ending voice's filter memory is not kept, nor a pass-through one's.
    const int frames = control.oscillator.frames;
    if (control.repeats.filter_enabled && frames == kBlockFrames) lanes.keep |= bit;
    const std::size_t k = lanes.sounding_count++;
    lanes.sounding[k] = static_cast<std::uint8_t>(i);
    lanes.control[k] = &control;
    // A coarse voice's linear block in a render of another interpolation: its lane's bit.
    const bool linear = control.interpolation == kernels::Interpolation::linear &&
                        group.interpolation != kernels::Interpolation::linear;
    lanes.oscillators.linear_lanes |= linear ? bit : 0u;
    lanes.other_interpolation = lanes.other_interpolation || (control.interpolation != group.interpolation && !linear);
    lanes.pans[k] = &control.pan;
    lanes.rows[k] = filtered + voice.lane * kBlockFrames;
    lanes.frames[k] = frames;
  }
}

void WindowRenderer::finish(const synth::WindowScore& score, std::span<StereoBus> groups, StereoBus& out) {
  const std::size_t frames = static_cast<std::size_t>(score.block_count) * kBlockFrames;
  // Zeros plus the first bus are that bus bit for bit: a bus starts at +0 and only ever has
  // products added to it, so none of its elements is -0 (x + y is -0 only when both are), and
  // +0 + x is x for every other x. Taking the bus itself saves clearing `out` and one pass over
  // the window, and, for a window of one group (at most 16 voices), the only one.
  if (groups.empty()) {
    out.resize_and_clear(frames);
  } else {
    std::swap(out.left, groups[0].left);
    std::swap(out.right, groups[0].right);
    for (const StereoBus& group : groups.subspan(1)) {
      kernels_.accumulate(group.left.data(), static_cast<int>(frames), out.left.data());
      kernels_.accumulate(group.right.data(), static_cast<int>(frames), out.right.data());
    }
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
  finish(score, std::span<StereoBus>(group_buses_.data(), groups), out);
}

}  // namespace tutti::engine::render
