// Every kernel of every xsimd instruction set compiled in and supported by this CPU, against
// the scalar twins (tolerances in kernel_checks.h); portable arithmetic must give the twins'
// bits. Also: which sets are compiled, and that the dispatcher picks the best one this CPU runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernels/kernel_set.h"
#include "kernels/xsimd_backend.h"
#include "tests/kernels/kernel_checks.h"

namespace tutti::kernels {
namespace {

using detail::XsimdKernels;

std::vector<const XsimdKernels*> runnable_sets() {
  std::vector<const XsimdKernels*> sets;
  for (const detail::XsimdArch& arch : detail::xsimd_compiled_archs()) {
    if (arch.kernels != nullptr) sets.push_back(arch.kernels);
  }
  return sets;
}

class XsimdKernelsMatchScalarTwins : public testing::TestWithParam<const XsimdKernels*> {
 protected:
  const XsimdKernels& set() const { return *GetParam(); }
  std::string label(const char* arithmetic) const { return std::string("xsimd:") + set().arch + arithmetic; }
};

TEST_P(XsimdKernelsMatchScalarTwins, OscillatorFused) { test::check_oscillator_lanes(set().oscillator_fused, false, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, OscillatorPortable) {
  test::check_oscillator_lanes(set().oscillator_portable, true, label(":portable"));
}
TEST_P(XsimdKernelsMatchScalarTwins, BiquadFused) { test::check_biquad_lanes(set().biquad_fused, false, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, BiquadPortable) { test::check_biquad_lanes(set().biquad_portable, true, label(":portable")); }
TEST_P(XsimdKernelsMatchScalarTwins, PanMixFused) { test::check_pan_mix(set().pan_mix_fused, false, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, PanMixPortable) { test::check_pan_mix(set().pan_mix_portable, true, label(":portable")); }
TEST_P(XsimdKernelsMatchScalarTwins, PanMixLanesFused) {
  test::check_pan_mix_lanes(set().pan_mix_lanes_fused, set().pan_mix_fused, false, label(""));
}
TEST_P(XsimdKernelsMatchScalarTwins, PanMixLanesPortable) {
  test::check_pan_mix_lanes(set().pan_mix_lanes_portable, set().pan_mix_portable, true, label(":portable"));
}
TEST_P(XsimdKernelsMatchScalarTwins, Accumulate) { test::check_accumulate(set().accumulate, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, ToPcm16) { test::check_to_pcm16(set().to_pcm16, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, ToPcm24) { test::check_to_pcm24(set().to_pcm24, label("")); }
TEST_P(XsimdKernelsMatchScalarTwins, PcmNanIsZero) { test::check_pcm_nan(set().to_pcm16, set().to_pcm24, label("")); }

INSTANTIATE_TEST_SUITE_P(Sets, XsimdKernelsMatchScalarTwins, testing::ValuesIn(runnable_sets()),
                         [](const testing::TestParamInfo<const XsimdKernels*>& param) {
                           std::string name = param.param->arch;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });
// Only CPU families without an xsimd build (not x86-64) leave the suite empty.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(XsimdKernelsMatchScalarTwins);

#if defined(__x86_64__) || defined(_M_X64)
TEST(XsimdBackend, CompilesSse42Avx2AndAvx512BestFirst) {
  const std::vector<detail::XsimdArch> archs = detail::xsimd_compiled_archs();
  ASSERT_EQ(archs.size(), 3u);
  EXPECT_STREQ(archs[0].name, "avx512f");
  EXPECT_STREQ(archs[1].name, "fma3+avx2");
  EXPECT_STREQ(archs[2].name, "sse4.2");
  // Every x86-64 CPU this project targets has SSE4.2.
  EXPECT_NE(archs[2].kernels, nullptr);
}

TEST(XsimdBackend, DispatcherPicksTheBestSetThisCpuRuns) {
  const detail::XsimdKernels* chosen = detail::xsimd_chosen_kernels();
  ASSERT_NE(chosen, nullptr);
  for (const detail::XsimdArch& arch : detail::xsimd_compiled_archs()) {
    if (arch.kernels == nullptr) continue;
    EXPECT_EQ(chosen, arch.kernels) << "best runnable set is " << arch.name << ", dispatcher chose " << chosen->arch;
    break;
  }
  const KernelSet* set = kernel_set(Backend::xsimd);
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->name, std::string("xsimd:") + chosen->arch);
  EXPECT_FALSE(set->portable);
  EXPECT_EQ(set->render_oscillator_lanes, chosen->oscillator_fused);
  EXPECT_EQ(set->pan_mix_lanes, chosen->pan_mix_lanes_fused);
  const KernelSet* portable = kernel_set(Backend::xsimd, Arithmetic::portable);
  ASSERT_NE(portable, nullptr);
  EXPECT_EQ(portable->name, std::string("xsimd:") + chosen->arch + ":portable");
  EXPECT_TRUE(portable->portable);
  EXPECT_EQ(portable->apply_biquad_lanes, chosen->biquad_portable);
  EXPECT_EQ(portable->pan_mix_lanes, chosen->pan_mix_lanes_portable);
}
#endif

}  // namespace
}  // namespace tutti::kernels
