// `tutti info`: what summarize() reports about a song.
#include "engine/midi/song_summary.h"

#include <gtest/gtest.h>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

Song summary_song() {
  MidiBuilder b(480);
  b.track().tempo(0, 600000).tempo(960, 400000).tempo(0, 300000).sysex(0, {0x7E, 0x7F, 0x09, 0x01});
  b.track()
      .control_change(0, 0, 0, 0)
      .control_change(0, 0, 32, 1)
      .program_change(0, 0, 24)
      .note_on(0, 0, 60, 100)
      .note_on(480, 0, 60, 0)
      .program_change(0, 0, 24)  // same selection again: listed once
      .control_change(0, 0, 0, 8)
      .program_change(0, 0, 24);  // new bank: listed
  b.track().note_on(0, 9, 36, 100).note_on(0, 9, 42, 100).note_off(240, 9, 36);
  b.track().program_change(0, 3, 40).control_change(0, 3, 7, 100);
  auto song = parse(b.bytes());
  EXPECT_TRUE(song) << song.error().message();
  return song ? *song : Song{};
}

TEST(SongSummary, CountsAndLayout) {
  const SongSummary summary = summarize(summary_song());
  EXPECT_EQ(summary.path, "song.mid");
  EXPECT_EQ(summary.format, 1);
  EXPECT_EQ(summary.track_count, 4);
  EXPECT_EQ(summary.ticks_per_quarter, 480);
  EXPECT_EQ(summary.note_count, 3u);
  EXPECT_EQ(summary.sysex_count, 1u);
  EXPECT_EQ(summary.tempo_changes, 1u);  // 600000 at 0, then 300000 at 960 (two at 960 merge)
  EXPECT_EQ(summary.initial_microseconds_per_quarter, 600000u);
  EXPECT_EQ(summary.event_count, 14u);
  EXPECT_EQ(summary.duration_seconds, 1.2);  // track 0 ends at tick 960, at 0.6 s per quarter
}

TEST(SongSummary, ChannelsProgramsAndBanks) {
  const SongSummary summary = summarize(summary_song());
  ASSERT_EQ(summary.channels.size(), 3u);
  const ChannelUse& melody = summary.channels[0];
  EXPECT_EQ(melody.channel, 0);
  EXPECT_FALSE(melody.percussion);
  EXPECT_EQ(melody.note_count, 1u);
  ASSERT_EQ(melody.programs.size(), 2u);
  EXPECT_EQ(melody.programs[0], (ProgramSelection{0, 1, 24}));
  EXPECT_EQ(melody.programs[1], (ProgramSelection{8, 1, 24}));

  const ChannelUse& strings = summary.channels[1];
  EXPECT_EQ(strings.channel, 3);
  EXPECT_EQ(strings.note_count, 0u);
  ASSERT_EQ(strings.programs.size(), 1u);
  EXPECT_EQ(strings.programs[0], (ProgramSelection{-1, -1, 40}));

  const ChannelUse& drums = summary.channels[2];
  EXPECT_EQ(drums.channel, 9);
  EXPECT_TRUE(drums.percussion);
  EXPECT_EQ(drums.note_count, 2u);
  EXPECT_TRUE(drums.programs.empty());
}

TEST(SongSummary, TextNamesChannelsFromOne) {
  const std::string text = to_text(summarize(summary_song()));
  EXPECT_NE(text.find("format 1, 4 tracks, 480 ticks per quarter note"), std::string::npos) << text;
  EXPECT_NE(text.find("tempo 100.00 bpm at the start, tempo changes: 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("channel 1: notes 1, programs 24 (bank 0/1), 24 (bank 8/1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("channel 4: notes 0, program 40\n"), std::string::npos) << text;
  EXPECT_NE(text.find("channel 10 (percussion): notes 2, program 0 (default)"), std::string::npos)
      << text;
}

TEST(SongSummary, SmpteSongHasNoTempo) {
  auto b = MidiBuilder::smpte(29, 40);
  b.track().note_on(0, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song);
  const SongSummary summary = summarize(*song);
  EXPECT_EQ(summary.tempo_changes, 0u);
  EXPECT_EQ(summary.initial_microseconds_per_quarter, 0u);
  EXPECT_NE(to_text(summary).find("SMPTE 29.97 drop-frame fps, 40 ticks per frame"),
            std::string::npos);
}

}  // namespace
}  // namespace tutti::engine::midi::testing
