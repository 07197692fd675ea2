#pragma once
// The SoundFont 2.04 rules that turn one zone's raw generator and modulator records into a Zone
// (sections 7.4/7.5/7.8/7.9, 8.1, 8.2, 9.4). Pure functions on records already read from the
// file: no I/O and no errors, only counts of what was ignored so the loader can warn.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/sf2/bank.h"

namespace tutti::engine::sf2::detail {

// One pgen/igen record: sfGenOper and the raw two-byte amount.
struct RawGenerator {
  std::uint16_t oper = 0;
  std::uint16_t amount = 0;
};

enum class ZoneLevel { preset, instrument };

struct GeneratorReadout {
  Zone zone;  // generators, ranges and link; modulators are left empty
  // Index in the input of the instrument/sampleID record that ended the zone, if any.
  std::optional<std::size_t> terminal_index;
  int misplaced_ranges = 0;  // keyRange not first, velRange not right after keyRange
  int invalid = 0;           // unused/reserved/unknown numbers, or not valid at this level
  int after_terminal = 0;    // records after instrument/sampleID
  int duplicates = 0;        // a later record of the same generator replaced an earlier one
  int ignored() const { return misplaced_ranges + invalid + after_terminal; }
};

GeneratorReadout apply_generator_rules(std::span<const RawGenerator> records, ZoneLevel level);

struct ModulatorReadout {
  std::vector<Modulator> kept;
  int invalid_source = 0;       // undefined controller, illegal CC, unknown curve type
  int no_controller = 0;        // primary source 'no controller': its output is always 0
  int invalid_destination = 0;  // unknown generator, or a link to a missing/non-link modulator
  int invalid_transform = 0;
  int duplicates = 0;           // identical to a later modulator of the zone: the later one wins
  int dropped() const {
    return invalid_source + no_controller + invalid_destination + invalid_transform + duplicates;
  }
};

ModulatorReadout apply_modulator_rules(std::span<const Modulator> records);

// "ignored 2 generators (1 misplaced keyRange/velRange, 1 after sampleID)" and the like; empty
// when nothing was ignored.
std::string describe(const GeneratorReadout& readout, ZoneLevel level);
std::string describe(const ModulatorReadout& readout);

}  // namespace tutti::engine::sf2::detail
