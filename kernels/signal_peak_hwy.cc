// Highway dispatch for the signal peak: compiled once per target by foreach_target.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/signal_peak_hwy.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/signal_peak_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

SignalPeak ScanSignalPeak(const float* source, std::size_t count) { return PeakOf(source, count); }

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tutti::kernels {

HWY_EXPORT(ScanSignalPeak);

SignalPeakFn dispatched_signal_peak() { return &HWY_DYNAMIC_DISPATCH(ScanSignalPeak); }

}  // namespace tutti::kernels
#endif  // HWY_ONCE
