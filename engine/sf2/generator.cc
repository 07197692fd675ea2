#include "engine/sf2/generator.h"

namespace tutti::engine::sf2 {

namespace {

// Ranges follow SoundFont 2.04 section 8.1.3. Sample address offsets have no meaningful range
// there (they are bounded later by the sample itself), so they keep the full int16 span.
constexpr std::int16_t kMin = -32768;
constexpr std::int16_t kMax = 32767;

constexpr std::array<GeneratorInfo, kGeneratorCount> kTable = {{
    {"startAddrsOffset", 0, 0, kMax, false, false},
    {"endAddrsOffset", 0, kMin, 0, false, false},
    {"startloopAddrsOffset", 0, kMin, kMax, false, false},
    {"endloopAddrsOffset", 0, kMin, kMax, false, false},
    {"startAddrsCoarseOffset", 0, 0, kMax, false, false},
    {"modLfoToPitch", 0, -12000, 12000, true, false},
    {"vibLfoToPitch", 0, -12000, 12000, true, false},
    {"modEnvToPitch", 0, -12000, 12000, true, false},
    {"initialFilterFc", 13500, 1500, 13500, true, false},
    {"initialFilterQ", 0, 0, 960, true, false},
    {"modLfoToFilterFc", 0, -12000, 12000, true, false},
    {"modEnvToFilterFc", 0, -12000, 12000, true, false},
    {"endAddrsCoarseOffset", 0, kMin, 0, false, false},
    {"modLfoToVolume", 0, -960, 960, true, false},
    {"", 0, 0, 0, false, false},
    {"chorusEffectsSend", 0, 0, 1000, true, false},
    {"reverbEffectsSend", 0, 0, 1000, true, false},
    {"pan", 0, -500, 500, true, false},
    {"", 0, 0, 0, false, false},
    {"", 0, 0, 0, false, false},
    {"", 0, 0, 0, false, false},
    {"delayModLFO", -12000, -12000, 5000, true, false},
    {"freqModLFO", 0, -16000, 4500, true, false},
    {"delayVibLFO", -12000, -12000, 5000, true, false},
    {"freqVibLFO", 0, -16000, 4500, true, false},
    {"delayModEnv", -12000, -12000, 5000, true, false},
    {"attackModEnv", -12000, -12000, 8000, true, false},
    {"holdModEnv", -12000, -12000, 5000, true, false},
    {"decayModEnv", -12000, -12000, 8000, true, false},
    {"sustainModEnv", 0, 0, 1000, true, false},
    {"releaseModEnv", -12000, -12000, 8000, true, false},
    {"keynumToModEnvHold", 0, -1200, 1200, true, false},
    {"keynumToModEnvDecay", 0, -1200, 1200, true, false},
    {"delayVolEnv", -12000, -12000, 5000, true, false},
    {"attackVolEnv", -12000, -12000, 8000, true, false},
    {"holdVolEnv", -12000, -12000, 5000, true, false},
    {"decayVolEnv", -12000, -12000, 8000, true, false},
    {"sustainVolEnv", 0, 0, 1440, true, false},
    {"releaseVolEnv", -12000, -12000, 8000, true, false},
    {"keynumToVolEnvHold", 0, -1200, 1200, true, false},
    {"keynumToVolEnvDecay", 0, -1200, 1200, true, false},
    {"instrument", 0, 0, kMax, true, false},
    {"", 0, 0, 0, false, false},
    {"keyRange", 0, 0, 127, true, true},
    {"velRange", 0, 0, 127, true, true},
    {"startloopAddrsCoarseOffset", 0, kMin, kMax, false, false},
    {"keynum", -1, 0, 127, false, false},
    {"velocity", -1, 1, 127, false, false},
    {"initialAttenuation", 0, 0, 1440, true, false},
    {"", 0, 0, 0, false, false},
    {"endloopAddrsCoarseOffset", 0, kMin, kMax, false, false},
    {"coarseTune", 0, -120, 120, true, false},
    {"fineTune", 0, -99, 99, true, false},
    {"sampleID", 0, 0, kMax, false, false},
    {"sampleModes", 0, 0, 3, false, false},
    {"", 0, 0, 0, false, false},
    {"scaleTuning", 100, 0, 1200, true, false},
    {"exclusiveClass", 0, 0, 127, false, false},
    {"overridingRootKey", -1, 0, 127, false, false},
    {"", 0, 0, 0, false, false},
    {"endOper", 0, 0, 0, false, false},
}};

}  // namespace

const std::array<GeneratorInfo, kGeneratorCount>& generator_table() { return kTable; }

std::optional<Generator> generator_from_number(std::uint16_t number) {
  if (number >= kGeneratorCount - 1) return std::nullopt;  // endOper is a terminator, not a generator
  if (kTable[number].name.empty()) return std::nullopt;
  return static_cast<Generator>(number);
}

}  // namespace tutti::engine::sf2
