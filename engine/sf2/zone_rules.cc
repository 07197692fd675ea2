#include "engine/sf2/zone_rules.h"

#include <array>

namespace tutti::engine::sf2::detail {

namespace {

// Where a generator list is in the sequence the spec prescribes (section 9.4): nothing read yet,
// keyRange read, velRange or an ordinary generator read, terminal read. FluidSynth 2.3.1 uses the
// same progression, including moving past keyRange on an ignored generator, so a keyRange that
// follows an unknown generator is ignored by both.
enum class Stage { start, after_key_range, after_other, after_terminal };

Generator terminal_for(ZoneLevel level) {
  return level == ZoneLevel::preset ? Generator::instrument : Generator::sampleID;
}

bool valid_at_level(Generator g, ZoneLevel level) {
  if (level == ZoneLevel::preset) return info(g).valid_in_preset;
  return g != Generator::instrument;
}

}  // namespace

GeneratorReadout apply_generator_rules(std::span<const RawGenerator> records, ZoneLevel level) {
  GeneratorReadout out;
  std::array<int, kGeneratorCount> position{};  // 1 + index in zone.generators, 0 when absent
  Stage stage = Stage::start;
  const auto terminal = static_cast<std::uint16_t>(terminal_for(level));
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RawGenerator& record = records[i];
    if (stage == Stage::after_terminal) {
      ++out.after_terminal;
      continue;
    }
    const auto lo = static_cast<std::uint8_t>(record.amount & 0xff);
    const auto hi = static_cast<std::uint8_t>(record.amount >> 8);
    if (record.oper == static_cast<std::uint16_t>(Generator::keyRange)) {
      if (stage != Stage::start) {
        ++out.misplaced_ranges;
        continue;
      }
      out.zone.range.key_low = lo;
      out.zone.range.key_high = hi;
      stage = Stage::after_key_range;
    } else if (record.oper == static_cast<std::uint16_t>(Generator::velRange)) {
      if (stage != Stage::start && stage != Stage::after_key_range) {
        ++out.misplaced_ranges;
        continue;
      }
      out.zone.range.vel_low = lo;
      out.zone.range.vel_high = hi;
      stage = Stage::after_other;
    } else if (record.oper == terminal) {
      out.zone.link = record.amount;
      out.terminal_index = i;
      stage = Stage::after_terminal;
    } else {
      stage = Stage::after_other;
      std::optional<Generator> g = generator_from_number(record.oper);
      if (!g || !valid_at_level(*g, level)) {
        ++out.invalid;
        continue;
      }
      const auto amount = static_cast<std::int16_t>(record.amount);
      int& slot = position[static_cast<std::size_t>(record.oper)];
      if (slot != 0) {
        // Section 7.5/7.9: a repeated generator replaces the earlier one (FluidSynth agrees).
        out.zone.generators[static_cast<std::size_t>(slot - 1)].amount = amount;
        ++out.duplicates;
      } else {
        out.zone.generators.push_back(GeneratorValue{*g, amount});
        slot = static_cast<int>(out.zone.generators.size());
      }
    }
  }
  return out;
}

namespace {

constexpr std::uint8_t kLinkIndex = 127;
constexpr std::uint16_t kLinkDestinationBit = 0x8000;

// Section 8.2.1: the general controller palette defines these indices only.
bool is_defined_general_controller(std::uint8_t index) {
  switch (static_cast<GeneralController>(index)) {
    case GeneralController::noController:
    case GeneralController::noteOnVelocity:
    case GeneralController::noteOnKeyNumber:
    case GeneralController::polyPressure:
    case GeneralController::channelPressure:
    case GeneralController::pitchWheel:
    case GeneralController::pitchWheelSensitivity:
    case GeneralController::link:
      return true;
  }
  return false;
}

// Section 8.2.1 forbids bank select, data entry, the LSB range, (N)RPN and the channel mode
// messages as CC sources. Like FluidSynth 2.3.1 we accept the other LSBs 33-63: a 7-bit engine
// treats them like any controller, and refusing them would change FluidSynth's output.
bool is_allowed_cc(std::uint8_t cc) {
  if (cc == 0 || cc == 6 || cc == 32 || cc == 38) return false;
  if (cc >= 98 && cc <= 101) return false;
  return cc < 120;
}

bool is_valid_source(std::uint16_t raw, bool may_be_link) {
  const ModulatorSource source = ModulatorSource::decode(raw);
  if (source.curve > static_cast<std::uint8_t>(SourceCurve::switched)) return false;
  if (source.is_cc) return is_allowed_cc(source.index);
  if (source.index == kLinkIndex) return may_be_link;
  return is_defined_general_controller(source.index);
}

bool is_link_source(std::uint16_t raw) {
  const ModulatorSource source = ModulatorSource::decode(raw);
  return !source.is_cc && source.index == kLinkIndex;
}

bool is_no_controller(std::uint16_t raw) {
  const ModulatorSource source = ModulatorSource::decode(raw);
  return !source.is_cc && source.index == static_cast<std::uint8_t>(GeneralController::noController);
}

}  // namespace

