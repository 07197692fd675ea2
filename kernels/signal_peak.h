#pragma once
// The largest magnitude of a span of samples, and whether every sample is finite: the check
// each rendered window passes before it is written (a NaN or infinity fails the file rather
// than reaching its output), and the peak a file reports. The answer is exact, the same from
// every target, so callers take Highway's best target whatever kernels render the audio.
#include <cstddef>

namespace tutti::kernels {

struct SignalPeak {
  float peak = 0.0f;    // max |x|; meaningful only when finite
  bool finite = true;   // no NaN or infinity in the span
};

using SignalPeakFn = SignalPeak (*)(const float* source, std::size_t count);

namespace scalar {
SignalPeak signal_peak(const float* source, std::size_t count);
}  // namespace scalar

// Highway's implementation for the best target this CPU supports.
SignalPeakFn dispatched_signal_peak();

}  // namespace tutti::kernels
