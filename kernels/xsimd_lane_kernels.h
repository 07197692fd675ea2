#pragma once
// The xsimd backend's kernels, as templates over an xsimd architecture. Each instruction set
// instantiates them in its own translation unit compiled for that set (xsimd_sse4_2.cc,
// xsimd_avx2.cc, xsimd_avx512.cc); nothing else includes this header, so no other code is
// compiled with raised -m flags.
//
// Every lane follows its scalar twin's operations in the same order (oscillator_scalar.cc,
// biquad_scalar.cc, stereo_mix_scalar.cc, pcm_conversion_scalar.cc), with interpolation weights
// equal to the twin's table (see cubic_weights). With kFused == false each lane therefore
// computes the twin's bits; kFused lets the tap sums, the biquad and the gain ramps use fused
// multiply-add where the architecture has it.
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <xsimd/xsimd.hpp>

// Every set's intrinsics, for the few operations xsimd 8.1 lacks (byte-offset gathers,
// transposes); GCC and Clang declare them whatever the -m flags.
#include <immintrin.h>

#include "kernels/biquad.h"
#include "kernels/biquad_lane_setup.h"
#include "kernels/oscillator.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/pcm_conversion.h"
#include "kernels/stereo_mix.h"
#include "kernels/xsimd_backend.h"

