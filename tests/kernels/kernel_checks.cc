#include "tests/kernels/kernel_checks.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "tests/kernels/lane_inputs.h"

namespace tutti::kernels::test {

namespace {

constexpr Interpolation kModes[] = {Interpolation::none, Interpolation::linear, Interpolation::cubic};
constexpr int kCasesPerSize = 12;

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

const char* mode_name(Interpolation mode) {
  return mode == Interpolation::none ? "none" : mode == Interpolation::linear ? "linear" : "cubic";
}

// Reports the first few differences of one run and then stops counting, so that a broken
// kernel gives a readable failure rather than thousands of lines.
class Mismatches {
 public:
  explicit Mismatches(std::string what) : what_(std::move(what)) {}
  ~Mismatches() { EXPECT_EQ(count_, 0) << what_ << ": " << count_ << " values out of tolerance"; }
  void check(float expected, float actual, bool exact, double tolerance, const std::string& where) {
    const bool ok = exact ? same_bits(expected, actual)
                          : std::isfinite(actual) && std::fabs(double{expected} - double{actual}) <= tolerance;
    if (ok) return;
    if (++count_ <= 5) {
      ADD_FAILURE() << what_ << " " << where << ": scalar " << expected << " kernel " << actual
                    << (exact ? " (exact expected)" : " tolerance " + std::to_string(tolerance));
    }
  }

