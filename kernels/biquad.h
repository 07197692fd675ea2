#pragma once
// The voice's resonant low-pass: a biquad in direct form II, applied in place to one block,
// with coefficients ramped per frame while a cutoff change settles.
#include "kernels/biquad_lane_setup.h"
#include "kernels/voice_block.h"
#include "kernels/voice_lanes.h"

namespace tutti::kernels {

using BiquadFn = void (*)(const FilterBlock& filter, BiquadState& state, float* samples,
                          int frames);

// Filters every active lane of `setup` from `frame_major` into its row of `voice_major` (see
// voice_lanes.h): the filter and the change of layout the pan mix needs, in one pass. Every
// lane computes a whole block (frames past a voice's end are unspecified); the memory of the
// `keep` lanes moves on in the setup, every other lane's memory is left alone.
using BiquadLanesFn = void (*)(FilterLaneSetup& setup, const float* frame_major,
                               float* voice_major);

namespace scalar {
void apply_biquad(const FilterBlock& filter, BiquadState& state, float* samples, int frames);
// The lane kernel's twin: apply_biquad per active lane.
void apply_biquad_lanes(FilterLaneSetup& setup, const float* frame_major, float* voice_major);
}  // namespace scalar

}  // namespace tutti::kernels
