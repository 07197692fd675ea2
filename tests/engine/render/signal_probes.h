#pragma once
// Measurements the engine tests make on rendered audio, on top of tools/analysis: pitch against
// an expectation, the amplitude of one known tone in a mix, pitch over time, onsets and ends,
// and levels of the constant (DC) probe. All take plain spans of one channel at 44.1 kHz.
#include <complex>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tutti::test {

// Prints "[ measured ] what: value unit", so the figures behind the assertions are visible in
// every run (and in ctest's output on failure).
void report(const std::string& what, double value, const std::string& unit);

// 20*log10(ratio).
double to_db(double ratio);

// How far the tone in `signal` is above `expected_hz`, in cents (the fundamental within 300
// cents of the expectation). NaN when no tone is found, so comparisons fail.
double cents_off(std::span<const float> signal, double expected_hz);

// The measured frequency of the strongest tone within 300 cents of `expected_hz` (NaN if none).
double measured_hz(std::span<const float> signal, double expected_hz);

// Amplitude of the component at exactly `hz` (correlation with a sine and a cosine). Over a
// span holding a whole number of cycles of every tone present, other tones contribute nothing.
double tone_amplitude(std::span<const float> signal, double hz, double rate = 44100.0);

struct PitchPoint {
  double seconds = 0.0;  // centre of the window, from the span's start
  double cents = 0.0;    // relative to the nominal frequency
};
// Pitch over time: `window`-frame windows every `hop` frames, each measured within 300 cents
// of `nominal_hz`.
std::vector<PitchPoint> pitch_trace(std::span<const float> signal, double nominal_hz,
                                    std::size_t window, std::size_t hop, double rate = 44100.0);

// First index at or after `from` with |x| > threshold; -1 if none.
std::int64_t first_above(std::span<const float> signal, double threshold, std::int64_t from = 0);
// Last index with |x| > threshold; -1 if none.
std::int64_t last_above(std::span<const float> signal, double threshold);

// The first frame of every sound that follows at least `min_silence` silent (exactly zero)
// frames, or the start of the signal.
std::vector<std::int64_t> sound_onsets(std::span<const float> signal, std::int64_t min_silence);

// The largest |x[n+1] - x[n]|.
double largest_step(std::span<const float> signal);

// Mean |x| over a span: the level of the DC probe.
double mean_magnitude(std::span<const float> signal);

// DFT bin k of `period` (sum x[n] e^{-2 pi i k n / N}), in double precision. For exactly one
// period of a periodic signal there is no leakage: bin k holds the component at k * rate / N.
std::complex<double> dft_bin(std::span<const float> period, std::size_t k);

}  // namespace tutti::test
