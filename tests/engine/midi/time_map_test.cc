// Exact tick-to-seconds conversion (engine/midi/time_map.h).
#include "engine/midi/time_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace tutti::engine::midi::detail {
namespace {

double seconds_at(const TimeMap& map, std::int64_t tick) {
  auto numerator = map.numerator_at(tick);
  EXPECT_TRUE(numerator.has_value());
  return numerator ? map.to_seconds(*numerator) : -1.0;
}

TEST(TimeMap, MetricalDefaultsTo120Bpm) {
  const TimeMap map = TimeMap::metrical(480);
  EXPECT_EQ(seconds_at(map, 0), 0.0);
  EXPECT_EQ(seconds_at(map, 480), 0.5);
  EXPECT_EQ(seconds_at(map, 4800), 5.0);
  ASSERT_EQ(map.tempo_changes().size(), 1u);
  EXPECT_EQ(map.tempo_changes()[0].microseconds_per_quarter, 500000u);
}

TEST(TimeMap, IntegratesTempoSegments) {
  TimeMap map = TimeMap::metrical(480);
  ASSERT_TRUE(map.add_tempo(0, 500000));
  ASSERT_TRUE(map.add_tempo(960, 250000));
  EXPECT_EQ(seconds_at(map, 960), 1.0);
  EXPECT_EQ(seconds_at(map, 1440), 1.25);
  const auto changes = map.tempo_changes();
  ASSERT_EQ(changes.size(), 2u);  // the change at tick 0 replaced the default
  EXPECT_EQ(changes[1].tick, 960);
  EXPECT_EQ(changes[1].seconds, 1.0);
}

TEST(TimeMap, LaterChangeAtTheSameTickWins) {
  TimeMap map = TimeMap::metrical(480);
  ASSERT_TRUE(map.add_tempo(480, 1000000));
  ASSERT_TRUE(map.add_tempo(480, 250000));
  EXPECT_EQ(seconds_at(map, 960), 0.5 + 0.25);
  EXPECT_EQ(map.tempo_changes().size(), 2u);
}

TEST(TimeMap, CursorMatchesDirectLookupWithoutAccumulatedRounding) {
  // 1/3-ish tempo so that summing per-event increments in double would drift.
  TimeMap map = TimeMap::metrical(96);
  ASSERT_TRUE(map.add_tempo(0, 333333));
  ASSERT_TRUE(map.add_tempo(50000, 777777));
  TimeMap::Cursor cursor(map);
  double accumulated = 0.0;
  bool drifted = false;
  for (std::int64_t tick = 0; tick < 100000; ++tick) {
    const std::int64_t numerator =
        tick < 50000 ? tick * 333333 : 50000LL * 333333 + (tick - 50000) * 777777;
    ASSERT_EQ(cursor.seconds(tick), static_cast<double>(numerator) / 96e6) << "tick " << tick;
    if (tick > 0) accumulated += (tick <= 50000 ? 333333 : 777777) / 96e6;
    drifted = drifted || accumulated != cursor.seconds(tick);
  }
  EXPECT_TRUE(drifted) << "the naive sum should drift, or this test proves nothing";
}

TEST(TimeMap, SmpteUsesFrameRateAndIgnoresTempo) {
  TimeMap map = TimeMap::smpte(25, 40);
  ASSERT_TRUE(map.add_tempo(0, 1000));
  EXPECT_EQ(seconds_at(map, 1000), 1.0);
  EXPECT_TRUE(map.tempo_changes().empty());
  EXPECT_EQ(seconds_at(TimeMap::smpte(24, 10), 240), 1.0);
  EXPECT_EQ(seconds_at(TimeMap::smpte(30, 80), 2400), 1.0);
}

TEST(TimeMap, Smpte29IsNtscRate) {
  const TimeMap map = TimeMap::smpte(29, 100);
  // 30 frame labels per second at 30000/1001 frames per second.
  EXPECT_DOUBLE_EQ(seconds_at(map, 3000), 1.001);
  EXPECT_EQ(seconds_at(map, 3000000), 1001.0);  // 30000 frames take 1001 s
}

TEST(TimeMap, ReportsOverflowInsteadOfWrapping) {
  TimeMap map = TimeMap::metrical(1);
  ASSERT_TRUE(map.add_tempo(0, 0xFFFFFF));
  EXPECT_FALSE(map.numerator_at(std::numeric_limits<std::int64_t>::max() / 2).has_value());
  EXPECT_FALSE(map.add_tempo(std::numeric_limits<std::int64_t>::max() / 2, 1));
  EXPECT_TRUE(map.numerator_at(1'000'000'000).has_value());
}

}  // namespace
}  // namespace tutti::engine::midi::detail
