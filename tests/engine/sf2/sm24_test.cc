// Section 6: the sm24 sub-chunk holds the low byte of 24-bit samples; it counts only from version
// 2.04 on and only when its size is smpl's point count rounded up to even.
#include <gtest/gtest.h>

#include "tests/engine/sf2/sf2_test_util.h"

namespace tutti::test {
namespace {

std::int32_t point24(const Bank& bank, std::size_t i) {
  return static_cast<std::int32_t>(bank.sample_data()[i]) * 256 + bank.sample_data_24()[i];
}

Sf2Builder builder_with_24_bit(const std::vector<std::int32_t>& points) {
  Sf2Builder b;
  const int s = b.add_sample_24(points);
  const int i = b.add_instrument("Deep", {zone(s)});
  b.add_preset("Deep", 0, 0, {preset_zone(i)});
  return b;
}

const std::vector<std::int32_t> kPoints = {0, 1, -1, 255, 256, -256, 8388607, -8388608, 123456, -654321, 77};

TEST(Sf2Sm24, ReadWhenVersionIs204AndSizeMatches) {
  auto bank = load_ok(builder_with_24_bit(kPoints).bytes());
  ASSERT_TRUE(bank);
  ASSERT_EQ(bank->sample_data_24().size(), bank->sample_data().size());
  for (std::size_t i = 0; i < kPoints.size(); ++i) EXPECT_EQ(point24(*bank, i), kPoints[i]) << i;
  EXPECT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
}

TEST(Sf2Sm24, OddPointCountIsPaddedAndStillRead) {
  // 11 points + 46 guard points = 57: sm24 is 58 bytes, one pad byte.
  RawBank raw = builder_with_24_bit(kPoints).raw();
  ASSERT_EQ(raw.at("sdta", "smpl").data.size(), 57u * 2);
  ASSERT_EQ(raw.at("sdta", "sm24").data.size(), 58u);
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_EQ(bank->sample_data_24().size(), 57u);
}

TEST(Sf2Sm24, FloatSamplesCanKeep24Bits) {
  Sf2Builder b;
  b.add_sample(std::vector<float>{0.5f, -0.25f, 1.0f}, {.bits24 = true});
  b.add_sample(std::vector<float>{0.5f}, {});  // 16-bit: its low bytes are zero
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  ASSERT_FALSE(bank->sample_data_24().empty());
  EXPECT_EQ(point24(*bank, 0), 4194304);  // lround(0.5 * 8388607)
  EXPECT_EQ(point24(*bank, 1), -2097152);
  EXPECT_EQ(point24(*bank, 2), 8388607);
  const std::size_t second = bank->samples()[1].start;
  EXPECT_EQ(bank->sample_data_24()[second], 0);
  EXPECT_EQ(bank->sample_data()[second], 16384);
}

TEST(Sf2Sm24, IgnoredBeforeVersion204) {
  Sf2Builder b = builder_with_24_bit(kPoints);
  b.set_version(2, 1);
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->sample_data_24().empty());
  EXPECT_TRUE(has_warning(*bank, "older than 2.04"));
  EXPECT_EQ(bank->sample_data()[4], 1);  // the 16-bit part is still there: 256 >> 8
}

TEST(Sf2Sm24, IgnoredWhenItsSizeIsWrong) {
  RawBank raw = builder_with_24_bit(kPoints).raw();
  raw.at("sdta", "sm24").data.resize(28);  // half of what smpl requires
  auto bank = load_ok(raw.assemble());
  ASSERT_TRUE(bank);
  EXPECT_TRUE(bank->sample_data_24().empty());
  EXPECT_TRUE(has_warning(*bank, "sdta/sm24"));
  EXPECT_TRUE(has_warning(*bank, "is not the 58 that smpl requires"));
}

TEST(Sf2Sm24, VersionNewerThan204WithinMajor2IsRead) {
  Sf2Builder b = builder_with_24_bit(kPoints);
  b.set_version(2, 10);
  auto bank = load_ok(b.bytes());
  ASSERT_TRUE(bank);
  EXPECT_FALSE(bank->sample_data_24().empty());
}

}  // namespace
}  // namespace tutti::test
