#include "tools/analysis/audio_buffer.h"

#include <algorithm>
#include <cstddef>

namespace tutti::analysis {

std::vector<float> extract_channel(const AudioBuffer& audio, int channel) {
  std::vector<float> signal;
  if (channel < 0 || channel >= audio.channels) return signal;
  const auto frame_count = static_cast<std::size_t>(audio.frames());
  const auto stride = static_cast<std::size_t>(audio.channels);
  signal.resize(frame_count);
  for (std::size_t frame = 0; frame < frame_count; ++frame) {
    signal[frame] = audio.interleaved[frame * stride + static_cast<std::size_t>(channel)];
  }
  return signal;
}

std::vector<std::vector<float>> to_planar(const AudioBuffer& audio) {
  std::vector<std::vector<float>> planar;
  planar.reserve(static_cast<std::size_t>(std::max(audio.channels, 0)));
  for (int channel = 0; channel < audio.channels; ++channel) {
    planar.push_back(extract_channel(audio, channel));
  }
  return planar;
}

std::vector<float> mono_mix(const AudioBuffer& audio, std::int64_t max_frames) {
  const auto frame_count =
      static_cast<std::size_t>(std::clamp<std::int64_t>(max_frames, 0, audio.frames()));
  const auto stride = static_cast<std::size_t>(audio.channels);
  std::vector<float> mono(frame_count);
  if (stride == 1) {
    std::copy_n(audio.interleaved.begin(), frame_count, mono.begin());
    return mono;
  }
  if (stride == 2) {
    // The common case, in float so that it vectorises; halving is exact, so identical channels
    // still mix to exactly that channel.
    for (std::size_t frame = 0; frame < frame_count; ++frame) {
      mono[frame] = (audio.interleaved[2 * frame] + audio.interleaved[2 * frame + 1]) * 0.5f;
    }
    return mono;
  }
  // Summed in double so that the mix of identical channels is exactly that channel.
  const double scale = 1.0 / static_cast<double>(stride);
  for (std::size_t frame = 0; frame < frame_count; ++frame) {
    double sum = 0.0;
    for (std::size_t channel = 0; channel < stride; ++channel) {
      sum += audio.interleaved[frame * stride + channel];
    }
    mono[frame] = static_cast<float>(sum * scale);
  }
  return mono;
}

AudioBuffer first_frames(const AudioBuffer& audio, std::int64_t max_frames) {
  AudioBuffer head;
  head.sample_rate = audio.sample_rate;
  head.channels = audio.channels;
  const std::int64_t kept = std::clamp<std::int64_t>(max_frames, 0, audio.frames());
  const auto sample_count = static_cast<std::size_t>(kept * audio.channels);
  head.interleaved.assign(audio.interleaved.begin(),
                          audio.interleaved.begin() + static_cast<std::ptrdiff_t>(sample_count));
  return head;
}

}  // namespace tutti::analysis
