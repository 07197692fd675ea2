#include "tools/analysis/window.h"

#include <cmath>
#include <numbers>

namespace tutti::analysis {

std::vector<float> periodic_hann(std::size_t length) {
  std::vector<float> window(length);
  for (std::size_t n = 0; n < length; ++n) {
    const double phase = 2.0 * std::numbers::pi * static_cast<double>(n) /
                         static_cast<double>(length);
    window[n] = static_cast<float>(0.5 - 0.5 * std::cos(phase));
  }
  return window;
}

std::vector<double> symmetric_hann(std::size_t length) {
  std::vector<double> window(length, 1.0);
  if (length < 2) return window;
  for (std::size_t n = 0; n < length; ++n) {
    const double phase = 2.0 * std::numbers::pi * static_cast<double>(n) /
                         static_cast<double>(length - 1);
    window[n] = 0.5 - 0.5 * std::cos(phase);
  }
  return window;
}

}  // namespace tutti::analysis
