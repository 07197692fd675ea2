#pragma once
// Steady output levels of one held note of the constant (DC) sample: the product of the gain
// chain (attenuation generators and modulators, pan, balance, synth gain) read directly from
// the output, left and right.
#include <functional>

#include "tests/engine/render/render_fixture.h"
#include "tests/engine/render/signal_probes.h"

namespace tutti::test {

struct StereoLevel {
  double left = 0.0, right = 0.0;
};

// The note is played from 0 to 300 ms; the level is the mean over 100 to 290 ms. `before_note`
// writes controller messages at tick 0, ahead of the note-on.
inline StereoLevel steady_level(const Sf2Builder& bank, int velocity = 127,
                                const std::function<void(MidiTrack&)>& before_note = {}) {
  MidiBuilder song(kMillisecondTicks);
  MidiTrack& track = song.track();
  if (before_note) before_note(track);
  Clock clock;
  track.note_on(clock.at(0), 0, 60, velocity).note_off(clock.at(300), 0, 60);
  const Rendered out = render(bank, song);
  const std::int64_t first = audible_frame(100);
  const std::int64_t count = audible_frame(290) - first;
  return {mean_magnitude(out.left_span(first, count)), mean_magnitude(out.right_span(first, count))};
}

inline Sf2Builder dc_bank(const ZoneEdit& instrument = {}, const ZoneEdit& preset = {}) {
  return single_zone_bank(dc_points(), looped(60, 2000), instrument, preset);
}

}  // namespace tutti::test
