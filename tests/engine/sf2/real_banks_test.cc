// The Debian banks every tutti installation has (scripts/install-deps installs fluid-soundfont-gm
// and timgm6mb-soundfont). A missing bank fails these tests on purpose: the parity and benchmark
// suites depend on them. The expected numbers were read from the files independently of the
// loader (chunk sizes / record sizes) and agree with `fluidsynth`'s `inst 1` listing.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

using engine::sf2::load_bank;

constexpr const char* kFluidR3 = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
constexpr const char* kTimGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2";

std::shared_ptr<const Bank> load_installed(const char* path) {
  EXPECT_TRUE(std::filesystem::exists(path)) << path << " is missing: run scripts/install-deps";
  auto bank = load_bank(path);
  EXPECT_TRUE(bank.has_value()) << (bank ? "" : bank.error().message());
  return bank ? *bank : nullptr;
}

std::map<int, int> presets_per_bank(const Bank& bank) {
  std::map<int, int> counts;
  for (const auto& p : bank.presets()) ++counts[p.bank];
  return counts;
}

// What the engine relies on for every bank that loads: links in range, played samples inside
// smpl with their loops inside smpl too.
void expect_consistent(const Bank& bank) {
  const std::size_t points = bank.sample_data().size();
  for (const auto& preset : bank.presets()) {
    for (const auto& zone : preset.zones) {
      ASSERT_TRUE(zone.link.has_value());
      ASSERT_LT(*zone.link, bank.instruments().size()) << preset.name;
    }
  }
  for (const auto& instrument : bank.instruments()) {
    for (const auto& zone : instrument.zones) {
      ASSERT_TRUE(zone.link.has_value());
      ASSERT_LT(*zone.link, bank.samples().size()) << instrument.name;
      const auto& s = bank.samples()[*zone.link];
      EXPECT_LT(s.start, s.end) << s.name;
      EXPECT_LE(s.end, points) << s.name;
      EXPECT_LE(s.loop_start, s.loop_end) << s.name;
      EXPECT_GE(s.loop_start, s.start) << s.name;
      EXPECT_LE(s.loop_end, points) << s.name;
      EXPECT_GT(s.sample_rate, 0u) << s.name;
    }
  }
}

TEST(Sf2RealBanks, FluidR3Gm) {
  auto bank = load_installed(kFluidR3);
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().version_major, 2);
  EXPECT_EQ(bank->info().version_minor, 1);
  EXPECT_EQ(bank->info().name, "Fluid R3 GM");
  EXPECT_EQ(bank->info().engine, "E-mu 10K1");
  EXPECT_EQ(bank->presets().size(), 189u);
  EXPECT_EQ(presets_per_bank(*bank), (std::map<int, int>{{0, 128}, {8, 28}, {9, 1}, {16, 1}, {128, 31}}));
  EXPECT_EQ(bank->instruments().size(), 193u);
  EXPECT_EQ(bank->samples().size(), 1418u);
  EXPECT_EQ(bank->sample_data().size(), 74098056u);  // 148196112 bytes of smpl
  EXPECT_TRUE(bank->sample_data_24().empty());       // version 2.01: no sm24
  // Every bag and modulator record survives: 1054 preset bags, 2818 instrument bags, 746 imod.
  std::size_t preset_zones = 0, instrument_zones = 0, instrument_modulators = 0;
  for (const auto& p : bank->presets()) preset_zones += p.zones.size() + (p.global_zone ? 1 : 0);
  for (const auto& i : bank->instruments()) {
    instrument_zones += i.zones.size() + (i.global_zone ? 1 : 0);
    for (const auto& z : i.zones) instrument_modulators += z.modulators.size();
    if (i.global_zone) instrument_modulators += i.global_zone->modulators.size();
  }
  EXPECT_EQ(preset_zones, 1054u);
  EXPECT_EQ(instrument_zones, 2818u);
  EXPECT_EQ(instrument_modulators, 746u);
  ASSERT_NE(bank->find_preset(0, 0), nullptr);
  EXPECT_EQ(bank->find_preset(0, 0)->name, "Yamaha Grand Piano");
  ASSERT_NE(bank->find_preset(128, 0), nullptr);
  EXPECT_EQ(bank->find_preset(128, 0)->name, "Standard");
  ASSERT_NE(bank->find_preset(8, 4), nullptr);
  EXPECT_EQ(bank->find_preset(8, 4)->name, "Detuned EP 1");
  EXPECT_EQ(bank->find_preset(1, 0), nullptr);
  // FluidSynth 2.3.1 loads it without a warning; so must we.
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
  expect_consistent(*bank);
}

TEST(Sf2RealBanks, TimGm6mb) {
  auto bank = load_installed(kTimGM6mb);
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().version_major, 2);
  EXPECT_EQ(bank->info().version_minor, 1);
  EXPECT_EQ(bank->info().name, "TimGM6mb1.sf2");
  EXPECT_EQ(bank->presets().size(), 136u);
  EXPECT_EQ(presets_per_bank(*bank), (std::map<int, int>{{0, 128}, {128, 8}}));
  EXPECT_EQ(bank->instruments().size(), 210u);
  EXPECT_EQ(bank->samples().size(), 520u);
  EXPECT_EQ(bank->sample_data().size(), 2882168u);
  EXPECT_TRUE(bank->sample_data_24().empty());
  ASSERT_NE(bank->find_preset(0, 0), nullptr);
  EXPECT_EQ(bank->find_preset(0, 0)->name, "Piano 1");
  ASSERT_NE(bank->find_preset(128, 25), nullptr);
  EXPECT_EQ(bank->find_preset(128, 25)->name, "TR 808");
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
  expect_consistent(*bank);
}

TEST(Sf2RealBanks, LoadingDoesNotTouchSampleData) {
  // 141 MiB of samples, a few hundred KiB of headers: a load that copied or scanned the samples
  // would take far longer than this generous bound (measured: about 1.5 ms warm).
  ASSERT_TRUE(load_installed(kFluidR3));  // warm the page cache for the headers
  const auto start = std::chrono::steady_clock::now();
  auto bank = load_installed(kFluidR3);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(bank);
  const double milliseconds = std::chrono::duration<double, std::milli>(elapsed).count();
  EXPECT_LT(milliseconds, 250.0);
}

}  // namespace
}  // namespace tutti::test
