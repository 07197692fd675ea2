// File-level structure: header fields, chunks, wrappers and the sloppiness real files have.
#include <gtest/gtest.h>

#include <cstdio>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

MidiBuilder two_track_song() {
  MidiBuilder b(480);
  b.track().tempo(0, 500000).track_name(0, "conductor");
  b.track().program_change(0, 0, 1).note_on(0, 0, 60, 100).note_off(480, 0, 60);
  return b;
}

TEST(SmfStructure, ReportsHeaderFields) {
  auto song = parse(two_track_song().bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->path, "song.mid");
  EXPECT_EQ(song->format, 1);
  EXPECT_EQ(song->track_count, 2);
  EXPECT_EQ(song->ticks_per_quarter, 480);
  EXPECT_EQ(song->smpte_frames_per_second, 0);
  EXPECT_EQ(song->events.size(), 3u);
  EXPECT_TRUE(song->warnings.empty()) << warnings_text(*song);
  EXPECT_EQ(song->duration_seconds, 0.5);
}

TEST(SmfStructure, UnwrapsRiffRmid) {
  const MidiBuilder b = two_track_song();
  auto plain = parse(b.bytes());
  auto wrapped = parse(b.rmid_bytes());
  ASSERT_TRUE(wrapped) << wrapped.error().message();
  ASSERT_EQ(wrapped->events.size(), plain->events.size());
  for (std::size_t i = 0; i < plain->events.size(); ++i) {
    EXPECT_EQ(wrapped->events[i].seconds, plain->events[i].seconds);
    EXPECT_EQ(wrapped->events[i].data1, plain->events[i].data1);
  }
}

TEST(SmfStructure, RmidErrorsUseWholeFileOffsets) {
  MidiBuilder b(480);
  auto& t = b.track();
  const auto at = t.size();
  t.raw({0x00, 0x40, 0x40});  // data byte with no running status
  auto song = parse(b.rmid_bytes());
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().offset, 20 + b.track_data_offset(0) + static_cast<std::int64_t>(at) + 1);
}

TEST(SmfStructure, RiffWithoutDataChunkIsAnError) {
  const Bytes riff = {'R', 'I', 'F', 'F', 12,  0,   0, 0, 'R', 'M',
                      'I', 'D', 'L', 'I', 'S', 'T', 0, 0, 0,   0};
  auto song = parse(riff);
  ASSERT_FALSE(song);
  EXPECT_NE(song.error().what.find("no 'data' chunk"), std::string::npos);
}

TEST(SmfStructure, UnknownChunksAreSkippedSilently) {
  MidiBuilder b(480);
  b.chunk("XFIH", {1, 2, 3, 4, 5});
  b.track().note_on(0, 0, 60, 1);
  b.chunk("XFKM", {});
  b.track().note_on(0, 1, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->track_count, 2);
  EXPECT_EQ(song->events.size(), 2u);
  EXPECT_TRUE(song->warnings.empty()) << warnings_text(*song);
}

TEST(SmfStructure, TrailingGarbageIsTolerated) {
  MidiBuilder b = two_track_song();
  b.trailing({0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0x4D, 0x54, 0x72});
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 3u);
}

TEST(SmfStructure, LongerHeaderIsAccepted) {
  MidiBuilder b = two_track_song();
  b.header_length(10);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 3u);
}

TEST(SmfStructure, MissingEndOfTrackIsAWarning) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1);
  b.track().note_on(0, 1, 60, 1).note_off(960, 1, 60).omit_end_of_track();
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 3u);
  ASSERT_EQ(song->warnings.size(), 1u) << warnings_text(*song);
  EXPECT_EQ(song->warnings[0],
            "track 1: no End-of-Track event; the track ends with its last event");
  EXPECT_EQ(song->duration_seconds, 1.0);
}

