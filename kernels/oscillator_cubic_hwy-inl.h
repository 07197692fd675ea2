// The cubic interpolation's weights and the vector types of the Highway oscillator, for one
// target: shared by its lane path (kernels/oscillator_hwy-inl.h) and its window path
// (kernels/oscillator_window_hwy-inl.h).

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_CUBIC_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_CUBIC_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_CUBIC_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_CUBIC_HWY_INL_H_
#endif

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

namespace hn = hwy::HWY_NAMESPACE;

// Lane kernels use at most 8 lanes per vector: one code path for SSE4 (4) and AVX2 (8); the
// AVX-512 targets run it at 256 bits.
using FloatTag = hn::CappedTag<float, 8>;
using IntTag = hn::RebindToSigned<FloatTag>;
using UintTag = hn::RebindToUnsigned<FloatTag>;
using IntVec = hn::Vec<IntTag>;
using FloatVec = hn::Vec<FloatTag>;

// The four weights of a frame (or of a vector of frames), in tap order.
template <class V>
struct Weights {
  V before, at, after, after2;
};

// Catmull-Rom weights for the top 8 bits of the fraction, scaled by 2^25 so they are
// integers; each is computed with a single rounding (the last operation), as the table is.
using CubicWeights = Weights<FloatVec>;

HWY_INLINE CubicWeights CubicWeightsFor(hn::Vec<UintTag> fraction) {
  const FloatTag df;
  const IntTag di;
  const IntVec row = hn::BitCast(di, hn::ShiftRight<24>(fraction));
  const FloatVec k = hn::ConvertTo(df, row);
  // k^2 (k - 256): below 2^24 in magnitude, exact.
  const FloatVec after2 = hn::Mul(hn::Mul(k, k), hn::Sub(k, hn::Set(df, 256.0f)));
  // k (k (512 - k) - 65536): exact.
  const FloatVec before =
      hn::Mul(k, hn::Sub(hn::Mul(k, hn::Sub(hn::Set(df, 512.0f), k)), hn::Set(df, 65536.0f)));
  // k (65536 + k (1024 - 3k)): exact up to the last multiplication, which rounds once.
  const FloatVec after = hn::Mul(
      k, hn::Add(hn::Mul(k, hn::Sub(hn::Set(df, 1024.0f), hn::Mul(hn::Set(df, 3.0f), k))),
                 hn::Set(df, 65536.0f)));
  // 2^25 + k^2 (3k - 1280): exact in integers, rounded once by the conversion.
  const IntVec at_integer =
      hn::Add(hn::Mul(hn::Mul(row, row), hn::Sub(hn::Mul(row, hn::Set(di, 3)), hn::Set(di, 1280))),
              hn::Set(di, 1 << 25));
  return CubicWeights{before, hn::ConvertTo(df, at_integer), after, after2};
}

template <bool kFused, class V>
HWY_INLINE V MulAddOrNot(V a, V b, V c) {
  if constexpr (kFused) {
    return hn::MulAdd(a, b, c);
  } else {
    return hn::Add(hn::Mul(a, b), c);
  }
}

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
