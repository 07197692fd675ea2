#pragma once
// Voices side by side: the lane kernels render one block of up to kLaneCount voices at once,
// one voice per SIMD lane. The biquad is a recurrence along time, so it cannot be vectorized
// across the frames of one voice; across voices every lane is independent, and each lane does
// exactly the arithmetic the per-voice scalar twin does. The oscillator runs in the same layout
// so that its output feeds the filter without reshuffling.
//
// Layouts of one block:
//   frame-major: sample k of lane v at [k * kLaneCount + v]   (what the oscillator writes)
//   voice-major: sample k of lane v at [v * kBlockFrames + k] (what the filter writes, ready for
//                                                              per-voice pan mixing)
#include "kernels/voice_block.h"

namespace tutti::kernels {

// Lanes per call: one mix group of the window renderer.
inline constexpr int kLaneCount = 16;
inline constexpr int kLaneBlockSamples = kBlockFrames * kLaneCount;

struct OscillatorLaneSetup;  // kernels/oscillator_lane_setup.h

// The oscillator part of one block for every lane. A null `block` marks an idle lane: nothing
// is read for it and its output is unspecified. All active lanes read the same sample data with
// the same interpolation, except the lanes of `linear_lanes`, which interpolate linearly
// whatever the call's interpolation (the engine's coarse voices, Voice::coarse).
struct OscillatorLanes {
  const OscillatorBlock* block[kLaneCount] = {};
  const PlaybackRegion* region[kLaneCount] = {};
  std::uint32_t linear_lanes = 0;  // bit l: lane l
  // Lanes whose region is known to be the one of the block last prepared in that lane, which a
  // caller that keeps the setup from block to block (PersistentOscillatorLanes) then need not
  // compare (nor read: the renderer's regions sit in a cache line it reads only on a change).
  std::uint32_t same_region = 0;
  // When set: what prepare_simulated_lanes makes of these records, for the same interpolation,
  // which a kernel may take instead of preparing its own (a caller that keeps the setup from
  // block to block, PersistentOscillatorLanes, spares the kernel most of that work).
  const OscillatorLaneSetup* prepared = nullptr;
};

// The interpolation of `lane` in a call of interpolation `mode`.
inline Interpolation lane_interpolation(Interpolation mode, const OscillatorLanes& lanes, int lane) {
  return (lanes.linear_lanes >> lane & 1u) != 0 ? Interpolation::linear : mode;
}

// The filter part of one block for every lane. A null `filter` marks an idle lane: its state is
// untouched and its voice-major row is unspecified (SIMD backends write whole vectors).
// `frames` is the lane's OscillatorBlock frames (1..kBlockFrames); a lane with fewer than
// kBlockFrames frames is a voice ending in this block, whose filter state is not written back
// (nothing will read it).
struct FilterLanes {
  const FilterBlock* filter[kLaneCount] = {};
  BiquadState* state[kLaneCount] = {};
  int frames[kLaneCount] = {};
};

// Scratch buffers for one block of lanes, aligned for any vector width.
struct alignas(64) LaneBlockBuffer {
  float samples[kLaneBlockSamples];
};

}  // namespace tutti::kernels
