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

void InterleavedEncoder::append(const float* left, const float* right, std::size_t frames) {
  const std::size_t samples = frames * 2;
  const std::size_t held = held_frames_ * 2;
  held_frames_ += frames;
  // Only float output keeps its interleaved frames; integer formats convert from this scratch.
  const std::size_t first = format_ == SampleFormat::f32 ? held : 0;
  if (interleaved_.size() < first + samples) interleaved_.resize(first + samples);
  float* interleaved = interleaved_.data() + first;
  for (std::size_t i = 0; i < frames; ++i) {
    interleaved[2 * i] = left[i];
    interleaved[2 * i + 1] = right[i];
  }
  switch (format_) {
    case SampleFormat::f32:
      break;
    case SampleFormat::s16:
      if (pcm16_.size() < held + samples) pcm16_.resize(held + samples);
      clipped_samples_ += kernels_->to_pcm16(interleaved, samples, pcm16_.data() + held);
      break;
    case SampleFormat::s24:
      if (pcm32_.size() < held + samples) pcm32_.resize(held + samples);
      clipped_samples_ += kernels_->to_pcm24(interleaved, samples, pcm32_.data() + held);
      break;
  }
}

}  // namespace tutti::datasets