namespace tutti::kernels::xsimd_detail {

template <class Arch>
using FloatVec = xsimd::batch<float, Arch>;
template <class Arch>
using IntVec = xsimd::batch<std::int32_t, Arch>;

template <bool kFused, class V>
inline V mul_add(const V& a, const V& b, const V& c) {
  if constexpr (kFused) {
    return xsimd::fma(a, b, c);
  } else {
    return a * b + c;  // the project compiles with -ffp-contract=off: two roundings
  }
}

// Lanes of a vector whose mask is set take `if_true`; used on integer lanes.
template <class Arch>
inline IntVec<Arch> pick(const xsimd::batch_bool<std::int32_t, Arch>& mask, const IntVec<Arch>& if_true,
                         const IntVec<Arch>& if_false) {
  return xsimd::select(mask, if_true, if_false);
}

template <class Arch>
inline constexpr bool kHasGather = std::is_same_v<Arch, xsimd::fma3<xsimd::avx2>> || std::is_same_v<Arch, xsimd::avx512f>;

// 32-bit gathers at byte offsets (scale 1 or 2); xsimd 8.1's gather only scales by the element
// size, so these use the instruction directly.
template <class Arch, int kScale>
inline IntVec<Arch> gather32(const void* base, const IntVec<Arch>& offsets) {
  if constexpr (std::is_same_v<Arch, xsimd::avx512f>) {
    return _mm512_i32gather_epi32(offsets, base, kScale);
  } else {
    return _mm256_i32gather_epi32(static_cast<const int*>(base), offsets, kScale);
  }
}

// One 16-bit word per lane, reading only the words [index - 1, index] (or [0, 1]), so that a
// tap at the last readable point never reads past it.
template <class Arch>
inline IntVec<Arch> gather_word(const std::int16_t* words, const IntVec<Arch>& index) {
  using I = IntVec<Arch>;
  const I first = xsimd::max(index - I(1), I(0));
  const I pair = gather32<Arch, 2>(words, first);  // little-endian: word `first` in the low half
  return xsimd::select(index != first, pair >> 16, (pair << 16) >> 16);
}

// One low byte per lane, reading only the bytes [index - 3, index] (or [0, 3]).
template <class Arch>
inline IntVec<Arch> gather_low_byte(const std::uint8_t* low_bytes, const IntVec<Arch>& index) {
  using I = IntVec<Arch>;
  const I first = xsimd::max(index - I(3), I(0));
  const I quad = gather32<Arch, 1>(low_bytes, first);
  const I shift = (index - first) << 3;
  I byte;
  if constexpr (std::is_same_v<Arch, xsimd::avx512f>) {
    byte = _mm512_srlv_epi32(quad, shift);
  } else {
    byte = _mm256_srlv_epi32(quad, shift);
  }
  return byte & I(0xff);
}

// Sample points at per-lane indices, as floats on the twin's 24-bit scale (exact: below 2^24).
// Without a gather instruction (SSE4.2), scalar loads.
template <class Arch>
inline FloatVec<Arch> points(const SampleData& data, const IntVec<Arch>& index) {
  if constexpr (kHasGather<Arch>) {
    const IntVec<Arch> word = gather_word<Arch>(data.words, index) << 8;
    if (data.low_bytes == nullptr) return xsimd::to_float(word);
    return xsimd::to_float(word | gather_low_byte<Arch>(data.low_bytes, index));
  } else {
    constexpr std::size_t kN = FloatVec<Arch>::size;
    alignas(64) std::int32_t at[kN];
    alignas(64) float value[kN];
    index.store_aligned(at);
    if (data.low_bytes != nullptr) {
      for (std::size_t i = 0; i < kN; ++i) {
        value[i] = static_cast<float>(std::int32_t{data.words[at[i]]} * 256 + data.low_bytes[at[i]]);
      }
    } else {
      for (std::size_t i = 0; i < kN; ++i) value[i] = static_cast<float>(std::int32_t{data.words[at[i]]} * 256);
    }
    return FloatVec<Arch>::load_aligned(value);
  }
}

// The four cubic taps when they are the plain neighbours index-1 .. index+2: two pair gathers
// (and one for the low bytes) instead of four single ones.
template <class Arch>
struct Taps {
  FloatVec<Arch> before, at, after, after2;
};

template <class Arch>
inline Taps<Arch> plain_cubic_taps(const SampleData& data, const IntVec<Arch>& index) {
  using I = IntVec<Arch>;
  const I low_pair = gather32<Arch, 2>(data.words, index - I(1));
  const I high_pair = gather32<Arch, 2>(data.words, index + I(1));
  // Words on the 24-bit scale: the low half shifted up by 8, the high half down by 8.
  I before = (low_pair << 16) >> 8;
  I at = (low_pair >> 16) << 8;
  I after = (high_pair << 16) >> 8;
  I after2 = (high_pair >> 16) << 8;
  if (data.low_bytes != nullptr) {
    const I quad = gather32<Arch, 1>(data.low_bytes, index - I(1));
    const I byte(0xff);
    before = before | (quad & byte);
    at = at | ((quad >> 8) & byte);
    after = after | ((quad >> 16) & byte);
    after2 = after2 | ((quad >> 24) & byte);
  }
  return {xsimd::to_float(before), xsimd::to_float(at), xsimd::to_float(after), xsimd::to_float(after2)};
}

// A tap after the current point: past the loop end it comes from the loop start, past the
// sample end it repeats the end (wrap_at is INT32_MAX for lanes that do not loop).
template <class Arch>
inline IntVec<Arch> following_tap(const IntVec<Arch>& j, const IntVec<Arch>& wrap_at,
                                  const IntVec<Arch>& loop_length, const IntVec<Arch>& end) {
  const IntVec<Arch> wrapped = j - (loop_length & pick(j >= wrap_at, IntVec<Arch>(-1), IntVec<Arch>(0)));
  return xsimd::min(wrapped, end);
}

// The cubic weights of the table row (the top 8 bits of the fraction), scaled by 2^25 so that
// they are integers, each computed with a single rounding (the last operation) as the table's
// are: they equal the table's weights times 2^25 exactly, and scaling by a power of two commutes
// with rounding, so the tap sum scaled back by 2^-25 is the twin's (the portable tests check it).
template <class Arch>
struct CubicWeights {
  FloatVec<Arch> before, at, after, after2;
};

template <class Arch>
inline CubicWeights<Arch> cubic_weights(const IntVec<Arch>& row) {
  using F = FloatVec<Arch>;
  using I = IntVec<Arch>;
  const F k = xsimd::to_float(row);
  // k^2 (k - 256) and k (k (512 - k) - 65536): below 2^24 in magnitude, exact.
  const F after2 = k * k * (k - F(256.0f));
  const F before = k * (k * (F(512.0f) - k) - F(65536.0f));
  // k (65536 + k (1024 - 3k)): exact up to the last multiplication, which rounds once.
  const F after = k * (k * (F(1024.0f) - F(3.0f) * k) + F(65536.0f));
  // 2^25 + k^2 (3k - 1280): exact in integers, rounded once by the conversion.
  const I at = row * row * (row * I(3) - I(1280)) + I(1 << 25);
  return {before, xsimd::to_float(at), after, after2};
}

// The taps by the twin's rules at the sample start, the loop seam and the sample end: at the
// first point of the sample (or of the loop once entered) the tap before is the start point
// (or the last loop point) and the taps after are read as they are; elsewhere taps after the
// loop end come from the loop start and taps after the sample end repeat the end.
template <class Arch>
inline Taps<Arch> special_cubic_taps(const SampleData& data, const IntVec<Arch>& index, const IntVec<Arch>& start_index,
                                     const IntVec<Arch>& before_start, const IntVec<Arch>& wrap_at,
                                     const IntVec<Arch>& loop_length, const IntVec<Arch>& end) {
  using I = IntVec<Arch>;
  const auto at_start = index == start_index;
  const I j1 = index + I(1);
  const I j2 = index + I(2);
  return {points<Arch>(data, xsimd::min(pick(at_start, before_start, index - I(1)), end)),
          points<Arch>(data, xsimd::min(index, end)),
          points<Arch>(data, pick(at_start, j1, following_tap<Arch>(j1, wrap_at, loop_length, end))),
          points<Arch>(data, pick(at_start, j2, following_tap<Arch>(j2, wrap_at, loop_length, end)))};
}

// One vector of lanes through one block; the same walk as the Highway lane oscillator, whose
// comments explain the 32.32 phase split.
template <class Arch, Interpolation kMode, bool kFused>
void render_oscillator_vector(const SampleData& data, const OscillatorLaneSetup& s,
                              std::size_t first, float* frame_major) {
  using F = FloatVec<Arch>;
  using I = IntVec<Arch>;
  auto load = [&](const std::int32_t* field) { return I::load_unaligned(field + first); };

  I index = load(s.index);
  I fraction = I::load_unaligned(reinterpret_cast<const std::int32_t*>(s.fraction) + first);
  const I step_index = load(s.step_index_plus_one) - I(1);
  const I step_fraction = I::load_unaligned(reinterpret_cast<const std::int32_t*>(s.step_fraction) + first);
  const I wrap_at = load(s.wrap_at);
  const I loop_length = load(s.loop_length);
  const I loop_start = load(s.loop_start);
  const I loop_end_minus_one = load(s.loop_end_minus_one);
  const I end = load(s.end);
  // Below this index (and after the first point) the four cubic taps are plain neighbours.
  const I plain_below = load(s.plain_below);
  const auto looped = load(s.looped) != I(0);
  // The first point of the sample (or of the loop once entered) and the tap before it there.
  I start_index = pick(looped, loop_start, load(s.start));
  I before_start = pick(looped, loop_end_minus_one, load(s.start));
  const F gain = F::load_unaligned(s.gain + first);
  const F gain_step = F::load_unaligned(s.gain_step + first);
  // Unsigned comparison of fractions through signed lanes: flip the sign bits.
  const I sign_bit(static_cast<std::int32_t>(0x80000000u));
  const I step_fraction_flipped = step_fraction ^ sign_bit;

  F position(0.0f);
  for (int k = 0; k < kBlockFrames; ++k) {
    F value;
    const I row = (fraction >> 24) & I(0xff);
    if constexpr (kMode == Interpolation::cubic) {
      Taps<Arch> taps;
      if constexpr (kHasGather<Arch>) {
        taps = xsimd::all((index > start_index) && (index < plain_below))
                   ? plain_cubic_taps<Arch>(data, index)
                   : special_cubic_taps<Arch>(data, index, start_index, before_start, wrap_at, loop_length, end);
      } else {
        taps = special_cubic_taps<Arch>(data, index, start_index, before_start, wrap_at, loop_length, end);
      }
      const CubicWeights<Arch> w = cubic_weights<Arch>(row);
      F sum = w.before * taps.before;
      sum = mul_add<kFused>(w.at, taps.at, sum);
      sum = mul_add<kFused>(w.after, taps.after, sum);
      value = mul_add<kFused>(w.after2, taps.after2, sum) * F(0x1p-25f);
    } else if constexpr (kMode == Interpolation::linear) {
      // The table's weights 1 - x and x, scaled by 256: exact.
      const F w_next = xsimd::to_float(row);
      const F w_at = xsimd::to_float(I(256) - row);
      const I next = following_tap<Arch>(index + I(1), wrap_at, loop_length, end);
      value = mul_add<kFused>(w_next, points<Arch>(data, next), w_at * points<Arch>(data, xsimd::min(index, end))) *
              F(0x1p-8f);
    } else {
      value = points<Arch>(data, xsimd::min(index, end));
    }
    const F lane_gain = mul_add<kFused>(gain_step, position, gain);
    (lane_gain * value).store_unaligned(frame_major + k * kLaneCount + first);

    // Next frame: 32.32 addition with the carry out of the fraction, then at most one wrap.
    fraction = fraction + step_fraction;
    const auto carry = (fraction ^ sign_bit) < step_fraction_flipped;
    index = index + step_index + pick(carry, I(1), I(0));
    const auto wraps = index >= wrap_at;
    index = index - (loop_length & pick(wraps, I(-1), I(0)));
    if constexpr (kMode == Interpolation::cubic) {
      start_index = pick(wraps, loop_start, start_index);
      before_start = pick(wraps, loop_end_minus_one, before_start);
    }
    position = position + F(1.0f);
  }
}

template <class Arch, Interpolation kMode, bool kFused>
void render_oscillator_vectors(const SampleData& data, const OscillatorLaneSetup& setup, float* frame_major) {
  constexpr std::size_t kN = FloatVec<Arch>::size;
  static_assert(kLaneCount % kN == 0, "a vector holds a whole number of lanes' groups");
  const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += kN) {
    const std::uint32_t vector_lanes = static_cast<std::uint32_t>(((std::uint64_t{1} << kN) - 1u) << first);
    if ((simulated & vector_lanes) == 0) continue;
    render_oscillator_vector<Arch, kMode, kFused>(data, setup, first, frame_major);
  }
}

