// Muted voices step lightly (Voice::step_unheard): their envelopes, LFOs, position and end as
// step() has them, without the gain table, the filter design and the control block. Proven
// against the exact path, a twin voice under no audibility floor that step() steps all along:
// the light voice ends in the same block with the same outcome in every block; once a
// controller wakes it, its controls are the exact path's (the gain to its last bits, the filter
// applied at once where the exact path ramps to it over the first block); and a scripted song
// scores, with muting, what it scores without, but for muted blocks and those first blocks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/synth/filter_gain_bound.h"
#include "engine/synth/synthesizer.h"
#include "engine/synth/voice.h"
#include "kernels/biquad_lane_setup.h"
#include "tests/engine/render/render_fixture.h"

namespace tutti::test {
namespace {

using engine::sf2::Generator;
using engine::sf2::index_of;
using engine::synth::BlockOutcome;
using engine::synth::ChannelState;
using engine::synth::Voice;
using engine::synth::VoiceBlockControl;
using engine::synth::VoiceEnvironment;

// Bit equality of floats, so that a sign of zero or a last bit counts too.
bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_coefficients(const kernels::BiquadCoefficients& p, const kernels::BiquadCoefficients& q) {
  return same_bits(p.b02, q.b02) && same_bits(p.b1, q.b1) && same_bits(p.a1, q.a1) && same_bits(p.a2, q.a2);
}

// Everything but the gain ramp and the filter: position, pitch, loop, pan, interpolation.
bool same_position_and_pan(const VoiceBlockControl& a, const VoiceBlockControl& b) {
  const auto& x = a.oscillator;
  const auto& y = b.oscillator;
  return x.phase == y.phase && x.increment == y.increment && x.frames == y.frames && x.looping == y.looping &&
         x.has_looped == y.has_looped && a.region == b.region && a.interpolation == b.interpolation &&
         same_bits(a.pan.left_from, b.pan.left_from) && same_bits(a.pan.left_to, b.pan.left_to) &&
         same_bits(a.pan.right_from, b.pan.right_from) && same_bits(a.pan.right_to, b.pan.right_to);
}

bool same_control(const VoiceBlockControl& a, const VoiceBlockControl& b) {
  return same_position_and_pan(a, b) && same_bits(a.oscillator.gain, b.oscillator.gain) &&
         same_bits(a.oscillator.gain_step, b.oscillator.gain_step) && kernels::same_filter(a.filter, b.filter);
}

// The gap between |x| and the next single-precision value.
float float_ulp(float x) {
  const float magnitude = std::fabs(x);
  return std::nextafter(magnitude, INFINITY) - magnitude;
}

// A woken voice ramps from its last block's target gain, which the exact path reaches to an
// ulp in double precision (see Voice::last_block_gain): in the single-precision control, the
// gain may differ by one step, and the step per frame by its own rounding plus that ulp spread
// over the block.
void expect_gain_within_rounding(const VoiceBlockControl& light, const VoiceBlockControl& exact,
                                 const std::string& where) {
  const auto& x = light.oscillator;
  const auto& y = exact.oscillator;
  EXPECT_LE(std::fabs(x.gain - y.gain), float_ulp(y.gain)) << where << ": gain " << x.gain << " vs " << y.gain;
  EXPECT_LE(std::fabs(x.gain_step - y.gain_step), float_ulp(y.gain_step) + float_ulp(y.gain) / kBlock)
      << where << ": gain step " << x.gain_step << " vs " << y.gain_step;
}

// One note played twice over by voices that differ only in their environment: `exact`, under
// no audibility floor, is never muted and step() steps every block (FluidSynth's path);
// `light`, under a floor, is stepped as Synthesizer::step_voice steps a voice: wakes_up()
// before each muted block, then step_unheard() if it stays muted, step() otherwise.
class TwinVoices {
 public:
  struct Setup {
    kernels::Interpolation interpolation = kernels::Interpolation::cubic;
    std::uint32_t min_note_frames = 441;
    double audibility_floor = 1e-3;
  };

