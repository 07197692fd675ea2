#include "engine/synth/sample_peaks.h"

#include <algorithm>
#include <cstdlib>

namespace tutti::engine::synth {

SuffixPeaks::SuffixPeaks(const kernels::SampleData& data, std::uint32_t first, std::uint32_t last)
    : first_(first) {
  if (last < first) return;
  const std::uint32_t chunks = (last - first) / kChunkPoints + 1;
  peaks_.resize(chunks);
  // Backwards, so each chunk's entry takes the running maximum of everything after it.
  std::int32_t running = 0;
  for (std::uint32_t c = chunks; c-- > 0;) {
    const std::uint32_t begin = first + c * kChunkPoints;
    const std::uint32_t end = std::min(last, begin + (kChunkPoints - 1));
    for (std::uint32_t p = begin; p <= end; ++p) {
      const std::int32_t value = data.words[p] * 256 + (data.low_bytes != nullptr ? data.low_bytes[p] : 0);
      running = std::max(running, std::abs(value));
    }
    peaks_[c] = static_cast<double>(running);
  }
}

}  // namespace tutti::engine::synth