template <class Arch, bool kFused>
void render_oscillator_lanes(const SampleData& data, Interpolation mode, const OscillatorLanes& lanes,
                             float* frame_major) {
  OscillatorLaneSetup setup;
  prepare_oscillator_lanes(mode, lanes, setup);
  switch (mode) {
    case Interpolation::none:
      render_oscillator_vectors<Arch, Interpolation::none, kFused>(data, setup, frame_major);
      break;
    case Interpolation::linear:
      render_oscillator_vectors<Arch, Interpolation::linear, kFused>(data, setup, frame_major);
      break;
    case Interpolation::cubic:
      render_oscillator_vectors<Arch, Interpolation::cubic, kFused>(data, setup, frame_major);
      break;
  }
  // Lanes the vectors do not model, and lanes that interpolate linearly in a call of another
  // interpolation (rare: the window renderer's coarse voices take the Highway kernels).
  const std::uint32_t left = setup.scalar_lanes | setup.linear_lanes;
  if (left != 0) render_scalar_lanes(data, mode, lanes, left, frame_major);
}

// out[c * out_stride + r] = tile[r * N + c] for the N x N tile of one vector of lanes: rows of
// frames become rows of lanes. xsimd 8.1 has no transpose (and its AVX zip stays within 128-bit
// halves), so the two sets this machine family runs use the instructions directly.
template <class Arch>
inline void transpose_tile(const float* tile, float* out, std::size_t out_stride) {
  constexpr std::size_t kN = FloatVec<Arch>::size;
  if constexpr (std::is_same_v<Arch, xsimd::sse4_2>) {
    __m128 r0 = _mm_load_ps(tile), r1 = _mm_load_ps(tile + 4), r2 = _mm_load_ps(tile + 8), r3 = _mm_load_ps(tile + 12);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(out, r0);
    _mm_storeu_ps(out + out_stride, r1);
    _mm_storeu_ps(out + 2 * out_stride, r2);
    _mm_storeu_ps(out + 3 * out_stride, r3);
  } else if constexpr (std::is_same_v<Arch, xsimd::fma3<xsimd::avx2>>) {
    __m256 r[8];
    for (int i = 0; i < 8; ++i) r[i] = _mm256_load_ps(tile + 8 * i);
    __m256 t[8];
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    __m256 u[8];
    for (int i = 0; i < 2; ++i) {
      u[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
      u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
      u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
      u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int c = 0; c < 4; ++c) {
      _mm256_storeu_ps(out + c * out_stride, _mm256_permute2f128_ps(u[c], u[4 + c], 0x20));
      _mm256_storeu_ps(out + (c + 4) * out_stride, _mm256_permute2f128_ps(u[c], u[4 + c], 0x31));
    }
  } else {
    for (std::size_t r = 0; r < kN; ++r) {
      for (std::size_t c = 0; c < kN; ++c) out[c * out_stride + r] = tile[r * kN + c];
    }
  }
}

// One vector of lanes through the block (the twin's recurrence in every lane); every N frames
// the N x N tile of outputs is transposed into the lanes' voice-major rows.
template <class Arch, bool kRamp, bool kPassThrough, bool kFused>
void filter_vector(FilterLaneSetup& s, std::size_t first, const float* frame_major, float* voice_major) {
  using F = FloatVec<Arch>;
  using I = IntVec<Arch>;
  constexpr std::size_t kN = F::size;
  F b02 = F::load_unaligned(s.b02 + first);
  F b1 = F::load_unaligned(s.b1 + first);
  F a1 = F::load_unaligned(s.a1 + first);
  F a2 = F::load_unaligned(s.a2 + first);
  const F h1_before = F::load_unaligned(s.history1 + first);
  const F h2_before = F::load_unaligned(s.history2 + first);
  // The twin's denormal guard on the memory.
  F h1 = xsimd::select(xsimd::abs(h1_before) < F(1e-20f), F(0.0f), h1_before);
  F h2 = h2_before;
  const I ramp_frames = I::load_unaligned(s.ramp_frames + first);
  const auto compensate = xsimd::bool_cast(I::load_unaligned(s.compensate + first) != I(0));
  const auto enabled = xsimd::bool_cast(I::load_unaligned(s.enabled + first) != I(0));

  alignas(64) float tile[kN * kN];
  for (std::size_t k0 = 0; k0 < static_cast<std::size_t>(kBlockFrames); k0 += kN) {
    for (std::size_t row = 0; row < kN; ++row) {
      const std::size_t k = k0 + row;
      const F x = F::load_unaligned(frame_major + k * kLaneCount + first);
      F centre;
      F y;
      if constexpr (kFused) {
        centre = xsimd::fnma(a2, h2, xsimd::fnma(a1, h1, x));
        y = xsimd::fma(b1, h1, b02 * (centre + h2));
      } else {
        centre = x - a1 * h1 - a2 * h2;
        y = b02 * (centre + h2) + b1 * h1;
      }
      h2 = h1;
      h1 = centre;
      if constexpr (kRamp) {
        const auto in_ramp = xsimd::bool_cast(I(static_cast<std::int32_t>(k)) < ramp_frames);
        const F previous_b02 = b02;
        a1 = xsimd::select(in_ramp, a1 + F::load_unaligned(s.step_a1 + first), a1);
        a2 = xsimd::select(in_ramp, a2 + F::load_unaligned(s.step_a2 + first), a2);
        b02 = xsimd::select(in_ramp, b02 + F::load_unaligned(s.step_b02 + first), b02);
        b1 = xsimd::select(in_ramp, b1 + F::load_unaligned(s.step_b1 + first), b1);
        // A large cutoff jump rescales the memory to keep the output continuous.
        const auto rescale = in_ramp && compensate && (xsimd::abs(b02) > F(0.001f));
        const F ratio = previous_b02 / b02;
        h1 = xsimd::select(rescale, h1 * ratio, h1);
        h2 = xsimd::select(rescale, h2 * ratio, h2);
      }
      if constexpr (kPassThrough) y = xsimd::select(enabled, y, x);
      y.store_aligned(tile + row * kN);
    }
    transpose_tile<Arch>(tile, voice_major + first * kBlockFrames + k0, kBlockFrames);
  }
  // Only the `keep` lanes' memory moves on.
  alignas(64) std::int32_t keep_lanes[kN];
  for (std::size_t lane = 0; lane < kN; ++lane) keep_lanes[lane] = (s.keep >> (first + lane)) & 1u ? -1 : 0;
  const auto keep = xsimd::bool_cast(I::load_aligned(keep_lanes) != I(0));
  xsimd::select(keep, h1, h1_before).store_unaligned(s.history1 + first);
  xsimd::select(keep, h2, h2_before).store_unaligned(s.history2 + first);
}

template <class Arch, bool kFused>
void apply_biquad_lanes(FilterLaneSetup& setup, const float* frame_major, float* voice_major) {
  constexpr std::size_t kN = FloatVec<Arch>::size;
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += kN) {
    const std::uint32_t vector_lanes = static_cast<std::uint32_t>(((std::uint64_t{1} << kN) - 1u) << first);
    if ((setup.active & vector_lanes) == 0) continue;
    const bool ramp = (setup.ramping & vector_lanes) != 0;
    const bool pass_through = (setup.disabled & vector_lanes) != 0;
    auto run = [&](auto ramp_tag, auto pass_tag) {
      filter_vector<Arch, decltype(ramp_tag)::value, decltype(pass_tag)::value, kFused>(
          setup, first, frame_major, voice_major);
    };
    if (ramp) {
      if (pass_through) run(std::true_type{}, std::true_type{});
      else run(std::true_type{}, std::false_type{});
    } else {
      if (pass_through) run(std::false_type{}, std::true_type{});
      else run(std::false_type{}, std::false_type{});
    }
  }
}

