#pragma once
// What the rest of a sample can still do, as a voice reads it from a point on: how loud its
// points get, and how sharply they bend (the largest second difference, which bounds how far
// linear interpolation strays from cubic). Kept per chunk of points, each chunk's entry
// covering the chunk and everything after it, so a decaying one-shot's tail is judged by the
// tail, not by its attack. Voices use them to tell when they can no longer be heard, or heard
// apart from a cheaper rendering (Voice::muted and Voice::coarse in voice.h).
#include <cstdint>
#include <vector>

#include "kernels/voice_block.h"

namespace tutti::engine::synth {

class SuffixBounds {
 public:
  static constexpr std::uint32_t kChunkPoints = 1024;

  // Reads the points of `region` (start..end, and the loop's seam) on the 24-bit scale.
  SuffixBounds(const kernels::SampleData& data, const kernels::PlaybackRegion& region);

  // At least the largest magnitude of points [index, end] (exactly that of the chunk holding
  // `index` and all later ones); for an index before the start, that of the whole sample.
  double peak_from(std::uint32_t index) const { return at(peaks_, index); }
  // At least the largest |p[j+1] - 2 p[j] + p[j-1]| over the point sequence an interpolating
  // voice reads from `index` to the end when it does not loop: with the start point standing
  // for the point before the start and the end point repeated after the end, as the cubic taps
  // do (kernels/oscillator.h).
  double curvature_from(std::uint32_t index) const { return at(curvatures_, index); }
  // The same across the loop's seam (the last loop points followed by the first), for a voice
  // that loops: together with curvature_from(loop start) it covers everything a looping voice
  // reads.
  double loop_seam_curvature() const { return loop_seam_curvature_; }

 private:
  double at(const std::vector<double>& per_chunk, std::uint32_t index) const {
    const std::uint32_t chunk = index <= first_ ? 0 : (index - first_) / kChunkPoints;
    return chunk < per_chunk.size() ? per_chunk[chunk] : 0.0;
  }

  std::uint32_t first_;
  std::vector<double> peaks_;       // per chunk, from its first point on
  std::vector<double> curvatures_;  // per chunk, from its first point on
  double loop_seam_curvature_ = 0.0;
};

}  // namespace tutti::engine::synth
