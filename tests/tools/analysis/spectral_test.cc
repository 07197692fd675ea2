// RealFft, the windows and the mel filterbank.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numeric>
#include <vector>

#include "tests/tools/analysis/synthetic_signals.h"
#include "tools/analysis/mel_filterbank.h"
#include "tools/analysis/real_fft.h"
#include "tools/analysis/window.h"

namespace tutti::analysis {
namespace {

TEST(RealFft, SineLandsInItsBin) {
  const std::size_t size = 1024;
  const RealFft fft(size);
  EXPECT_EQ(fft.bins(), 513u);
  // 37 cycles per frame: bin 37, magnitude size/2 * amplitude.
  const auto signal = testing::sine(37.0, static_cast<double>(size), size, 0.5);
  std::vector<std::complex<float>> spectrum(fft.bins());
  fft.forward(signal, spectrum);
  for (std::size_t k = 0; k < spectrum.size(); ++k) {
    const double expected = k == 37 ? 0.25 * size : 0.0;
    ASSERT_NEAR(std::abs(spectrum[k]), expected, 1e-3) << "bin " << k;
  }
}

TEST(RealFft, InverseOfForwardIsSizeTimesTheSignal) {
  for (const std::size_t size : {2u, 6u, 360u, 4096u}) {
    const RealFft fft(size);
    const auto signal = testing::white_noise(size, 1.0, 3);
    std::vector<std::complex<float>> spectrum(fft.bins());
    std::vector<float> back(size);
    fft.forward(signal, spectrum);
    fft.inverse(spectrum, back);
    for (std::size_t n = 0; n < size; ++n) {
      ASSERT_NEAR(back[n], size * signal[n], 1e-4 * size) << "size " << size << " n " << n;
    }
  }
}

TEST(RealFft, FastSizesHaveOnlySmallFactors) {
  EXPECT_EQ(fast_real_fft_size(0), 2u);
  EXPECT_EQ(fast_real_fft_size(7), 8u);
  EXPECT_EQ(fast_real_fft_size(1000), 1000u);
  EXPECT_EQ(fast_real_fft_size(1001), 1024u);
  EXPECT_EQ(fast_real_fft_size(88201), 90000u);
}

TEST(Window, PeriodicHannOverlapAddsToAConstant) {
  const auto window = periodic_hann(2048);
  EXPECT_EQ(window[0], 0.0f);
  EXPECT_NEAR(window[1024], 1.0f, 1e-7);
  // At hop 512 four shifted copies sum to 2 everywhere (constant overlap-add).
  for (std::size_t n = 0; n < 512; ++n) {
    const double sum = window[n] + window[n + 512] + window[n + 1024] + window[n + 1536];
    ASSERT_NEAR(sum, 2.0, 1e-6);
  }
}

TEST(Window, SymmetricHannIsSymmetric) {
  const auto window = symmetric_hann(101);
  EXPECT_EQ(window.front(), 0.0);
  EXPECT_NEAR(window[50], 1.0, 1e-15);
  for (std::size_t n = 0; n < 101; ++n) ASSERT_NEAR(window[n], window[100 - n], 1e-15);
}

TEST(Mel, HtkScale) {
  EXPECT_NEAR(hz_to_mel(0.0), 0.0, 1e-12);
  EXPECT_NEAR(hz_to_mel(700.0), 2595.0 * std::log10(2.0), 1e-9);
  EXPECT_NEAR(hz_to_mel(1000.0), 999.985, 1e-3);
  for (const double hz : {30.0, 440.0, 16000.0}) EXPECT_NEAR(mel_to_hz(hz_to_mel(hz)), hz, 1e-9);
}

TEST(Mel, SixtyFourBandsFrom30HzTo16kHz) {
  const MelFilterbank bank(64, 30.0, 16000.0, 2048, 44100.0);
  ASSERT_EQ(bank.bands().size(), 64u);
  EXPECT_FALSE(bank.was_clamped());
  EXPECT_EQ(bank.bands().front().lower_hz, 30.0);
  EXPECT_EQ(bank.bands().back().upper_hz, 16000.0);
  // Corners evenly spaced in mel, shared between neighbours.
  const double step = (hz_to_mel(16000.0) - hz_to_mel(30.0)) / 65.0;
  for (std::size_t b = 0; b < 64; ++b) {
    const MelBand& band = bank.bands()[b];
    EXPECT_NEAR(hz_to_mel(band.centre_hz) - hz_to_mel(band.lower_hz), step, 1e-9);
    EXPECT_NEAR(hz_to_mel(band.upper_hz) - hz_to_mel(band.centre_hz), step, 1e-9);
    if (b > 0) {
      EXPECT_EQ(band.lower_hz, bank.bands()[b - 1].centre_hz);
    }
    // Every band sees at least one FFT bin, even the narrow ones at the bottom.
    EXPECT_FALSE(band.weights.empty()) << "band " << b;
  }
}

TEST(Mel, TrianglesSumToOneBetweenTheOuterCentres) {
  const std::size_t fft_size = 2048;
  const double rate = 44100.0;
  const MelFilterbank bank(64, 30.0, 16000.0, fft_size, rate);
  std::vector<double> sum(fft_size / 2 + 1, 0.0);
  for (const MelBand& band : bank.bands()) {
    for (std::size_t i = 0; i < band.weights.size(); ++i) {
      ASSERT_GT(band.weights[i], 0.0f);
      ASSERT_LE(band.weights[i], 1.0f);
      sum[band.first_bin + i] += band.weights[i];
    }
  }
  const double hz_per_bin = rate / fft_size;
  for (std::size_t k = 0; k < sum.size(); ++k) {
    const double hz = k * hz_per_bin;
    if (hz >= bank.bands().front().centre_hz && hz <= bank.bands().back().centre_hz) {
      ASSERT_NEAR(sum[k], 1.0, 1e-6) << hz << " Hz";
    } else if (hz <= 30.0 || hz >= 16000.0) {
      ASSERT_EQ(sum[k], 0.0) << hz << " Hz";
    }
  }
}

TEST(Mel, TopEdgeIsClampedToNyquist) {
  const MelFilterbank bank(64, 30.0, 16000.0, 2048, 22050.0);
  EXPECT_TRUE(bank.was_clamped());
  EXPECT_EQ(bank.max_hz(), 11025.0);
  EXPECT_EQ(bank.bands().back().upper_hz, 11025.0);
}

TEST(Mel, ApplyWeighsThePowerSpectrum) {
  const MelFilterbank bank(8, 100.0, 4000.0, 256, 8000.0);
  std::vector<float> power(129, 1.0f);
  std::vector<float> bands(8);
  bank.apply(power, bands);
  for (std::size_t b = 0; b < 8; ++b) {
    const auto& weights = bank.bands()[b].weights;
    EXPECT_NEAR(bands[b], std::accumulate(weights.begin(), weights.end(), 0.0), 1e-5);
  }
}

}  // namespace
}  // namespace tutti::analysis