// One voice's ramped gain times its signal, added to a vector of the bus: the twin's
// operations (additions commute exactly), fused when kFused.
template <bool kFused, class F>
inline F add_panned(const F& from, const F& step, const F& position, const F& signal, const F& bus) {
  return mul_add<kFused>(mul_add<kFused>(step, position, from), signal, bus);
}

// One channel of one voice, gain `from` + `step` x frame, over frames [begin, end) of `bus`,
// `begin` a multiple of the vector length: whole vectors along time, then the rest through the
// twin's own expression. pan_mix hands it a voice's last partial vector, pan_mix_lanes a voice
// that ends inside a stretch: all three split a voice's frames at the same places. (The channels
// share no arithmetic: a channel at a time gives the same bits.)
template <class Arch, bool kFused>
void mix_channel_range(float from, float step, const float* mono, int begin, int end, float* bus) {
  using F = FloatVec<Arch>;
  constexpr int kN = static_cast<int>(F::size);
  const F from_v(from), step_v(step);
  int k = begin;
  for (; k + kN <= end; k += kN) {
    const F position = F::load_unaligned(kFramePositions.at + k);
    add_panned<kFused>(from_v, step_v, position, F::load_unaligned(mono + k), F::load_unaligned(bus + k))
        .store_unaligned(bus + k);
  }
  for (; k < end; ++k) bus[k] += (from + step * static_cast<float>(k)) * mono[k];
}

