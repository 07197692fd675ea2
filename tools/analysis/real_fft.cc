#include "tools/analysis/real_fft.h"

#include <kiss_fftr.h>

#include <cassert>
#include <limits>
#include <stdexcept>

namespace tutti::analysis {

// std::complex<float> is specified to be layout-compatible with float[2], as is kiss_fft_cpx
// {r, i}; KissFFT is a separately compiled C library, so handing it our complex arrays is safe.
static_assert(sizeof(std::complex<float>) == sizeof(kiss_fft_cpx));
static_assert(std::is_same_v<kiss_fft_scalar, float>);

struct RealFft::Plans {
  kiss_fftr_cfg forward = nullptr;
  kiss_fftr_cfg inverse = nullptr;
  ~Plans() {
    kiss_fftr_free(forward);
    kiss_fftr_free(inverse);
  }
};

RealFft::RealFft(std::size_t size) : size_(size), plans_(std::make_unique<Plans>()) {
  if (size == 0 || size % 2 != 0 ||
      size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::invalid_argument("RealFft size must be even, positive and fit in an int");
  }
  const int n = static_cast<int>(size);
  plans_->forward = kiss_fftr_alloc(n, 0, nullptr, nullptr);
  plans_->inverse = kiss_fftr_alloc(n, 1, nullptr, nullptr);
  if (plans_->forward == nullptr || plans_->inverse == nullptr) throw std::bad_alloc();
}

RealFft::~RealFft() = default;
RealFft::RealFft(RealFft&&) noexcept = default;
RealFft& RealFft::operator=(RealFft&&) noexcept = default;

void RealFft::forward(std::span<const float> time, std::span<std::complex<float>> spectrum) const {
  assert(time.size() == size_ && spectrum.size() == bins());
  kiss_fftr(plans_->forward, time.data(), reinterpret_cast<kiss_fft_cpx*>(spectrum.data()));
}

void RealFft::inverse(std::span<const std::complex<float>> spectrum, std::span<float> time) const {
  assert(time.size() == size_ && spectrum.size() == bins());
  kiss_fftri(plans_->inverse, reinterpret_cast<const kiss_fft_cpx*>(spectrum.data()), time.data());
}

std::size_t fast_real_fft_size(std::size_t minimum_size) {
  std::size_t size = minimum_size < 2 ? 2 : minimum_size + (minimum_size % 2);
  for (;; size += 2) {
    std::size_t rest = size;
    for (const std::size_t factor : {2u, 3u, 5u}) {
      while (rest % factor == 0) rest /= factor;
    }
    if (rest == 1) return size;
  }
}

}  // namespace tutti::analysis
