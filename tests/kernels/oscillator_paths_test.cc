// The Highway oscillator's paths against each other, on every target compiled in and supported
// here, bit for bit in both arithmetics: the window path (kernels/oscillator_window_hwy-inl.h:
// one lane per 256-bit vector, or two per 512-bit vector), cubic and linear, gives the lane
// path's values, seams, sample ends, steps at its limit and lone lanes included, as does its wide
// window path for larger steps (AVX-512: kernels/oscillator_window_hwy-inl.h); so do its
// unit-step lanes (kernels/oscillator_unit_step_hwy-inl.h), among other lanes or alone, through
// seams and at weight rows' edges; its weights are CubicWeightsFor's,
// scaled, for every fraction row and on every vector width it uses; and a setup kept from block
// to block (PersistentOscillatorLanes) renders what a fresh one renders, idle and scalar lanes
// coming and going.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tests/kernels/oscillator_paths_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "hwy/highway.h"
#include "kernels/oscillator_hwy-inl.h"
#include "tests/kernels/lane_inputs.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace {

using test::kLaneFrames;
using test::LaneVoiceSequence;
using test::make_sample_data;
using test::make_unit_step_oscillator_case;
using test::make_window_oscillator_case;
using test::make_wide_window_oscillator_case;
using test::TestSampleData;

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The rendered frames of the simulated lanes of `setup` (the ones the lane kernels render
// themselves), compared bit for bit; returns the number of differences.
int CountDifferences(const OscillatorLanes& lanes, const OscillatorLaneSetup& setup, const LaneBlockBuffer& expected,
                     const LaneBlockBuffer& actual, const std::string& where) {
  int differences = 0;
  for (int lane = 0; lane < kLaneCount; ++lane) {
    if (((setup.active & ~setup.scalar_lanes) >> lane & 1u) == 0) continue;
    for (int k = 0; k < lanes.block[lane]->frames; ++k) {
      const int at = k * kLaneCount + lane;
      if (SameBits(expected.samples[at], actual.samples[at])) continue;
      if (++differences <= 3) {
        ADD_FAILURE() << where << " lane " << lane << " frame " << k << ": lane path " << expected.samples[at]
                      << ", window path " << actual.samples[at];
      }
    }
  }
  return differences;
}

// What a run of window cases reached: lanes that take at least 8 frames on the window path,
// those among them that cross their loop end on it, and those alone in their vector (no partner
// for a pair); unit-step lanes on it, those among them that cross their loop end, those that
// share their vector with window lanes of other steps, and those whose frames on the window
// path are an odd number of 8 (a 512-bit vector's 16 frames and 8 more).
struct WindowCoverage {
  int window_lanes = 0;
  int seam_lanes = 0;
  int lone_lanes = 0;
  int unit_lanes = 0;
  int unit_seam_lanes = 0;
  int unit_lanes_among_others = 0;
  int unit_lanes_with_8_more = 0;
  int wide_lanes = 0;  // lanes on the wide window path
  int wide_lone_lanes = 0;  // of those, alone (an odd number of them in their vector)
  int wide_seam_lanes = 0;  // of those, crossing their loop end on it
};

// The frames the window path takes for the vector of `lane` (as RenderVector counts them).
int WindowFramesOfVector(const OscillatorLaneSetup& setup, int lane) {
  const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
  int window = kBlockFrames;
  for (int l = lane & ~7; l < (lane & ~7) + 8; ++l) {
    if ((simulated >> l & 1u) == 0 || setup.window_wraps[l] != 0) continue;
    window = std::min(window, static_cast<int>(setup.window_frames[l]));
  }
#if !TUTTI_HWY_WIDE_WINDOW_PATH
  // Without the wide window path, a lane of its steps keeps its vector on the lane path.
  if ((setup.wide_lanes & simulated) >> (lane & ~7) & 0xffu) window = 0;
#endif
  return window & ~7;
}

bool UnitStepLane(const OscillatorLaneSetup& setup, int lane) {
  return setup.step_fraction[lane] == 0 && setup.step_index_plus_one[lane] == 2;
}

// Cases from `make_case` (lane_inputs.h) rendered in `mode` with the window path open and closed
// to their lanes: the same bits for every simulated lane.
template <bool kFused, class MakeCase>
WindowCoverage CheckWindowPathGivesTheLanePathsBits(Interpolation mode, MakeCase make_case, int cases_per_size,
                                                    std::uint32_t seed) {
  const TestSampleData samples = make_sample_data(12, 13, 300, 3000);
  const SampleData data = samples.data(false);
  std::mt19937 random(seed);
  int differences = 0;
  WindowCoverage reached;
  for (int frames : kLaneFrames) {
    for (int n = 0; n < cases_per_size; ++n) {
      const auto c = make_case(samples, frames, random);
      // Now and then only a few lanes sound, odd numbers of them in a vector among them.
      if (n % 3 == 1) {
        for (int lane = 0; lane < kLaneCount; ++lane) {
          if (std::bernoulli_distribution(0.6)(random)) c->lanes.block[lane] = nullptr;
        }
      }
      OscillatorLaneSetup setup;
      prepare_simulated_lanes(mode, c->lanes, setup);
      // The same lanes with the window path closed to them.
      OscillatorLaneSetup lane_path = setup;
      for (int lane = 0; lane < kLaneCount; ++lane) {
        lane_path.window_frames[lane] = 0;
        lane_path.window_wraps[lane] = 0;
      }
      LaneBlockBuffer expected;
      LaneBlockBuffer actual;
      oscillator_detail::RenderForMode<false, kFused>(data, mode, lane_path, expected.samples);
      oscillator_detail::RenderForMode<false, kFused>(data, mode, setup, actual.samples);
      differences += CountDifferences(c->lanes, setup, expected, actual,
                                      std::string(mode == Interpolation::cubic ? "cubic" : "linear") + " frames " +
                                          std::to_string(frames) + " case " + std::to_string(n));
      const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
      for (int lane = 0; lane < kLaneCount; ++lane) {
        if ((simulated >> lane & 1u) == 0) continue;
        const int window = WindowFramesOfVector(setup, lane);
        const bool seam = setup.window_wraps[lane] != 0 && setup.window_frames[lane] < window;
        if (window < 8) continue;
        const std::uint32_t vector = simulated >> (lane & ~7) & 0xffu;
        if (UnitStepLane(setup, lane)) {
          ++reached.unit_lanes;
          if (seam) ++reached.unit_seam_lanes;
          if (window % 16 != 0) ++reached.unit_lanes_with_8_more;
          for (int other = lane & ~7; other < (lane & ~7) + 8; ++other) {
            if ((simulated >> other & 1u) != 0 && !UnitStepLane(setup, other)) {
              ++reached.unit_lanes_among_others;
              break;
            }
          }
          continue;
        }
        ++reached.window_lanes;
        if (seam) ++reached.seam_lanes;
        if ((vector & (vector - 1)) == 0) ++reached.lone_lanes;
        const std::uint32_t wide_in_vector = setup.wide_lanes >> (lane & ~7) & vector;
        if ((setup.wide_lanes >> lane & 1u) != 0) {
          ++reached.wide_lanes;
          if (seam) ++reached.wide_seam_lanes;
          // The last of an odd number goes alone.
          if (__builtin_popcount(wide_in_vector) % 2 == 1 && (wide_in_vector >> ((lane & 7) + 1)) == 0) {
            ++reached.wide_lone_lanes;
          }
        }
      }
    }
  }
  EXPECT_EQ(differences, 0) << hwy::TargetName(HWY_TARGET);
  return reached;
}

template <bool kFused>
void CheckWindowLanes(Interpolation mode, std::uint32_t seed) {
  const WindowCoverage reached = CheckWindowPathGivesTheLanePathsBits<kFused>(mode, &make_window_oscillator_case, 150, seed);
#if TUTTI_HWY_WINDOW_PATH
  EXPECT_GT(reached.window_lanes, 3000);
  EXPECT_GT(reached.seam_lanes, 400);
  EXPECT_GT(reached.lone_lanes, 50);
#else
  (void)reached;
#endif
}

// Lanes of the wide window path's steps, among lanes of the window path's: on targets with it,
// many take it, alone or two at a time; on the others none does (their vectors take the lane
// path), and the bits are the lane path's either way.
template <bool kFused>
void CheckWideLanes(Interpolation mode, std::uint32_t seed) {
  const WindowCoverage reached =
      CheckWindowPathGivesTheLanePathsBits<kFused>(mode, &make_wide_window_oscillator_case, 150, seed);
#if TUTTI_HWY_WIDE_WINDOW_PATH
  EXPECT_GT(reached.wide_lanes, 2000) << hwy::TargetName(HWY_TARGET);
  EXPECT_GT(reached.wide_lone_lanes, 300) << hwy::TargetName(HWY_TARGET);
  EXPECT_GT(reached.wide_seam_lanes, 100) << hwy::TargetName(HWY_TARGET);
  EXPECT_GT(reached.window_lanes, reached.wide_lanes + 300) << hwy::TargetName(HWY_TARGET);
#else
  EXPECT_EQ(reached.wide_lanes, 0) << hwy::TargetName(HWY_TARGET);
#endif
}

template <bool kFused>
void CheckUnitStepLanes(Interpolation mode, std::uint32_t seed) {
  const WindowCoverage reached = CheckWindowPathGivesTheLanePathsBits<kFused>(mode, &make_unit_step_oscillator_case, 300, seed);
#if TUTTI_HWY_WINDOW_PATH
  EXPECT_GT(reached.unit_lanes, 4500);
  EXPECT_GT(reached.unit_seam_lanes, 800);
  EXPECT_GT(reached.unit_lanes_among_others, 3800);
  EXPECT_GT(reached.unit_lanes_with_8_more, 1300);
  EXPECT_GT(reached.window_lanes, 2800);
#else
  (void)reached;
#endif
}

}  // namespace

