#pragma once
// What the SIMD biquads read per lane, gathered once per block from the lanes' records into
// structure-of-arrays form, with the scalar twin's per-block decisions (the denormal guard on
// the memory) already taken. Shared by the Highway and xsimd backends; plain scalar code.
#include <cstdint>

#include "kernels/voice_lanes.h"

namespace tutti::kernels {

struct alignas(64) FilterLaneSetup {
  float b02[kLaneCount], b1[kLaneCount], a1[kLaneCount], a2[kLaneCount];
  float step_b02[kLaneCount], step_b1[kLaneCount], step_a1[kLaneCount], step_a2[kLaneCount];
  std::int32_t ramp_frames[kLaneCount];
  std::int32_t compensate[kLaneCount];  // -1: rescale the memory at each ramp step
  std::int32_t enabled[kLaneCount];     // -1: filter; 0: pass the signal through
  float history1[kLaneCount], history2[kLaneCount];
  std::uint32_t active = 0;    // lanes with a block
  std::uint32_t ramping = 0;   // lanes whose coefficients move this block
  std::uint32_t disabled = 0;  // active lanes that pass through
};

// Idle lanes get zero coefficients and memory (they compute zeros).
void prepare_filter_lanes(const FilterLanes& lanes, FilterLaneSetup& setup);

// Writes the memory of the lanes that go on (active, enabled, a whole block) back to their
// states, from `history1`/`history2` as the SIMD loop left them.
void store_filter_lanes(const FilterLanes& lanes, const FilterLaneSetup& setup,
                        const float* history1, const float* history2);

}  // namespace tutti::kernels
