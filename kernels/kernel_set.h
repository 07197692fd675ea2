#pragma once
// The kernels the engine calls, as one table of function pointers chosen once per render from
// a backend name. Per-voice loops call through it, never through virtual functions.
#include <string>
#include <string_view>
#include <vector>

#include "kernels/biquad.h"
#include "kernels/oscillator.h"
#include "kernels/pcm_conversion.h"
#include "kernels/stereo_mix.h"

namespace tutti::kernels {

enum class Backend { automatic, scalar, hwy, xsimd };

struct KernelSet {
  std::string name;  // backend and, for SIMD, the instruction-set target, e.g. "hwy:AVX2"
  OscillatorFn render_oscillator;
  BiquadFn apply_biquad;
  PanMixFn pan_mix;
  AccumulateFn accumulate;
  ToPcm16Fn to_pcm16;
  ToPcm24Fn to_pcm24;
};

// The kernels of a backend; `automatic` picks the production backend for this CPU. Returns
// nullptr for a backend that was not compiled in.
const KernelSet* kernel_set(Backend backend);

// "auto", "scalar", "hwy", "xsimd" (as the command line spells them).
bool parse_backend(std::string_view name, Backend& backend);
std::vector<std::string> compiled_backends();

}  // namespace tutti::kernels
