// Tempo maps and division: where events land in seconds.
#include <gtest/gtest.h>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

TEST(SmfTiming, Format0TempoChangeLandsOnExactSeconds) {
  MidiBuilder b(480);
  b.track()
      .tempo(0, 500000)
      .note_on(0, 0, 60, 100)
      .tempo(960, 250000)
      .note_on(0, 0, 62, 100)
      .note_on(480, 0, 64, 100);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0].seconds, 0.0);
  EXPECT_EQ(notes[1].tick, 960);
  EXPECT_EQ(notes[1].seconds, 1.0);
  EXPECT_EQ(notes[2].tick, 1440);
  EXPECT_EQ(notes[2].seconds, 1.25);
  ASSERT_EQ(song->tempo_map.size(), 2u);
  EXPECT_EQ(song->tempo_map[1].tick, 960);
  EXPECT_EQ(song->tempo_map[1].seconds, 1.0);
  EXPECT_EQ(song->tempo_map[1].microseconds_per_quarter, 250000u);
}

TEST(SmfTiming, Format1TempoEventsFromAnyTrackFormOneMap) {
  MidiBuilder b(480);
  b.track().tempo(0, 500000);  // conductor track
  b.track().note_on(480, 1, 60, 100).note_on(960, 1, 62, 100).note_on(480, 1, 64, 100);
  b.track().tempo(960, 250000);  // a tempo change hidden in a later track
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0].seconds, 0.5);   // tick 480
  EXPECT_EQ(notes[1].seconds, 1.25);  // tick 1440
  EXPECT_EQ(notes[2].seconds, 1.5);   // tick 1920
  EXPECT_EQ(song->tempo_map.size(), 2u);
}

TEST(SmfTiming, DefaultTempoIs120BpmUntilTheFirstTempoEvent) {
  MidiBuilder b(100);
  b.track().note_on(100, 0, 60, 1).tempo(100, 1000000).note_on(100, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  EXPECT_EQ(notes[0].seconds, 0.5);
  EXPECT_EQ(notes[1].seconds, 2.0);  // 200 ticks at 0.5 s/quarter, then 100 at 1 s/quarter
  ASSERT_EQ(song->tempo_map.size(), 2u);
  EXPECT_EQ(song->tempo_map[0].tick, 0);
  EXPECT_EQ(song->tempo_map[0].microseconds_per_quarter, 500000u);
}

TEST(SmfTiming, SameTickTempoFromTheLaterTrackWins) {
  MidiBuilder b(480);
  b.track().tempo(0, 500000);
  b.track().tempo(0, 1000000).note_on(480, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(events_of(*song, EventType::NoteOn)[0].seconds, 1.0);
  ASSERT_EQ(song->tempo_map.size(), 1u);
  EXPECT_EQ(song->tempo_map[0].microseconds_per_quarter, 1000000u);
}

TEST(SmfTiming, Format2TracksPlayInSequenceAndTempoCarriesOver) {
  MidiBuilder b(480);
  b.format(2);
  b.track().tempo(0, 250000).note_on(0, 0, 60, 1).end_of_track(480);         // ticks 0..480
  b.track().note_on(0, 0, 62, 1).tempo(480, 500000).note_on(480, 0, 64, 1);  // 480..1440
  b.track().note_on(0, 0, 65, 1).end_of_track(960);                          // 1440..2400
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  ASSERT_EQ(notes.size(), 4u);
  EXPECT_EQ(notes[0].tick, 0);
  EXPECT_EQ(notes[1].tick, 480);
  EXPECT_EQ(notes[1].seconds, 0.25);  // still at 250000 from track 0
  EXPECT_EQ(notes[2].tick, 1440);
  EXPECT_EQ(notes[2].seconds, 1.0);  // 0.25 + 480 ticks at 0.25 + 480 at 0.5
  EXPECT_EQ(notes[3].tick, 1440);
  EXPECT_EQ(notes[3].track, 2);
  EXPECT_EQ(song->duration_seconds, 2.0);  // track 2 ends 960 ticks later at 0.5 s/quarter
}

TEST(SmfTiming, SmpteDivisionTimesTicksByFrameRate) {
  auto b = MidiBuilder::smpte(25, 40);  // 1000 ticks per second: milliseconds
  b.track().tempo(0, 250000).note_on(1000, 0, 60, 1).note_on(1500, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->ticks_per_quarter, 0);
  EXPECT_EQ(song->smpte_frames_per_second, 25);
  EXPECT_EQ(song->smpte_ticks_per_frame, 40);
  const auto notes = events_of(*song, EventType::NoteOn);
  EXPECT_EQ(notes[0].seconds, 1.0);  // the tempo event has no effect
  EXPECT_EQ(notes[1].seconds, 2.5);
  EXPECT_TRUE(song->tempo_map.empty());
  EXPECT_EQ(song->duration_seconds, 2.5);
}

TEST(SmfTiming, Smpte29IsTheNtscDropFrameRate) {
  auto b = MidiBuilder::smpte(29, 4);
  b.track().note_on(120, 0, 60, 1);  // 30 frames
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->smpte_frames_per_second, 29);
  EXPECT_DOUBLE_EQ(song->events[0].seconds, 1.001);
}

TEST(SmfTiming, Smpte24And30) {
  for (int fps : {24, 30}) {
    auto b = MidiBuilder::smpte(fps, 2);
    b.track().note_on(static_cast<std::uint32_t>(fps * 2 * 3), 0, 60, 1);
    auto song = parse(b.bytes());
    ASSERT_TRUE(song) << song.error().message();
    EXPECT_EQ(song->events[0].seconds, 3.0) << fps << " fps";
  }
}

TEST(SmfTiming, SecondsAreExactForManyEventsUnderOddTempo) {
  MidiBuilder b(96);
  auto& t = b.track().tempo(0, 500001);
  for (int i = 0; i < 20000; ++i) t.control_change(1, 0, 1, i & 0x7F);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->events.size(), 20000u);
  for (std::size_t i = 0; i < song->events.size(); ++i) {
    const auto tick = static_cast<std::int64_t>(i + 1);
    ASSERT_EQ(song->events[i].seconds, static_cast<double>(tick * 500001) / 96e6) << i;
  }
}

TEST(SmfTiming, DurationIsTheLatestEventOfAnyTrackIncludingEndOfTrack) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).end_of_track(1920);  // 2 s
  b.track().note_on(480, 1, 60, 1).note_off(480, 1, 60);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->duration_seconds, 2.0);
  EXPECT_EQ(song->events.back().seconds, 1.0);
}

TEST(SmfTiming, MalformedTempoEventsAreIgnoredWithWarnings) {
  MidiBuilder b(480);
  b.track().meta(0, 0x51, {0x07, 0xA1}).meta(0, 0x51, {0, 0, 0}).note_on(480, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events[0].seconds, 0.5);
  EXPECT_EQ(song->warnings.size(), 2u) << warnings_text(*song);
  EXPECT_TRUE(has_warning(*song, "track 0: tempo event at byte 23 has 2 data bytes"));
  EXPECT_TRUE(has_warning(*song, "sets tempo 0"));
}

}  // namespace
}  // namespace tutti::engine::midi::testing
