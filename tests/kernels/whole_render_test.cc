// Whole songs through every backend: a generated bank and song (vibrato, pitch bends, swept
// resonant filters, exclusive-class drums, 16- and 24-bit samples, every interpolation) rendered
// by the engine with each kernel set. Portable arithmetic must reproduce the scalar render bit
// for bit on every backend and every Highway target; the fastest arithmetic must stay within
// the FluidSynth parity bounds of the scalar render (|level| <= 0.5 dB, log-mel <= 1 dB, as
// tests/parity demands of tutti against FluidSynth) and, much tighter, null it to 90 dB.
// A backend must also give the same bits run after run. Every Highway target and xsimd set
// this CPU runs is rendered with portable arithmetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/midi/smf_reader.h"
#include "engine/render/song_renderer.h"
#include "hwy/targets.h"
#include "kernels/hwy_backend.h"
#include "kernels/kernel_set.h"
#include "kernels/xsimd_backend.h"
#include "tests/engine/render/render_fixture.h"
#include "tools/analysis/compare.h"

namespace tutti::kernels {
namespace {

using tutti::test::Clock;
using tutti::test::kMillisecondTicks;
using tutti::test::MidiBuilder;
using tutti::test::MidiTrack;
using tutti::test::Sf2Builder;

Sf2Builder busy_bank(bool bits24) {
  using tutti::test::Generator;
  Sf2Builder builder;
  auto options = [bits24](std::size_t points) {
    tutti::test::SampleOptions o = tutti::test::looped(60, points);
    o.bits24 = bits24;
    return o;
  };
  const int sine = builder.add_sample(tutti::test::sine_points(20, 0.6f), options(2000));
  const int noise = builder.add_sample(tutti::test::noise_points(4096, 7), options(4096));
  const int lead = builder.add_instrument(
      "lead", {tutti::test::zone(sine)
                   .gen(Generator::sampleModes, 1)
                   .gen(Generator::vibLfoToPitch, 40)
                   .gen(Generator::modEnvToPitch, 300)
                   .gen(Generator::modEnvToFilterFc, 3000)
                   .gen(Generator::decayModEnv, -1200)
                   .gen(Generator::initialFilterFc, 7000)
                   .gen(Generator::initialFilterQ, 120)
                   .gen(Generator::releaseVolEnv, -1200)});
  const int pad = builder.add_instrument(
      "pad", {tutti::test::zone(noise)
                  .gen(Generator::sampleModes, 1)
                  .gen(Generator::modLfoToVolume, 60)
                  .gen(Generator::modLfoToFilterFc, 2400)
                  .gen(Generator::freqModLFO, -500)
                  .gen(Generator::initialFilterFc, 6000)
                  .gen(Generator::initialFilterQ, 60)
                  .gen(Generator::releaseVolEnv, -600)});
  const int kit = builder.add_instrument(
      "kit", {tutti::test::zone(noise).key_range(36, 41).gen(Generator::sampleModes, 0).gen(Generator::exclusiveClass, 1),
              tutti::test::zone(sine).key_range(42, 50).gen(Generator::sampleModes, 1).gen(Generator::exclusiveClass, 1)});
  builder.add_preset("lead", 0, 0, {tutti::test::preset_zone(lead)});
  builder.add_preset("pad", 0, 1, {tutti::test::preset_zone(pad)});
  builder.add_preset("kit", 128, 0, {tutti::test::preset_zone(kit)});
  return builder;
}

MidiBuilder busy_song() {
  MidiBuilder song(kMillisecondTicks);
  Clock lead_clock;
  MidiTrack& lead = song.track();
  lead.control_change(lead_clock.at(0), 0, 10, 20);
  for (int i = 0; i < 24; ++i) {
    const auto at = static_cast<std::uint32_t>(i * 60);
    const int key = 40 + (i * 7) % 40;
    lead.note_on(lead_clock.at(at), 0, key, 50 + i * 3)
        .pitch_bend(lead_clock.at(at + 20), 0, 8192 + (i % 5 - 2) * 1500)
        .note_off(lead_clock.at(at + 55), 0, key);
  }
  Clock pad_clock;
  MidiTrack& pad = song.track();
  pad.program_change(pad_clock.at(0), 1, 1).control_change(0, 1, 10, 100).note_on(pad_clock.at(50), 1, 48, 90).note_on(0, 1, 67, 70);
  for (int i = 0; i < 12; ++i) pad.control_change(pad_clock.at(static_cast<std::uint32_t>(100 + i * 100)), 1, 74, 10 + i * 9);
  pad.note_off(pad_clock.at(1400), 1, 48).note_off(0, 1, 67);
  Clock drum_clock;
  MidiTrack& drums = song.track();
  for (int i = 0; i < 20; ++i) {
    const auto at = static_cast<std::uint32_t>(i * 70);
    const int key = i % 3 ? 38 : 44;
    drums.note_on(drum_clock.at(at), 9, key, 100).note_off(drum_clock.at(at + 30), 9, key);
  }
  return song;
}

struct Render {
  std::vector<float> left, right;
  std::uint64_t voice_blocks = 0, coarse_voice_blocks = 0;
  bool same_bits(const Render& other) const {
    return left.size() == other.left.size() && right.size() == other.right.size() &&
           std::memcmp(left.data(), other.left.data(), left.size() * sizeof(float)) == 0 &&
           std::memcmp(right.data(), other.right.data(), right.size() * sizeof(float)) == 0;
  }
  analysis::AudioBuffer audio() const {
    analysis::AudioBuffer buffer{44100, 2, {}};
    for (std::size_t i = 0; i < left.size(); ++i) {
      buffer.interleaved.push_back(left[i]);
      buffer.interleaved.push_back(right[i]);
    }
    return buffer;
  }
};

class WholeRender : public testing::Test {
 protected:
  struct Setting {
    bool bits24;
    Interpolation interpolation;
    // An audibility floor with coarse voices (Voice::coarse): cubic renders whose quiet voices
    // interpolate linearly, lane by lane among cubic ones (OscillatorLanes::linear_lanes).
    bool coarse;
    std::string name() const {
      return std::string(bits24 ? "24-bit " : "16-bit ") +
             (interpolation == Interpolation::none ? "none" : interpolation == Interpolation::linear ? "linear" : "cubic") +
             (coarse ? " coarse" : "");
    }
  };
  static constexpr Setting kSettings[] = {{false, Interpolation::cubic, false}, {true, Interpolation::cubic, false},
                                          {false, Interpolation::linear, false}, {true, Interpolation::none, false},
                                          {false, Interpolation::cubic, true},   {true, Interpolation::cubic, true}};

