#pragma once
// The voice's resonant low-pass: a biquad in direct form II, applied in place to one block,
// with coefficients ramped per frame while a cutoff change settles.
#include "kernels/voice_block.h"
#include "kernels/voice_lanes.h"

namespace tutti::kernels {

using BiquadFn = void (*)(const FilterBlock& filter, BiquadState& state, float* samples,
                          int frames);

// Filters every active lane of `frame_major` into its row of `voice_major` (see voice_lanes.h):
// the filter and the change of layout the pan mix needs, in one pass. Frames of a lane past its
// `frames` are unspecified.
using BiquadLanesFn = void (*)(const FilterLanes& lanes, const float* frame_major,
                               float* voice_major);

namespace scalar {
void apply_biquad(const FilterBlock& filter, BiquadState& state, float* samples, int frames);
// The lane kernel's twin: apply_biquad per active lane.
void apply_biquad_lanes(const FilterLanes& lanes, const float* frame_major, float* voice_major);
}  // namespace scalar

}  // namespace tutti::kernels