// Both channels in one pass over the signal (one load of it per vector); the same operations
// per frame as mix_channel_range.
template <class Arch, bool kFused>
void pan_mix(const PanBlock& pan, const float* mono, int frames, float* left, float* right) {
  using F = FloatVec<Arch>;
  constexpr int kN = static_cast<int>(F::size);
  // The ramp always spans a full block, even when a voice ends early in it.
  const float left_step = (pan.left_to - pan.left_from) / kBlockFrames;
  const float right_step = (pan.right_to - pan.right_from) / kBlockFrames;
  const F left_from_v(pan.left_from), right_from_v(pan.right_from);
  const F left_step_v(left_step), right_step_v(right_step);
  const int whole = frames / kN * kN;
  for (int k = 0; k < whole; k += kN) {
    const F position = F::load_unaligned(kFramePositions.at + k);
    const F signal = F::load_unaligned(mono + k);
    add_panned<kFused>(left_from_v, left_step_v, position, signal, F::load_unaligned(left + k))
        .store_unaligned(left + k);
    add_panned<kFused>(right_from_v, right_step_v, position, signal, F::load_unaligned(right + k))
        .store_unaligned(right + k);
  }
  if (whole == frames) return;
  mix_channel_range<Arch, kFused>(pan.left_from, left_step, mono, whole, frames, left);
  mix_channel_range<Arch, kFused>(pan.right_from, right_step, mono, whole, frames, right);
}

