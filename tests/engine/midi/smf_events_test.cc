// Event decoding: channel messages, running status, SysEx, meta and system messages, order.
#include <gtest/gtest.h>

#include "tests/engine/midi/smf_test_util.h"

namespace tutti::engine::midi::testing {
namespace {

using test::RunningStatus;

TEST(SmfEvents, DecodesEveryChannelMessage) {
  MidiBuilder b(480);
  b.track()
      .note_on(0, 3, 60, 100)
      .poly_pressure(1, 3, 60, 20)
      .control_change(1, 3, 7, 90)
      .program_change(1, 3, 42)
      .channel_pressure(1, 3, 33)
      .pitch_bend(1, 3, 0x3FFF)
      .note_off(1, 3, 60, 12);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto& e = song->events;
  ASSERT_EQ(e.size(), 7u);
  for (const Event& event : e) EXPECT_EQ(event.channel, 3);
  EXPECT_EQ(e[0].type, EventType::NoteOn);
  EXPECT_EQ(e[0].data1, 60);
  EXPECT_EQ(e[0].data2, 100);
  EXPECT_EQ(e[1].type, EventType::PolyPressure);
  EXPECT_EQ(e[1].data2, 20);
  EXPECT_EQ(e[2].type, EventType::ControlChange);
  EXPECT_EQ(e[2].data1, 7);
  EXPECT_EQ(e[2].data2, 90);
  EXPECT_EQ(e[3].type, EventType::ProgramChange);
  EXPECT_EQ(e[3].data1, 42);
  EXPECT_EQ(e[4].type, EventType::ChannelPressure);
  EXPECT_EQ(e[4].data1, 33);
  EXPECT_EQ(e[5].type, EventType::PitchBend);
  EXPECT_EQ(e[5].bend, 0x3FFF);
  EXPECT_EQ(e[6].type, EventType::NoteOff);
  EXPECT_EQ(e[6].data2, 12);
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_EQ(e[i].tick, static_cast<std::int64_t>(i));
}

TEST(SmfEvents, PitchBendCombinesLsbAndMsb) {
  MidiBuilder b(480);
  b.track().raw({0x00, 0xE0, 0x01, 0x40}).pitch_bend(0, 0, 0).pitch_bend(0, 0, 8192);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  EXPECT_EQ(song->events[0].bend, 8193);
  EXPECT_EQ(song->events[1].bend, 0);
  EXPECT_EQ(song->events[2].bend, 8192);
}

TEST(SmfEvents, NoteOnWithVelocityZeroIsNoteOff) {
  MidiBuilder b(480);
  b.track().note_on(0, 5, 64, 90).note_on(240, 5, 64, 0);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->events.size(), 2u);
  EXPECT_EQ(song->events[1].type, EventType::NoteOff);
  EXPECT_EQ(song->events[1].channel, 5);
  EXPECT_EQ(song->events[1].data1, 64);
  EXPECT_EQ(song->events[1].tick, 240);
}

// The same music written three ways must decode to the same events.
std::vector<Event> decode_with(RunningStatus mode) {
  MidiBuilder b(480);
  b.track()
      .running_status(mode)
      .note_on(0, 0, 60, 100)
      .note_on(0, 0, 64, 100)
      .text(10, "verse")
      .note_on(0, 0, 67, 100)
      .note_on(10, 0, 60, 0)
      .control_change(5, 1, 64, 127)
      .control_change(0, 1, 64, 0)
      .sysex(1, {0x41, 0x10})
      .control_change(0, 1, 10, 20)
      .pitch_bend(1, 1, 100)
      .pitch_bend(1, 1, 200);
  auto song = parse(b.bytes());
  EXPECT_TRUE(song) << song.error().message();
  return song ? song->events : std::vector<Event>{};
}

TEST(SmfEvents, RunningStatusDecodesLikeExplicitStatus) {
  const auto explicit_status = decode_with(RunningStatus::Off);
  ASSERT_EQ(explicit_status.size(), 10u);
  for (RunningStatus mode : {RunningStatus::Strict, RunningStatus::AcrossMeta}) {
    const auto decoded = decode_with(mode);
    ASSERT_EQ(decoded.size(), explicit_status.size());
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      EXPECT_EQ(decoded[i].type, explicit_status[i].type) << i;
      EXPECT_EQ(decoded[i].channel, explicit_status[i].channel) << i;
      EXPECT_EQ(decoded[i].data1, explicit_status[i].data1) << i;
      EXPECT_EQ(decoded[i].data2, explicit_status[i].data2) << i;
      EXPECT_EQ(decoded[i].bend, explicit_status[i].bend) << i;
      EXPECT_EQ(decoded[i].tick, explicit_status[i].tick) << i;
    }
  }
  EXPECT_EQ(explicit_status[3].type, EventType::NoteOff);  // running status + velocity 0
  EXPECT_EQ(explicit_status[6].type, EventType::SysEx);
  EXPECT_EQ(explicit_status[9].bend, 200);
}

