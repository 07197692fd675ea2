// The arithmetic of the Highway oscillator's window path (kernels/oscillator_window_hwy-inl.h),
// for one target: what a vector of frames makes of the sample points in its windows, per
// interpolation, giving the lane path's tap sums (kernels/oscillator_hwy-inl.h) bit for bit.
// For 256-bit vectors (one lane's 8 frames) and 512-bit ones (two lanes' 8 frames each); the
// windows of 8 words sit in the 128-bit blocks, where byte shuffles work. With AVX-512, cubic
// pairs read windows of 16 points converted to floats instead (FloatWindowCubicSum), and the
// wide window path windows of 32 points.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_WINDOW_SUMS_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_WINDOW_SUMS_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_WINDOW_SUMS_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_WINDOW_SUMS_HWY_INL_H_
#endif

#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/voice_block.h"

// Whether the target being compiled has the window path (every pass of foreach_target.h
// evaluates it anew): AVX2 and up, for the in-block byte shuffles of 256 bits and the true fused
// multiply-add ScaledCubicWeights relies on.
#ifndef TUTTI_HWY_WINDOW_PATH
#define TUTTI_HWY_WINDOW_PATH (HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2 && HWY_TARGET != HWY_SCALAR)
#endif
// Whether it has the wide window path too (steps above kWindowStepLimit, up to
// kWideWindowStepLimit), and float windows for cubic pairs: the window path's targets with
// AVX-512, whose permutations across two registers (vpermt2w, AVX-512BW; vpermt2ps) read taps
// from windows of 32 points, or of 16 floats.
#ifndef TUTTI_HWY_WIDE_WINDOW_PATH
#define TUTTI_HWY_WIDE_WINDOW_PATH (TUTTI_HWY_WINDOW_PATH && HWY_TARGET <= HWY_AVX3)
#endif

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH
inline constexpr int kWindowTapBits = 16;

// The byte-shuffle control for word w (0..7) of a window is w * kWordControl + kFirstWord:
// bytes 0 and 1 zero, bytes 2 and 3 the word's bytes 2w and 2w + 1. Lanes keep their index
// times kWordControl (modulo 2^32), so a frame's control is one subtraction away.
inline constexpr std::int32_t kWordControl = 0x02020000;
inline constexpr std::int32_t kFirstWord = 0x01008080;
// Linear reads words w + 1 and w + 2 of the window (the frame's index and the point after it)
// as one pair: bytes 2w + 2 .. 2w + 5, from w * kWordControl spread to all four bytes.
inline constexpr std::int32_t kFirstPair = 0x05040302;

// CubicWeightsFor times `scale` (a power of two), bit for bit. In integers, with y = 256 - k
// and c = 3k - 1280, the weights are before = -k y^2, after2 = -k^2 y, at = 2^25 + k^2 c and
// after = 256 k y - k^2 c (Catmull-Rom's at(1 - t), expanded); every product below is an
// integer below 2^24 times `scale`, so exact, and the one rounding left in `at` and `after`
// (their fused multiply-adds) commutes with the power of two, as the values stay normal: each
// weight is the table's. (Zeros keep the table's signs: before and after2 are -0 at k = 0.)
// Folding the scale here takes one multiplication off the tap sum's chain; `at` and `after`
// need a true fused multiply-add (one rounding), which every target of this path has.
template <class D>
HWY_INLINE Weights<hn::Vec<D>> ScaledCubicWeights(D df, hn::Vec<hn::RebindToUnsigned<D>> fraction,
                                                  hn::Vec<D> scale) {
  using V = hn::Vec<D>;
  const V k = hn::ConvertTo(df, hn::BitCast(hn::RebindToSigned<D>(), hn::ShiftRight<24>(fraction)));
  const V minus_zero = hn::Set(df, -0.0f);
  const V k_scaled = hn::Mul(k, scale);
  const V y = hn::Sub(hn::Set(df, 256.0f), k);
  const V ky = hn::Mul(k_scaled, y);
  const V kk = hn::Mul(k_scaled, k);
  const V c = hn::MulSub(hn::Set(df, 3.0f), k, hn::Set(df, 1280.0f));
  const V before = hn::NegMulAdd(ky, y, minus_zero);
  const V after2 = hn::NegMulAdd(ky, k, minus_zero);
  const V at = hn::MulAdd(kk, c, hn::Mul(hn::Set(df, 33554432.0f), scale));
  const V after = hn::NegMulAdd(kk, c, hn::Mul(ky, hn::Set(df, 256.0f)));
  return Weights<V>{before, at, after, after2};
}

