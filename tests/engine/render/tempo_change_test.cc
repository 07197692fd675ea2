// Tempo changes in format 0, 1 and 2 files land notes on the frames FluidSynth's player gives
// them: a Set Tempo event takes effect when it is dispatched and re-anchors the player's clock
// at that block's (milliseconds, rounded tick), not at the event's own tick
// (FLUIDSYNTH_MODEL.md 1.6). Format 2 tracks are played one after another (COMPAT.md D3), so
// their ticks continue where the previous track ended.
#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

constexpr int kPpq = 480;
constexpr std::uint32_t kNoteLength = 24;  // about 25 ms at the tempi below: separate sounds

std::int64_t block_start(std::int64_t frame) { return frame / kBlock * kBlock; }

Sf2Builder dc_bank() { return single_zone_bank(dc_points(), looped(60, 2000)); }

void expect_onsets(const Rendered& out, const std::vector<std::int64_t>& ticks,
                   const std::vector<TempoPoint>& tempo_map) {
  const std::vector<std::int64_t> onsets = sound_onsets(out.left, 256);
  ASSERT_EQ(onsets.size(), ticks.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_EQ(block_start(onsets[i]), audible_frame(ticks[i], kPpq, tempo_map)) << "note at tick " << ticks[i];
  }
}

void write_notes(MidiTrack& track, const std::vector<std::int64_t>& ticks) {
  Clock clock;
  for (std::int64_t tick : ticks) {
    track.note_on(clock.at(static_cast<std::uint32_t>(tick)), 0, 60, 100)
        .note_off(clock.at(static_cast<std::uint32_t>(tick) + kNoteLength), 0, 60);
  }
}

// Tempo 500000 -> 250000 at tick 960 -> 1000000 at tick 1500 (a tick that no block reaches
// exactly at the faster tempo, so re-anchoring at the rounded tick matters).
const std::vector<TempoPoint> kTempoMap = {{0, 500000}, {960, 250000}, {1500, 1000000}};
const std::vector<std::int64_t> kNoteOnTicks = {0, 480, 900, 1100, 1300, 1457, 1620, 1900, 2300};

TEST(TempoChange, Format0NotesLandOnFluidSynthFrames) {
  MidiBuilder song(kPpq);
  MidiTrack& track = song.track();
  // Tempo events and notes interleaved in one track.
  Clock clock;
  std::size_t next_tempo = 0;
  for (std::int64_t tick : kNoteOnTicks) {
    while (next_tempo < kTempoMap.size() && kTempoMap[next_tempo].tick <= tick) {
      track.tempo(clock.at(static_cast<std::uint32_t>(kTempoMap[next_tempo].tick)),
                  kTempoMap[next_tempo].microseconds_per_quarter);
      ++next_tempo;
    }
    track.note_on(clock.at(static_cast<std::uint32_t>(tick)), 0, 60, 100)
        .note_off(clock.at(static_cast<std::uint32_t>(tick) + kNoteLength), 0, 60);
  }
  ASSERT_EQ(song.track_count(), 1u);
  const Rendered out = render(dc_bank(), song);
  expect_onsets(out, kNoteOnTicks, kTempoMap);
  // The tempo changes moved the later notes: at the first tempo the last note would come at
  // a different frame.
  EXPECT_NE(audible_frame(kNoteOnTicks.back(), kPpq), audible_frame(kNoteOnTicks.back(), kPpq, kTempoMap));
}

TEST(TempoChange, Format1TempoTrackTimesTheOtherTracks) {
  MidiBuilder song(kPpq);
  Clock clock;
  MidiTrack& tempo_track = song.track();
  for (const TempoPoint& point : kTempoMap) {
    tempo_track.tempo(clock.at(static_cast<std::uint32_t>(point.tick)), point.microseconds_per_quarter);
  }
  write_notes(song.track(), kNoteOnTicks);
  song.format(1);
  const Rendered out = render(dc_bank(), song);
  expect_onsets(out, kNoteOnTicks, kTempoMap);
}

TEST(TempoChange, Format2TracksPlayInSequenceWithTheirTempi) {
  // Track 0: a note at 0 and 480 at the default tempo, ending at tick 960. Track 1 sets a
  // faster tempo at its start and has notes at its ticks 0, 300 and 700: on the song's timeline
  // 960, 1260 and 1660, after track 0.
  MidiBuilder song(kPpq);
  write_notes(song.track(), {0, 480});
  song.track_at(0).end_of_track(960 - 480 - kNoteLength);
  MidiTrack& second = song.track();
  second.tempo(0, 250000);
  write_notes(second, {0, 300, 700});
  song.format(2);
  const Rendered out = render(dc_bank(), song);
  const std::vector<TempoPoint> timeline = {{0, 500000}, {960, 250000}};
  expect_onsets(out, {0, 480, 960, 1260, 1660}, timeline);
}

}  // namespace
}  // namespace tutti::test
