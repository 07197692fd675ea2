// What prepare_oscillator_lanes promises the lane kernels: the frames it marks for the window
// path (kernels/oscillator_hwy-inl.h) are plain frames whose 8-point windows stay readable, the
// lanes it lets the window path carry through their loop wraps read at every frame the plain
// neighbours of the loop played out past its end (for cubic and for linear), and the window test cases really reach those
// paths, runs that end mid-block and wraps included. And that a setup kept from block to block
// (PersistentOscillatorLanes) holds, after every block, the fields a fresh one has, and the
// full setup's stand-in lanes are silenced copies of simulated lanes.
#include "kernels/oscillator_lane_setup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <string>

#include "kernels/oscillator.h"
#include "tests/kernels/lane_inputs.h"

namespace tutti::kernels::test {
namespace {

// The points the scalar twin's cubic rule reads for a frame (kernels/oscillator_scalar.cc).
std::array<std::uint32_t, 4> twin_taps(const OscillatorBlock& block, const PlaybackRegion& region, int frame) {
  const WrappedPhase at = wrap_phase(block.phase + static_cast<Phase>(frame) * block.increment, region,
                                     block.looping, false);
  const std::uint32_t i = phase_index(at.phase);
  const bool has_looped = block.has_looped || at.wrapped;
  if (i == (has_looped ? region.loop_start : region.start)) {
    return {has_looped ? region.loop_end - 1 : region.start, i, i + 1, i + 2};
  }
  auto after = [&](std::uint32_t j) {
    if (block.looping) return j >= region.loop_end ? j - region.loop_length() : j;
    return std::min(j, region.end);
  };
  return {i - 1, i, after(i + 1), after(i + 2)};
}

// The point at `n` of the loop played on past its end.
std::uint32_t played_on(const PlaybackRegion& region, std::uint64_t n) {
  while (n >= region.loop_end) n -= region.loop_length();
  return static_cast<std::uint32_t>(n);
}

// The points the scalar twin's linear rule reads for a frame (kernels/oscillator_scalar.cc).
std::array<std::uint32_t, 2> twin_linear_taps(const OscillatorBlock& block, const PlaybackRegion& region, int frame) {
  const WrappedPhase at = wrap_phase(block.phase + static_cast<Phase>(frame) * block.increment, region,
                                     block.looping, false);
  const std::uint32_t i = phase_index(at.phase);
  std::uint32_t next = i + 1;
  if (block.looping && next >= region.loop_end) next = region.loop_start;
  if (!block.looping && next > region.end) next = region.end;
  return {i, next};
}

// Calls visit(case, setup) for window cases (lane_inputs.h) of every frame count, prepared
// for `mode`.
template <class Visit>
void for_each_window_case(std::uint32_t seed, Visit visit, Interpolation mode = Interpolation::cubic) {
  const TestSampleData samples = make_sample_data(12, 13, 300, 3000);
  std::mt19937 random(seed);
  for (int frames : kLaneFrames) {
    for (int n = 0; n < 40; ++n) {
      const auto c = make_window_oscillator_case(samples, frames, random);
      OscillatorLaneSetup setup;
      prepare_oscillator_lanes(mode, c->lanes, setup);
      visit(*c, setup);
    }
  }
}

// An active lane the SIMD kernels render (not one handed to the scalar twin).
bool simd_lane(const OscillatorCase& c, const OscillatorLaneSetup& setup, int lane) {
  return c.lanes.block[lane] != nullptr && (setup.scalar_lanes >> lane & 1u) == 0;
}

// The wide-lane mark of a SIMD lane, and the points its window frames may read after their
// index: those of the window of its step (16 from index - 1, the float windows of cubic pairs, or
// 32 for a wide lane).
int checked_points_after(const OscillatorBlock& block, const OscillatorLaneSetup& setup, int lane) {
  const bool wide = (setup.wide_lanes >> lane & 1u) != 0;
  EXPECT_EQ(wide, block.increment > kWindowStepLimit && block.increment <= kWideWindowStepLimit) << "lane " << lane;
  return wide ? kWideWindowPointsAfter : kWindowPointsAfter;
}

TEST(OscillatorLaneSetup, WindowFramesArePlainAndReadOnlyReadablePoints) {
  int whole_vectors = 0;  // vectors of 8 lanes with a window run of at least 8 frames
  int ending_runs = 0;    // lanes whose window run ends inside the block
  int wide_runs = 0;      // lanes with window frames at steps of the wide window path
  int wide_ending_runs = 0;
  for_each_window_case(14, [&](const OscillatorCase& c, const OscillatorLaneSetup& setup) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      if (!simd_lane(c, setup, lane)) continue;
      const OscillatorBlock& block = *c.lanes.block[lane];
      const int window = setup.window_frames[lane];
      const int points_after = checked_points_after(block, setup, lane);
      ASSERT_LE(window, setup.plain_frames[lane]);
      if (window == 0) continue;
      ASSERT_LE(block.increment, kWideWindowStepLimit);
      if (window < kBlockFrames) ++ending_runs;
      if (points_after == kWideWindowPointsAfter) ++(window < kBlockFrames ? wide_ending_runs : wide_runs);
      const PlaybackRegion& region = c.regions[lane];
      const std::uint32_t first_point = block.has_looped ? region.loop_start : region.start;
      for (int k = 0; k < window; ++k) {
        const std::uint32_t index = phase_index(block.phase + static_cast<Phase>(k) * block.increment);
        ASSERT_GT(index, first_point) << "lane " << lane << " frame " << k;
        // All four taps plain: inside the loop when looping, inside the sample otherwise.
        ASSERT_LT(index + 2, block.looping ? region.loop_end : region.end + 1) << "lane " << lane << " frame " << k;
        // The window from index - 1 spans 16 points (32 for a wide lane): at most 2 past the end
        // (oscillator.h).
        ASSERT_LE(index + points_after, region.end + 2) << "lane " << lane << " frame " << k;
      }
    }
    for (int first = 0; first < kLaneCount; first += 8) {
      const int run = *std::min_element(setup.window_frames + first, setup.window_frames + first + 8);
      if (run >= 8) ++whole_vectors;
    }
  });
  EXPECT_GT(whole_vectors, 20);
  EXPECT_GT(ending_runs, 20);
  EXPECT_GT(wide_runs, 100);
  EXPECT_GT(wide_ending_runs, 20);
}

