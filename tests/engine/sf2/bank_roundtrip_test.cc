// Builder -> loader round trips: what the builder writes is what the loader returns.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>

#include <unistd.h>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

using engine::sf2::GeneratorValue;
using engine::sf2::kLeftSample;
using engine::sf2::kMonoSample;
using engine::sf2::kRightSample;
using engine::sf2::load_bank;
using engine::sf2::Preset;
using engine::sf2::Zone;

std::optional<std::int16_t> generator(const Zone& zone, Generator g) {
  for (const GeneratorValue& v : zone.generators) {
    if (v.type == g) return v.amount;
  }
  return std::nullopt;
}

TEST(Sf2RoundTrip, InfoFields) {
  Sf2Builder b = minimal_builder();
  b.set_name("Round Trip").set_engine("E-mu 10K1").set_copyright("(c) nobody").set_version(2, 1);
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->info().version_major, 2);
  EXPECT_EQ(bank->info().version_minor, 1);
  EXPECT_EQ(bank->info().name, "Round Trip");
  EXPECT_EQ(bank->info().engine, "E-mu 10K1");
  EXPECT_EQ(bank->info().copyright, "(c) nobody");
  EXPECT_EQ(bank->path(), kTestBankName);
}

TEST(Sf2RoundTrip, CleanBankHasNoWarnings) {
  auto bank = load_ok(minimal_builder().bytes());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2RoundTrip, SampleHeadersAndPointsWithGuardPoints) {
  Sf2Builder b;
  const std::vector<float> first = sine_loop(3, 40, 0.75f);
  const std::vector<std::int16_t> second = {100, -200, 300, -400, 500, 32767, -32768};
  const int s0 = b.add_sample(first, {.name = "Sine A", .root_key = 57, .pitch_correction = -12, .loop_start = 40,
                                      .loop_end = 120, .rate = 22050});
  const int s1 = b.add_sample(second, {.root_key = 255, .rate = 48000});
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  ASSERT_EQ(bank->samples().size(), 2u);

  const auto& h0 = bank->samples()[static_cast<std::size_t>(s0)];
  EXPECT_EQ(h0.name, "Sine A");
  EXPECT_EQ(h0.start, 0u);
  EXPECT_EQ(h0.end, 120u);
  EXPECT_EQ(h0.loop_start, 40u);
  EXPECT_EQ(h0.loop_end, 120u);
  EXPECT_EQ(h0.sample_rate, 22050u);
  EXPECT_EQ(h0.original_pitch, 57);
  EXPECT_EQ(h0.root_key(), 57);
  EXPECT_EQ(h0.pitch_correction, -12);
  EXPECT_EQ(h0.sample_type, kMonoSample);

  // Section 6.1: each sample is followed by 46 zero points, so the second starts at 120 + 46.
  const auto& h1 = bank->samples()[static_cast<std::size_t>(s1)];
  EXPECT_EQ(h1.name, "sample1");
  EXPECT_EQ(h1.start, 166u);
  EXPECT_EQ(h1.end, 173u);
  EXPECT_EQ(h1.original_pitch, 255);
  EXPECT_EQ(h1.root_key(), 60);  // unpitched reads as 60
  ASSERT_EQ(bank->sample_data().size(), 173u + 46u);

  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(bank->sample_data()[i], static_cast<std::int16_t>(std::lround(first[i] * 32767.0f))) << i;
  }
  for (std::size_t i = 120; i < 166; ++i) EXPECT_EQ(bank->sample_data()[i], 0) << i;
  for (std::size_t i = 0; i < second.size(); ++i) EXPECT_EQ(bank->sample_data()[166 + i], second[i]) << i;
  EXPECT_TRUE(bank->sample_data_24().empty());
}

TEST(Sf2RoundTrip, SampleDataStaysInTheLoadedBytes) {
  Sf2Builder b = minimal_builder();
  RawBank raw = b.raw();
  std::vector<std::uint8_t> bytes = raw.assemble();
  const std::uint8_t* smpl = bytes.data() + raw.data_offset("sdta", "smpl");
  auto bank = load_ok(std::move(bytes));  // moving a vector keeps its buffer
  ASSERT_TRUE(bank);
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(bank->sample_data().data()), smpl);
}