// Byte shuffles within 128-bit blocks, and products of 16-bit pairs summed into 32 bits, for
// the vector widths of the window path.
HWY_INLINE __m256i ShuffleBytes(__m256i bytes, __m256i control) { return _mm256_shuffle_epi8(bytes, control); }
HWY_INLINE __m256i MultiplyAddPairs(__m256i a, __m256i b) { return _mm256_madd_epi16(a, b); }
#if HWY_TARGET <= HWY_AVX3
HWY_INLINE __m512i ShuffleBytes(__m512i bytes, __m512i control) { return _mm512_shuffle_epi8(bytes, control); }
HWY_INLINE __m512i MultiplyAddPairs(__m512i a, __m512i b) { return _mm512_madd_epi16(a, b); }
#endif

// The tap sums of a vector of frames, scaled as the lane path scales them, from `windows` (each
// 128-bit block one window of 8 words, from the tap before its first frame on) and each frame's
// `offsets` (its index minus its window's first frame's, times kWordControl) and fraction.
// `tap_scale` is the lane path's scale (a power of two) times 2^-kWindowTapBits.
template <Interpolation kMode, bool kFused, class D, class RawInt>
HWY_INLINE hn::Vec<D> WindowSum(D df, RawInt windows, RawInt offsets, hn::Vec<hn::RebindToUnsigned<D>> fraction,
                                hn::Vec<D> tap_scale) {
  const hn::RebindToSigned<D> di;
  using IntV = hn::Vec<decltype(di)>;
  if constexpr (kMode == Interpolation::cubic) {
    // Word w of each window in the upper 16 bits of every lane, as a float: the point times
    // 2^16, which the weights' scale takes back exactly.
    auto tap = [&](IntV control) { return hn::ConvertTo(df, IntV{ShuffleBytes(windows, control.raw)}); };
    const IntV next_word = hn::Set(di, kWordControl);
    const IntV before_control = hn::Add(IntV{offsets}, hn::Set(di, kFirstWord));
    const IntV at_control = hn::Add(before_control, next_word);
    const IntV after_control = hn::Add(at_control, next_word);
    const IntV after2_control = hn::Add(after_control, next_word);
    const auto w = ScaledCubicWeights(df, fraction, tap_scale);
    auto sum = hn::Mul(w.before, tap(before_control));
    sum = MulAddOrNot<kFused>(w.at, tap(at_control), sum);
    sum = MulAddOrNot<kFused>(w.after, tap(after_control), sum);
    return MulAddOrNot<kFused>(w.after2, tap(after2_control), sum);
  } else {
    static_assert(kMode == Interpolation::linear);
    // The point and the one after it as a pair of words (the point low), times 256 - k and k
    // as a pair, summed: the lane path's products and sum are integers below 2^24 in
    // magnitude for 16-bit points, so exact (fused or not, and never -0), as is this integer
    // sum and its conversion. The lane path's scale is 1 for 16-bit points and linear weights.
    (void)tap_scale;
    const IntV spread = hn::Or(IntV{offsets}, hn::ShiftRight<16>(IntV{offsets}));
    const IntV pairs{ShuffleBytes(windows, hn::Add(spread, hn::Set(di, kFirstPair)).raw)};
    const IntV k = hn::BitCast(di, hn::ShiftRight<24>(fraction));
    const IntV weights = hn::Add(hn::Sub(hn::ShiftLeft<16>(k), k), hn::Set(di, 256));
    return hn::ConvertTo(df, IntV{MultiplyAddPairs(pairs.raw, weights.raw)});
  }
}
#endif  // TUTTI_HWY_WINDOW_PATH

#if TUTTI_HWY_WIDE_WINDOW_PATH
static_assert(7 * (kWideWindowStepLimit >> 32) + 4 <= 32, "8 frames' taps fit a window of 32 points");
static_assert(kWideWindowStepLimit % (std::uint64_t{1} << 32) == 0, "whole points, for the span above");

// A lane keeps its index times kWideWordControl (modulo 2^32): a frame's offset in its window
// then sits in the upper 16 bits, where the word permutation of the odd (upper) words reads it.
inline constexpr std::int32_t kWideWordControl = 1 << 16;
// The second lane's window is the permutation's second table: its words are 32 on.
inline constexpr std::int32_t kSecondTable = 32 * kWideWordControl;
// The upper word of each 32-bit lane: the permutation fills these and zeroes the others.
inline constexpr __mmask32 kUpperWords = 0xAAAAAAAAu;

