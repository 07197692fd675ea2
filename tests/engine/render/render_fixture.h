#pragma once
// Renders tiny songs through tiny banks in memory, as the engine's behaviour tests need them:
// a bank built with Sf2Builder, a song built with MidiBuilder, the whole render path
// (parse_smf, PreparedBank, SongRenderer over the scalar kernels) and the output kept as planar
// stereo floats. Failures to load or render are reported as test failures, and the result is
// then empty, so a test's measurements fail visibly instead of crashing.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/render/song_renderer.h"
#include "engine/synth/prepared_bank.h"
#include "tests/support/midi_builder.h"
#include "tests/support/sf2_builder.h"

namespace tutti::test {

inline constexpr double kRate = 44100.0;
inline constexpr std::int64_t kBlock = 64;

// Songs whose ticks are milliseconds: 500 ticks per quarter at the default 500000 us per
// quarter. FluidSynth's single-precision milliseconds-per-tick is then exactly 1.
inline constexpr int kMillisecondTicks = 500;

// ---- Banks --------------------------------------------------------------------------------------

// A looped sine of 100 points per cycle: 441 Hz at 44.1 kHz when played at its root key.
inline constexpr int kSinePeriod = 100;
inline constexpr double kSineHz = 441.0;
std::vector<float> sine_points(int cycles = 20, float amplitude = 0.5f);
// A constant: played looped, the output is the gain chain itself (envelope x attenuation x pan),
// readable frame by frame. The probe for levels and envelope times.
std::vector<float> dc_points(int count = 2000, float level = 0.5f);
// White noise from a fixed seed, in [-amplitude, amplitude].
std::vector<float> noise_points(int count, std::uint32_t seed, float amplitude = 0.5f);

// Sample options for a sample looped over all of its `points`.
SampleOptions looped(int root_key, std::size_t points, std::uint32_t rate = 44100);

using ZoneEdit = std::function<void(ZoneSpec&)>;
// Preset 0:0 -> one instrument -> one zone playing the sample, looped continuously
// (sampleModes 1) unless `instrument` sets another mode. `instrument` edits the instrument
// zone, `preset` the preset zone.
Sf2Builder single_zone_bank(const std::vector<float>& points, const SampleOptions& options,
                            const ZoneEdit& instrument = {}, const ZoneEdit& preset = {});

std::shared_ptr<const engine::sf2::Bank> load_test_bank(const Sf2Builder& builder);
std::shared_ptr<const engine::synth::PreparedBank> prepare_bank(const Sf2Builder& builder);

// ---- Songs --------------------------------------------------------------------------------------

// Turns absolute ticks into the delta times MidiTrack takes: track.note_on(clock.at(500), ...).
class Clock {
 public:
  std::uint32_t at(std::uint32_t tick);

 private:
  std::uint32_t now_ = 0;
};

// A one-track millisecond song with one note.
MidiBuilder single_note_song(int key, int velocity, std::uint32_t on_ms, std::uint32_t off_ms,
                             int channel = 0);

// ---- Rendering ----------------------------------------------------------------------------------

struct Rendered {
  std::vector<float> left, right;
  engine::render::RenderResult result;

  std::int64_t frames() const { return static_cast<std::int64_t>(left.size()); }
  // Frames [first, first + count) of one channel, clipped to the render.
  std::span<const float> left_span(std::int64_t first, std::int64_t count) const;
  std::span<const float> right_span(std::int64_t first, std::int64_t count) const;
  // (left + right) / 2.
  std::vector<float> mono() const;
};

engine::render::RenderOptions default_options();

Rendered render(const engine::synth::PreparedBank& bank, const MidiBuilder& song,
                const engine::render::RenderOptions& options = default_options());
Rendered render(const Sf2Builder& bank, const MidiBuilder& song,
                const engine::render::RenderOptions& options = default_options());

// ---- FluidSynth's player timing (FLUIDSYNTH_MODEL.md 1.3-1.6) ------------------------------------
// Written here from the model, independently of engine/render/event_schedule.cc, so the tests
// check the engine against the documented rule rather than against itself.

struct TempoPoint {
  std::int64_t tick = 0;
  std::uint32_t microseconds_per_quarter = 500000;
};

// The first frame at which an event at `tick` (on the song's tick timeline) can be heard: one
// block after the block whose player callback dispatches it.
std::int64_t audible_frame(std::int64_t tick, int ticks_per_quarter,
                           std::span<const TempoPoint> tempo_map, double rate = kRate);
// Constant tempo of 500000 us per quarter.
std::int64_t audible_frame(std::int64_t tick, int ticks_per_quarter = kMillisecondTicks);

}  // namespace tutti::test
