#include "kernels/oscillator_lane_setup.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "kernels/oscillator.h"

namespace tutti::kernels {

namespace {

// Indices stay below this, so that 64 steps of the largest increment (2^20 points) past a
// sample's end still fit the signed 32-bit lanes.
constexpr std::uint32_t kLargestSimulatedIndex = 1u << 30;

// The increments below which the SIMD loop models a lane with this region and loop state.
std::uint64_t increment_limit(const PlaybackRegion& region, bool looping) {
  if (region.end >= kLargestSimulatedIndex || region.loop_end >= kLargestSimulatedIndex) return 0;
  const std::uint64_t largest = phase_from_index(kLargestSimulatedIndex / 2);
  // One subtraction of the loop length per frame only finds the wrapped position when a step
  // is shorter than the loop.
  return looping ? std::min(largest, phase_from_index(region.loop_length())) : largest;
}

// The frames of a run that ends inside the block, from the room left before its bound: at most
// the exact count, see frames_below. Out of line: most blocks stay inside their run.
[[gnu::noinline]] std::int32_t frames_in(Phase room, Phase increment) {
  const double frames = static_cast<double>(room) / static_cast<double>(increment) - 1e-6;
  if (frames >= kBlockFrames) return kBlockFrames;
  if (frames <= 0.0) return 0;
  // The ceiling, without a libm call on baseline x86-64.
  const auto whole = static_cast<std::int32_t>(frames);
  return whole + (static_cast<double>(whole) < frames ? 1 : 0);
}

// Frames f = 0, 1, ... whose index lies strictly between `first_point` (of the sample, or of
// the loop once entered) and `below` (at most plain_below, where all four cubic taps are plain
// neighbours). The index only grows until a wrap, and a wrap needs the index past plain_below,
// so these frames are the leading run. The count is at most the exact one: floor of a quotient
// computed in double precision is off by less than one only below the true ceiling, and a
// margin covers it.
inline std::int32_t frames_below(Phase phase, Phase increment, std::uint32_t first_point, std::int64_t below) {
  const std::int64_t index = phase_index(phase);
  // One branch for the three tests: which of them fails varies from lane to lane.
  if (!((index > first_point) & (index < below) & (increment != 0))) return 0;
  const Phase room = phase_from_index(static_cast<std::uint32_t>(below)) - phase;
  // The common case without a division: every frame of the block stays below (the quotient
  // below is then at least kBlockFrames, and the answer kBlockFrames either way).
  if (room >= kBlockFrames * increment) [[likely]] return kBlockFrames;
  return frames_in(room, increment);
}

// What else follows from a lane's region and loop state, besides its region fields.
struct RegionBounds {
  std::uint64_t increment_limit;    // simulated below this increment
  std::int32_t window_below;        // the window path's bound on a frame's index
  std::int32_t wide_window_below;   // the wide window path's
  bool wraps_ok;                    // the window path may wrap through the loop
};

// Writes the region fields of `lane` for `region` and a looping or not looping block.
inline RegionBounds write_region_fields(OscillatorLaneSetup& s, int lane, const PlaybackRegion& region,
                                               bool looping) {
  s.wrap_at[lane] = looping ? static_cast<std::int32_t>(region.loop_end) : std::numeric_limits<std::int32_t>::max();
  s.loop_length[lane] = looping ? static_cast<std::int32_t>(region.loop_length()) : 0;
  s.start[lane] = static_cast<std::int32_t>(region.start);
  s.loop_start[lane] = static_cast<std::int32_t>(region.loop_start);
  s.loop_end_minus_one[lane] = static_cast<std::int32_t>(region.loop_end) - 1;
  s.end[lane] = static_cast<std::int32_t>(region.end);
  const std::int64_t plain = looping ? std::int64_t{region.loop_end} - 2 : std::int64_t{region.end} - 1;
  s.plain_below[lane] = static_cast<std::int32_t>(plain);
  // Window reads end at index + kWindowPointsAfter, which is at most end + 2 below
  // end + 3 - kWindowPointsAfter; wide window reads likewise at index + kWideWindowPointsAfter.
  // The window path carries a looping lane through its wraps (window_carries_wraps) only with a
  // loop at least kWindowSeamLoopLength long that lies inside the sample.
  const std::int64_t end = region.end;
  return RegionBounds{increment_limit(region, looping),
                      static_cast<std::int32_t>(std::min(plain, end + 3 - kWindowPointsAfter)),
                      static_cast<std::int32_t>(std::min(plain, end + 3 - kWideWindowPointsAfter)),
                      looping && region.loop_length() >= static_cast<std::uint32_t>(kWindowSeamLoopLength) &&
                          region.loop_end <= region.end + 1};
}

// Whether the window path can render every frame of a looping lane, through its loop wraps:
// then every frame's four taps are the plain neighbours of its index in the loop played out
// past its end (the point before the loop start, once entered, is the last loop point; the
// points after the loop end are the loop start's), as long as the loop is long enough for the
// seam copy and lies inside the sample (wraps_ok; for steps of the wide window path, a loop of at
// least kWideWindowSeamLoopLength). The first frame must lie past the first point, where the tap
// before is special (a note's first block), and before the loop end (as the engine wraps it), and
// the steps within the window path's limit or the wide one's.
bool window_carries_wraps(bool wraps_ok, const OscillatorBlock& block, const PlaybackRegion& region,
                          std::uint32_t first_point) {
  const std::uint32_t index = phase_index(block.phase);
  const bool step_ok = block.increment <= kWindowStepLimit ||
                       (block.increment <= kWideWindowStepLimit &&
                        region.loop_length() >= static_cast<std::uint32_t>(kWideWindowSeamLoopLength));
  return wraps_ok & step_ok & (block.increment != 0) & (index > first_point) & (index < region.loop_end);
}

// The bound on the indices of a lane's window frames at this step: the window path's, the wide
// window path's, or none for steps beyond both.
constexpr std::int64_t kNoWindow = std::numeric_limits<std::int64_t>::min();
inline std::int64_t window_bound(Phase increment, const RegionBounds& bounds) {
  if (increment <= kWindowStepLimit) return bounds.window_below;
  return increment <= kWideWindowStepLimit ? bounds.wide_window_below : kNoWindow;
}

bool wide_step(Phase increment) { return increment > kWindowStepLimit && increment <= kWideWindowStepLimit; }

// The fields of a simulated `lane` that follow its block's phase, step and gain.
template <Interpolation kMode>
[[gnu::always_inline]] inline void write_block_fields(OscillatorLaneSetup& s, int lane, const OscillatorBlock& block,
                                                      const PlaybackRegion& region, const RegionBounds& bounds) {
  const Phase half = kMode == Interpolation::none ? (Phase{1} << 31) : 0;
  const Phase phase = block.phase + half;
  s.index[lane] = static_cast<std::int32_t>(phase_index(phase));
  s.fraction[lane] = static_cast<std::uint32_t>(phase);
  s.step_index_plus_one[lane] = static_cast<std::int32_t>(phase_index(block.increment) + 1);
  s.step_fraction[lane] = static_cast<std::uint32_t>(block.increment);
  s.looped[lane] = block.has_looped ? -1 : 0;
  s.gain[lane] = block.gain;
  s.gain_step[lane] = block.gain_step;
  if constexpr (kMode == Interpolation::none) {
    s.plain_frames[lane] = 0;
    s.window_frames[lane] = 0;
    s.window_wraps[lane] = 0;
  } else if constexpr (kMode == Interpolation::linear) {
    // Linear has no special tap at the first point, and the window path's bound on an index,
    // cubic's, keeps both of its taps plain; the window read from index - 1 needs only an index
    // past point 0.
    s.plain_frames[lane] = 0;
    const std::int64_t below = window_bound(block.increment, bounds);
    s.window_frames[lane] = below == kNoWindow ? 0 : frames_below(block.phase, block.increment, 0, below);
    s.window_wraps[lane] = window_carries_wraps(bounds.wraps_ok, block, region, 0) ? -1 : 0;
  } else {
    const std::uint32_t first_point = block.has_looped ? region.loop_start : region.start;
    const std::int64_t plain = s.plain_below[lane];
    const std::int32_t plain_frames = frames_below(block.phase, block.increment, first_point, plain);
    s.plain_frames[lane] = plain_frames;
    const std::int64_t window_below = window_bound(block.increment, bounds);
    s.window_frames[lane] = window_below == kNoWindow ? 0
                            : window_below == plain  ? plain_frames
                                                     : frames_below(block.phase, block.increment, first_point, window_below);
    s.window_wraps[lane] = window_carries_wraps(bounds.wraps_ok, block, region, first_point) ? -1 : 0;
  }
}

// The region fields of `lane` written for `region` and a looping or not looping block, with
// what they were derived from and what else follows from them kept in `keys` (whose masks the
// caller holds in locals). Out of line: most blocks keep their lane's fields.
[[gnu::noinline]] RegionBounds derive_region_fields(OscillatorLaneSetup& s, OscillatorLaneKeys& keys, int lane,
                                                    const PlaybackRegion& region, bool looping, std::uint32_t& derived,
                                                    std::uint32_t& looping_lanes, std::uint32_t& wraps_ok) {
  const std::uint32_t bit = 1u << lane;
  const RegionBounds bounds = write_region_fields(s, lane, region, looping);
  keys.region[lane] = region;
  keys.increment_limit[lane] = bounds.increment_limit;
  keys.window_below[lane] = bounds.window_below;
  keys.wide_window_below[lane] = bounds.wide_window_below;
  looping_lanes = looping ? looping_lanes | bit : looping_lanes & ~bit;
  wraps_ok = bounds.wraps_ok ? wraps_ok | bit : wraps_ok & ~bit;
  derived |= bit;
  return bounds;
}

// The simulated lanes of `lanes` and the masks into `s`. With `keys` (kKept), a lane's region
// fields are written only when its region or loop state differs from what they were derived from.
// The masks live in locals meanwhile: in memory, every store to a lane's fields would reload them.
template <Interpolation kMode, bool kKept>
void fill_simulated_lanes(const OscillatorLanes& lanes, OscillatorLaneSetup& s, OscillatorLaneKeys* keys) {
  std::uint32_t active = 0;
  std::uint32_t scalar_lanes = 0;
  std::uint32_t wide = 0;
  std::uint32_t derived = kKept ? keys->derived : 0;
  std::uint32_t looping_lanes = kKept ? keys->looping : 0;
  std::uint32_t wraps_ok = kKept ? keys->wraps_ok : 0;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = lanes.block[lane];
    if (block == nullptr) continue;
    const std::uint32_t bit = 1u << lane;
    active |= bit;
    RegionBounds bounds;
    if constexpr (kKept) {
      const bool region_kept =
          (derived & bit) != 0 && ((lanes.same_region & bit) != 0 || keys->region[lane] == *lanes.region[lane]);
      if (!region_kept || ((looping_lanes & bit) != 0) != block->looping) [[unlikely]] {
        bounds = derive_region_fields(s, *keys, lane, *lanes.region[lane], block->looping, derived, looping_lanes,
                                      wraps_ok);
      } else {
        bounds = {keys->increment_limit[lane], keys->window_below[lane], keys->wide_window_below[lane],
                  (wraps_ok & bit) != 0};
      }
    } else {
      bounds = write_region_fields(s, lane, *lanes.region[lane], block->looping);
    }
    // The lane's region: with kKept, the copy the keys hold (the same bits, in a line this
    // function reads anyway).
    const PlaybackRegion& region = kKept ? keys->region[lane] : *lanes.region[lane];
    if (block->increment < bounds.increment_limit) [[likely]] {
      write_block_fields<kMode>(s, lane, *block, region, bounds);
      wide |= wide_step(block->increment) ? bit : 0u;
    } else {
      scalar_lanes |= bit;
    }
  }
  // Lanes to interpolate linearly: in a cubic call the SIMD kernels' (see linear_lanes) unless
  // the scalar twin renders them anyway; a call without interpolation hands them to the scalar
  // twin (its phase fields point to the nearest point, not the phase); in a linear call they are
  // like the others.
  const std::uint32_t linear = lanes.linear_lanes & active;
  s.active = active;
  s.scalar_lanes = kMode == Interpolation::none ? scalar_lanes | linear : scalar_lanes;
  s.linear_lanes = kMode == Interpolation::cubic ? linear & ~scalar_lanes : 0;
  s.wide_lanes = kMode == Interpolation::none ? 0 : wide;
  if constexpr (kKept) {
    keys->derived = derived;
    keys->looping = looping_lanes;
    keys->wraps_ok = wraps_ok;
  }
}

template <bool kKept>
void fill_simulated_lanes(Interpolation mode, const OscillatorLanes& lanes, OscillatorLaneSetup& s,
                          OscillatorLaneKeys* keys) {
  switch (mode) {
    case Interpolation::none:
      return fill_simulated_lanes<Interpolation::none, kKept>(lanes, s, keys);
    case Interpolation::linear:
      return fill_simulated_lanes<Interpolation::linear, kKept>(lanes, s, keys);
    case Interpolation::cubic:
      return fill_simulated_lanes<Interpolation::cubic, kKept>(lanes, s, keys);
  }
}

// The per-lane integer fields, as member pointers: a constant table the copy below walks
// with fixed offsets (a list of the fields' addresses built per call cost more than the copy).
using LaneField = std::int32_t (OscillatorLaneSetup::*)[kLaneCount];
constexpr LaneField kIntegerFields[] = {
    &OscillatorLaneSetup::index,      &OscillatorLaneSetup::step_index_plus_one, &OscillatorLaneSetup::wrap_at,
    &OscillatorLaneSetup::loop_length, &OscillatorLaneSetup::start,              &OscillatorLaneSetup::loop_start,
    &OscillatorLaneSetup::loop_end_minus_one, &OscillatorLaneSetup::end,         &OscillatorLaneSetup::looped,
    &OscillatorLaneSetup::plain_below, &OscillatorLaneSetup::plain_frames,       &OscillatorLaneSetup::window_frames,
    &OscillatorLaneSetup::window_wraps};

// The source lane's setup with zero gain, for an idle or scalar lane: its vector then reads
// valid points.
void copy_silenced_lane(OscillatorLaneSetup& s, int from, int to) {
  for (LaneField field : kIntegerFields) (s.*field)[to] = (s.*field)[from];
  s.fraction[to] = s.fraction[from];
  s.step_fraction[to] = s.step_fraction[from];
  s.gain[to] = 0.0f;
  s.gain_step[to] = 0.0f;
}

}  // namespace

