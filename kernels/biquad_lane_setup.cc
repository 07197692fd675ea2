#include "kernels/biquad_lane_setup.h"

namespace tutti::kernels {

void set_filter_lane(FilterLaneSetup& s, int lane, const FilterBlock& filter) {
  s.b02[lane] = filter.start.b02;
  s.b1[lane] = filter.start.b1;
  s.a1[lane] = filter.start.a1;
  s.a2[lane] = filter.start.a2;
  s.step_b02[lane] = filter.step.b02;
  s.step_b1[lane] = filter.step.b1;
  s.step_a1[lane] = filter.step.a1;
  s.step_a2[lane] = filter.step.a2;
  s.ramp_frames[lane] = filter.ramp_frames;
  s.compensate[lane] = filter.compensate_history ? -1 : 0;
  s.enabled[lane] = filter.enabled ? -1 : 0;
  const std::uint32_t bit = 1u << lane;
  s.ramping = filter.ramp_frames > 0 ? s.ramping | bit : s.ramping & ~bit;
  s.disabled = filter.enabled ? s.disabled & ~bit : s.disabled | bit;
}

void clear_filter_lane(FilterLaneSetup& s, int lane) {
  s.b02[lane] = s.b1[lane] = s.a1[lane] = s.a2[lane] = 0.0f;
  s.step_b02[lane] = s.step_b1[lane] = s.step_a1[lane] = s.step_a2[lane] = 0.0f;
  s.ramp_frames[lane] = 0;
  s.compensate[lane] = 0;
  s.enabled[lane] = -1;
  s.ramping &= ~(1u << lane);
  s.disabled &= ~(1u << lane);
}

void prepare_filter_lanes(const FilterLanes& lanes, FilterLaneSetup& s) {
  s.active = 0;
  s.keep = 0;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const FilterBlock* filter = lanes.filter[lane];
    if (filter == nullptr) {
      clear_filter_lane(s, lane);
      s.history1[lane] = s.history2[lane] = 0.0f;
      continue;
    }
    set_filter_lane(s, lane, *filter);
    s.active |= 1u << lane;
    if (filter->enabled && lanes.frames[lane] == kBlockFrames) s.keep |= 1u << lane;
    s.history1[lane] = lanes.state[lane]->history1;
    s.history2[lane] = lanes.state[lane]->history2;
  }
}

void store_filter_lanes(const FilterLanes& lanes, const FilterLaneSetup& s) {
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if ((s.keep & (1u << lane)) == 0) continue;
    lanes.state[lane]->history1 = s.history1[lane];
    lanes.state[lane]->history2 = s.history2[lane];
  }
}

}  // namespace tutti::kernels
