#pragma once
// How loud a stretch of sample points gets and how sharply it bends: the largest |p[j]| and the
// largest second difference |p[j+1] - 2 p[j] + p[j-1]|, on the 24-bit scale (a 16-bit point is
// its word times 256). The engine scans each sample once with it to bound what a voice can still
// play (engine/synth/sample_bounds.h). The answer is exact integers, the same from every
// target, so the engine takes Highway's best target whatever kernels render the audio.
#include <cstddef>
#include <cstdint>

namespace tutti::kernels {

struct PointBounds {
  std::int32_t peak = 0;  // below 2^23
  std::int32_t bend = 0;  // below 2^25
};

// Points j = 0 .. count - 1 of `words` (and `low_bytes`, nullptr for 16-bit points), whose
// neighbours words[-1] and words[count] (and the same low bytes) must be readable.
using PointBoundsFn = PointBounds (*)(const std::int16_t* words, const std::uint8_t* low_bytes, std::size_t count);

namespace scalar {
PointBounds point_bounds(const std::int16_t* words, const std::uint8_t* low_bytes, std::size_t count);
}  // namespace scalar

// Highway's implementation for the best target this CPU supports.
PointBoundsFn dispatched_point_bounds();

}  // namespace tutti::kernels