  TwinVoices(const std::vector<float>& points, const SampleOptions& options, const Setup& setup)
      : bank_(prepare_bank(single_zone_bank(points, options))) {
    for (VoiceEnvironment* environment : {&exact_environment_, &light_environment_}) {
      environment->data = bank_->sample_data();
      environment->interpolation = setup.interpolation;
      environment->min_note_frames = setup.min_note_frames;
    }
    light_environment_.audibility_floor = setup.audibility_floor;
    light_environment_.filter_bounds = &engine::synth::FilterGainBounds::shared(light_environment_.output_rate);
    channel_.controllers[engine::synth::kVolume] = 127;
    channel_.controllers[engine::synth::kExpression] = 127;
    channel_.controllers[engine::synth::kPan] = 64;
  }
  TwinVoices(const TwinVoices&) = delete;  // the voices point at the environments and channel
  TwinVoices& operator=(const TwinVoices&) = delete;

  // Starts both voices on `key`; `generators` sets zone generators as (generator, value) pairs.
  void start(int key, int velocity, const std::vector<std::pair<Generator, double>>& generators) {
    for (auto [voice, environment] :
         {std::pair{&exact_, &exact_environment_}, std::pair{&light_, &light_environment_}}) {
      voice->begin(*environment, bank_->sample(0), 0, channel_, key, velocity, 1, 0, {});
      for (const auto& [generator, value] : generators) voice->set_generator(index_of(generator), value);
      voice->start();
    }
  }

  // Events, to both voices, as the synthesizer hands them over.
  void control_change(int controller, int value) {
    channel_.controllers[static_cast<std::size_t>(controller)] = static_cast<std::uint8_t>(value);
    exact_.modulate(true, controller);
    light_.modulate(true, controller);
  }
  void nrpn(Generator generator, double value) {
    exact_.set_nrpn_offset(index_of(generator), value);
    light_.set_nrpn_offset(index_of(generator), value);
  }
  void note_off() {
    exact_.note_off();
    light_.note_off();
  }

  struct Block {
    BlockOutcome exact = BlockOutcome::silent;
    BlockOutcome light = BlockOutcome::silent;
    VoiceBlockControl exact_control;
    VoiceBlockControl light_control;  // default when unheard
    bool unheard = false;             // the light voice took a light step
    bool woke = false;                // the light voice was muted and sounds again
  };
  Block step() {
    Block block;
    block.exact = exact_.step(block.exact_control);
    const bool was_muted = light_.muted();
    if (was_muted && !light_.wakes_up()) {
      block.unheard = true;
      block.light = light_.step_unheard();
    } else {
      block.woke = was_muted;
      block.light = light_.step(block.light_control);
    }
    return block;
  }

