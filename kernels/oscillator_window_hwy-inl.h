// The window path of the Highway oscillator (kernels/oscillator_hwy-inl.h), for one target:
// along time instead of across lanes. Inside the plain run (and, for a loop long enough,
// through its seams: WindowPhase) each half of a lane's next 8 frames (4 frames) reads its taps
// from 8 consecutive points at steps up to kWindowStepLimit, so two 16-byte loads and in-register
// byte shuffles replace 8 scattered loads per 8 values. The values are those of the lane path
// bit for bit: the same weights, tap sums and gain ramp, per frame, in the same order; the taps
// come out scaled by 2^16, which the weights' scale takes back exactly. AVX2 and up (in-lane
// byte shuffles of 256 bits, and the fused multiply-add ScaledCubicWeights relies on); AVX-512
// renders two lanes in one 512-bit vector (WindowPair).

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_WINDOW_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_WINDOW_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_WINDOW_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_WINDOW_HWY_INL_H_
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/transpose_hwy-inl.h"

// Whether the target being compiled has the window path (every pass of foreach_target.h
// evaluates it anew).
#ifndef TUTTI_HWY_WINDOW_PATH
#define TUTTI_HWY_WINDOW_PATH (HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2 && HWY_TARGET != HWY_SCALAR)
#endif

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH
inline constexpr int kWindowTapBits = 16;
// Frames of a lane per step of the window path.
inline constexpr int kWindowFrames = 8;

// The points of two windows, 8 words each, in the two 128-bit halves.
HWY_INLINE __m256i LoadWindows(const std::int16_t* low_half, const std::int16_t* high_half) {
  const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(low_half));
  const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(high_half));
  return _mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1);
}

// The byte-shuffle control for word w (0..7) of a window is w * kWordControl + kFirstWord:
// bytes 0 and 1 zero, bytes 2 and 3 the word's bytes 2w and 2w + 1. Lanes keep their index
// times kWordControl (modulo 2^32), so a frame's control is one subtraction away.
inline constexpr std::int32_t kWordControl = 0x02020000;
inline constexpr std::int32_t kFirstWord = 0x01008080;

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

// The frame numbers of a block as floats, for the gain ramp (an operand in memory rather than a
// register counted up: one vector addition fewer per step), once and, for WindowPair, twice
// over in each row of 16.
struct FramePositions {
  alignas(64) float once[kBlockFrames];
  alignas(64) float twice[kBlockFrames / kWindowFrames][2 * kWindowFrames];
  constexpr FramePositions() : once(), twice() {
    for (int k = 0; k < kBlockFrames; ++k) {
      once[k] = static_cast<float>(k);
      twice[k / kWindowFrames][k % kWindowFrames] = static_cast<float>(k);
      twice[k / kWindowFrames][k % kWindowFrames + kWindowFrames] = static_cast<float>(k);
    }
  }
};
inline constexpr FramePositions kFramePositions;

// Words of a lane's seam copy: the points [loop_end - 8, loop_end) and the loop's first 16.
inline constexpr int kSeamWords = 24;

// Copies the points a lane's window reads around its loop seam (see WindowPhase).
HWY_INLINE void FillSeam(const std::int16_t* words, const OscillatorLaneSetup& s, std::size_t lane,
                         std::int16_t* seam) {
  const std::int32_t loop_end = s.wrap_at[lane];
  const std::int32_t loop_start = loop_end - s.loop_length[lane];
  std::copy_n(words + loop_end - 8, 8, seam);
  std::copy_n(words + loop_start, kSeamWords - 8, seam + 8);
}

// The scalar side of one lane on the window path: its 32.32 phase, stepped 8 frames at a time,
// and the windows its next 8 frames read.
//
// Through a loop seam (kSeam): the phase runs on past the loop end, and every frame's taps are
// the plain neighbours of its index in the loop played out past its end (which is what the
// lane path's wrapped taps read, see window_carries_wraps in oscillator_lane_setup.cc). A
// window that reaches the loop end is read from the lane's seam copy instead of the sample;
// once a group of 8 frames starts with a window past the loop end, the phase goes back by the
// loop length, which leaves the offsets of the frames within a window unchanged, so the tap
// controls (only ever used as differences within a window) carry on untouched. The values are
// thus the lane path's bit for bit, wraps included.
class WindowPhase {
 public:
  HWY_INLINE WindowPhase(const OscillatorLaneSetup& s, std::size_t l, const std::int16_t* seam)
      : step_(phase_from_index(static_cast<std::uint32_t>(s.step_index_plus_one[l] - 1)) | s.step_fraction[l]),
        phase_(phase_from_index(static_cast<std::uint32_t>(s.index[l])) | s.fraction[l]),
        loop_shift_(phase_from_index(static_cast<std::uint32_t>(s.loop_length[l]))),
        loop_end_(static_cast<std::uint32_t>(s.wrap_at[l])),
        seam_(seam) {}

