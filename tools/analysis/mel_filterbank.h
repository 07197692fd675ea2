#pragma once
// Triangular mel filterbank on the HTK mel scale, mel = 2595*log10(1 + hz/700).
//
// `band_count` triangles whose corner frequencies are band_count + 2 points evenly spaced in mel
// from min_hz to max_hz: band b rises from point b to point b+1 and falls to point b+2, so the
// first band starts at min_hz and the last ends at max_hz, and neighbouring triangles cross at
// half height. Weights are linear in Hz between the corners and peak at 1 (no area
// normalisation: the metric compares two signals through the same filters, so a per-band
// scale would cancel).
#include <cstddef>
#include <span>
#include <vector>

namespace tutti::analysis {

double hz_to_mel(double hz);
double mel_to_hz(double mel);

struct MelBand {
  double lower_hz = 0.0, centre_hz = 0.0, upper_hz = 0.0;
  std::size_t first_bin = 0;   // FFT bin of weights[0]
  std::vector<float> weights;  // non-zero weights of consecutive bins from first_bin
};

class MelFilterbank {
 public:
  // Bands over the bins of a real FFT of `fft_size` samples at `sample_rate`. max_hz above
  // Nyquist is clamped to Nyquist (see was_clamped()).
  MelFilterbank(std::size_t band_count, double min_hz, double max_hz, std::size_t fft_size,
                double sample_rate);

  const std::vector<MelBand>& bands() const { return bands_; }
  double min_hz() const { return min_hz_; }
  double max_hz() const { return max_hz_; }
  bool was_clamped() const { return clamped_; }

  // band_power[b] = sum_k weight_b(k) * power[k]; power has fft_size/2 + 1 bins.
  void apply(std::span<const float> power, std::span<float> band_power) const;

 private:
  std::vector<MelBand> bands_;
  double min_hz_, max_hz_;
  bool clamped_ = false;
};

}  // namespace tutti::analysis
