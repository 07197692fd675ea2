#pragma once
// Streams a render into an audio file through libsndfile (WAV or FLAC; float, 16- or 24-bit).
// The file is written under a temporary name beside its destination and renamed into place
// only by commit(), so a crash, a full disk or a cancelled batch never leaves a truncated file
// under the final name.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/sample_encoding.h"
#include "engine/common/expected.h"
#include "kernels/kernel_set.h"

namespace tutti::datasets {

enum class ContainerFormat { wav, flac };

bool parse_container_format(std::string_view name, ContainerFormat& format);
std::string_view extension(ContainerFormat format);

struct AudioFormat {
  ContainerFormat container = ContainerFormat::wav;
  SampleFormat sample = SampleFormat::f32;
  int sample_rate = 44100;
  int channels = 2;
};

class AudioWriter {
 public:
  // Creates the temporary file. `kernels` provides the float-to-PCM conversion.
  static Expected<std::unique_ptr<AudioWriter>> create(const std::string& final_path,
                                                       const AudioFormat& format,
                                                       const kernels::KernelSet& kernels);
  ~AudioWriter();  // removes the temporary file unless committed

  // Appends planar stereo frames. They are encoded at once but handed to the file in runs of
  // about kFlushBytes (see there), so an error writing them may come from a later write() or
  // from commit().
  Expected<void> write(const float* left, const float* right, std::size_t frames);
  // Writes the frames held, closes the file and renames it to its final name.
  Expected<void> commit();

  // The encoded bytes gathered before they go to the file in one write. A render hands over
  // 4,096 frames at a time (16 KiB of 16-bit stereo), and the file system's cost per write
  // falls with its size (ext4: 12.4 ms of CPU to write 21 MiB in 16 KiB writes, 6.6 ms in
  // 1 MiB ones): gathering cut the CPU time of the 31 OpenTTD renders by 3.6%.
  static constexpr std::size_t kFlushBytes = std::size_t{1} << 20;

  std::uint64_t frames_written() const { return frames_written_; }
  std::uint64_t clipped_samples() const { return encoder_ ? encoder_->clipped_samples() : 0; }

 private:
  AudioWriter() = default;
  Expected<void> fail(const std::string& what);
  // Hands the encoded frames held to libsndfile.
  Expected<void> flush();

  struct Handle;
  std::unique_ptr<Handle> handle_;
  std::string final_path_;
  std::string temporary_path_;
  AudioFormat format_;
  std::unique_ptr<InterleavedEncoder> encoder_;
  std::size_t flush_frames_ = 0;  // kFlushBytes of the output's frames
  std::uint64_t frames_written_ = 0;
  bool committed_ = false;
};

}  // namespace tutti::datasets
