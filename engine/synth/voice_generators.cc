#include "engine/synth/voice_generators.h"

namespace tutti::engine::synth {

void VoiceGenerators::reset(const std::array<double, sf2::kGeneratorCount>& nrpn_offsets) {
  const auto& table = sf2::generator_table();
  for (int i = 0; i < sf2::kGeneratorCount; ++i) {
    slots_[static_cast<std::size_t>(i)] = {static_cast<double>(table[static_cast<std::size_t>(i)].default_value),
                                           0.0, nrpn_offsets[static_cast<std::size_t>(i)], false};
  }
  slots_[kPitchSlot] = {};
  slots_[kBalanceSlot] = {};
}

}  // namespace tutti::engine::synth
