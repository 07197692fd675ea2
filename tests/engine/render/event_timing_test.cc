// When MIDI events are heard: FluidSynth's player dispatches events once per 64-frame block,
// when the block start (in whole milliseconds, converted to ticks with a single-precision tempo
// and rounded) reaches the event's tick, and what it dispatches is heard from the next block
// (FLUIDSYNTH_MODEL.md 1.3-1.5). Onsets are read from a constant (DC) sample, whose first
// non-zero frame is the second frame of the block the note starts in (the attack ramps from 0).
#include <gtest/gtest.h>

#include <vector>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

std::int64_t block_start(std::int64_t frame) { return frame / kBlock * kBlock; }

Sf2Builder dc_bank() { return single_zone_bank(dc_points(), looped(60, 2000)); }

TEST(EventTiming, NoteAtTick480IsHeardFromFrame22144) {
  // The worked example of the model: PPQ 480 at 500000 us per quarter; tick 480 (ideally 500 ms,
  // frame 22050) is dispatched in block 345 (msec 500) and heard from frame 22144.
  MidiBuilder song(480);
  song.track().tempo(0, 500000).note_on(480, 0, 60, 100).note_off(480, 0, 60);
  const Rendered out = render(dc_bank(), song);
  ASSERT_GT(out.frames(), 30000);
  const std::int64_t first = first_above(out.left, 0.0);
  ASSERT_GE(first, 0);
  EXPECT_EQ(block_start(first), 22144);
  EXPECT_EQ(first, 22145) << "the first frame of the block has the attack ramp's zero gain";
  EXPECT_EQ(audible_frame(480, 480), 22144) << "the test's own model of the rule";
}

TEST(EventTiming, EveryNoteIsHeardFromTheBlockAfterItsDispatch) {
  // Ticks chosen to fall on different positions inside blocks and milliseconds (PPQ 480: 1.0417
  // ms per tick, so the rounding of ticks and the truncation of milliseconds both matter).
  const std::vector<std::int64_t> ticks = {0, 101, 233, 347, 480, 617, 731, 866, 960, 1091, 1213, 1440, 1553, 1777};
  MidiBuilder song(480);
  Clock clock;
  MidiTrack& track = song.track();
  for (std::int64_t tick : ticks) {
    track.note_on(clock.at(static_cast<std::uint32_t>(tick)), 0, 60, 100)
        .note_off(clock.at(static_cast<std::uint32_t>(tick + 20)), 0, 60);
  }
  const Rendered out = render(dc_bank(), song);
  // Notes are 20 ticks long with a 16 ms release, and at least 100 ticks apart: each is a
  // separate sound.
  const std::vector<std::int64_t> onsets = sound_onsets(out.left, 256);
  ASSERT_EQ(onsets.size(), ticks.size());
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_EQ(block_start(onsets[i]), audible_frame(ticks[i], 480)) << "note at tick " << ticks[i];
  }
}

TEST(EventTiming, FirstBlockIsAlwaysSilent) {
  // A note at tick 0 is dispatched in block 0 and heard from frame 64.
  const Rendered out = render(dc_bank(), single_note_song(60, 100, 0, 100));
  ASSERT_GT(out.frames(), 128);
  EXPECT_EQ(first_above(out.left, 0.0), 65);
}

TEST(EventOrder, TracksAreWalkedInFileOrderWithinABlock) {
  // Ticks 1000 and 1001 (milliseconds here) are dispatched by the same block (msec 999 -> 1001).
  // Track 0's note-off at 1001 is processed before track 1's note-on at 1000, so it releases the
  // old note and the new one keeps sounding. In time order the new note would be released
  // instead, 10 ms after it started.
  ASSERT_EQ(audible_frame(1000), audible_frame(1001));
  MidiBuilder song(kMillisecondTicks);
  song.format(1);
  Clock clock0;
  song.track().note_off(clock0.at(1001), 0, 60);
  Clock clock1;
  song.track()
      .note_on(clock1.at(0), 0, 60, 100)
      .note_on(clock1.at(1000), 0, 60, 100)
      .note_off(clock1.at(1500), 0, 60);
  const Rendered out = render(dc_bank(), song);
  const std::int64_t retrigger = audible_frame(1000);
  const double held = mean_magnitude(out.left_span(retrigger - 4410, 441));
  ASSERT_GT(held, 0.0);
  // 100 ms after the retrigger the new note is still at its full level.
  const double later = mean_magnitude(out.left_span(retrigger + 4410, 441));
  EXPECT_NEAR(to_db(later / held), 0.0, 0.01);
}

}  // namespace
}  // namespace tutti::test
