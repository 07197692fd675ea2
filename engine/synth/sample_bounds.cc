#include "engine/synth/sample_bounds.h"

#include <algorithm>
#include <cstdlib>

namespace tutti::engine::synth {

SuffixBounds::SuffixBounds(const kernels::SampleData& data, const kernels::PlaybackRegion& region)
    : first_(region.start) {
  const std::uint32_t first = region.start, last = region.end;
  if (last < first) return;
  auto point = [&data](std::int64_t p) {
    return static_cast<std::int64_t>(data.words[p]) * 256 + (data.low_bytes != nullptr ? data.low_bytes[p] : 0);
  };
  // The sequence the taps read: the start point before the start, the end point after the end.
  auto clamped = [&](std::int64_t p) { return point(std::clamp<std::int64_t>(p, first, last)); };
  const std::uint32_t chunks = (last - first) / kChunkPoints + 1;
  peaks_.resize(chunks);
  curvatures_.resize(chunks);
  // Backwards, so each chunk's entries take the running maxima of everything after it.
  std::int64_t peak = 0, curvature = 0;
  for (std::uint32_t c = chunks; c-- > 0;) {
    const std::uint32_t begin = first + c * kChunkPoints;
    const std::uint32_t end = std::min(last, begin + (kChunkPoints - 1));
    for (std::uint32_t p = begin; p <= end; ++p) {
      const std::int64_t here = point(p);
      peak = std::max(peak, std::abs(here));
      curvature = std::max(curvature, std::abs(clamped(std::int64_t{p} + 1) - 2 * here + clamped(std::int64_t{p} - 1)));
    }
    peaks_[c] = static_cast<double>(peak);
    curvatures_[c] = static_cast<double>(curvature);
  }
  // Across the seam: ..., p[loop_end - 2], p[loop_end - 1], p[loop_start], p[loop_start + 1], ...
  if (region.loop_end >= region.loop_start + 2 && region.loop_end <= last + 1 && region.loop_start >= first) {
    const std::int64_t before2 = point(region.loop_end - 2), before = point(region.loop_end - 1);
    const std::int64_t after = point(region.loop_start), after2 = point(region.loop_start + 1);
    loop_seam_curvature_ = static_cast<double>(
        std::max(std::abs(after - 2 * before + before2), std::abs(after2 - 2 * after + before)));
  }
}

}  // namespace tutti::engine::synth