// One channel of `count` voices, four vectors of frames at a time: that stretch of the bus stays
// in registers while every voice adds to it in order, instead of a load and a store per voice.
template <class Arch, bool kFused>
void mix_channel_lanes(const float* from, const float* step, const float* const* rows, const int* frames, int count,
                       float* bus) {
  using F = FloatVec<Arch>;
  constexpr int kN = static_cast<int>(F::size);
  constexpr int kStretch = 4 * kN;
  static_assert(kBlockFrames % kStretch == 0, "stretches tile the block");
  for (int begin = 0; begin < kBlockFrames; begin += kStretch) {
    const float* position = kFramePositions.at + begin;
    float* out = bus + begin;
    F sum0 = F::load_unaligned(out), sum1 = F::load_unaligned(out + kN);
    F sum2 = F::load_unaligned(out + 2 * kN), sum3 = F::load_unaligned(out + 3 * kN);
    for (int v = 0; v < count; ++v) {
      if (frames[v] >= begin + kStretch) {
        const F from_v(from[v]), step_v(step[v]);
        const float* mono = rows[v] + begin;
        sum0 = add_panned<kFused>(from_v, step_v, F::load_unaligned(position), F::load_unaligned(mono), sum0);
        sum1 = add_panned<kFused>(from_v, step_v, F::load_unaligned(position + kN), F::load_unaligned(mono + kN), sum1);
        sum2 = add_panned<kFused>(from_v, step_v, F::load_unaligned(position + 2 * kN),
                                  F::load_unaligned(mono + 2 * kN), sum2);
        sum3 = add_panned<kFused>(from_v, step_v, F::load_unaligned(position + 3 * kN),
                                  F::load_unaligned(mono + 3 * kN), sum3);
      } else if (frames[v] > begin) {
        // A voice ending in this stretch (its last block): through memory, as pan_mix splits it.
        sum0.store_unaligned(out);
        sum1.store_unaligned(out + kN);
        sum2.store_unaligned(out + 2 * kN);
        sum3.store_unaligned(out + 3 * kN);
        mix_channel_range<Arch, kFused>(from[v], step[v], rows[v], begin, frames[v], bus);
        sum0 = F::load_unaligned(out);
        sum1 = F::load_unaligned(out + kN);
        sum2 = F::load_unaligned(out + 2 * kN);
        sum3 = F::load_unaligned(out + 3 * kN);
      }
    }
    sum0.store_unaligned(out);
    sum1.store_unaligned(out + kN);
    sum2.store_unaligned(out + 2 * kN);
    sum3.store_unaligned(out + 3 * kN);
  }
}

