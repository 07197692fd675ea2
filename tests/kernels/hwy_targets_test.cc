// Every kernel of every Highway target compiled in and supported by this CPU, against the
// scalar twins (tolerances in kernel_checks.h); with portable arithmetic each target must give
// the twins' bits, which makes portable output identical across targets. Highway's test
// harness runs each test once per target (SetSupportedTargetsForTest).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tests/kernels/hwy_targets_test.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "kernels/biquad_hwy-inl.h"
#include "kernels/control_lanes_hwy-inl.h"
#include "kernels/oscillator_hwy-inl.h"
#include "kernels/pcm_conversion_hwy-inl.h"
#include "kernels/sample_bounds_hwy-inl.h"
#include "kernels/signal_peak_hwy-inl.h"
#include "kernels/stereo_mix_hwy-inl.h"
#include "tests/kernels/control_lanes_checks.h"
#include "tests/kernels/kernel_checks.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

std::string TargetLabel(const char* arithmetic) {
  return std::string("hwy:") + hwy::TargetName(HWY_TARGET) + arithmetic;
}

void TestOscillatorFused() { test::check_oscillator_lanes(&RenderOscillatorLanes<true>, false, TargetLabel("")); }
void TestOscillatorPortable() {
  test::check_oscillator_lanes(&RenderOscillatorLanes<false>, true, TargetLabel(":portable"));
}
void TestBiquadFused() { test::check_biquad_lanes(&ApplyBiquadLanes<true>, false, TargetLabel("")); }
void TestBiquadPortable() { test::check_biquad_lanes(&ApplyBiquadLanes<false>, true, TargetLabel(":portable")); }
void TestPanMixFused() { test::check_pan_mix(&PanMix<true>, false, TargetLabel("")); }
void TestPanMixPortable() { test::check_pan_mix(&PanMix<false>, true, TargetLabel(":portable")); }
void TestPanMixLanesFused() { test::check_pan_mix_lanes(&PanMixLanes<true>, &PanMix<true>, false, TargetLabel("")); }
void TestPanMixLanesPortable() {
  test::check_pan_mix_lanes(&PanMixLanes<false>, &PanMix<false>, true, TargetLabel(":portable"));
}
void TestAccumulate() { test::check_accumulate(&Accumulate, TargetLabel("")); }
void TestToPcm16() { test::check_to_pcm16(&ToPcm16, TargetLabel("")); }
void TestToPcm24() { test::check_to_pcm24(&ToPcm24, TargetLabel("")); }
void TestPcmNanIsZero() { test::check_pcm_nan(&ToPcm16, &ToPcm24, TargetLabel("")); }
void TestPointBounds() { test::check_point_bounds(&PointBoundsOf, TargetLabel("")); }
void TestSignalPeak() { test::check_signal_peak(&PeakOf, TargetLabel("")); }
void TestControlLanes() { test::check_control_lanes(&StepControlLanes, TargetLabel("")); }

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "hwy/tests/hwy_gtest.h"

namespace tutti::kernels {

HWY_BEFORE_TEST(HwyKernelsMatchScalarTwins);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestOscillatorFused);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestOscillatorPortable);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestBiquadFused);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestBiquadPortable);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPanMixFused);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPanMixPortable);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPanMixLanesFused);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPanMixLanesPortable);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestAccumulate);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestToPcm16);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestToPcm24);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPcmNanIsZero);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestPointBounds);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestSignalPeak);
HWY_EXPORT_AND_TEST_P(HwyKernelsMatchScalarTwins, TestControlLanes);

}  // namespace tutti::kernels
#endif  // HWY_ONCE
