#include "engine/synth/voice.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "engine/synth/conversions.h"
#include "kernels/oscillator.h"

namespace tutti::engine::synth {

namespace {

using sf2::Generator;
using voice_step_constants::kBlock;
using voice_step_constants::kPeakAttenuation;

constexpr double kNoiseFloor = 2e-7;         // below this a voice is inaudible at 16 bits
constexpr double kMinimumReleaseTimecents = -7200.0;  // about 16 ms: no click on release
constexpr int kMinimumLoopLength = 2;
using voice_step_constants::kFullScale24;
// The playback ratio is limited so that 64 steps of the 32.32 phase cannot overflow.
constexpr double kMaxPlaybackRatio = 1 << 20;

double clamp(double value, double low, double high) { return std::min(std::max(value, low), high); }

// FluidSynth writes several constants as single-precision literals; using the same values keeps
// levels and times identical to the last bit.
constexpr double kSustainScale = static_cast<double>(0.001f);

kernels::Phase phase_from_ratio(double ratio) {
  const auto whole = static_cast<std::uint32_t>(ratio);
  const auto fraction = static_cast<std::uint32_t>((ratio - whole) * 4294967296.0);
  return (kernels::Phase{whole} << 32) | fraction;
}

// An envelope stage's step per block: FluidSynth divides in single precision (1.0f / count).
// The sum of `blocks` such steps then ends slightly off 1 (0.99999998 for 173 blocks), which
// decides whether the stage ends by count or by range, and, through the whole-cent pitch
// table, whether a modEnvToPitch of 700 holds 699 or 700 cents.
double envelope_step(std::uint32_t blocks) {
  return blocks ? static_cast<double>(1.0f / static_cast<float>(blocks)) : 0.0;
}

bool is_looping_mode(int mode) { return mode == 1 || mode == 3; }

// The generators whose parameters a starting voice computes, in FluidSynth's order (the pitch
// depends on the root key, so overridingRootKey comes before the pitch).
constexpr int kStartParameters[] = {
    sf2::index_of(Generator::startAddrsOffset),     sf2::index_of(Generator::endAddrsOffset),
    sf2::index_of(Generator::startloopAddrsOffset), sf2::index_of(Generator::endloopAddrsOffset),
    sf2::index_of(Generator::modLfoToPitch),        sf2::index_of(Generator::vibLfoToPitch),
    sf2::index_of(Generator::modEnvToPitch),        sf2::index_of(Generator::initialFilterFc),
    sf2::index_of(Generator::initialFilterQ),       sf2::index_of(Generator::modLfoToFilterFc),
    sf2::index_of(Generator::modEnvToFilterFc),     sf2::index_of(Generator::modLfoToVolume),
    sf2::index_of(Generator::chorusEffectsSend),    sf2::index_of(Generator::reverbEffectsSend),
    sf2::index_of(Generator::pan),                  sf2::index_of(Generator::delayModLFO),
    sf2::index_of(Generator::freqModLFO),           sf2::index_of(Generator::delayVibLFO),
    sf2::index_of(Generator::freqVibLFO),           sf2::index_of(Generator::delayModEnv),
    sf2::index_of(Generator::attackModEnv),         sf2::index_of(Generator::holdModEnv),
    sf2::index_of(Generator::decayModEnv),          sf2::index_of(Generator::releaseModEnv),
    sf2::index_of(Generator::delayVolEnv),          sf2::index_of(Generator::attackVolEnv),
    sf2::index_of(Generator::holdVolEnv),           sf2::index_of(Generator::decayVolEnv),
    sf2::index_of(Generator::releaseVolEnv),        sf2::index_of(Generator::keynum),
    sf2::index_of(Generator::velocity),             sf2::index_of(Generator::initialAttenuation),
    sf2::index_of(Generator::overridingRootKey),    kPitchSlot,
    kBalanceSlot,
};

}  // namespace

void Voice::begin(const VoiceEnvironment& environment, const PreparedSample& sample,
                  std::uint32_t sample_index, const ChannelState& channel, int key, int velocity,
                  std::uint64_t note_id, std::int64_t start_frame,
                  const kernels::PanBlock& pan_memory) {
  environment_ = &environment;
  sample_ = &sample;
  suffix_bounds_ = nullptr;
  filter_gain_for_q_ = {};
  sample_index_ = sample_index;
  channel_ = &channel;
  channel_number_ = channel.number;
  key_ = key;
  velocity_ = velocity;
  note_id_ = note_id;
  start_frame_ = start_frame;
  status_ = VoiceStatus::on;
  has_note_off_ = false;

  generators_.reset(channel.generator_offsets);
  modulator_count_ = 0;
  for (const VoiceModulator& modulator : default_modulators()) modulators_[modulator_count_++] = modulator;

  volume_shape_ = EnvelopeShape();
  modulation_shape_ = EnvelopeShape();
  volume_envelope_ = Envelope();
  modulation_envelope_ = Envelope();
  volume_envelope_.reset(volume_shape_);
  modulation_envelope_.reset(modulation_shape_);
  mod_lfo_ = TriangleLfo();
  vib_lfo_ = TriangleLfo();
  filter_ = LowpassFilterDesign();
  filter_.reset();
  gain_ = 0.0;
  last_pitch_cents_ = std::numeric_limits<double>::quiet_NaN();
  phase_ = 0;
  has_looped_ = false;
  check_bounds_ = true;
  first_block_ = true;
  muted_ = false;
  coarse_ = false;
  parameters_changed_ = false;
  frames_played_ = 0;
  note_off_at_frames_ = 0;
  // The output gains are the slot's: a new voice ramps from what the previous one left.
  output_gains_.left_from = pan_memory.left_from;
  output_gains_.right_from = pan_memory.right_from;
  output_gains_.left_to = pan_memory.left_from;
  output_gains_.right_to = pan_memory.right_from;

  noise_floor_unlooped_ = kNoiseFloor / environment.gain;
  noise_floor_looped_ = noise_floor_unlooped_;
}

void Voice::set_generator(int slot, double value) {
  generators_[slot].value = value;
  generators_[slot].set = true;
}

void Voice::add_generator(int slot, double value) {
  generators_[slot].value += value;
  generators_[slot].set = true;
}

void Voice::add_modulator(const VoiceModulator& modulator, ModulatorMode mode, int identity_limit) {
  const int limit = std::min(identity_limit, modulator_count_);
  for (int i = 0; i < limit; ++i) {
    if (modulators_[i].same_identity(modulator)) {
      if (mode == ModulatorMode::add) modulators_[i].amount += modulator.amount;
      else modulators_[i].amount = modulator.amount;
      return;
    }
  }
  if (modulator_count_ < kMaxVoiceModulators) modulators_[modulator_count_++] = modulator;
}

ModulationInputs Voice::modulation_inputs() const {
  return ModulationInputs{*channel_, actual_key(), actual_velocity(), key_};
}

int Voice::actual_key() const {
  const double forced = generators_.base(Generator::keynum);
  return forced >= 0.0 ? static_cast<int>(forced) : key_;
}

int Voice::actual_velocity() const {
  const double forced = generators_.base(Generator::velocity);
  return forced > 0.0 ? static_cast<int>(forced) : velocity_;
}

double Voice::nominal_pitch(int key) const {
  // scaleTuning keeps key 60's neighbour relation to the root: cents per key around the root.
  return generators_.base(Generator::scaleTuning) * (key - root_pitch_cents_ / 100.0) +
         root_pitch_cents_;
}

void Voice::start() {
  const ModulationInputs inputs = modulation_inputs();
  for (int i = 0; i < modulator_count_; ++i) {
    generators_[modulators_[i].destination].modulation += evaluate(modulators_[i], inputs);
  }
  sample_mode_ = static_cast<int>(generators_.base(Generator::sampleModes));
  for (int slot : kStartParameters) update_parameter(slot);
  min_attenuation_gain_ = centibels_to_gain(lowest_possible_attenuation());
  status_ = VoiceStatus::on;
}

std::uint32_t Voice::hold_or_decay_blocks(Generator base, Generator per_key, bool decay) const {
  // Key 60 is the origin of key scaling: one octave up scales the time by 2^(-12*per_key/1200).
  const double key_steps = 60.0 - actual_key();
  double timecents = generators_.total(base) + generators_.total(per_key) * key_steps;
  if (decay) {
    timecents = std::min(timecents, 8000.0);
  } else {
    timecents = std::min(timecents, 5000.0);
    if (timecents <= -32768.0) return 0;
  }
  timecents = std::max(timecents, -12000.0);
  const double seconds = timecents_to_seconds(timecents);
  return static_cast<std::uint32_t>(environment_->output_rate * seconds / kBlock + 0.5);
}

void Voice::update_volume_envelope_segment(EnvelopeStage stage) {
  const double rate = environment_->output_rate;
  switch (stage) {
    case EnvelopeStage::delay: {
      const double x = clamp(generators_.total(Generator::delayVolEnv), -12000.0, 5000.0);
      const auto blocks = static_cast<std::uint32_t>(rate * delay_timecents_to_seconds(x) / kBlock);
      volume_envelope_.set_segment(volume_shape_, stage, {blocks, 0.0, 0.0, -1.0, 1.0});
      break;
    }
    case EnvelopeStage::attack: {
      const double x = clamp(generators_.total(Generator::attackVolEnv), -12000.0, 8000.0);
      const auto blocks = 1 + static_cast<std::uint32_t>(rate * attack_timecents_to_seconds(x) / kBlock);
      volume_envelope_.set_segment(volume_shape_, stage, {blocks, 1.0, envelope_step(blocks), -1.0, 1.0});
      break;
    }
    case EnvelopeStage::hold: {
      const auto blocks = hold_or_decay_blocks(Generator::holdVolEnv, Generator::keynumToVolEnvHold, false);
      volume_envelope_.set_segment(volume_shape_, stage, {blocks, 1.0, 0.0, -1.0, 2.0});
      break;
    }
    case EnvelopeStage::decay: {
      const double sustain = clamp(1.0 - kSustainScale * generators_.total(Generator::sustainVolEnv), 0.0, 1.0);
      const auto blocks = hold_or_decay_blocks(Generator::decayVolEnv, Generator::keynumToVolEnvDecay, true);
      volume_envelope_.set_segment(volume_shape_, stage, {blocks, 1.0, -envelope_step(blocks), sustain, 2.0});
      break;
    }
    case EnvelopeStage::release: {
      const double x = clamp(generators_.total(Generator::releaseVolEnv), kMinimumReleaseTimecents, 8000.0);
      const auto blocks = 1 + static_cast<std::uint32_t>(rate * release_timecents_to_seconds(x) / kBlock);
      volume_envelope_.set_segment(volume_shape_, stage, {blocks, 1.0, -envelope_step(blocks), 0.0, 1.0});
      break;
    }
    default:
      break;
  }
}

void Voice::update_modulation_envelope_segment(EnvelopeStage stage) {
  const double rate = environment_->output_rate;
  switch (stage) {
    case EnvelopeStage::delay: {
      const double x = clamp(generators_.total(Generator::delayModEnv), -12000.0, 5000.0);
      const auto blocks = static_cast<std::uint32_t>(rate * delay_timecents_to_seconds(x) / kBlock);
      modulation_envelope_.set_segment(modulation_shape_, stage, {blocks, 0.0, 0.0, -1.0, 1.0});
      break;
    }
    case EnvelopeStage::attack: {
      const double x = clamp(generators_.total(Generator::attackModEnv), -12000.0, 8000.0);
      const auto blocks = 1 + static_cast<std::uint32_t>(rate * attack_timecents_to_seconds(x) / kBlock);
      modulation_envelope_.set_segment(modulation_shape_, stage, {blocks, 1.0, envelope_step(blocks), -1.0, 1.0});
      break;
    }
    case EnvelopeStage::hold: {
      const auto blocks = hold_or_decay_blocks(Generator::holdModEnv, Generator::keynumToModEnvHold, false);
      modulation_envelope_.set_segment(modulation_shape_, stage, {blocks, 1.0, 0.0, -1.0, 2.0});
      break;
    }
    case EnvelopeStage::decay: {
      const auto blocks = hold_or_decay_blocks(Generator::decayModEnv, Generator::keynumToModEnvDecay, true);
      const double sustain = clamp(1.0 - kSustainScale * generators_.total(Generator::sustainModEnv), 0.0, 1.0);
      modulation_envelope_.set_segment(modulation_shape_, stage, {blocks, 1.0, -envelope_step(blocks), sustain, 2.0});
      break;
    }
    case EnvelopeStage::release: {
      const double x = clamp(generators_.total(Generator::releaseModEnv), -12000.0, 8000.0);
      const auto blocks = 1 + static_cast<std::uint32_t>(rate * release_timecents_to_seconds(x) / kBlock);
      modulation_envelope_.set_segment(modulation_shape_, stage, {blocks, 1.0, -envelope_step(blocks), 0.0, 2.0});
      break;
    }
    default:
      break;
  }
}

void Voice::update_pan_targets() {
  // Output gain per channel: equal-power pan, FluidSynth's CC8 balance as attenuation of the
  // opposite side, the synth gain, and the 24-bit sample scale.
  auto balance_gain = [this](bool left) {
    if (balance_ == 0.0) return 1.0;
    if ((left && balance_ < 0.0) || (!left && balance_ > 0.0)) return 1.0;
    return centibels_to_gain(std::fabs(balance_));
  };
  const double scale = environment_->gain / kFullScale24;
  output_gains_.left_to = static_cast<float>(pan_gain(pan_position_, true) * balance_gain(true) * scale);
  output_gains_.right_to = static_cast<float>(pan_gain(pan_position_, false) * balance_gain(false) * scale);
}

void Voice::update_sample_addresses() {
  check_bounds_ = true;
}

void Voice::update_parameter(int slot) {
  // A muted voice's light steps kept its gain only as zero or not (see step_unheard). Its
  // first change since its last block, before it touches the attenuation, gives the voice that
  // block's exact gain back: wakes_up() bounds the voice with it, and if the voice sounds
  // again its next block ramps from it.
  if (muted_ && !parameters_changed_) gain_ = last_block_gain();
  parameters_changed_ = muted_ || coarse_;
  const double x = generators_[slot].total();
  if (slot == kPitchSlot) {
    pitch_cents_ = x + 100.0 * generators_.total(Generator::coarseTune) +
                   generators_.total(Generator::fineTune);
    return;
  }
  if (slot == kBalanceSlot) {
    pan_position_ = generators_.total(Generator::pan);
    balance_ = x;
    update_pan_targets();
    return;
  }
  switch (static_cast<Generator>(slot)) {
    case Generator::pan:
      pan_position_ = x;
      balance_ = generators_[kBalanceSlot].total();
      update_pan_targets();
      break;
    case Generator::initialAttenuation:
      previous_attenuation_ = attenuation_;
      attenuation_ = clamp(x, 0.0, 1440.0);
      attenuation_gain_ = centibels_to_gain(attenuation_);
      break;
    case Generator::coarseTune:
    case Generator::fineTune:
      update_parameter(kPitchSlot);
      break;
    case Generator::overridingRootKey: {
      // Not modulated: the zone's value alone. The sample's pitch correction raises the pitch,
      // so it lowers the root.
      const double forced = generators_.base(Generator::overridingRootKey);
      const double root_key = forced > -1.0 ? forced : sample_->root_key;
      root_pitch_cents_ = root_key * 100.0 - sample_->pitch_correction_cents;
      root_pitch_hz_ = cents_to_hz(root_pitch_cents_) *
                       (environment_->output_rate / static_cast<double>(sample_->sample_rate));
      last_pitch_cents_ = std::numeric_limits<double>::quiet_NaN();
      generators_[kPitchSlot].value = nominal_pitch(actual_key());
      break;
    }
    case Generator::initialFilterFc:
      filter_.set_cutoff_cents(x);
      break;
    case Generator::initialFilterQ:
      filter_.set_q_centibels(x);
      filter_q_centibels_ = x;
      filter_gain_for_q_ = {};
      break;
    case Generator::modLfoToPitch:
      mod_lfo_to_pitch_ = clamp(x, -12000.0, 12000.0);
      break;
    case Generator::modLfoToVolume:
      mod_lfo_to_volume_ = clamp(x, -960.0, 960.0);
      break;
    case Generator::modLfoToFilterFc:
      mod_lfo_to_cutoff_ = clamp(x, -12000.0, 12000.0);
      break;
    case Generator::delayModLFO: {
      const double tc = clamp(x, -12000.0, 5000.0);
      mod_lfo_.set_delay_frames(static_cast<std::uint32_t>(environment_->output_rate * delay_timecents_to_seconds(tc)));
      break;
    }
    case Generator::freqModLFO: {
      // A triangle covers 4 units (0 -> 1 -> -1 -> 0) per period.
      const double cents = clamp(x, -16000.0, 4500.0);
      mod_lfo_.set_increment_per_block(4.0 * kBlock * cents_to_hz(cents) / environment_->output_rate);
      break;
    }
    case Generator::delayVibLFO: {
      const double tc = clamp(x, -12000.0, 5000.0);
      vib_lfo_.set_delay_frames(static_cast<std::uint32_t>(environment_->output_rate * delay_timecents_to_seconds(tc)));
      break;
    }
    case Generator::freqVibLFO: {
      const double cents = clamp(x, -16000.0, 4500.0);
      vib_lfo_.set_increment_per_block(4.0 * kBlock * cents_to_hz(cents) / environment_->output_rate);
      break;
    }
    case Generator::vibLfoToPitch:
      vib_lfo_to_pitch_ = clamp(x, -12000.0, 12000.0);
      break;
    case Generator::modEnvToPitch:
      mod_env_to_pitch_ = clamp(x, -12000.0, 12000.0);
      break;
    case Generator::modEnvToFilterFc:
      mod_env_to_cutoff_ = clamp(x, -12000.0, 12000.0);
      break;
    case Generator::startAddrsOffset:
    case Generator::startAddrsCoarseOffset:
    case Generator::endAddrsOffset:
    case Generator::endAddrsCoarseOffset:
    case Generator::startloopAddrsOffset:
    case Generator::startloopAddrsCoarseOffset:
    case Generator::endloopAddrsOffset:
    case Generator::endloopAddrsCoarseOffset:
      update_sample_addresses();
      break;
    case Generator::delayVolEnv:
      update_volume_envelope_segment(EnvelopeStage::delay);
      break;
    case Generator::attackVolEnv:
      update_volume_envelope_segment(EnvelopeStage::attack);
      break;
    case Generator::holdVolEnv:
    case Generator::keynumToVolEnvHold:
      update_volume_envelope_segment(EnvelopeStage::hold);
      break;
    case Generator::decayVolEnv:
    case Generator::sustainVolEnv:
    case Generator::keynumToVolEnvDecay:
      update_volume_envelope_segment(EnvelopeStage::decay);
      break;
    case Generator::releaseVolEnv:
      update_volume_envelope_segment(EnvelopeStage::release);
      break;
    case Generator::delayModEnv:
      update_modulation_envelope_segment(EnvelopeStage::delay);
      break;
    case Generator::attackModEnv:
      update_modulation_envelope_segment(EnvelopeStage::attack);
      break;
    case Generator::holdModEnv:
    case Generator::keynumToModEnvHold:
      update_modulation_envelope_segment(EnvelopeStage::hold);
      break;
    case Generator::decayModEnv:
    case Generator::sustainModEnv:
    case Generator::keynumToModEnvDecay:
      update_modulation_envelope_segment(EnvelopeStage::decay);
      break;
    case Generator::releaseModEnv:
      update_modulation_envelope_segment(EnvelopeStage::release);
      break;
    default:
      break;  // effects sends, keynum, velocity and the rest have no synthesis parameter here
  }
}

double Voice::lowest_possible_attenuation() const {
  // How far controllers could still lower the attenuation: the basis for telling when a voice
  // can never again rise above the noise floor.
  using sf2::GeneralController;
  auto varies = [](const sf2::ModulatorSource& s) {
    if (s.is_cc) return true;
    const auto g = static_cast<GeneralController>(s.index);
    return g == GeneralController::channelPressure || g == GeneralController::polyPressure ||
           g == GeneralController::pitchWheel;
  };
  const ModulationInputs inputs = modulation_inputs();
  double reduction = 0.0;
  for (int i = 0; i < modulator_count_; ++i) {
    const VoiceModulator& m = modulators_[i];
    if (m.destination != sf2::index_of(Generator::initialAttenuation)) continue;
    if (!varies(m.source) && !varies(m.amount_source)) continue;
    const double current = evaluate(m, inputs);
    const bool can_go_negative = m.source.bipolar || m.amount_source.bipolar || m.amount < 0.0;
    const double lowest = can_go_negative ? -std::fabs(m.amount) : 0.0;
    if (current > lowest) reduction += current - lowest;
  }
  return std::max(0.0, attenuation_ - reduction);
}

void Voice::check_sample_bounds() {
  // Zone offsets may move the sample and loop points anywhere; keep them inside the sample,
  // in order, and drop a loop too short to play, as FluidSynth does before each block after a
  // change.
  const kernels::PlaybackRegion& bounds = sample_->region;
  auto offset_point = [this](std::uint32_t base, Generator fine, Generator coarse) {
    return static_cast<std::int64_t>(base) + static_cast<std::int64_t>(generators_.total(fine)) +
           32768 * static_cast<std::int64_t>(generators_.total(coarse));
  };
  std::int64_t start = offset_point(bounds.start, Generator::startAddrsOffset, Generator::startAddrsCoarseOffset);
  std::int64_t end = offset_point(bounds.end, Generator::endAddrsOffset, Generator::endAddrsCoarseOffset);
  std::int64_t loop_start = offset_point(bounds.loop_start, Generator::startloopAddrsOffset, Generator::startloopAddrsCoarseOffset);
  std::int64_t loop_end = offset_point(bounds.loop_end, Generator::endloopAddrsOffset, Generator::endloopAddrsCoarseOffset);

  const std::int64_t lowest = bounds.start;
  const std::int64_t highest = bounds.end;
  start = std::clamp(start, lowest, highest);
  end = std::clamp(end, lowest, highest);
  if (start > end) std::swap(start, end);
  if (start == end) {
    turn_off();
    check_bounds_ = false;
    return;
  }
  int mode = static_cast<int>(generators_.base(Generator::sampleModes));
  if (is_looping_mode(mode)) {
    loop_start = std::clamp(loop_start, lowest, highest + 1);
    loop_end = std::clamp(loop_end, lowest, highest + 1);
    if (loop_start > loop_end) std::swap(loop_start, loop_end);
    if (loop_end < loop_start + kMinimumLoopLength) mode = 0;
    // Inside the sample's own loop the loop's peak is known, so a looping voice can end as
    // soon as its envelope takes that peak below the noise floor.
    if (loop_start >= bounds.loop_start && loop_end <= bounds.loop_end) {
      noise_floor_looped_ = (sample_->loop_peak() > 0.0 && mode == 1)
                                ? kNoiseFloor / (sample_->loop_peak() / kFullScale24) / environment_->gain
                                : noise_floor_unlooped_;
    }
  }
  region_.start = static_cast<std::uint32_t>(start);
  region_.end = static_cast<std::uint32_t>(end);
  region_.loop_start = static_cast<std::uint32_t>(loop_start);
  region_.loop_end = static_cast<std::uint32_t>(loop_end);
  if (first_block_) {
    if (highest + 1 - lowest < kMinimumLoopLength) mode = 0;
    phase_ = kernels::phase_from_index(region_.start);
    first_block_ = false;
  }
  sample_mode_ = mode;
  const bool looping = loops_now();
  // A loop moved behind the play position: continue from its start.
  if (looping && kernels::phase_index(phase_) >= region_.loop_end) {
    phase_ = kernels::phase_from_index(region_.loop_start);
  }
  check_bounds_ = false;
}

void Voice::release_now() {
  note_off_at_frames_ = 0;
  // The attack is linear in amplitude, later stages linear in dB: convert the envelope value
  // so the level does not jump when the release starts during the attack.
  if (volume_envelope_.stage() == EnvelopeStage::attack && volume_envelope_.value() > 0.0) {
    const double lfo_cb = mod_lfo_.value() * -mod_lfo_to_volume_;
    const double amplitude = volume_envelope_.value() * centibels_to_gain(lfo_cb);
    const double value = -(((-200.0 / std::numbers::ln10) * std::log(amplitude) - lfo_cb) / kPeakAttenuation - 1.0);
    volume_envelope_.set_value(clamp(value, 0.0, 1.0));
  }
  if (modulation_envelope_.stage() == EnvelopeStage::attack && modulation_envelope_.value() > 0.0) {
    modulation_envelope_.set_value(clamp(convex_curve(127.0 * modulation_envelope_.value()), 0.0, 1.0));
  }
  volume_envelope_.enter(volume_shape_, EnvelopeStage::release);
  modulation_envelope_.enter(modulation_shape_, EnvelopeStage::release);
}

void Voice::release() {
  // A note-off never cuts a note shorter than the minimum note length: it waits.
  const std::uint32_t at = environment_->min_note_frames;
  if (at > frames_played_) note_off_at_frames_ = at;
  else release_now();
  has_note_off_ = true;
}

void Voice::note_off() {
  if (channel_->sostenuto() && channel_->sostenuto_note_id > note_id_) {
    status_ = VoiceStatus::held_by_sostenuto;
  } else if (channel_->sustained()) {
    status_ = VoiceStatus::sustained;
  } else {
    release();
  }
}

void Voice::kill_exclusive() {
  if (!playing()) return;
  // Cut quickly (-200 timecents, about 90 ms) and never again by exclusive class.
  set_generator(sf2::index_of(Generator::exclusiveClass), 0.0);
  set_generator(sf2::index_of(Generator::releaseVolEnv), -200.0);
  update_parameter(sf2::index_of(Generator::releaseVolEnv));
  set_generator(sf2::index_of(Generator::releaseModEnv), -200.0);
  update_parameter(sf2::index_of(Generator::releaseModEnv));
  const std::uint32_t at = environment_->min_note_frames;
  if (at > frames_played_) note_off_at_frames_ = at;
  else release_now();
}

void Voice::turn_off() {
  volume_envelope_.enter(volume_shape_, EnvelopeStage::finished);
  modulation_envelope_.enter(modulation_shape_, EnvelopeStage::finished);
}

void Voice::modulate(bool is_cc, int index) {
  // Each destination is recomputed once, from all modulators that reach it.
  std::array<bool, kVoiceGeneratorCount> updated{};
  const ModulationInputs inputs = modulation_inputs();
  for (int i = 0; i < modulator_count_; ++i) {
    if (index >= 0 && !reads_source(modulators_[i], is_cc, index)) continue;
    const int destination = modulators_[i].destination;
    if (updated[static_cast<std::size_t>(destination)]) continue;
    double total = 0.0;
    for (int k = 0; k < modulator_count_; ++k) {
      if (modulators_[k].destination == destination) total += evaluate(modulators_[k], inputs);
    }
    generators_[destination].modulation = total;
    update_parameter(destination);
    updated[static_cast<std::size_t>(destination)] = true;
  }
}

void Voice::modulate_all() { modulate(false, -1); }

void Voice::set_nrpn_offset(int slot, double value) {
  generators_[slot].nrpn = value;
  generators_[slot].set = true;
  update_parameter(slot);
}

kernels::Phase Voice::increment_for(double pitch_cents) const {
  double ratio = cents_to_hz(pitch_cents) / root_pitch_hz_;
  if (ratio == 0.0) ratio = 1.0;
  ratio = std::min(ratio, kMaxPlaybackRatio);
  // A ratio below one 32.32 step (2^-32, pitches hundreds of semitones below the root) would
  // give a zero increment: the voice would stall and the end-of-sample arithmetic in step() would
  // divide by zero. The smallest step keeps it moving, inaudibly slowly, as FluidSynth's
  // fixed-point phase holds it still.
  return std::max<kernels::Phase>(phase_from_ratio(ratio), 1);
}

bool Voice::reassess_after_change() {
  parameters_changed_ = false;
  // The change may have moved the sample's points (address offsets): the bounds must read the
  // region the coming block plays, which start_block would otherwise settle only after them.
  if (check_bounds_) check_sample_bounds();
  const FutureBounds bounds = future_bounds(conversion_tables::tables().attenuation.data());
  muted_ = bounds.peak < environment_->audibility_floor;
  coarse_ = may_be_coarse(bounds);
  if (muted_) return false;
  // Its light steps designed no filter: the next block designs one afresh and applies it at
  // once, as a new voice's first block does, rather than ramp from a design blocks old (the
  // synthesizer restarts the filter's memory too).
  filter_.restart();
  return true;
}

double Voice::steal_priority(std::int64_t now_frame, bool percussion_channel) const {
  // FluidSynth's default overflow scores, summed in single precision as it does: drums are
  // kept, released and sustained notes go first, young and loud notes are kept.
  constexpr float kPercussion = 4000.0f, kReleased = -2000.0f, kSustained = -1000.0f;
  constexpr float kAge = 1000.0f, kVolume = 500.0f;
  float priority = 0.0f;
  if (percussion_channel) priority += kPercussion;
  else if (has_note_off_) priority += kReleased;
  else if (status_ == VoiceStatus::sustained || status_ == VoiceStatus::held_by_sostenuto)
    priority += kSustained;
  auto age = static_cast<std::uint32_t>(now_frame - start_frame_);
  if (age < 1) age = 1;
  priority = static_cast<float>(priority + (kAge * environment_->output_rate) / age);
  double attenuation = attenuation_;
  if (attenuation < 0.1f) attenuation = 0.1f;
  priority = static_cast<float>(priority + kVolume / attenuation);
  return priority;
}

}  // namespace tutti::engine::synth
