#pragma once
// Standard MIDI File reader (formats 0, 1, 2). Input is untrusted: every length is checked,
// errors name the file, the track and the byte offset.
#include <cstdint>
#include <span>
#include <string>

#include "engine/common/expected.h"
#include "engine/midi/song.h"

namespace tutti::engine::midi {

struct SmfLimits {
  std::uint64_t max_file_bytes = 64u << 20;   // larger files are refused before reading
  std::uint32_t max_tracks = 65535;
  std::uint64_t max_events = 20'000'000;      // all tracks together
  double max_duration_seconds = 6.0 * 3600;  // a song longer than this is refused
};

Expected<Song> read_smf(const std::string& path, const SmfLimits& limits = {});
// `name` is used in errors in place of a path.
Expected<Song> parse_smf(std::span<const std::uint8_t> bytes, const std::string& name,
                         const SmfLimits& limits = {});

}  // namespace tutti::engine::midi
