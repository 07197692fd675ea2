// Sample data as voices read it: 24-bit samples (SF2 2.04 sm24: the low byte under each
// 16-bit point, read only in 2.04 banks) and ROM samples, which tutti cannot play: their zones
// produce no voice and the bank says which sample was refused. Levels on constant samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/engine/synth/level_probe.h"

namespace tutti::test {
namespace {

// A held note's steady level on a bank built by `add` (which adds one constant sample and
// returns its index), looped over 2000 points.
double constant_level(const std::function<int(Sf2Builder&)>& add, int version_minor = 4) {
  Sf2Builder builder;
  builder.set_version(2, version_minor);
  const int sample = add(builder);
  const int instrument = builder.add_instrument("dc", {zone(sample).gen(Generator::sampleModes, 1)});
  builder.add_preset("dc", 0, 0, {preset_zone(instrument)});
  return steady_level(builder).left;
}

SampleOptions loop_all() { return looped(60, 2000); }

TEST(Sm24, LowByteExtendsEachPointTo24Bits) {
  // 384 on the 24-bit scale is 1.5 x the 16-bit point 1 (256): +3.52 dB, the low byte (0x80)
  // making up the difference.
  const double sixteen = constant_level([](Sf2Builder& b) {
    return b.add_sample(std::vector<std::int16_t>(2000, 1), loop_all());
  });
  const double twenty_four = constant_level([](Sf2Builder& b) {
    return b.add_sample_24(std::vector<std::int32_t>(2000, 384), loop_all());
  });
  ASSERT_GT(sixteen, 0.0);
  report("24-bit 384 vs 16-bit 1", to_db(twenty_four / sixteen), "dB");
  EXPECT_NEAR(twenty_four / sixteen, 1.5, 1e-4);
}

TEST(Sm24, PointsBelowSixteenBitsStillSound) {
  // Only the low byte is set: silent as 16 bits, audible as 24.
  const double low_only = constant_level([](Sf2Builder& b) {
    return b.add_sample_24(std::vector<std::int32_t>(2000, 200), loop_all());
  });
  const double sixteen = constant_level([](Sf2Builder& b) {
    return b.add_sample(std::vector<std::int16_t>(2000, 1), loop_all());
  });
  EXPECT_NEAR(low_only / sixteen, 200.0 / 256.0, 1e-4);
}

TEST(Sm24, IgnoredInBanksOlderThan204) {
  // A 2.01 bank's sm24 is not part of its format: 384 plays as its high word, 1 (256).
  const double old_bank = constant_level([](Sf2Builder& b) {
    return b.add_sample_24(std::vector<std::int32_t>(2000, 384), loop_all());
  }, 1);
  const double sixteen = constant_level([](Sf2Builder& b) {
    return b.add_sample(std::vector<std::int16_t>(2000, 1), loop_all());
  }, 1);
  EXPECT_NEAR(old_bank / sixteen, 1.0, 1e-6);
}

TEST(RomSample, ZonesOnRomSamplesPlayNothingAndTheBankSaysWhy) {
  Sf2Builder builder;
  SampleOptions rom = loop_all();
  rom.name = "RomPiano";
  rom.type = engine::sf2::kRomSample | engine::sf2::kMonoSample;
  const int rom_sample = builder.add_sample(sine_points(), rom);
  const int ram_sample = builder.add_sample(sine_loop(40, 50), loop_all());  // 882 Hz
  const int rom_only = builder.add_instrument("rom", {zone(rom_sample).gen(Generator::sampleModes, 1)});
  const int mixed = builder.add_instrument(
      "mixed", {zone(rom_sample).gen(Generator::sampleModes, 1), zone(ram_sample).gen(Generator::sampleModes, 1)});
  builder.add_preset("rom", 0, 0, {preset_zone(rom_only)});
  builder.add_preset("mixed", 0, 1, {preset_zone(mixed)});

  const auto bank = load_test_bank(builder);
  ASSERT_TRUE(bank);
  EXPECT_TRUE(std::any_of(bank->warnings().begin(), bank->warnings().end(), [](const std::string& w) {
    return w.find("RomPiano") != std::string::npos && w.find("ROM") != std::string::npos;
  })) << "a warning names the refused ROM sample";

  const Rendered silent = render(builder, single_note_song(60, 100, 0, 300));
  EXPECT_EQ(silent.result.statistics.voices_started, 0u);
  EXPECT_EQ(last_above(silent.left, 0.0), -1);

  MidiBuilder song(kMillisecondTicks);
  song.track().program_change(0, 0, 1).note_on(0, 0, 60, 100).note_off(300, 0, 60);
  const Rendered out = render(builder, song);
  EXPECT_EQ(out.result.statistics.voices_started, 1u) << "only the RAM sample's zone";
  const auto span = out.left_span(audible_frame(100), 4400);
  EXPECT_GT(tone_amplitude(span, 2.0 * kSineHz), 0.01);
  EXPECT_LT(tone_amplitude(span, kSineHz), 1e-6);
}

}  // namespace
}  // namespace tutti::test