  static void SetUpTestSuite() {
    const std::vector<std::uint8_t> bytes = busy_song().bytes();
    auto parsed = engine::midi::parse_smf(bytes, "busy.mid");
    ASSERT_TRUE(parsed) << parsed.error().message();
    song_ = new engine::midi::Song(std::move(*parsed));
    for (bool bits24 : {false, true}) banks_[bits24] = tutti::test::prepare_bank(busy_bank(bits24));
  }
  static void TearDownTestSuite() {
    delete song_;
    song_ = nullptr;
    banks_[0].reset();
    banks_[1].reset();
  }

  static Render render(const KernelSet& kernels, const Setting& setting) {
    Render out;
    const auto& bank = banks_[setting.bits24];
    if (bank == nullptr || song_ == nullptr) {
      ADD_FAILURE() << "fixture bank or song missing";
      return out;
    }
    engine::render::RenderOptions options = tutti::test::default_options();
    options.synth.interpolation = setting.interpolation;
    if (setting.coarse) {
      options.synth.audibility_floor = kCoarseFloor;
      options.synth.coarse_interpolation = true;
    }
    engine::render::SongRenderer renderer(*bank, options, kernels);
    auto result = renderer.render(*song_, [&out](const float* left, const float* right, std::size_t frames) -> Expected<void> {
      out.left.insert(out.left.end(), left, left + frames);
      out.right.insert(out.right.end(), right, right + frames);
      return {};
    });
    EXPECT_TRUE(result) << kernels.name << ": " << (result ? "" : result.error().message());
    if (result) {
      out.voice_blocks = result->statistics.voice_blocks;
      out.coarse_voice_blocks = result->statistics.coarse_voice_blocks;
    }
    return out;
  }

