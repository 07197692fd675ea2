#pragma once
// Mixing voices into a stereo bus: a mono block times a left and a right gain, each ramped
// linearly over one control block, added to two accumulators; and plain span sums for the
// deterministic reduction of partial mixes.
#include "kernels/voice_block.h"

namespace tutti::kernels {

using PanMixFn = void (*)(const PanBlock& pan, const float* mono, int frames, float* left,
                          float* right);
using AccumulateFn = void (*)(const float* source, int count, float* destination);

namespace scalar {
void pan_mix(const PanBlock& pan, const float* mono, int frames, float* left, float* right);
void accumulate(const float* source, int count, float* destination);
}  // namespace scalar

}  // namespace tutti::kernels
