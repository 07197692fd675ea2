// The lane biquad for one Highway target: one voice per lane. With kFused == false each lane
// does exactly the scalar twin's arithmetic (kernels/biquad_scalar.cc) in the same order, so
// every lane computes the twin's bits; kFused fuses and reorders one sum (see FilterFrame).
// Included once per target by kernels/biquad_hwy.cc and by tests/kernels/hwy_targets_test.cc.

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

// One frame of one vector of lanes: returns the output and moves the memory (and, kRamp, the
// coefficients) on. kRamp: some lane's coefficients move; kPassThrough: some lane is disabled.
template <bool kRamp, bool kPassThrough, bool kFused>
HWY_INLINE FloatVec FilterFrame(const FilterLaneSetup& s, std::size_t first, std::size_t k, FloatVec x,
                                FloatVec& b02, FloatVec& b1, FloatVec& a1, FloatVec& a2, FloatVec& h1,
                                FloatVec& h2) {
  const FloatTag df;
  const IntTag di;
  FloatVec centre;
  FloatVec y;
  if constexpr (kFused) {
    // a2 * h2 first: h2 is last frame's h1, ready early, so only one FMA lies on the chain
    // from h1 to the next frame's h1 (the twin's order puts two there, doubling the latency
    // every frame waits for). Rounding differs from the twin's order, as fusing does anyway.
    centre = hn::NegMulAdd(a1, h1, hn::NegMulAdd(a2, h2, x));
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
    const auto rescale = hn::And(hn::And(in_ramp, compensate), hn::Gt(hn::Abs(b02), hn::Set(df, 0.001f)));
    const FloatVec ratio = hn::Div(previous_b02, b02);
    h1 = hn::IfThenElse(rescale, hn::Mul(h1, ratio), h1);
    h2 = hn::IfThenElse(rescale, hn::Mul(h2, ratio), h2);
  }
  if constexpr (kPassThrough) {
    const auto enabled = hn::RebindMask(df, hn::Ne(hn::LoadU(di, s.enabled + first), hn::Zero(di)));
    y = hn::IfThenElse(enabled, y, x);
  }
  return y;
}

// Filters one vector of lanes from `first` (kPair: and the next vector, from `first` + kN, in
// the same loop) through the block, writing each lane's frames to its voice-major row. Each
// lane's recurrence is a chain of dependent operations along time; two vectors in one loop give
// the core independent work to overlap with that latency. kRamp and kRamp2 are each vector's
// own, so a settled vector does not pay for its partner's ramp.
// Each lane's bit of a setup mask, for turning the mask into a vector mask.
alignas(64) inline constexpr std::int32_t kLaneBits[8] = {1, 2, 4, 8, 16, 32, 64, 128};

// The memory of the vector of lanes from `first`: the twin's denormal guard, applied as it loads.
HWY_INLINE FloatVec GuardedHistory1(FloatVec h1) {
  const FloatTag df;
  return hn::IfThenZeroElse(hn::Lt(hn::Abs(h1), hn::Set(df, 1e-20f)), h1);
}

// Writes back the memory of the setup's `keep` lanes among the vector's; the others keep theirs.
HWY_INLINE void StoreKeptHistory(FilterLaneSetup& s, std::size_t first, FloatVec h1, FloatVec h2) {
  const FloatTag df;
  const IntTag di;
  const auto bits = hn::Set(di, static_cast<std::int32_t>(s.keep >> first));
  const auto keep = hn::RebindMask(df, hn::Ne(hn::And(bits, hn::LoadU(di, kLaneBits)), hn::Zero(di)));
  hn::StoreU(hn::IfThenElse(keep, h1, hn::LoadU(df, s.history1 + first)), df, s.history1 + first);
  hn::StoreU(hn::IfThenElse(keep, h2, hn::LoadU(df, s.history2 + first)), df, s.history2 + first);
}