// The tap sums of two lanes' 8 frames each (lane a in the low 256 bits, b in the high), from
// their windows of 32 points and each frame's `offsets` (its index minus its lane's first frame's,
// times kWideWordControl, plus kSecondTable for lane b), as WindowSum makes them.
template <Interpolation kMode, bool kFused>
HWY_INLINE __m512 WideWindowSum(__m512i window_a, __m512i window_b, __m512i offsets, __m512i fraction,
                                __m512 tap_scale) {
  using D = hn::ScalableTag<float>;
  const D df;
  const hn::RebindToSigned<D> di;
  using IntV = hn::Vec<decltype(di)>;
  if constexpr (kMode == Interpolation::cubic) {
    // Word w in the upper 16 bits, zeros below: the point times 2^16, as WindowSum's taps.
    auto tap = [&](__m512i control) {
      return hn::ConvertTo(df, IntV{_mm512_maskz_permutex2var_epi16(kUpperWords, window_a, control, window_b)});
    };
    const __m512i next_word = _mm512_set1_epi32(kWideWordControl);
    const __m512i at_control = _mm512_add_epi32(offsets, next_word);
    const __m512i after_control = _mm512_add_epi32(at_control, next_word);
    const __m512i after2_control = _mm512_add_epi32(after_control, next_word);
    const auto w = ScaledCubicWeights(df, hn::Vec<hn::RebindToUnsigned<D>>{fraction}, hn::Vec<D>{tap_scale});
    auto sum = hn::Mul(w.before, tap(offsets));
    sum = MulAddOrNot<kFused>(w.at, tap(at_control), sum);
    sum = MulAddOrNot<kFused>(w.after, tap(after_control), sum);
    return MulAddOrNot<kFused>(w.after2, tap(after2_control), sum).raw;
  } else {
    static_assert(kMode == Interpolation::linear);
    // The frame's point (word offset + 1 of the window) low and the one after it high, times
    // 256 - k and k as a pair, summed: WindowSum's exact integer sum.
    (void)tap_scale;
    const __m512i spread = _mm512_or_si512(offsets, _mm512_srli_epi32(offsets, 16));
    const __m512i control = _mm512_add_epi32(spread, _mm512_set1_epi32(2 * kWideWordControl + 1));
    const __m512i pairs = _mm512_permutex2var_epi16(window_a, control, window_b);
    const __m512i k = _mm512_srli_epi32(fraction, 24);
    const __m512i weights = _mm512_add_epi32(_mm512_sub_epi32(_mm512_slli_epi32(k, 16), k), _mm512_set1_epi32(256));
    return _mm512_cvtepi32_ps(_mm512_madd_epi16(pairs, weights));
  }
}

// The cubic tap sums of two lanes' 8 frames each (lane a in the low 256 bits, b in the high), from
// their windows of 16 points as floats (a from the tap before its first frame in `window_a`, b in
// `window_b`) and each frame's `offsets` (its index minus its lane's first frame's, plus 16 for
// lane b: the float permutation's second table). One permutation per tap, where WindowSum takes a
// byte shuffle and a conversion. The taps are the points themselves rather than 2^16 times them,
// so `scale` is the lane path's own; the weights scale by a power of two, so every product and
// sum is WindowSum's times 2^16, and its result the same, bit for bit.
template <bool kFused>
HWY_INLINE __m512 FloatWindowCubicSum(__m512 window_a, __m512 window_b, __m512i offsets, __m512i fraction,
                                      __m512 scale) {
  using D = hn::ScalableTag<float>;
  const D df;
  using V = hn::Vec<D>;
  auto tap = [&](__m512i at) { return V{_mm512_permutex2var_ps(window_a, at, window_b)}; };
  const __m512i next_point = _mm512_set1_epi32(1);
  const __m512i at = _mm512_add_epi32(offsets, next_point);
  const __m512i after = _mm512_add_epi32(at, next_point);
  const __m512i after2 = _mm512_add_epi32(after, next_point);
  const auto w = ScaledCubicWeights(df, hn::Vec<hn::RebindToUnsigned<D>>{fraction}, V{scale});
  auto sum = hn::Mul(w.before, tap(offsets));
  sum = MulAddOrNot<kFused>(w.at, tap(at), sum);
  sum = MulAddOrNot<kFused>(w.after, tap(after), sum);
  return MulAddOrNot<kFused>(w.after2, tap(after2), sum).raw;
}

// 16 points from `first` as floats, exactly.
HWY_INLINE __m512 LoadFloatWindow(const std::int16_t* first) {
  return _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(first))));
}
#endif  // TUTTI_HWY_WIDE_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