// A lane the window path carries through its loop wraps: a step of the window path and a loop
// long enough for its seam copy, or a step of the wide window path (counted in `wide`) and a loop
// long enough for the wide seam copy.
void expect_seam_loop(const OscillatorBlock& block, const PlaybackRegion& region, const OscillatorLaneSetup& setup,
                      int lane, int& wide) {
  const bool is_wide = (setup.wide_lanes >> lane & 1u) != 0;
  wide += is_wide ? 1 : 0;
  EXPECT_LE(block.increment, is_wide ? kWideWindowStepLimit : kWindowStepLimit) << "lane " << lane;
  EXPECT_GE(region.loop_length(),
            static_cast<std::uint32_t>(is_wide ? kWideWindowSeamLoopLength : kWindowSeamLoopLength))
      << "lane " << lane;
}

TEST(OscillatorLaneSetup, WrappingWindowLanesReadTheLoopPlayedOn) {
  int wide_wrapping = 0;  // of the lanes below, those of wide steps
  int wrapping = 0;     // lanes carried through a loop wrap inside the block
  int short_loops = 0;  // wrapping lanes whose loop is too short for the seam copy
  for_each_window_case(15, [&](const OscillatorCase& c, const OscillatorLaneSetup& setup) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      if (!simd_lane(c, setup, lane)) continue;
      const OscillatorBlock& block = *c.lanes.block[lane];
      const PlaybackRegion& region = c.regions[lane];
      const Phase last = block.phase + static_cast<Phase>(block.frames - 1) * block.increment;
      const bool wraps = block.looping && phase_index(last) + 2 >= region.loop_end;
      if (setup.window_wraps[lane] == 0) {
        if (wraps && block.increment <= kWindowStepLimit &&
            region.loop_length() < static_cast<std::uint32_t>(kWindowSeamLoopLength)) {
          ++short_loops;
        }
        continue;
      }
      if (wraps) ++wrapping;
      ASSERT_TRUE(block.looping);
      expect_seam_loop(block, region, setup, lane, wide_wrapping);
      // The window path reads windows of the loop played on from the first frame's index - 1;
      // that index lies past the first point, inside the loop's end.
      const std::uint32_t first_index = phase_index(block.phase);
      ASSERT_GT(first_index, block.has_looped ? region.loop_start : region.start) << "lane " << lane;
      ASSERT_LT(first_index, region.loop_end) << "lane " << lane;
      // Every frame of the block (those past block.frames are computed too, and must read
      // valid points).
      for (int k = 0; k < kBlockFrames; ++k) {
        const std::uint64_t u = (block.phase + static_cast<Phase>(k) * block.increment) >> 32;
        const std::array<std::uint32_t, 4> expected = twin_taps(block, region, k);
        for (int t = 0; t < 4; ++t) {
          ASSERT_EQ(played_on(region, u - 1 + static_cast<std::uint64_t>(t)), expected[static_cast<std::size_t>(t)])
              << "lane " << lane << " frame " << k << " tap " << t;
        }
      }
    }
  });
  EXPECT_GT(wrapping, 100);
  EXPECT_GT(wide_wrapping, 10);
  EXPECT_GT(short_loops, 50);
}

