// Every preset of FluidR3_GM, one after another in a single MIDI file: a one-second note at
// velocity 100 and its release for melodic presets, the kit's keys for drum kits. FluidSynth and
// tutti render the file; each preset's stretch must match in level and null out.
#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/parity/parity_support.h"
#include "tests/support/midi_builder.h"
#include "tools/analysis/compare.h"
#include "tools/analysis/levels.h"

namespace tutti::parity {
namespace {

constexpr int kTicksPerQuarter = 480;  // at 500000 us per quarter: 960 ticks per second
constexpr int kTicksPerSecond = 960;
constexpr int kDrumBank = 128;

struct Slot {
  std::string name;
  int bank = 0;
  int program = 0;
  std::int64_t first_tick = 0;
  std::int64_t end_tick = 0;
};

// Keys with at least one voice zone in the preset, at velocity 100.
std::bitset<128> playable_keys(const engine::synth::PreparedPreset& preset) {
  std::bitset<128> keys;
  for (const auto& zone : preset.zones()) {
    for (const auto& voice : zone.voice_zones) {
      for (int key = 0; key < 128; ++key) {
        if (zone.range.contains(key, 100) && voice.range.contains(key, 100)) keys.set(static_cast<std::size_t>(key));
      }
    }
  }
  return keys;
}

std::vector<Slot> write_sweep(const engine::synth::PreparedBank& bank, const std::string& path) {
  test::MidiBuilder builder(kTicksPerQuarter);
  auto& track = builder.track();
  track.tempo(0, 500000);
  std::vector<Slot> slots;
  std::int64_t now = 0;
  std::int64_t written = 0;  // tick of the last event written
  auto at = [&](std::int64_t tick) {
    const auto delta = static_cast<std::uint32_t>(tick - written);
    written = tick;
    return delta;
  };
  for (const auto& preset : bank.presets()) {
    const std::bitset<128> keys = playable_keys(preset);
    if (keys.none()) continue;
    Slot slot{preset.preset->name, preset.preset->bank, preset.preset->program, now, now};
    if (slot.bank == kDrumBank) {
      track.program_change(at(now), 9, slot.program);
      std::int64_t tick = now + kTicksPerSecond / 10;
      for (int key = 35; key <= 81; ++key) {
        if (!keys.test(static_cast<std::size_t>(key))) continue;
        track.note_on(at(tick), 9, key, 100);
        track.note_off(at(tick + kTicksPerSecond / 16), 9, key);
        tick += kTicksPerSecond / 8;
      }
      slot.end_tick = tick + 2 * kTicksPerSecond;
    } else {
      int key = 60;
      if (!keys.test(60)) {
        for (key = 0; key < 127 && !keys.test(static_cast<std::size_t>(key)); ++key) {
        }
      }
      track.control_change(at(now), 0, 0, slot.bank);
      track.program_change(at(now), 0, slot.program);
      track.note_on(at(now + kTicksPerSecond / 10), 0, key, 100);
      track.note_off(at(now + kTicksPerSecond / 10 + kTicksPerSecond), 0, key);
      slot.end_tick = now + kTicksPerSecond / 10 + kTicksPerSecond * 5 / 2;
    }
    now = slot.end_tick;
    slots.push_back(slot);
  }
  track.end_of_track(at(now));
  EXPECT_TRUE(builder.write(path));
  return slots;
}

analysis::AudioBuffer cut(const analysis::AudioBuffer& audio, std::int64_t first, std::int64_t end) {
  analysis::AudioBuffer part;
  part.sample_rate = audio.sample_rate;
  part.channels = audio.channels;
  first = std::min(first, audio.frames());
  end = std::min(end, audio.frames());
  part.interleaved.assign(audio.interleaved.begin() + first * audio.channels,
                          audio.interleaved.begin() + end * audio.channels);
  return part;
}

TEST(PresetSweep, EveryFluidR3PresetMatchesFluidSynth) {
  const auto& bank = reference_bank();
  const std::string midi = scratch_directory() + "/preset-sweep.mid";
  const auto slots = write_sweep(bank, midi);
  ASSERT_GT(slots.size(), 150u);
  auto reference = render_with_fluidsynth(midi, scratch_directory() + "/preset-sweep.fluidsynth.wav");
  ASSERT_TRUE(reference.has_value()) << reference.error().message();
  auto candidate = render_with_tutti(midi);
  ASSERT_TRUE(candidate.has_value()) << candidate.error().message();

  std::size_t passed = 0;
  std::vector<std::string> failures;
  std::vector<double> snrs, levels;
  for (const Slot& slot : slots) {
    // Tick to frame at 960 ticks per second; the comparison's lag search absorbs the rest.
    const auto first = slot.first_tick * 44100 / kTicksPerSecond;
    const auto end = slot.end_tick * 44100 / kTicksPerSecond;
    analysis::CompareOptions options;
    options.max_seconds.reset();
    auto report = analysis::compare_audio(cut(*reference, first, end), cut(*candidate, first, end), options);
    ASSERT_TRUE(report.has_value()) << report.error().message();
    snrs.push_back(report->null_snr_db);
    levels.push_back(std::abs(report->level_db));
    const bool ok = std::abs(report->level_db) <= 0.5 && report->null_snr_db >= 20.0;
    if (ok) {
      ++passed;
    } else {
      char line[256];
      std::snprintf(line, sizeof line, "%3d:%-3d %-22s level_db=%.2f null_snr_db=%.1f logmel_db=%.2f",
                    slot.bank, slot.program, slot.name.c_str(), report->level_db,
                    report->null_snr_db, report->logmel_db);
      failures.emplace_back(line);
    }
  }
  std::printf("preset sweep: %zu of %zu presets within level +-0.5 dB and null SNR >= 20 dB\n", passed,
              slots.size());
  for (const std::string& failure : failures) std::printf("  outside: %s\n", failure.c_str());
  std::sort(snrs.begin(), snrs.end());
  std::printf("null SNR: worst %.1f dB, median %.1f dB; worst |level| %.3f dB\n", snrs.front(),
              snrs[snrs.size() / 2], *std::max_element(levels.begin(), levels.end()));
  EXPECT_GE(static_cast<double>(passed), 0.9 * static_cast<double>(slots.size()));
}

}  // namespace
}  // namespace tutti::parity