  static const Render& scalar_render(const Setting& setting) {
    static std::map<std::string, Render> renders;
    auto [at, inserted] = renders.try_emplace(setting.name());
    if (inserted) at->second = render(*kernel_set(Backend::scalar), setting);
    return at->second;
  }

  // High enough (-70 dBFS) that many of the song's voice blocks go coarse.
  static constexpr double kCoarseFloor = 3e-4;

  static engine::midi::Song* song_;
  static std::shared_ptr<const engine::synth::PreparedBank> banks_[2];
};

engine::midi::Song* WholeRender::song_ = nullptr;
std::shared_ptr<const engine::synth::PreparedBank> WholeRender::banks_[2];

TEST_F(WholeRender, CoarseSettingsHaveCoarseAndCubicVoiceBlocks) {
  for (const Setting& setting : kSettings) {
    if (!setting.coarse) continue;
    const Render& reference = scalar_render(setting);
    EXPECT_GT(reference.coarse_voice_blocks, reference.voice_blocks / 10) << setting.name();
    EXPECT_LT(reference.coarse_voice_blocks, reference.voice_blocks * 9 / 10) << setting.name();
  }
}

TEST_F(WholeRender, ScalarRenderIsAudible) {
  // Guards the comparisons below against a silent fixture.
  for (const Setting& setting : kSettings) {
    const Render& reference = scalar_render(setting);
    ASSERT_GT(reference.left.size(), 44100u) << setting.name();
    float peak = 0.0f;
    for (float v : reference.left) peak = std::max(peak, std::fabs(v));
    EXPECT_GT(peak, 0.05f) << setting.name();
  }
}

TEST_F(WholeRender, FastestArithmeticStaysWithinParityBoundsOfScalar) {
  for (Backend backend : {Backend::hwy, Backend::xsimd}) {
    const KernelSet* kernels = kernel_set(backend, Arithmetic::fastest);
    ASSERT_NE(kernels, nullptr);
    for (const Setting& setting : kSettings) {
      const Render candidate = render(*kernels, setting);
      auto report = analysis::compare_audio(scalar_render(setting).audio(), candidate.audio());
      ASSERT_TRUE(report) << report.error().message();
      const std::string what = kernels->name + " " + setting.name() + ": " + analysis::format_report_line(*report);
      std::printf("%s\n", what.c_str());  // the measured distances, for the log
      EXPECT_EQ(report->lag_frames, 0) << what;
      EXPECT_LE(std::abs(report->level_db), 0.5) << what;
      EXPECT_LE(report->logmel_db, 1.0) << what;
      EXPECT_GE(report->null_snr_db, 90.0) << what;
    }
  }
}

TEST_F(WholeRender, SameBackendGivesSameBitsEveryRun) {
  for (Backend backend : {Backend::hwy, Backend::xsimd}) {
    const KernelSet* kernels = kernel_set(backend, Arithmetic::fastest);
    ASSERT_NE(kernels, nullptr);
    const Setting setting = kSettings[0];
    EXPECT_TRUE(render(*kernels, setting).same_bits(render(*kernels, setting))) << kernels->name;
  }
}

TEST_F(WholeRender, PortableArithmeticIsBitIdenticalOnEveryBackend) {
  for (Backend backend : {Backend::scalar, Backend::hwy, Backend::xsimd}) {
    const KernelSet* kernels = kernel_set(backend, Arithmetic::portable);
    ASSERT_NE(kernels, nullptr);
    EXPECT_TRUE(kernels->portable) << kernels->name;
    for (const Setting& setting : kSettings) {
      EXPECT_TRUE(render(*kernels, setting).same_bits(scalar_render(setting))) << kernels->name << " " << setting.name();
    }
  }
}

TEST_F(WholeRender, PortableArithmeticIsBitIdenticalOnEveryHighwayTarget) {
  // Each target this CPU runs, chosen in turn as Highway's tests do; the kernel set is built
  // from that target's functions (the cached kernel_set() keeps the best one).
  const std::vector<std::int64_t> targets = hwy::SupportedAndGeneratedTargets();
  ASSERT_FALSE(targets.empty());
  for (std::int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    const std::string name = detail::hwy_choose_target();
    EXPECT_EQ(name, hwy::TargetName(target));
    const KernelSet kernels{"hwy:" + name + ":portable",
                            true,
                            detail::hwy_render_oscillator_lanes(Arithmetic::portable),
                            detail::hwy_apply_biquad_lanes(Arithmetic::portable),
                            detail::hwy_pan_mix(Arithmetic::portable),
                            detail::hwy_pan_mix_lanes(Arithmetic::portable),
                            detail::hwy_accumulate(),
                            detail::hwy_to_pcm16(),
                            detail::hwy_to_pcm24()};
    for (const Setting& setting : kSettings) {
      EXPECT_TRUE(render(kernels, setting).same_bits(scalar_render(setting))) << kernels.name << " " << setting.name();
    }
  }
  hwy::SetSupportedTargetsForTest(0);
  detail::hwy_choose_target();
}

TEST_F(WholeRender, PortableArithmeticIsBitIdenticalOnEveryXsimdSet) {
  for (const detail::XsimdArch& arch : detail::xsimd_compiled_archs()) {
    if (arch.kernels == nullptr) continue;  // not on this CPU
    const detail::XsimdKernels& set = *arch.kernels;
    const KernelSet kernels{std::string("xsimd:") + set.arch + ":portable",
                            true,
                            set.oscillator_portable,
                            set.biquad_portable,
                            set.pan_mix_portable,
                            set.pan_mix_lanes_portable,
                            set.accumulate,
                            set.to_pcm16,
                            set.to_pcm24};
    for (const Setting& setting : kSettings) {
      EXPECT_TRUE(render(kernels, setting).same_bits(scalar_render(setting))) << kernels.name << " " << setting.name();
    }
  }
}

TEST(KernelSet, BackendNamesAndChoices) {
  Backend backend{};
  EXPECT_TRUE(parse_backend("auto", backend));
  EXPECT_EQ(backend, Backend::automatic);
  EXPECT_TRUE(parse_backend("xsimd", backend));
  EXPECT_EQ(backend, Backend::xsimd);
  EXPECT_FALSE(parse_backend("avx2", backend));
  // `auto` is the production backend, Highway at this CPU's best target.
  EXPECT_EQ(kernel_set(Backend::automatic), kernel_set(Backend::hwy));
  EXPECT_EQ(kernel_set(Backend::hwy)->name, "hwy:" + detail::hwy_choose_target());
  EXPECT_EQ(kernel_set(Backend::scalar)->name, "scalar");
  EXPECT_TRUE(kernel_set(Backend::scalar)->portable);
  const std::vector<std::string> compiled = compiled_backends();
  ASSERT_FALSE(compiled.empty());
  EXPECT_EQ(compiled.front(), "scalar");
  auto listed = [&](const std::string& prefix) {
    return std::any_of(compiled.begin(), compiled.end(), [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
  };
  EXPECT_TRUE(listed("hwy:" + detail::hwy_choose_target()));
#if defined(__x86_64__) || defined(_M_X64)
  EXPECT_TRUE(listed("xsimd:fma3+avx2"));
  EXPECT_TRUE(listed("xsimd:sse4.2"));
#endif
}

}  // namespace
}  // namespace tutti::kernels