// Linear has no special tap at the first point: its window frames need only plain taps (the
// point and the next, inside the loop or the sample) and readable windows from index - 1.
TEST(OscillatorLaneSetup, LinearWindowFramesArePlainAndReadOnlyReadablePoints) {
  int whole_blocks = 0;  // lanes whose window run lasts the block
  int ending_runs = 0;   // lanes whose window run ends inside the block
  int first_points = 0;  // lanes whose run starts at the first point (which cubic's cannot)
  for_each_window_case(16, [&](const OscillatorCase& c, const OscillatorLaneSetup& setup) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      if (!simd_lane(c, setup, lane)) continue;
      const OscillatorBlock& block = *c.lanes.block[lane];
      const int window = setup.window_frames[lane];
      const int points_after = checked_points_after(block, setup, lane);
      ASSERT_EQ(setup.plain_frames[lane], 0);
      if (window == 0) continue;
      ASSERT_LE(block.increment, kWideWindowStepLimit);
      ++(window < kBlockFrames ? ending_runs : whole_blocks);
      const PlaybackRegion& region = c.regions[lane];
      if (phase_index(block.phase) == (block.has_looped ? region.loop_start : region.start)) ++first_points;
      for (int k = 0; k < window; ++k) {
        const std::uint32_t index = phase_index(block.phase + static_cast<Phase>(k) * block.increment);
        ASSERT_GT(index, 0u) << "lane " << lane << " frame " << k;
        ASSERT_LT(index + 1, block.looping ? region.loop_end : region.end + 1) << "lane " << lane << " frame " << k;
        ASSERT_LE(index + points_after, region.end + 2) << "lane " << lane << " frame " << k;
      }
    }
  }, Interpolation::linear);
  EXPECT_GT(whole_blocks, 1000);
  EXPECT_GT(ending_runs, 200);
  EXPECT_GT(first_points, 200);
}

