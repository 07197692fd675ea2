#pragma once
// Planar float stereo to interleaved samples in the output's sample format, counting the
// samples that clip (integer formats clamp to full scale rather than wrap; the count goes to
// the manifest, the audio is never normalised). Shared by the audio file and HDF5 writers.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "kernels/kernel_set.h"

namespace tutti::datasets {

enum class SampleFormat { f32, s16, s24 };

bool parse_sample_format(std::string_view name, SampleFormat& format);
std::string_view sample_format_name(SampleFormat format);

class InterleavedEncoder {
 public:
  InterleavedEncoder(SampleFormat format, const kernels::KernelSet& kernels)
      : format_(format), kernels_(&kernels) {}

  // Encodes `frames` frames in place of those held; the result stays valid until the next
  // call. s24 values are the 24-bit codes in the low bits of an int32 (-8388608..8388607).
  void encode(const float* left, const float* right, std::size_t frames) {
    clear();
    append(left, right, frames);
  }
  // Encodes `frames` frames after those held, for a writer that gathers many blocks into one
  // write; clear() drops them.
  void append(const float* left, const float* right, std::size_t frames);
  void clear() { held_frames_ = 0; }
  std::size_t held_frames() const { return held_frames_; }
  const float* f32() const { return interleaved_.data(); }
  const std::int16_t* s16() const { return pcm16_.data(); }
  const std::int32_t* s24() const { return pcm32_.data(); }
  std::int32_t* s24_mutable() { return pcm32_.data(); }

  SampleFormat format() const { return format_; }
  std::uint64_t clipped_samples() const { return clipped_samples_; }

 private:
  SampleFormat format_;
  const kernels::KernelSet* kernels_;
  std::size_t held_frames_ = 0;
  // Float output holds its frames here; integer output only passes each call's frames through.
  std::vector<float> interleaved_;
  std::vector<std::int16_t> pcm16_;
  std::vector<std::int32_t> pcm32_;
  std::uint64_t clipped_samples_ = 0;
};

}  // namespace tutti::datasets
