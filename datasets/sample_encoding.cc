#include "datasets/sample_encoding.h"

namespace tutti::datasets {

bool parse_sample_format(std::string_view name, SampleFormat& format) {
  if (name == "f32") format = SampleFormat::f32;
  else if (name == "s16") format = SampleFormat::s16;
  else if (name == "s24") format = SampleFormat::s24;
  else return false;
  return true;
}

std::string_view sample_format_name(SampleFormat format) {
  switch (format) {
    case SampleFormat::s16: return "s16";
    case SampleFormat::s24: return "s24";
    case SampleFormat::f32: break;
  }
  return "f32";
}

void InterleavedEncoder::encode(const float* left, const float* right, std::size_t frames) {
  const std::size_t samples = frames * 2;
  interleaved_.resize(samples);
  for (std::size_t i = 0; i < frames; ++i) {
    interleaved_[2 * i] = left[i];
    interleaved_[2 * i + 1] = right[i];
  }
  switch (format_) {
    case SampleFormat::f32:
      break;
    case SampleFormat::s16:
      pcm16_.resize(samples);
      clipped_samples_ += kernels_->to_pcm16(interleaved_.data(), samples, pcm16_.data());
      break;
    case SampleFormat::s24:
      pcm32_.resize(samples);
      clipped_samples_ += kernels_->to_pcm24(interleaved_.data(), samples, pcm32_.data());
      break;
  }
}

}  // namespace tutti::datasets
