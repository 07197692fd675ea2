#include <algorithm>
#include <cstdlib>

#include "kernels/sample_bounds.h"

namespace tutti::kernels::scalar {

PointBounds point_bounds(const std::int16_t* words, const std::uint8_t* low_bytes, std::size_t count) {
  const auto point = [&](std::ptrdiff_t j) {
    return static_cast<std::int32_t>(words[j]) * 256 + (low_bytes != nullptr ? low_bytes[j] : 0);
  };
  PointBounds bounds;
  for (std::ptrdiff_t j = 0; j < static_cast<std::ptrdiff_t>(count); ++j) {
    const std::int32_t here = point(j);
    bounds.peak = std::max(bounds.peak, std::abs(here));
    bounds.bend = std::max(bounds.bend, std::abs(point(j + 1) - 2 * here + point(j - 1)));
  }
  return bounds;
}

}  // namespace tutti::kernels::scalar
