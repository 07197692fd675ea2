// The render path on hostile input: notes that are never released, absurd generator values, pitch
// ratios at both extremes, extreme NRPN offsets, polyphony limits. Each case must end, produce
// finite audio of bounded length, and (under `make test-sanitize`) read nothing outside the
// sample data. Crashes found by the fuzz targets are rebuilt here from builders.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/midi/smf_reader.h"
#include "engine/render/song_renderer.h"
#include "engine/sf2/bank.h"
#include "engine/synth/prepared_bank.h"
#include "kernels/kernel_set.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/support/hostile_inputs.h"

namespace tutti::test {
namespace {

constexpr double kRate = 44100.0;

struct Outcome {
  std::vector<float> left, right;
  engine::render::RenderResult result;
  double seconds() const { return static_cast<double>(left.size()) / kRate; }
  // Largest magnitude over [from, to) seconds of either channel.
  float peak(double from, double to) const {
    float peak = 0.0f;
    const auto first = static_cast<std::size_t>(from * kRate);
    const auto last = std::min(left.size(), static_cast<std::size_t>(to * kRate));
    for (std::size_t i = first; i < last; ++i) peak = std::max({peak, std::fabs(left[i]), std::fabs(right[i])});
    return peak;
  }
};

std::shared_ptr<const engine::synth::PreparedBank> prepare(const Sf2Builder& builder) {
  auto bank = engine::sf2::load_bank_from_bytes(builder.bytes(), "hostile.sf2");
  if (!bank) {
    ADD_FAILURE() << bank.error().message();
    return nullptr;
  }
  auto prepared = std::make_shared<const engine::synth::PreparedBank>(*bank);
  fuzz::check_bank(*prepared);
  return prepared;
}

engine::render::RenderOptions test_options() {
  engine::render::RenderOptions options;
  options.max_tail_seconds = 10.0;
  return options;
}

Outcome render(const engine::synth::PreparedBank& bank, const MidiBuilder& song,
               engine::render::RenderOptions options = test_options(),
               kernels::Backend backend = kernels::Backend::scalar) {
  Outcome out;
  auto parsed = engine::midi::parse_smf(song.bytes(), "hostile.mid");
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message();
    return out;
  }
  const kernels::KernelSet* kernel_set = kernels::kernel_set(backend);
  if (kernel_set == nullptr) kernel_set = kernels::kernel_set(kernels::Backend::scalar);
  engine::render::SongRenderer renderer(bank, options, *kernel_set);
  auto result = renderer.render(*parsed, [&out](const float* l, const float* r, std::size_t n) -> Expected<void> {
    out.left.insert(out.left.end(), l, l + n);
    out.right.insert(out.right.end(), r, r + n);
    return {};
  });
  if (!result) {
    ADD_FAILURE() << result.error().message();
    return out;
  }
  out.result = *result;
  for (std::size_t i = 0; i < out.left.size(); ++i) {
    if (!std::isfinite(out.left[i]) || !std::isfinite(out.right[i])) {
      ADD_FAILURE() << "non-finite sample at frame " << i;
      break;
    }
  }
  return out;
}

// One looped sine zone; `edit` adds generators to the instrument zone.
Sf2Builder sine_bank(const std::function<void(ZoneSpec&)>& edit = {}, int sample_mode = 1) {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(8, 100), {.root_key = 60, .loop_start = 0, .loop_end = 800});
  ZoneSpec z = zone(s).gen(Generator::sampleModes, sample_mode).gen(Generator::releaseVolEnv, -1200);
  if (edit) edit(z);
  const int i = b.add_instrument("Sine", {z});
  b.add_preset("Sine", 0, 0, {preset_zone(i)});
  return b;
}

// 500 ticks per quarter at 120 bpm: a tick is a millisecond.
MidiBuilder one_note(int key, std::uint32_t on_ms, std::uint32_t off_ms) {
  MidiBuilder b(500);
  b.track().note_on(on_ms, 0, key, 100).note_off(off_ms - on_ms, 0, key);
  return b;
}

