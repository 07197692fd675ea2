// Point bounds (kernels/sample_bounds.h) for one Highway target: whole vectors of points in
// 32-bit lanes, the rest by the scalar twin; integer maxima, so exactly the twin's answer.
// Included once per target by kernels/sample_bounds_hwy.cc and by tests/kernels/hwy_targets_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_SAMPLE_BOUNDS_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_SAMPLE_BOUNDS_HWY_INL_H_
#undef TUTTI_KERNELS_SAMPLE_BOUNDS_HWY_INL_H_
#else
#define TUTTI_KERNELS_SAMPLE_BOUNDS_HWY_INL_H_
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/sample_bounds.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

namespace sample_bounds_detail {

// The points from `at` on (a whole vector), on the 24-bit scale.
template <bool kLowBytes, class D>
HWY_INLINE hn::Vec<D> Points(D d, const std::int16_t* HWY_RESTRICT words, const std::uint8_t* HWY_RESTRICT low_bytes,
                             std::ptrdiff_t at) {
  const hn::Rebind<std::int16_t, D> d16;
  auto value = hn::ShiftLeft<8>(hn::PromoteTo(d, hn::LoadU(d16, words + at)));
  if constexpr (kLowBytes) {
    const hn::Rebind<std::uint8_t, D> d8;
    value = hn::Or(value, hn::PromoteTo(d, hn::LoadU(d8, low_bytes + at)));
  }
  return value;
}

template <bool kLowBytes>
HWY_INLINE PointBounds Bounds(const std::int16_t* HWY_RESTRICT words, const std::uint8_t* HWY_RESTRICT low_bytes,
                              std::size_t count) {
  const hn::ScalableTag<std::int32_t> d;
  const std::size_t n = hn::Lanes(d);
  auto peak = hn::Zero(d);
  auto bend = hn::Zero(d);
  std::size_t j = 0;
  for (; j + n <= count; j += n) {
    const auto at = static_cast<std::ptrdiff_t>(j);
    const auto before = Points<kLowBytes>(d, words, low_bytes, at - 1);
    const auto here = Points<kLowBytes>(d, words, low_bytes, at);
    const auto after = Points<kLowBytes>(d, words, low_bytes, at + 1);
    peak = hn::Max(peak, hn::Abs(here));
    bend = hn::Max(bend, hn::Abs(hn::Add(hn::Sub(after, hn::Add(here, here)), before)));
  }
  const PointBounds rest = scalar::point_bounds(words + j, low_bytes != nullptr ? low_bytes + j : nullptr, count - j);
  return {std::max(rest.peak, hn::GetLane(hn::MaxOfLanes(d, peak))),
          std::max(rest.bend, hn::GetLane(hn::MaxOfLanes(d, bend)))};
}

}  // namespace sample_bounds_detail

HWY_INLINE PointBounds PointBoundsOf(const std::int16_t* words, const std::uint8_t* low_bytes, std::size_t count) {
  if (low_bytes != nullptr) return sample_bounds_detail::Bounds<true>(words, low_bytes, count);
  return sample_bounds_detail::Bounds<false>(words, nullptr, count);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
