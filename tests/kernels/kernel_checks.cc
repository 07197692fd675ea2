#include "tests/kernels/kernel_checks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
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

namespace {

void check_oscillator_case(OscillatorLanesFn kernel, bool exact, const SampleData& data, Interpolation mode,
                           const OscillatorCase& c, const std::string& where, Mismatches& mismatches) {
  LaneBlockBuffer expected;
  LaneBlockBuffer actual;
  scalar::render_oscillator_lanes(data, mode, c.lanes, expected.samples);
  std::fill(std::begin(actual.samples), std::end(actual.samples), -12345.0f);
  kernel(data, mode, c.lanes, actual.samples);
  for (int lane = 0; lane < kLaneCount; ++lane) {
    const OscillatorBlock* block = c.lanes.block[lane];
    if (block == nullptr) continue;  // an idle lane's output is unspecified
    const double largest_gain = std::fabs(block->gain) + std::fabs(block->gain_step) * kBlockFrames;
    const double tolerance = std::ldexp(1.0, -20) * largest_gain * std::ldexp(1.0, 23);
    for (int k = 0; k < block->frames; ++k) {
      const int at = k * kLaneCount + lane;
      mismatches.check(expected.samples[at], actual.samples[at], exact, tolerance,
                       where + " lane " + std::to_string(lane) + " frame " + std::to_string(k));
    }
  }
}

// Which lanes interpolate linearly in a call of another interpolation (coarse voices): any, all,
// one, or every other lane or pair of lanes (in a 512-bit window pair, the partners' modes differ).
std::uint32_t linear_lane_mask(int n, std::mt19937& random) {
  switch (n % 4) {
    case 0: return static_cast<std::uint32_t>(random()) & 0xffffu;
    case 1: return 0xffffu;
    case 2: return 1u << (random() % kLaneCount);
    default: return random() % 2 == 0 ? 0x5555u : 0x3333u;
  }
}

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
          check_oscillator_case(kernel, exact, data, mode, *c,
                                std::string(mode_name(mode)) + (bits24 ? "/24-bit" : "/16-bit") + " frames " +
                                    std::to_string(frames),
                                mismatches);
        }
      }
    }
  }
  // Long regions, where cubic and linear lanes run whole blocks of plain frames (the window
  // path), some of them a point per frame (its unit-step lanes).
  const TestSampleData long_samples = make_sample_data(12, 13, 300, 3000);
  for (Interpolation mode : {Interpolation::cubic, Interpolation::linear}) {
    for (bool bits24 : {false, true}) {
      for (int frames : kLaneFrames) {
        for (int n = 0; n < 2 * kCasesPerSize; ++n) {
          const bool unit_steps = n % 2 == 1;
          const auto c = unit_steps ? make_unit_step_oscillator_case(long_samples, frames, random)
                                    : make_window_oscillator_case(long_samples, frames, random);
          check_oscillator_case(kernel, exact, long_samples.data(bits24), mode, *c,
                                std::string(unit_steps ? "unit-step " : "window ") + mode_name(mode) +
                                    (bits24 ? "/24-bit" : "/16-bit") + " frames " + std::to_string(frames) +
                                    " case " + std::to_string(n),
                                mismatches);
        }
      }
    }
  }
  // Lanes interpolated linearly among lanes of the call's interpolation (coarse voices), with
  // lanes of every kind above: the twin interpolates each lane in its own mode.
  for (Interpolation mode : kModes) {
    for (bool bits24 : {false, true}) {
      for (int frames : kLaneFrames) {
        for (int n = 0; n < 3 * kCasesPerSize; ++n) {
          // (The window path's cases are made for the interpolating modes: their phases lie where
          // those wrap, not where the nearest point does.)
          const int kind = mode == Interpolation::none ? 0 : n % 3;
          const TestSampleData& source = kind == 0 ? samples : long_samples;
          auto c = kind == 0   ? make_oscillator_case(samples, mode, frames, random)
                   : kind == 1 ? make_window_oscillator_case(long_samples, frames, random)
                               : make_unit_step_oscillator_case(long_samples, frames, random);
          c->lanes.linear_lanes = linear_lane_mask(n / 3, random);
          check_oscillator_case(kernel, exact, source.data(bits24), mode, *c,
                                std::string("coarse lanes in ") + mode_name(mode) + (bits24 ? "/24-bit" : "/16-bit") +
                                    " frames " + std::to_string(frames) + " case " + std::to_string(n),
                                mismatches);
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
      // Some blocks with whole vectors of lanes idle (8 lanes, or every other 4), as when a group
      // has few voices: the SIMD kernels then filter a vector alone rather than in pairs; and
      // some with only one vector of a pair ramping.
      for (int lane = 0; lane < kLaneCount; ++lane) {
        const bool idle = (n % 8 == 1 && lane < 8) || (n % 8 == 2 && lane >= 8) || (n % 8 == 3 && lane % 8 >= 4);
        if (idle) e.lanes.filter[lane] = nullptr;
        const bool settled = (n % 8 == 4 && lane < 8) || (n % 8 == 5 && lane % 8 >= 4);
        if (settled) e.filters[lane].ramp_frames = 0;
      }
      // Twin and kernel each from their own copy of one setup; the memory they keep is compared.
      FilterLaneSetup twin_setup;
      prepare_filter_lanes(e.lanes, twin_setup);
      FilterLaneSetup kernel_setup = twin_setup;
      LaneBlockBuffer expected;
      LaneBlockBuffer actual;
      scalar::apply_biquad_lanes(twin_setup, e.frame_major.data(), expected.samples);
      kernel(kernel_setup, e.frame_major.data(), actual.samples);
      for (int lane = 0; lane < kLaneCount; ++lane) {
        const std::string where = "frames " + std::to_string(frames) + " case " + std::to_string(n) + " lane " + std::to_string(lane);
        const float* expected_row = expected.samples + lane * kBlockFrames;
        const float* actual_row = actual.samples + lane * kBlockFrames;
        // Memory not kept (idle, disabled or ending lanes) must be left exactly as it was.
        const bool kept = (twin_setup.keep & (1u << lane)) != 0;
        if (!kept) {
          mismatches.check(twin_setup.history1[lane], kernel_setup.history1[lane], true, 0.0, where + " history1 left alone");
          mismatches.check(twin_setup.history2[lane], kernel_setup.history2[lane], true, 0.0, where + " history2 left alone");
        }
        // An idle lane's row is unspecified (the SIMD kernels write whole vectors of lanes).
        if (e.lanes.filter[lane] == nullptr) continue;
        // Fused rounding differences grow with the largest signal inside the recurrence: the
        // output, or the memory, which runs far above the output at low cutoffs (small b02).
        double peak = std::max({std::fabs(e.states[lane].history1), std::fabs(e.states[lane].history2),
                                std::fabs(twin_setup.history1[lane]), std::fabs(twin_setup.history2[lane])});
        for (int k = 0; k < e.lanes.frames[lane]; ++k) peak = std::max(peak, std::fabs(double{expected_row[k]}));
        const double tolerance = std::ldexp(1.0, -13) * (1.0 + peak);
        for (int k = 0; k < e.lanes.frames[lane]; ++k) {
          mismatches.check(expected_row[k], actual_row[k], exact, tolerance, where + " frame " + std::to_string(k));
        }
        if (kept) {
          mismatches.check(twin_setup.history1[lane], kernel_setup.history1[lane], exact, tolerance, where + " history1");
          mismatches.check(twin_setup.history2[lane], kernel_setup.history2[lane], exact, tolerance, where + " history2");
        }
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

void check_pan_mix_lanes(PanMixLanesFn kernel, PanMixFn per_voice, bool exact, const std::string& what) {
  std::mt19937 random(33);
  std::uniform_real_distribution<float> gain(0.0f, 1.0f);
  std::uniform_int_distribution<std::size_t> short_frames(0, std::size(kLaneFrames) - 1);
  Mismatches against_twin(what + " pan_mix_lanes vs scalar twin");
  Mismatches against_per_voice(what + " pan_mix_lanes vs per-voice pan_mix");
  for (int count : {0, 1, 2, 5, 15, 16}) {
    for (int n = 0; n < kCasesPerSize; ++n) {
      std::vector<PanBlock> pans(static_cast<std::size_t>(count));
      std::vector<std::vector<float>> signals(static_cast<std::size_t>(count));
      std::vector<const PanBlock*> pan_pointers;
      std::vector<const float*> rows;
      std::vector<int> frames;
      for (int v = 0; v < count; ++v) {
        pans[v] = PanBlock{gain(random), gain(random), gain(random), gain(random)};
        // Most pans hold still (a gain step of +0.0, which the SIMD kernels take a shorter way),
        // some at -0.0 on a channel or both, whose gain the ramp turns into +0.0.
        const unsigned still = random() % 8;
        if (still < 4) pans[v] = PanBlock{pans[v].left_from, pans[v].left_from, pans[v].right_from, pans[v].right_from};
        if (still == 4) pans[v] = PanBlock{-0.0f, -0.0f, pans[v].right_from, pans[v].right_from};
        if (still == 5) pans[v] = PanBlock{-0.0f, -0.0f, -0.0f, -0.0f};
        if (still == 6) pans[v] = PanBlock{-0.0f, 0.0f, pans[v].right_from, pans[v].right_to};
        // Most voices sound through the block; about one in three ends in it, anywhere (or, as
        // the API allows, does not sound at all).
        const int voice_frames = random() % 3 != 0 ? kBlockFrames : random() % 8 == 0 ? 0 : kLaneFrames[short_frames(random)];
        signals[v] = noise(static_cast<std::size_t>(voice_frames), 1.0f, random);
        pan_pointers.push_back(&pans[v]);
        rows.push_back(signals[v].data());
        frames.push_back(voice_frames);
      }
      const std::vector<float> left = noise(kBlockFrames, 2.0f, random);
      const std::vector<float> right = noise(kBlockFrames, 2.0f, random);
      std::vector<float> twin_left = left, twin_right = right;
      std::vector<float> sequential_left = left, sequential_right = right;
      std::vector<float> actual_left = left, actual_right = right;
      scalar::pan_mix_lanes(pan_pointers.data(), rows.data(), frames.data(), count, twin_left.data(), twin_right.data());
      for (int v = 0; v < count; ++v) {
        per_voice(pans[v], rows[v], frames[v], sequential_left.data(), sequential_right.data());
      }
      kernel(pan_pointers.data(), rows.data(), frames.data(), count, actual_left.data(), actual_right.data());
      for (int k = 0; k < kBlockFrames; ++k) {
        double signal_sum = 0.0;
        for (int v = 0; v < count; ++v) signal_sum += k < frames[v] ? std::fabs(signals[v][k]) : 0.0;
        const double scale = std::ldexp(1.0, -21) * std::max(count, 1);
        const std::string where = std::to_string(count) + " voices case " + std::to_string(n) + " frame " + std::to_string(k);
        against_twin.check(twin_left[k], actual_left[k], exact, scale * (std::fabs(left[k]) + signal_sum), where + " left");
        against_twin.check(twin_right[k], actual_right[k], exact, scale * (std::fabs(right[k]) + signal_sum), where + " right");
        against_per_voice.check(sequential_left[k], actual_left[k], true, 0.0, where + " left");
        against_per_voice.check(sequential_right[k], actual_right[k], true, 0.0, where + " right");
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

void check_point_bounds(PointBoundsFn kernel, const std::string& what) {
  std::mt19937 random(61);
  for (int count : kSpanCounts) {
    const auto size = static_cast<std::size_t>(count) + 2;  // a neighbour on either side
    std::vector<std::int16_t> words(size);
    std::vector<std::uint8_t> low_bytes(size);
    for (auto& w : words) w = static_cast<std::int16_t>(static_cast<int>(random() % 65536) - 32768);
    for (auto& b : low_bytes) b = static_cast<std::uint8_t>(random());
    if (count >= 3) {
      // The largest bend there is, somewhere inside: -full, +full, -full.
      const std::size_t at = 1 + random() % static_cast<std::size_t>(count - 2);
      words[at] = -32768;
      words[at + 1] = 32767;
      words[at + 2] = -32768;
      low_bytes[at + 1] = 255;
    }
    for (const bool with_low_bytes : {false, true}) {
      const std::uint8_t* low = with_low_bytes ? low_bytes.data() + 1 : nullptr;
      const PointBounds expected = scalar::point_bounds(words.data() + 1, low, static_cast<std::size_t>(count));
      const PointBounds actual = kernel(words.data() + 1, low, static_cast<std::size_t>(count));
      const std::string where = what + " point bounds, count " + std::to_string(count) +
                                (with_low_bytes ? ", 24-bit" : ", 16-bit");
      EXPECT_EQ(expected.peak, actual.peak) << where;
      EXPECT_EQ(expected.bend, actual.bend) << where;
    }
  }
}

void check_signal_peak(SignalPeakFn kernel, const std::string& what) {
  std::mt19937 random(71);
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity()};
  for (int count : kSpanCounts) {
    const auto size = static_cast<std::size_t>(count);
    std::vector<float> source = noise(size, 0.5f, random);
    if (size > 0) source[random() % size] = -0.75f;  // the peak, negative
    const SignalPeak expected = scalar::signal_peak(source.data(), size);
    const SignalPeak actual = kernel(source.data(), size);
    const std::string where = what + " signal peak, count " + std::to_string(count);
    EXPECT_TRUE(actual.finite) << where;
    EXPECT_EQ(expected.peak, actual.peak) << where;
    if (size > 0) {
      EXPECT_EQ(actual.peak, 0.75f) << where;
    }
    // Each special value at the first, a random and the last position.
    for (const float special : specials) {
      for (const std::size_t at : {std::size_t{0}, size > 0 ? random() % size : 0, size > 0 ? size - 1 : 0}) {
        if (size == 0) continue;
        std::vector<float> spoiled = source;
        spoiled[at] = special;
        EXPECT_FALSE(kernel(spoiled.data(), size).finite) << where << ", " << special << " at " << at;
      }
    }
  }
}

}  // namespace tutti::kernels::test