  // The phases of the next 8 frames, each as its index times kWordControl and its fraction.
  // (Built from the scalar phase: vectors built from lanes written just before would wait for
  // the stores.)
  HWY_INLINE void Frames(__m256i& index_control, __m256i& fraction) const {
    // Phases of frames 0-3 and 4-7 as 64-bit lanes: k * step = (k & 1) step + (k & 2) step.
    const __m256i step1 = _mm256_set1_epi64x(static_cast<long long>(step_));
    const __m256i odd = _mm256_and_si256(step1, _mm256_set_epi64x(-1, 0, -1, 0));
    const __m256i twice = _mm256_and_si256(_mm256_slli_epi64(step1, 1), _mm256_set_epi64x(-1, -1, 0, 0));
    const __m256i first4 = _mm256_add_epi64(_mm256_set1_epi64x(static_cast<long long>(phase_)),
                                            _mm256_add_epi64(odd, twice));
    const __m256i next4 = _mm256_add_epi64(first4, _mm256_slli_epi64(step1, 2));
    // Low and high halves of the 8 phases; the shuffle yields frames 0 1 4 5 2 3 6 7.
    const __m256 a = _mm256_castsi256_ps(first4);
    const __m256 b = _mm256_castsi256_ps(next4);
    constexpr int kFrameOrder = 0xD8;  // 64-bit pieces 0 2 1 3
    const __m256i index = _mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(a, b, 0xDD)), kFrameOrder);
    index_control = _mm256_mullo_epi32(index, _mm256_set1_epi32(kWordControl));
    fraction = _mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(a, b, 0x88)), kFrameOrder);
  }

  HWY_INLINE Phase phase() const { return phase_; }
  HWY_INLINE Phase step() const { return step_; }

  // 8 steps, as a fraction and as the index's part times kWordControl: the same 32.32 sums as
  // one step at a time.
  HWY_INLINE std::uint32_t Step8Fraction() const { return static_cast<std::uint32_t>(kWindowFrames * step_); }
  HWY_INLINE std::int32_t Step8Control() const {
    return static_cast<std::int32_t>(phase_index(kWindowFrames * step_) * static_cast<std::uint32_t>(kWordControl));
  }

  // The windows of the next 8 frames, in the two 128-bit halves: each half's window starts at
  // the tap before its first frame (frame 0 or 4); frames lie at most 4 points past it, so
  // their 4 taps are among its 8 words. Then on by 8 frames.
  template <bool kSeam>
  HWY_INLINE __m256i NextWindows(const std::int16_t* HWY_RESTRICT words) {
    const std::int16_t* first;
    const std::int16_t* middle;
    if constexpr (kSeam) {
      // Back by the loop length once the group's first window (from index - 1) lies past the
      // loop end: the tap before the loop start then is its last point, as in the loop played
      // on. A group starts at most 11 points past the loop end, and the loop is longer.
      if (phase_index(phase_) > loop_end_) {
        phase_ -= loop_shift_;
        wrapped_ = true;
      }
      first = SeamWindow(words, phase_index(phase_));
      middle = SeamWindow(words, phase_index(phase_ + 4 * step_));
    } else {
      first = words + phase_index(phase_) - 1;
      middle = words + phase_index(phase_ + 4 * step_) - 1;
    }
    phase_ += kWindowFrames * step_;
    return LoadWindows(first, middle);
  }

  // Where the lane path continues after the frames rendered: the phase (wrapped into the loop
  // when it passed the loop end, as the lane path's own steps wrap) and whether the loop was
  // entered on the way. Without kSeam the loop end lies ahead (or at most one step behind,
  // which the lane path's first wrap takes back).
  template <bool kSeam>
  HWY_INLINE void Continue(std::int32_t& index, std::uint32_t& fraction, std::int32_t& looped, std::int32_t was_looped) {
    if constexpr (kSeam) {
      if (phase_index(phase_) >= loop_end_) {
        phase_ -= loop_shift_;
        wrapped_ = true;
      }
    }
    index = static_cast<std::int32_t>(phase_index(phase_));
    fraction = static_cast<std::uint32_t>(phase_);
    looped = wrapped_ ? -1 : was_looped;
  }

 private:
  // The window of points from index - 1: in the sample while it ends before the loop end,
  // otherwise in the seam copy. There index lies at least 6 points before the loop end and at
  // most 6 past it (a group's first index at most at the loop end, its middle 4 steps on), so
  // the 8 words lie inside the copy's 24.
  HWY_INLINE const std::int16_t* SeamWindow(const std::int16_t* words, std::uint32_t index) const {
    return index + 6 < loop_end_ ? words + index - 1 : seam_ + (index + 7 - loop_end_);
  }

  Phase step_, phase_, loop_shift_;
  std::uint32_t loop_end_;
  bool wrapped_ = false;
  const std::int16_t* seam_;
};

