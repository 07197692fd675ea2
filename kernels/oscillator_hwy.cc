// Highway dispatch for the lane oscillator: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/oscillator_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/oscillator_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

void RenderOscillatorLanesFused(const SampleData& data, Interpolation mode,
                                const OscillatorLanes& lanes, float* frame_major) {
  RenderOscillatorLanes<true>(data, mode, lanes, frame_major);
}
void RenderOscillatorLanesPortable(const SampleData& data, Interpolation mode,
                                   const OscillatorLanes& lanes, float* frame_major) {
  RenderOscillatorLanes<false>(data, mode, lanes, frame_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/hwy_backend.h"

namespace tutti::kernels {

HWY_EXPORT(RenderOscillatorLanesFused);
HWY_EXPORT(RenderOscillatorLanesPortable);

namespace detail {
OscillatorLanesFn hwy_render_oscillator_lanes(Arithmetic arithmetic) {
  return arithmetic == Arithmetic::portable ? &HWY_DYNAMIC_DISPATCH(RenderOscillatorLanesPortable)
                                            : &HWY_DYNAMIC_DISPATCH(RenderOscillatorLanesFused);
}
}  // namespace detail

}  // namespace tutti::kernels
#endif  // HWY_ONCE
