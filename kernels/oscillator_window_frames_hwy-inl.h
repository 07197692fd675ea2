// The window path of the Highway oscillator for a vector of lanes, for one target: each audible
// lane on the way that suits it (a unit step alone, kernels/oscillator_unit_step_hwy-inl.h;
// others in pairs, kernels/oscillator_window_hwy-inl.h), then the lanes' frames transposed into
// the frame-major block.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_WINDOW_FRAMES_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_WINDOW_FRAMES_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_WINDOW_FRAMES_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_WINDOW_FRAMES_HWY_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_unit_step_hwy-inl.h"
#include "kernels/oscillator_window_hwy-inl.h"
#include "kernels/oscillator_window_sums_hwy-inl.h"
#include "kernels/transpose_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH
// Frames [0, frames) (a multiple of 8) of the vector's lanes, which must all be window
// frames of every lane in `audible` (bit 0: first_lane), or frames the window path carries
// that lane through its loop wraps in; returns each audible lane's state at frame `frames` in
// `index`, `fraction` and `looped` (the others' are left alone). Only the audible lanes are
// rendered, unit-step lanes alone and the others two at a time, the others' frames are zero:
// lanes render one by one here, so idle lanes cost nothing. `scale` is the lane path's (for
// linear, 1: 16-bit points).
template <Interpolation kMode, bool kFused>
HWY_NOINLINE void RenderWindowFrames(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                     std::size_t first_lane, std::uint32_t audible, int frames,
                                     FloatVec scale, float* HWY_RESTRICT frame_major, std::int32_t* index,
                                     std::uint32_t* fraction, std::int32_t* looped) {
  constexpr int kFrames = kWindowFrames;
  static_assert(hn::MaxLanes(FloatTag()) == kFrames, "8 frames per vector");
  const FloatTag df;
  const FloatVec tap_scale = hn::Mul(scale, hn::Set(df, 1.0f / static_cast<float>(1 << kWindowTapBits)));
  alignas(64) WindowTiles tiles;
  // A lane goes through its loop seam copy when its plain run ends inside these frames.
  auto seam = [&](int l) { return s.window_frames[first_lane + static_cast<std::size_t>(l)] < frames; };
  auto render = [&](int a, int b) {
    const bool seam_b = b >= 0 && seam(b);
    if (seam(a)) {
      if (seam_b) return RenderWindowPair<kMode, kFused, true, true>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
      return RenderWindowPair<kMode, kFused, true, false>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
    }
    if (seam_b) return RenderWindowPair<kMode, kFused, false, true>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
    RenderWindowPair<kMode, kFused, false, false>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
  };
  auto render_unit_step = [&](int l) {
    const float lane_scale = hn::GetLane(scale);
    if (seam(l)) return RenderUnitStepLane<kMode, kFused, true>(words, s, first_lane, l, frames, lane_scale, tiles, index, fraction, looped);
    RenderUnitStepLane<kMode, kFused, false>(words, s, first_lane, l, frames, lane_scale, tiles, index, fraction, looped);
  };
  // Lanes by kind, each kind in a loop over its mask's bits: which lanes of a vector step by
  // one point varies from block to block, and a branch per lane on it mispredicted often enough
  // to eat much of what the unit-step lanes save.
  for (std::uint32_t idle = ~audible & 0xffu; idle != 0; idle &= idle - 1) {
    const int l = __builtin_ctz(idle);
    for (int k = 0; k < frames; k += kFrames) hn::Store(hn::Zero(df), df, tiles[k / kFrames][l]);
  }
  const std::uint32_t unit_steps = audible & UnitStepLanes(s, first_lane);
  for (std::uint32_t unit = unit_steps; unit != 0; unit &= unit - 1) render_unit_step(__builtin_ctz(unit));
  // The others two at a time, the last alone when their number is odd.
  for (std::uint32_t rest = audible & ~unit_steps; rest != 0;) {
    const int a = __builtin_ctz(rest);
    rest &= rest - 1;
    if (rest == 0) {
      render(a, -1);
      break;
    }
    const int b = __builtin_ctz(rest);
    rest &= rest - 1;
    render(a, b);
  }
  for (int k = 0; k < frames; k += kFrames) {
    TransposeTile(df, tiles[k / kFrames][0], kFrames, frame_major + k * kLaneCount + first_lane, kLaneCount);
  }
}
#endif  // TUTTI_HWY_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
