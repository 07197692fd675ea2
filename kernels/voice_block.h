#pragma once
// The plain data a voice needs to render one block of audio: what the engine's control-rate
// model decided for this block (position, pitch step, gain ramp, filter coefficients, pan).
// Kernels read it; they never decide musical behaviour. No engine types here.
#include <cstdint>

namespace tutti::kernels {

// Frames per control block. Every control-rate quantity (envelopes, LFOs, pitch, filter,
// pan) changes at most once per block, as in FluidSynth, whose output tutti matches.
inline constexpr int kBlockFrames = 64;

// Sample points of one bank: 16-bit words and, for 24-bit banks, the low bytes (sm24).
// A point's value is (word << 8) | low_byte, i.e. 24-bit scale; 16-bit banks read low_byte 0.
struct SampleData {
  const std::int16_t* words = nullptr;
  const std::uint8_t* low_bytes = nullptr;  // nullptr for 16-bit banks
};

enum class Interpolation : std::uint8_t { none = 0, linear = 1, cubic = 4 };

// Where a voice plays in the sample data, as point indices: `end` is the last point that may
// be played (inclusive); `loop_end` is the first point after the loop.
struct PlaybackRegion {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t loop_start = 0;
  std::uint32_t loop_end = 0;
  std::uint32_t loop_length() const { return loop_end - loop_start; }
  // One test rather than four branches: compared for every lane and block.
  friend constexpr bool operator==(const PlaybackRegion& a, const PlaybackRegion& b) {
    return ((a.start ^ b.start) | (a.end ^ b.end) | (a.loop_start ^ b.loop_start) | (a.loop_end ^ b.loop_end)) == 0;
  }
};

// 32.32 fixed-point position in the sample data: integer part is the point index.
using Phase = std::uint64_t;
inline constexpr std::uint32_t phase_index(Phase p) { return static_cast<std::uint32_t>(p >> 32); }
inline constexpr Phase phase_from_index(std::uint32_t index) { return Phase{index} << 32; }

// The oscillator part of one block: read `frames` interpolated points starting at `phase`,
// stepping by `increment`, multiplied by a linear gain ramp.
struct OscillatorBlock {
  Phase phase = 0;          // already wrapped into the loop by the engine when looping
  Phase increment = 0;
  float gain = 0.0f;        // gain of the first frame
  float gain_step = 0.0f;   // added per frame
  int frames = 0;           // 1..kBlockFrames
  bool looping = false;     // wrap at loop_end this block
  bool has_looped = false;  // the loop was entered before this block (affects the first tap)
};

// Biquad low-pass coefficients normalised by a0, with b0 == b2 (FluidSynth's form).
struct BiquadCoefficients {
  float b02 = 0.0f, b1 = 0.0f, a1 = 0.0f, a2 = 0.0f;
};

// The filter part of one block: coefficients at the first frame and a per-frame step applied
// for `ramp_frames` frames (a cutoff change is spread over one block to avoid zipper noise).
struct FilterBlock {
  BiquadCoefficients start;
  BiquadCoefficients step;
  int ramp_frames = 0;
  // Large cutoff jumps rescale the filter's memory by old_b02/new_b02 at every ramp step, which
  // keeps its output continuous (FluidSynth does this when b02 changes by more than 2x).
  bool compensate_history = false;
  bool enabled = true;
};

struct BiquadState {
  float history1 = 0.0f, history2 = 0.0f;
};

// Gains from a voice's mono signal into the stereo output, ramped over the block from the
// previous block's values so pan changes do not click.
struct PanBlock {
  float left_from = 0.0f, left_to = 0.0f;
  float right_from = 0.0f, right_to = 0.0f;
};

}  // namespace tutti::kernels
