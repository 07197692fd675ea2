#pragma once
// Standard MIDI File reader (formats 0, 1, 2; PPQ or SMPTE division; optionally inside a
// RIFF 'RMID' wrapper). Input is untrusted: every length is checked, and an error names the
// file, the place ("header", "track 3" with tracks counted from 0 like Event::track) and the
// absolute byte offset of the offending byte: the first byte of a bad variable-length
// quantity, the stray data byte, or for a truncated event the byte after its delta time.
// Defects a player can work around are tolerated and listed in Song::warnings; the choices
// are documented in track_decoder.h (event level) and smf_reader.cc (file level).
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
