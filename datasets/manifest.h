#pragma once
// The manifest: one JSON object per line for every input a batch handled, written after the
// input's output is in place, so a line with status "ok" always describes a complete output.
// `--resume` reads it back. A line torn by a crash is ignored when reading.
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "engine/common/expected.h"

namespace tutti::datasets {

struct ManifestRecord {
  std::string source;  // path relative to its input root (UTF-8): the key
  std::string path;    // as opened
  std::string sha256;  // of the MIDI file; empty when it could not be read
  bool ok = false;
  std::string error;   // one line, when !ok
  std::string output;  // relative to the output folder: the audio file, or the HDF5 shard
  std::int64_t clip = -1;  // HDF5: index in the shard's clips; -1 otherwise
  std::int64_t frames = 0;
  double duration_seconds = 0.0;
  std::uint64_t notes = 0;
  std::vector<int> programs;  // melodic programs (0..127) of channels that play notes
  bool percussion = false;    // channel 10 plays notes
  int peak_voices = 0;
  double render_seconds = 0.0;
  std::uint64_t clipped_samples = 0;  // integer formats: samples clamped to full scale
  bool has_clipping_count = false;    // false for float output, where nothing clips
};

std::string to_json_line(const ManifestRecord& record);  // without the newline
// False for a line that is not a complete record (a torn last line).
bool parse_json_line(const std::string& line, ManifestRecord& record);

// Reads every complete record; a missing file is an empty manifest. Later records of the same
// source replace earlier ones.
Expected<std::map<std::string, ManifestRecord>> read_manifest(const std::string& path);

// Appends records, one flushed line each.
class ManifestWriter {
 public:
  ManifestWriter() = default;
  ~ManifestWriter();
  ManifestWriter(const ManifestWriter&) = delete;
  ManifestWriter& operator=(const ManifestWriter&) = delete;

  // Starts `path` afresh with `kept` (written to a temporary and renamed, so an existing
  // manifest is replaced in one step), then keeps it open for appending.
  Expected<void> start(const std::string& path, const std::vector<ManifestRecord>& kept);
  Expected<void> append(const ManifestRecord& record);
  Expected<void> close();
  const std::string& path() const { return path_; }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
};

// Writes a whole manifest to a temporary name and renames it into place.
Expected<void> write_manifest(const std::string& path, const std::vector<ManifestRecord>& records);

}  // namespace tutti::datasets
