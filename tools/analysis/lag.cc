#include "tools/analysis/lag.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <cstddef>
#include <vector>

#include "tools/analysis/levels.h"
#include "tools/analysis/real_fft.h"

namespace tutti::analysis {
namespace {

// raw[l + max_lag] = sum_n ref[n] * cand[n + l] for l in [-max_lag, max_lag], by overlap-save:
// each block of B reference samples is correlated with the B + 2*max_lag candidate samples it
// can meet, in an FFT of size N >= B + 2*max_lag, so no circular wrap reaches the lags kept.
// The blocks' cross-spectra conj(R)*S are summed (in double) before a single inverse FFT: the
// inverse is linear and every block puts lag l at the same index.
std::vector<double> raw_cross_correlation(std::span<const float> reference,
                                          std::span<const float> candidate,
                                          std::int64_t max_lag) {
  const auto lag_span = static_cast<std::size_t>(2 * max_lag);
  // Eight times the lag window: blocks then cover ~90% of each transform (about the cheapest
  // size per sample, and still cache-friendly).
  const std::size_t fft_size = std::max<std::size_t>(4096, std::bit_ceil(8 * (lag_span + 1)));
  const std::size_t block = fft_size - lag_span;
  const RealFft fft(fft_size);

  std::vector<std::complex<double>> cross_spectrum(fft.bins());
  std::vector<float> reference_block(fft_size), candidate_block(fft_size);
  std::vector<std::complex<float>> reference_spectrum(fft.bins()), candidate_spectrum(fft.bins());
  const auto candidate_length = static_cast<std::int64_t>(candidate.size());

  for (std::size_t start = 0; start < reference.size(); start += block) {
    const std::size_t length = std::min(block, reference.size() - start);
    std::fill(reference_block.begin(), reference_block.end(), 0.0f);
    std::copy_n(reference.begin() + static_cast<std::ptrdiff_t>(start), length,
                reference_block.begin());
    // candidate_block[i] = cand[first + i] for the indices that exist, zero elsewhere.
    std::fill(candidate_block.begin(), candidate_block.end(), 0.0f);
    const std::int64_t first = static_cast<std::int64_t>(start) - max_lag;
    const std::int64_t copy_begin = std::max<std::int64_t>(first, 0);
    const std::int64_t copy_end = std::min(first + static_cast<std::int64_t>(length + lag_span),
                                           candidate_length);
    if (copy_end > copy_begin) {
      std::copy(candidate.begin() + copy_begin, candidate.begin() + copy_end,
                candidate_block.begin() + (copy_begin - first));
    }
    fft.forward(reference_block, reference_spectrum);
    fft.forward(candidate_block, candidate_spectrum);
    for (std::size_t k = 0; k < fft.bins(); ++k) {
      // S * conj(R), written out: std::complex's operator* adds NaN/inf recovery we do not need
      // in this loop.
      const double s_re = candidate_spectrum[k].real(), s_im = candidate_spectrum[k].imag();
      const double r_re = reference_spectrum[k].real(), r_im = reference_spectrum[k].imag();
      cross_spectrum[k] += std::complex<double>(s_re * r_re + s_im * r_im, s_im * r_re - s_re * r_im);
    }
  }

  std::vector<std::complex<float>> summed(fft.bins());
  std::transform(cross_spectrum.begin(), cross_spectrum.end(), summed.begin(),
                 [](std::complex<double> x) { return std::complex<float>(x); });
  std::vector<float> correlation(fft_size);
  fft.inverse(summed, correlation);
  std::vector<double> raw(lag_span + 1);
  const double inverse_scale = 1.0 / static_cast<double>(fft_size);
  for (std::size_t i = 0; i <= lag_span; ++i) raw[i] = correlation[i] * inverse_scale;
  return raw;
}

}  // namespace

std::vector<double> normalized_cross_correlation(std::span<const float> reference,
                                                 std::span<const float> candidate,
                                                 std::int64_t max_lag_frames) {
  if (reference.empty() || candidate.empty() || max_lag_frames < 0) return {};
  const auto reference_length = static_cast<std::int64_t>(reference.size());
  const auto candidate_length = static_cast<std::int64_t>(candidate.size());
  // Lags beyond these leave no overlap at all.
  const std::int64_t max_lag =
      std::min({max_lag_frames, reference_length - 1, candidate_length - 1});
  const std::vector<double> raw = raw_cross_correlation(reference, candidate, max_lag);

  // The overlap at lag l is ref[rb, re) against cand[cb, ce) with cb = rb + l, ce = re + l.
  // Its energies are updated incrementally from the most negative lag, since one step of the
  // lag moves each end by at most one sample. (Prefix-sum arrays would cost 16 bytes per
  // sample for the same result.)
  const auto reference_begin = [](std::int64_t lag) { return std::max<std::int64_t>(0, -lag); };
  const auto reference_end = [&](std::int64_t lag) {
    return std::min(reference_length, candidate_length - lag);
  };
  const auto candidate_begin = [](std::int64_t lag) { return std::max<std::int64_t>(0, lag); };
  const auto candidate_end = [&](std::int64_t lag) {
    return std::min(candidate_length, reference_length + lag);
  };
  const auto energy_of = [](std::span<const float> signal, std::int64_t index) {
    const double x = signal[static_cast<std::size_t>(index)];
    return x * x;
  };

  const auto part = [](std::span<const float> signal, std::int64_t begin, std::int64_t end) {
    return signal.subspan(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  };
  double reference_energy =
      sum_of_squares(part(reference, reference_begin(-max_lag), reference_end(-max_lag)));
  double candidate_energy =
      sum_of_squares(part(candidate, candidate_begin(-max_lag), candidate_end(-max_lag)));

  std::vector<double> correlation(raw.size(), 0.0);
  for (std::int64_t lag = -max_lag;; ++lag) {
    const double energy = reference_energy * candidate_energy;
    const auto index = static_cast<std::size_t>(lag + max_lag);
    if (energy > 0.0) correlation[index] = raw[index] / std::sqrt(energy);
    if (lag == max_lag) break;
    const std::int64_t next = lag + 1;
    if (reference_begin(next) < reference_begin(lag)) {
      reference_energy += energy_of(reference, reference_begin(next));
    }
    if (reference_end(next) < reference_end(lag)) {
      reference_energy -= energy_of(reference, reference_end(next));
    }
    if (candidate_begin(next) > candidate_begin(lag)) {
      candidate_energy -= energy_of(candidate, candidate_begin(lag));
    }
    if (candidate_end(next) > candidate_end(lag)) {
      candidate_energy += energy_of(candidate, candidate_end(lag));
    }
    // Subtractions could leave a tiny negative rounding residue where the overlap is silent.
    if (reference_energy < 0.0) reference_energy = 0.0;
    if (candidate_energy < 0.0) candidate_energy = 0.0;
  }
  return correlation;
}

LagEstimate find_lag(std::span<const float> reference, std::span<const float> candidate,
                     std::int64_t max_lag_frames) {
  std::vector<double> correlation =
      normalized_cross_correlation(reference, candidate, max_lag_frames);
  LagEstimate best;
  if (correlation.empty()) return best;
  const auto max_lag = static_cast<std::int64_t>(correlation.size() / 2);

  // The float FFT leaves errors of ~1e-6 in ncc, enough to reorder the peak's neighbours in
  // bass-heavy music (at 40 Hz, lags one frame apart differ by ~2e-5). The lags within
  // kRecheckMargin of the largest value are therefore recomputed directly in double.
  constexpr double kRecheckMargin = 1e-4;
  constexpr std::size_t kMaxRechecks = 16;
  const double largest = *std::max_element(correlation.begin(), correlation.end());
  std::vector<std::size_t> contenders;
  for (std::size_t i = 0; i < correlation.size(); ++i) {
    if (correlation[i] >= largest - kRecheckMargin) contenders.push_back(i);
  }
  if (contenders.size() > kMaxRechecks) {
    std::partial_sort(contenders.begin(), contenders.begin() + kMaxRechecks, contenders.end(),
                      [&](std::size_t a, std::size_t b) { return correlation[a] > correlation[b]; });
    contenders.resize(kMaxRechecks);
  }
  const auto reference_length = static_cast<std::int64_t>(reference.size());
  const auto candidate_length = static_cast<std::int64_t>(candidate.size());
  for (const std::size_t index : contenders) {
    const std::int64_t lag = static_cast<std::int64_t>(index) - max_lag;
    const std::int64_t begin = std::max<std::int64_t>(0, -lag);
    const std::int64_t end = std::min(reference_length, candidate_length - lag);
    const auto length = static_cast<std::size_t>(end - begin);
    const auto ref_part = reference.subspan(static_cast<std::size_t>(begin), length);
    const auto cand_part = candidate.subspan(static_cast<std::size_t>(begin + lag), length);
    const double energy = sum_of_squares(ref_part) * sum_of_squares(cand_part);
    correlation[index] = energy > 0.0 ? dot_product(ref_part, cand_part) / std::sqrt(energy) : 0.0;
  }

  // Visiting 0, -1, 1, -2, 2, ... and keeping only strict improvements breaks ties toward
  // the smallest shift. The lags not rechecked were further below than the FFT's error.
  const auto at = [&](std::int64_t lag) {
    return correlation[static_cast<std::size_t>(lag + max_lag)];
  };
  best.correlation = at(0);
  for (std::int64_t distance = 1; distance <= max_lag; ++distance) {
    for (const std::int64_t lag : {-distance, distance}) {
      if (at(lag) > best.correlation) {
        best.frames = lag;
        best.correlation = at(lag);
      }
    }
  }
  return best;
}

}  // namespace tutti::analysis