template <class Arch, bool kFused>
void pan_mix_lanes(const PanBlock* const* pans, const float* const* rows, const int* frames, int count, float* left,
                   float* right) {
  // Each voice's gains once, a group's worth of voices per pass.
  detail::PanRamps ramps;
  for (int first = 0; first < count; first += detail::kPanVoicesPerPass) {
    const int voices = count - first < detail::kPanVoicesPerPass ? count - first : detail::kPanVoicesPerPass;
    detail::prepare_pan_ramps(pans + first, voices, ramps);
    mix_channel_lanes<Arch, kFused>(ramps.left_from, ramps.left_step, rows + first, frames + first, voices, left);
    mix_channel_lanes<Arch, kFused>(ramps.right_from, ramps.right_step, rows + first, frames + first, voices, right);
  }
}

template <class Arch>
void accumulate(const float* source, int count, float* destination) {
  using F = FloatVec<Arch>;
  constexpr int kN = static_cast<int>(F::size);
  int k = 0;
  for (; k + kN <= count; k += kN) {
    (F::load_unaligned(destination + k) + F::load_unaligned(source + k)).store_unaligned(destination + k);
  }
  for (; k < count; ++k) destination[k] += source[k];
}

// Rounded (to nearest, ties to even, as the twin's nearbyint in the default rounding mode),
// NaN-free and clamped values; clipped lanes are counted in `clipped`.
template <class Arch, class Int>
std::size_t to_pcm(const float* source, std::size_t count, Int* out, float scale, float lowest, float highest,
                   std::size_t (*twin)(const float*, std::size_t, Int*)) {
  using F = FloatVec<Arch>;
  using I = IntVec<Arch>;
  constexpr std::size_t kN = F::size;
  const F low(lowest), high(highest);
  I clipped_lanes(0);
  std::size_t i = 0;
  alignas(64) std::int32_t converted[kN];
  for (; i + kN <= count; i += kN) {
    F value = xsimd::nearbyint(F::load_unaligned(source + i) * F(scale));
    const auto clipped = (value > high) || (value < low);
    clipped_lanes = clipped_lanes + pick(xsimd::bool_cast(clipped), I(1), I(0));
    // NaN becomes 0. Tested as "not equal to itself" with ==: AVX's != is an ordered compare,
    // false for NaN.
    value = xsimd::select(value == value, value, F(0.0f));
    const I integer = xsimd::to_int(xsimd::min(xsimd::max(value, low), high));
    if constexpr (sizeof(Int) == sizeof(std::int32_t)) {
      integer.store_unaligned(reinterpret_cast<std::int32_t*>(out + i));
    } else {
      integer.store_aligned(converted);
      for (std::size_t j = 0; j < kN; ++j) out[i + j] = static_cast<Int>(converted[j]);
    }
  }
  const auto vector_clips = static_cast<std::size_t>(xsimd::hadd(clipped_lanes));
  return vector_clips + twin(source + i, count - i, out + i);
}

