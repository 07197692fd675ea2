// SmfLimits: oversized or absurd songs are refused with a clear error.
#include <gtest/gtest.h>

#include <limits>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

MidiBuilder notes(int count) {
  MidiBuilder b(480);
  auto& t = b.track();
  for (int i = 0; i < count; ++i) t.note_on(1, 0, 60, 1);
  return b;
}

TEST(SmfLimits, FileSize) {
  const Bytes bytes = notes(10).bytes();
  SmfLimits limits;
  limits.max_file_bytes = bytes.size();
  EXPECT_TRUE(parse(bytes, limits));
  limits.max_file_bytes = bytes.size() - 1;
  auto song = parse(bytes, limits);
  ASSERT_FALSE(song);
  EXPECT_NE(song.error().what.find("max_file_bytes"), std::string::npos);
  EXPECT_EQ(song.error().file, "song.mid");
}

TEST(SmfLimits, TrackCount) {
  MidiBuilder b(480);
  for (int i = 0; i < 5; ++i) b.track();
  SmfLimits limits;
  limits.max_tracks = 5;
  EXPECT_TRUE(parse(b.bytes(), limits));
  limits.max_tracks = 4;
  auto song = parse(b.bytes(), limits);
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().where, "header");
  EXPECT_EQ(song.error().offset, 10);
  EXPECT_NE(song.error().what.find("max_tracks"), std::string::npos);
}

TEST(SmfLimits, EventCountIncludesTempoEvents) {
  MidiBuilder b = notes(10);
  SmfLimits limits;
  limits.max_events = 10;
  EXPECT_TRUE(parse(b.bytes(), limits));
  limits.max_events = 9;
  auto song = parse(b.bytes(), limits);
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().where, "track 0");
  EXPECT_EQ(song.error().offset, 22 + 9 * 4 + 1);  // the tenth note's status byte
  EXPECT_NE(song.error().what.find("max_events"), std::string::npos);

  b.track_at(0).tempo(0, 400000);
  limits.max_events = 10;
  EXPECT_FALSE(parse(b.bytes(), limits));
}

TEST(SmfLimits, EventCountAcrossTracks) {
  MidiBuilder b(480);
  for (int track = 0; track < 4; ++track) {
    auto& t = b.track();
    for (int i = 0; i < 5; ++i) t.note_on(1, 0, 60, 1);
  }
  SmfLimits limits;
  limits.max_events = 19;
  auto song = parse(b.bytes(), limits);
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().where, "track 3");
}

TEST(SmfLimits, Duration) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).end_of_track(480 * 20);  // 10 s
  SmfLimits limits;
  limits.max_duration_seconds = 10.0;
  EXPECT_TRUE(parse(b.bytes(), limits));
  limits.max_duration_seconds = 9.5;
  auto song = parse(b.bytes(), limits);
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().what,
            "song lasts 10.0 s, more than the limit of 9.5 s (SmfLimits::max_duration_seconds)");
}

TEST(SmfLimits, HugeDeltaTimesAreRefusedByDuration) {
  MidiBuilder b(1);
  b.track().tempo(0, 0xFFFFFF).note_on(0x0FFFFFFF, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_FALSE(song);
  EXPECT_NE(song.error().what.find("max_duration_seconds"), std::string::npos);
}

TEST(SmfLimits, TimeOverflowIsAnErrorEvenWithoutADurationLimit) {
  // 4096 x (2^28 - 1) ticks at 2^24 - 1 microseconds per tick: past 2^63 microsecond-ticks.
  MidiBuilder b(1);
  auto& t = b.track().tempo(0, 0xFFFFFF);
  for (int i = 0; i < 4096; ++i) t.text(0x0FFFFFFF, "");
  SmfLimits limits;
  limits.max_duration_seconds = std::numeric_limits<double>::infinity();
  auto song = parse(b.bytes(), limits);
  ASSERT_FALSE(song);
  EXPECT_NE(song.error().what.find("too long"), std::string::npos) << song.error().message();

  // A tempo change after such a stretch overflows while the map is built.
  MidiBuilder tempo_late(1);
  auto& late = tempo_late.track().tempo(0, 0xFFFFFF);
  for (int i = 0; i < 4096; ++i) late.text(0x0FFFFFFF, "");
  late.tempo(0, 1000);
  EXPECT_FALSE(parse(tempo_late.bytes(), limits));
}

TEST(SmfLimits, Format2TicksAddUpAcrossTracksWithoutOverflow) {
  MidiBuilder b(960);
  b.format(2);
  for (int i = 0; i < 64; ++i) b.track().end_of_track(0x0FFFFFFF);
  SmfLimits limits;
  limits.max_duration_seconds = std::numeric_limits<double>::infinity();
  auto song = parse(b.bytes(), limits);
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_DOUBLE_EQ(song->duration_seconds, 64.0 * 0x0FFFFFFF * 0.5 / 960);
}

}  // namespace
}  // namespace tutti::engine::midi::testing
