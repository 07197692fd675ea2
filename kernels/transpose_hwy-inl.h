// Square transposes of one vector's worth of lanes, for one Highway target: rows of a
// frame-major tile become per-lane rows of frames. Included by the lane kernels' -inl.h files.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_TRANSPOSE_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_TRANSPOSE_HWY_INL_H_
#undef TUTTI_KERNELS_TRANSPOSE_HWY_INL_H_
#else
#define TUTTI_KERNELS_TRANSPOSE_HWY_INL_H_
#endif

#include <cstddef>

#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// out[c * out_stride + r] = in[r * in_stride + c] for an N x N tile, N = MaxLanes(d) (1, 4 or
// 8): interleave pairs of rows, then pairs of pairs, then (for 8) the 128-bit halves.
template <class D>
HWY_INLINE void TransposeTile(D d, const float* HWY_RESTRICT in, std::size_t in_stride,
                              float* HWY_RESTRICT out, std::size_t out_stride) {
  constexpr std::size_t kN = hn::MaxLanes(D());
#if HWY_TARGET == HWY_SCALAR
  static_assert(kN == 1);
  (void)d;
  (void)in_stride;
  (void)out_stride;
  out[0] = in[0];
#else
  if constexpr (kN == 4 || kN == 8) {
    const hn::Repartition<std::uint64_t, D> d64;
    auto pairs = [&](std::size_t row, auto& c0, auto& c1, auto& c2, auto& c3) {
      const auto r0 = hn::LoadU(d, in + (row + 0) * in_stride);
      const auto r1 = hn::LoadU(d, in + (row + 1) * in_stride);
      const auto r2 = hn::LoadU(d, in + (row + 2) * in_stride);
      const auto r3 = hn::LoadU(d, in + (row + 3) * in_stride);
      const auto t0 = hn::BitCast(d64, hn::InterleaveLower(d, r0, r1));
      const auto t1 = hn::BitCast(d64, hn::InterleaveUpper(d, r0, r1));
      const auto t2 = hn::BitCast(d64, hn::InterleaveLower(d, r2, r3));
      const auto t3 = hn::BitCast(d64, hn::InterleaveUpper(d, r2, r3));
      c0 = hn::BitCast(d, hn::InterleaveLower(d64, t0, t2));
      c1 = hn::BitCast(d, hn::InterleaveUpper(d64, t0, t2));
      c2 = hn::BitCast(d, hn::InterleaveLower(d64, t1, t3));
      c3 = hn::BitCast(d, hn::InterleaveUpper(d64, t1, t3));
    };
    hn::Vec<D> a0, a1, a2, a3;
    pairs(0, a0, a1, a2, a3);
    if constexpr (kN == 4) {
      hn::StoreU(a0, d, out + 0 * out_stride);
      hn::StoreU(a1, d, out + 1 * out_stride);
      hn::StoreU(a2, d, out + 2 * out_stride);
      hn::StoreU(a3, d, out + 3 * out_stride);
    } else {
      // Each 128-bit block of a_c holds column c (low block) or c + 4 (high block) of rows 0-3.
      hn::Vec<D> b0, b1, b2, b3;
      pairs(4, b0, b1, b2, b3);
      hn::StoreU(hn::ConcatLowerLower(d, b0, a0), d, out + 0 * out_stride);
      hn::StoreU(hn::ConcatLowerLower(d, b1, a1), d, out + 1 * out_stride);
      hn::StoreU(hn::ConcatLowerLower(d, b2, a2), d, out + 2 * out_stride);
      hn::StoreU(hn::ConcatLowerLower(d, b3, a3), d, out + 3 * out_stride);
      hn::StoreU(hn::ConcatUpperUpper(d, b0, a0), d, out + 4 * out_stride);
      hn::StoreU(hn::ConcatUpperUpper(d, b1, a1), d, out + 5 * out_stride);
      hn::StoreU(hn::ConcatUpperUpper(d, b2, a2), d, out + 6 * out_stride);
      hn::StoreU(hn::ConcatUpperUpper(d, b3, a3), d, out + 7 * out_stride);
    }
  } else {
    for (std::size_t r = 0; r < kN; ++r) {
      for (std::size_t c = 0; c < kN; ++c) out[c * out_stride + r] = in[r * in_stride + c];
    }
  }
#endif
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
