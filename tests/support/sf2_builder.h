#pragma once
// Tiny SoundFont 2 banks built in code, so that no test fixture is a committed binary.
//
//   Sf2Builder b;
//   int s = b.add_sample(sine_loop(4, 100), {.root_key = 69, .loop_start = 0, .loop_end = 400});
//   int i = b.add_instrument("Sine", {zone(s).gen(Generator::sampleModes, 1)});
//   b.add_preset("Sine", 0, 0, {preset_zone(i)});
//   std::vector<std::uint8_t> bytes = b.bytes();      // or b.write(path)
//
// By default everything written follows SoundFont 2.04: generators in the order the spec
// prescribes (keyRange, velRange, the rest, instrument/sampleID last), every record array with its
// terminal record, 46 zero points after each sample, even-sized INFO strings. For malformed
// banks, `raw()` returns the chunk tree to edit (sizes, records, missing chunks) before
// `assemble()`, and `in_file_order()` writes a zone's generators exactly as given.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/common/expected.h"
#include "engine/sf2/bank.h"
#include "engine/sf2/generator.h"
#include "engine/sf2/modulator.h"

namespace tutti::test {

using engine::sf2::GeneralController;
using engine::sf2::Generator;
using engine::sf2::Modulator;
using engine::sf2::SourceCurve;

// ---- Waveforms, as points in [-1, 1] ----------------------------------------------------------

// `cycles` whole periods of `points_per_cycle` points each: looping all of it is seamless.
std::vector<float> sine_loop(int cycles, int points_per_cycle, float amplitude = 0.5f);
// A rising sawtooth with the same whole-period layout (jumps from +a to -a at each period start).
std::vector<float> saw_loop(int cycles, int points_per_cycle, float amplitude = 0.5f);
std::vector<float> silence(int points);
// A sine of any frequency, starting at phase 0 (not necessarily seamless when looped).
std::vector<float> sine(double frequency_hz, double sample_rate, int points, float amplitude = 0.5f);

// ---- Samples ----------------------------------------------------------------------------------

struct SampleOptions {
  std::string name = {};           // default "sample<index>"
  int root_key = 60;               // byOriginalPitch (255: unpitched)
  int pitch_correction = 0;        // chPitchCorrection, cents
  std::uint32_t loop_start = 0;    // relative to the sample's first point; 0 and 0 mean no loop
  std::uint32_t loop_end = 0;      // relative; one past the last point of the loop
  std::uint32_t rate = 44100;      // dwSampleRate
  std::uint16_t type = engine::sf2::kMonoSample;  // sfSampleType bits
  int link = 0;                    // wSampleLink: the partner's index in a stereo pair
  bool bits24 = false;             // float input only: keep 24 bits (low byte goes to sm24)
};

// A sample header exactly as written to shdr, with absolute point offsets in smpl.
struct SampleRecord {
  std::string name;
  std::uint32_t start = 0, end = 0, loop_start = 0, loop_end = 0;
  std::uint32_t rate = 44100;
  std::uint8_t original_pitch = 60;
  std::int8_t pitch_correction = 0;
  std::uint16_t link = 0;
  std::uint16_t type = engine::sf2::kMonoSample;
};

// ---- Modulators -------------------------------------------------------------------------------

// Encoded sfModulator source words (section 8.2).
std::uint16_t cc_source(int controller, SourceCurve curve = SourceCurve::linear, bool bipolar = false,
                        bool descending = false);
std::uint16_t general_source(GeneralController controller, SourceCurve curve = SourceCurve::linear,
                             bool bipolar = false, bool descending = false);
Modulator modulator(std::uint16_t source, Generator destination, int amount, std::uint16_t amount_source = 0,
                    std::uint16_t transform = 0);

// ---- Zones ------------------------------------------------------------------------------------

class ZoneSpec {
 public:
  struct Entry {
    std::uint16_t oper = 0;
    std::uint16_t amount = 0;
  };

  // Amounts are signed 16-bit values as the spec stores them (cents, timecents, ...).
  ZoneSpec& gen(Generator generator, int amount);
  // Any generator number, including unused/reserved/unknown ones; the amount is written as is.
  ZoneSpec& gen_raw(std::uint16_t oper, std::uint16_t amount);
  ZoneSpec& key_range(int low, int high);
  ZoneSpec& vel_range(int low, int high);
  ZoneSpec& mod(const Modulator& modulator);
  // Write the generators exactly in the order given. The link (sampleID/instrument) is then
  // appended only if no generator of that kind was given explicitly.
  ZoneSpec& in_file_order();

