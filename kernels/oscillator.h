#pragma once
// Sample-playback oscillator: reads a block of interpolated sample points along a 32.32 phase,
// through loop wrap and sample end, times a linear gain ramp. The tap rules at the sample start,
// the loop seam and the sample end are FluidSynth 2.3's, so that tutti's output matches it.
#include "kernels/voice_block.h"
#include "kernels/voice_lanes.h"

namespace tutti::kernels {

// Writes block.frames values to `out`. The engine guarantees that the region lies inside the
// sample data with two readable points after `end` and after `loop_end`.
using OscillatorFn = void (*)(const SampleData& data, const PlaybackRegion& region,
                              Interpolation mode, const OscillatorBlock& block, float* out);

// One block of every lane into `frame_major` (kLaneBlockSamples values; see voice_lanes.h),
// each lane interpolated with `mode`, or linearly when it is one of lanes.linear_lanes.
// Frames of an active lane past its block.frames are unspecified.
using OscillatorLanesFn = void (*)(const SampleData& data, Interpolation mode,
                                   const OscillatorLanes& lanes, float* frame_major);

namespace scalar {
void render_oscillator(const SampleData& data, const PlaybackRegion& region, Interpolation mode,
                       const OscillatorBlock& block, float* out);
// The lane kernel's twin: render_oscillator per active lane, in the lane's interpolation.
void render_oscillator_lanes(const SampleData& data, Interpolation mode,
                             const OscillatorLanes& lanes, float* frame_major);
}  // namespace scalar

// Where the phase of output frame `frame` lies once loop wraps are applied, and whether a wrap
// happened at or before that frame in this block. Shared by the kernels and by the engine's
// control-rate model, which must agree on every position.
struct WrappedPhase {
  Phase phase;
  bool wrapped;
};
inline WrappedPhase wrap_phase(Phase unwrapped, const PlaybackRegion& region, bool looping,
                               bool round_to_nearest) {
  if (!looping) return {unwrapped, false};
  // Interpolation `none` plays the nearest point, so it wraps once the rounded index passes the
  // loop; the interpolating modes wrap on the truncated index.
  const Phase half = round_to_nearest ? (Phase{1} << 31) : 0;
  const std::uint32_t index = phase_index(unwrapped + half);
  if (index < region.loop_end) return {unwrapped, false};
  const std::uint32_t wraps = (index - region.loop_end) / region.loop_length() + 1;
  return {unwrapped - (Phase{wraps} * region.loop_length() << 32), true};
}

}  // namespace tutti::kernels
