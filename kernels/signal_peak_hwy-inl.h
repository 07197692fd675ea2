// Signal peak (kernels/signal_peak.h) for one Highway target: whole vectors, the rest by the
// scalar twin. A maximum of magnitudes rounds nothing, so this is exactly the twin's answer.
// Included once per target by kernels/signal_peak_hwy.cc and by tests/kernels/hwy_targets_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_SIGNAL_PEAK_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_SIGNAL_PEAK_HWY_INL_H_
#undef TUTTI_KERNELS_SIGNAL_PEAK_HWY_INL_H_
#else
#define TUTTI_KERNELS_SIGNAL_PEAK_HWY_INL_H_
#endif

#include <algorithm>
#include <cstddef>

#include "hwy/highway.h"
#include "kernels/signal_peak.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

HWY_INLINE SignalPeak PeakOf(const float* HWY_RESTRICT source, std::size_t count) {
  const hn::ScalableTag<float> d;
  const std::size_t n = hn::Lanes(d);
  auto peak = hn::Zero(d);
  std::size_t i = 0;
  // Four vectors per test of finiteness: the test is a reduction, the maxima are not.
  for (; i + 4 * n <= count; i += 4 * n) {
    const auto a = hn::LoadU(d, source + i);
    const auto b = hn::LoadU(d, source + i + n);
    const auto c = hn::LoadU(d, source + i + 2 * n);
    const auto e = hn::LoadU(d, source + i + 3 * n);
    const auto finite = hn::And(hn::And(hn::IsFinite(a), hn::IsFinite(b)), hn::And(hn::IsFinite(c), hn::IsFinite(e)));
    if (!hn::AllTrue(d, finite)) return {0.0f, false};
    peak = hn::Max(peak, hn::Max(hn::Max(hn::Abs(a), hn::Abs(b)), hn::Max(hn::Abs(c), hn::Abs(e))));
  }
  const SignalPeak rest = scalar::signal_peak(source + i, count - i);
  if (!rest.finite) return rest;
  return {std::max(rest.peak, hn::GetLane(hn::MaxOfLanes(d, peak))), true};
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