void TestWindowPathGivesTheLanePathsBitsFused() {
  CheckWindowLanes<true>(Interpolation::cubic, 31);
  CheckWindowLanes<true>(Interpolation::linear, 32);
}
void TestWindowPathGivesTheLanePathsBitsPortable() {
  CheckWindowLanes<false>(Interpolation::cubic, 33);
  CheckWindowLanes<false>(Interpolation::linear, 34);
}
void TestWideWindowPathGivesTheLanePathsBitsFused() {
  CheckWideLanes<true>(Interpolation::cubic, 41);
  CheckWideLanes<true>(Interpolation::linear, 42);
}
void TestWideWindowPathGivesTheLanePathsBitsPortable() {
  CheckWideLanes<false>(Interpolation::cubic, 43);
  CheckWideLanes<false>(Interpolation::linear, 44);
}
void TestUnitStepLanesGiveTheLanePathsBitsFused() {
  CheckUnitStepLanes<true>(Interpolation::cubic, 35);
  CheckUnitStepLanes<true>(Interpolation::linear, 36);
}
void TestUnitStepLanesGiveTheLanePathsBitsPortable() {
  CheckUnitStepLanes<false>(Interpolation::cubic, 37);
  CheckUnitStepLanes<false>(Interpolation::linear, 38);
}

