// Sample header rules (SoundFont 2.04 section 7.10) and the repairs FluidSynth 2.3.1 makes.
#include <gtest/gtest.h>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

using engine::sf2::kLeftSample;
using engine::sf2::kLinkedSample;
using engine::sf2::kMonoSample;
using engine::sf2::kRomSample;
using engine::sf2::SampleHeader;

// Two samples (0: "Good", 1: "Odd"), an instrument with one zone on each, and a preset.
// `edit` changes the header of sample 1 before writing.
template <typename Edit>
std::shared_ptr<const Bank> bank_with_odd_sample(Edit edit) {
  Sf2Builder b;
  const int good = b.add_sample(sine_loop(4, 32), {.name = "Good", .loop_start = 32, .loop_end = 96});
  const int odd = b.add_sample(sine_loop(4, 32), {.name = "Odd", .loop_start = 32, .loop_end = 96});
  edit(b.sample_record(odd));
  const int i = b.add_instrument("Inst", {zone(good), zone(odd).key_range(60, 127)});
  b.add_preset("Preset", 0, 0, {preset_zone(i)});
  return load_ok(b.bytes());
}

const SampleHeader& odd_header(const Bank& bank) { return bank.samples().at(1); }
std::size_t zone_count(const Bank& bank) { return bank.instruments().at(0).zones.size(); }

TEST(Sf2SampleRules, RomSampleZonesAreDroppedWithAWarningNamingTheSample) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.type = kRomSample | kMonoSample; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(zone_count(*bank), 1u);
  EXPECT_EQ(bank->instruments()[0].zones[0].link, 0u);
  EXPECT_EQ(bank->samples().size(), 2u);  // the header stays; indices do not move
  EXPECT_TRUE(has_warning(*bank, "instrument 'Inst' zone 1: uses sample 'Odd', which cannot be played (it is a ROM sample"));
}

TEST(Sf2SampleRules, RomSampleOffsetsAreNotCheckedAgainstSmpl) {
  // ROM offsets address the ROM, so huge values are not an error, only unplayable.
  auto bank = bank_with_odd_sample([](SampleRecord& s) {
    s.type = kRomSample | kMonoSample;
    s.start = 1u << 30;
    s.end = (1u << 30) + 100;
  });
  ASSERT_TRUE(bank);
  EXPECT_EQ(zone_count(*bank), 1u);
}

TEST(Sf2SampleRules, UnknownTypeFlagsMakeTheSampleUnplayable) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.type = 0x11; });  // SF3's Ogg Vorbis flag
  ASSERT_TRUE(bank);
  EXPECT_EQ(zone_count(*bank), 1u);
  EXPECT_TRUE(has_warning(*bank, "has unknown flags"));
}

TEST(Sf2SampleRules, EndPastTheSampleDataMakesTheSampleUnplayable) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.end = 100000; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(zone_count(*bank), 1u);
  EXPECT_TRUE(has_warning(*bank, "'Odd', which cannot be played (its end 100000 is past the smpl data"));
}

TEST(Sf2SampleRules, EmptyAndSinglePointSamplesAreUnplayable) {
  for (auto [length, reason] : {std::pair{0, "it is empty"}, std::pair{1, "it has a single point"}}) {
    auto bank = bank_with_odd_sample([length = length](SampleRecord& s) { s.end = s.start + static_cast<std::uint32_t>(length); });
    ASSERT_TRUE(bank);
    EXPECT_EQ(zone_count(*bank), 1u) << length;
    EXPECT_TRUE(has_warning(*bank, reason));
  }
  auto reversed = bank_with_odd_sample([](SampleRecord& s) { std::swap(s.start, s.end); });
  ASSERT_TRUE(reversed);
  EXPECT_EQ(zone_count(*reversed), 1u);
}

TEST(Sf2SampleRules, UnusedBrokenSampleIsNotAnError) {
  Sf2Builder b = minimal_builder();
  const int broken = b.add_sample(silence(10));
  b.sample_record(broken).end = 0xffffffff;
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);  // no zone uses it
}

TEST(Sf2SampleRules, ReversedLoopIsSwapped) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { std::swap(s.loop_start, s.loop_end); });
  ASSERT_TRUE(bank);
  const SampleHeader& h = odd_header(*bank);
  EXPECT_EQ(h.loop_start - h.start, 32u);
  EXPECT_EQ(h.loop_end - h.start, 96u);
  EXPECT_EQ(zone_count(*bank), 2u);
  EXPECT_TRUE(has_warning(*bank, "sample 'Odd': loop"));
  EXPECT_TRUE(has_warning(*bank, "reversed, swapped"));
}

TEST(Sf2SampleRules, LoopStartBeforeTheSampleMovesToTheSampleStart) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.loop_start = s.start - 10; });
  ASSERT_TRUE(bank);
  const SampleHeader& h = odd_header(*bank);
  EXPECT_EQ(h.loop_start, h.start);
  EXPECT_EQ(h.loop_end - h.start, 96u);
  EXPECT_TRUE(has_warning(*bank, "moved to sample start"));
}

TEST(Sf2SampleRules, LoopEndPastTheSampleDataMovesToTheSampleEnd) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.loop_end = 1000000; });
  ASSERT_TRUE(bank);
  const SampleHeader& h = odd_header(*bank);
  EXPECT_EQ(h.loop_end, h.end);
  EXPECT_TRUE(has_warning(*bank, "loop end 1000000 moved to sample end"));
}

TEST(Sf2SampleRules, LoopEndJustPastTheSampleButInsideSmplIsKept) {
  // FluidSynth keeps such loops (the guard points follow), and so do we, silently.
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.loop_end = s.end + 3; });
  ASSERT_TRUE(bank);
  const SampleHeader& h = odd_header(*bank);
  EXPECT_EQ(h.loop_end, h.end + 3);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2SampleRules, EmptyLoopIsAccepted) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.loop_start = s.loop_end = s.start; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).loop_start, odd_header(*bank).loop_end);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2SampleRules, SampleRateZeroReadsAsTheLowestPracticalRate) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.rate = 0; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).sample_rate, 400u);
  EXPECT_EQ(zone_count(*bank), 2u);
  EXPECT_TRUE(has_warning(*bank, "sample rate 0 is illegal, read as 400"));
}

TEST(Sf2SampleRules, StereoLinkOutOfRangeReadsAsMono) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) {
    s.type = kLeftSample;
    s.link = 7;
  });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).sample_type, kMonoSample);
  EXPECT_EQ(odd_header(*bank).sample_link, 0);
  EXPECT_TRUE(has_warning(*bank, "stereo link 7 is out of range (2 samples), read as mono"));
}

TEST(Sf2SampleRules, StereoLinkInRangeIsKept) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) {
    s.type = kLeftSample | kLinkedSample;
    s.link = 0;
  });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).sample_type, kLeftSample | kLinkedSample);
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2SampleRules, MissingChannelFlagReadsAsMono) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.type = 0; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).sample_type, kMonoSample);
  EXPECT_TRUE(has_warning(*bank, "no mono/left/right flag"));
}

TEST(Sf2SampleRules, IllegalOriginalPitchReadsAs60) {
  auto bank = bank_with_odd_sample([](SampleRecord& s) { s.original_pitch = 200; });
  ASSERT_TRUE(bank);
  EXPECT_EQ(odd_header(*bank).original_pitch, 200);  // kept as stored
  EXPECT_EQ(odd_header(*bank).root_key(), 60);
  EXPECT_TRUE(has_warning(*bank, "original pitch 200 is illegal"));
}

}  // namespace
}  // namespace tutti::test
