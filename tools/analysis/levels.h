#pragma once
// Level measurements on plain sample spans (one channel, or interleaved when the caller wants
// every channel counted alike). Sums are in double so that long signals do not lose precision.
// Take a range with std::span::subspan, e.g. rms_db(signal.subspan(first, count)).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace tutti::analysis {

// 20*log10(amplitude); -infinity for 0.
double amplitude_to_db(double amplitude);
// 10^(db/20).
double db_to_amplitude(double db);

// sum(x^2) in double, in a fixed order (four interleaved partial sums, so the additions do
// not wait on each other; the result is the same on every run and machine).
double sum_of_squares(std::span<const float> samples);

// sum(a[n] * b[n]) over the shorter length, in double and in the same fixed order.
double dot_product(std::span<const float> a, std::span<const float> b);

// sqrt(mean(x^2)); 0 for an empty span.
double rms(std::span<const float> samples);
// rms in dB relative to full scale (a full-scale sine is -3.01 dB); -infinity when silent.
double rms_db(std::span<const float> samples);

// max |x|; 0 for an empty span.
double peak(std::span<const float> samples);
// peak in dBFS; -infinity when silent.
double peak_db(std::span<const float> samples);

// The first index whose |x| exceeds `threshold` (strictly): a note's onset in a rendered
// signal. For interleaved audio divide the index by the channel count to get the frame.
std::optional<std::size_t> first_index_above(std::span<const float> samples, double threshold);

// RMS of consecutive blocks of `block_size` samples (the last block may be shorter): an
// amplitude envelope for checking attack, decay and release shapes. Empty if block_size is 0.
std::vector<double> rms_envelope(std::span<const float> samples, std::size_t block_size);

}  // namespace tutti::analysis