namespace {

// The window path's weights, at the scale 1 and at the 16-bit taps' scale (taken back exactly),
// against the lane path's for every row of the fraction, other bits of it set or not.
template <class D>
void CheckScaledWeights(D d) {
#if TUTTI_HWY_WINDOW_PATH
  const hn::RebindToUnsigned<D> du;
  const oscillator_detail::FloatTag df;
  const oscillator_detail::UintTag du8;
  constexpr std::size_t kLanes = hn::MaxLanes(D());
  constexpr std::size_t kNarrow = hn::MaxLanes(oscillator_detail::FloatTag());
  for (const std::uint32_t low_bits : {0u, 0x00ffffffu, 0x00123456u}) {
    for (std::uint32_t row = 0; row < 256; row += kLanes) {
      alignas(64) std::uint32_t fractions[kLanes];
      for (std::size_t l = 0; l < kLanes; ++l) fractions[l] = (row + static_cast<std::uint32_t>(l)) << 24 | low_bits;
      for (const float scale : {1.0f, 1.0f / 8589934592.0f}) {
        const auto scaled = oscillator_detail::ScaledCubicWeights(d, hn::Load(du, fractions), hn::Set(d, scale));
        alignas(64) float got[4][kLanes];
        hn::Store(hn::Div(scaled.before, hn::Set(d, scale)), d, got[0]);
        hn::Store(hn::Div(scaled.at, hn::Set(d, scale)), d, got[1]);
        hn::Store(hn::Div(scaled.after, hn::Set(d, scale)), d, got[2]);
        hn::Store(hn::Div(scaled.after2, hn::Set(d, scale)), d, got[3]);
        for (std::size_t first = 0; first < kLanes; first += kNarrow) {
          const oscillator_detail::CubicWeights w = oscillator_detail::CubicWeightsFor(hn::Load(du8, fractions + first));
          alignas(32) float want[4][kNarrow];
          hn::Store(w.before, df, want[0]);
          hn::Store(w.at, df, want[1]);
          hn::Store(w.after, df, want[2]);
          hn::Store(w.after2, df, want[3]);
          for (int tap = 0; tap < 4; ++tap) {
            for (std::size_t l = 0; l < kNarrow; ++l) {
              ASSERT_TRUE(SameBits(want[tap][l], got[tap][first + l]))
                  << hwy::TargetName(HWY_TARGET) << " row " << row + first + l << " tap " << tap << " scale " << scale
                  << ": " << want[tap][l] << " vs " << got[tap][first + l];
            }
          }
        }
      }
    }
  }
#else
  (void)d;
#endif
}

}  // namespace

