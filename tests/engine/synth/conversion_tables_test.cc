// The conversion tables hold exactly the doubles that long-double powl gives, the way the
// tables tutti matches FluidSynth with were first generated; the engine builds them with exp2
// and exp10, which are cheaper, so every entry is checked against powl here.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/synth/conversions.h"

namespace tutti::engine::synth {
namespace {

using conversion_tables::kAttenuationTableSize;
using conversion_tables::kCentsTableSize;
using conversion_tables::tables;

TEST(ConversionTables, CentsTableIsPowlsEntryForEntry) {
  for (int i = 0; i < kCentsTableSize; ++i) {
    const double expected = static_cast<double>(6.875L * std::pow(2.0L, i / 1200.0L));
    ASSERT_EQ(tables().cents_hz[static_cast<std::size_t>(i)], expected) << "cents " << i;
  }
}

TEST(ConversionTables, AttenuationTableIsPowlsEntryForEntry) {
  for (int i = 0; i < kAttenuationTableSize; ++i) {
    const double expected = static_cast<double>(std::pow(10.0L, i / -200.0L));
    ASSERT_EQ(tables().attenuation[static_cast<std::size_t>(i)], expected) << "centibels " << i;
  }
  EXPECT_EQ(tables().attenuation[kAttenuationTableSize], 0.0);
}

}  // namespace
}  // namespace tutti::engine::synth
