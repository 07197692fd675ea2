// Highway dispatch for the control lanes: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/control_lanes_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "hwy/targets.h"
#include "kernels/control_lanes_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

void StepControlLanesOfTarget(ControlLanes& lanes, const ControlLaneConstants& constants, ControlLaneOutput& out) {
  StepControlLanes(lanes, constants, out);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tutti::kernels {

HWY_EXPORT(StepControlLanesOfTarget);

ControlLanesFn dispatched_step_control_lanes() {
  // Chosen now, so the pointer is the target's own function rather than the chooser that
  // would run on every call.
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  return &HWY_DYNAMIC_DISPATCH(StepControlLanesOfTarget);
}

}  // namespace tutti::kernels
#endif  // HWY_ONCE
