#pragma once
// Turns a window's score into stereo audio through a kernel set. Voices are mixed in groups of
// a fixed size, each group into its own bus, and the buses are summed in group order: the same
// additions in the same order whether one thread or many render the groups, so the output is
// bit-identical for any thread count.
//
// Inside a group the voices are rendered block by block, side by side in the lanes of the lane
// kernels (kernels/voice_lanes.h); which lane a voice gets changes only speed, never a value,
// and each block is added to the bus voice by voice in score order.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/synth/score.h"
#include "kernels/kernel_set.h"

namespace tutti::engine::render {

// A group fills the lanes of one lane-kernel call.
inline constexpr std::uint32_t kVoicesPerMixGroup = kernels::kLaneCount;

// A planar stereo buffer.
struct StereoBus {
  std::vector<float> left, right;
  void resize_and_clear(std::size_t frames) {
    left.assign(frames, 0.0f);
    right.assign(frames, 0.0f);
  }
  std::size_t frames() const { return left.size(); }
};

class WindowRenderer {
 public:
  // The lane of each voice of a group.
  using LaneMap = std::array<int, kVoicesPerMixGroup>;

  WindowRenderer(const kernels::KernelSet& kernels, std::uint32_t voice_slots);

  // Call once per window before rendering its groups.
  void prepare(const synth::WindowScore& score);
  static std::size_t group_count(const synth::WindowScore& score) {
    return (score.voices.size() + kVoicesPerMixGroup - 1) / kVoicesPerMixGroup;
  }
  // Renders group `group` into `bus` (cleared first). Groups may run concurrently.
  void render_group(const synth::WindowScore& score, std::size_t group, StereoBus& bus);
  // Sums the group buses in order into `out` and keeps the filter memory of continuing voices.
  void finish(const synth::WindowScore& score, std::span<const StereoBus> groups, StereoBus& out);

  // The whole window on the calling thread.
  void render(const synth::WindowScore& score, StereoBus& out);

 private:
  // The kernel inputs of one block of a group, and its sounding voices in score order.
  struct BlockLanes {
    kernels::OscillatorLanes oscillators;
    kernels::FilterLanes filters;
    std::array<std::size_t, kVoicesPerMixGroup> sounding{};
    std::size_t sounding_count = 0;
  };

  void collect_block(const synth::WindowScore& score, std::size_t first, std::size_t last,
                     const LaneMap& lane_of, std::uint32_t b, BlockLanes& lanes);
  void render_block(const synth::WindowScore& score, std::size_t first, const LaneMap& lane_of,
                    std::uint32_t b, BlockLanes& lanes, kernels::LaneBlockBuffer& oscillator_out,
                    kernels::LaneBlockBuffer& filtered, StereoBus& bus) const;

  const kernels::KernelSet& kernels_;
  std::vector<kernels::BiquadState> slot_memory_;   // filter memory of voices that go on
  std::vector<kernels::BiquadState> entry_memory_;  // per score entry, this window
  std::vector<StereoBus> group_buses_;
};

}  // namespace tutti::engine::render
