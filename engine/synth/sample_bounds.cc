#include "engine/synth/sample_bounds.h"

#include <algorithm>
#include <cstdlib>

#include "kernels/sample_bounds.h"

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
  auto edge_point = [&](std::uint32_t p, std::int64_t& peak, std::int64_t& curvature) {
    const std::int64_t here = point(p);
    peak = std::max(peak, std::abs(here));
    curvature = std::max(curvature, std::abs(clamped(std::int64_t{p} + 1) - 2 * here + clamped(std::int64_t{p} - 1)));
  };
  const std::uint32_t chunks = (last - first) / kChunkPoints + 1;
  peaks_.resize(chunks);
  curvatures_.resize(chunks);
  // Backwards, so each chunk's entries take the running maxima of everything after it.
  std::int64_t peak = 0, curvature = 0;
  for (std::uint32_t c = chunks; c-- > 0;) {
    std::uint32_t begin = first + c * kChunkPoints;
    std::uint32_t end = std::min(last, begin + (kChunkPoints - 1));
    // The sample's first and last points read clamped neighbours; the rest, plain ones.
    if (begin == first) edge_point(begin++, peak, curvature);
    if (end == last && end >= begin) edge_point(end--, peak, curvature);
    if (end >= begin) {
      // A voice's first look at its sample scans the whole sample: SIMD, as scalar code this
      // scan cost 5% of a one-file render. Exact integers, whichever target.
      static const kernels::PointBoundsFn scan = kernels::dispatched_point_bounds();
      const kernels::PointBounds bounds =
          scan(data.words + begin, data.low_bytes != nullptr ? data.low_bytes + begin : nullptr, end - begin + 1);
      peak = std::max<std::int64_t>(peak, bounds.peak);
      curvature = std::max<std::int64_t>(curvature, bounds.bend);
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
