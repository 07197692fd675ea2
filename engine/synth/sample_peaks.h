#pragma once
// How loud the rest of a sample can be: the largest point magnitude from a point to the
// sample's end, kept per chunk of points (a chunk's entry covers the chunk and everything after
// it). A voice uses it to bound its future output (Voice::muted in voice.h): a decaying
// one-shot's tail is far quieter than its attack, which a single whole-sample peak would hide.
#include <cstdint>
#include <vector>

#include "kernels/voice_block.h"

namespace tutti::engine::synth {

class SuffixPeaks {
 public:
  static constexpr std::uint32_t kChunkPoints = 1024;

  // Reads points [first, last] of `data` on the 24-bit scale.
  SuffixPeaks(const kernels::SampleData& data, std::uint32_t first, std::uint32_t last);

  // At least the largest magnitude of points [index, last] (exactly that of the chunk holding
  // `index` and all later ones); for an index before `first`, that of the whole range.
  double from(std::uint32_t index) const {
    const std::uint32_t chunk = index <= first_ ? 0 : (index - first_) / kChunkPoints;
    return chunk < peaks_.size() ? peaks_[chunk] : 0.0;
  }

 private:
  std::uint32_t first_;
  std::vector<double> peaks_;  // per chunk: the largest magnitude from its first point on
};

}  // namespace tutti::engine::synth
