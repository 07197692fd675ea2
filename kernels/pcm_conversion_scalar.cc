#include <cmath>

#include "kernels/pcm_conversion.h"

namespace tutti::kernels::scalar {

namespace {

// Scale by 2^(bits-1): +1.0 maps just past the largest code and is clipped, -1.0 maps to the
// smallest code exactly. NaN converts to 0 and is not counted (renders are checked for NaN
// before conversion).
template <typename Int>
std::size_t convert(const float* source, std::size_t count, Int* out, float scale, float lowest,
                    float highest) {
  std::size_t clipped = 0;
  for (std::size_t i = 0; i < count; ++i) {
    float value = std::nearbyint(source[i] * scale);
    if (value > highest) {
      value = highest;
      ++clipped;
    } else if (value < lowest) {
      value = lowest;
      ++clipped;
    } else if (value != value) {
      value = 0.0f;
    }
    out[i] = static_cast<Int>(value);
  }
  return clipped;
}

}  // namespace

std::size_t to_pcm16(const float* source, std::size_t count, std::int16_t* out) {
  return convert(source, count, out, 32768.0f, -32768.0f, 32767.0f);
}

std::size_t to_pcm24(const float* source, std::size_t count, std::int32_t* out) {
  return convert(source, count, out, 8388608.0f, -8388608.0f, 8388607.0f);
}

}  // namespace tutti::kernels::scalar