// `a` plus `b` in the lanes of `mask`: one masked addition where the target has them.
HWY_INLINE __m256i AddWhere(hn::Mask<UintTag> mask, __m256i a, __m256i b) {
#if HWY_TARGET <= HWY_AVX3
  return _mm256_mask_add_epi32(a, mask.raw, a, b);
#else
  return _mm256_add_epi32(a, _mm256_and_si256(hn::VecFromMask(UintTag(), mask).raw, b));
#endif
}

// One lane on the window path, 8 frames at a time in one 256-bit vector.
template <bool kFused>
class WindowLane {
 public:
  HWY_INLINE WindowLane(const OscillatorLaneSetup& s, std::size_t l, const std::int16_t* seam = nullptr)
      : phase_(s, l, seam),
        gain_(hn::Set(FloatTag(), s.gain[l])),
        gain_step_(hn::Set(FloatTag(), s.gain_step[l])),
        step8_fraction_(hn::Set(UintTag(), phase_.Step8Fraction())),
        step8_control_(_mm256_set1_epi32(phase_.Step8Control())) {
    __m256i fraction;
    phase_.Frames(index_control_, fraction);
    fraction_ = hn::Vec<UintTag>{fraction};
  }

  // The next 8 frames, from frame `k` of the block on, scaled by 2^-kWindowTapBits `scale`.
  template <bool kSeam>
  HWY_INLINE FloatVec Next(const std::int16_t* HWY_RESTRICT words, int k, FloatVec scale) {
    const FloatTag df;
    const __m256i windows = phase_.template NextWindows<kSeam>(words);
    const __m256i next_word = _mm256_set1_epi32(kWordControl);
    const __m256i before_control = _mm256_add_epi32(
        _mm256_sub_epi32(index_control_, _mm256_shuffle_epi32(index_control_, 0)), _mm256_set1_epi32(kFirstWord));
    const __m256i at_control = _mm256_add_epi32(before_control, next_word);
    const __m256i after_control = _mm256_add_epi32(at_control, next_word);
    const __m256i after2_control = _mm256_add_epi32(after_control, next_word);
    const CubicWeights w = ScaledCubicWeights(df, fraction_, scale);
    FloatVec sum = hn::Mul(w.before, Tap(windows, before_control));
    sum = MulAddOrNot<kFused>(w.at, Tap(windows, at_control), sum);
    sum = MulAddOrNot<kFused>(w.after, Tap(windows, after_control), sum);
    sum = MulAddOrNot<kFused>(w.after2, Tap(windows, after2_control), sum);
    const FloatVec position = hn::Load(df, kFramePositions.once + k);
    const FloatVec value = hn::Mul(MulAddOrNot<kFused>(gain_step_, position, gain_), sum);
    // 32.32 addition with the carry out of the fraction.
    const auto next_fraction = hn::Add(fraction_, step8_fraction_);
    const __m256i stepped = _mm256_add_epi32(index_control_, step8_control_);
    index_control_ = AddWhere(hn::Lt(next_fraction, fraction_), stepped, next_word);
    fraction_ = next_fraction;
    return value;
  }

