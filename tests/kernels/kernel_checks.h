#pragma once
// Each kernel of a backend or target against its scalar twin, on the inputs of lane_inputs.h,
// at every size the kernel takes. `exact` demands the twin's bits (portable arithmetic, and
// kernels that never fuse); otherwise each kernel's stated tolerance applies:
//   oscillator: |d| <= 2^-20 x (lane gain) x 2^23, i.e. 2^-20 of the lane's full scale
//               (-120 dB): three fused tap sums and the fused gain ramp each round once less.
//   biquad:     |d| <= 2^-13 x (1 + the lane's largest value: block output or filter memory
//               carried to the next block) (-78 dB), for outputs and memory: fusing changes the
//               rounding of every recurrence step, and poles near the unit circle (low cutoffs,
//               Q up to 12 dB) carry the differences through the block, the memory running far
//               above the output at low cutoffs.
//   pan mix:    |d| <= 2^-21 x (|accumulator| + |gain x signal|), four roundings' worth.
//   accumulate, PCM conversion: exact on every backend (they have nothing to fuse).
// The `what` string names the backend and target in failure messages.
#include <string>

#include "kernels/biquad.h"
#include "kernels/oscillator.h"
#include "kernels/pcm_conversion.h"
#include "kernels/sample_bounds.h"
#include "kernels/signal_peak.h"
#include "kernels/stereo_mix.h"

namespace tutti::kernels::test {

void check_oscillator_lanes(OscillatorLanesFn kernel, bool exact, const std::string& what);
void check_biquad_lanes(BiquadLanesFn kernel, bool exact, const std::string& what);
void check_pan_mix(PanMixFn kernel, bool exact, const std::string& what);
// Whole blocks of 0 to 16 voices, some ending early in the block: always bit-identical to
// `per_voice` (the same backend and target's PanMixFn) called voice after voice, and against
// the twin as check_pan_mix, the pan-mix tolerance scaled by the number of voices (each voice's
// fused rounding lands in the running sum). Rows are exactly `frames` long, so an overread
// shows under the address sanitizer.
void check_pan_mix_lanes(PanMixLanesFn kernel, PanMixFn per_voice, bool exact, const std::string& what);
void check_accumulate(AccumulateFn kernel, const std::string& what);
void check_to_pcm16(ToPcm16Fn kernel, const std::string& what);
void check_to_pcm24(ToPcm24Fn kernel, const std::string& what);
// The twin's NaN rule (NaN becomes code 0 and is not counted as clipped), on sources mixed
// with NaN; apart from the rest because an ordered compare gets it wrong on AVX.
void check_pcm_nan(ToPcm16Fn to_pcm16, ToPcm24Fn to_pcm24, const std::string& what);
// Exactly the twin's bounds, 16- and 24-bit points, full-scale bends included; the neighbours
// before and after are exactly readable, so an overread shows under the address sanitizer.
void check_point_bounds(PointBoundsFn kernel, const std::string& what);
// Exactly the twin's peak, and a NaN or an infinity found wherever it lies (inside a vector,
// in the scalar tail, as the first or the last sample).
void check_signal_peak(SignalPeakFn kernel, const std::string& what);

}  // namespace tutti::kernels::test
