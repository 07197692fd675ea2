// The end of a song: the output lasts until the last voice has finished its release, in whole
// 64-frame blocks, and notes the file never ends are released when the last track ends
// (COMPAT.md D1: FluidSynth would keep a looped note playing forever).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

// 0 timecents: a one-second release from full level over the envelope's 96 dB.
Sf2Builder dc_bank_with_release(int release_timecents) {
  return single_zone_bank(dc_points(), looped(60, 2000), [release_timecents](ZoneSpec& z) {
    z.gen(Generator::releaseVolEnv, release_timecents);
  });
}

TEST(SongEnd, RenderEndsWhenTheLastReleaseFinishes) {
  // Release of 0.5 s (-1200 timecents); the note is released at 200 ms.
  const Rendered out = render(dc_bank_with_release(-1200), single_note_song(60, 100, 0, 200));
  ASSERT_GT(out.frames(), 0);
  EXPECT_EQ(out.frames() % kBlock, 0);
  const std::int64_t release_start = audible_frame(200);
  const std::int64_t last_sound = last_above(out.left, 0.0);
  const std::int64_t release_frames = static_cast<std::int64_t>(0.5 * kRate);
  // The release takes ceil-to-a-block of its time; the voice ends when it reaches the floor.
  EXPECT_NEAR(static_cast<double>(last_sound - release_start), static_cast<double>(release_frames), 2.0 * kBlock);
  // The output stops with the block in which the last voice was found finished: the block
  // after its last audible one.
  EXPECT_LE(out.frames() - last_sound, 2 * kBlock);
}

TEST(SongEnd, NotesWithoutNoteOffAreReleasedWhenTheSongEnds) {
  // A looped note with no note-off; the track ends at 300 ms.
  MidiBuilder song(kMillisecondTicks);
  song.track().note_on(0, 0, 60, 100).end_of_track(300);
  const Rendered out = render(dc_bank_with_release(-1200), song);
  ASSERT_GT(out.frames(), 0);
  EXPECT_FALSE(out.result.tail_cut);
  const std::int64_t end_of_track = audible_frame(300);
  // Full level up to the end of the track, then a 0.5 s release.
  const double sustain = mean_magnitude(out.left_span(end_of_track - 2 * kBlock, kBlock));
  ASSERT_GT(sustain, 0.0);
  const double later = mean_magnitude(out.left_span(end_of_track + 11025 - kBlock, kBlock));  // 250 ms
  EXPECT_NEAR(to_db(later / sustain), -48.0, 1.0) << "half of the 96 dB release range after half its time";
  EXPECT_NEAR(static_cast<double>(last_above(out.left, 0.0) - end_of_track), 0.5 * kRate, 2.0 * kBlock);
}

}  // namespace
}  // namespace tutti::test
