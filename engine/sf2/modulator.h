#pragma once
// SoundFont 2.04 modulators (section 8.2): the 16-bit source encoding decoded into named fields.
#include <cstdint>

namespace tutti::engine::sf2 {

// General controller palette (section 8.2.1), used when the source's CC flag is clear.
enum class GeneralController : std::uint8_t {
  noController = 0,
  noteOnVelocity = 2,
  noteOnKeyNumber = 3,
  polyPressure = 10,
  channelPressure = 13,
  pitchWheel = 14,
  pitchWheelSensitivity = 16,
  link = 127,
};

enum class SourceCurve : std::uint8_t { linear = 0, concave = 1, convex = 2, switched = 3 };

// One decoded SFModulator: bits 0-6 index, bit 7 CC flag, bit 8 direction, bit 9 polarity,
// bits 10-15 curve type.
struct ModulatorSource {
  std::uint8_t index = 0;
  bool is_cc = false;
  bool descending = false;  // D = 1: the source maps max -> min
  bool bipolar = false;     // P = 1: -1..1 instead of 0..1
  std::uint8_t curve = 0;   // SourceCurve value; other values are invalid (section 8.2.1)

  static constexpr ModulatorSource decode(std::uint16_t raw) {
    return ModulatorSource{static_cast<std::uint8_t>(raw & 0x7f), (raw & 0x80) != 0,
                           (raw & 0x100) != 0, (raw & 0x200) != 0,
                           static_cast<std::uint8_t>(raw >> 10)};
  }
  constexpr std::uint16_t encode() const {
    return static_cast<std::uint16_t>(index | (is_cc ? 0x80 : 0) | (descending ? 0x100 : 0) |
                                      (bipolar ? 0x200 : 0) | (curve << 10));
  }
  friend constexpr bool operator==(const ModulatorSource&, const ModulatorSource&) = default;
};

enum class ModulatorTransform : std::uint16_t { linear = 0, absoluteValue = 2 };

// A modulator record as stored in pmod/imod. `destination` is a generator number, or, with
// bit 15 set, a link to another modulator (section 8.2.2); both are kept raw here.
struct Modulator {
  std::uint16_t source = 0;
  std::uint16_t destination = 0;
  std::int16_t amount = 0;
  std::uint16_t amount_source = 0;
  std::uint16_t transform = 0;

  // Section 9.5.1: two modulators are identical when sources, destination and transform match;
  // the amount does not take part.
  bool same_identity(const Modulator& other) const {
    return source == other.source && destination == other.destination &&
           amount_source == other.amount_source && transform == other.transform;
  }
};

}  // namespace tutti::engine::sf2