void TestScaledWeightsAreTheLanePaths() {
  CheckScaledWeights(oscillator_detail::FloatTag());
  CheckScaledWeights(hn::ScalableTag<float>());
}

namespace {

// What a run of mixed-interpolation cases reached: linear lanes in cubic calls whose vector the
// window path takes whole (unit steps among them; two linear lanes as partners, or one alone),
// linear lanes the lane path renders apart, and vectors with lanes of both modes on the window path.
struct MixedCoverage {
  int linear_window_lanes = 0;
  int linear_unit_lanes = 0;
  int linear_lone_lanes = 0;
  int linear_lane_path_lanes = 0;
  int mixed_vectors = 0;
};

// Lanes interpolated linearly in cubic calls (coarse voices, OscillatorLanes::linear_lanes),
// against calls of one interpolation each for all the lanes: the window path interpolates each
// lane or pair of lanes in its own mode, and the frames it does not take are rendered linearly
// apart; since both paths give the same bits in either arithmetic, every lane has the bits of
// its own mode's call, scalar lanes included.
template <bool kFused>
void CheckMixedModesGiveEachModesBits(std::uint32_t seed) {
  const TestSampleData samples = make_sample_data(12, 13, 300, 3000);
  const SampleData data = samples.data(false);
  std::mt19937 random(seed);
  int differences = 0;
  MixedCoverage reached;
  for (int frames : kLaneFrames) {
    for (int n = 0; n < 200; ++n) {
      const auto c = n % 2 == 0 ? make_window_oscillator_case(samples, frames, random)
                                : make_unit_step_oscillator_case(samples, frames, random);
      OscillatorLanes one_mode = c->lanes;
      OscillatorLanes mixed = c->lanes;
      const int pattern = (n / 2) % 4;
      mixed.linear_lanes = pattern == 0   ? static_cast<std::uint32_t>(random()) & 0xffffu
                           : pattern == 1 ? 0x5555u
                           : pattern == 2 ? 0x3333u
                                          : 1u << (random() % kLaneCount);
      LaneBlockBuffer cubic, linear, actual;
      RenderOscillatorLanes<kFused>(data, Interpolation::cubic, one_mode, cubic.samples);
      RenderOscillatorLanes<kFused>(data, Interpolation::linear, one_mode, linear.samples);
      RenderOscillatorLanes<kFused>(data, Interpolation::cubic, mixed, actual.samples);
      for (int lane = 0; lane < kLaneCount; ++lane) {
        if (mixed.block[lane] == nullptr) continue;
        const bool is_linear = (mixed.linear_lanes >> lane & 1u) != 0;
        const LaneBlockBuffer& expected = is_linear ? linear : cubic;
        for (int k = 0; k < mixed.block[lane]->frames; ++k) {
          const int at = k * kLaneCount + lane;
          if (SameBits(expected.samples[at], actual.samples[at])) continue;
          if (++differences <= 3) {
            ADD_FAILURE() << hwy::TargetName(HWY_TARGET) << " frames " << frames << " case " << n << " lane " << lane
                          << (is_linear ? " (linear)" : " (cubic)") << " frame " << k << ": one mode "
                          << expected.samples[at] << ", mixed " << actual.samples[at];
          }
        }
      }
      OscillatorLaneSetup setup;
      prepare_simulated_lanes(Interpolation::cubic, mixed, setup);
      const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
      for (int first = 0; first < kLaneCount; first += 8) {
        const std::uint32_t vector = simulated >> first & 0xffu;
        const std::uint32_t linear_in_vector = setup.linear_lanes >> first & vector;
        if (vector == 0) continue;
        if (WindowFramesOfVector(setup, first) < kBlockFrames) {
          reached.linear_lane_path_lanes += __builtin_popcount(linear_in_vector);
          continue;
        }
        reached.linear_window_lanes += __builtin_popcount(linear_in_vector);
        if (linear_in_vector != 0 && linear_in_vector != vector) ++reached.mixed_vectors;
        int linear_pairing = 0;
        for (int l = 0; l < 8; ++l) {
          if ((linear_in_vector >> l & 1u) == 0) continue;
          if (UnitStepLane(setup, first + l)) {
            ++reached.linear_unit_lanes;
          } else {
            ++linear_pairing;
          }
        }
        if (linear_pairing % 2 == 1) ++reached.linear_lone_lanes;
      }
    }
  }
  EXPECT_EQ(differences, 0);
#if TUTTI_HWY_WINDOW_PATH
  EXPECT_GT(reached.linear_window_lanes, 600);
  EXPECT_GT(reached.linear_unit_lanes, 250);
  EXPECT_GT(reached.linear_lone_lanes, 90);
  EXPECT_GT(reached.mixed_vectors, 180);
#endif
  EXPECT_GT(reached.linear_lane_path_lanes, 10000);
}

}  // namespace

