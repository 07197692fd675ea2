// A prepared bank resolves a preset's zones on the preset's first use (PreparedPreset::zones):
// the zones are what the file says (last zone first, instrument ranges cut to their preset
// zone's, playable samples only), and threads asking at once for the first time all get the
// one published copy.
#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "engine/synth/prepared_bank.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::sf2::Generator;
using engine::synth::PreparedPresetZone;

// Two presets. "Split" has two preset zones over one two-zone instrument, so each preset zone
// cuts the instrument's key ranges differently.
Sf2Builder two_preset_bank() {
  Sf2Builder b;
  const int sample = b.add_sample(sine_points(), looped(60, 2000));
  const int inst = b.add_instrument("Split", {zone(sample).key_range(0, 59).gen(Generator::pan, -100),
                                              zone(sample).key_range(60, 127).gen(Generator::pan, 100)});
  b.add_preset("Split", 0, 0, {preset_zone(inst).key_range(40, 69), preset_zone(inst).key_range(70, 90)});
  b.add_preset("Whole", 0, 1, {preset_zone(inst)});
  return b;
}

TEST(PreparedPresets, ZonesAreTheFilesLastZoneFirstWithRangesIntersected) {
  const auto bank = prepare_bank(two_preset_bank());
  const engine::synth::PreparedPreset* split = bank->find(0, 0);
  ASSERT_NE(split, nullptr);
  const std::vector<PreparedPresetZone>& zones = split->zones();
  ASSERT_EQ(zones.size(), 2u);
  // Reverse file order: the 70-90 preset zone first, and in each the 60-127 instrument zone.
  EXPECT_EQ(zones[0].range.key_low, 70);
  EXPECT_EQ(zones[0].range.key_high, 90);
  ASSERT_EQ(zones[0].voice_zones.size(), 2u);
  EXPECT_EQ(zones[0].voice_zones[0].range.key_low, 70);
  EXPECT_EQ(zones[0].voice_zones[0].range.key_high, 90);
  EXPECT_EQ(zones[0].voice_zones[0].generators.value[static_cast<std::size_t>(Generator::pan)], 100.0);
  EXPECT_EQ(zones[1].range.key_low, 40);
  ASSERT_EQ(zones[1].voice_zones.size(), 2u);
  EXPECT_EQ(zones[1].voice_zones[0].range.key_low, 60);
  EXPECT_EQ(zones[1].voice_zones[0].range.key_high, 69);
  EXPECT_EQ(zones[1].voice_zones[1].range.key_low, 40);
  EXPECT_EQ(zones[1].voice_zones[1].range.key_high, 59);
  EXPECT_EQ(zones[1].voice_zones[1].generators.value[static_cast<std::size_t>(Generator::pan)], -100.0);
  // Asked again, the same zones, not resolved anew.
  EXPECT_EQ(&split->zones(), &zones);
}

TEST(PreparedPresets, ThreadsAskingFirstAllGetTheOnePublishedZones) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    const auto bank = prepare_bank(two_preset_bank());
    std::vector<const std::vector<PreparedPresetZone>*> seen(kThreads * 2, nullptr);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        // Half the threads start with the other preset, so both are first asked concurrently.
        for (int p = 0; p < 2; ++p) {
          const int program = (p + t) % 2;
          seen[static_cast<std::size_t>(t * 2 + program)] = &bank->find(0, program)->zones();
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) {
      for (int program = 0; program < 2; ++program) {
        ASSERT_EQ(seen[static_cast<std::size_t>(t * 2 + program)], &bank->find(0, program)->zones())
            << "round " << round << ", thread " << t << ", program " << program;
      }
    }
    EXPECT_EQ(bank->find(0, 1)->zones().size(), 1u);
    EXPECT_EQ(bank->find(0, 1)->zones()[0].voice_zones.size(), 2u);
  }
}

}  // namespace
}  // namespace tutti::test
