#include "tests/engine/render/render_fixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/midi/smf_reader.h"
#include "engine/sf2/bank.h"
#include "kernels/kernel_set.h"

namespace tutti::test {

std::vector<float> sine_points(int cycles, float amplitude) {
  return sine_loop(cycles, kSinePeriod, amplitude);
}

std::vector<float> dc_points(int count, float level) {
  return std::vector<float>(static_cast<std::size_t>(count), level);
}

std::vector<float> noise_points(int count, std::uint32_t seed, float amplitude) {
  // mt19937's output sequence is fixed by the standard, unlike the distributions built on it.
  std::mt19937 generator(seed);
  std::vector<float> points(static_cast<std::size_t>(count));
  for (float& point : points) {
    const double unit = static_cast<double>(generator()) / 4294967295.0;
    point = amplitude * static_cast<float>(2.0 * unit - 1.0);
  }
  return points;
}

SampleOptions looped(int root_key, std::size_t points, std::uint32_t rate) {
  SampleOptions options;
  options.root_key = root_key;
  options.loop_start = 0;
  options.loop_end = static_cast<std::uint32_t>(points);
  options.rate = rate;
  return options;
}

Sf2Builder single_zone_bank(const std::vector<float>& points, const SampleOptions& options,
                            const ZoneEdit& instrument, const ZoneEdit& preset) {
  Sf2Builder builder;
  const int sample = builder.add_sample(points, options);
  ZoneSpec instrument_zone = zone(sample);
  if (instrument) instrument(instrument_zone);
  const auto sets_mode = [](const ZoneSpec::Entry& e) { return e.oper == static_cast<std::uint16_t>(Generator::sampleModes); };
  if (std::none_of(instrument_zone.generators.begin(), instrument_zone.generators.end(), sets_mode)) {
    instrument_zone.gen(Generator::sampleModes, 1);
  }
  const int instrument_index = builder.add_instrument("instrument", {instrument_zone});
  ZoneSpec preset_zone_spec = preset_zone(instrument_index);
  if (preset) preset(preset_zone_spec);
  builder.add_preset("preset", 0, 0, {preset_zone_spec});
  return builder;
}

std::shared_ptr<const engine::sf2::Bank> load_test_bank(const Sf2Builder& builder) {
  auto bank = engine::sf2::load_bank_from_bytes(builder.bytes(), "test.sf2");
  if (!bank) {
    ADD_FAILURE() << "test bank does not load: " << bank.error().message();
    return nullptr;
  }
  return *bank;
}

std::shared_ptr<const engine::synth::PreparedBank> prepare_bank(const Sf2Builder& builder) {
  auto bank = load_test_bank(builder);
  if (!bank) return nullptr;
  return std::make_shared<const engine::synth::PreparedBank>(std::move(bank));
}

std::uint32_t Clock::at(std::uint32_t tick) {
  EXPECT_GE(tick, now_) << "song events must be written in time order";
  const std::uint32_t delta = tick - now_;
  now_ = tick;
  return delta;
}

MidiBuilder single_note_song(int key, int velocity, std::uint32_t on_ms, std::uint32_t off_ms,
                             int channel) {
  MidiBuilder song(kMillisecondTicks);
  Clock clock;
  song.track()
      .note_on(clock.at(on_ms), channel, key, velocity)
      .note_off(clock.at(off_ms), channel, key);
  return song;
}

namespace {
std::span<const float> clipped(const std::vector<float>& signal, std::int64_t first,
                               std::int64_t count) {
  const auto size = static_cast<std::int64_t>(signal.size());
  first = std::clamp<std::int64_t>(first, 0, size);
  count = std::clamp<std::int64_t>(count, 0, size - first);
  return std::span<const float>(signal).subspan(static_cast<std::size_t>(first),
                                                static_cast<std::size_t>(count));
}
}  // namespace

std::span<const float> Rendered::left_span(std::int64_t first, std::int64_t count) const {
  return clipped(left, first, count);
}

std::span<const float> Rendered::right_span(std::int64_t first, std::int64_t count) const {
  return clipped(right, first, count);
}

std::vector<float> Rendered::mono() const {
  std::vector<float> mix(left.size());
  for (std::size_t i = 0; i < mix.size(); ++i) mix[i] = 0.5f * (left[i] + right[i]);
  return mix;
}

engine::render::RenderOptions default_options() {
  engine::render::RenderOptions options;
  // A test song that has not ended after this long has a bug; fail fast instead of rendering
  // the default two minutes of tail.
  options.max_tail_seconds = 10.0;
  return options;
}

Rendered render(const engine::synth::PreparedBank& bank, const MidiBuilder& song,
                const engine::render::RenderOptions& options) {
  Rendered out;
  const std::vector<std::uint8_t> bytes = song.bytes();
  auto parsed = engine::midi::parse_smf(bytes, "test.mid");
  if (!parsed) {
    ADD_FAILURE() << "test song does not parse: " << parsed.error().message();
    return out;
  }
  const kernels::KernelSet* kernels = kernels::kernel_set(kernels::Backend::scalar);
  engine::render::SongRenderer renderer(bank, options, *kernels);
  auto result = renderer.render(*parsed, [&out](const float* left, const float* right, std::size_t frames) -> Expected<void> {
    out.left.insert(out.left.end(), left, left + frames);
    out.right.insert(out.right.end(), right, right + frames);
    return {};
  });
  if (!result) {
    ADD_FAILURE() << "render failed: " << result.error().message();
    return out;
  }
  out.result = *result;
  EXPECT_FALSE(out.result.tail_cut) << "a voice outlived the song by more than max_tail_seconds";
  return out;
}

Rendered render(const Sf2Builder& bank, const MidiBuilder& song,
                const engine::render::RenderOptions& options) {
  const auto prepared = prepare_bank(bank);
  if (!prepared) return {};
  return render(*prepared, song, options);
}

std::int64_t audible_frame(std::int64_t tick, int ticks_per_quarter,
                           std::span<const TempoPoint> tempo_map, double rate) {
  // The player's clock: milliseconds per tick in single precision, re-anchored at the block's
  // (milliseconds, rounded tick) whenever a tempo event is dispatched.
  auto milliseconds_per_tick = [ticks_per_quarter](std::uint32_t tempo) {
    return static_cast<float>(tempo) / static_cast<float>(ticks_per_quarter) / 1000.0f;
  };
  float per_tick = milliseconds_per_tick(500000);
  std::int64_t anchor_ms = 0;
  std::int64_t anchor_tick = 0;
  std::size_t next_tempo = 0;
  for (std::int64_t block = 0;; ++block) {
    const auto ms = static_cast<std::int64_t>((1000.0 * static_cast<double>(block * kBlock)) / rate);
    const std::int64_t now = anchor_tick + static_cast<std::int64_t>(
        static_cast<double>(ms - anchor_ms) / static_cast<double>(per_tick) + 0.5);
    if (tick <= now) return kBlock * (block + 1);
    bool changed = false;
    while (next_tempo < tempo_map.size() && tempo_map[next_tempo].tick <= now) {
      per_tick = milliseconds_per_tick(tempo_map[next_tempo].microseconds_per_quarter);
      ++next_tempo;
      changed = true;
    }
    if (changed) {
      anchor_ms = ms;
      anchor_tick = now;
    }
  }
}

std::int64_t audible_frame(std::int64_t tick, int ticks_per_quarter) {
  return audible_frame(tick, ticks_per_quarter, std::span<const TempoPoint>{});
}

}  // namespace tutti::test
