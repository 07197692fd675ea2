// Float to integer PCM for one Highway target, with the scalar twin's rounding (to nearest,
// ties to even), saturation, clip count and NaN rule (kernels/pcm_conversion_scalar.cc): the
// results are the twin's exactly. Included once per target by kernels/pcm_conversion_hwy.cc and
// by tests/kernels/pcm_conversion_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_PCM_CONVERSION_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_PCM_CONVERSION_HWY_INL_H_
#undef TUTTI_KERNELS_PCM_CONVERSION_HWY_INL_H_
#else
#define TUTTI_KERNELS_PCM_CONVERSION_HWY_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/pcm_conversion.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

namespace pcm_detail {

// Rounded, NaN-free and clamped values of one vector, and how many were clipped.
template <class D>
HWY_INLINE hn::Vec<hn::RebindToSigned<D>> Quantize(D d, hn::Vec<D> source, float scale,
                                                   float lowest, float highest,
                                                   std::size_t& clipped) {
  auto value = hn::Round(hn::Mul(source, hn::Set(d, scale)));
  const auto low = hn::Set(d, lowest);
  const auto high = hn::Set(d, highest);
  clipped += hn::CountTrue(d, hn::Or(hn::Gt(value, high), hn::Lt(value, low)));
  // Eq, not Ne: Highway's float comparisons are ordered, so NaN != NaN is false there, while
  // NaN == NaN is false as everywhere.
  value = hn::IfThenElseZero(hn::Eq(value, value), value);
  return hn::ConvertTo(hn::RebindToSigned<D>(), hn::Min(hn::Max(value, low), high));
}

}  // namespace pcm_detail

HWY_INLINE std::size_t ToPcm16(const float* HWY_RESTRICT source, std::size_t count,
                               std::int16_t* HWY_RESTRICT out) {
  // Demoting halves the lane width, so work on vectors whose int16 half is a valid vector.
  const hn::ScalableTag<float> d;
  const hn::Rebind<std::int16_t, decltype(d)> d16;
  const std::size_t n = hn::Lanes(d);
  std::size_t clipped = 0;
  std::size_t i = 0;
  for (; i + n <= count; i += n) {
    const auto value = pcm_detail::Quantize(d, hn::LoadU(d, source + i), 32768.0f, -32768.0f,
                                            32767.0f, clipped);
    hn::StoreU(hn::DemoteTo(d16, value), d16, out + i);
  }
  // The last few values by the twin itself.
  return clipped + scalar::to_pcm16(source + i, count - i, out + i);
}

HWY_INLINE std::size_t ToPcm24(const float* HWY_RESTRICT source, std::size_t count,
                               std::int32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<float> d;
  const hn::RebindToSigned<decltype(d)> di;
  const std::size_t n = hn::Lanes(d);
  std::size_t clipped = 0;
  std::size_t i = 0;
  for (; i + n <= count; i += n) {
    hn::StoreU(pcm_detail::Quantize(d, hn::LoadU(d, source + i), 8388608.0f, -8388608.0f,
                                    8388607.0f, clipped),
               di, out + i);
  }
  return clipped + scalar::to_pcm24(source + i, count - i, out + i);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
