// What prepare_oscillator_lanes promises the lane kernels: the frames it marks for the window
// path (kernels/oscillator_hwy-inl.h) are plain frames whose 8-point windows stay readable, and
// the window test cases really reach that path, runs that end mid-block included.
#include "kernels/oscillator_lane_setup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "kernels/oscillator.h"
#include "tests/kernels/lane_inputs.h"

namespace tutti::kernels::test {
namespace {

TEST(OscillatorLaneSetup, WindowFramesArePlainAndReadOnlyReadablePoints) {
  const TestSampleData samples = make_sample_data(12, 13, 300, 3000);
  std::mt19937 random(14);
  int whole_vectors = 0;  // vectors of 8 lanes with a window run of at least 8 frames
  int ending_runs = 0;    // lanes whose window run ends inside the block
  for (int frames : kLaneFrames) {
    for (int n = 0; n < 40; ++n) {
      const auto c = make_window_oscillator_case(samples, frames, random);
      OscillatorLaneSetup setup;
      prepare_oscillator_lanes(Interpolation::cubic, c->lanes, setup);
      for (int lane = 0; lane < kLaneCount; ++lane) {
        const OscillatorBlock* block = c->lanes.block[lane];
        const int window = setup.window_frames[lane];
        if (block == nullptr || (setup.scalar_lanes >> lane & 1u) != 0) continue;
        ASSERT_LE(window, setup.plain_frames[lane]);
        if (window == 0) continue;
        ASSERT_LE(block->increment, kWindowStepLimit);
        if (window < kBlockFrames) ++ending_runs;
        const PlaybackRegion& region = c->regions[lane];
        const std::uint32_t first_point = block->has_looped ? region.loop_start : region.start;
        for (int k = 0; k < window; ++k) {
          const std::uint32_t index = phase_index(block->phase + static_cast<Phase>(k) * block->increment);
          ASSERT_GT(index, first_point) << "lane " << lane << " frame " << k;
          // All four taps plain: inside the loop when looping, inside the sample otherwise.
          ASSERT_LT(index + 2, block->looping ? region.loop_end : region.end + 1) << "lane " << lane << " frame " << k;
          // The window from index - 1 spans 8 points: at most 2 past the end (oscillator.h).
          ASSERT_LE(index + 6, region.end + 2) << "lane " << lane << " frame " << k;
        }
      }
      for (int first = 0; first < kLaneCount; first += 8) {
        const int run = *std::min_element(setup.window_frames + first, setup.window_frames + first + 8);
        if (run >= 8) ++whole_vectors;
      }
    }
  }
  EXPECT_GT(whole_vectors, 20);
  EXPECT_GT(ending_runs, 20);
}

}  // namespace
}  // namespace tutti::kernels::test
