// The reference oscillator: one frame at a time, every special case spelled out. The SIMD
// backends are tested against it.
#include <cstdint>

#include "kernels/interpolation_tables.h"
#include "kernels/oscillator.h"

namespace tutti::kernels::scalar {

namespace {

inline float point(const SampleData& data, std::uint32_t index) {
  const std::int32_t word = data.words[index];
  const std::int32_t low = data.low_bytes != nullptr ? data.low_bytes[index] : 0;
  return static_cast<float>(word * 256 + low);
}

// Cubic: 4 taps around the index. At the first point of the sample (or of the loop once it
// has been entered) the tap before it is the start point repeated (or the last loop point);
// taps past the loop end come from the loop start; taps past the sample end repeat the end.
float cubic_frame(const SampleData& data, const PlaybackRegion& region, Phase phase,
                  bool looping, bool has_looped) {
  const std::uint32_t i = phase_index(phase);
  const float* c = cubic_coefficients(phase);
  const std::uint32_t start_index = has_looped ? region.loop_start : region.start;
  if (i == start_index) {
    const float before = has_looped ? point(data, region.loop_end - 1) : point(data, region.start);
    return c[0] * before + c[1] * point(data, i) + c[2] * point(data, i + 1) +
           c[3] * point(data, i + 2);
  }
  auto after = [&](std::uint32_t j) {
    if (looping) return point(data, j >= region.loop_end ? j - region.loop_length() : j);
    return point(data, j > region.end ? region.end : j);
  };
  return c[0] * point(data, i - 1) + c[1] * point(data, i) + c[2] * after(i + 1) +
         c[3] * after(i + 2);
}

float linear_frame(const SampleData& data, const PlaybackRegion& region, Phase phase,
                   bool looping) {
  const std::uint32_t i = phase_index(phase);
  const float* c = linear_coefficients(phase);
  std::uint32_t next = i + 1;
  if (looping && next >= region.loop_end) next = region.loop_start;
  if (!looping && next > region.end) next = region.end;
  return c[0] * point(data, i) + c[1] * point(data, next);
}

}  // namespace

void render_oscillator(const SampleData& data, const PlaybackRegion& region, Interpolation mode,
                       const OscillatorBlock& block, float* out) {
  const bool nearest = mode == Interpolation::none;
  for (int k = 0; k < block.frames; ++k) {
    const Phase unwrapped = block.phase + static_cast<Phase>(k) * block.increment;
    const WrappedPhase at = wrap_phase(unwrapped, region, block.looping, nearest);
    const bool has_looped = block.has_looped || at.wrapped;
    float value = 0.0f;
    switch (mode) {
      case Interpolation::none:
        value = point(data, phase_index(at.phase + (Phase{1} << 31)));
        break;
      case Interpolation::linear:
        value = linear_frame(data, region, at.phase, block.looping);
        break;
      case Interpolation::cubic:
        value = cubic_frame(data, region, at.phase, block.looping, has_looped);
        break;
    }
    out[k] = (block.gain + block.gain_step * static_cast<float>(k)) * value;
  }
}

}  // namespace tutti::kernels::scalar

namespace tutti::kernels::scalar {

void render_oscillator_lanes(const SampleData& data, Interpolation mode,
                             const OscillatorLanes& lanes, float* frame_major) {
  float voice[kBlockFrames];
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = lanes.block[lane];
    if (block == nullptr) {
      for (int k = 0; k < kBlockFrames; ++k) frame_major[k * kLaneCount + lane] = 0.0f;
      continue;
    }
    render_oscillator(data, *lanes.region[lane], lane_interpolation(mode, lanes, lane), *block, voice);
    for (int k = 0; k < block->frames; ++k) frame_major[k * kLaneCount + lane] = voice[k];
  }
}

}  // namespace tutti::kernels::scalar
