#pragma once
// RealFft: a reusable plan for the forward and inverse FFT of real signals (KissFFT's kiss_fftr,
// single precision). Build one per size and reuse it; the plan allocates once, transforms never
// allocate.
#include <complex>
#include <cstddef>
#include <memory>
#include <span>

namespace tutti::analysis {

class RealFft {
 public:
  // `size` must be even and positive (a KissFFT real-transform requirement); sizes made of the
  // factors 2, 3 and 5 are fast (see fast_real_fft_size). Any other size is a programming
  // error and throws std::invalid_argument; running out of memory throws std::bad_alloc.
  explicit RealFft(std::size_t size);
  ~RealFft();
  RealFft(RealFft&&) noexcept;
  RealFft& operator=(RealFft&&) noexcept;
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;

  std::size_t size() const { return size_; }
  std::size_t bins() const { return size_ / 2 + 1; }  // 0 Hz to Nyquist inclusive

  // spectrum[k] = sum_n time[n] * exp(-2*pi*i*k*n/size). time.size() == size(),
  // spectrum.size() == bins().
  void forward(std::span<const float> time, std::span<std::complex<float>> spectrum) const;

  // The inverse without the 1/size factor (as KissFFT computes it): inverse(forward(x)) is
  // size() * x.
  void inverse(std::span<const std::complex<float>> spectrum, std::span<float> time) const;

 private:
  struct Plans;
  std::size_t size_;
  std::unique_ptr<Plans> plans_;
};

// The smallest even size >= minimum_size whose only prime factors are 2, 3 and 5.
std::size_t fast_real_fft_size(std::size_t minimum_size);

}  // namespace tutti::analysis
