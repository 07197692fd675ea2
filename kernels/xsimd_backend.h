#pragma once
// The xsimd backend's entry points for kernel_set.cc and the tests: one table of kernels per
// instruction set compiled in (each built in its own translation unit with that set's flags),
// and the one xsimd's dispatcher chooses for this CPU from an explicit list.
#include <vector>

#include "kernels/biquad.h"
#include "kernels/oscillator.h"
#include "kernels/pcm_conversion.h"
#include "kernels/stereo_mix.h"

namespace tutti::kernels::detail {

struct XsimdKernels {
  const char* arch = "";  // as xsimd names it: "sse4.2", "fma3+avx2", "avx512f"
  OscillatorLanesFn oscillator_fused = nullptr;
  OscillatorLanesFn oscillator_portable = nullptr;
  BiquadLanesFn biquad_fused = nullptr;
  BiquadLanesFn biquad_portable = nullptr;
  PanMixFn pan_mix_fused = nullptr;
  PanMixFn pan_mix_portable = nullptr;
  PanMixLanesFn pan_mix_lanes_fused = nullptr;
  PanMixLanesFn pan_mix_lanes_portable = nullptr;
  AccumulateFn accumulate = nullptr;
  ToPcm16Fn to_pcm16 = nullptr;
  ToPcm24Fn to_pcm24 = nullptr;
};

struct XsimdArch {
  const char* name = "";                 // as xsimd names it
  const XsimdKernels* kernels = nullptr;  // nullptr when this CPU cannot run the set
};

// Every instruction set compiled in, best first (empty where xsimd is not built, e.g. on a
// CPU family other than x86-64).
std::vector<XsimdArch> xsimd_compiled_archs();

// The best compiled set this CPU runs, as xsimd::dispatch picks it; nullptr if none.
const XsimdKernels* xsimd_chosen_kernels();

// Defined in the per-set translation units. Call only when the CPU supports the set: even
// building the table may use the set's instructions.
const XsimdKernels& xsimd_sse4_2_kernels();
const XsimdKernels& xsimd_avx2_kernels();
const XsimdKernels& xsimd_avx512_kernels();

}  // namespace tutti::kernels::detail
