#include "tests/fuzz/fuzz_check.h"

#include <cmath>
#include <string>

namespace tutti::fuzz {

using engine::midi::Event;
using engine::midi::EventType;

void check_song(const engine::midi::Song& song, const engine::midi::SmfLimits& limits) {
  TUTTI_FUZZ_CHECK(song.events.size() <= limits.max_events, song.events.size(), limits.max_events);
  TUTTI_FUZZ_CHECK(std::isfinite(song.duration_seconds), 0, 0);
  TUTTI_FUZZ_CHECK(song.duration_seconds <= limits.max_duration_seconds, song.duration_seconds, 0);
  TUTTI_FUZZ_CHECK(song.ticks_per_quarter > 0 || song.smpte_ticks_per_frame > 0, song.ticks_per_quarter,
                   song.smpte_ticks_per_frame);
  for (std::size_t i = 0; i < song.events.size(); ++i) {
    const Event& e = song.events[i];
    TUTTI_FUZZ_CHECK(e.channel < 16 && e.data1 < 128 && e.data2 < 128 && e.bend < 16384, i, e.channel);
    TUTTI_FUZZ_CHECK(e.track < song.track_count, e.track, song.track_count);
    TUTTI_FUZZ_CHECK(e.tick >= 0, e.tick, i);
    TUTTI_FUZZ_CHECK(std::isfinite(e.seconds) && e.seconds >= 0.0, i, 0);
    TUTTI_FUZZ_CHECK(e.seconds <= song.duration_seconds, i, 0);
    if (e.type == EventType::SysEx) TUTTI_FUZZ_CHECK(e.sysex_index < song.sysex.size(), e.sysex_index, song.sysex.size());
    if (i > 0) {
      const Event& previous = song.events[i - 1];
      TUTTI_FUZZ_CHECK(previous.tick < e.tick || (previous.tick == e.tick && previous.track <= e.track), i, e.tick);
      TUTTI_FUZZ_CHECK(previous.seconds <= e.seconds, i, 0);
    }
  }
  for (std::size_t i = 1; i < song.tempo_map.size(); ++i) {
    TUTTI_FUZZ_CHECK(song.tempo_map[i - 1].tick < song.tempo_map[i].tick, i, song.tempo_map[i].tick);
    TUTTI_FUZZ_CHECK(song.tempo_map[i - 1].seconds <= song.tempo_map[i].seconds, i, 0);
    TUTTI_FUZZ_CHECK(song.tempo_map[i].microseconds_per_quarter > 0, i, 0);
  }
}

void check_error(const Error& error, const std::string& name, std::size_t input_size) {
  const std::string message = error.message();
  TUTTI_FUZZ_CHECK(error.file == name, 0, 0);
  TUTTI_FUZZ_CHECK(!error.what.empty(), 0, 0);
  TUTTI_FUZZ_CHECK(message.find('\n') == std::string::npos && message.find('\r') == std::string::npos,
                   message.size(), 0);
  TUTTI_FUZZ_CHECK(message.size() < 1000, message.size(), 0);
  TUTTI_FUZZ_CHECK(error.offset <= static_cast<std::int64_t>(input_size), error.offset, input_size);
}

void check_bank(const engine::synth::PreparedBank& prepared) {
  const engine::sf2::Bank& bank = prepared.bank();
  const std::uint64_t points = bank.sample_data().size();
  TUTTI_FUZZ_CHECK(bank.sample_data_24().empty() || bank.sample_data_24().size() == points,
                   bank.sample_data_24().size(), points);
  for (std::uint32_t i = 0; i < bank.samples().size(); ++i) {
    const engine::synth::PreparedSample& sample = prepared.sample(i);
    if (!sample.playable) continue;
    const auto& region = sample.region;
    TUTTI_FUZZ_CHECK(region.start <= region.end, region.start, region.end);
    TUTTI_FUZZ_CHECK(std::uint64_t{region.end} + 3 <= points, region.end, points);
    // The loop may still be reversed here: as in FluidSynth, a loop start past the sample end
    // (inside smpl) stays while a loop end past smpl moves to the sample end, and the voice
    // orders and clamps the loop before playing (fuzz finding sf2-1). Each point must be readable.
    TUTTI_FUZZ_CHECK(std::uint64_t{region.loop_start} <= points, region.loop_start, points);
    TUTTI_FUZZ_CHECK(std::uint64_t{region.loop_end} + 2 <= points, region.loop_end, points);
    TUTTI_FUZZ_CHECK(region.loop_start >= region.start, region.loop_start, region.start);
    TUTTI_FUZZ_CHECK(sample.sample_rate > 0, i, 0);
    TUTTI_FUZZ_CHECK(std::isfinite(sample.loop_peak()), i, 0);
  }
  for (const engine::synth::PreparedPreset& preset : prepared.presets()) {
    // The lookup finds a preset with exactly these numbers (the first of them in the file).
    const engine::synth::PreparedPreset* found = prepared.find(preset.preset->bank, preset.preset->program);
    TUTTI_FUZZ_CHECK(found != nullptr && found->preset->bank == preset.preset->bank &&
                         found->preset->program == preset.preset->program,
                     preset.preset->bank, preset.preset->program);
    for (const auto& zone : preset.zones()) {
      for (const auto& voice_zone : zone.voice_zones) {
        TUTTI_FUZZ_CHECK(voice_zone.sample < bank.samples().size(), voice_zone.sample, bank.samples().size());
        TUTTI_FUZZ_CHECK(prepared.sample(voice_zone.sample).playable, voice_zone.sample, 0);
      }
    }
  }
}

}  // namespace tutti::fuzz

namespace tutti::fuzz {

void render_checked(const engine::synth::PreparedBank& bank, const engine::midi::Song& song,
                    const engine::render::RenderOptions& options, const kernels::KernelSet& kernels) {
  std::int64_t frames = 0;
  const engine::render::AudioSink sink = [&frames](const float* left, const float* right,
                                                   std::size_t count) -> Expected<void> {
    for (std::size_t i = 0; i < count; ++i) {
      TUTTI_FUZZ_CHECK(std::isfinite(left[i]) && std::isfinite(right[i]), frames + static_cast<std::int64_t>(i), 0);
    }
    frames += static_cast<std::int64_t>(count);
    return {};
  };
  engine::render::SongRenderer renderer(bank, options, kernels);
  auto result = renderer.render(song, sink);
  TUTTI_FUZZ_CHECK(result.has_value(), 0, 0);
  TUTTI_FUZZ_CHECK(result->frames == frames, result->frames, frames);
  TUTTI_FUZZ_CHECK(std::isfinite(result->peak), 0, 0);
  // The song, then at most the tail limit, plus a window of slack for the block structure.
  const double rate = options.synth.sample_rate;
  const double limit = (song.duration_seconds + options.max_tail_seconds + 1.0) * rate +
                       static_cast<double>(options.window_blocks) * kernels::kBlockFrames;
  TUTTI_FUZZ_CHECK(static_cast<double>(frames) <= limit, frames, static_cast<std::int64_t>(limit));
}

}  // namespace tutti::fuzz
