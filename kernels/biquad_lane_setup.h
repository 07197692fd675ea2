#pragma once
// What the SIMD biquads read per lane, in structure-of-arrays form: each lane's coefficients and
// its filter memory. Shared by every backend; plain scalar code.
//
// A setup can live across blocks: the window renderer keeps one per mix group, rewrites a lane's
// coefficients only when its voice's filter block differs from the one already loaded (most
// blocks repeat the last one: a settled filter), and keeps each lane's memory in `history1` /
// `history2` from block to block instead of gathering and scattering it through per-voice
// records every block.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/voice_lanes.h"

namespace tutti::kernels {

struct alignas(64) FilterLaneSetup {
  float b02[kLaneCount], b1[kLaneCount], a1[kLaneCount], a2[kLaneCount];
  float step_b02[kLaneCount], step_b1[kLaneCount], step_a1[kLaneCount], step_a2[kLaneCount];
  std::int32_t ramp_frames[kLaneCount];
  std::int32_t compensate[kLaneCount];  // -1: rescale the memory at each ramp step
  std::int32_t enabled[kLaneCount];     // -1: filter; 0: pass the signal through
  // Each lane's memory as the scalar twin keeps it in BiquadState; the kernels apply the twin's
  // denormal guard to history1 as they load it.
  float history1[kLaneCount], history2[kLaneCount];
  // Per lane, following its coefficients (set_filter_lane, clear_filter_lane):
  std::uint32_t ramping = 0;   // coefficients move this block
  std::uint32_t disabled = 0;  // passes the signal through
  // Per block, set by the caller:
  std::uint32_t active = 0;  // lanes with a block; a vector with none is skipped
  // Active, enabled lanes of a whole block, whose memory the kernel writes back; every other
  // lane's memory is left as it was (a voice ending in this block, or silent in it, or idle).
  std::uint32_t keep = 0;
};

// Loads lane `lane`'s coefficients from `filter` (not its memory, not the per-block masks).
void set_filter_lane(FilterLaneSetup& setup, int lane, const FilterBlock& filter);
// Zero coefficients: an idle lane computes zeros rather than leftovers (which might be denormal).
void clear_filter_lane(FilterLaneSetup& setup, int lane);
// The coefficient fields of two filter blocks are bit for bit the same (-0.0 and 0.0 differ, a
// NaN equals its copy). Inline: the renderer asks it of every sounding voice in every block.
inline bool same_filter(const FilterBlock& a, const FilterBlock& b) {
  static_assert(sizeof a.start + sizeof a.step == 32 && offsetof(FilterBlock, step) == 16);
  return std::memcmp(&a, &b, 32) == 0 && a.ramp_frames == b.ramp_frames &&
         a.compensate_history == b.compensate_history && a.enabled == b.enabled;
}

// A fresh setup for one block from per-lane records: idle lanes cleared, with zero memory.
void prepare_filter_lanes(const FilterLanes& lanes, FilterLaneSetup& setup);

// Writes the memory the kernel kept (`keep` lanes) back to the lanes' states.
void store_filter_lanes(const FilterLanes& lanes, const FilterLaneSetup& setup);

}  // namespace tutti::kernels
