// A seeded smoke test for untrusted input: hundreds of mutated tiny banks (bit flips, truncations,
// corrupted chunk sizes and record fields) must each load to a Bank or an Error, never crash,
// hang or read out of bounds (run it under ASan/UBSan to make the last point bite). Loaded banks
// must still satisfy what the engine relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <random>

#include "tests/engine/sf2/sf2_test_util.h"
#include "tests/support/hostile_inputs.h"

namespace tutti::test {
namespace {

constexpr std::uint32_t kSeed = 20240611;
constexpr int kMutants = 1000;

// Small but with every feature: two instruments with global zones, modulators with a link,
// a stereo pair, 24-bit data, loops.
RawBank seed_bank() {
  Sf2Builder b = linked_bank();
  b.add_sample_24({1, -1, 1 << 20, -(1 << 20), 5, 6, 7, 8});
  return b.raw();
}

// Offsets of every 4-byte size field in the assembled seed (RIFF, LISTs, chunks).
std::vector<std::size_t> size_fields(const RawBank& raw) {
  std::vector<std::size_t> fields = {4};
  for (const RawList& l : raw.lists) {
    fields.push_back(static_cast<std::size_t>(raw.list_offset(l.type)) + 4);
    for (const RawChunk& c : l.chunks) fields.push_back(static_cast<std::size_t>(raw.header_offset(l.type, c.id)) + 4);
  }
  return fields;
}

std::vector<std::uint8_t> mutate(const std::vector<std::uint8_t>& seed, const std::vector<std::size_t>& sizes,
                                 std::size_t pdta_start, std::mt19937& random) {
  std::vector<std::uint8_t> bytes = seed;
  auto pick = [&random](std::size_t low, std::size_t high) {
    return std::uniform_int_distribution<std::size_t>(low, high)(random);
  };
  switch (pick(0, 5)) {
    case 0: {  // a few bit flips anywhere
      for (std::size_t n = pick(1, 8); n > 0; --n) bytes[pick(0, bytes.size() - 1)] ^= static_cast<std::uint8_t>(1u << pick(0, 7));
      break;
    }
    case 1: {  // bit flips in the hydra, where indices live
      for (std::size_t n = pick(1, 4); n > 0; --n) {
        bytes[pick(pdta_start, bytes.size() - 1)] ^= static_cast<std::uint8_t>(1u << pick(0, 7));
      }
      break;
    }
    case 2:  // truncation
      bytes.resize(pick(0, bytes.size() - 1));
      break;
    case 3: {  // a corrupted size field: random, or off by a little
      const std::size_t at = sizes[pick(0, sizes.size() - 1)];
      const std::uint32_t old = get_u32(bytes, at);
      const std::uint32_t value = pick(0, 1) == 0 ? static_cast<std::uint32_t>(random())
                                                  : old + static_cast<std::uint32_t>(pick(0, 16)) - 8u;
      put_u32(bytes, at, value);
      break;
    }
    case 4: {  // a random 16-bit field in the hydra set to an extreme
      const std::size_t at = pick(pdta_start, bytes.size() - 2);
      static constexpr std::uint16_t kValues[] = {0, 1, 0x7fff, 0x8000, 0xffff, 60, 61, 127, 128};
      put_u16(bytes, at, kValues[pick(0, std::size(kValues) - 1)]);
      break;
    }
    default: {  // bytes inserted or removed in the middle, shifting everything after
      const std::size_t at = pick(12, bytes.size() - 1);
      if (pick(0, 1) == 0) {
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), pick(1, 7), static_cast<std::uint8_t>(random()));
      } else {
        bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                    bytes.begin() + static_cast<std::ptrdiff_t>(std::min(bytes.size(), at + pick(1, 7))));
      }
      break;
    }
  }
  return bytes;
}

void expect_usable(const Bank& bank) {
  const std::size_t points = bank.sample_data().size();
  EXPECT_TRUE(bank.sample_data_24().empty() || bank.sample_data_24().size() == points);
  for (const auto& preset : bank.presets()) {
    for (const auto& zone : preset.zones) ASSERT_LT(zone.link.value(), bank.instruments().size());
    ASSERT_TRUE(!preset.global_zone || !preset.global_zone->link);
    EXPECT_EQ(bank.find_preset(preset.bank, preset.program)->bank, preset.bank);
  }
  for (const auto& instrument : bank.instruments()) {
    for (const auto& zone : instrument.zones) {
      ASSERT_LT(zone.link.value(), bank.samples().size());
      const auto& s = bank.samples()[*zone.link];
      ASSERT_LT(s.start, s.end);
      ASSERT_LE(s.end, points);
      ASSERT_LE(s.loop_start, s.loop_end);
      ASSERT_LE(s.loop_end, points);
      ASSERT_GT(s.sample_rate, 0u);
      for (const auto& m : zone.modulators) {
        if ((m.destination & 0x8000) != 0) {
          ASSERT_LT(m.destination & 0x7fffu, zone.modulators.size());
        }
      }
    }
  }
}

TEST(Sf2Robustness, MutatedBanksLoadOrFailCleanly) {
  const RawBank raw = seed_bank();
  const std::vector<std::uint8_t> seed = raw.assemble();
  {
    auto bank = load_ok(seed);
    ASSERT_TRUE(bank);
    ASSERT_TRUE(bank->warnings().empty()) << all_warnings(*bank);
    ASSERT_FALSE(bank->sample_data_24().empty());
  }
  const std::vector<std::size_t> sizes = size_fields(raw);
  const auto pdta_start = static_cast<std::size_t>(raw.list_offset("pdta"));
  std::mt19937 random(kSeed);
  int loaded = 0, failed = 0;
  for (int n = 0; n < kMutants; ++n) {
    const std::vector<std::uint8_t> bytes = mutate(seed, sizes, pdta_start, random);
    auto bank = load(bytes);
    if (bank) {
      ++loaded;
      SCOPED_TRACE("mutant " + std::to_string(n));
      expect_usable(**bank);
    } else {
      ++failed;
      const Error& e = bank.error();
      EXPECT_EQ(e.file, kTestBankName);
      EXPECT_FALSE(e.what.empty());
      EXPECT_LE(e.offset, static_cast<std::int64_t>(bytes.size())) << e.message();
    }
  }
  // Both outcomes must be common, or the mutations are not exercising the loader.
  EXPECT_GT(loaded, kMutants / 10);
  EXPECT_GT(failed, kMutants / 10);
  std::printf("robustness: %d mutants loaded, %d failed with an error\n", loaded, failed);
}

}  // namespace
}  // namespace tutti::test