  template <bool kSeam>
  HWY_INLINE void Continue(std::int32_t& index, std::uint32_t& fraction, std::int32_t& looped, std::int32_t was_looped) {
    phase_.template Continue<kSeam>(index, fraction, looped, was_looped);
  }

 private:
  // Word w of its half's window (selected by the byte-shuffle control for w) in the upper 16
  // bits of every lane, as a float: the point times 2^16.
  static HWY_INLINE FloatVec Tap(__m256i windows, __m256i control) {
    return FloatVec{_mm256_cvtepi32_ps(_mm256_shuffle_epi8(windows, control))};
  }

  WindowPhase phase_;
  FloatVec gain_, gain_step_;
  __m256i index_control_;  // index * kWordControl
  hn::Vec<UintTag> fraction_;
  hn::Vec<UintTag> step8_fraction_;
  __m256i step8_control_;
};

#if HWY_TARGET <= HWY_AVX3
// Two lanes on the window path in one 512-bit vector, 8 frames of each at a time: lane a in the
// low half, lane b in the high half, every step of WindowLane's done for both at once (each
// window still in its own 128-bit block, where the byte shuffles work). Half the instructions
// of two WindowLanes.
template <bool kFused>
class WindowPair {
 public:
  using WideTag = hn::ScalableTag<float>;
  using WideUintTag = hn::RebindToUnsigned<WideTag>;
  static_assert(hn::MaxLanes(WideTag()) == 2 * kWindowFrames, "a 512-bit vector");

  HWY_INLINE WindowPair(const OscillatorLaneSetup& s, std::size_t a, std::size_t b, const std::int16_t* seam_a,
                        const std::int16_t* seam_b)
      : a_(s, a, seam_a),
        b_(s, b, seam_b),
        gain_(Halves(_mm256_set1_ps(s.gain[a]), _mm256_set1_ps(s.gain[b]))),
        gain_step_(Halves(_mm256_set1_ps(s.gain_step[a]), _mm256_set1_ps(s.gain_step[b]))),
        step8_fraction_(Halves(_mm256_set1_epi32(static_cast<std::int32_t>(a_.Step8Fraction())),
                               _mm256_set1_epi32(static_cast<std::int32_t>(b_.Step8Fraction())))),
        step8_control_(Halves(_mm256_set1_epi32(a_.Step8Control()), _mm256_set1_epi32(b_.Step8Control()))) {
    // The phases of both lanes' frames 0-7 as 64-bit lanes (frame k: phase + k step, modulo
    // 2^64 as the 32.32 sums are), their fractions and indices gathered from the two halves.
    const __m512i frame = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    auto phases = [&frame](const WindowPhase& lane) {
      return _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(lane.phase())),
                              _mm512_mullo_epi64(_mm512_set1_epi64(static_cast<long long>(lane.step())), frame));
    };
    const __m512i phases_a = phases(a_);
    const __m512i phases_b = phases(b_);
    const __m512i low_words = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    fraction_ = _mm512_permutex2var_epi32(phases_a, low_words, phases_b);
    const __m512i index = _mm512_permutex2var_epi32(phases_a, _mm512_add_epi32(low_words, _mm512_set1_epi32(1)), phases_b);
    index_control_ = _mm512_mullo_epi32(index, _mm512_set1_epi32(kWordControl));
  }

  // The next 8 frames of lane a (low half) and of lane b (high half), from frame `k` of the
  // block on, scaled by 2^-kWindowTapBits `scale`.
  template <bool kSeamA, bool kSeamB>
  HWY_INLINE __m512 Next(const std::int16_t* HWY_RESTRICT words, int k, __m512 scale) {
    const WideTag df;
    const __m512i windows =
        Halves(a_.template NextWindows<kSeamA>(words), b_.template NextWindows<kSeamB>(words));
    const __m512i next_word = _mm512_set1_epi32(kWordControl);
    const __m512i before_control = _mm512_add_epi32(
        _mm512_sub_epi32(index_control_, _mm512_shuffle_epi32(index_control_, _MM_PERM_AAAA)),
        _mm512_set1_epi32(kFirstWord));
    const __m512i at_control = _mm512_add_epi32(before_control, next_word);
    const __m512i after_control = _mm512_add_epi32(at_control, next_word);
    const __m512i after2_control = _mm512_add_epi32(after_control, next_word);
    const auto w = ScaledCubicWeights(df, hn::Vec<WideUintTag>{fraction_}, hn::Vec<WideTag>{scale});
    auto sum = hn::Mul(w.before, Tap(windows, before_control));
    sum = MulAddOrNot<kFused>(w.at, Tap(windows, at_control), sum);
    sum = MulAddOrNot<kFused>(w.after, Tap(windows, after_control), sum);
    sum = MulAddOrNot<kFused>(w.after2, Tap(windows, after2_control), sum);
    const auto position = hn::Load(df, kFramePositions.twice[k / kWindowFrames]);
    const auto gain = MulAddOrNot<kFused>(hn::Vec<WideTag>{gain_step_}, position, hn::Vec<WideTag>{gain_});
    const __m512 value = hn::Mul(gain, sum).raw;
    // 32.32 addition with the carry out of the fraction.
    const __m512i next_fraction = _mm512_add_epi32(fraction_, step8_fraction_);
    const __mmask16 carry = _mm512_cmplt_epu32_mask(next_fraction, fraction_);
    const __m512i stepped = _mm512_add_epi32(index_control_, step8_control_);
    index_control_ = _mm512_mask_add_epi32(stepped, carry, stepped, next_word);
    fraction_ = next_fraction;
    return value;
  }

  template <bool kSeamA, bool kSeamB>
  HWY_INLINE void Continue(std::int32_t* index, std::uint32_t* fraction, std::int32_t* looped, int a, int b,
                           const OscillatorLaneSetup& s, std::size_t lane_a, std::size_t lane_b) {
    a_.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
    b_.template Continue<kSeamB>(index[b], fraction[b], looped[b], s.looped[lane_b]);
  }

 private:
  static HWY_INLINE __m512i Halves(__m256i low, __m256i high) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1);
  }
  static HWY_INLINE __m512 Halves(__m256 low, __m256 high) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(low)), _mm256_castps_pd(high), 1));
  }
  static HWY_INLINE hn::Vec<WideTag> Tap(__m512i windows, __m512i control) {
    return hn::Vec<WideTag>{_mm512_cvtepi32_ps(_mm512_shuffle_epi8(windows, control))};
  }

  WindowPhase a_, b_;
  __m512 gain_, gain_step_;
  __m512i index_control_;  // index * kWordControl
  __m512i fraction_;
  __m512i step8_fraction_;
  __m512i step8_control_;
};
#endif  // HWY_TARGET <= HWY_AVX3

