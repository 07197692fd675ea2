#pragma once
// The Highway backend's entry points for kernel_set.cc: each returns the function of the target
// Highway chose for this CPU. Call hwy_choose_target() first, so that the pointers are the
// target's own functions rather than Highway's first-call trampolines.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernel_set.h"

namespace tutti::kernels::detail {

// Chooses the best target this CPU supports and returns it as Highway names it ("AVX2").
std::string hwy_choose_target();
// Every target compiled in, best first, with whether this CPU can run it.
struct HwyTarget {
  std::string name;
  bool supported = false;
};
std::vector<HwyTarget> hwy_compiled_targets();

OscillatorLanesFn hwy_render_oscillator_lanes(Arithmetic arithmetic);
BiquadLanesFn hwy_apply_biquad_lanes(Arithmetic arithmetic);
PanMixFn hwy_pan_mix(Arithmetic arithmetic);
PanMixLanesFn hwy_pan_mix_lanes(Arithmetic arithmetic);
AccumulateFn hwy_accumulate();
ToPcm16Fn hwy_to_pcm16();
ToPcm24Fn hwy_to_pcm24();

}  // namespace tutti::kernels::detail