TEST(HostileRender, NotesNeverReleasedEndAtTheEndOfTheFilePlusTheirRelease) {
  // Two notes without note-offs on a looping sample; End-of-Track at 1 s. They sound until the
  // song ends, then release (-1200 timecents: 0.5 s for the whole 96 dB), and the render stops.
  const auto bank = prepare(sine_bank());
  ASSERT_TRUE(bank);
  MidiBuilder song(500);
  song.track().note_on(0, 0, 60, 100).note_on(100, 0, 64, 100).end_of_track(900);
  const Outcome out = render(*bank, song);
  EXPECT_FALSE(out.result.tail_cut);
  EXPECT_GT(out.peak(0.90, 0.99), 0.01f) << "the notes still sound just before the end";
  EXPECT_GT(out.seconds(), 1.0);
  EXPECT_LT(out.seconds(), 1.0 + 0.5 + 0.05) << "release is at most 0.5 s after the end of the file";
  EXPECT_LT(out.peak(out.seconds() - 0.01, out.seconds()), 1e-3f);
}

TEST(HostileRender, NotesNeverReleasedWithSustainPedalDownStillEnd) {
  const auto bank = prepare(sine_bank());
  ASSERT_TRUE(bank);
  MidiBuilder song(500);
  song.track().control_change(0, 0, 64, 127).control_change(0, 0, 66, 127).note_on(0, 0, 60, 100)
      .note_off(200, 0, 60).end_of_track(300);
  const Outcome out = render(*bank, song);
  EXPECT_FALSE(out.result.tail_cut);
  EXPECT_LT(out.seconds(), 0.5 + 0.5 + 0.05);
}

TEST(HostileRender, EndlessReleaseIsCutAtTheTailLimit) {
  // A broken bank: sampleModes 1 with the longest release (8000 timecents, 100 s). The renderer
  // ends it max_tail_seconds after the song and says so.
  const auto bank = prepare(sine_bank([](ZoneSpec& z) { z.gen(Generator::releaseVolEnv, 32767); }));
  ASSERT_TRUE(bank);
  auto options = test_options();
  options.max_tail_seconds = 1.0;
  const Outcome out = render(*bank, one_note(60, 0, 100), options);
  EXPECT_TRUE(out.result.tail_cut);
  EXPECT_LT(out.seconds(), 0.1 + 1.0 + 0.5);
}

// Fuzz finding sf2-1 (tutti_fuzz_sf2): a loop start past the sample end but inside smpl, with a
// loop end past smpl. The loader moves only the loop end (to the sample end), as FluidSynth
// does, so the header's loop is reversed; the prepared region must still be readable and the
// voice must order it, find it too short and play the sample once, not loop or read outside.
TEST(HostileRender, LoopStartPastTheSampleWithLoopEndPastSmplPlaysOnce) {
  Sf2Builder b;
  const int s = b.add_sample(sine_loop(40, 50), {.root_key = 60, .loop_start = 0, .loop_end = 2000});
  SampleRecord& record = b.sample_record(s);
  record.loop_start = record.end + 20;  // among the 46 zero points after the sample
  record.loop_end = 1'000'000;
  const int i = b.add_instrument("Once", {zone(s).gen(Generator::sampleModes, 1).gen(Generator::releaseVolEnv, -1200)});
  b.add_preset("Once", 0, 0, {preset_zone(i)});
  auto bank = engine::sf2::load_bank_from_bytes(b.bytes(), "hostile.sf2");
  ASSERT_TRUE(bank) << bank.error().message();
  const engine::sf2::SampleHeader& header = (*bank)->samples().at(0);
  EXPECT_EQ(header.loop_end, header.end) << "loop end moved to the sample end";
  EXPECT_GT(header.loop_start, header.loop_end) << "loop start kept, as FluidSynth keeps it";
  const engine::synth::PreparedBank prepared(*bank);
  fuzz::check_bank(prepared);
  // Held for a second: the 2000-point sample at its own rate lasts 45 ms when played once.
  const Outcome out = render(prepared, one_note(60, 0, 1000));
  EXPECT_GT(out.peak(0.0, 0.045), 0.01f);
  EXPECT_EQ(out.peak(0.1, 0.99), 0.0f) << "the reversed loop must not loop";
}

