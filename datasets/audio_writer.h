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

  // Appends planar stereo frames.
  Expected<void> write(const float* left, const float* right, std::size_t frames);
  // Closes the file and renames it to its final name.
  Expected<void> commit();

  std::uint64_t frames_written() const { return frames_written_; }
  std::uint64_t clipped_samples() const { return encoder_ ? encoder_->clipped_samples() : 0; }

 private:
  AudioWriter() = default;
  Expected<void> fail(const std::string& what);

  struct Handle;
  std::unique_ptr<Handle> handle_;
  std::string final_path_;
  std::string temporary_path_;
  AudioFormat format_;
  std::unique_ptr<InterleavedEncoder> encoder_;
  std::uint64_t frames_written_ = 0;
  bool committed_ = false;
};

}  // namespace tutti::datasets
