#include "kernels/oscillator_lane_setup.h"

#include <algorithm>
#include <cmath>
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

// Frames f = 0, 1, ... whose index lies strictly between the first point (of the sample, or of
// the loop once entered) and plain_below, where all four cubic taps are plain neighbours. The
// index only grows until a wrap, and a wrap needs the index past plain_below, so these frames
// are the leading run. The count is at most the exact one: floor of a quotient computed in
// double precision is off by less than one only below the true ceiling, and a margin covers it.
std::int32_t plain_frames(const OscillatorBlock& block, const PlaybackRegion& region) {
  const std::int64_t first_point = block.has_looped ? region.loop_start : region.start;
  const std::int64_t plain_below = block.looping ? std::int64_t{region.loop_end} - 2
                                                 : std::int64_t{region.end} - 1;
  const std::int64_t index = phase_index(block.phase);
  if (index <= first_point || index >= plain_below || block.increment == 0) return 0;
  const Phase room = phase_from_index(static_cast<std::uint32_t>(plain_below)) - block.phase;
  const double frames = static_cast<double>(room) / static_cast<double>(block.increment) - 1e-6;
  if (frames >= kBlockFrames) return kBlockFrames;
  return frames > 0.0 ? static_cast<std::int32_t>(std::ceil(frames)) : 0;
}

void set_lane(OscillatorLaneSetup& s, int lane, Interpolation mode, const OscillatorBlock& block,
              const PlaybackRegion& region, bool audible) {
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
  s.plain_below[lane] = block.looping ? static_cast<std::int32_t>(region.loop_end) - 2
                                      : static_cast<std::int32_t>(region.end) - 1;
  s.plain_frames[lane] = mode == Interpolation::cubic ? plain_frames(block, region) : 0;
  s.gain[lane] = audible ? block.gain : 0.0f;
  s.gain_step[lane] = audible ? block.gain_step : 0.0f;
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
  // Points per cache line at least; a few probes per lane cover a block at ordinary pitches.
  constexpr Phase kPointsPerProbe = 24;
  constexpr int kMaxProbes = 8;
  const bool nearest = mode == Interpolation::none;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = lanes.block[lane];
    if (block == nullptr || block->increment == 0) continue;
    const PlaybackRegion& region = *lanes.region[lane];
    // In double precision: a 64-bit integer division per lane and block was a visible cost.
    const double frames_per_probe = static_cast<double>(kPointsPerProbe << 32) /
                                    static_cast<double>(block->increment);
    const int stride = static_cast<int>(std::clamp(frames_per_probe, 1.0, double{kBlockFrames}));
    int probes = 0;
    for (int k = 0; k < block->frames + stride && probes < kMaxProbes; k += stride, ++probes) {
      const int frame = std::min(k, block->frames - 1);
      const Phase unwrapped = block->phase + static_cast<Phase>(frame) * block->increment;
      const std::uint32_t index = phase_index(wrap_phase(unwrapped, region, block->looping, nearest).phase);
      prefetch(data.words + index);
      if (data.low_bytes != nullptr) prefetch(data.low_bytes + index);
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
      set_lane(setup, lane, mode, *block, *lanes.region[lane], true);
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
    set_lane(setup, lane, mode, *lanes.block[source], *lanes.region[source], false);
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