TEST(Sf2RoundTrip, StereoPairKeepsTypesAndLinks) {
  Sf2Builder b;
  auto [left, right] = b.add_stereo_sample(sine_loop(2, 32), saw_loop(2, 32), {.name = "Pad"});
  const int inst = b.add_instrument("Pad", {zone(left).gen(Generator::pan, -500), zone(right).gen(Generator::pan, 500)});
  b.add_preset("Pad", 0, 0, {preset_zone(inst)});
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  const auto& l = bank->samples()[static_cast<std::size_t>(left)];
  const auto& r = bank->samples()[static_cast<std::size_t>(right)];
  EXPECT_EQ(l.name, "PadL");
  EXPECT_EQ(r.name, "PadR");
  EXPECT_EQ(l.sample_type, kLeftSample);
  EXPECT_EQ(r.sample_type, kRightSample);
  EXPECT_EQ(l.sample_link, right);
  EXPECT_EQ(r.sample_link, left);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2RoundTrip, ZonesGeneratorsRangesAndModulators) {
  Sf2Builder b;
  const int low = b.add_sample(sine_loop(2, 64));
  const int high = b.add_sample(saw_loop(2, 32));
  const Modulator velocity_to_filter =
      modulator(general_source(GeneralController::noteOnVelocity, SourceCurve::concave, false, true),
                Generator::initialFilterFc, -2400);
  const Modulator cc1_to_vibrato = modulator(cc_source(1), Generator::vibLfoToPitch, 50);
  const int inst = b.add_instrument(
      "Split", {global_zone().gen(Generator::releaseVolEnv, 1200).mod(cc1_to_vibrato),
                zone(low).key_range(0, 59).vel_range(1, 100).gen(Generator::pan, -250).gen(Generator::coarseTune, -12),
                zone(high).key_range(60, 127).gen(Generator::sampleModes, 1).mod(velocity_to_filter)});
  const int other = b.add_instrument("Other", {zone(low)});
  b.add_preset("Split Piano", 0, 5,
               {global_zone().gen(Generator::initialAttenuation, 30),
                preset_zone(inst).key_range(10, 100).gen(Generator::fineTune, 7), preset_zone(other).vel_range(64, 127)});
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);

  ASSERT_EQ(bank->instruments().size(), 2u);
  const auto& split = bank->instruments()[static_cast<std::size_t>(inst)];
  EXPECT_EQ(split.name, "Split");
  ASSERT_TRUE(split.global_zone.has_value());
  EXPECT_FALSE(split.global_zone->link.has_value());
  EXPECT_EQ(generator(*split.global_zone, Generator::releaseVolEnv), 1200);
  ASSERT_EQ(split.global_zone->modulators.size(), 1u);
  EXPECT_TRUE(split.global_zone->modulators[0].same_identity(cc1_to_vibrato));
  EXPECT_EQ(split.global_zone->modulators[0].amount, 50);

  ASSERT_EQ(split.zones.size(), 2u);
  const Zone& z0 = split.zones[0];
  EXPECT_EQ(z0.link, static_cast<std::uint32_t>(low));
  EXPECT_EQ(z0.range.key_low, 0);
  EXPECT_EQ(z0.range.key_high, 59);
  EXPECT_EQ(z0.range.vel_low, 1);
  EXPECT_EQ(z0.range.vel_high, 100);
  EXPECT_EQ(generator(z0, Generator::pan), -250);
  EXPECT_EQ(generator(z0, Generator::coarseTune), -12);
  // Ranges and the link are fields, not generators.
  EXPECT_EQ(z0.generators.size(), 2u);
  EXPECT_FALSE(generator(z0, Generator::sampleID));
  const Zone& z1 = split.zones[1];
  EXPECT_EQ(z1.link, static_cast<std::uint32_t>(high));
  EXPECT_EQ(z1.range.key_low, 60);
  EXPECT_EQ(z1.range.vel_low, 0);
  EXPECT_EQ(z1.range.vel_high, 127);
  EXPECT_EQ(generator(z1, Generator::sampleModes), 1);
  ASSERT_EQ(z1.modulators.size(), 1u);
  EXPECT_EQ(z1.modulators[0].source, velocity_to_filter.source);
  EXPECT_EQ(z1.modulators[0].destination, static_cast<std::uint16_t>(Generator::initialFilterFc));
  EXPECT_EQ(z1.modulators[0].amount, -2400);

  ASSERT_EQ(bank->presets().size(), 1u);
  const Preset& p = bank->presets()[0];
  EXPECT_EQ(p.name, "Split Piano");
  EXPECT_EQ(p.bank, 0);
  EXPECT_EQ(p.program, 5);
  ASSERT_TRUE(p.global_zone.has_value());
  EXPECT_EQ(generator(*p.global_zone, Generator::initialAttenuation), 30);
  ASSERT_EQ(p.zones.size(), 2u);
  EXPECT_EQ(p.zones[0].link, static_cast<std::uint32_t>(inst));
  EXPECT_EQ(p.zones[0].range.key_low, 10);
  EXPECT_EQ(p.zones[0].range.key_high, 100);
  EXPECT_EQ(generator(p.zones[0], Generator::fineTune), 7);
  EXPECT_FALSE(generator(p.zones[0], Generator::instrument));
  EXPECT_EQ(p.zones[1].link, static_cast<std::uint32_t>(other));
  EXPECT_EQ(p.zones[1].range.vel_low, 64);
  EXPECT_EQ(bank->find_preset(0, 5), &p);
}