 private:
  std::shared_ptr<const engine::synth::PreparedBank> bank_;
  VoiceEnvironment exact_environment_;
  VoiceEnvironment light_environment_;
  ChannelState channel_;
  Voice exact_;
  Voice light_;
};

std::string outcome_name(BlockOutcome outcome) {
  switch (outcome) {
    case BlockOutcome::silent:
      return "silent";
    case BlockOutcome::sounding:
      return "sounding";
    case BlockOutcome::finished:
      return "finished";
  }
  return "?";
}

// What happens before a block: events, by block number.
using Script = std::map<int, std::function<void(TwinVoices&)>>;

struct Played {
  int unheard = 0;         // light steps taken
  int unheard_silent = 0;  // of those, silent ones
  int woken = 0;           // wake-ups
  bool finished = false;   // both voices finished, in the same block
};

// Plays the twins to their end. Every block, both voices have the same outcome; while the light
// voice has not been muted yet, the same controls bit for bit; once woken, the exact path's
// controls but for the gain's last bits and the first block's filter ramp.
Played play_twins(TwinVoices& twins, const Script& script, const std::string& name) {
  SCOPED_TRACE(name);
  Played played;
  bool since_wake_up = false;  // the light voice has been woken and sounds
  // The woken voice's first filter, to compare with where the exact path starts the next block.
  bool filter_from_next_exact = false;
  kernels::BiquadCoefficients woken_filter_start;
  for (int block = 0; block < 20000; ++block) {
    const auto event = script.find(block);
    if (event != script.end()) event->second(twins);
    const TwinVoices::Block b = twins.step();
    const std::string where = "block " + std::to_string(block);
    EXPECT_EQ(outcome_name(b.light), outcome_name(b.exact)) << where << (b.unheard ? " (unheard)" : "");
    if (b.unheard) {
      ++played.unheard;
      played.unheard_silent += b.light == BlockOutcome::silent ? 1 : 0;
      since_wake_up = false;
    } else if (b.woke) {
      ++played.woken;
      since_wake_up = true;
      // Everything but the gain's last bits and the filter, whose design starts afresh: the
      // coefficients the exact path ramps to over this block apply at once.
      EXPECT_TRUE(same_position_and_pan(b.light_control, b.exact_control)) << where;
      expect_gain_within_rounding(b.light_control, b.exact_control, where);
      const kernels::FilterBlock& filter = b.light_control.filter;
      EXPECT_EQ(filter.enabled, b.exact_control.filter.enabled) << where;
      EXPECT_EQ(filter.ramp_frames, 0) << where;
      EXPECT_FALSE(filter.compensate_history) << where;
      EXPECT_TRUE(same_coefficients(filter.step, {})) << where;
      woken_filter_start = filter.start;
      filter_from_next_exact = b.light != BlockOutcome::finished;
    } else if (since_wake_up) {
      EXPECT_TRUE(same_position_and_pan(b.light_control, b.exact_control)) << where;
      expect_gain_within_rounding(b.light_control, b.exact_control, where);
      EXPECT_TRUE(kernels::same_filter(b.light_control.filter, b.exact_control.filter)) << where;
      if (filter_from_next_exact) {
        // The exact path starts this block where it ramped to in the last one.
        EXPECT_TRUE(same_coefficients(woken_filter_start, b.exact_control.filter.start)) << where;
        filter_from_next_exact = false;
      }
    } else {
      EXPECT_TRUE(same_control(b.light_control, b.exact_control)) << where;
    }
    if (b.exact == BlockOutcome::finished || b.light == BlockOutcome::finished) {
      played.finished = b.exact == BlockOutcome::finished && b.light == BlockOutcome::finished;
      return played;
    }
  }
  ADD_FAILURE() << "the voices never finished";
  return played;
}

TEST(UnheardStep, MutedVoicesEndInTheBlockAndWithTheOutcomesOfTheExactStep) {
  struct Case {
    std::string name;
    std::vector<float> points;
    TwinVoices::Setup setup;
    int key;
    int velocity;
    std::vector<std::pair<Generator, double>> generators;
    Script script;
    int min_unheard;         // enough light steps for the case to mean something
    int min_unheard_silent;  // and silent ones, where the case is about them
  };
  // Channel volume 5, about -56 dB: muted from the first look (the 8th block).
  const auto quiet = [](TwinVoices& t) { t.control_change(engine::synth::kVolume, 5); };
  // Volume and expression 1, the most attenuation controllers give (144 dB): muted whatever
  // the tremolo.
  const auto quietest = [](TwinVoices& t) {
    t.control_change(engine::synth::kVolume, 1);
    t.control_change(engine::synth::kExpression, 1);
  };
  const auto release = [](TwinVoices& t) { t.note_off(); };
  std::vector<Case> cases;
  // A release under a tremolo deep enough to silence the blocks at its troughs: the light step
  // keeps the gain only as zero or not, which is what tells silent blocks.
  cases.push_back({"looped, tremolo to silence, release", sine_points(20, 0.8f), {}, 60, 100,
                   {{Generator::sampleModes, 1},
                    {Generator::releaseVolEnv, 1200},
                    {Generator::modLfoToVolume, 960},
                    {Generator::freqModLFO, 1200},
                    {Generator::modLfoToPitch, 40}},
                   {{0, quietest}, {30, release}},
                   300, 5});
  // Unlooped, off its root key with vibrato: muted in its sustain, it ends at the sample's end
  // in a partial block.
  cases.push_back({"unlooped with vibrato, ends at the sample's end", sine_points(200, 0.8f), {}, 67, 90,
                   {{Generator::sampleModes, 0}, {Generator::vibLfoToPitch, 50}, {Generator::freqVibLFO, 0}},
                   {{0, quiet}},
                   200, 0});
  // Loop until release, the note-off delayed past the muting by a long minimum note length;
  // the pitch follows a decaying modulation envelope: the release starts inside a light step,
  // which then runs to the sample's end.
  cases.push_back({"loop until release, delayed note-off, pitch envelope", sine_points(20, 0.8f),
                   {kernels::Interpolation::cubic, 64 * 40 + 17, 1e-3}, 62, 100,
                   {{Generator::sampleModes, 3},
                    {Generator::modEnvToPitch, 300},
                    {Generator::decayModEnv, -1200},
                    {Generator::sustainModEnv, 500}},
                   {{0, quiet}, {2, release}},
                   20, 0});
  // Nearest-point playback (positions rounded) through a long release.
  cases.push_back({"nearest points, looped, release", sine_points(20, 0.8f),
                   {kernels::Interpolation::none, 441, 1e-3}, 55, 100,
                   {{Generator::sampleModes, 1},
                    {Generator::releaseVolEnv, 0},
                    {Generator::vibLfoToPitch, 80},
                    {Generator::delayVibLFO, -4000}},
                   {{10, release}},
                   100, 0});
  for (const Case& c : cases) {
    TwinVoices twins(c.points, looped(60, c.points.size()), c.setup);
    twins.start(c.key, c.velocity, c.generators);
    const Played played = play_twins(twins, c.script, c.name);
    EXPECT_TRUE(played.finished) << c.name;
    EXPECT_GE(played.unheard, c.min_unheard) << c.name << ": too few light steps";
    EXPECT_GE(played.unheard_silent, c.min_unheard_silent) << c.name << ": too few silent light steps";
    EXPECT_EQ(played.woken, 0) << c.name;
  }
}

TEST(UnheardStep, AWokenVoiceGoesOnWithTheControlsOfTheExactStep) {
  // A resonant filter that an LFO and a decaying modulation envelope move every block, vibrato
  // and a tremolo: every control changes from block to block.
  const std::vector<std::pair<Generator, double>> moving = {
      {Generator::sampleModes, 1},        {Generator::initialFilterQ, 120},   {Generator::initialFilterFc, 7000},
      {Generator::modLfoToFilterFc, 900}, {Generator::freqModLFO, 0},         {Generator::modEnvToFilterFc, 2400},
      {Generator::decayModEnv, 1200},     {Generator::sustainModEnv, 400},    {Generator::vibLfoToPitch, 30},
      {Generator::modLfoToVolume, 60},    {Generator::releaseVolEnv, 600}};
  const auto volume = [](int value) {
    return [value](TwinVoices& t) { t.control_change(engine::synth::kVolume, value); };
  };
  const auto release = [](TwinVoices& t) { t.note_off(); };
  struct Case {
    std::string name;
    std::vector<std::pair<Generator, double>> generators;
    Script script;
    int min_unheard;
    int min_woken;
  };
  std::vector<Case> cases;
  // Held quiet, then loud (the attenuation changes, so the woken block ramps from the gain the
  // quiet one reached); released, it mutes again and finishes muted.
  cases.push_back({"held, woken by the channel volume", moving, {{0, volume(1)}, {60, volume(127)}, {120, release}},
                   50, 1});
  // Woken in its release.
  cases.push_back({"woken in the release", moving, {{0, volume(1)}, {20, release}, {70, volume(127)}}, 40, 1});
  // A change that leaves it muted, then, later, two in one gap: the first of them is the one
  // that finds the gain of the block before.
  cases.push_back({"woken by the second of two changes",
                   moving,
                   {{0, volume(1)},
                    {30, volume(2)},
                    {50,
                     [](TwinVoices& t) {
                       t.control_change(engine::synth::kExpression, 120);
                       t.control_change(engine::synth::kVolume, 127);
                     }},
                    {90, release}},
                   40, 1});
  // Muted by the look after its 8th block and woken before the 9th: no light step between.
  cases.push_back({"woken before any light step", moving, {{0, volume(1)}, {8, volume(127)}, {40, release}}, 0, 1});
  // An NRPN on the cutoff with one on the attenuation: the filter design changes as it wakes.
  cases.push_back({"woken by NRPNs on the attenuation and the cutoff",
                   moving,
                   {{0, volume(1)},
                    {40,
                     [](TwinVoices& t) {
                       t.nrpn(Generator::initialFilterFc, -1500.0);
                       t.nrpn(Generator::initialAttenuation, -800.0);
                     }},
                    {100, release}},
                   20, 1});
  // A fast deep tremolo (46 Hz, 48 dB): the gain changes by more than a factor 2 from block to
  // block, so the exact path's last gain can differ from its target in the last bits.
  std::vector<std::pair<Generator, double>> tremolo = moving;
  for (auto& [generator, value] : tremolo) {
    if (generator == Generator::modLfoToVolume) value = 480.0;
    if (generator == Generator::freqModLFO) value = 3000.0;
  }
  cases.push_back({"woken under a fast tremolo", tremolo, {{0, volume(1)}, {33, volume(127)}, {80, release}}, 20, 1});

  for (const Case& c : cases) {
    TwinVoices twins(sine_points(20, 0.8f), looped(60, 2000), {});
    twins.start(60, 100, c.generators);
    const Played played = play_twins(twins, c.script, c.name);
    EXPECT_TRUE(played.finished) << c.name;
    EXPECT_GE(played.unheard, c.min_unheard) << c.name << ": too few light steps";
    EXPECT_GE(played.woken, c.min_woken) << c.name << ": not woken";
  }
}

TEST(UnheardStep, AVoiceWhoseLoopAnNrpnMovesOntoLoudPointsWakes) {
  // A loud first half and a quiet looped second half (the halves in different chunks of the
  // sample's bounds): held, the voice passes the loud points and is muted in its loop. An NRPN
  // then moves the loop's start back to the sample's first point, so the voice plays the loud
  // half again at its next wrap: it must wake, judged by the loop it will play, not the one it
  // played.
  constexpr std::size_t kLoudPoints = 2048;
  constexpr std::uint32_t kQuietLoopStart = 2100;
  std::vector<float> points(4096);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const float amplitude = i < kLoudPoints ? 0.8f : 3e-4f;
    points[i] = amplitude * static_cast<float>(std::sin(2.0 * M_PI * static_cast<double>(i) / 20.0));
  }
  SampleOptions quiet_loop = looped(60, points.size());
  quiet_loop.loop_start = kQuietLoopStart;
  TwinVoices twins(points, quiet_loop, {});
  twins.start(60, 100, {{Generator::sampleModes, 1}});
  const Script script = {
      {80, [](TwinVoices& t) { t.nrpn(Generator::startloopAddrsOffset, -static_cast<double>(kQuietLoopStart)); }},
      {200, [](TwinVoices& t) { t.note_off(); }}};
  const Played played = play_twins(twins, script, "loop moved onto the loud half");
  EXPECT_TRUE(played.finished);
  EXPECT_GE(played.unheard, 30) << "not muted in the quiet loop";
  EXPECT_GE(played.woken, 1) << "still muted while its loop plays the loud half";
}

// What a song scored, voice by voice: each voice's control for each block it sounded in (block
// numbers from the song's start).
struct SongScore {
  std::map<std::uint64_t, std::map<std::int64_t, VoiceBlockControl>> controls;
  std::set<std::pair<std::uint64_t, std::int64_t>> woken;  // (voice, block): first blocks after a wake-up
  engine::synth::SynthStatistics statistics;
  std::int64_t frames = 0;
};

void add_window(const engine::synth::WindowScore& window, SongScore& song) {
  const std::int64_t first_block = window.first_frame / kBlock;
  for (std::size_t v = 0; v < window.voices.size(); ++v) {
    const auto& voice = window.voices[v];
    auto& controls = song.controls[voice.voice_id];
    const std::int64_t start = first_block + voice.first_block;
    // A new entry of a voice already heard: it was muted and woke up.
    if (voice.starts_here && !controls.empty()) song.woken.insert({voice.voice_id, start});
    for (std::uint32_t k = 0; k < voice.block_count; ++k) controls[start + k] = window.controls[v][k];
  }
}

// Chords over a quiet channel whose voices are muted at once, events that reach the muted
// voices without waking them (pitch bend, a small volume change), then the volume that wakes
// them, releases that mute voices again, and the tail.
SongScore score_song(const engine::synth::PreparedBank& bank, double audibility_floor) {
  engine::synth::SynthSettings settings;
  settings.polyphony = 8;
  settings.audibility_floor = audibility_floor;
  engine::synth::Synthesizer synth(bank, settings);
  SongScore song;
  engine::synth::WindowScore window;
  synth.begin_window(0);
  const auto run = [&](std::uint32_t blocks) {
    synth.step_blocks(blocks);
    synth.finish_window(window);
    add_window(window, song);
    synth.begin_window(synth.frames_elapsed());
  };
  synth.control_change(1, engine::synth::kVolume, 1);
  for (int key : {60, 64, 67}) synth.note_on(0, key, 100);
  for (int key : {48, 55}) synth.note_on(1, key, 90);
  run(30);
  synth.pitch_bend(1, 9000);
  synth.control_change(1, engine::synth::kVolume, 2);
  run(25);
  synth.control_change(1, engine::synth::kVolume, 127);  // the muted voices wake up
  run(20);
  for (int key : {60, 64}) synth.note_off(0, key);
  synth.control_change(1, engine::synth::kVolume, 1);
  run(100);
  synth.control_change(1, engine::synth::kVolume, 100);  // and again
  synth.control_change(1, engine::synth::kPan, 20);
  run(40);
  synth.release_all_notes();
  while (synth.active_voices() > 0) {
    synth.step_blocks(64, true);
    synth.finish_window(window);
    add_window(window, song);
    synth.begin_window(synth.frames_elapsed());
  }
  song.statistics = synth.statistics();
  song.frames = synth.frames_elapsed();
  return song;
}

TEST(UnheardStep, ASongScoresWithMutingWhatItScoresWithoutButForMutedBlocksAndWakeUps) {
  const auto bank = prepare_bank(single_zone_bank(sine_points(20, 0.8f), looped(60, 2000), [](ZoneSpec& zone) {
    zone.gen(Generator::releaseVolEnv, 600)
        .gen(Generator::initialFilterQ, 120)
        .gen(Generator::initialFilterFc, 7000)
        .gen(Generator::modLfoToFilterFc, 900)
        .gen(Generator::modEnvToFilterFc, 2400)
        .gen(Generator::decayModEnv, 1200)
        .gen(Generator::sustainModEnv, 400)
        .gen(Generator::vibLfoToPitch, 30)
        .gen(Generator::modLfoToVolume, 60);
  }));
  ASSERT_NE(bank, nullptr);
  const SongScore exact = score_song(*bank, 0.0);
  const SongScore muted = score_song(*bank, 1e-3);

  // The same voices, for the same blocks: muting changes only what is rendered.
  EXPECT_EQ(muted.frames, exact.frames);
  EXPECT_EQ(muted.statistics.voices_started, exact.statistics.voices_started);
  EXPECT_EQ(muted.statistics.voice_blocks, exact.statistics.voice_blocks);
  EXPECT_GT(muted.statistics.muted_voice_blocks, muted.statistics.voice_blocks / 4);
  EXPECT_GE(muted.woken.size(), 4u);
  for (const auto& [voice, controls] : muted.controls) {
    const auto& exact_controls = exact.controls.at(voice);
    bool woken = false;
    for (const auto& [block, control] : controls) {
      const std::string where = "voice " + std::to_string(voice) + ", block " + std::to_string(block);
      ASSERT_TRUE(exact_controls.contains(block)) << where;
      const VoiceBlockControl& reference = exact_controls.at(block);
      if (muted.woken.contains({voice, block})) {
        woken = true;
        // The filter applies at once what the exact path ramps to over this block.
        EXPECT_TRUE(same_position_and_pan(control, reference)) << where;
        expect_gain_within_rounding(control, reference, where);
        EXPECT_EQ(control.filter.ramp_frames, 0) << where;
        if (exact_controls.contains(block + 1)) {
          EXPECT_TRUE(same_coefficients(control.filter.start, exact_controls.at(block + 1).filter.start)) << where;
        }
      } else if (woken) {
        EXPECT_TRUE(same_position_and_pan(control, reference)) << where;
        expect_gain_within_rounding(control, reference, where);
        EXPECT_TRUE(kernels::same_filter(control.filter, reference.filter)) << where;
      } else {
        EXPECT_TRUE(same_control(control, reference)) << where;
      }
    }
  }
}

}  // namespace
}  // namespace tutti::test
