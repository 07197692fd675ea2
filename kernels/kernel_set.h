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

// `fastest` lets a SIMD target fuse multiply-adds, so results differ slightly between targets
// (AVX2 fuses, SSE4 cannot). `portable` never fuses: every backend and target then computes
// exactly what the scalar twins compute, bit for bit, on every machine.
enum class Arithmetic { fastest, portable };

struct KernelSet {
  // Backend and, for SIMD, the instruction-set target: "scalar", "hwy:AVX2",
  // "hwy:AVX2:portable", "xsimd:fma3+avx2". Manifests record it.
  std::string name;
  bool portable = false;  // computes exactly what the scalar twins compute
  OscillatorLanesFn render_oscillator_lanes = nullptr;
  BiquadLanesFn apply_biquad_lanes = nullptr;
  PanMixFn pan_mix = nullptr;
  PanMixLanesFn pan_mix_lanes = nullptr;
  AccumulateFn accumulate = nullptr;
  ToPcm16Fn to_pcm16 = nullptr;
  ToPcm24Fn to_pcm24 = nullptr;
};

// The kernels of a backend; `automatic` picks the production backend (hwy) at the best target
// this CPU supports. Returns nullptr for a backend that was not compiled in. The pointer stays
// valid for the life of the program.
const KernelSet* kernel_set(Backend backend, Arithmetic arithmetic = Arithmetic::fastest);

// "auto", "scalar", "hwy", "xsimd" (as the command line spells them).
bool parse_backend(std::string_view name, Backend& backend);

// Every backend and target compiled in, e.g. "scalar", "hwy:AVX2", "hwy:AVX3 (not on this CPU)",
// "xsimd:fma3+avx2"; the targets this CPU cannot run are marked.
std::vector<std::string> compiled_backends();

}  // namespace tutti::kernels