 private:
  std::string what_;
  int count_ = 0;
};

}  // namespace

void check_oscillator_lanes(OscillatorLanesFn kernel, bool exact, const std::string& what) {
  const TestSampleData samples = make_sample_data(24, 11);
  std::mt19937 random(12);
  Mismatches mismatches(what + " oscillator");
  for (bool bits24 : {false, true}) {
    const SampleData data = samples.data(bits24);
    for (Interpolation mode : kModes) {
      for (int frames : kLaneFrames) {
        for (int n = 0; n < kCasesPerSize; ++n) {
          const auto c = make_oscillator_case(samples, mode, frames, random);
          LaneBlockBuffer expected;
          LaneBlockBuffer actual;
          scalar::render_oscillator_lanes(data, mode, c->lanes, expected.samples);
          std::fill(std::begin(actual.samples), std::end(actual.samples), -12345.0f);
          kernel(data, mode, c->lanes, actual.samples);
          for (int lane = 0; lane < kLaneCount; ++lane) {
            const OscillatorBlock* block = c->lanes.block[lane];
            if (block == nullptr) continue;  // an idle lane's output is unspecified
            const double largest_gain = std::fabs(block->gain) + std::fabs(block->gain_step) * kBlockFrames;
            const double tolerance = std::ldexp(1.0, -20) * largest_gain * std::ldexp(1.0, 23);
            for (int k = 0; k < block->frames; ++k) {
              const int at = k * kLaneCount + lane;
              mismatches.check(expected.samples[at], actual.samples[at], exact, tolerance,
                               std::string(mode_name(mode)) + (bits24 ? "/24-bit" : "/16-bit") + " frames " +
                                   std::to_string(frames) + " lane " + std::to_string(lane) + " frame " + std::to_string(k));
            }
          }
        }
      }
    }
  }
}

void check_biquad_lanes(BiquadLanesFn kernel, bool exact, const std::string& what) {
  std::mt19937 random(21);
  Mismatches mismatches(what + " biquad");
  for (int frames : kLaneFrames) {
    for (int n = 0; n < 4 * kCasesPerSize; ++n) {
      const auto expected_case = make_filter_case(frames, random);
      // The same lanes, with their own copy of the filter memory for the kernel to update.
      FilterCase& e = *expected_case;
      BiquadState kernel_states[kLaneCount];
      FilterLanes kernel_lanes = e.lanes;
      for (int lane = 0; lane < kLaneCount; ++lane) {
        kernel_states[lane] = e.states[lane];
        if (kernel_lanes.state[lane] != nullptr) kernel_lanes.state[lane] = &kernel_states[lane];
      }
      LaneBlockBuffer expected;
      LaneBlockBuffer actual;
      scalar::apply_biquad_lanes(e.lanes, e.frame_major.data(), expected.samples);
      kernel(kernel_lanes, e.frame_major.data(), actual.samples);
      for (int lane = 0; lane < kLaneCount; ++lane) {
        const std::string where = "frames " + std::to_string(frames) + " case " + std::to_string(n) + " lane " + std::to_string(lane);
        const float* expected_row = expected.samples + lane * kBlockFrames;
        const float* actual_row = actual.samples + lane * kBlockFrames;
        // An idle lane's row is unspecified (the SIMD kernels write whole vectors of lanes).
        if (e.lanes.filter[lane] == nullptr) continue;
        // Fused rounding differences grow with the largest signal inside the recurrence: the
        // output, or the memory, which runs far above the output at low cutoffs (small b02).
        double peak = std::max(std::fabs(e.states[lane].history1), std::fabs(e.states[lane].history2));
        for (int k = 0; k < e.lanes.frames[lane]; ++k) peak = std::max(peak, std::fabs(double{expected_row[k]}));
        const double tolerance = std::ldexp(1.0, -13) * (1.0 + peak);
        for (int k = 0; k < e.lanes.frames[lane]; ++k) {
          mismatches.check(expected_row[k], actual_row[k], exact, tolerance, where + " frame " + std::to_string(k));
        }
        mismatches.check(e.states[lane].history1, kernel_states[lane].history1, exact, tolerance, where + " history1");
        mismatches.check(e.states[lane].history2, kernel_states[lane].history2, exact, tolerance, where + " history2");
      }
    }
  }
}

void check_pan_mix(PanMixFn kernel, bool exact, const std::string& what) {
  std::mt19937 random(31);
  std::uniform_real_distribution<float> gain(0.0f, 1.0f);
  Mismatches mismatches(what + " pan_mix");
  for (int frames : kLaneFrames) {
    for (int n = 0; n < kCasesPerSize; ++n) {
      const PanBlock pan{gain(random), gain(random), gain(random), gain(random)};
      const std::vector<float> mono = noise(kBlockFrames, 1.0f, random);
      const std::vector<float> left = noise(kBlockFrames, 2.0f, random);
      const std::vector<float> right = noise(kBlockFrames, 2.0f, random);
      std::vector<float> expected_left = left, expected_right = right, actual_left = left, actual_right = right;
      scalar::pan_mix(pan, mono.data(), frames, expected_left.data(), expected_right.data());
      kernel(pan, mono.data(), frames, actual_left.data(), actual_right.data());
      // Frames past `frames` must be left alone.
      for (int k = 0; k < kBlockFrames; ++k) {
        const std::string where = "frames " + std::to_string(frames) + " frame " + std::to_string(k);
        const double tolerance = std::ldexp(1.0, -21) * (std::fabs(left[k]) + std::fabs(right[k]) + 2.0 * std::fabs(mono[k]));
        mismatches.check(expected_left[k], actual_left[k], exact || k >= frames, tolerance, where + " left");
        mismatches.check(expected_right[k], actual_right[k], exact || k >= frames, tolerance, where + " right");
      }
    }
  }
}

void check_accumulate(AccumulateFn kernel, const std::string& what) {
  std::mt19937 random(41);
  Mismatches mismatches(what + " accumulate");
  for (int count : kSpanCounts) {
    const std::vector<float> source = noise(static_cast<std::size_t>(count) + 8, 1.0f, random);
    std::vector<float> expected = noise(static_cast<std::size_t>(count) + 8, 3.0f, random);
    std::vector<float> actual = expected;
    scalar::accumulate(source.data(), count, expected.data());
    kernel(source.data(), count, actual.data());
    for (std::size_t k = 0; k < expected.size(); ++k) {  // including the 8 past the end
      mismatches.check(expected[k], actual[k], true, 0.0, "count " + std::to_string(count) + " at " + std::to_string(k));
    }
  }
}

namespace {

template <typename Int, typename Kernel, typename Twin>
void check_pcm(Kernel kernel, Twin twin, float full_scale, bool with_nan, const std::string& what) {
  std::mt19937 random(51);
  int mismatched = 0;
  for (int count : kSpanCounts) {
    const std::vector<float> source = pcm_source(static_cast<std::size_t>(count), full_scale, with_nan, random);
    std::vector<Int> expected(static_cast<std::size_t>(count) + 8, Int{77});
    std::vector<Int> actual = expected;
    const std::size_t expected_clips = twin(source.data(), source.size(), expected.data());
    const std::size_t actual_clips = kernel(source.data(), source.size(), actual.data());
    EXPECT_EQ(expected_clips, actual_clips) << what << " clip count, count " << count;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      if (expected[k] != actual[k] && ++mismatched <= 5) {
        ADD_FAILURE() << what << " count " << count << " at " << k << ": source "
                      << (k < source.size() ? source[k] : 0.0f) << " scalar " << expected[k] << " kernel " << actual[k];
      }
    }
  }
  EXPECT_EQ(mismatched, 0) << what << ": codes differ from the scalar twin";
}

}  // namespace

void check_to_pcm16(ToPcm16Fn kernel, const std::string& what) {
  check_pcm<std::int16_t>(kernel, &scalar::to_pcm16, 32768.0f, false, what + " to_pcm16");
}

void check_to_pcm24(ToPcm24Fn kernel, const std::string& what) {
  check_pcm<std::int32_t>(kernel, &scalar::to_pcm24, 8388608.0f, false, what + " to_pcm24");
}

void check_pcm_nan(ToPcm16Fn to_pcm16, ToPcm24Fn to_pcm24, const std::string& what) {
  check_pcm<std::int16_t>(to_pcm16, &scalar::to_pcm16, 32768.0f, true, what + " to_pcm16 with NaN");
  check_pcm<std::int32_t>(to_pcm24, &scalar::to_pcm24, 8388608.0f, true, what + " to_pcm24 with NaN");
}

}  // namespace tutti::kernels::test