ModulatorReadout apply_modulator_rules(std::span<const Modulator> records) {
  ModulatorReadout out;
  const std::size_t count = records.size();
  std::vector<bool> keep(count, true);

  for (std::size_t i = 0; i < count; ++i) {
    const Modulator& m = records[i];
    if (!is_valid_source(m.source, true) || !is_valid_source(m.amount_source, false)) {
      ++out.invalid_source;
      keep[i] = false;
    } else if (is_no_controller(m.source)) {
      // Section 8.2.1: 'no controller' makes the modulator output zero. FluidSynth drops it too.
      ++out.no_controller;
      keep[i] = false;
    } else if (m.transform != static_cast<std::uint16_t>(ModulatorTransform::linear) &&
               m.transform != static_cast<std::uint16_t>(ModulatorTransform::absoluteValue)) {
      ++out.invalid_transform;
      keep[i] = false;
    } else if ((m.destination & kLinkDestinationBit) != 0) {
      // Section 8.2.2: a link names another modulator of the same zone, whose source is 'link'.
      const std::size_t target = m.destination & ~kLinkDestinationBit;
      if (target >= count || target == i || !is_link_source(records[target].source)) {
        ++out.invalid_destination;
        keep[i] = false;
      }
    } else if (!generator_from_number(m.destination)) {
      ++out.invalid_destination;
      keep[i] = false;
    }
  }

  // Section 7.4: of two identical modulators in a zone, the first is ignored.
  for (std::size_t i = 0; i < count; ++i) {
    if (!keep[i]) continue;
    for (std::size_t j = i + 1; j < count; ++j) {
      if (keep[j] && records[i].same_identity(records[j])) {
        ++out.duplicates;
        keep[i] = false;
        break;
      }
    }
  }

  // Links are indices into the zone's list as stored; a link into a dropped modulator is dropped
  // with it, which may in turn orphan another link, hence the loop (at most `count` rounds).
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < count; ++i) {
      if (keep[i] && (records[i].destination & kLinkDestinationBit) != 0 &&
          !keep[records[i].destination & ~kLinkDestinationBit]) {
        keep[i] = false;
        ++out.invalid_destination;
        changed = true;
      }
    }
  }

  std::vector<std::size_t> new_index(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    if (!keep[i]) continue;
    new_index[i] = out.kept.size();
    out.kept.push_back(records[i]);
  }
  for (Modulator& m : out.kept) {
    if ((m.destination & kLinkDestinationBit) != 0) {
      m.destination = static_cast<std::uint16_t>(kLinkDestinationBit | new_index[m.destination & ~kLinkDestinationBit]);
    }
  }
  return out;
}

namespace {

void append_reason(std::string& text, int n, const char* what) {
  if (n == 0) return;
  text += text.empty() ? "" : ", ";
  text += std::to_string(n) + " " + what;
}

}  // namespace

std::string describe(const GeneratorReadout& readout, ZoneLevel level) {
  std::string reasons;
  append_reason(reasons, readout.misplaced_ranges, "misplaced keyRange/velRange");
  append_reason(reasons, readout.invalid,
                level == ZoneLevel::preset ? "unknown or not allowed in a preset"
                                           : "unknown or not allowed in an instrument");
  append_reason(reasons, readout.after_terminal,
                level == ZoneLevel::preset ? "after instrument" : "after sampleID");
  if (reasons.empty()) return {};
  return "ignored " + std::to_string(readout.ignored()) + " generator" + (readout.ignored() == 1 ? "" : "s") +
         " (" + reasons + ")";
}

std::string describe(const ModulatorReadout& readout) {
  std::string reasons;
  append_reason(reasons, readout.invalid_source, "invalid source");
  append_reason(reasons, readout.no_controller, "source 'no controller'");
  append_reason(reasons, readout.invalid_destination, "invalid destination");
  append_reason(reasons, readout.invalid_transform, "unknown transform");
  append_reason(reasons, readout.duplicates, "identical to a later one");
  if (reasons.empty()) return {};
  return "dropped " + std::to_string(readout.dropped()) + " modulator" + (readout.dropped() == 1 ? "" : "s") +
         " (" + reasons + ")";
}

}  // namespace tutti::engine::sf2::detail
