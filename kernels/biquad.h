#pragma once
// The voice's resonant low-pass: a biquad in direct form II, applied in place to one block,
// with coefficients ramped per frame while a cutoff change settles.
#include "kernels/voice_block.h"

namespace tutti::kernels {

using BiquadFn = void (*)(const FilterBlock& filter, BiquadState& state, float* samples,
                          int frames);

namespace scalar {
void apply_biquad(const FilterBlock& filter, BiquadState& state, float* samples, int frames);
}  // namespace scalar

}  // namespace tutti::kernels
