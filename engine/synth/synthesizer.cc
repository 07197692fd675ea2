#include "engine/synth/synthesizer.h"

#include <algorithm>
#include <cmath>

namespace tutti::engine::synth {

namespace {

using sf2::GeneralController;
using sf2::Generator;

constexpr int kDrumBank = 128;
constexpr int kNullParameter = 127;  // RPN/NRPN "none selected"
// FluidSynth's NRPN scheme for SF2 generators: NRPN MSB 120 selects them (SF2 2.04 9.6).
constexpr int kSf2NrpnMsb = 120;

// How many units of a generator one step of 14-bit NRPN data moves it (SF2 2.04 9.6.3).
double nrpn_scale(int generator) {
  switch (static_cast<Generator>(generator)) {
    case Generator::modLfoToPitch:
    case Generator::vibLfoToPitch:
    case Generator::modEnvToPitch:
    case Generator::initialFilterFc:
    case Generator::modLfoToFilterFc:
    case Generator::modEnvToFilterFc:
    case Generator::delayModLFO:
    case Generator::delayVibLFO:
    case Generator::delayModEnv:
    case Generator::attackModEnv:
    case Generator::holdModEnv:
    case Generator::decayModEnv:
    case Generator::releaseModEnv:
    case Generator::delayVolEnv:
    case Generator::attackVolEnv:
    case Generator::holdVolEnv:
    case Generator::decayVolEnv:
    case Generator::releaseVolEnv:
      return 2.0;
    case Generator::freqModLFO:
    case Generator::freqVibLFO:
      return 4.0;
    case Generator::unused1:
    case Generator::unused2:
    case Generator::unused3:
    case Generator::unused4:
    case Generator::instrument:
    case Generator::reserved1:
    case Generator::keyRange:
    case Generator::velRange:
    case Generator::keynum:
    case Generator::reserved2:
    case Generator::sampleID:
    case Generator::sampleModes:
    case Generator::reserved3:
    case Generator::exclusiveClass:
    case Generator::overridingRootKey:
    case Generator::unused5:
    case Generator::endOper:
      return 0.0;
    default:
      return 1.0;
  }
}

}  // namespace

Synthesizer::Synthesizer(const PreparedBank& bank, const SynthSettings& settings)
    : bank_(bank), settings_(settings) {
  environment_.output_rate = settings.sample_rate;
  environment_.gain = std::max(settings.gain, 1e-7);
  environment_.min_note_frames =
      static_cast<std::uint32_t>(settings.min_note_length_ms * settings.sample_rate / 1000.0);
  environment_.interpolation = settings.interpolation;
  environment_.data = bank.sample_data();
  environment_.audibility_floor = std::max(settings.audibility_floor, 0.0);
  environment_.coarse_interpolation = settings.coarse_interpolation;
  environment_.filter_bounds = &FilterGainBounds::shared(settings.sample_rate);
  environment_.filter_designs = filter_designs_.get();
  control_batch_ = std::make_unique<ControlBatch>(environment_);
  voices_.resize(static_cast<std::size_t>(std::max(1, settings.polyphony)));
  playing_slots_.assign((voices_.size() + 63) / 64, 0);
  slot_entry_.assign(voices_.size(), -1);
  overflow_pan_memory_.assign(voices_.size(), kernels::PanBlock{});
  slot_fresh_.assign(voices_.size(), false);
  for (int c = 0; c < kMidiChannels; ++c) {
    reset_channel(channels_[static_cast<std::size_t>(c)], c);
    // At bank load FluidSynth re-selects each channel's program, with its fallbacks.
    select_program(channels_[static_cast<std::size_t>(c)], 0);
  }
}

void Synthesizer::reset_channel(ChannelState& channel, int number) {
  channel = ChannelState{};
  channel.number = number;
  channel.percussion = number == kPercussionChannel;
  channel.bank = channel.percussion ? kDrumBank : 0;
  channel.program = 0;
  reset_controllers(channel);
  channel.controllers.fill(0);
  channel.controllers[kVolume] = 100;
  channel.controllers[kPan] = 64;
  channel.controllers[kBalance] = 64;
  channel.controllers[kExpression] = 127;
  channel.controllers[43] = 127;  // expression LSB
  for (int c = 70; c <= 79; ++c) channel.controllers[static_cast<std::size_t>(c)] = 64;
  channel.controllers[kNrpnLsb] = kNullParameter;
  channel.controllers[kNrpnMsb] = kNullParameter;
  channel.controllers[kRpnLsb] = kNullParameter;
  channel.controllers[kRpnMsb] = kNullParameter;
  channel.pitch_wheel_sensitivity = 2.0;
  channel.sostenuto_note_id = 0;
}

void Synthesizer::reset_controllers(ChannelState& channel) {
  // MIDI "reset all controllers" as FluidSynth applies it: everything but bank, volume, pan,
  // balance, sound controllers and effect depths returns to its power-on value; the pitch wheel
  // range and the program stay.
  channel.channel_pressure = 0;
  channel.pitch_bend = 8192;
  channel.generator_offsets.fill(0.0);
  channel.generator_offset_set.fill(false);
  for (int c = 0; c < 120; ++c) {
    const bool kept = c == kBankSelectMsb || c == kBankSelectLsb || c == kVolume || c == 39 ||
                      c == kPan || c == 42 || c == kBalance || c == 40 || (c >= 70 && c <= 79) ||
                      (c >= 91 && c <= 95);
    if (!kept) channel.controllers[static_cast<std::size_t>(c)] = 0;
  }
  channel.key_pressure.fill(0);
  channel.controllers[kRpnLsb] = kNullParameter;
  channel.controllers[kRpnMsb] = kNullParameter;
  channel.controllers[kNrpnLsb] = kNullParameter;
  channel.controllers[kNrpnMsb] = kNullParameter;
  channel.controllers[kExpression] = 127;
  channel.controllers[43] = 127;
  channel.nrpn_selected = false;
  channel.nrpn_sf2_index = 0;
}

void Synthesizer::system_reset() {
  for (Voice& voice : playing_voices()) voice.turn_off();
  for (int c = 0; c < kMidiChannels; ++c) {
    ChannelState& channel = channels_[static_cast<std::size_t>(c)];
    reset_channel(channel, c);
    // A reset looks the program up directly, without the fallbacks of a program change.
    channel.preset = bank_.find(channel.bank, 0);
  }
}

void Synthesizer::select_program(ChannelState& channel, int program) {
  const int bank = channel.percussion ? kDrumBank : channel.bank;
  channel.program = program;
  const PreparedPreset* preset = bank_.find(bank, program);
  if (preset == nullptr) {
    if (channel.percussion) {
      preset = bank_.find(kDrumBank, 0);
    } else {
      preset = bank_.find(0, program);
      if (preset == nullptr) preset = bank_.find(0, 0);
    }
  }
  channel.preset = preset;
}

void Synthesizer::program_change(int channel, int program) {
  select_program(channels_[static_cast<std::size_t>(channel & 15)], program & 127);
}

void Synthesizer::release_same_key(int channel, int key) {
  note_id_for_new_voices_ = next_note_id_++;
  for (Voice& voice : playing_voices()) {
    if (voice.channel() != channel || voice.key() != key) continue;
    // A new note on a key held by sostenuto counts as pressed before the pedal too.
    if (voice.status() == VoiceStatus::held_by_sostenuto) note_id_for_new_voices_ = voice.note_id();
    voice.note_off();
  }
}

void Synthesizer::note_on(int channel_number, int key, int velocity) {
  channel_number &= 15;
  key &= 127;
  velocity &= 127;
  if (velocity == 0) {
    note_off(channel_number, key);
    return;
  }
  ChannelState& channel = channels_[static_cast<std::size_t>(channel_number)];
  if (channel.preset == nullptr) {
    ++statistics_.notes_without_preset;
    return;
  }
  release_same_key(channel_number, key);
  ++statistics_.notes_started;
  for (const PreparedPresetZone& preset_zone : channel.preset->zones()) {
    if (!preset_zone.range.contains(key, velocity)) continue;
    for (const VoiceZone& voice_zone : preset_zone.voice_zones) {
      if (!voice_zone.range.contains(key, velocity)) continue;
      start_zone_voice(channel, preset_zone, voice_zone, key, velocity);
    }
  }
}

Voice* Synthesizer::allocate_voice(std::uint32_t& slot, kernels::PanBlock& pan_memory) {
  for (std::size_t word = 0; word < playing_slots_.size(); ++word) {
    const std::uint64_t free_bits = ~playing_slots_[word];
    if (free_bits == 0) continue;
    const std::size_t i = word * 64 + static_cast<std::size_t>(std::countr_zero(free_bits));
    if (i >= voices_.size()) break;  // the last word's bits past the pool
    slot = static_cast<std::uint32_t>(i);
    pan_memory = voices_[i].pan_memory();
    return &voices_[i];
  }
  // Polyphony exhausted: stop the voice that matters least (strictly lowest priority, first
  // slot on ties). It is cut at this block boundary.
  double best = 999998.0;
  int victim = -1;
  for (std::uint32_t i = 0; i < voices_.size(); ++i) {
    const Voice& voice = voices_[i];
    const bool percussion = channels_[static_cast<std::size_t>(voice.channel())].percussion;
    const double priority = voice.steal_priority(frame_, percussion);
    if (priority < best) {
      best = priority;
      victim = static_cast<int>(i);
    }
  }
  if (victim < 0) return nullptr;
  slot = static_cast<std::uint32_t>(victim);
  ++statistics_.voices_stolen;
  // The stolen voice's score entry ends here; the slot's next voice gets a new entry.
  if (slot_entry_[slot] >= 0) {
    entries_[static_cast<std::size_t>(slot_entry_[slot])].ends_here = true;
    slot_entry_[slot] = -1;
  }
  --active_voices_;
  // The new note plays on the slot's other render voice; the stolen one's gains wait there.
  pan_memory = overflow_pan_memory_[slot];
  overflow_pan_memory_[slot] = voices_[slot].pan_memory();
  return &voices_[slot];
}

void Synthesizer::start_zone_voice(ChannelState& channel, const PreparedPresetZone& preset_zone,
                                   const VoiceZone& voice_zone, int key, int velocity) {
  std::uint32_t slot = 0;
  kernels::PanBlock pan_memory;
  Voice* voice = allocate_voice(slot, pan_memory);
  if (voice == nullptr) return;
  voice->begin(environment_, bank_.sample(voice_zone.sample), voice_zone.sample, channel, key,
               velocity, note_id_for_new_voices_, frame_, pan_memory);
  // Instrument level: absolute values, modulators replace identical defaults.
  for (int g = 0; g < sf2::kGeneratorCount; ++g) {
    if (voice_zone.generators.set.test(static_cast<std::size_t>(g))) {
      voice->set_generator(g, voice_zone.generators.value[static_cast<std::size_t>(g)]);
    }
  }
  int limit = voice->modulator_count();
  for (const VoiceModulator& modulator : voice_zone.modulators) {
    voice->add_modulator(modulator, ModulatorMode::replace, limit);
  }
  // Preset level: offsets added to the instrument's values; modulators add to identical ones.
  for (int g = 0; g < sf2::kGeneratorCount; ++g) {
    if (preset_zone.generators.set.test(static_cast<std::size_t>(g))) {
      voice->add_generator(g, preset_zone.generators.value[static_cast<std::size_t>(g)]);
    }
  }
  limit = voice->modulator_count();
  for (const VoiceModulator& modulator : preset_zone.modulators) {
    if (modulator.amount == 0.0) continue;
    voice->add_modulator(modulator, ModulatorMode::add, limit);
  }
  kill_exclusive_class(*voice, slot);
  voice->start();
  mark_playing(slot);
  slot_fresh_[slot] = true;
  ++active_voices_;
  ++statistics_.voices_started;
  statistics_.peak_voices = std::max(statistics_.peak_voices, active_voices_);
}

void Synthesizer::kill_exclusive_class(const Voice& new_voice, std::uint32_t new_slot) {
  const int exclusive_class = new_voice.exclusive_class();
  if (exclusive_class == 0) return;
  for (std::uint32_t i = 0; i < voices_.size(); ++i) {
    Voice& voice = voices_[i];
    if (i == new_slot || !voice.playing()) continue;
    if (voice.channel() == new_voice.channel() && voice.exclusive_class() == exclusive_class &&
        voice.note_id() != new_voice.note_id()) {
      voice.kill_exclusive();
    }
  }
}

void Synthesizer::note_off(int channel, int key) {
  channel &= 15;
  key &= 127;
  for (Voice& voice : playing_voices()) {
    if (voice.on() && voice.channel() == channel && voice.key() == key) voice.note_off();
  }
}

void Synthesizer::modulate_channel(int channel, bool is_cc, int index) {
  for (Voice& voice : playing_voices()) {
    if (voice.channel() == channel) voice.modulate(is_cc, index);
  }
}

void Synthesizer::set_channel_generator(ChannelState& channel, int generator, double value) {
  channel.generator_offsets[static_cast<std::size_t>(generator)] = value;
  channel.generator_offset_set[static_cast<std::size_t>(generator)] = true;
  for (Voice& voice : playing_voices()) {
    if (voice.channel() == channel.number) voice.set_nrpn_offset(generator, value);
  }
}

void Synthesizer::data_entry(ChannelState& channel, int value) {
  const int data = value * 128 + channel.controllers[kDataEntryLsb];
  if (channel.nrpn_selected) {
    // Only the SF2 generator NRPNs (MSB 120, LSB < 100) are understood.
    if (channel.controllers[kNrpnMsb] == kSf2NrpnMsb && channel.controllers[kNrpnLsb] < 100) {
      const int generator = channel.nrpn_sf2_index;
      if (generator < sf2::kGeneratorCount - 1) {
        const double offset = std::clamp(data - 8192, -8192, 8192) * nrpn_scale(generator);
        set_channel_generator(channel, generator, offset);
      }
      channel.nrpn_sf2_index = 0;
    }
    return;
  }
  if (channel.controllers[kRpnMsb] != 0) return;
  switch (channel.controllers[kRpnLsb]) {
    case 0:  // pitch bend range: semitones in the MSB; FluidSynth ignores the cents
      channel.pitch_wheel_sensitivity = value;
      modulate_channel(channel.number, false,
                       static_cast<int>(GeneralController::pitchWheelSensitivity));
      break;
    case 1:  // channel fine tuning, +-100 cents
      set_channel_generator(channel, sf2::index_of(Generator::fineTune),
                            static_cast<double>(static_cast<float>(data - 8192) * (100.0f / 8192.0f)));
      break;
    case 2:  // channel coarse tuning, semitones
      set_channel_generator(channel, sf2::index_of(Generator::coarseTune), value - 64);
      break;
    default:
      break;
  }
}

void Synthesizer::control_change(int channel_number, int controller, int value) {
  channel_number &= 15;
  controller &= 127;
  value &= 127;
  ChannelState& channel = channels_[static_cast<std::size_t>(channel_number)];
  channel.controllers[static_cast<std::size_t>(controller)] = static_cast<std::uint8_t>(value);
  switch (controller) {
    case kBankSelectMsb:
      // GS style: CC0 is the whole bank number; drum channels keep the drum bank.
      if (bank_select_style_ == BankSelectStyle::gs && !channel.percussion) channel.bank = value;
      else if (bank_select_style_ == BankSelectStyle::xg) channel.percussion = value >= 120;
      break;
    case kBankSelectLsb:
      if (bank_select_style_ == BankSelectStyle::xg) channel.bank = value;
      break;
    case kDataEntryMsb:
      data_entry(channel, value);
      break;
    case kDataEntryLsb:
      break;
    case kSustainPedal:
      if (value < 64) {
        for (Voice& voice : playing_voices()) {
          if (voice.channel() == channel_number && voice.status() == VoiceStatus::sustained) voice.release();
        }
      }
      break;
    case kSostenutoPedal:
      if (value < 64) {
        for (Voice& voice : playing_voices()) {
          if (voice.channel() == channel_number && voice.status() == VoiceStatus::held_by_sostenuto) voice.release();
        }
      } else {
        channel.sostenuto_note_id = next_note_id_;
      }
      break;
    case kPortamentoSwitch:
    case kLegatoSwitch:
      break;
    case kNrpnMsb:
      channel.controllers[kNrpnLsb] = 0;
      channel.nrpn_sf2_index = 0;
      channel.nrpn_selected = true;
      break;
    case kNrpnLsb:
      if (channel.controllers[kNrpnMsb] == kSf2NrpnMsb) {
        if (value == 100) channel.nrpn_sf2_index += 100;
        else if (value == 101) channel.nrpn_sf2_index += 1000;
        else if (value == 102) channel.nrpn_sf2_index += 10000;
        else if (value < 100) channel.nrpn_sf2_index += value;
      }
      channel.nrpn_selected = true;
      break;
    case kRpnMsb:
    case kRpnLsb:
      channel.nrpn_selected = false;
      break;
    case kAllSoundOff:
      for (Voice& voice : playing_voices()) {
        if (voice.channel() == channel_number) voice.turn_off();
      }
      break;
    case kResetAllControllers:
      reset_controllers(channel);
      for (Voice& voice : playing_voices()) {
        if (voice.channel() != channel_number) continue;
        if (voice.status() == VoiceStatus::sustained || voice.status() == VoiceStatus::held_by_sostenuto) {
          voice.release();
        }
      }
      modulate_channel(channel_number, false, -1);
      break;
    case kAllNotesOff:
      for (Voice& voice : playing_voices()) {
        if (voice.channel() == channel_number) voice.note_off();
      }
      break;
    case 122:  // local control
    case 124:  // omni off
    case 125:  // omni on
    case 126:  // mono
    case 127:  // poly
      break;
    default:
      modulate_channel(channel_number, true, controller);
      break;
  }
}

void Synthesizer::pitch_bend(int channel, int value) {
  channel &= 15;
  channels_[static_cast<std::size_t>(channel)].pitch_bend = static_cast<std::uint16_t>(value & 0x3fff);
  modulate_channel(channel, false, static_cast<int>(GeneralController::pitchWheel));
}

void Synthesizer::channel_pressure(int channel, int value) {
  channel &= 15;
  channels_[static_cast<std::size_t>(channel)].channel_pressure = static_cast<std::uint8_t>(value & 127);
  modulate_channel(channel, false, static_cast<int>(GeneralController::channelPressure));
}

void Synthesizer::key_pressure(int channel, int key, int value) {
  channel &= 15;
  key &= 127;
  channels_[static_cast<std::size_t>(channel)].key_pressure[static_cast<std::size_t>(key)] =
      static_cast<std::uint8_t>(value & 127);
  for (Voice& voice : playing_voices()) {
    if (voice.channel() == channel && voice.key() == key) {
      voice.modulate(false, static_cast<int>(GeneralController::polyPressure));
    }
  }
}

void Synthesizer::system_exclusive(std::span<const std::uint8_t> data) {
  // FluidSynth answers device id 0 (its default) and 0x7F (all devices). Data excludes F0; a
  // trailing F7 may be present.
  if (data.size() < 4) return;
  const std::uint8_t device = data[1];
  if (device != 0 && device != 0x7f) return;
  // Universal non-real-time General MIDI System On (and GM2 On).
  if (data[0] == 0x7e && data[2] == 0x09 && (data[3] == 0x01 || data[3] == 0x03)) {
    bank_select_style_ = BankSelectStyle::gm;
    system_reset();
    return;
  }
  // Roland GS "mode set": 41 dev 42 12 40 00 7F xx checksum.
  if (data[0] == 0x41 && data.size() >= 9 && data[2] == 0x42 && data[3] == 0x12 &&
      data[4] == 0x40 && data[5] == 0x00 && data[6] == 0x7f) {
    const int checksum = (128 - ((data[4] + data[5] + data[6] + data[7]) & 127)) & 127;
    if (data[8] != checksum) return;
    if (data[7] == 0x00) bank_select_style_ = BankSelectStyle::gs;
    else if (data[7] == 0x7f) bank_select_style_ = BankSelectStyle::gm;
    else return;
    system_reset();
    return;
  }
  // Roland GS "use for rhythm part": 41 dev 42 12 40 1x 15 vv checksum.
  if (data[0] == 0x41 && data.size() >= 9 && data[2] == 0x42 && data[3] == 0x12 &&
      data[4] == 0x40 && (data[5] & 0xf0) == 0x10 && data[6] == 0x15 &&
      bank_select_style_ == BankSelectStyle::gs) {
    const int checksum = (128 - ((data[4] + data[5] + data[6] + data[7]) & 127)) & 127;
    if (data[8] != checksum) return;
    const int part = data[5] & 0x0f;
    const int channel_number = part == 0 ? 9 : (part <= 9 ? part - 1 : part);
    ChannelState& channel = channels_[static_cast<std::size_t>(channel_number)];
    channel.percussion = data[7] != 0;
    select_program(channel, 0);
    return;
  }
  // Yamaha XG System On: 43 dev 4C 00 00 7E 00.
  if (data[0] == 0x43 && data.size() >= 7 && data[2] == 0x4c && data[3] == 0x00 &&
      data[4] == 0x00 && (data[5] == 0x7e || data[5] == 0x7f) && data[6] == 0x00) {
    bank_select_style_ = BankSelectStyle::xg;
    system_reset();
  }
}

void Synthesizer::release_pedals() {
  for (int c = 0; c < kMidiChannels; ++c) {
    control_change(c, kSustainPedal, 0);
    control_change(c, kSostenutoPedal, 0);
  }
}

void Synthesizer::release_all_notes() {
  for (Voice& voice : playing_voices()) {
    if (!voice.has_note_off()) voice.release();
  }
}

void Synthesizer::begin_window(std::int64_t first_frame) {
  window_first_frame_ = first_frame;
  window_blocks_ = 0;
  entries_.clear();
  for (auto& controls : entry_controls_) controls.clear();
  std::fill(slot_entry_.begin(), slot_entry_.end(), -1);
}

std::uint32_t Synthesizer::step_blocks(std::uint32_t count, bool end_when_idle) {
  // Voice after voice, each through all `count` blocks, rather than block after block: no event
  // falls between these blocks, and without events voices do not affect one another, so each
  // voice's sequence of steps is the same either way. A voice's state (six cache lines) then
  // stays in the nearest cache for all its blocks and its controls are written in one run;
  // block after block, the ~60 voices' states and the controls written meanwhile outgrew that
  // cache, and every block loaded each voice again.
  std::uint32_t blocks_needed = 0;
  // Slot order, as block-major stepping takes them: entries made at the same block come out
  // in slot order (see order_entries).
  const PlayingVoices voices = playing_voices();
  if (settings_.batch_control && count != 0) {
    // Eight voices at a time, sounding, woken or muted.
    std::array<BatchVoice, ControlBatch::kLanes> batch;
    int in_batch = 0;
    for (auto it = voices.begin(), end = voices.end(); it != end; ++it) {
      Voice& voice = *it;
      const std::uint32_t slot = it.slot();
      bool unheard = false;
      if (voice.muted()) {
        unheard = !voice.wakes_up();
        if (!unheard) slot_fresh_[slot] = true;  // as in step_voice
      }
      batch[static_cast<std::size_t>(in_batch++)] = {&voice, slot, unheard};
      if (in_batch == ControlBatch::kLanes) {
        step_batch(batch.data(), in_batch, count, blocks_needed);
        in_batch = 0;
      }
    }
    if (in_batch != 0) step_batch(batch.data(), in_batch, count, blocks_needed);
  } else {
    for (auto it = voices.begin(), end = voices.end(); it != end; ++it) {
      // The slot from the iterator's bit, not from the voice's address (a division by the size
      // of a Voice). A voice that finishes clears its bit; the iterator has its word already.
      const std::uint32_t stepped = step_voice(*it, it.slot(), count);
      statistics_.voice_blocks += stepped;
      blocks_needed = std::max(blocks_needed, stepped);
    }
  }
  const std::uint32_t blocks = end_when_idle ? blocks_needed : count;
  window_blocks_ += blocks;
  frame_ += static_cast<std::int64_t>(blocks) * kernels::kBlockFrames;
  return blocks;
}

std::uint32_t Synthesizer::step_voice(Voice& voice, std::uint32_t slot, std::uint32_t count) {
  if (count == 0) return 0;  // no entry for a run of no blocks
  if (voice.muted()) {
    if (!voice.wakes_up()) return step_muted(voice, slot, count);
    // Audible again: a new entry, from filter memory at rest (its old memory, of a signal
    // below the floor, was not kept).
    slot_fresh_[slot] = true;
  }
  const std::size_t entry = entry_of(voice, slot, window_blocks_);
  ControlList& controls = entry_controls_[entry];
  // Uninitialised: step() writes every field of the block. A run writes its controls one
  // after another, a stream the hardware prefetcher follows. The list's size and the coarse
  // count are kept in locals meanwhile: in memory, the controls' stores could alias them.
  VoiceBlockControl* const out = controls.reserve_more(count);
  const VoiceBlockControl* previous = controls.last_or_null();
  std::uint64_t coarse_blocks = 0;
  std::uint32_t k = 0;
  BlockOutcome outcome = BlockOutcome::sounding;
  while (k < count) {
    outcome = voice.step(out[k]);
    mark_repeats(out[k], previous);
    previous = &out[k];
    coarse_blocks += out[k].interpolation != environment_.interpolation ? 1 : 0;
    ++k;
    if (outcome == BlockOutcome::finished || voice.muted()) break;
  }
  statistics_.coarse_voice_blocks += coarse_blocks;
  return end_run(voice, slot, entry, k, count, outcome == BlockOutcome::finished);
}

std::uint32_t Synthesizer::end_run(Voice& voice, std::uint32_t slot, std::size_t entry, std::uint32_t stepped,
                                   std::uint32_t count, bool finished) {
  entry_controls_[entry].extend(stepped);
  if (finished) {
    free_finished(voice, slot);
    entries_[entry].ends_here = true;
    slot_entry_[slot] = -1;
    return stepped;
  }
  // Muted by its last block, the rest of the run is muted too (see step_muted).
  return stepped < count ? stepped + step_muted(voice, slot, count - stepped) : count;
}

std::size_t Synthesizer::entry_of(const Voice& voice, std::uint32_t slot, std::uint32_t block) {
  if (slot_entry_[slot] >= 0) return static_cast<std::size_t>(slot_entry_[slot]);
  const std::size_t entry = entries_.size();
  ScoredVoice scored;
  scored.voice_id = voice.note_id();
  scored.slot = slot;
  scored.starts_here = slot_fresh_[slot];
  scored.data = environment_.data;
  scored.interpolation = environment_.interpolation;
  scored.first_block = block;
  entries_.push_back(scored);
  if (entry_controls_.size() <= entry) entry_controls_.emplace_back();
  entry_controls_[entry].clear();
  slot_entry_[slot] = static_cast<int>(entry);
  // Cleared only here, where it is read: a voice that starts in a slot always finds the slot
  // without an entry (free, finished or stolen slots have none), so it passes here on its
  // first block.
  slot_fresh_[slot] = false;
  return entry;
}

std::uint32_t Synthesizer::step_muted(Voice& voice, std::uint32_t slot, std::uint32_t count) {
  // The voice's entry in this window, if it has one, ends with the blocks it has.
  slot_entry_[slot] = -1;
  for (std::uint32_t k = 0; k < count; ++k) {
    if (voice.step_unheard() == BlockOutcome::finished) return finish_muted(voice, slot, k + 1);
  }
  statistics_.muted_voice_blocks += count;
  return count;
}

void Synthesizer::order_entries() {
  // Entries are made only where a run of blocks begins (a voice without one is new, or was
  // muted and woke up, both by events, which end runs), so voice after voice they come out in
  // this order already; sorting is the guarantee, not the rule.
  const auto before = [this](std::uint32_t a, std::uint32_t b) {
    const ScoredVoice& x = entries_[a];
    const ScoredVoice& y = entries_[b];
    return x.first_block != y.first_block ? x.first_block < y.first_block : x.slot < y.slot;
  };
  entry_order_.resize(entries_.size());
  for (std::uint32_t e = 0; e < entry_order_.size(); ++e) entry_order_[e] = e;
  if (std::is_sorted(entry_order_.begin(), entry_order_.end(), before)) return;
  std::sort(entry_order_.begin(), entry_order_.end(), before);
  std::vector<ScoredVoice> entries(entries_.size());
  std::vector<ControlList> controls(entries_.size());
  for (std::size_t e = 0; e < entry_order_.size(); ++e) {
    entries[e] = entries_[entry_order_[e]];
    controls[e].swap(entry_controls_[entry_order_[e]]);
  }
  for (std::size_t e = 0; e < entries.size(); ++e) {
    entries_[e] = entries[e];
    entry_controls_[e].swap(controls[e]);
  }
}

void Synthesizer::reuse_lists_of(WindowScore& score) {
  if (!entries_.empty() || window_blocks_ != 0) return;  // the window has begun: keep its lists
  // Not cleared here: step_block clears each list as it gives it to a voice.
  score.controls.swap(entry_controls_);
}

void Synthesizer::finish_window(WindowScore& score) {
  score.clear();
  score.first_frame = window_first_frame_;
  score.block_count = window_blocks_;
  order_entries();
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    entries_[e].block_count = static_cast<std::uint32_t>(entry_controls_[e].size());
  }
  // Hand the lists over; the score's cleared ones come back as capacity for the next window.
  score.voices.swap(entries_);
  score.controls.swap(entry_controls_);
}

}  // namespace tutti::engine::synth
