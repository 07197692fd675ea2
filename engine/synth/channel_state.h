#pragma once
// The MIDI state of one channel that voices read: controllers, pressures, pitch wheel and its
// range, the selected preset, and the SF2 generator offsets set through NRPN. How MIDI messages
// change it is the synthesizer's business (synthesizer.cc); this is only the data.
#include <array>
#include <cstdint>

#include "engine/sf2/bank.h"
#include "engine/sf2/generator.h"

namespace tutti::engine::synth {

struct PreparedPreset;

// MIDI controller numbers that carry meaning here.
enum Controller : std::uint8_t {
  kBankSelectMsb = 0,
  kModulationWheel = 1,
  kDataEntryMsb = 6,
  kVolume = 7,
  kBalance = 8,
  kPan = 10,
  kExpression = 11,
  kBankSelectLsb = 32,
  kDataEntryLsb = 38,
  kSustainPedal = 64,
  kPortamentoSwitch = 65,
  kSostenutoPedal = 66,
  kSoftPedal = 67,
  kLegatoSwitch = 68,
  kReverbSend = 91,
  kChorusSend = 93,
  kDataIncrement = 96,
  kDataDecrement = 97,
  kNrpnLsb = 98,
  kNrpnMsb = 99,
  kRpnLsb = 100,
  kRpnMsb = 101,
  kAllSoundOff = 120,
  kResetAllControllers = 121,
  kAllNotesOff = 123,
};

struct ChannelState {
  int number = 0;
  bool percussion = false;  // the channel plays from the drum bank (MIDI channel 10 by default)

  std::array<std::uint8_t, 128> controllers{};
  std::array<std::uint8_t, 128> key_pressure{};
  std::uint8_t channel_pressure = 0;
  std::uint16_t pitch_bend = 8192;          // 14 bit, 8192 = centre
  double pitch_wheel_sensitivity = 2.0;     // semitones (RPN 0)

  // Program selection: the bank is latched from CC0/CC32 when a program change arrives.
  int bank = 0;
  int program = 0;
  const PreparedPreset* preset = nullptr;  // nullptr: note-ons are ignored

  // Offsets added to every new voice's generators (NRPN 120 SF2 parameters).
  std::array<double, sf2::kGeneratorCount> generator_offsets{};
  std::array<bool, sf2::kGeneratorCount> generator_offset_set{};

  // RPN / NRPN selection state. -1 means none selected.
  int rpn = -1;
  int nrpn = -1;
  bool nrpn_selected = false;  // the last parameter selected was an NRPN (not an RPN)
  int nrpn_sf2_index = 0;      // SF2 NRPN generator selection (NRPN 120 scheme)

  // Fine and coarse tuning from RPN 1 and 2, in cents.
  double fine_tune_cents = 0.0;
  double coarse_tune_cents = 0.0;

  // Voices of notes started before the sostenuto pedal went down have smaller note ids; only
  // those are held by it.
  std::uint64_t sostenuto_note_id = 0;

  bool sustained() const { return controllers[kSustainPedal] >= 64; }
  bool sostenuto() const { return controllers[kSostenutoPedal] >= 64; }
};

}  // namespace tutti::engine::synth