TEST(Sf2RoundTrip, NegativeAndExtremeGeneratorAmounts) {
  Sf2Builder b;
  const int s = b.add_sample(silence(64));
  const int i = b.add_instrument("X", {zone(s)
                                           .gen(Generator::delayVolEnv, -32768)
                                           .gen(Generator::attackVolEnv, 32767)
                                           .gen(Generator::startAddrsOffset, -1)});
  b.add_preset("X", 0, 0, {preset_zone(i)});
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  const Zone& z = bank->instruments()[0].zones[0];
  EXPECT_EQ(generator(z, Generator::delayVolEnv), -32768);
  EXPECT_EQ(generator(z, Generator::attackVolEnv), 32767);
  EXPECT_EQ(generator(z, Generator::startAddrsOffset), -1);  // clamping is the engine's job
}

TEST(Sf2RoundTrip, FindPresetMatchesALinearSearch) {
  Sf2Builder b;
  const int s = b.add_sample(silence(8));
  const int i = b.add_instrument("I", {zone(s)});
  std::mt19937 random(7);
  std::map<std::pair<int, int>, int> first_index;
  int duplicates = 0;
  for (int n = 0; n < 300; ++n) {
    const int bank_number = std::uniform_int_distribution<int>(0, 3)(random) * 40;  // 0, 40, 80, 120
    const int program = std::uniform_int_distribution<int>(0, 127)(random);
    b.add_preset("P" + std::to_string(n), bank_number, program, {preset_zone(i)});
    if (!first_index.emplace(std::pair{bank_number, program}, n).second) ++duplicates;
  }
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  ASSERT_GT(duplicates, 0);
  EXPECT_EQ(count_warnings(*bank, "same bank:program"), duplicates);
  for (int bank_number : {0, 40, 80, 120, 1, 128}) {
    for (int program = 0; program < 128; ++program) {
      const Preset* found = bank->find_preset(bank_number, program);
      auto it = first_index.find({bank_number, program});
      if (it == first_index.end()) {
        EXPECT_EQ(found, nullptr) << bank_number << ":" << program;
      } else {
        EXPECT_EQ(found, &bank->presets()[static_cast<std::size_t>(it->second)]) << bank_number << ":" << program;
      }
    }
  }
  EXPECT_EQ(bank->find_preset(-1, 0), nullptr);
  EXPECT_EQ(bank->find_preset(0, 70000), nullptr);
}

TEST(Sf2RoundTrip, LoadsFromAFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tutti_sf2_roundtrip_" + std::to_string(::getpid()) + ".sf2")).string();
  ASSERT_TRUE(minimal_builder().write(path).has_value());
  auto bank = load_bank(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(bank.has_value()) << bank.error().message();
  EXPECT_EQ((*bank)->path(), path);
  ASSERT_EQ((*bank)->presets().size(), 1u);
  EXPECT_EQ((*bank)->presets()[0].name, "Sine");
  EXPECT_EQ((*bank)->sample_data().size(), 200u + 46u);
}

TEST(Sf2RoundTrip, MissingFileIsAnErrorNamingIt) {
  auto bank = load_bank("/nonexistent/tutti/bank.sf2");
  ASSERT_FALSE(bank.has_value());
  EXPECT_EQ(bank.error().file, "/nonexistent/tutti/bank.sf2");
  EXPECT_NE(bank.error().message().find("/nonexistent/tutti/bank.sf2"), std::string::npos);
}

}  // namespace
}  // namespace tutti::test
