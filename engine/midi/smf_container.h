#pragma once
// The file-level layout around the tracks: an optional RIFF 'RMID' wrapper (.rmi files) and
// the MThd header chunk.
#include <cstdint>
#include <span>
#include <string>

#include "engine/common/expected.h"

namespace tutti::engine::midi::detail {

// The Standard MIDI File bytes inside a file, and where they start in it.
struct SmfImage {
  std::span<const std::uint8_t> bytes;
  std::int64_t file_offset = 0;
};

// A RIFF 'RMID' file carries the SMF in its 'data' chunk; anything else is taken as a bare SMF.
Expected<SmfImage> locate_smf(std::span<const std::uint8_t> file, const std::string& file_name);

struct SmfHeader {
  int format = 0;
  int declared_tracks = 0;
  int ticks_per_quarter = 0;        // 0 for SMPTE time
  int smpte_frames_per_second = 0;  // 24, 25, 29 or 30
  int smpte_ticks_per_frame = 0;
  std::size_t chunk_end = 0;  // position in the image after the MThd chunk
};

// Reads and validates MThd at the start of the image. Header fields beyond the six bytes
// SMF 1.0 defines are skipped, as the spec asks of readers.
Expected<SmfHeader> read_header(const SmfImage& image, const std::string& file_name);

}  // namespace tutti::engine::midi::detail