// The window path's output before it is transposed into frame_major: per group of 8 frames, an
// 8 x 8 tile of them, lane by lane (8 frames of lane l at [j][l]), so that the two lanes of a
// 512-bit pair that are neighbours (2m, 2m + 1) are stored with one 64-byte store.
using WindowTiles = float[kBlockFrames / kWindowFrames][kWindowFrames][kWindowFrames];

// Frames [0, frames) (a multiple of 8) of two lanes, side by side so that the processor finds
// independent work next to each lane's chain of dependent steps (`b` may be absent: a lane
// alone), into their rows of `tiles`; their states at `frames` into the lane path's arrays.
template <bool kFused, bool kSeamA, bool kSeamB>
HWY_INLINE void RenderWindowPair(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                 std::size_t first_lane, int a, int b, int frames, FloatVec tap_scale,
                                 WindowTiles& HWY_RESTRICT tiles, std::int32_t* index, std::uint32_t* fraction,
                                 std::int32_t* looped) {
  const FloatTag df;
  const std::size_t lane_a = first_lane + static_cast<std::size_t>(a);
  const std::size_t lane_b = first_lane + static_cast<std::size_t>(b < 0 ? a : b);
  std::int16_t seam_a[kSeamWords];
  std::int16_t seam_b[kSeamWords];
  if constexpr (kSeamA) FillSeam(words, s, lane_a, seam_a);
  if constexpr (kSeamB) FillSeam(words, s, lane_b, seam_b);
  if (b < 0) {
    WindowLane<kFused> lane_a_window(s, lane_a, seam_a);
    for (int k = 0; k < frames; k += kWindowFrames) {
      hn::Store(lane_a_window.template Next<kSeamA>(words, k, tap_scale), df, tiles[k / kWindowFrames][a]);
    }
    lane_a_window.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
    return;
  }
#if HWY_TARGET <= HWY_AVX3
  WindowPair<kFused> pair(s, lane_a, lane_b, seam_a, seam_b);
  const __m512 wide_scale = _mm512_set1_ps(hn::GetLane(tap_scale));
  if (b == a + 1 && a % 2 == 0) {
    for (int k = 0; k < frames; k += kWindowFrames) {
      _mm512_store_ps(tiles[k / kWindowFrames][a], pair.template Next<kSeamA, kSeamB>(words, k, wide_scale));
    }
  } else {
    for (int k = 0; k < frames; k += kWindowFrames) {
      const __m512 values = pair.template Next<kSeamA, kSeamB>(words, k, wide_scale);
      _mm256_store_ps(tiles[k / kWindowFrames][a], _mm512_castps512_ps256(values));
      _mm256_store_ps(tiles[k / kWindowFrames][b], _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(values), 1)));
    }
  }
  pair.template Continue<kSeamA, kSeamB>(index, fraction, looped, a, b, s, lane_a, lane_b);
