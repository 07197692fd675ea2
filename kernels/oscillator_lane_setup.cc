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

bool simulated(const OscillatorBlock& block, const PlaybackRegion& region) {
  if (region.end >= kLargestSimulatedIndex || region.loop_end >= kLargestSimulatedIndex) return false;
  if (phase_index(block.increment) >= kLargestSimulatedIndex / 2) return false;
  // One subtraction of the loop length per frame only finds the wrapped position when a step
  // is shorter than the loop.
  if (block.looping && block.increment >= phase_from_index(region.loop_length())) return false;
  return true;
}

std::int64_t plain_below(const OscillatorBlock& block, const PlaybackRegion& region) {
  return block.looping ? std::int64_t{region.loop_end} - 2 : std::int64_t{region.end} - 1;
}

// Frames f = 0, 1, ... whose index lies strictly between the first point (of the sample, or of
// the loop once entered) and `below` (at most plain_below, where all four cubic taps are plain
// neighbours). The index only grows until a wrap, and a wrap needs the index past plain_below,
// so these frames are the leading run. The count is at most the exact one: floor of a quotient
// computed in double precision is off by less than one only below the true ceiling, and a
// margin covers it.
std::int32_t frames_below(const OscillatorBlock& block, const PlaybackRegion& region, std::int64_t below) {
  const std::int64_t first_point = block.has_looped ? region.loop_start : region.start;
  const std::int64_t index = phase_index(block.phase);
  if (index <= first_point || index >= below || block.increment == 0) return 0;
  const Phase room = phase_from_index(static_cast<std::uint32_t>(below)) - block.phase;
  // The common case without a division: every frame of the block stays below (the quotient
  // below is then at least kBlockFrames, and the answer kBlockFrames either way).
  if (room >= kBlockFrames * block.increment) return kBlockFrames;
  const double frames = static_cast<double>(room) / static_cast<double>(block.increment) - 1e-6;
  if (frames >= kBlockFrames) return kBlockFrames;
  if (frames <= 0.0) return 0;
  // The ceiling, without a libm call on baseline x86-64.
  const auto whole = static_cast<std::int32_t>(frames);
  return whole + (static_cast<double>(whole) < frames ? 1 : 0);
}

// Whether the window path can render every frame of a looping lane, through its loop wraps:
// then every frame's four taps are the plain neighbours of its index in the loop played out
// past its end (the point before the loop start, once entered, is the last loop point; the
// points after the loop end are the loop start's), as long as the loop is at least 3 points long
// and lies inside the sample. The first frame must lie past the first point, where the tap before
// is special (a note's first block), and before the loop end (as the engine wraps it), and the
// steps within the window path's limit.
bool window_carries_wraps(const OscillatorBlock& block, const PlaybackRegion& region) {
  if (!block.looping || block.increment > kWindowStepLimit || block.increment == 0) return false;
  if (region.loop_length() < static_cast<std::uint32_t>(kWindowSeamLoopLength) || region.loop_end > region.end + 1) {
    return false;
  }
  const std::uint32_t first_point = block.has_looped ? region.loop_start : region.start;
  const std::uint32_t index = phase_index(block.phase);
  return index > first_point && index < region.loop_end;
}

