// The lane biquad for one Highway target: one voice per lane, each lane doing exactly the
// scalar twin's arithmetic (kernels/biquad_scalar.cc) in the same order, so that with
// kFused == false every lane computes the twin's bits. Included once per target by
// kernels/biquad_hwy.cc and by tests/kernels/biquad_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_BIQUAD_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_BIQUAD_HWY_INL_H_
#undef TUTTI_KERNELS_BIQUAD_HWY_INL_H_
#else
#define TUTTI_KERNELS_BIQUAD_HWY_INL_H_
#endif

#include <cstdint>

#include "hwy/highway.h"
#include "kernels/biquad.h"
#include "kernels/biquad_lane_setup.h"
#include "kernels/transpose_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace biquad_detail {

namespace hn = hwy::HWY_NAMESPACE;

// At most 8 lanes per vector, as the oscillator (see oscillator_hwy-inl.h).
using FloatTag = hn::CappedTag<float, 8>;
using IntTag = hn::RebindToSigned<FloatTag>;
using FloatVec = hn::Vec<FloatTag>;

// Filters one vector of lanes through the block and writes each lane's frames to its
// voice-major row. kRamp: some lane's coefficients move; kPassThrough: some lane is disabled.
template <bool kRamp, bool kPassThrough, bool kFused>
HWY_NOINLINE void FilterVector(const FilterLaneSetup& s, std::size_t first,
                               const float* HWY_RESTRICT frame_major,
                               float* HWY_RESTRICT voice_major, float* HWY_RESTRICT history1,
                               float* HWY_RESTRICT history2) {
  const FloatTag df;
  const IntTag di;
  constexpr std::size_t kN = hn::MaxLanes(FloatTag());
  FloatVec b02 = hn::LoadU(df, s.b02 + first);
  FloatVec b1 = hn::LoadU(df, s.b1 + first);
  FloatVec a1 = hn::LoadU(df, s.a1 + first);
  FloatVec a2 = hn::LoadU(df, s.a2 + first);
  FloatVec h1 = hn::LoadU(df, s.history1 + first);
  FloatVec h2 = hn::LoadU(df, s.history2 + first);

  alignas(64) float tile[kN * kN];
  for (std::size_t k0 = 0; k0 < static_cast<std::size_t>(kBlockFrames); k0 += kN) {
    for (std::size_t r = 0; r < kN; ++r) {
      const std::size_t k = k0 + r;
      const FloatVec x = hn::LoadU(df, frame_major + k * kLaneCount + first);
      FloatVec centre;
      FloatVec y;
      if constexpr (kFused) {
        centre = hn::NegMulAdd(a2, h2, hn::NegMulAdd(a1, h1, x));
        y = hn::MulAdd(b1, h1, hn::Mul(b02, hn::Add(centre, h2)));
      } else {
        centre = hn::Sub(hn::Sub(x, hn::Mul(a1, h1)), hn::Mul(a2, h2));
        y = hn::Add(hn::Mul(b02, hn::Add(centre, h2)), hn::Mul(b1, h1));
      }
      h2 = h1;
      h1 = centre;
      if constexpr (kRamp) {
        const auto in_ramp = hn::RebindMask(
            df, hn::Lt(hn::Set(di, static_cast<std::int32_t>(k)), hn::LoadU(di, s.ramp_frames + first)));
        const FloatVec previous_b02 = b02;
        a1 = hn::IfThenElse(in_ramp, hn::Add(a1, hn::LoadU(df, s.step_a1 + first)), a1);
        a2 = hn::IfThenElse(in_ramp, hn::Add(a2, hn::LoadU(df, s.step_a2 + first)), a2);
        b02 = hn::IfThenElse(in_ramp, hn::Add(b02, hn::LoadU(df, s.step_b02 + first)), b02);
        b1 = hn::IfThenElse(in_ramp, hn::Add(b1, hn::LoadU(df, s.step_b1 + first)), b1);
        // A large cutoff jump rescales the memory to keep the output continuous.
        const auto compensate = hn::RebindMask(df, hn::Ne(hn::LoadU(di, s.compensate + first), hn::Zero(di)));
        const auto rescale = hn::And(hn::And(in_ramp, compensate),
                                     hn::Gt(hn::Abs(b02), hn::Set(df, 0.001f)));
        const FloatVec ratio = hn::Div(previous_b02, b02);
        h1 = hn::IfThenElse(rescale, hn::Mul(h1, ratio), h1);
        h2 = hn::IfThenElse(rescale, hn::Mul(h2, ratio), h2);
      }
      if constexpr (kPassThrough) {
        const auto enabled = hn::RebindMask(df, hn::Ne(hn::LoadU(di, s.enabled + first), hn::Zero(di)));
        y = hn::IfThenElse(enabled, y, x);
      }
      hn::Store(y, df, tile + r * kN);
    }
    TransposeTile(df, tile, kN, voice_major + first * kBlockFrames + k0, kBlockFrames);
  }
  hn::StoreU(h1, df, history1 + first);
  hn::StoreU(h2, df, history2 + first);
}

template <bool kFused>
void FilterLanesWith(const FilterLanes& lanes, const float* frame_major, float* voice_major) {
  FilterLaneSetup setup;
  prepare_filter_lanes(lanes, setup);
  alignas(64) float history1[kLaneCount];
  alignas(64) float history2[kLaneCount];
  constexpr std::size_t kN = hn::MaxLanes(FloatTag());
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += kN) {
    const std::uint32_t vector_lanes = ((1u << kN) - 1u) << first;
    if ((setup.active & vector_lanes) == 0) continue;
    const bool ramp = (setup.ramping & vector_lanes) != 0;
    const bool pass_through = (setup.disabled & vector_lanes) != 0;
    if (pass_through) {
      if (ramp) FilterVector<true, true, kFused>(setup, first, frame_major, voice_major, history1, history2);
      else FilterVector<false, true, kFused>(setup, first, frame_major, voice_major, history1, history2);
    } else {
      if (ramp) FilterVector<true, false, kFused>(setup, first, frame_major, voice_major, history1, history2);
      else FilterVector<false, false, kFused>(setup, first, frame_major, voice_major, history1, history2);
    }
  }
  store_filter_lanes(lanes, setup, history1, history2);
}

}  // namespace biquad_detail

template <bool kFused>
void ApplyBiquadLanes(const FilterLanes& lanes, const float* frame_major, float* voice_major) {
  biquad_detail::FilterLanesWith<kFused>(lanes, frame_major, voice_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
