// The unit-step lanes of the Highway oscillator's window path (kernels/oscillator_window_hwy-inl.h),
// for one target. A lane whose increment is exactly one point per frame (a sample at the output
// rate played at its root key: about a quarter of the blocks of real songs) keeps its fraction,
// and so its interpolation weights, through the block, and the points a tap reads for
// consecutive frames are consecutive: a vector of frames reads each tap with one unaligned load
// of as many words, weighs it by a constant and adds, as a 4-tap (cubic) or 2-tap (linear) FIR.
// The values are those of the lane path bit for bit: the same weights (ScaledCubicWeights at the
// lane path's scale; linear's 256 - k and k), tap sums and gain ramp, per frame, in the same order.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_UNIT_STEP_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_UNIT_STEP_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_UNIT_STEP_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_UNIT_STEP_HWY_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_window_hwy-inl.h"
#include "kernels/oscillator_window_sums_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH

// The lanes of the vector at `first_lane` (bit 0: first_lane) that step exactly one point per
// frame (an increment's fraction 0, its integer part 1): one comparison for all 8, no branch.
// Steps of 2 and more points are rare in real songs, and beyond the window path's limit.
HWY_INLINE std::uint32_t UnitStepLanes(const OscillatorLaneSetup& s, std::size_t first_lane) {
  const IntTag di;
  const auto fraction = hn::LoadU(di, reinterpret_cast<const std::int32_t*>(s.step_fraction) + first_lane);
  const auto index_plus_one = hn::LoadU(di, s.step_index_plus_one + first_lane);
  const auto unit = hn::And(hn::VecFromMask(di, hn::Eq(fraction, hn::Zero(di))),
                            hn::VecFromMask(di, hn::Eq(index_plus_one, hn::Set(di, 2))));
  return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(unit.raw)));
}

// A unit-step lane's frames for one vector width: its weights, which the whole block shares, and
// its gain ramp.
template <Interpolation kMode, bool kFused, class D>
class UnitStepFrames {
 public:
  HWY_INLINE UnitStepFrames(D d, const OscillatorLaneSetup& s, std::size_t lane, float scale)
      : gain_(hn::Set(d, s.gain[lane])), gain_step_(hn::Set(d, s.gain_step[lane])) {
    const hn::RebindToUnsigned<D> du;
    const std::uint32_t fraction = s.fraction[lane];
    if constexpr (kMode == Interpolation::cubic) {
      weights_ = ScaledCubicWeights(d, hn::Set(du, fraction), hn::Set(d, scale));
    } else {
      // Linear weighs the point by 256 - k and the one after it by k, unscaled: the lane
      // path's scale is 1 for 16-bit points.
      (void)scale;
      const float k = static_cast<float>(fraction >> 24);
      weights_.at = hn::Set(d, 256.0f - k);
      weights_.after = hn::Set(d, k);
    }
  }

  // Frames k, k + 1, ... (as many as D has lanes), whose indices are those of `points`, points + 1, ...
  HWY_INLINE hn::Vec<D> At(const std::int16_t* HWY_RESTRICT points, int k) const {
    const D d;
    hn::Vec<D> sum;
    if constexpr (kMode == Interpolation::cubic) {
      sum = hn::Mul(weights_.before, Points(points - 1));
      sum = MulAddOrNot<kFused>(weights_.at, Points(points), sum);
      sum = MulAddOrNot<kFused>(weights_.after, Points(points + 1), sum);
      sum = MulAddOrNot<kFused>(weights_.after2, Points(points + 2), sum);
    } else {
      // The products and their sum are integers below 2^24 in magnitude: exact, fused or not.
      sum = MulAddOrNot<kFused>(weights_.after, Points(points + 1), hn::Mul(weights_.at, Points(points)));
    }
    const hn::Vec<D> position = hn::Load(d, kFramePositions.once + k);
    return hn::Mul(MulAddOrNot<kFused>(gain_step_, position, gain_), sum);
  }

 private:
  // The words from `first` on as floats (exact).
  static HWY_INLINE hn::Vec<D> Points(const std::int16_t* HWY_RESTRICT first) {
    const D d;
    const hn::RebindToSigned<D> di;
    return hn::ConvertTo(d, hn::PromoteTo(di, hn::LoadU(hn::Rebind<std::int16_t, D>(), first)));
  }

  Weights<hn::Vec<D>> weights_;
  hn::Vec<D> gain_, gain_step_;
};

// Frames [0, frames) (a multiple of 8) of the unit-step lane `l` of the vector at `first_lane`
// into its row of `tiles`, 16 frames per vector where the target has 512 bits; its state at
// `frames` into the lane path's arrays. Through a loop seam (kSeam), as WindowPhase: the frames'
// indices run on past the loop end, a run of frames that reaches it reads the seam copy, and
// once a run would start with all its points past the loop end its index goes back by the loop
// length.
template <Interpolation kMode, bool kFused, bool kSeam>
HWY_INLINE void RenderUnitStepLane(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                   std::size_t first_lane, int l, int frames, float scale,
                                   WindowTiles& HWY_RESTRICT tiles, std::int32_t* index, std::uint32_t* fraction,
                                   std::int32_t* looped) {
  const std::size_t lane = first_lane + static_cast<std::size_t>(l);
  std::int16_t seam[kSeamWords];
  if constexpr (kSeam) FillSeam(words, s, lane, seam);
  const auto loop_end = static_cast<std::uint32_t>(s.wrap_at[lane]);
  const auto loop_length = static_cast<std::uint32_t>(s.loop_length[lane]);
  std::uint32_t next = static_cast<std::uint32_t>(s.index[lane]);  // the index of frame k
  bool wrapped = false;
  // The points at the indices of `count` frames from frame k on; the taps around them (one
  // before, two after) are readable there too.
  auto points = [&](int count) {
    if constexpr (kSeam) {
      if (next > loop_end) {
        next -= loop_length;
        wrapped = true;
      }
      if (next + static_cast<std::uint32_t>(count) + 1 >= loop_end) return InSeam(seam, next, loop_end);
    }
    return words + next;
  };
  int k = 0;
  const hn::ScalableTag<float> wide;
  if constexpr (hn::MaxLanes(wide) == 2 * kWindowFrames) {
    const hn::Half<decltype(wide)> half;
    const UnitStepFrames<kMode, kFused, decltype(wide)> run(wide, s, lane, scale);
    for (; k + 2 * kWindowFrames <= frames; k += 2 * kWindowFrames) {
      const auto values = run.At(points(2 * kWindowFrames), k);
      hn::Store(hn::LowerHalf(half, values), half, tiles[k / kWindowFrames][l]);
      hn::Store(hn::UpperHalf(half, values), half, tiles[k / kWindowFrames + 1][l]);
      next += 2 * kWindowFrames;
    }
  }
  if (k < frames) {
    const FloatTag df;
    const UnitStepFrames<kMode, kFused, FloatTag> run(df, s, lane, scale);
    for (; k < frames; k += kWindowFrames) {
      hn::Store(run.At(points(kWindowFrames), k), df, tiles[k / kWindowFrames][l]);
      next += kWindowFrames;
    }
  }
  // Where the lane path continues: wrapped into the loop, as its own steps wrap (without kSeam
  // the loop end lies ahead, or at most one step behind, which the lane path's first wrap takes
  // back).
  if constexpr (kSeam) {
    if (next >= loop_end) {
      next -= loop_length;
      wrapped = true;
    }
  }
  index[l] = static_cast<std::int32_t>(next);
  fraction[l] = s.fraction[lane];
  looped[l] = wrapped ? -1 : s.looped[lane];
}

#endif  // TUTTI_HWY_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
