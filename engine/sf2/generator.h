#pragma once
// SoundFont 2.04 generators (section 8.1.2). The enumerators carry the spec's names and are the
// only place in the project where generator numbers appear.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tutti::engine::sf2 {

enum class Generator : std::uint16_t {
  startAddrsOffset = 0,
  endAddrsOffset = 1,
  startloopAddrsOffset = 2,
  endloopAddrsOffset = 3,
  startAddrsCoarseOffset = 4,
  modLfoToPitch = 5,
  vibLfoToPitch = 6,
  modEnvToPitch = 7,
  initialFilterFc = 8,
  initialFilterQ = 9,
  modLfoToFilterFc = 10,
  modEnvToFilterFc = 11,
  endAddrsCoarseOffset = 12,
  modLfoToVolume = 13,
  unused1 = 14,
  chorusEffectsSend = 15,
  reverbEffectsSend = 16,
  pan = 17,
  unused2 = 18,
  unused3 = 19,
  unused4 = 20,
  delayModLFO = 21,
  freqModLFO = 22,
  delayVibLFO = 23,
  freqVibLFO = 24,
  delayModEnv = 25,
  attackModEnv = 26,
  holdModEnv = 27,
  decayModEnv = 28,
  sustainModEnv = 29,
  releaseModEnv = 30,
  keynumToModEnvHold = 31,
  keynumToModEnvDecay = 32,
  delayVolEnv = 33,
  attackVolEnv = 34,
  holdVolEnv = 35,
  decayVolEnv = 36,
  sustainVolEnv = 37,
  releaseVolEnv = 38,
  keynumToVolEnvHold = 39,
  keynumToVolEnvDecay = 40,
  instrument = 41,
  reserved1 = 42,
  keyRange = 43,
  velRange = 44,
  startloopAddrsCoarseOffset = 45,
  keynum = 46,
  velocity = 47,
  initialAttenuation = 48,
  reserved2 = 49,
  endloopAddrsCoarseOffset = 50,
  coarseTune = 51,
  fineTune = 52,
  sampleID = 53,
  sampleModes = 54,
  reserved3 = 55,
  scaleTuning = 56,
  exclusiveClass = 57,
  overridingRootKey = 58,
  unused5 = 59,
  endOper = 60,
};

inline constexpr int kGeneratorCount = 61;

constexpr int index_of(Generator g) { return static_cast<int>(g); }

// What the spec says about one generator: its default (section 8.1.3), the range a value is
// clamped to, and whether a preset-level value may offset it (section 8.5: sample addresses,
// keynum, velocity, sampleModes, exclusiveClass and overridingRootKey are instrument-only).
struct GeneratorInfo {
  std::string_view name;
  std::int16_t default_value;
  std::int16_t min_value;
  std::int16_t max_value;
  bool valid_in_preset;
  bool is_range;  // keyRange / velRange: two bytes, not a signed amount
};

// The table, indexed by generator number. Unused and reserved numbers are marked by an empty
// name and are ignored when read from a file (section 8.1.2 says so for unknown generators).
const std::array<GeneratorInfo, kGeneratorCount>& generator_table();

inline const GeneratorInfo& info(Generator g) { return generator_table()[static_cast<std::size_t>(g)]; }

// The generator for a raw number from a file, or nothing if the number is out of range or
// unused/reserved.
std::optional<Generator> generator_from_number(std::uint16_t number);

}  // namespace tutti::engine::sf2
