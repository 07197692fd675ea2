#pragma once
// Analysis windows.
#include <cstddef>
#include <vector>

namespace tutti::analysis {

// Periodic Hann window, w[n] = 0.5 - 0.5*cos(2*pi*n/length): the STFT convention (it sums to a
// constant at hop length/4 and length/2), the one the log-mel metric is defined with.
std::vector<float> periodic_hann(std::size_t length);

// Symmetric Hann window, w[n] = 0.5 - 0.5*cos(2*pi*n/(length-1)): symmetric about its centre,
// which keeps the magnitude spectrum of a windowed tone symmetric about the tone's frequency
// (what the pitch estimator relies on).
std::vector<double> symmetric_hann(std::size_t length);

}  // namespace tutti::analysis
