// The fixture writer is itself tested byte for byte, so reader tests built on it can be trusted.
#include "tests/support/midi_builder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace tutti::test {
namespace {

TEST(MidiBuilderVlq, EncodesSpecExamples) {
  // The table in SMF 1.0, "Conventions".
  EXPECT_EQ(vlq_bytes(0x00), (Bytes{0x00}));
  EXPECT_EQ(vlq_bytes(0x40), (Bytes{0x40}));
  EXPECT_EQ(vlq_bytes(0x7F), (Bytes{0x7F}));
  EXPECT_EQ(vlq_bytes(0x80), (Bytes{0x81, 0x00}));
  EXPECT_EQ(vlq_bytes(0x2000), (Bytes{0xC0, 0x00}));
  EXPECT_EQ(vlq_bytes(0x3FFF), (Bytes{0xFF, 0x7F}));
  EXPECT_EQ(vlq_bytes(0x4000), (Bytes{0x81, 0x80, 0x00}));
  EXPECT_EQ(vlq_bytes(0x100000), (Bytes{0xC0, 0x80, 0x00}));
  EXPECT_EQ(vlq_bytes(0x1FFFFF), (Bytes{0xFF, 0xFF, 0x7F}));
  EXPECT_EQ(vlq_bytes(0x200000), (Bytes{0x81, 0x80, 0x80, 0x00}));
  EXPECT_EQ(vlq_bytes(0x0FFFFFFF), (Bytes{0xFF, 0xFF, 0xFF, 0x7F}));
  EXPECT_EQ(vlq_bytes(0x10000000), (Bytes{0x81, 0x80, 0x80, 0x80, 0x00}));
}

TEST(MidiBuilderLayout, WritesHeaderTrackAndAutomaticEndOfTrack) {
  MidiBuilder b(96);
  b.track().note_on(0, 1, 60, 100).note_off(96, 1, 60);
  // clang-format off
  const Bytes expected = {
      'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,  // format 0, 1 track, PPQ 96
      'M', 'T', 'r', 'k', 0, 0, 0, 12,
      0x00, 0x91, 60, 100,                                // note on
      0x60, 0x81, 60, 64,                                 // note off after 96 ticks
      0x00, 0xFF, 0x2F, 0x00};                            // end of track
  // clang-format on
  EXPECT_EQ(b.bytes(), expected);
  EXPECT_EQ(b.track_data_offset(0), 22);
}

TEST(MidiBuilderLayout, FormatDefaultsToOneWithSeveralTracksAndCanBeSet) {
  MidiBuilder b(480);
  b.track();
  b.track();
  EXPECT_EQ(b.bytes()[9], 1);
  EXPECT_EQ(b.bytes()[11], 2);
  b.format(2).declared_tracks(7);
  EXPECT_EQ(b.bytes()[9], 2);
  EXPECT_EQ(b.bytes()[11], 7);
}

TEST(MidiBuilderLayout, SmpteDivisionHasNegativeFrameRateInHighByte) {
  auto b = MidiBuilder::smpte(25, 40);
  b.track();
  const Bytes bytes = b.bytes();
  EXPECT_EQ(bytes[12], 0xE7);  // -25
  EXPECT_EQ(bytes[13], 40);
}

TEST(MidiBuilderLayout, ExtraChunksTrailingBytesAndOffsets) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1);  // 4 + 4 data bytes
  b.chunk("XYZW", {1, 2, 3});
  b.track();
  b.trailing({0xAA, 0xBB});
  const Bytes bytes = b.bytes();
  EXPECT_EQ(b.track_data_offset(0), 22);
  EXPECT_EQ(b.track_data_offset(1), 22 + 8 + 8 + 3 + 8);
  EXPECT_EQ(bytes[30], 'X');
  EXPECT_EQ(bytes.size(), 22u + 8 + 8 + 3 + 8 + 4 + 2);
  EXPECT_EQ(bytes.back(), 0xBB);
}

TEST(MidiBuilderLayout, HeaderLengthPadsOrCutsTheHeaderFields) {
  MidiBuilder b(480);
  b.track();
  b.header_length(8);
  EXPECT_EQ(b.bytes()[7], 8);
  EXPECT_EQ(b.track_data_offset(0), 24);
  b.header_length(4);
  EXPECT_EQ(b.bytes().size(), 12u + 8 + 4);
}

