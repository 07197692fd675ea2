#include "engine/synth/sample_bounds.h"

#include <algorithm>
#include <cstdlib>

namespace tutti::engine::synth {

namespace {

// The largest |p| and |p[j+1] - 2 p[j] + p[j-1]| over points j in [begin, end], whose
// neighbours all lie in the sample. 32-bit arithmetic without branches, which the compiler
// vectorises: a voice's first look at its sample computes these over the whole sample, and the
// scalar loop with 64-bit values and clamped neighbours cost 5% of a single-file render.
// kLowBytes: 24-bit points (words and low bytes), else 16-bit ones (the words, scaled after).
template <bool kLowBytes>
void interior_bounds(const kernels::SampleData& data, std::uint32_t begin, std::uint32_t end, std::int64_t& peak,
                     std::int64_t& bend) {
  auto point = [&data](std::uint32_t p) -> std::int32_t {
    if constexpr (kLowBytes) return static_cast<std::int32_t>(data.words[p]) * 256 + data.low_bytes[p];
    return data.words[p];
  };
  // 24-bit magnitudes stay below 2^23, so second differences below 2^25.
  std::int32_t chunk_peak = 0, chunk_bend = 0;
  for (std::uint32_t p = begin; p <= end; ++p) {
    const std::int32_t here = point(p);
    chunk_peak = std::max(chunk_peak, std::abs(here));
    chunk_bend = std::max(chunk_bend, std::abs(point(p + 1) - 2 * here + point(p - 1)));
  }
  constexpr std::int64_t kScale = kLowBytes ? 1 : 256;
  peak = std::max(peak, std::int64_t{chunk_peak} * kScale);
  bend = std::max(bend, std::int64_t{chunk_bend} * kScale);
}

}  // namespace

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
      if (data.low_bytes != nullptr) interior_bounds<true>(data, begin, end, peak, curvature);
      else interior_bounds<false>(data, begin, end, peak, curvature);
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
