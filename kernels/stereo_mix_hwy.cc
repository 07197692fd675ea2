// Highway dispatch for pan mixing and span sums: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/stereo_mix_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/stereo_mix_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

void PanMixFused(const PanBlock& pan, const float* mono, int frames, float* left, float* right) {
  PanMix<true>(pan, mono, frames, left, right);
}
void PanMixPortable(const PanBlock& pan, const float* mono, int frames, float* left,
                    float* right) {
  PanMix<false>(pan, mono, frames, left, right);
}
void PanMixLanesFused(const PanBlock* const* pans, const float* const* rows, const int* frames,
                      int count, float* left, float* right) {
  PanMixLanes<true>(pans, rows, frames, count, left, right);
}
void PanMixLanesPortable(const PanBlock* const* pans, const float* const* rows,
                         const int* frames, int count, float* left, float* right) {
  PanMixLanes<false>(pans, rows, frames, count, left, right);
}
void AccumulateSpan(const float* source, int count, float* destination) {
  Accumulate(source, count, destination);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/hwy_backend.h"

namespace tutti::kernels {

HWY_EXPORT(PanMixFused);
HWY_EXPORT(PanMixPortable);
HWY_EXPORT(PanMixLanesFused);
HWY_EXPORT(PanMixLanesPortable);
HWY_EXPORT(AccumulateSpan);

namespace detail {
PanMixFn hwy_pan_mix(Arithmetic arithmetic) {
  return arithmetic == Arithmetic::portable ? &HWY_DYNAMIC_DISPATCH(PanMixPortable)
                                            : &HWY_DYNAMIC_DISPATCH(PanMixFused);
}
PanMixLanesFn hwy_pan_mix_lanes(Arithmetic arithmetic) {
  return arithmetic == Arithmetic::portable ? &HWY_DYNAMIC_DISPATCH(PanMixLanesPortable)
                                            : &HWY_DYNAMIC_DISPATCH(PanMixLanesFused);
}
AccumulateFn hwy_accumulate() { return &HWY_DYNAMIC_DISPATCH(AccumulateSpan); }
}  // namespace detail

}  // namespace tutti::kernels
#endif  // HWY_ONCE
