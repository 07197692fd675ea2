#include <cmath>

#include "kernels/biquad.h"

namespace tutti::kernels::scalar {

void apply_biquad(const FilterBlock& filter, BiquadState& state, float* samples, int frames) {
  if (!filter.enabled) return;
  float h1 = state.history1;
  float h2 = state.history2;
  // Very small history values only cost time as denormals; they are inaudible.
  if (std::fabs(h1) < 1e-20f) h1 = 0.0f;
  BiquadCoefficients c = filter.start;
  int ramp_left = filter.ramp_frames;
  for (int k = 0; k < frames; ++k) {
    const float centre = samples[k] - c.a1 * h1 - c.a2 * h2;
    samples[k] = c.b02 * (centre + h2) + c.b1 * h1;
    h2 = h1;
    h1 = centre;
    if (ramp_left > 0) {
      --ramp_left;
      const float previous_b02 = c.b02;
      c.a1 += filter.step.a1;
      c.a2 += filter.step.a2;
      c.b02 += filter.step.b02;
      c.b1 += filter.step.b1;
      if (filter.compensate_history && std::fabs(c.b02) > 0.001f) {
        const float ratio = previous_b02 / c.b02;
        h1 *= ratio;
        h2 *= ratio;
      }
    }
  }
  state.history1 = h1;
  state.history2 = h2;
}

}  // namespace tutti::kernels::scalar

namespace tutti::kernels::scalar {

void apply_biquad_lanes(FilterLaneSetup& s, const float* frame_major, float* voice_major) {
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if ((s.active & (1u << lane)) == 0) continue;
    float* row = voice_major + lane * kBlockFrames;
    for (int k = 0; k < kBlockFrames; ++k) row[k] = frame_major[k * kLaneCount + lane];
    FilterBlock filter;
    filter.start = {s.b02[lane], s.b1[lane], s.a1[lane], s.a2[lane]};
    filter.step = {s.step_b02[lane], s.step_b1[lane], s.step_a1[lane], s.step_a2[lane]};
    filter.ramp_frames = s.ramp_frames[lane];
    filter.compensate_history = s.compensate[lane] != 0;
    filter.enabled = s.enabled[lane] != 0;
    BiquadState state{s.history1[lane], s.history2[lane]};
    apply_biquad(filter, state, row, kBlockFrames);
    if ((s.keep & (1u << lane)) == 0) continue;
    s.history1[lane] = state.history1;
    s.history2[lane] = state.history2;
  }
}

}  // namespace tutti::kernels::scalar
