// Malformed input: every error names the file, the place and the offending byte's offset.
#include <gtest/gtest.h>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

// Parses `bytes` expecting failure at `where` and `offset`; returns the error's text.
std::string expect_error(const Bytes& bytes, const std::string& where, std::int64_t offset) {
  auto song = parse(bytes);
  EXPECT_FALSE(song) << "parsed although malformed";
  if (song) return {};
  EXPECT_EQ(song.error().file, "song.mid");
  EXPECT_EQ(song.error().where, where) << song.error().message();
  EXPECT_EQ(song.error().offset, offset) << song.error().message();
  return song.error().what;
}

bool contains(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

TEST(SmfErrors, EmptyOrForeignInputHasNoHeader) {
  EXPECT_TRUE(contains(expect_error({}, "header", 0), "no MThd"));
  EXPECT_TRUE(contains(
      expect_error({'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'A', 'V', 'E'}, "header", 0), "no MThd"));
  EXPECT_TRUE(contains(expect_error({'M', 'T', 'h'}, "header", 0), "no MThd"));
}

TEST(SmfErrors, HeaderTooShort) {
  EXPECT_TRUE(contains(expect_error({'M', 'T', 'h', 'd', 0, 0}, "header", 4), "ends inside"));
  MidiBuilder b(480);
  b.track();
  b.header_length(4);
  EXPECT_TRUE(contains(expect_error(b.bytes(), "header", 4), "MThd length is 4"));
  const Bytes cut = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 1, 0};
  EXPECT_TRUE(contains(expect_error(cut, "header", 4), "the file has 3 after it"));
}

TEST(SmfErrors, BadHeaderFields) {
  MidiBuilder zero_ppq(480);
  zero_ppq.division(0).track();
  EXPECT_TRUE(contains(expect_error(zero_ppq.bytes(), "header", 12), "0 ticks per quarter"));

  MidiBuilder format3(480);
  format3.format(3).track();
  EXPECT_TRUE(contains(expect_error(format3.bytes(), "header", 8), "unknown SMF format 3"));

  auto bad_fps = MidiBuilder::smpte(20, 40);
  bad_fps.track();
  EXPECT_TRUE(contains(expect_error(bad_fps.bytes(), "header", 12), "20 frames per second"));

  auto zero_tpf = MidiBuilder::smpte(25, 0);
  zero_tpf.track();
  EXPECT_TRUE(contains(expect_error(zero_tpf.bytes(), "header", 12), "0 ticks per frame"));
}

TEST(SmfErrors, DeltaTimeLongerThanFourBytes) {
  MidiBuilder b(480);
  auto& t = b.track().note_on(0, 0, 60, 1);
  const auto at = b.track_data_offset(0) + static_cast<std::int64_t>(t.size());
  t.raw({0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 60, 0});
  EXPECT_TRUE(contains(expect_error(b.bytes(), "track 0", at), "longer than 4 bytes"));
}

TEST(SmfErrors, MetaLengthLongerThanFourBytes) {
  MidiBuilder b(480);
  auto& t = b.track();
  const auto at = b.track_data_offset(0) + 3;  // delta, FF, type, then the length
  t.raw({0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});
  EXPECT_TRUE(contains(expect_error(b.bytes(), "track 0", at), "meta event length"));
}

TEST(SmfErrors, DataByteWithNoRunningStatus) {
  MidiBuilder b(480);
  b.track().text(0, "no channel status yet").raw({0x00, 0x3C, 0x40});
  const auto at = b.track_data_offset(0) + 4 + 21 + 1;
  EXPECT_EQ(expect_error(b.bytes(), "track 0", at), "data byte 0x3C with no running status");
}

TEST(SmfErrors, StatusByteAmongSystemMessageData) {
  MidiBuilder b(480);
  b.track().raw({0x00, 0xF2, 0x10, 0x90});
  EXPECT_EQ(expect_error(b.bytes(), "track 0", 22 + 3),
            "expected a data byte of status 0xF2, found 0x90");
}

TEST(SmfErrors, UndefinedSystemStatus) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).raw({0x00, 0xF4});
  EXPECT_EQ(expect_error(b.bytes(), "track 0", 22 + 4 + 1), "undefined status byte 0xF4");
}

TEST(SmfErrors, TruncatedChannelEvent) {
  MidiBuilder b(480);
  auto& t = b.track().note_on(0, 0, 60, 1);
  const auto at = b.track_data_offset(0) + static_cast<std::int64_t>(t.size()) + 1;
  t.raw({0x00, 0x90, 0x3C}).omit_end_of_track();
  const std::string what = expect_error(b.bytes(), "track 0", at);
  EXPECT_EQ(what,
            "truncated event (status 0x90): the track data ends at byte " + std::to_string(at + 2));
}

TEST(SmfErrors, TruncatedRunningStatusEvent) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1).raw({0x00, 0x3C}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(b.bytes(), "track 0", 22 + 4 + 1), "truncated event"));
}

TEST(SmfErrors, TruncatedDeltaAndEventAfterDelta) {
  MidiBuilder delta(480);
  delta.track().note_on(0, 0, 60, 1).raw({0x81}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(delta.bytes(), "track 0", 22 + 4), "truncated delta time"));

  MidiBuilder event(480);
  event.track().note_on(0, 0, 60, 1).raw({0x10}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(event.bytes(), "track 0", 22 + 5), "ends after a delta time"));
}

TEST(SmfErrors, TruncatedMetaAndSysEx) {
  MidiBuilder meta(480);
  meta.track().raw({0x00, 0xFF, 0x01, 0x10, 'a', 'b'}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(meta.bytes(), "track 0", 23), "declares 16 data bytes"));

  MidiBuilder sysex(480);
  sysex.track().raw({0x00, 0xF0, 0x05, 0x7E}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(sysex.bytes(), "track 0", 23), "truncated SysEx event"));

  MidiBuilder escape(480);
  escape.track().raw({0x00, 0xF7, 0x81}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(escape.bytes(), "track 0", 23), "truncated F7 event"));

  MidiBuilder meta_type(480);
  meta_type.track().raw({0x00, 0xFF}).omit_end_of_track();
  EXPECT_TRUE(contains(expect_error(meta_type.bytes(), "track 0", 23), "truncated meta event"));
}

TEST(SmfErrors, TruncatedFileIsAnErrorNotAWarning) {
  // The length runs past the end (tolerated) but the file stops inside an event (not).
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 100).note_off(480, 0, 60);
  Bytes bytes = b.bytes();
  bytes.resize(bytes.size() - 6);  // cuts the note-off after its status byte
  expect_error(bytes, "track 0", 22 + 4 + 2);
}

TEST(SmfErrors, MessageNamesFileTrackAndOffset) {
  MidiBuilder b(480);
  for (int i = 0; i < 3; ++i) b.track().note_on(0, i, 60, 1);
  b.track().note_on(0, 3, 60, 1).raw({0x00, 0xFD});
  auto song = parse_smf(b.bytes(), "/music/song.mid");
  ASSERT_FALSE(song);
  const std::int64_t offset = b.track_data_offset(3) + 4 + 1;
  EXPECT_EQ(song.error().message(), "/music/song.mid: track 3 at byte " + std::to_string(offset) +
                                        ": undefined status byte 0xFD");
}

TEST(SmfErrors, MissingFile) {
  auto song = read_smf("/nonexistent/tutti/song.mid");
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().file, "/nonexistent/tutti/song.mid");
  EXPECT_TRUE(contains(song.error().what, "cannot open"));
}

}  // namespace
}  // namespace tutti::engine::midi::testing
