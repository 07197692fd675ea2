#pragma once
// One HDF5 shard: the audio of many clips back to back in one dataset, and a table saying where
// each clip is and which MIDI file it came from. Layout (documented in README):
//   /audio            (frames, 2)  float32 | int16 | int32 (24-bit codes), chunked, optional deflate
//   /clips/offset     (clips,)     int64   first frame of each clip in /audio
//   /clips/frames     (clips,)     int64
//   /clips/source     (clips,)     UTF-8 string, path relative to its input root
//   /clips/sha256     (clips,)     ASCII string, SHA-256 of the MIDI file
//   attributes on /:  sample_rate, sample_format, soundfont, soundfont_sha256, tutti_version,
//                     kernel_target, config (JSON)
// The shard is written under a temporary name and renamed by commit(), so a shard under its
// final name is always complete. HDF5 (Debian's build) is not thread-safe: one thread at a time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "datasets/sample_encoding.h"
#include "engine/common/expected.h"
#include "kernels/kernel_set.h"

namespace tutti::datasets {

struct ShardAttributes {
  int sample_rate = 44100;
  SampleFormat sample_format = SampleFormat::f32;
  std::string soundfont;
  std::string soundfont_sha256;
  std::string tutti_version;
  std::string kernel_target;
  std::string config_json;
  int compression = 0;  // deflate level 0 (off) .. 9
};

class Hdf5ShardWriter {
 public:
  static Expected<std::unique_ptr<Hdf5ShardWriter>> create(const std::string& final_path,
                                                           const ShardAttributes& attributes,
                                                           const kernels::KernelSet& kernels);
  ~Hdf5ShardWriter();  // closes and removes the temporary file unless committed

  // A clip is appended piece by piece between begin_clip and end_clip.
  void begin_clip();
  Expected<void> append(const float* left, const float* right, std::size_t frames);
  // Records the clip; returns its index. `clipped_samples` is what the clip's pieces clipped.
  Expected<std::int64_t> end_clip(const std::string& source, const std::string& sha256);
  // Drops what was appended since begin_clip (a clip that failed half-way).
  Expected<void> abandon_clip();
  std::uint64_t clip_clipped_samples() const { return encoder_.clipped_samples() - clipped_at_clip_start_; }

  // Writes the clip table, closes the file and renames it into place.
  Expected<void> commit();

 private:
  struct Handles;
  Hdf5ShardWriter(const std::string& final_path, SampleFormat format, const kernels::KernelSet& kernels);
  Expected<void> fail(const std::string& what) const;
  Expected<void> resize_audio(std::int64_t frames);

  std::unique_ptr<Handles> handles_;
  std::string final_path_;
  std::string temporary_path_;
  InterleavedEncoder encoder_;
  std::int64_t total_frames_ = 0;
  std::int64_t clip_start_ = 0;
  std::uint64_t clipped_at_clip_start_ = 0;
  std::vector<std::int64_t> offsets_, frames_;
  std::vector<std::string> sources_, sha256s_;
  bool committed_ = false;
};

}  // namespace tutti::datasets