  std::vector<Entry> generators;
  std::vector<Modulator> modulators;
  std::optional<std::uint16_t> link;  // sample (instrument zone) or instrument (preset zone)
  bool exact_order = false;
};

ZoneSpec zone(int sample);           // an instrument zone playing `sample`
ZoneSpec preset_zone(int instrument);  // a preset zone using `instrument`
ZoneSpec global_zone();              // no link: global when first, ignored elsewhere

// ---- Raw chunk tree, for malformed banks --------------------------------------------------------

struct RawChunk {
  std::string id;  // four characters
  std::vector<std::uint8_t> data;
  std::optional<std::uint32_t> declared_size;  // written instead of data.size()
  bool pad = true;                             // write RIFF's zero pad byte after odd data
};

struct RawList {
  std::string type;  // "INFO", "sdta", "pdta"
  std::vector<RawChunk> chunks;
  std::optional<std::uint32_t> declared_size;  // written instead of the real size
};

struct RawBank {
  std::string riff_id = "RIFF";
  std::string form = "sfbk";
  std::vector<RawList> lists;
  std::optional<std::uint32_t> declared_size;  // RIFF size written instead of the real one

  RawList* list(std::string_view type);
  RawChunk* chunk(std::string_view list_type, std::string_view id);  // nullptr when absent
  RawChunk& at(std::string_view list_type, std::string_view id);     // aborts when absent
  void remove(std::string_view list_type, std::string_view id);

  std::vector<std::uint8_t> assemble() const;
  // Byte offsets in assemble()'s output, for checking the offsets errors report.
  std::int64_t list_offset(std::string_view type) const;  // of the LIST header
  std::int64_t header_offset(std::string_view list_type, std::string_view id) const;
  std::int64_t data_offset(std::string_view list_type, std::string_view id) const {
    return header_offset(list_type, id) + 8;
  }
};

// Record sizes (section 7) and the field offsets inside records that tests usually poke at.
namespace record {
inline constexpr std::size_t phdr = 38, bag = 4, mod = 10, gen = 4, inst = 22, shdr = 46;
inline constexpr std::size_t phdr_bag = 24, inst_bag = 20;
inline constexpr std::size_t shdr_start = 20, shdr_end = 24, shdr_loop_start = 28, shdr_loop_end = 32,
                             shdr_rate = 36, shdr_pitch = 40, shdr_correction = 41, shdr_link = 42,
                             shdr_type = 44;
}  // namespace record

void put_u16(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint16_t value);
void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t value);
std::uint16_t get_u16(const std::vector<std::uint8_t>& bytes, std::size_t at);
std::uint32_t get_u32(const std::vector<std::uint8_t>& bytes, std::size_t at);

// ---- The builder ------------------------------------------------------------------------------

class Sf2Builder {
 public:
  // INFO. The defaults: version 2.04, name "tutti test bank", engine "EMU8000", no copyright.
  Sf2Builder& set_version(int major, int minor);
  Sf2Builder& set_name(std::string name);
  Sf2Builder& set_engine(std::string engine);
  Sf2Builder& set_copyright(std::string copyright);
  // Zero points written after each sample added from now on; the spec asks for 46 (the default).
  Sf2Builder& set_guard_points(int points);

  // Each returns the sample's index. Floats are scaled by 32767 (16-bit) or 8388607 (24-bit).
  int add_sample(const std::vector<float>& points, SampleOptions options = {});
  int add_sample(const std::vector<std::int16_t>& points, SampleOptions options = {});
  // 24-bit points (-8388608..8388607): the high 16 bits go to smpl, the low byte to sm24.
  int add_sample_24(const std::vector<std::int32_t>& points, SampleOptions options = {});
  // A left/right pair linked to each other; returns {left, right}. `options` applies to both
  // (its name gets "L"/"R" appended, its type and link are set here).
  std::pair<int, int> add_stereo_sample(const std::vector<float>& left, const std::vector<float>& right,
                                        SampleOptions options = {});
  // The header as it will be written; edit it to produce odd headers.
  SampleRecord& sample_record(int index) { return samples_.at(static_cast<std::size_t>(index)); }
  int sample_count() const { return static_cast<int>(samples_.size()); }

  // Return the instrument's / preset's index. Zones are written in the order given.
  int add_instrument(std::string name, std::vector<ZoneSpec> zones);
  int add_preset(std::string name, int bank, int program, std::vector<ZoneSpec> zones);

  RawBank raw() const;
  std::vector<std::uint8_t> bytes() const { return raw().assemble(); }
  Expected<void> write(const std::string& path) const;

 private:
  struct Owner {
    std::string name;
    int bank = 0, program = 0;
    std::vector<ZoneSpec> zones;
  };
  int append_points(const std::vector<std::int32_t>& points24, bool has_low_bytes, SampleOptions options);

  int version_major_ = 2, version_minor_ = 4;
  std::string name_ = "tutti test bank";
  std::string engine_ = "EMU8000";
  std::optional<std::string> copyright_;
  int guard_points_ = 46;
  std::vector<std::int16_t> smpl_;
  std::vector<std::uint8_t> sm24_;
  bool has_24_bit_ = false;
  std::vector<SampleRecord> samples_;
  std::vector<Owner> instruments_;
  std::vector<Owner> presets_;
};

}  // namespace tutti::test
