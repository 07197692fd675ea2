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
#include "kernels/oscillator_lane_setup.h"

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
  WindowRenderer(const kernels::KernelSet& kernels, std::uint32_t voice_slots);

  // Call once per window before rendering its groups.
  void prepare(const synth::WindowScore& score);
  static std::size_t group_count(const synth::WindowScore& score) {
    return (score.voices.size() + kVoicesPerMixGroup - 1) / kVoicesPerMixGroup;
  }
  // Renders group `group` into `bus` (cleared first). Groups may run concurrently.
  void render_group(const synth::WindowScore& score, std::size_t group, StereoBus& bus);
  // Sums the group buses in order into `out` and keeps the filter memory of continuing voices.
  // The first group's bus is swapped into `out` rather than added to zeros (the same bits: see
  // finish), so the buses' contents are left unspecified.
  void finish(const synth::WindowScore& score, std::span<StereoBus> groups, StereoBus& out);

  // The whole window on the calling thread.
  void render(const synth::WindowScore& score, StereoBus& out);

 private:
  // One voice of the group being rendered, as the block loop reads it.
  struct GroupVoice {
    const synth::VoiceBlockControl* controls = nullptr;  // its control of block first_block
    std::uint32_t first_block = 0, end_block = 0;
    int lane = 0;
    std::size_t entry = 0;  // index in the window's score
    kernels::SampleData data;  // the voice's sample points
  };
  struct Group {
    std::array<GroupVoice, kVoicesPerMixGroup> voices;
    std::size_t count = 0;
    bool one_source = true;  // every voice reads the same sample data with one interpolation
    // The render's interpolation, every voice's (ScoredVoice::interpolation).
    kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  };
  // The kernel inputs of one block of a group, gathered a block ahead (to prefetch sample points)
  // in one pass over its controls: which of the group's voices are scored in it, and for the
  // sounding ones, in score order, their lanes, controls and pan-mix arguments.
  struct BlockLanes {
    kernels::OscillatorLanes oscillators;
    std::uint32_t present = 0;  // bit i: the group's voice i is scored in this block
    std::uint32_t active = 0;   // lanes sounding
    std::uint32_t keep = 0;     // lanes whose filter memory goes on (see FilterLaneSetup)
    std::size_t sounding_count = 0;
    // Some sounding voice's block interpolates neither as the render nor linearly (never today:
    // a block is the render's or a coarse voice's linear one, oscillators.linear_lanes).
    bool other_interpolation = false;
    std::array<std::uint8_t, kVoicesPerMixGroup> sounding{};
    std::array<const synth::VoiceBlockControl*, kVoicesPerMixGroup> control{};
    const kernels::PanBlock* pans[kVoicesPerMixGroup];
    const float* rows[kVoicesPerMixGroup];
    int frames[kVoicesPerMixGroup];
  };
  // The filter side of a group, kept from block to block: the lanes' coefficients and memory,
  // and a copy of the filter block each lane's coefficients were loaded from (compact and hot in
  // cache, unlike the score's controls), valid for the lanes whose bit `loaded` has.
  struct GroupFilters {
    kernels::FilterLaneSetup setup;
    std::array<kernels::FilterBlock, kVoicesPerMixGroup> loaded_from;
    std::uint32_t loaded = 0;
  };
  // What a group's lanes keep from block to block: the filter side, the oscillator setup, and
  // for each lane the block after the last one rendered in it. A voice holds its lane through
  // all its blocks, so a block that BlockRepeats marks as repeating its voice's previous block,
  // in a lane that rendered the block before it, repeats what that lane's filter was loaded
  // from and its oscillator setup derived from.
  struct KeptLanes {
    GroupFilters filters;
    kernels::PersistentOscillatorLanes oscillators;
    std::array<std::uint32_t, kernels::kLaneCount> next_block{};
  };

  // `filtered`: the voice-major rows the filter writes, which the pan mix reads.
  static void collect_block(const Group& group, std::uint32_t b, const float* filtered,
                            BlockLanes& lanes);
  // Moves filter memory between the lanes and the score entries of the voices that leave their
  // lanes (`left`) or take them (`joined`) at a block.
  void hand_over_lanes(const Group& group, std::uint32_t left, std::uint32_t joined,
                       GroupFilters& filters);
  void render_block(const synth::WindowScore& score, const Group& group, std::uint32_t b,
                    BlockLanes& lanes, KeptLanes& kept, kernels::LaneBlockBuffer& oscillator_out,
                    kernels::LaneBlockBuffer& filtered, StereoBus& bus) const;

  const kernels::KernelSet& kernels_;
  std::vector<kernels::BiquadState> slot_memory_;   // filter memory of voices that go on
  std::vector<kernels::BiquadState> entry_memory_;  // per score entry, this window
  std::vector<StereoBus> group_buses_;
};

}  // namespace tutti::engine::render
