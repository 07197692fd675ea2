#pragma once
// What the SIMD oscillators read per lane, derived once per block from the lanes' records:
// structure-of-arrays, integer positions split into index and fraction so that every lane
// operation is 32 bits wide, and the bounds the inner loop compares against precomputed.
// Shared by the Highway and xsimd backends; plain scalar code.
#include <cstdint>

#include "kernels/prefetch.h"
#include "kernels/voice_lanes.h"

namespace tutti::kernels {

// The window path reads 8 points per 4 frames of a lane: with steps up to 4/3 points (as
// 32.32) the 4 frames' indices span at most 4 points, and their 4 taps 8. With AVX-512, cubic
// pairs read 16 points per 8 frames of a lane instead (the 8 frames' indices span at most 10
// points, their taps 13).
inline constexpr std::uint64_t kWindowStepLimit = (std::uint64_t{4} << 32) / 3;
// The window path reads from a frame's index - 1 to index + 14 (the longer of its windows).
inline constexpr std::int32_t kWindowPointsAfter = 14;

// The wide window path (AVX-512 only) reads one window of 32 points per 8 frames of a lane: with
// steps up to 4 points the 8 frames' indices span at most 28 points, and their taps 32. It takes
// the lanes whose steps lie above kWindowStepLimit and up to this (notes played up to two octaves
// above their sample's pitch), which would otherwise take the lane path's scattered loads.
inline constexpr std::uint64_t kWideWindowStepLimit = std::uint64_t{4} << 32;
// The wide window reads from a frame's index - 1 to index + 30.
inline constexpr std::int32_t kWideWindowPointsAfter = 30;
// Loops of at least this many points the wide window path carries through their wraps, from a
// seam copy of the loop played out past its end, as the window path does from
// kWindowSeamLoopLength.
inline constexpr std::int32_t kWideWindowSeamLoopLength = 32;

// Around a loop seam the window path reads its windows from a copy of the points before the
// loop end followed by the loop's first 24 points, that is, from the loop played out past its
// end. Loops of at least this many points keep every window (one starts at most at the loop end,
// and reaches at most 14 points past it) inside that copy or entirely on one side of the seam.
inline constexpr std::int32_t kWindowSeamLoopLength = 24;

struct alignas(64) OscillatorLaneSetup {
  // Phase as index and 32-bit fraction; for interpolation `none` the phase plus one half, so
  // that the index is the nearest point and the loop wraps on it, as wrap_phase does.
  std::int32_t index[kLaneCount];
  std::uint32_t fraction[kLaneCount];
  // The increment's integer part plus one (the carry of the fraction is subtracted back).
  std::int32_t step_index_plus_one[kLaneCount];
  std::uint32_t step_fraction[kLaneCount];
  // A looping lane wraps by loop_length once its index reaches wrap_at; others never do.
  std::int32_t wrap_at[kLaneCount];
  std::int32_t loop_length[kLaneCount];
  std::int32_t start[kLaneCount];
  std::int32_t loop_start[kLaneCount];
  std::int32_t loop_end_minus_one[kLaneCount];
  std::int32_t end[kLaneCount];
  std::int32_t looped[kLaneCount];  // -1 when the loop was entered before this block
  // Cubic: below this index (and above the first point) all four taps are plain neighbours.
  std::int32_t plain_below[kLaneCount];
  // Cubic: how many frames from the block's start take the plain-neighbour path for certain
  // (no loop wrap, no special tap), so the kernel can run them without per-frame checks.
  std::int32_t plain_frames[kLaneCount];
  // Cubic: how many of those frames the window path may take (kernels/oscillator_hwy-inl.h):
  // steps of at most kWindowStepLimit, and indices low enough that the points read from a
  // frame's index - 1 (to index + kWindowPointsAfter) end at most 2 points past the sample's end
  // (readable, oscillator.h); for the lanes of wide_lanes, the 32 points read from it. Linear:
  // the same bounds (with an index past point 0 rather than past the first point).
  std::int32_t window_frames[kLaneCount];
  // Cubic and linear: -1 when the window path (or the wide one, for wide_lanes) may carry this
  // lane through the whole block, its loop wraps included (see kWindowSeamLoopLength and
  // kWideWindowSeamLoopLength), 0 otherwise.
  std::int32_t window_wraps[kLaneCount];
  float gain[kLaneCount];
  float gain_step[kLaneCount];
  // Lanes with a block to render, and among them those the SIMD loop does not model (a step
  // longer than the loop, indices near 2^31), which the scalar twin renders instead.
  std::uint32_t active = 0;
  std::uint32_t scalar_lanes = 0;
  // Simulated lanes that interpolate linearly in a cubic call (coarse voices,
  // OscillatorLanes::linear_lanes; in a call without interpolation they are scalar lanes, in a
  // linear one like the others; scalar lanes take their interpolation from OscillatorLanes).
  // Their fields are derived for cubic, which reads the same phase fields and whose window-path
  // bounds are at least as strict as linear's (an index past the first point rather than past
  // point 0; the same bound below): the window path may take them linearly where it takes them
  // at all, and the lane path renders the rest linearly apart.
  std::uint32_t linear_lanes = 0;
  // Simulated lanes whose steps lie above kWindowStepLimit and up to kWideWindowStepLimit: their
  // window frames are the wide window path's, which targets without it must not take.
  std::uint32_t wide_lanes = 0;
};

// Fills `setup` from `lanes`. Idle and scalar lanes get a copy of a nearby simulated lane with
// zero gain, so every lane of a vector reads valid points.
void prepare_oscillator_lanes(Interpolation mode, const OscillatorLanes& lanes,
                              OscillatorLaneSetup& setup);

// The same for the simulated lanes and the masks only: every other lane's fields are left as
// they were, for kernels that stand a simulated lane in for them themselves (the Highway
// oscillator permutes its vectors' lanes, which costs less than copying fields lane by lane).
void prepare_simulated_lanes(Interpolation mode, const OscillatorLanes& lanes, OscillatorLaneSetup& setup);

// What a lane's region fields (those derived from its region and whether it loops) were derived
// from, and what else follows from them.
struct OscillatorLaneKeys {
  PlaybackRegion region[kLaneCount];
  // Simulated while the increment stays below this (0: never, the region lies too far out).
  std::uint64_t increment_limit[kLaneCount];
  // The window path's bound on a frame's index (plain_below, or lower near the end), and the
  // wide window path's.
  std::int32_t window_below[kLaneCount];
  std::int32_t wide_window_below[kLaneCount];
  std::uint32_t looping = 0;     // lanes whose fields were derived for a looping block
  std::uint32_t wraps_ok = 0;    // lanes whose loop the window path may wrap through
  std::uint32_t derived = 0;     // lanes whose region fields and keys are valid
};

// The setup of one set of lanes (a mix group of the window renderer) kept from block to block,
// as prepare_simulated_lanes makes it. A lane's region fields are derived again only when its
// region or loop state differs from what they were derived from (a new voice, a voice whose loop
// ends, or, rarely, a region that changes); per block only the fields that follow the phase, the
// step and the gain are written. Idle lanes are not touched, so a lane's region fields also
// survive its idle blocks.
class PersistentOscillatorLanes {
 public:
  void prepare(Interpolation mode, const OscillatorLanes& lanes);
  const OscillatorLaneSetup& setup() const { return setup_; }

 private:
  OscillatorLaneSetup setup_;
  OscillatorLaneKeys keys_;
};

// Asks the cache for the line of the first sample point a block reads, so that the block, rendered
// later (the renderer asks while it gathers the next block), finds it there. The first line only:
// the rest of a block's points follow it in order, a stream the processor's own prefetcher takes
// up. (Walking every line a block reads cost more instructions than it saved, and adding the
// block's last line gained nothing: OpenTTD files, CPU time against the first line alone, +5.3%
// and +0.7%.)
[[gnu::always_inline]] inline void prefetch_block_start(const SampleData& data, const OscillatorBlock& block) {
  const std::uint32_t first = phase_index(block.phase);
  prefetch_line(data.words + first);
  if (data.low_bytes != nullptr) prefetch_line(data.low_bytes + first);
}

// Renders the lanes of `which` (bit l: lane l) with the scalar twin into `frame_major`, each in
// its own interpolation: `mode`, or linear for the lanes of lanes.linear_lanes.
void render_scalar_lanes(const SampleData& data, Interpolation mode, const OscillatorLanes& lanes,
                         std::uint32_t which, float* frame_major);

}  // namespace tutti::kernels
