// Highway dispatch for the lane biquad: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/biquad_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/biquad_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

void ApplyBiquadLanesFused(FilterLaneSetup& setup, const float* frame_major, float* voice_major) {
  ApplyBiquadLanes<true>(setup, frame_major, voice_major);
}
void ApplyBiquadLanesPortable(FilterLaneSetup& setup, const float* frame_major, float* voice_major) {
  ApplyBiquadLanes<false>(setup, frame_major, voice_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/hwy_backend.h"

namespace tutti::kernels {

HWY_EXPORT(ApplyBiquadLanesFused);
HWY_EXPORT(ApplyBiquadLanesPortable);

namespace detail {
BiquadLanesFn hwy_apply_biquad_lanes(Arithmetic arithmetic) {
  return arithmetic == Arithmetic::portable ? &HWY_DYNAMIC_DISPATCH(ApplyBiquadLanesPortable)
                                            : &HWY_DYNAMIC_DISPATCH(ApplyBiquadLanesFused);
}
}  // namespace detail

}  // namespace tutti::kernels
#endif  // HWY_ONCE