// Filters one vector of lanes from `first` (kPair: and the next vector, from `first` + kN, in
// the same loop) through the block, writing each lane's frames to its voice-major row. Each
// lane's recurrence is a chain of dependent operations along time; two vectors in one loop give
// the core independent work to overlap with that latency. kRamp and kRamp2 are each vector's
// own, so a settled vector does not pay for its partner's ramp.
template <bool kRamp, bool kRamp2, bool kPassThrough, bool kFused, bool kPair>
HWY_NOINLINE void FilterVectors(FilterLaneSetup& s, std::size_t first, const float* HWY_RESTRICT frame_major,
                                float* HWY_RESTRICT voice_major) {
  const FloatTag df;
  constexpr std::size_t kN = hn::MaxLanes(FloatTag());
  const std::size_t second = first + kN;
  FloatVec b02 = hn::LoadU(df, s.b02 + first);
  FloatVec b1 = hn::LoadU(df, s.b1 + first);
  FloatVec a1 = hn::LoadU(df, s.a1 + first);
  FloatVec a2 = hn::LoadU(df, s.a2 + first);
  FloatVec h1 = GuardedHistory1(hn::LoadU(df, s.history1 + first));
  FloatVec h2 = hn::LoadU(df, s.history2 + first);
  // The second vector's state (unused without kPair).
  FloatVec b02_2 = b02, b1_2 = b1, a1_2 = a1, a2_2 = a2, h1_2 = h1, h2_2 = h2;
  if constexpr (kPair) {
    b02_2 = hn::LoadU(df, s.b02 + second);
    b1_2 = hn::LoadU(df, s.b1 + second);
    a1_2 = hn::LoadU(df, s.a1 + second);
    a2_2 = hn::LoadU(df, s.a2 + second);
    h1_2 = GuardedHistory1(hn::LoadU(df, s.history1 + second));
    h2_2 = hn::LoadU(df, s.history2 + second);
  }

  alignas(64) float tile[kN * kN];
  alignas(64) float tile_2[kN * kN];
  for (std::size_t k0 = 0; k0 < static_cast<std::size_t>(kBlockFrames); k0 += kN) {
    for (std::size_t r = 0; r < kN; ++r) {
      const std::size_t k = k0 + r;
      const float* input = frame_major + k * kLaneCount;
      const FloatVec y = FilterFrame<kRamp, kPassThrough, kFused>(s, first, k, hn::LoadU(df, input + first), b02,
                                                                  b1, a1, a2, h1, h2);
      hn::Store(y, df, tile + r * kN);
      if constexpr (kPair) {
        const FloatVec y_2 = FilterFrame<kRamp2, kPassThrough, kFused>(s, second, k, hn::LoadU(df, input + second),
                                                                      b02_2, b1_2, a1_2, a2_2, h1_2, h2_2);
        hn::Store(y_2, df, tile_2 + r * kN);
      }
    }
    TransposeTile(df, tile, kN, voice_major + first * kBlockFrames + k0, kBlockFrames);
    if constexpr (kPair) TransposeTile(df, tile_2, kN, voice_major + second * kBlockFrames + k0, kBlockFrames);
  }
  StoreKeptHistory(s, first, h1, h2);
  if constexpr (kPair) StoreKeptHistory(s, second, h1_2, h2_2);
}

// The variant of one vector or pair that its lanes need this block.
template <bool kFused, bool kPair, bool kPassThrough>
void FilterVectorsRamping(bool ramp, bool ramp_2, FilterLaneSetup& s, std::size_t first, const float* frame_major,
                          float* voice_major) {
  if constexpr (kPair) {
    if (ramp) {
      if (ramp_2) FilterVectors<true, true, kPassThrough, kFused, true>(s, first, frame_major, voice_major);
      else FilterVectors<true, false, kPassThrough, kFused, true>(s, first, frame_major, voice_major);
    } else {
      if (ramp_2) FilterVectors<false, true, kPassThrough, kFused, true>(s, first, frame_major, voice_major);
      else FilterVectors<false, false, kPassThrough, kFused, true>(s, first, frame_major, voice_major);
    }
  } else {
    (void)ramp_2;
    if (ramp) FilterVectors<true, false, kPassThrough, kFused, false>(s, first, frame_major, voice_major);
    else FilterVectors<false, false, kPassThrough, kFused, false>(s, first, frame_major, voice_major);
  }
}

// `lanes` and `lanes_2`: the lanes of the vector from `first` and (kPair) of the next one.
template <bool kFused, bool kPair>
void FilterVectorsAs(FilterLaneSetup& s, std::uint32_t lanes, std::uint32_t lanes_2, std::size_t first,
                     const float* frame_major, float* voice_major) {
  const bool ramp = (s.ramping & lanes) != 0;
  const bool ramp_2 = (s.ramping & lanes_2) != 0;
  if ((s.disabled & (lanes | lanes_2)) != 0) {
    FilterVectorsRamping<kFused, kPair, true>(ramp, ramp_2, s, first, frame_major, voice_major);
  } else {
    FilterVectorsRamping<kFused, kPair, false>(ramp, ramp_2, s, first, frame_major, voice_major);
  }
}

template <bool kFused>
void FilterLanesWith(FilterLaneSetup& setup, const float* frame_major, float* voice_major) {
  constexpr std::size_t kN = hn::MaxLanes(FloatTag());
  static_assert(kLaneCount % (2 * kN) == 0, "lanes come in pairs of vectors");
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += 2 * kN) {
    const std::uint32_t lanes_1 = ((1u << kN) - 1u) << first;
    const std::uint32_t lanes_2 = lanes_1 << kN;
    const bool active_1 = (setup.active & lanes_1) != 0;
    const bool active_2 = (setup.active & lanes_2) != 0;
    if (active_1 && active_2) {
      FilterVectorsAs<kFused, true>(setup, lanes_1, lanes_2, first, frame_major, voice_major);
    } else if (active_1) {
      FilterVectorsAs<kFused, false>(setup, lanes_1, 0, first, frame_major, voice_major);
    } else if (active_2) {
      FilterVectorsAs<kFused, false>(setup, lanes_2, 0, first + kN, frame_major, voice_major);
    }
  }
}

}  // namespace biquad_detail

template <bool kFused>
void ApplyBiquadLanes(FilterLaneSetup& setup, const float* frame_major, float* voice_major) {
  biquad_detail::FilterLanesWith<kFused>(setup, frame_major, voice_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