TEST(OscillatorLaneSetup, LinearWrappingWindowLanesReadTheLoopPlayedOn) {
  int wide_wrapping = 0;  // of the lanes below, those of wide steps
  int wrapping = 0;  // lanes carried through a loop wrap inside the block
  for_each_window_case(17, [&](const OscillatorCase& c, const OscillatorLaneSetup& setup) {
    for (int lane = 0; lane < kLaneCount; ++lane) {
      if (!simd_lane(c, setup, lane) || setup.window_wraps[lane] == 0) continue;
      const OscillatorBlock& block = *c.lanes.block[lane];
      const PlaybackRegion& region = c.regions[lane];
      const Phase last = block.phase + static_cast<Phase>(block.frames - 1) * block.increment;
      if (phase_index(last) + 1 >= region.loop_end) ++wrapping;
      ASSERT_TRUE(block.looping);
      expect_seam_loop(block, region, setup, lane, wide_wrapping);
      const std::uint32_t first_index = phase_index(block.phase);
      ASSERT_GT(first_index, 0u) << "lane " << lane;
      ASSERT_LT(first_index, region.loop_end) << "lane " << lane;
      for (int k = 0; k < kBlockFrames; ++k) {
        const std::uint64_t u = (block.phase + static_cast<Phase>(k) * block.increment) >> 32;
        const std::array<std::uint32_t, 2> expected = twin_linear_taps(block, region, k);
        for (int t = 0; t < 2; ++t) {
          ASSERT_EQ(played_on(region, u + static_cast<std::uint64_t>(t)), expected[static_cast<std::size_t>(t)])
              << "lane " << lane << " frame " << k << " tap " << t;
        }
      }
    }
  }, Interpolation::linear);
  EXPECT_GT(wrapping, 100);
  EXPECT_GT(wide_wrapping, 10);
}

// The per-lane integer and float fields, for comparing setups lane by lane.
using IntField = std::int32_t (OscillatorLaneSetup::*)[kLaneCount];
constexpr IntField kIntFields[] = {
    &OscillatorLaneSetup::index,       &OscillatorLaneSetup::step_index_plus_one, &OscillatorLaneSetup::wrap_at,
    &OscillatorLaneSetup::loop_length, &OscillatorLaneSetup::start,               &OscillatorLaneSetup::loop_start,
    &OscillatorLaneSetup::loop_end_minus_one, &OscillatorLaneSetup::end,          &OscillatorLaneSetup::looped,
    &OscillatorLaneSetup::plain_below, &OscillatorLaneSetup::plain_frames,        &OscillatorLaneSetup::window_frames,
    &OscillatorLaneSetup::window_wraps};

// Lane `a` of setup `x` has lane `b` of setup `y`'s fields, the gains excepted.
void expect_same_lane_fields(const OscillatorLaneSetup& x, int a, const OscillatorLaneSetup& y, int b,
                             const std::string& where) {
  for (std::size_t f = 0; f < std::size(kIntFields); ++f) {
    ASSERT_EQ((x.*kIntFields[f])[a], (y.*kIntFields[f])[b]) << where << " field " << f;
  }
  ASSERT_EQ(x.fraction[a], y.fraction[b]) << where;
  ASSERT_EQ(x.step_fraction[a], y.step_fraction[b]) << where;
}

void check_kept_setup(Interpolation mode, std::uint32_t seed) {
  const TestSampleData samples = make_sample_data(8, 17, 60, 600);
  LaneVoiceSequence sequence(samples, mode, seed);
  PersistentOscillatorLanes kept;
  for (int b = 0; b < 4000; ++b) {
    const OscillatorLanes& lanes = sequence.next();
    kept.prepare(mode, lanes);
    OscillatorLaneSetup fresh;
    prepare_simulated_lanes(mode, lanes, fresh);
    const OscillatorLaneSetup& k = kept.setup();
    ASSERT_EQ(fresh.active, k.active) << "block " << b;
    ASSERT_EQ(fresh.scalar_lanes, k.scalar_lanes) << "block " << b;
    for (int lane = 0; lane < kLaneCount; ++lane) {
      if (((fresh.active & ~fresh.scalar_lanes) >> lane & 1u) == 0) continue;
      const std::string where = "block " + std::to_string(b) + " lane " + std::to_string(lane);
      expect_same_lane_fields(fresh, lane, k, lane, where);
      ASSERT_EQ(fresh.gain[lane], k.gain[lane]) << where;
      ASSERT_EQ(fresh.gain_step[lane], k.gain_step[lane]) << where;
    }
  }
  EXPECT_GT(sequence.same_regions, 300);
  EXPECT_GT(sequence.region_changes, 600);
  EXPECT_GT(sequence.releases, 150);
  EXPECT_GT(sequence.scalar_blocks, 250);
  EXPECT_GT(sequence.hinted_regions, 10000);
}