// Generators at the ends of their 16-bit range, alone and together: the voice model clamps or
// ignores them as FluidSynth does, and whatever it plays stays inside the sample.
TEST(HostileRender, AbsurdGeneratorValuesRenderFiniteAudioInsideTheSample) {
  const Generator generators[] = {
      Generator::startAddrsOffset,     Generator::endAddrsOffset,       Generator::startloopAddrsOffset,
      Generator::endloopAddrsOffset,   Generator::startAddrsCoarseOffset, Generator::endAddrsCoarseOffset,
      Generator::startloopAddrsCoarseOffset, Generator::endloopAddrsCoarseOffset,
      Generator::modLfoToPitch,        Generator::vibLfoToPitch,        Generator::modEnvToPitch,
      Generator::initialFilterFc,      Generator::initialFilterQ,       Generator::modLfoToFilterFc,
      Generator::modEnvToFilterFc,     Generator::modLfoToVolume,       Generator::pan,
      Generator::delayModLFO,          Generator::freqModLFO,           Generator::delayVibLFO,
      Generator::freqVibLFO,           Generator::delayModEnv,          Generator::attackModEnv,
      Generator::holdModEnv,           Generator::decayModEnv,          Generator::sustainModEnv,
      Generator::releaseModEnv,        Generator::keynumToModEnvHold,   Generator::keynumToModEnvDecay,
      Generator::delayVolEnv,          Generator::attackVolEnv,         Generator::holdVolEnv,
      Generator::decayVolEnv,          Generator::sustainVolEnv,        Generator::keynumToVolEnvHold,
      Generator::keynumToVolEnvDecay,  Generator::keynum,               Generator::velocity,
      Generator::initialAttenuation,   Generator::coarseTune,           Generator::fineTune,
      Generator::scaleTuning,          Generator::exclusiveClass,       Generator::overridingRootKey,
  };
  auto options = test_options();
  options.max_tail_seconds = 0.5;
  for (int mode : {0, 1, 3}) {
    for (int amount : {32767, -32768}) {
      for (Generator g : generators) {
        const auto bank = prepare(sine_bank([&](ZoneSpec& z) { z.gen(g, amount); }, mode));
        ASSERT_TRUE(bank);
        // Key 0 and key 127 reach the extremes of key scaling and pitch.
        MidiBuilder song(500);
        song.track().note_on(0, 0, 0, 1).note_on(0, 0, 127, 127).note_off(150, 0, 0).note_off(0, 0, 127);
        const Outcome out = render(*bank, song, options);
        ASSERT_FALSE(HasFailure()) << "generator " << static_cast<int>(g) << " = " << amount << ", mode " << mode;
        EXPECT_LT(out.seconds(), 0.15 + 0.5 + 0.5) << "generator " << static_cast<int>(g);
      }
    }
  }
}

TEST(HostileRender, AllGeneratorsAtTheirExtremesTogether) {
  for (int amount : {32767, -32768}) {
    for (kernels::Backend backend : {kernels::Backend::scalar, kernels::Backend::automatic}) {
      const auto bank = prepare(sine_bank([amount](ZoneSpec& z) {
        for (int g = 0; g < 61; ++g) {
          const auto generator = static_cast<Generator>(g);
          if (generator == Generator::sampleID || generator == Generator::instrument ||
              generator == Generator::keyRange || generator == Generator::velRange ||
              generator == Generator::sampleModes) {
            continue;
          }
          z.gen(generator, amount);
        }
      }));
      ASSERT_TRUE(bank);
      auto options = test_options();
      options.max_tail_seconds = 0.5;
      const Outcome out = render(*bank, one_note(60, 0, 100), options, backend);
      EXPECT_LT(out.seconds(), 2.0);
    }
  }
}

