#pragma once
// Float samples (full scale ±1.0) to integer PCM, rounding to nearest and saturating. Returns
// how many samples had to be clipped, so callers can report clipping instead of hiding it.
#include <cstddef>
#include <cstdint>

namespace tutti::kernels {

using ToPcm16Fn = std::size_t (*)(const float* source, std::size_t count, std::int16_t* out);
// 24-bit values in the low 24 bits of int32 (what libsndfile's int writer expects after << 8).
using ToPcm24Fn = std::size_t (*)(const float* source, std::size_t count, std::int32_t* out);

namespace scalar {
std::size_t to_pcm16(const float* source, std::size_t count, std::int16_t* out);
std::size_t to_pcm24(const float* source, std::size_t count, std::int32_t* out);
}  // namespace scalar

}  // namespace tutti::kernels
