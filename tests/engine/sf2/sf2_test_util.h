#pragma once
// Shared helpers for the SF2 loader tests: load built bytes, look for warnings, check errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sf2/bank.h"
#include "tests/support/sf2_builder.h"

namespace tutti::test {

using engine::sf2::Bank;
using engine::sf2::load_bank_from_bytes;

inline constexpr const char* kTestBankName = "test.sf2";

inline Expected<std::shared_ptr<const Bank>> load(std::vector<std::uint8_t> bytes) {
  return load_bank_from_bytes(std::move(bytes), kTestBankName);
}

// Loads bytes that must load; fails the test with the error message otherwise.
inline std::shared_ptr<const Bank> load_ok(std::vector<std::uint8_t> bytes) {
  auto bank = load(std::move(bytes));
  EXPECT_TRUE(bank.has_value()) << (bank ? "" : bank.error().message());
  return bank ? *bank : nullptr;
}

inline int count_warnings(const Bank& bank, std::string_view needle) {
  return static_cast<int>(std::count_if(bank.warnings().begin(), bank.warnings().end(), [needle](const std::string& w) {
    return w.find(needle) != std::string::npos;
  }));
}

inline std::string all_warnings(const Bank& bank) {
  std::string text;
  for (const std::string& w : bank.warnings()) text += "  " + w + "\n";
  return text;
}

inline ::testing::AssertionResult has_warning(const Bank& bank, std::string_view needle) {
  if (count_warnings(bank, needle) > 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "no warning contains '" << needle << "'; warnings:\n" << all_warnings(bank);
}

// Loads bytes that must fail, and checks where the error points.
inline ::testing::AssertionResult fails_at(std::vector<std::uint8_t> bytes, std::string_view where, std::int64_t offset,
                                           std::string_view what_contains = "") {
  auto bank = load(std::move(bytes));
  if (bank) return ::testing::AssertionFailure() << "loaded, but an error in " << where << " was expected";
  const Error& e = bank.error();
  if (e.file != kTestBankName || e.where != where || e.offset != offset ||
      e.what.find(what_contains) == std::string::npos) {
    return ::testing::AssertionFailure() << "expected " << where << " at byte " << offset << " containing '"
                                         << what_contains << "', got: " << e.message();
  }
  return ::testing::AssertionSuccess() << e.message();
}

// The smallest useful bank: one looped sine sample, one instrument, one preset (bank 0, program 0).
inline Sf2Builder minimal_builder() {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(4, 50), {.root_key = 69, .loop_start = 0, .loop_end = 200});
  const int i = b.add_instrument("Sine", {zone(s).gen(Generator::sampleModes, 1)});
  b.add_preset("Sine", 0, 0, {preset_zone(i)});
  return b;
}

}  // namespace tutti::test
