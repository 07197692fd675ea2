#pragma once
// A voice's generator values as the SF2 summing node sees them: the value from the zones (or
// the default), plus what modulators add, plus what NRPN adds. Two slots exist beyond the SF2
// set: the key's nominal pitch and FluidSynth's stereo balance (driven by CC8).
#include <array>
#include <cstdint>

#include "engine/sf2/generator.h"

namespace tutti::engine::synth {

inline constexpr int kPitchSlot = sf2::kGeneratorCount;          // nominal pitch in cents
inline constexpr int kBalanceSlot = sf2::kGeneratorCount + 1;    // CC8 balance in cB
inline constexpr int kVoiceGeneratorCount = sf2::kGeneratorCount + 2;

struct GeneratorSlot {
  double value = 0.0;
  double modulation = 0.0;
  double nrpn = 0.0;
  bool set = false;  // given by a zone (or NRPN)
  double total() const { return value + modulation + nrpn; }
};

class VoiceGenerators {
 public:
  // Spec defaults; `nrpn_offsets` are the channel's NRPN values.
  void reset(const std::array<double, sf2::kGeneratorCount>& nrpn_offsets);

  GeneratorSlot& operator[](int slot) { return slots_[static_cast<std::size_t>(slot)]; }
  const GeneratorSlot& operator[](int slot) const { return slots_[static_cast<std::size_t>(slot)]; }
  GeneratorSlot& operator[](sf2::Generator g) { return (*this)[sf2::index_of(g)]; }
  const GeneratorSlot& operator[](sf2::Generator g) const { return (*this)[sf2::index_of(g)]; }

  double total(sf2::Generator g) const { return (*this)[g].total(); }
  double base(sf2::Generator g) const { return (*this)[g].value; }

 private:
  std::array<GeneratorSlot, kVoiceGeneratorCount> slots_{};
};

}  // namespace tutti::engine::synth
