#pragma once
// Mixing voices into a stereo bus: a mono block times a left and a right gain, each ramped
// linearly over one control block, added to two accumulators; and plain span sums for the
// deterministic reduction of partial mixes.
#include "kernels/voice_block.h"

namespace tutti::kernels {

using PanMixFn = void (*)(const PanBlock& pan, const float* mono, int frames, float* left,
                          float* right);
// Every sounding voice of one block into the same bus, in the order given: exactly what
// calling the PanMixFn of the same backend and target for voice 0, 1, ... count-1 gives, bit
// for bit (each bus sample receives the same operations in the same order), but loading and
// storing the bus once per stretch of frames rather than once per voice. Voice v reads
// `frames[v]` (0..kBlockFrames) samples of `rows[v]` and contributes to that many frames; its
// ramp spans a full block, as in PanMixFn.
using PanMixLanesFn = void (*)(const PanBlock* const* pans, const float* const* rows,
                               const int* frames, int count, float* left, float* right);
using AccumulateFn = void (*)(const float* source, int count, float* destination);

// The ramp positions of a block, 0 .. kBlockFrames - 1, as floats (whole numbers, so exact),
// for the SIMD kernels to load rather than build.
struct FramePositions {
  alignas(64) float at[kBlockFrames];
};
inline constexpr FramePositions kFramePositions = [] {
  FramePositions positions{};
  for (int k = 0; k < kBlockFrames; ++k) positions.at[k] = static_cast<float>(k);
  return positions;
}();

namespace detail {
// The pan-mix lane kernels take voices in passes of up to a mix group's worth.
inline constexpr int kPanVoicesPerPass = 16;
// Each voice's gains as a start and a per-frame step (the twin's step: a full block's ramp).
struct PanRamps {
  float left_from[kPanVoicesPerPass], left_step[kPanVoicesPerPass];
  float right_from[kPanVoicesPerPass], right_step[kPanVoicesPerPass];
};
// `voices` <= kPanVoicesPerPass. Inline: it runs once per block, a call was a visible cost.
inline void prepare_pan_ramps(const PanBlock* const* pans, int voices, PanRamps& ramps) {
  for (int v = 0; v < voices; ++v) {
    const PanBlock& pan = *pans[v];
    ramps.left_from[v] = pan.left_from;
    ramps.left_step[v] = (pan.left_to - pan.left_from) / kBlockFrames;
    ramps.right_from[v] = pan.right_from;
    ramps.right_step[v] = (pan.right_to - pan.right_from) / kBlockFrames;
  }
}
}  // namespace detail

namespace scalar {
void pan_mix(const PanBlock& pan, const float* mono, int frames, float* left, float* right);
// The definition of PanMixLanesFn: pan_mix voice after voice.
void pan_mix_lanes(const PanBlock* const* pans, const float* const* rows, const int* frames,
                   int count, float* left, float* right);
void accumulate(const float* source, int count, float* destination);
}  // namespace scalar

}  // namespace tutti::kernels