void TestMixedModesGiveEachModesBitsFused() { CheckMixedModesGiveEachModesBits<true>(51); }
void TestMixedModesGiveEachModesBitsPortable() { CheckMixedModesGiveEachModesBits<false>(52); }

namespace {

// Blocks of lanes whose voices come and go (lane_inputs.h), rendered with the setup kept from
// block to block and with a fresh one: the same bits for every active lane, scalar lanes included.
template <bool kFused>
void CheckKeptSetupRendersAsAFreshOne(Interpolation mode, std::uint32_t seed) {
  const TestSampleData samples = make_sample_data(8, 17, 60, 600);
  LaneVoiceSequence sequence(samples, mode, seed);
  PersistentOscillatorLanes kept;
  int differences = 0;
  for (int b = 0; b < 4000; ++b) {
    OscillatorLanes lanes = sequence.next();
    // Coarse voices' lanes, the set changing now and then as voices go coarse or stand out again.
    lanes.linear_lanes = (b / 7) % 3 == 0 ? 0u : (static_cast<std::uint32_t>(b / 7) * 2654435761u) >> 16;
    for (bool bits24 : {false, true}) {
      const SampleData data = samples.data(bits24);
      LaneBlockBuffer fresh;
      LaneBlockBuffer from_kept;
      RenderOscillatorLanes<kFused>(data, mode, lanes, fresh.samples);
      if (!bits24) kept.prepare(mode, lanes);
      lanes.prepared = &kept.setup();
      RenderOscillatorLanes<kFused>(data, mode, lanes, from_kept.samples);
      lanes.prepared = nullptr;
      for (int lane = 0; lane < kLaneCount; ++lane) {
        if (lanes.block[lane] == nullptr) continue;
        for (int k = 0; k < lanes.block[lane]->frames; ++k) {
          const int at = k * kLaneCount + lane;
          if (SameBits(fresh.samples[at], from_kept.samples[at])) continue;
          if (++differences <= 3) {
            ADD_FAILURE() << hwy::TargetName(HWY_TARGET) << " block " << b << " lane " << lane << " frame " << k
                          << ": fresh " << fresh.samples[at] << ", kept " << from_kept.samples[at];
          }
        }
      }
    }
  }
  EXPECT_EQ(differences, 0);
  EXPECT_GT(sequence.same_regions, 300);
  EXPECT_GT(sequence.region_changes, 600);
  EXPECT_GT(sequence.releases, 150);
  EXPECT_GT(sequence.scalar_blocks, 250);
}

}  // namespace

void TestKeptSetupRendersAsAFreshOneFused() {
  CheckKeptSetupRendersAsAFreshOne<true>(Interpolation::cubic, 41);
  CheckKeptSetupRendersAsAFreshOne<true>(Interpolation::linear, 42);
  CheckKeptSetupRendersAsAFreshOne<true>(Interpolation::none, 43);
}
void TestKeptSetupRendersAsAFreshOnePortable() {
  CheckKeptSetupRendersAsAFreshOne<false>(Interpolation::cubic, 44);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "hwy/tests/hwy_gtest.h"

namespace tutti::kernels {

HWY_BEFORE_TEST(HwyOscillatorPaths);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestWindowPathGivesTheLanePathsBitsFused);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestWindowPathGivesTheLanePathsBitsPortable);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestWideWindowPathGivesTheLanePathsBitsFused);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestWideWindowPathGivesTheLanePathsBitsPortable);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestUnitStepLanesGiveTheLanePathsBitsFused);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestUnitStepLanesGiveTheLanePathsBitsPortable);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestMixedModesGiveEachModesBitsFused);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestMixedModesGiveEachModesBitsPortable);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestScaledWeightsAreTheLanePaths);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestKeptSetupRendersAsAFreshOneFused);
HWY_EXPORT_AND_TEST_P(HwyOscillatorPaths, TestKeptSetupRendersAsAFreshOnePortable);

}  // namespace tutti::kernels
#endif  // HWY_ONCE