TEST(OscillatorLaneSetup, KeptSetupEqualsAFreshOneAfterEveryBlockCubic) { check_kept_setup(Interpolation::cubic, 21); }

TEST(OscillatorLaneSetup, KeptSetupEqualsAFreshOneAfterEveryBlockOtherModes) {
  check_kept_setup(Interpolation::linear, 22);
  check_kept_setup(Interpolation::none, 23);
}

TEST(OscillatorLaneSetup, KeptSetupFollowsAChangeOfInterpolation) {
  const TestSampleData samples = make_sample_data(8, 17, 60, 600);
  LaneVoiceSequence sequence(samples, Interpolation::cubic, 24);
  PersistentOscillatorLanes kept;
  int b = 0;
  for (Interpolation mode : {Interpolation::cubic, Interpolation::none, Interpolation::linear, Interpolation::cubic}) {
    for (int n = 0; n < 50; ++n, ++b) {
      const OscillatorLanes& lanes = sequence.next();
      kept.prepare(mode, lanes);
      OscillatorLaneSetup fresh;
      prepare_simulated_lanes(mode, lanes, fresh);
      ASSERT_EQ(fresh.scalar_lanes, kept.setup().scalar_lanes);
      for (int lane = 0; lane < kLaneCount; ++lane) {
        if (((fresh.active & ~fresh.scalar_lanes) >> lane & 1u) == 0) continue;
        expect_same_lane_fields(fresh, lane, kept.setup(), lane, "block " + std::to_string(b));
      }
    }
  }
}

// The full setup (which the xsimd kernels read) is prepare_simulated_lanes's on the simulated
// lanes, and every other lane holds a simulated lane's fields with zero gain.
TEST(OscillatorLaneSetup, FullSetupSilencesCopiesOfSimulatedLanesElsewhere) {
  const TestSampleData samples = make_sample_data(8, 17, 60, 600);
  LaneVoiceSequence sequence(samples, Interpolation::cubic, 25);
  for (int b = 0; b < 1000; ++b) {
    const OscillatorLanes& lanes = sequence.next();
    OscillatorLaneSetup full;
    prepare_oscillator_lanes(Interpolation::cubic, lanes, full);
    OscillatorLaneSetup simulated;
    prepare_simulated_lanes(Interpolation::cubic, lanes, simulated);
    ASSERT_EQ(full.active, simulated.active);
    ASSERT_EQ(full.scalar_lanes, simulated.scalar_lanes);
    const std::uint32_t own = full.active & ~full.scalar_lanes;
    if (own == 0) continue;
    for (int lane = 0; lane < kLaneCount; ++lane) {
      const std::string where = "block " + std::to_string(b) + " lane " + std::to_string(lane);
      if ((own >> lane & 1u) != 0) {
        expect_same_lane_fields(full, lane, simulated, lane, where);
        continue;
      }
      bool copies_one = false;
      for (int source = 0; source < kLaneCount && !copies_one; ++source) {
        if ((own >> source & 1u) == 0) continue;
        copies_one = std::all_of(std::begin(kIntFields), std::end(kIntFields),
                                 [&](IntField f) { return (full.*f)[lane] == (simulated.*f)[source]; }) &&
                     full.fraction[lane] == simulated.fraction[source] &&
                     full.step_fraction[lane] == simulated.step_fraction[source];
      }
      ASSERT_TRUE(copies_one) << where;
      ASSERT_EQ(full.gain[lane], 0.0f) << where;
      ASSERT_EQ(full.gain_step[lane], 0.0f) << where;
    }
  }
}

}  // namespace
}  // namespace tutti::kernels::test
