// Pedals: CC64 sustain holds released notes until the pedal goes up; CC66 sostenuto holds only
// the notes already sounding when it went down, and releases them when it comes up even if
// sustain is still down (FLUIDSYNTH_MODEL.md 5). Two constant samples panned hard left and
// hard right let each note's level be read on its own channel.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {
namespace {

constexpr int kLeftKey = 60;
constexpr int kRightKey = 62;

// Key 60 sounds on the left, key 62 on the right; 0.5 s releases.
Sf2Builder two_sided_bank() {
  Sf2Builder builder;
  const int dc = builder.add_sample(dc_points(), looped(60, 2000));
  const int instrument = builder.add_instrument(
      "sides", {zone(dc).key_range(kLeftKey, kLeftKey).gen(Generator::sampleModes, 1).gen(Generator::pan, -500).gen(Generator::releaseVolEnv, -1200),
                zone(dc).key_range(kRightKey, kRightKey).gen(Generator::sampleModes, 1).gen(Generator::pan, 500).gen(Generator::releaseVolEnv, -1200)});
  builder.add_preset("sides", 0, 0, {preset_zone(instrument)});
  return builder;
}

double level_at(const std::vector<float>& channel, std::int64_t frame) {
  return std::fabs(channel[static_cast<std::size_t>(frame)]);
}

// The frame from which the level keeps falling: the start of the release.
std::int64_t release_start(const std::vector<float>& channel, std::int64_t search_from) {
  const double held = level_at(channel, search_from);
  for (std::int64_t i = search_from; i < static_cast<std::int64_t>(channel.size()); ++i) {
    if (level_at(channel, i) < 0.9999 * held) return i;
  }
  return -1;
}

TEST(SustainPedal, HoldsNotesUntilThePedalGoesUp) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .note_on(clock.at(0), 0, kLeftKey, 100)
      .control_change(clock.at(50), 0, 64, 127)
      .note_off(clock.at(100), 0, kLeftKey)
      .control_change(clock.at(400), 0, 64, 0);
  const Rendered out = render(two_sided_bank(), song);
  const std::int64_t pedal_up = audible_frame(400);
  const std::int64_t released = release_start(out.left, audible_frame(50));
  report("release began after the pedal went up by", static_cast<double>(released - pedal_up), "frames");
  // The first frame of the pedal-up block still has the held gain; the ramp down follows.
  EXPECT_GE(released, pedal_up);
  EXPECT_LE(released, pedal_up + 2);
}

TEST(SustainPedal, WithoutThePedalTheNoteOffReleases) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track().note_on(clock.at(0), 0, kLeftKey, 100).note_off(clock.at(100), 0, kLeftKey);
  const Rendered out = render(two_sided_bank(), song);
  const std::int64_t note_off = audible_frame(100);
  const std::int64_t released = release_start(out.left, audible_frame(50));
  EXPECT_GE(released, note_off);
  EXPECT_LE(released, note_off + 2);
}

TEST(Sostenuto, HoldsOnlyNotesSoundingWhenItWentDown) {
  // Left note before the pedal, right note after it; both note-offs at 150 ms, pedal up at 400.
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .note_on(clock.at(0), 0, kLeftKey, 100)
      .control_change(clock.at(50), 0, 66, 127)
      .note_on(clock.at(100), 0, kRightKey, 100)
      .note_off(clock.at(150), 0, kLeftKey)
      .note_off(clock.at(150), 0, kRightKey)
      .control_change(clock.at(400), 0, 66, 0);
  const Rendered out = render(two_sided_bank(), song);
  const std::int64_t left_release = release_start(out.left, audible_frame(50));
  const std::int64_t right_release = release_start(out.right, audible_frame(120));
  EXPECT_GE(left_release, audible_frame(400));
  EXPECT_LE(left_release, audible_frame(400) + 2) << "held by sostenuto until the pedal went up";
  EXPECT_GE(right_release, audible_frame(150));
  EXPECT_LE(right_release, audible_frame(150) + 2) << "started after the pedal: released at its note-off";
}

TEST(Sostenuto, ReleasesItsNotesEvenWhileSustainIsDown) {
  // Sostenuto captures the left note; sustain goes down later and catches the right note.
  // Sostenuto up releases the left note at once; the right note waits for the sustain pedal.
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .note_on(clock.at(0), 0, kLeftKey, 100)
      .control_change(clock.at(50), 0, 66, 127)
      .control_change(clock.at(60), 0, 64, 127)
      .note_on(clock.at(100), 0, kRightKey, 100)
      .note_off(clock.at(150), 0, kLeftKey)
      .note_off(clock.at(150), 0, kRightKey)
      .control_change(clock.at(300), 0, 66, 0)
      .control_change(clock.at(500), 0, 64, 0);
  const Rendered out = render(two_sided_bank(), song);
  const std::int64_t left_release = release_start(out.left, audible_frame(50));
  const std::int64_t right_release = release_start(out.right, audible_frame(120));
  EXPECT_GE(left_release, audible_frame(300));
  EXPECT_LE(left_release, audible_frame(300) + 2);
  EXPECT_GE(right_release, audible_frame(500));
  EXPECT_LE(right_release, audible_frame(500) + 2);
}

}  // namespace
}  // namespace tutti::test
