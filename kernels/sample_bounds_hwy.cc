// Highway dispatch for point bounds: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/sample_bounds_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/sample_bounds_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

PointBounds ScanPointBounds(const std::int16_t* words, const std::uint8_t* low_bytes, std::size_t count) {
  return PointBoundsOf(words, low_bytes, count);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tutti::kernels {

HWY_EXPORT(ScanPointBounds);

PointBoundsFn dispatched_point_bounds() { return &HWY_DYNAMIC_DISPATCH(ScanPointBounds); }

}  // namespace tutti::kernels
#endif  // HWY_ONCE
