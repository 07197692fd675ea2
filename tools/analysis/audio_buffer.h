#pragma once
// AudioBuffer: decoded audio as interleaved float frames plus the views the analyses need
// (one channel, planar, mono mix). Values are full-scale floats: 1.0 is 0 dBFS.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace tutti::analysis {

struct AudioBuffer {
  int sample_rate = 0;
  int channels = 0;
  std::vector<float> interleaved;  // frames() * channels samples, frame-major

  std::int64_t frames() const {
    return channels > 0 ? static_cast<std::int64_t>(interleaved.size()) / channels : 0;
  }
  double seconds() const {
    return sample_rate > 0 ? static_cast<double>(frames()) / sample_rate : 0.0;
  }
};

// One channel of `audio` as its own contiguous signal.
std::vector<float> extract_channel(const AudioBuffer& audio, int channel);

// Every channel as its own signal: planar[c][frame].
std::vector<std::vector<float>> to_planar(const AudioBuffer& audio);

// The mean of the channels per frame (of the first max_frames frames, when given). The parity
// metrics are defined on this mix, so that a stereo candidate can be compared with a mono
// reference and vice versa.
std::vector<float> mono_mix(const AudioBuffer& audio, std::int64_t max_frames = std::numeric_limits<std::int64_t>::max());

// The first `max_frames` frames of `audio` (all of it when it is shorter).
AudioBuffer first_frames(const AudioBuffer& audio, std::int64_t max_frames);

}  // namespace tutti::analysis