TEST(SmfStructure, TrackLengthPastEndOfFileIsAWarning) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1);
  auto& last = b.track().note_on(0, 1, 60, 1).note_off(480, 1, 60);
  last.length_override(static_cast<std::uint32_t>(last.data().size() + 100));
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 3u);
  ASSERT_EQ(song->warnings.size(), 1u) << warnings_text(*song);
  EXPECT_EQ(song->warnings[0], "track 1: chunk length " + std::to_string(last.data().size() + 100) +
                                   " runs 100 bytes past the end of the file; read to the end");
}

TEST(SmfStructure, TrackLengthPastEndOfFileWithoutEndOfTrack) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).omit_end_of_track().length_override(0xFFFFFFFF);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 1u);
  EXPECT_EQ(song->warnings.size(), 2u) << warnings_text(*song);
}

TEST(SmfStructure, ShortTrackLengthResynchronisesOnTheNextTrack) {
  // A writer that left End-of-Track out of the length: the reader finds 00 FF 2F 00 where a
  // chunk header should be and skips to the next MTrk.
  MidiBuilder b(480);
  auto& first = b.track().note_on(0, 0, 60, 1);
  first.length_override(static_cast<std::uint32_t>(first.size()));
  b.track().note_on(0, 1, 62, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->track_count, 2);
  EXPECT_EQ(song->events.size(), 2u);
  EXPECT_TRUE(has_warning(*song, "track 0: no End-of-Track event")) << warnings_text(*song);
  EXPECT_TRUE(has_warning(*song, "4 bytes of unrecognised data at byte 26 skipped"))
      << warnings_text(*song);
}

TEST(SmfStructure, BytesAfterEndOfTrackAreIgnoredWithAWarning) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).end_of_track(0).raw({0x00, 0x90, 0x40, 0x40, 0x00});
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 1u);
  EXPECT_TRUE(has_warning(*song, "track 0: 5 bytes after End-of-Track ignored"));
}

TEST(SmfStructure, FewerTracksThanDeclaredIsAWarning) {
  MidiBuilder b = two_track_song();
  b.declared_tracks(4);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->track_count, 2);
  EXPECT_TRUE(has_warning(*song, "header declares 4 tracks, the file has 2"));
}

TEST(SmfStructure, TracksBeyondTheDeclaredCountAreIgnoredWithAWarning) {
  MidiBuilder b = two_track_song();
  b.declared_tracks(1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->track_count, 1);
  EXPECT_TRUE(song->events.empty());
  EXPECT_TRUE(has_warning(*song, "MTrk chunks after the 1 declared tracks ignored"));
}

TEST(SmfStructure, HugeDeclaredTrackCountOnATinyFileIsJustAWarning) {
  MidiBuilder b = two_track_song();
  b.declared_tracks(65535);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->track_count, 2);
}

TEST(SmfStructure, EmptyTrackAndZeroTracks) {
  MidiBuilder b(480);
  b.track().omit_end_of_track();
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_TRUE(song->events.empty());
  EXPECT_EQ(song->duration_seconds, 0.0);

  MidiBuilder none(480);
  none.format(1);
  auto empty = parse(none.bytes());
  ASSERT_TRUE(empty) << empty.error().message();
  EXPECT_EQ(empty->track_count, 0);
  EXPECT_TRUE(empty->warnings.empty());
}

TEST(SmfStructure, Format0WithSeveralTracksIsReadWithAWarning) {
  MidiBuilder b = two_track_song();
  b.format(0);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events.size(), 3u);
  EXPECT_TRUE(has_warning(*song, "format 0 file declares 2 tracks instead of 1"));
}

TEST(SmfStructure, ReadsFromDisk) {
  const std::string path = ::testing::TempDir() + "tutti_smf_read_from_disk.mid";
  ASSERT_TRUE(two_track_song().write(path));
  auto song = read_smf(path);
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->path, path);
  EXPECT_EQ(song->events.size(), 3u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tutti::engine::midi::testing