TEST(SmfEvents, RunningStatusWithOneDataByteMessages) {
  MidiBuilder b(480);
  b.track().raw({0x00, 0xC2, 5, 0x00, 6, 0x00, 7});
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(song->events[i].type, EventType::ProgramChange);
    EXPECT_EQ(song->events[i].data1, 5 + i);
  }
}

TEST(SmfEvents, RunningStatusDoesNotCrossTracks) {
  MidiBuilder b(480);
  b.track().note_on(0, 0, 60, 100);
  b.track().raw({0x00, 60, 0});  // a data byte first in a track
  auto song = parse(b.bytes());
  ASSERT_FALSE(song);
  EXPECT_EQ(song.error().where, "track 1");
}

TEST(SmfEvents, SysExPayloadIsKeptWithoutF0AndF7) {
  MidiBuilder b(480);
  const Bytes gm_on = {0x7E, 0x7F, 0x09, 0x01};
  b.track().sysex(0, gm_on).note_on(10, 0, 60, 1).sysex(0, {0x41, 0x10, 0x42});
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->sysex.size(), 2u);
  EXPECT_EQ(song->sysex[0], gm_on);
  EXPECT_EQ(song->sysex[1], (Bytes{0x41, 0x10, 0x42}));
  const auto sysex = events_of(*song, EventType::SysEx);
  ASSERT_EQ(sysex.size(), 2u);
  EXPECT_EQ(sysex[0].sysex_index, 0u);
  EXPECT_EQ(sysex[0].tick, 0);
  EXPECT_EQ(sysex[1].sysex_index, 1u);
  EXPECT_EQ(sysex[1].tick, 10);
}

TEST(SmfEvents, SysExWithoutTerminatorIsKept) {
  MidiBuilder b(480);
  b.track().sysex_packet(0, {0x7E, 0x7F, 0x09, 0x01});
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->sysex.size(), 1u);
  EXPECT_EQ(song->sysex[0], (Bytes{0x7E, 0x7F, 0x09, 0x01}));
}

TEST(SmfEvents, DividedSysExPacketsAreJoined) {
  // SMF 1.0's example: F0 03 43 12 00 / F7 06 43 12 00 43 12 00 / F7 04 43 12 00 F7.
  MidiBuilder b(480);
  b.track()
      .sysex_packet(0, {0x43, 0x12, 0x00})
      .note_on(1, 0, 60, 1)
      .escape(200, {0x43, 0x12, 0x00, 0x43, 0x12, 0x00})
      .escape(100, {0x43, 0x12, 0x00, 0xF7})
      .escape(0, {0xF8});  // after the SysEx ended: an escape, skipped
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->sysex.size(), 1u);
  EXPECT_EQ(song->sysex[0],
            (Bytes{0x43, 0x12, 0x00, 0x43, 0x12, 0x00, 0x43, 0x12, 0x00, 0x43, 0x12, 0x00}));
  EXPECT_EQ(events_of(*song, EventType::SysEx).size(), 1u);
  EXPECT_EQ(song->events.size(), 2u);
}

TEST(SmfEvents, EscapesAndMetaEventsProduceNoEvents) {
  MidiBuilder b(480);
  b.track()
      .track_name(0, "Piano")
      .text(0, "hello")
      .meta(0, 0x58, {4, 2, 24, 8})       // time signature
      .meta(0, 0x59, {0, 0})              // key signature
      .meta(0, 0x7F, {0, 0, 0x41, 1, 2})  // sequencer specific
      .meta(0, 0x01, Bytes(300, 'a'))     // long text: a two-byte length
      .escape(0, {0xF3, 0x01})            // song select on the wire
      .note_on(0, 0, 60, 1);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->events.size(), 1u);
  EXPECT_EQ(song->events[0].type, EventType::NoteOn);
  EXPECT_TRUE(song->sysex.empty());
  EXPECT_TRUE(song->warnings.empty()) << warnings_text(*song);
}

TEST(SmfEvents, RunningStatusSurvivesMetaAndSysEx) {
  // SMF 1.0 says meta and SysEx cancel running status; the reader resumes the last channel
  // status instead, since a data byte there cannot mean anything else.
  MidiBuilder b(480);
  b.track()
      .running_status(RunningStatus::AcrossMeta)
      .note_on(0, 2, 60, 100)
      .tempo(0, 400000)
      .note_on(0, 2, 62, 100)
      .sysex(0, {0x01})
      .note_on(0, 2, 64, 100);
  ASSERT_EQ(b.track_at(0).data()[12], 62);  // really written without a status byte
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[1].data1, 62);
  EXPECT_EQ(notes[1].channel, 2);
  EXPECT_EQ(notes[2].data1, 64);
}

