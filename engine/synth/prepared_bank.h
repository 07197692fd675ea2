#pragma once
// What the engine derives from a bank once, before any note: playback regions of samples in
// the voice's conventions (loop points sanitised, the loudest point inside each loop), and
// every preset with its zones resolved (global zones merged into local ones, instrument zones
// intersected with their preset zone) on its first note, so a note-on is a range check and a
// copy. Immutable in effect after construction (what is found on first use is found the same
// by any thread); shared by all threads rendering with the bank.
#include <atomic>
#include <bitset>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "engine/common/found_once.h"
#include "engine/sf2/bank.h"
#include "engine/synth/modulation.h"
#include "engine/synth/sample_bounds.h"
#include "kernels/voice_block.h"

namespace tutti::engine::synth {

struct PreparedSample {
  const sf2::SampleHeader* header = nullptr;
  kernels::PlaybackRegion region;  // `end` is the last playable point
  std::uint32_t sample_rate = 44100;
  int root_key = 60;
  int pitch_correction_cents = 0;
  bool playable = false;

  // The largest magnitude inside the loop on the 24-bit scale (at least 1), to tell when a
  // looping voice has faded below the noise floor; 0 for a sample that is not playable.
  // Found on first use and kept: a bank holds thousands of samples and a song plays a few, and
  // scanning every loop at load read most of a 141 MB bank for each file rendered.
  // Thread-safe: concurrent first uses compute the same value.
  double loop_peak() const;
  // How loud and how sharp the rest of the sample is from any point (sample_bounds.h), for a
  // playable sample. Found on first use, as loop_peak, and not copied with the sample (copies
  // find them again). Thread-safe.
  const SuffixBounds& suffix_bounds() const;


 private:
  friend class PreparedBank;
  // An atomic that copies by value, so that PreparedSample keeps its implicit copies.
  struct FoundPeak {
    std::atomic<double> value{-1.0};  // negative until found
    FoundPeak() = default;
    FoundPeak(const FoundPeak& other) : value(other.value.load(std::memory_order_relaxed)) {}
    FoundPeak& operator=(const FoundPeak& other) {
      value.store(other.value.load(std::memory_order_relaxed), std::memory_order_relaxed);
      return *this;
    }
  };
  kernels::SampleData data_;
  mutable FoundPeak loop_peak_;
  FoundOnce<SuffixBounds> suffix_bounds_;
};

// Generator values one zone level provides, with flags for those it sets.
struct ZoneGenerators {
  std::array<double, sf2::kGeneratorCount> value{};
  std::bitset<sf2::kGeneratorCount> set;
};

struct VoiceZone {
  sf2::KeyVelRange range;  // intersection of the instrument zone and its preset zone
  std::uint32_t sample = 0;
  ZoneGenerators generators;               // instrument level: local over global
  std::vector<VoiceModulator> modulators;  // instrument level: local, then global not replaced
};

struct PreparedPresetZone {
  sf2::KeyVelRange range;
  ZoneGenerators generators;               // preset level: local over global, added
  std::vector<VoiceModulator> modulators;  // preset level
  std::vector<VoiceZone> voice_zones;
};

class PreparedBank;

class PreparedPreset {
 public:
  PreparedPreset(const PreparedBank& owner, const sf2::Preset& file_preset) : preset(&file_preset), owner_(&owner) {}

  const sf2::Preset* preset;

  // The preset's zones, in reverse file order (the order voices start in). Resolved on first
  // use and kept: a GM bank has some 200 presets and a song plays a dozen, so resolving all of
  // them at load was most of a bank's preparation, paid again by every one-file process.
  // Thread-safe, as FoundOnce.
  const std::vector<PreparedPresetZone>& zones() const;

 private:
  const PreparedBank* owner_;
  FoundOnce<std::vector<PreparedPresetZone>> zones_;
};

class PreparedBank {
 public:
  explicit PreparedBank(std::shared_ptr<const sf2::Bank> bank);
  // Its presets point back to it.
  PreparedBank(const PreparedBank&) = delete;
  PreparedBank& operator=(const PreparedBank&) = delete;

  const sf2::Bank& bank() const { return *bank_; }
  const PreparedSample& sample(std::uint32_t index) const { return samples_[index]; }
  kernels::SampleData sample_data() const;
  const PreparedPreset* find(int bank, int program) const;
  const std::vector<PreparedPreset>& presets() const { return presets_; }

 private:
  friend class PreparedPreset;
  void prepare_samples();
  void index_presets();
  std::vector<PreparedPresetZone> resolve_zones(const sf2::Preset& preset) const;

  std::shared_ptr<const sf2::Bank> bank_;
  std::vector<PreparedSample> samples_;
  std::vector<PreparedPreset> presets_;
  std::unordered_map<std::uint32_t, std::size_t> by_bank_program_;
};

}  // namespace tutti::engine::synth