void prepare_simulated_lanes(Interpolation mode, const OscillatorLanes& lanes, OscillatorLaneSetup& setup) {
  fill_simulated_lanes<false>(mode, lanes, setup, nullptr);
}

void PersistentOscillatorLanes::prepare(Interpolation mode, const OscillatorLanes& lanes) {
  fill_simulated_lanes<true>(mode, lanes, setup_, &keys_);
}

void prepare_oscillator_lanes(Interpolation mode, const OscillatorLanes& lanes,
                              OscillatorLaneSetup& setup) {
  prepare_simulated_lanes(mode, lanes, setup);
  const std::uint32_t simulated_lanes = setup.active & ~setup.scalar_lanes;
  if (simulated_lanes == 0) return;
  // The rest copy the closest simulated lane below them (or the first one above), silenced:
  // the lanes sounding together are packed low, so the copy usually shares their vector.
  int source = 0;
  while ((simulated_lanes & (1u << source)) == 0) ++source;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if ((simulated_lanes & (1u << lane)) != 0) {
      source = lane;
      continue;
    }
    copy_silenced_lane(setup, source, lane);
  }
}

void render_scalar_lanes(const SampleData& data, Interpolation mode, const OscillatorLanes& lanes,
                         std::uint32_t which, float* frame_major) {
  for (; which != 0; which &= which - 1) {
    const int lane = __builtin_ctz(which);
    float voice[kBlockFrames];
    const OscillatorBlock& block = *lanes.block[lane];
    scalar::render_oscillator(data, *lanes.region[lane], lane_interpolation(mode, lanes, lane), block, voice);
    for (int k = 0; k < block.frames; ++k) frame_major[k * kLaneCount + lane] = voice[k];
  }
}

}  // namespace tutti::kernels
