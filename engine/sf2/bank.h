#pragma once
// A parsed and validated SoundFont 2 bank: the preset/instrument/sample hydra (pdta) with the
// sample data (sdta) left in the memory map. Loaded once, immutable, shared by every thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/expected.h"
#include "engine/common/mapped_file.h"
#include "engine/sf2/generator.h"
#include "engine/sf2/modulator.h"

namespace tutti::engine::sf2 {

// sfSampleType bits (section 7.10).
enum SampleTypeBits : std::uint16_t {
  kMonoSample = 1,
  kRightSample = 2,
  kLeftSample = 4,
  kLinkedSample = 8,
  kRomSample = 0x8000,
};

struct SampleHeader {
  std::string name;
  // Offsets in sample points from the start of the smpl data. `end` is one past the last point
  // the spec allows playing (the shdr value); loop_end is the first point after the loop.
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint32_t loop_start = 0;
  std::uint32_t loop_end = 0;
  std::uint32_t sample_rate = 0;
  std::uint8_t original_pitch = 60;  // MIDI key; 255 means unpitched and is read as 60
  std::int8_t pitch_correction = 0;  // cents
  std::uint16_t sample_link = 0;
  std::uint16_t sample_type = kMonoSample;

  // The MIDI key the sample sounds at: original_pitch, except that 255 (unpitched) and the
  // illegal 128-254 read as 60 (section 7.10). FluidSynth 2.3.1 uses the raw byte instead; both
  // only matter when no overridingRootKey is set.
  int root_key() const { return original_pitch <= 127 ? original_pitch : 60; }
};

struct GeneratorValue {
  Generator type;
  std::int16_t amount = 0;          // for keyRange/velRange: lo | hi << 8, as stored
  std::uint8_t range_low() const { return static_cast<std::uint8_t>(amount & 0xff); }
  std::uint8_t range_high() const { return static_cast<std::uint8_t>((amount >> 8) & 0xff); }
};

struct KeyVelRange {
  std::uint8_t key_low = 0, key_high = 127;
  std::uint8_t vel_low = 0, vel_high = 127;
  bool contains(int key, int velocity) const {
    return key >= key_low && key <= key_high && velocity >= vel_low && velocity <= vel_high;
  }
};

// One zone as it appears in the file, after the spec's ordering rules were applied (keyRange
// first, velRange second, instrument/sampleID last; anything after the terminal generator is
// dropped; duplicates keep the last value). `link` is the instrument index for a preset zone
// and the sample index for an instrument zone; a zone without one is a global zone.
struct Zone {
  KeyVelRange range;
  std::vector<GeneratorValue> generators;  // excludes keyRange, velRange, instrument, sampleID
  std::vector<Modulator> modulators;
  std::optional<std::uint32_t> link;
};

struct Instrument {
  std::string name;
  std::optional<Zone> global_zone;
  std::vector<Zone> zones;  // every one has a link (a sample)
};

struct Preset {
  std::string name;
  std::uint16_t program = 0;  // wPreset
  std::uint16_t bank = 0;     // wBank; 128 is the percussion bank
  std::optional<Zone> global_zone;
  std::vector<Zone> zones;  // every one has a link (an instrument)
};

struct BankInfo {
  std::uint16_t version_major = 0, version_minor = 0;  // ifil
  std::string name;      // INAM
  std::string engine;    // isng
  std::string copyright; // ICOP
};

class Bank {
 public:
  const std::string& path() const { return path_; }
  const BankInfo& info() const { return info_; }
  const std::vector<Preset>& presets() const { return presets_; }
  const std::vector<Instrument>& instruments() const { return instruments_; }
  const std::vector<SampleHeader>& samples() const { return samples_; }
  // The 16-bit sample points (smpl), read in place from the memory map (a copy only for a
  // misaligned smpl or on a big-endian host). Points past a sample's end exist up to size().
  std::span<const std::int16_t> sample_data() const { return sample_data_; }
  // The low bytes of 24-bit samples (sm24), one per smpl point, or empty when the bank has none
  // or its sm24 was ignored (version before 2.04, wrong size).
  std::span<const std::uint8_t> sample_data_24() const { return sample_data_24_; }
  // Non-fatal findings at load (fixed loop points, ignored records...), one line each.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The preset with this bank and program number, or nullptr; O(log presets). When a file holds
  // the same bank and program twice, the first one in the file wins (FluidSynth does the same).
  const Preset* find_preset(int bank, int program) const;

 private:
  friend class BankLoader;
  struct PresetKey {
    std::uint32_t bank_program;  // bank << 16 | program
    std::uint32_t preset_index;  // into presets_
  };
  std::string path_;
  MappedFile file_;
  // The whole file when loaded from memory instead of a map (tests, fuzzing).
  std::vector<std::uint8_t> owned_file_;
  // A copy of smpl only when it cannot be read in place: odd file offset (broken writer) or a
  // big-endian host. sample_data_ then points here.
  std::vector<std::int16_t> owned_sample_data_;
  BankInfo info_;
  std::vector<Preset> presets_;
  std::vector<Instrument> instruments_;
  std::vector<SampleHeader> samples_;
  std::span<const std::int16_t> sample_data_;
  std::span<const std::uint8_t> sample_data_24_;
  std::vector<std::string> warnings_;
  std::vector<PresetKey> preset_index_;  // sorted by bank_program, then file order
};

// Loads and validates a bank (SoundFont 2.01-2.04, RIFF 'sfbk'). Errors name the file, the
// chunk and the byte offset. The result is shared read-only between threads.
Expected<std::shared_ptr<const Bank>> load_bank(const std::string& path);

// The same from bytes already in memory (the bank keeps them); `name` stands in for the path in
// errors and may be empty.
Expected<std::shared_ptr<const Bank>> load_bank_from_bytes(std::vector<std::uint8_t> bytes,
                                                           const std::string& name = "");

}  // namespace tutti::engine::sf2