TEST(SmfEvents, SystemRealTimeAndCommonMessagesAreSkippedWithOneWarning) {
  MidiBuilder b(480);
  b.track()
      .note_on(0, 0, 60, 100)
      .raw({0x00, 0xF8, 0x00, 0xFA, 0x00, 0xF2, 0x10, 0x20, 0x00, 0xF3, 0x01, 0x00, 0xF6})
      .raw({0x05, 62, 100});  // running status still in effect after them
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto notes = events_of(*song, EventType::NoteOn);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1].data1, 62);
  EXPECT_EQ(notes[1].tick, 5);
  ASSERT_EQ(song->warnings.size(), 1u) << warnings_text(*song);
  EXPECT_EQ(song->warnings[0],
            "track 0: 5 system common/real-time messages skipped (not SMF events)");
}

TEST(SmfEvents, DataBytesAbove127AreHandledAsFluidSynthPlaysThem) {
  // Some writers put unclamped values in data positions (songwrite writes velocity 0xCC); an
  // explicit status fixes the message length, so the grammar is intact. What each case becomes
  // was measured against fluidsynth 2.3.1 renders (null-identical to the repaired message).
  MidiBuilder b(480);
  b.track().raw({
      0x00, 0x90, 0x40, 0xCC,  // note-on, velocity 204: plays at velocity 127
      0x00, 0x80, 0x40, 0xCC,  // note-off, velocity 204: kept, velocity 127
      0x00, 0xB0, 0x07, 0xFF,  // controller value 255: set to 127
      0x00, 0xE0, 0xFF, 0x81,  // pitch bend: both bytes masked to 7 bits
      0x00, 0xC0, 0x80,        // program 128: dropped
      0x00, 0x80, 0xC0, 0x40,  // note-off of key 192: dropped
      0x00, 0x90, 0x3C, 0x64,  // a normal note-on
      0x00, 0x3E, 0x64,        // running status still 0x90
  });
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  const auto& e = song->events;
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0].type, EventType::NoteOn);
  EXPECT_EQ(e[0].data1, 0x40);
  EXPECT_EQ(e[0].data2, 127);
  EXPECT_EQ(e[1].type, EventType::NoteOff);
  EXPECT_EQ(e[1].data1, 0x40);
  EXPECT_EQ(e[1].data2, 127);
  EXPECT_EQ(e[2].type, EventType::ControlChange);
  EXPECT_EQ(e[2].data1, 7);
  EXPECT_EQ(e[2].data2, 127);
  EXPECT_EQ(e[3].type, EventType::PitchBend);
  EXPECT_EQ(e[3].bend, 0x7F | (0x01 << 7));
  EXPECT_EQ(e[3].data1, 0x7F);
  EXPECT_EQ(e[3].data2, 0x01);
  EXPECT_EQ(e[4].data1, 0x3C);
  EXPECT_EQ(e[5].data1, 0x3E);
  ASSERT_EQ(song->warnings.size(), 1u) << warnings_text(*song);
  EXPECT_EQ(song->warnings[0],
            "track 0: 6 channel messages with a data byte above 127: 2 dropped, 4 repaired "
            "(velocities and controller values to 127, pitch bend masked), as FluidSynth plays them");
}

TEST(SmfEvents, OrderIsTickThenTrackThenFileOrder) {
  MidiBuilder b(480);
  b.track().control_change(10, 0, 1, 1).control_change(0, 0, 1, 2).control_change(20, 0, 1, 3);
  b.track().control_change(0, 1, 1, 4).control_change(10, 1, 1, 5).control_change(10, 1, 1, 6);
  b.track().control_change(10, 2, 1, 7).control_change(0, 2, 1, 8);
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  std::vector<int> values;
  for (const Event& e : song->events) values.push_back(e.data2);
  // tick 0: 4; tick 10: 1, 2 (track 0), 5 (track 1), 7, 8 (track 2); tick 20: 6; tick 30: 3.
  EXPECT_EQ(values, (std::vector<int>{4, 1, 2, 5, 7, 8, 6, 3}));
  EXPECT_EQ(song->events[3].track, 1);
  EXPECT_EQ(song->events[4].track, 2);
}

TEST(SmfEvents, OrderHoldsAcrossManyTracks) {
  MidiBuilder b(96);
  for (int track = 0; track < 37; ++track) {
    auto& t = b.track();
    for (int i = 0; i < 50; ++i)
      t.control_change(static_cast<std::uint32_t>((track * 7 + i) % 5), track % 16, 1, i);
  }
  auto song = parse(b.bytes());
  ASSERT_TRUE(song) << song.error().message();
  ASSERT_EQ(song->events.size(), 37u * 50);
  for (std::size_t i = 1; i < song->events.size(); ++i) {
    const Event& a = song->events[i - 1];
    const Event& c = song->events[i];
    ASSERT_TRUE(a.tick < c.tick || (a.tick == c.tick && a.track < c.track) ||
                (a.tick == c.tick && a.track == c.track && a.data2 < c.data2))
        << "at " << i;
    ASSERT_LE(a.seconds, c.seconds);
  }
}

}  // namespace
}  // namespace tutti::engine::midi::testing