void set_lane(OscillatorLaneSetup& s, int lane, Interpolation mode, const OscillatorBlock& block,
              const PlaybackRegion& region) {
  const Phase half = mode == Interpolation::none ? (Phase{1} << 31) : 0;
  const Phase phase = block.phase + half;
  s.index[lane] = static_cast<std::int32_t>(phase_index(phase));
  s.fraction[lane] = static_cast<std::uint32_t>(phase);
  s.step_index_plus_one[lane] = static_cast<std::int32_t>(phase_index(block.increment) + 1);
  s.step_fraction[lane] = static_cast<std::uint32_t>(block.increment);
  s.wrap_at[lane] = block.looping ? static_cast<std::int32_t>(region.loop_end)
                                  : std::numeric_limits<std::int32_t>::max();
  s.loop_length[lane] = block.looping ? static_cast<std::int32_t>(region.loop_length()) : 0;
  s.start[lane] = static_cast<std::int32_t>(region.start);
  s.loop_start[lane] = static_cast<std::int32_t>(region.loop_start);
  s.loop_end_minus_one[lane] = static_cast<std::int32_t>(region.loop_end) - 1;
  s.end[lane] = static_cast<std::int32_t>(region.end);
  s.looped[lane] = block.has_looped ? -1 : 0;
  const std::int64_t plain = plain_below(block, region);
  s.plain_below[lane] = static_cast<std::int32_t>(plain);
  const bool cubic = mode == Interpolation::cubic;
  s.plain_frames[lane] = cubic ? frames_below(block, region, plain) : 0;
  // Window reads end at index + 6, which is at most end + 2 below end - 3.
  const std::int64_t window_below = std::min(plain, std::int64_t{region.end} - 3);
  s.window_frames[lane] = !cubic || block.increment > kWindowStepLimit ? 0
                          : window_below == plain                     ? s.plain_frames[lane]
                                                                      : frames_below(block, region, window_below);
  s.window_wraps[lane] = cubic && window_carries_wraps(block, region) ? -1 : 0;
  s.gain[lane] = block.gain;
  s.gain_step[lane] = block.gain_step;
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

void prefetch(const void* address) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

}  // namespace

void prefetch_oscillator_lanes(const SampleData& data, Interpolation mode,
                               const OscillatorLanes& lanes) {
  // Words per 64-byte cache line; the lines of a block at ordinary pitches are few.
  constexpr std::uint32_t kWordsPerLine = 32;
  constexpr std::uint32_t kMaxLines = 8;
  const bool nearest = mode == Interpolation::none;
  auto prefetch_points = [&](std::uint32_t index) {
    prefetch(data.words + index);
    if (data.low_bytes != nullptr) prefetch(data.low_bytes + index);
  };
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = lanes.block[lane];
    if (block == nullptr || block->increment == 0) continue;
    const PlaybackRegion& region = *lanes.region[lane];
    const Phase last = block->phase + static_cast<Phase>(block->frames - 1) * block->increment;
    // The points a block reads without a wrap (taps one before to two after): a few lines,
    // walked directly. One that wraps or leaps far is probed at spread frames instead.
    const std::uint32_t first_point = phase_index(block->phase) - (phase_index(block->phase) > 0 ? 1 : 0);
    const std::uint64_t last_point = (last >> 32) + 2;
    const bool wraps = block->looping && last_point + 1 >= region.loop_end;
    if (!wraps && last_point - first_point < kMaxLines * kWordsPerLine) {
      for (std::uint64_t point = first_point; point <= last_point + kWordsPerLine - 1; point += kWordsPerLine) {
        prefetch_points(static_cast<std::uint32_t>(std::min(point, last_point)));
      }
      continue;
    }
    for (std::uint32_t probe = 0; probe < kMaxLines; ++probe) {
      const int frame = static_cast<int>(probe * static_cast<std::uint32_t>(block->frames - 1) / (kMaxLines - 1));
      const Phase unwrapped = block->phase + static_cast<Phase>(frame) * block->increment;
      prefetch_points(phase_index(wrap_phase(unwrapped, region, block->looping, nearest).phase));
    }
  }
}

void prepare_oscillator_lanes(Interpolation mode, const OscillatorLanes& lanes,
                              OscillatorLaneSetup& setup) {
  setup.active = 0;
  setup.scalar_lanes = 0;
  std::uint32_t simulated_lanes = 0;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = lanes.block[lane];
    if (block == nullptr) continue;
    setup.active |= 1u << lane;
    if (simulated(*block, *lanes.region[lane])) {
      simulated_lanes |= 1u << lane;
      set_lane(setup, lane, mode, *block, *lanes.region[lane]);
    } else {
      setup.scalar_lanes |= 1u << lane;
    }
  }
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
                         const OscillatorLaneSetup& setup, float* frame_major) {
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if ((setup.scalar_lanes & (1u << lane)) == 0) continue;
    float voice[kBlockFrames];
    const OscillatorBlock& block = *lanes.block[lane];
    scalar::render_oscillator(data, *lanes.region[lane], mode, block, voice);
    for (int k = 0; k < block.frames; ++k) frame_major[k * kLaneCount + lane] = voice[k];
  }
}

}  // namespace tutti::kernels
