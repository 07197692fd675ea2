#pragma once
// Random but valid inputs for the kernels, from fixed seeds: sample data with regions and the
// guard points the engine guarantees, lane blocks that reach the places where the tap rules
// change (sample start, loop seam, sample end), filters that ramp, rescale and pass through,
// and signals with the values PCM conversion treats specially. Every lane block respects the
// engine's contract (oscillator.h, voice_lanes.h), so the scalar twin's answer is the answer.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "kernels/voice_lanes.h"

namespace tutti::kernels::test {

// Frames per lane the lane kernels are tried with: 1, odd lengths, and one less, equal and one
// more than every vector width (4, 8, 16 lanes of float).
inline constexpr int kLaneFrames[] = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 63, 64};
// Counts for the span kernels: 0, 1, vector widths +-1, odd lengths, a window.
inline constexpr int kSpanCounts[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1001, 16384};

struct TestSampleData {
  std::vector<std::int16_t> words;
  std::vector<std::uint8_t> low_bytes;
  std::vector<PlaybackRegion> regions;
  SampleData data(bool bits24) const {
    return {words.data(), bits24 ? low_bytes.data() : nullptr};
  }
};

// `count` regions of `shortest` to `longest` points, the first at point 0 and the last ending
// two points before the end of the data (the least the engine guarantees); every point is
// random, guard points included, so a read in the wrong place shows.
TestSampleData make_sample_data(int count, std::uint32_t seed, int shortest = 6, int longest = 300);

// One block of up to kLaneCount lanes with their own records (pointers into this object).
struct OscillatorCase {
  OscillatorBlock blocks[kLaneCount];
  PlaybackRegion regions[kLaneCount];
  OscillatorLanes lanes;
  OscillatorCase() = default;
  OscillatorCase(const OscillatorCase&) = delete;
  OscillatorCase& operator=(const OscillatorCase&) = delete;
};

// Lanes with random regions, positions (often exactly at the start, the loop start or near the
// loop end), pitch ratios from 1/100 to 3 (some integral, some longer than the loop, which the
// SIMD kernels hand to the twin), looping or not, `frames` frames (or fewer where a voice
// that does not loop would pass its end), some idle lanes.
std::unique_ptr<OscillatorCase> make_oscillator_case(const TestSampleData& samples, Interpolation mode,
                                                     int frames, std::mt19937& random);

// Lanes for the window path of the Highway oscillator, cubic or linear (8 frames of a lane per
// vector, taps from 16 consecutive points): steps below, at and just above its limit, runs that last
// the whole block or end right before a loop wrap (which the path carries the lane through
// when the loop is long enough; loops from 3 points to a little over that length are mixed
// in), near the sample end or at once. Needs regions of a few hundred points and more.
std::unique_ptr<OscillatorCase> make_window_oscillator_case(const TestSampleData& samples, int frames,
                                                            std::mt19937& random);

// Lanes for the window path's unit-step lanes (an increment of exactly one point per frame, whose
// weights stay the same through the block): as make_window_oscillator_case's (runs that end at
// a loop wrap, near the sample end or at once; loops short and long), most stepping one point,
// with fractions on and next to the weight rows' edges, the others stepping one point give or
// take 2^-32, 2 or 3 points, or as the window path's other lanes, in the same blocks.
// Window cases whose lanes mostly step above kWindowStepLimit and up to kWideWindowStepLimit
// (the wide window path's steps), its limit exactly, now and then just above it, and among them
// lanes of the window path's steps.
std::unique_ptr<OscillatorCase> make_wide_window_oscillator_case(const TestSampleData& samples, int frames,
                                                                 std::mt19937& random);

std::unique_ptr<OscillatorCase> make_unit_step_oscillator_case(const TestSampleData& samples, int frames,
                                                               std::mt19937& random);

// Lanes whose voices come and go over many blocks, as a mix group's do: a voice takes a lane as
// the previous one leaves it or after idle blocks, often with the very region and loop state the
// lane had before; a voice's region changes (rarely in the engine, often here), its loop ends
// at release, and now and then a block of it takes steps longer than its loop (which the SIMD
// kernels hand to the scalar twin). Each block respects the engine's contract, as
// make_oscillator_case's do; positions often lie on or next to the points where the taps change.
class LaneVoiceSequence {
 public:
  LaneVoiceSequence(const TestSampleData& samples, Interpolation mode, std::uint32_t seed);
  // The lanes of the next block (pointers into this object, valid until the next call).
  const OscillatorLanes& next();

  // What happened so far, for checking that a test reached every case.
  int new_voices = 0;      // a voice took a lane
  int same_regions = 0;    // ... with the region and loop state the lane had before
  int region_changes = 0;  // a sounding voice's region changed
  int releases = 0;        // a looping voice stopped looping
  int scalar_blocks = 0;   // blocks with steps longer than the loop
  int hinted_regions = 0;  // blocks whose lane's same_region bit said their region was kept

 private:
  struct Voice {
    bool present = false;
    std::size_t region = 0;
    bool looping = false;
  };
  const TestSampleData& samples_;
  Interpolation mode_;
  std::mt19937 random_;
  Voice voices_[kLaneCount];
  // The region of the last block given in each lane, if any (for OscillatorLanes::same_region).
  const PlaybackRegion* last_region_[kLaneCount] = {};
  OscillatorCase case_;
};

struct FilterCase {
  FilterBlock filters[kLaneCount];
  BiquadState states[kLaneCount];
  FilterLanes lanes;
  std::vector<float> frame_major = std::vector<float>(kLaneBlockSamples);
  FilterCase() = default;
  FilterCase(const FilterCase&) = delete;
  FilterCase& operator=(const FilterCase&) = delete;
};

// Resonant low-passes (Q up to 12 dB) as the engine designs them, some ramping toward another
// cutoff with or without memory compensation, some disabled, some with denormal-size memory;
// lanes of `frames` frames (some of the full 64), some idle; input noise in [-1, 1].
std::unique_ptr<FilterCase> make_filter_case(int frames, std::mt19937& random);

// Uniform noise in [-amplitude, amplitude].
std::vector<float> noise(std::size_t count, float amplitude, std::mt19937& random);

// Values for PCM conversion: noise a little beyond full scale mixed with exact half-code ties,
// +-1, the largest codes, zeros, infinities and (with_nan) NaN.
std::vector<float> pcm_source(std::size_t count, float full_scale, bool with_nan, std::mt19937& random);

}  // namespace tutti::kernels::test