// The playback ratio's two extremes. Far down, the 32.32 phase increment rounds to zero: the
// voice must hold its position (FluidSynth's fixed-point phase does the same), not divide by
// zero. Far up it is capped at 2^20 so that a block of steps cannot overflow the phase.
TEST(HostileRender, PitchRatioBelowOnePhaseStepDoesNotStallOrDivideByZero) {
  for (int mode : {0, 1}) {
    for (int interpolation : {0, 1, 4}) {
      const auto bank = prepare(sine_bank([](ZoneSpec& z) { z.gen(Generator::coarseTune, -400); }, mode));
      ASSERT_TRUE(bank);
      auto options = test_options();
      options.synth.interpolation = static_cast<kernels::Interpolation>(interpolation);
      const Outcome out = render(*bank, one_note(0, 0, 200), options);
      EXPECT_LT(out.seconds(), 1.0);
    }
  }
}

TEST(HostileRender, PitchRatioAboveTheCapRendersInsideTheSample) {
  for (int mode : {0, 1}) {
    const auto bank = prepare(sine_bank([](ZoneSpec& z) {
      z.gen(Generator::coarseTune, 32767).gen(Generator::fineTune, 32767).gen(Generator::scaleTuning, 32767);
    }, mode));
    ASSERT_TRUE(bank);
    const Outcome out = render(*bank, one_note(127, 0, 200));
    EXPECT_LT(out.seconds(), 1.0);
  }
}

// SF2 NRPN (MSB 120) moves any generator by up to +-8192 units times its scale, on top of the
// zone: sample offsets past both ends, pitch far beyond the bank's, times at the limits.
TEST(HostileRender, ExtremeNrpnOffsetsOnEveryGenerator) {
  const auto bank = prepare(hostile_render_bank());
  ASSERT_TRUE(bank);
  auto options = test_options();
  options.max_tail_seconds = 0.5;
  for (int value : {0, 16383}) {
    MidiBuilder song(500);
    auto& t = song.track();
    for (int program : {0, 1, 2}) t.program_change(0, program, program);
    for (int g = 0; g < 61; ++g) {
      for (int channel : {0, 1, 2}) {
        t.control_change(0, channel, 99, 120).control_change(0, channel, 98, g);
        t.control_change(0, channel, 6, value >> 7).control_change(0, channel, 38, value & 127);
      }
    }
    for (int channel : {0, 1, 2, 9}) t.note_on(0, channel, 60, 100);
    t.note_on(50, 0, 0, 127).note_on(0, 1, 127, 127).end_of_track(100);
    const Outcome out = render(*bank, song, options);
    EXPECT_LT(out.seconds(), 0.15 + 0.5 + 0.5);
  }
}

TEST(HostileRender, PolyphonyOfOneStealsInsteadOfGrowing) {
  const auto bank = prepare(hostile_render_bank());
  ASSERT_TRUE(bank);
  MidiBuilder song(500);
  auto& t = song.track();
  for (int i = 0; i < 64; ++i) t.note_on(5, i % 3, 30 + i, 100);
  t.end_of_track(100);
  auto options = test_options();
  options.synth.polyphony = 1;
  const Outcome out = render(*bank, song, options);
  EXPECT_LE(out.result.statistics.peak_voices, 1);
  EXPECT_GT(out.result.statistics.voices_stolen, 0u);
}

// The probe song and every seed song through the render bank, with every kernel backend and
// interpolation: the seeds the fuzzers start from must themselves be clean.
TEST(HostileRender, SeedSongsRenderCleanly) {
  const auto bank = prepare(hostile_render_bank());
  ASSERT_TRUE(bank);
  auto options = test_options();
  options.max_tail_seconds = 2.0;
  for (const NamedBytes& seed : seed_songs()) {
    auto parsed = engine::midi::parse_smf(seed.bytes, seed.name);
    ASSERT_TRUE(parsed) << parsed.error().message();
    for (kernels::Backend backend : {kernels::Backend::scalar, kernels::Backend::automatic}) {
      for (auto mode : {kernels::Interpolation::none, kernels::Interpolation::linear, kernels::Interpolation::cubic}) {
        options.synth.interpolation = mode;
        const kernels::KernelSet* kernel_set = kernels::kernel_set(backend);
        if (kernel_set == nullptr) continue;
        fuzz::render_checked(*bank, *parsed, options, *kernel_set);
      }
    }
  }
}

}  // namespace
}  // namespace tutti::test
