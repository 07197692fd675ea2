#include "kernels/biquad_lane_setup.h"

#include <cmath>

namespace tutti::kernels {

void prepare_filter_lanes(const FilterLanes& lanes, FilterLaneSetup& s) {
  s.active = 0;
  s.ramping = 0;
  s.disabled = 0;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const FilterBlock* filter = lanes.filter[lane];
    if (filter == nullptr) {
      s.b02[lane] = s.b1[lane] = s.a1[lane] = s.a2[lane] = 0.0f;
      s.step_b02[lane] = s.step_b1[lane] = s.step_a1[lane] = s.step_a2[lane] = 0.0f;
      s.ramp_frames[lane] = 0;
      s.compensate[lane] = 0;
      s.enabled[lane] = -1;
      s.history1[lane] = s.history2[lane] = 0.0f;
      continue;
    }
    s.active |= 1u << lane;
    const BiquadState& state = *lanes.state[lane];
    s.b02[lane] = filter->start.b02;
    s.b1[lane] = filter->start.b1;
    s.a1[lane] = filter->start.a1;
    s.a2[lane] = filter->start.a2;
    s.step_b02[lane] = filter->step.b02;
    s.step_b1[lane] = filter->step.b1;
    s.step_a1[lane] = filter->step.a1;
    s.step_a2[lane] = filter->step.a2;
    s.ramp_frames[lane] = filter->ramp_frames;
    s.compensate[lane] = filter->compensate_history ? -1 : 0;
    s.enabled[lane] = filter->enabled ? -1 : 0;
    if (filter->ramp_frames > 0) s.ramping |= 1u << lane;
    if (!filter->enabled) s.disabled |= 1u << lane;
    // The twin's guard: tiny memory only costs time as denormals.
    const bool flush = filter->enabled && std::fabs(state.history1) < 1e-20f;
    s.history1[lane] = flush ? 0.0f : state.history1;
    s.history2[lane] = state.history2;
  }
}

void store_filter_lanes(const FilterLanes& lanes, const FilterLaneSetup& s, const float* history1,
                        const float* history2) {
  const std::uint32_t keep = s.active & ~s.disabled;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if ((keep & (1u << lane)) == 0 || lanes.frames[lane] != kBlockFrames) continue;
    lanes.state[lane]->history1 = history1[lane];
    lanes.state[lane]->history2 = history2[lane];
  }
}

}  // namespace tutti::kernels