TEST(MidiBuilderRunningStatus, StrictOmitsRepeatsAndMetaCancels) {
  MidiBuilder b(480);
  auto& t = b.track().running_status(RunningStatus::Strict);
  t.note_on(0, 0, 60, 100).note_on(0, 0, 64, 100).text(0, "x").note_on(0, 0, 67, 100);
  t.omit_end_of_track();
  const Bytes expected = {0x00, 0x90, 60,   100,  //
                          0x00, 64,   100,        // running status
                          0x00, 0xFF, 0x01, 0x01, 'x',
                          0x00, 0x90, 67,   100};  // status written again after the meta event
  EXPECT_EQ(t.data(), expected);
}

TEST(MidiBuilderRunningStatus, AcrossMetaKeepsStatusAfterMetaAndOffWritesEveryStatus) {
  MidiBuilder b(480);
  auto& across = b.track().running_status(RunningStatus::AcrossMeta).omit_end_of_track();
  across.note_on(0, 0, 60, 100).text(0, "x").note_on(0, 0, 67, 100);
  EXPECT_EQ(across.data(),
            (Bytes{0x00, 0x90, 60, 100, 0x00, 0xFF, 0x01, 0x01, 'x', 0x00, 67, 100}));
  auto& off = b.track().omit_end_of_track();
  off.note_on(0, 0, 60, 100).note_on(0, 0, 62, 100);
  EXPECT_EQ(off.data(), (Bytes{0x00, 0x90, 60, 100, 0x00, 0x90, 62, 100}));
}

TEST(MidiBuilderEvents, EncodesEveryEventKind) {
  MidiBuilder b(480);
  auto& t = b.track().omit_end_of_track();
  t.poly_pressure(0, 2, 60, 10)
      .control_change(0, 2, 7, 100)
      .program_change(0, 2, 5)
      .channel_pressure(0, 2, 30)
      .pitch_bend(0, 2, 0x2001)
      .sysex(0, {0x7E, 0x7F})
      .sysex_packet(0, {0x43})
      .escape(0, {0xF8})
      .tempo(0, 0x07A120)
      .end_of_track(5);
  // clang-format off
  const Bytes expected = {
      0x00, 0xA2, 60, 10,
      0x00, 0xB2, 7, 100,
      0x00, 0xC2, 5,
      0x00, 0xD2, 30,
      0x00, 0xE2, 0x01, 0x40,              // LSB, MSB
      0x00, 0xF0, 3, 0x7E, 0x7F, 0xF7,
      0x00, 0xF0, 1, 0x43,
      0x00, 0xF7, 1, 0xF8,
      0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20,
      0x05, 0xFF, 0x2F, 0x00};
  // clang-format on
  EXPECT_EQ(t.data(), expected);
}

TEST(MidiBuilderEvents, LengthOverrideAndRawBytes) {
  MidiBuilder b(480);
  auto& t = b.track().raw({0x00, 0x3C}).length_override(1000).omit_end_of_track();
  EXPECT_EQ(t.size(), 2u);
  const Bytes bytes = b.bytes();
  EXPECT_EQ(bytes[20], 1000 >> 8);
  EXPECT_EQ(bytes[21], 1000 & 0xFF);
  EXPECT_EQ(bytes.size(), 24u);
}

TEST(MidiBuilderRmid, WrapsTheSmfInARiffDataChunk) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 1);  // 22 + 8 = 30 bytes of SMF, even
  const Bytes smf = b.bytes();
  const Bytes rmi = b.rmid_bytes();
  ASSERT_EQ(rmi.size(), 20 + smf.size());
  EXPECT_EQ(Bytes(rmi.begin(), rmi.begin() + 4), (Bytes{'R', 'I', 'F', 'F'}));
  EXPECT_EQ(rmi[4], 12 + smf.size());  // little-endian RIFF size
  EXPECT_EQ(Bytes(rmi.begin() + 8, rmi.begin() + 16),
            (Bytes{'R', 'M', 'I', 'D', 'd', 'a', 't', 'a'}));
  EXPECT_EQ(rmi[16], smf.size());
  EXPECT_EQ(Bytes(rmi.begin() + 20, rmi.end()), smf);
}

TEST(MidiBuilderFile, WritesBytesToDisk) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 100).note_off(480, 0, 60);
  const std::filesystem::path path = ::testing::TempDir() + "tutti_midi_builder_write.mid";
  ASSERT_TRUE(b.write(path.string()));
  std::ifstream in(path, std::ios::binary);
  const Bytes read_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(read_back, b.bytes());
  std::filesystem::remove(path);
  EXPECT_FALSE(write_file("/nonexistent-dir/x.mid", b.bytes()));
}

}  // namespace
}  // namespace tutti::test
