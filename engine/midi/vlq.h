#pragma once
// Variable-length quantities (SMF 1.0, "Conventions"): 7 bits per byte, most significant group
// first, bit 7 set on every byte but the last. The spec caps them at 4 bytes (values below
// 2^28); a fifth byte means the data is not a MIDI track, so it is reported, not read on.
#include <cstdint>

#include "engine/common/byte_reader.h"

namespace tutti::engine::midi::detail {

inline constexpr int kMaxVlqBytes = 4;

enum class VlqStatus : std::uint8_t { Ok, Truncated, TooLong };

struct Vlq {
  VlqStatus status = VlqStatus::Ok;
  std::uint32_t value = 0;
};

// Reads one quantity. On Truncated the reader is at the end; on TooLong it has consumed the
// four bytes that all had the continuation bit.
inline Vlq read_vlq(ByteReader& reader) {
  std::uint32_t value = 0;
  for (int i = 0; i < kMaxVlqBytes; ++i) {
    auto byte = reader.u8();
    if (!byte) return {VlqStatus::Truncated, value};
    value = (value << 7) | (*byte & 0x7Fu);
    if ((*byte & 0x80u) == 0) return {VlqStatus::Ok, value};
  }
  return {VlqStatus::TooLong, value};
}

}  // namespace tutti::engine::midi::detail
