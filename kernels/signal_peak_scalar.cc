#include <algorithm>
#include <cmath>

#include "kernels/signal_peak.h"

namespace tutti::kernels::scalar {

SignalPeak signal_peak(const float* source, std::size_t count) {
  SignalPeak result;
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(source[i])) return {0.0f, false};
    result.peak = std::max(result.peak, std::fabs(source[i]));
  }
  return result;
}

}  // namespace tutti::kernels::scalar