// The kernel table of one architecture, both arithmetic modes.
template <class Arch>
detail::XsimdKernels make_kernels() {
  detail::XsimdKernels table;
  table.arch = Arch::name();
  table.oscillator_fused = &render_oscillator_lanes<Arch, true>;
  table.oscillator_portable = &render_oscillator_lanes<Arch, false>;
  table.biquad_fused = &apply_biquad_lanes<Arch, true>;
  table.biquad_portable = &apply_biquad_lanes<Arch, false>;
  table.pan_mix_fused = &pan_mix<Arch, true>;
  table.pan_mix_portable = &pan_mix<Arch, false>;
  table.pan_mix_lanes_fused = &pan_mix_lanes<Arch, true>;
  table.pan_mix_lanes_portable = &pan_mix_lanes<Arch, false>;
  table.accumulate = &accumulate<Arch>;
  table.to_pcm16 = [](const float* source, std::size_t count, std::int16_t* out) {
    return to_pcm<Arch>(source, count, out, 32768.0f, -32768.0f, 32767.0f, &scalar::to_pcm16);
  };
  table.to_pcm24 = [](const float* source, std::size_t count, std::int32_t* out) {
    return to_pcm<Arch>(source, count, out, 8388608.0f, -8388608.0f, 8388607.0f, &scalar::to_pcm24);
  };
  return table;
}

}  // namespace tutti::kernels::xsimd_detail