#else
  WindowLane<kFused> lane_a_window(s, lane_a, seam_a);
  WindowLane<kFused> lane_b_window(s, lane_b, seam_b);
  for (int k = 0; k < frames; k += kWindowFrames) {
    hn::Store(lane_a_window.template Next<kSeamA>(words, k, tap_scale), df, tiles[k / kWindowFrames][a]);
    hn::Store(lane_b_window.template Next<kSeamB>(words, k, tap_scale), df, tiles[k / kWindowFrames][b]);
  }
  lane_a_window.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
  lane_b_window.template Continue<kSeamB>(index[b], fraction[b], looped[b], s.looped[lane_b]);
#endif
}

// Frames [0, frames) (a multiple of 8) of the vector's lanes, which must all be window
// frames of every lane in `audible` (bit 0: first_lane), or frames the window path carries
// that lane through its loop wraps in; returns each audible lane's state at frame `frames` in
// `index`, `fraction` and `looped` (the others' are left alone). Only the audible lanes are
// rendered, two at a time, the others' frames are zero: lanes render one by one here, so idle
// lanes cost nothing.
template <bool kFused>
HWY_NOINLINE void RenderWindowFrames(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                     std::size_t first_lane, std::uint32_t audible, int frames,
                                     FloatVec scale, float* HWY_RESTRICT frame_major, std::int32_t* index,
                                     std::uint32_t* fraction, std::int32_t* looped) {
  constexpr int kFrames = kWindowFrames;
  static_assert(hn::MaxLanes(FloatTag()) == kFrames, "8 frames per vector");
  const FloatTag df;
  const FloatVec tap_scale = hn::Mul(scale, hn::Set(df, 1.0f / static_cast<float>(1 << kWindowTapBits)));
  alignas(64) WindowTiles tiles;
  // A lane goes through its loop seam copy when its plain run ends inside these frames.
  auto seam = [&](int l) { return s.window_frames[first_lane + static_cast<std::size_t>(l)] < frames; };
  auto render = [&](int a, int b) {
    const bool seam_b = b >= 0 && seam(b);
    if (seam(a)) {
      if (seam_b) return RenderWindowPair<kFused, true, true>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
      return RenderWindowPair<kFused, true, false>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
    }
    if (seam_b) return RenderWindowPair<kFused, false, true>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
    RenderWindowPair<kFused, false, false>(words, s, first_lane, a, b, frames, tap_scale, tiles, index, fraction, looped);
  };
  int waiting = -1;  // an audible lane without a partner yet
  for (int l = 0; l < kFrames; ++l) {
    if ((audible >> l & 1u) == 0) {
      for (int k = 0; k < frames; k += kFrames) hn::Store(hn::Zero(df), df, tiles[k / kFrames][l]);
    } else if (waiting < 0) {
      waiting = l;
    } else {
      render(waiting, l);
      waiting = -1;
    }
  }
  if (waiting >= 0) render(waiting, -1);
  for (int k = 0; k < frames; k += kFrames) {
    TransposeTile(df, tiles[k / kFrames][0], kFrames, frame_major + k * kLaneCount + first_lane, kLaneCount);
  }
}
#endif  // TUTTI_HWY_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
