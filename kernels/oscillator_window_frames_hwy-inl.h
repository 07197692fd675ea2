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
#include <type_traits>

#include "hwy/highway.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_unit_step_hwy-inl.h"
#include "kernels/oscillator_window_hwy-inl.h"
#include "kernels/oscillator_window_sums_hwy-inl.h"
#include "kernels/transpose_hwy-inl.h"

// Forces a lambda's body into its caller. The lambdas below pick each lane's compile-time
// variant; left to itself GCC kept the pair renderer behind them as separate functions, a call
// with a dozen arguments per pair of lanes and block (forced inline: 1.6% less CPU time on the
// OpenTTD files, the gain a profile-guided build found there).
#ifndef TUTTI_LAMBDA_INLINE
#define TUTTI_LAMBDA_INLINE __attribute__((always_inline))
#endif

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH
// Frames [0, frames) (a multiple of 8) of the vector's lanes, which must all be window
// frames of every lane in `audible` (bit 0: first_lane), or frames the window path carries
// that lane through its loop wraps in; returns each audible lane's state at frame `frames` in
// `index`, `fraction` and `looped` (the others' are left alone). Only the audible lanes are
// rendered, unit-step lanes alone and the others two at a time, the others' frames are zero:
// lanes render one by one here, so idle lanes cost nothing. The lanes of `linear` interpolate
// linearly, the others with kMode. `scale` is the lane path's for kMode (linear's is 1 for
// 16-bit points, which its window sums take for granted). Inline in RenderVector, its one
// caller: as a call of its own (a dozen arguments, per vector and block) it cost 1.5% more CPU
// time on the OpenTTD files.
template <Interpolation kMode, bool kFused>
HWY_INLINE void RenderWindowFrames(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                   std::size_t first_lane, std::uint32_t audible, std::uint32_t linear,
                                   int frames, FloatVec scale, float* HWY_RESTRICT frame_major,
                                   std::int32_t* index, std::uint32_t* fraction, std::int32_t* looped) {
  constexpr int kFrames = kWindowFrames;
  static_assert(hn::MaxLanes(FloatTag()) == kFrames, "8 frames per vector");
  const FloatTag df;
  const FloatVec tap_scale = hn::Mul(scale, hn::Set(df, 1.0f / static_cast<float>(1 << kWindowTapBits)));
  alignas(64) WindowTiles tiles;
  // A lane goes through its loop seam copy when its plain run ends inside these frames.
  auto seam = [&](int l) TUTTI_LAMBDA_INLINE { return s.window_frames[first_lane + static_cast<std::size_t>(l)] < frames; };
  // Calls `body` with the runtime flag as a compile-time one (std::true_type or std::false_type).
  auto with_flag = [](bool flag, auto&& body) TUTTI_LAMBDA_INLINE {
    if (flag) body(std::true_type());
    else body(std::false_type());
  };
  // Lanes a and b (b < 0: a alone) in interpolation kLaneMode, on the wide window path when
  // `wide` says so (where a lane alone fills both halves of its pair, its seam included).
  auto render = [&](auto lane_mode, auto wide, int a, int b) TUTTI_LAMBDA_INLINE {
    constexpr Interpolation kLaneMode = decltype(lane_mode)::value;
    constexpr bool kWide = decltype(wide)::value;
    with_flag(seam(a), [&](auto seam_a) TUTTI_LAMBDA_INLINE {
      with_flag(b >= 0 ? seam(b) : kWide && seam(a), [&](auto seam_b) TUTTI_LAMBDA_INLINE {
        RenderWindowPair<kLaneMode, kFused, decltype(seam_a)::value, decltype(seam_b)::value, kWide>(
            words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
      });
    });
  };
  // The lanes of `lanes` two at a time, the last alone when their number is odd.
  auto render_pairs = [&](auto lane_mode, auto wide, std::uint32_t lanes) TUTTI_LAMBDA_INLINE {
    for (std::uint32_t rest = lanes; rest != 0;) {
      const int a = __builtin_ctz(rest);
      rest &= rest - 1;
      if (rest == 0) {
        render(lane_mode, wide, a, -1);
        break;
      }
      const int b = __builtin_ctz(rest);
      rest &= rest - 1;
      render(lane_mode, wide, a, b);
    }
  };
  auto render_unit_step = [&](auto lane_mode, int l) TUTTI_LAMBDA_INLINE {
    constexpr Interpolation kLaneMode = decltype(lane_mode)::value;
    const float lane_scale = hn::GetLane(scale);
    with_flag(seam(l), [&](auto seam_l) TUTTI_LAMBDA_INLINE {
      RenderUnitStepLane<kLaneMode, kFused, decltype(seam_l)::value>(words, s, first_lane, l, frames, lane_scale,
                                                                     tiles, index, fraction, looped);
    });
  };
  // The lanes of `lanes` in kLaneMode: unit steps alone, the others two at a time, the last
  // alone when their number is odd (on AVX-512, in a 256-bit vector: a 512-bit pair with one
  // lane mixed in from the other interpolation would need both arithmetics).
  auto render_lanes = [&](auto lane_mode, std::uint32_t lanes) TUTTI_LAMBDA_INLINE {
    const std::uint32_t unit_steps = lanes & UnitStepLanes(s, first_lane);
    for (std::uint32_t unit = unit_steps; unit != 0; unit &= unit - 1) render_unit_step(lane_mode, __builtin_ctz(unit));
    std::uint32_t narrow = lanes & ~unit_steps;
#if TUTTI_HWY_WIDE_WINDOW_PATH
    // Lanes of steps above the window path's limit (RenderVector left them out on targets
    // without the wide window path).
    const std::uint32_t wide = narrow & (s.wide_lanes >> first_lane);
    narrow &= ~wide;
    render_pairs(lane_mode, std::true_type(), wide);
#endif
    render_pairs(lane_mode, std::false_type(), narrow);
  };
  // Lanes by kind, each kind in a loop over its mask's bits: which lanes of a vector step by
  // one point (or interpolate linearly) varies from block to block, and a branch per lane on it
  // mispredicted often enough to eat much of what the unit-step lanes save.
  for (std::uint32_t idle = ~audible & 0xffu; idle != 0; idle &= idle - 1) {
    const int l = __builtin_ctz(idle);
    for (int k = 0; k < frames; k += kFrames) hn::Store(hn::Zero(df), df, tiles[k / kFrames][l]);
  }
  render_lanes(std::integral_constant<Interpolation, kMode>(), audible & ~linear);
  if constexpr (kMode != Interpolation::linear) {
    if ((audible & linear) != 0) {
      render_lanes(std::integral_constant<Interpolation, Interpolation::linear>(), audible & linear);
    }
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
