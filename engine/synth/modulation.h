#pragma once
// SF2 modulators as a voice evaluates them: source values normalised and shaped by their curve,
// multiplied by the amount and the amount source. Default modulators (SF2 2.04 section 8.4)
// are the set FluidSynth 2.3 installs.
#include <cstdint>
#include <span>

#include "engine/sf2/modulator.h"
#include "engine/synth/channel_state.h"

namespace tutti::engine::synth {

struct VoiceModulator {
  sf2::ModulatorSource source;
  sf2::ModulatorSource amount_source;
  std::uint16_t destination = 0;  // generator number
  double amount = 0.0;
  bool absolute_value = false;    // transform 2 (SF2 2.04 section 8.3)

  // SF2 2.04 section 9.5.1: same sources, destination and transform; the amount is ignored.
  bool same_identity(const VoiceModulator& other) const {
    return source == other.source && amount_source == other.amount_source &&
           destination == other.destination && absolute_value == other.absolute_value;
  }
};

// What a modulator source can read for one voice.
struct ModulationInputs {
  const ChannelState& channel;
  int key;              // the voice's key after the keynum generator
  int velocity;         // the voice's velocity after the velocity generator
  int played_key;       // the key of the note-on (poly pressure is looked up by it)
};

double evaluate(const VoiceModulator& modulator, const ModulationInputs& inputs);

// Converts a file modulator; returns false when FluidSynth would not use it (unknown source,
// a controller that cannot be a source, a transform other than linear or absolute value).
bool from_file(const sf2::Modulator& record, VoiceModulator& out);

// Does `modulator` read this controller (is_cc) or general source?
bool reads_source(const VoiceModulator& modulator, bool is_cc, int index);

std::span<const VoiceModulator> default_modulators();

// FluidSynth evaluates its default velocity-to-filter-cutoff modulator (and anything identical
// to it) as 0: velocity never closes the filter. tutti does the same (see COMPAT.md).
bool is_default_velocity_to_filter(const VoiceModulator& modulator);

}  // namespace tutti::engine::synth
