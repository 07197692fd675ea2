// The wide window path of the Highway oscillator (AVX-512 only): the window path
// (kernels/oscillator_window_hwy-inl.h) for steps above kWindowStepLimit and up to
// kWideWindowStepLimit. Each lane's next 8 frames read their taps from one window of 32
// consecutive points (one 64-byte load), and a word permutation across two lanes' windows
// (vpermt2w, which AVX-512BW has) puts each tap in the upper half of a 32-bit lane, as the window
// path's byte shuffles do. The values are the lane path's bit for bit: the same weights, tap sums
// and gain ramp, per frame, in the same order. Without this path such lanes (a note played more
// than five semitones above its sample's pitch) sent their whole vector to the lane path, whose
// scattered loads cost about five times as much per frame. Loops of at least
// kWideWindowSeamLoopLength points are carried through their wraps, from a seam copy as on the
// window path.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_WIDE_WINDOW_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_WIDE_WINDOW_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_WIDE_WINDOW_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_WIDE_WINDOW_HWY_INL_H_
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_window_hwy-inl.h"
#include "kernels/oscillator_window_sums_hwy-inl.h"

// Whether the target being compiled has the wide window path (every pass of foreach_target.h
// evaluates it anew): the window path's targets with AVX-512.
#ifndef TUTTI_HWY_WIDE_WINDOW_PATH
#define TUTTI_HWY_WIDE_WINDOW_PATH (TUTTI_HWY_WINDOW_PATH && HWY_TARGET <= HWY_AVX3)
#endif

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WIDE_WINDOW_PATH
static_assert(7 * (kWideWindowStepLimit >> 32) + 4 <= 32, "8 frames' taps fit a window of 32 points");
static_assert(kWideWindowStepLimit % (std::uint64_t{1} << 32) == 0, "whole points, for the span above");

// A lane's seam copy for the wide window path: the points [loop_end - kWideSeamWordsBefore,
// loop_end) followed by the loop's first kWideSeamWordsAfter (no more than the shortest loop it is
// made for, kWideWindowSeamLoopLength), that is, the loop played out past its end. A window read
// from it starts at most 31 points before the loop end (it is read from the sample while all of
// its 32 points lie before the loop end) and at most at the loop end (where a group goes back by
// the loop length), so it ends at most 30 points past it.
inline constexpr int kWideSeamWordsBefore = 32;
inline constexpr int kWideSeamWordsAfter = kWideWindowSeamLoopLength;
inline constexpr int kWideSeamWords = kWideSeamWordsBefore + kWideSeamWordsAfter;
static_assert(kWideSeamWordsAfter >= kWideWindowPointsAfter + 1, "a window from the loop end fits the copy");

// The scalar side of one lane on the wide window path: its 32.32 phase, stepped 8 frames at a
// time, and the window its next 8 frames read; through a loop seam (kSeam) as WindowPhase goes
// through it, with windows of 32 points and the seam copy above.
class WidePhase {
 public:
  HWY_INLINE WidePhase(const OscillatorLaneSetup& s, std::size_t l, const std::int16_t* seam)
      : step_(phase_from_index(static_cast<std::uint32_t>(s.step_index_plus_one[l] - 1)) | s.step_fraction[l]),
        phase_(phase_from_index(static_cast<std::uint32_t>(s.index[l])) | s.fraction[l]),
        loop_shift_(phase_from_index(static_cast<std::uint32_t>(s.loop_length[l]))),
        loop_end_(static_cast<std::uint32_t>(s.wrap_at[l])),
        seam_(seam) {}

  HWY_INLINE Phase phase() const { return phase_; }
  HWY_INLINE Phase step() const { return step_; }

  // The window of the next 8 frames, from the tap before the first; then on by 8 frames. Through
  // a seam: back by the loop length once the group's first index lies past the loop end (at most
  // 32 points past it, and the loop is at least as long), and the window from the seam copy once
  // it reaches the loop end.
  template <bool kSeam>
  HWY_INLINE const std::int16_t* NextWindow(const std::int16_t* HWY_RESTRICT words) {
    const std::int16_t* window;
    if constexpr (kSeam) {
      if (phase_index(phase_) > loop_end_) {
        phase_ -= loop_shift_;
        wrapped_ = true;
      }
      const std::uint32_t index = phase_index(phase_);
      window = index + static_cast<std::uint32_t>(kWideWindowPointsAfter) < loop_end_
                   ? words + index - 1
                   : seam_ + (index - 1 + kWideSeamWordsBefore - loop_end_);
    } else {
      window = words + phase_index(phase_) - 1;
    }
    phase_ += kWindowFrames * step_;
    return window;
  }

  // Where the lane path continues after the frames rendered, as WindowPhase::Continue.
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
  Phase step_, phase_, loop_shift_;
  std::uint32_t loop_end_;
  bool wrapped_ = false;
  const std::int16_t* seam_;
};

// Copies the points a lane reads around its loop seam on the wide window path.
HWY_INLINE void FillWideSeam(const std::int16_t* words, const OscillatorLaneSetup& s, std::size_t lane,
                             std::int16_t* seam) {
  const std::int32_t loop_end = s.wrap_at[lane];
  const std::int32_t loop_start = loop_end - s.loop_length[lane];
  std::copy_n(words + loop_end - kWideSeamWordsBefore, kWideSeamWordsBefore, seam);
  std::copy_n(words + loop_start, kWideSeamWordsAfter, seam + kWideSeamWordsBefore);
}

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

// Two lanes on the wide window path in one 512-bit vector, 8 frames of each at a time: lane a in
// the low half, lane b in the high half (b may repeat a: a lane alone).
template <Interpolation kMode, bool kFused, bool kSeamA, bool kSeamB>
class WidePair {
 public:
  HWY_INLINE WidePair(const OscillatorLaneSetup& s, std::size_t a, std::size_t b, const std::int16_t* seam_a,
                      const std::int16_t* seam_b)
      : a_(s, a, seam_a), b_(s, b, seam_b),
        gain_(Halves(_mm256_set1_ps(s.gain[a]), _mm256_set1_ps(s.gain[b]))),
        gain_step_(Halves(_mm256_set1_ps(s.gain_step[a]), _mm256_set1_ps(s.gain_step[b]))),
        step8_fraction_(Halves(_mm256_set1_epi32(static_cast<std::int32_t>(kWindowFrames * a_.step())),
                               _mm256_set1_epi32(static_cast<std::int32_t>(kWindowFrames * b_.step())))),
        step8_control_(
            Halves(_mm256_set1_epi32(Step8Control(a_.step())), _mm256_set1_epi32(Step8Control(b_.step())))) {
    // The phases of both lanes' frames 0-7 (frame k: phase + k step, modulo 2^64 as the 32.32
    // sums are), their fractions and indices gathered from the two halves.
    const __m512i frame = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    auto phases = [&frame](Phase phase, Phase step) {
      return _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(phase)),
                              _mm512_mullo_epi64(_mm512_set1_epi64(static_cast<long long>(step)), frame));
    };
    const __m512i phases_a = phases(a_.phase(), a_.step());
    const __m512i phases_b = phases(b_.phase(), b_.step());
    const __m512i low_words = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    fraction_ = _mm512_permutex2var_epi32(phases_a, low_words, phases_b);
    const __m512i index =
        _mm512_permutex2var_epi32(phases_a, _mm512_add_epi32(low_words, _mm512_set1_epi32(1)), phases_b);
    index_control_ = _mm512_slli_epi32(index, 16);
  }

  // The next 8 frames of lane a (low half) and of lane b (high half), from frame `k` of the
  // block on; `tap_scale` as WindowSum takes it.
  HWY_INLINE __m512 Next(const std::int16_t* HWY_RESTRICT words, int k, __m512 tap_scale) {
    using D = hn::ScalableTag<float>;
    const D df;
    // Each window from the tap before its lane's first frame: the frames lie at most 28 points
    // past it, so their taps are among its 32 words.
    const __m512i window_a = _mm512_loadu_si512(a_.template NextWindow<kSeamA>(words));
    const __m512i window_b = _mm512_loadu_si512(b_.template NextWindow<kSeamB>(words));
    // Each half's first frame broadcast over the half; lane b's words are the second table.
    const __m512i first = _mm512_permutexvar_epi32(
        _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8), index_control_);
    const __m512i table = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, kSecondTable, kSecondTable, kSecondTable,
                                            kSecondTable, kSecondTable, kSecondTable, kSecondTable, kSecondTable);
    const __m512i offsets = _mm512_add_epi32(_mm512_sub_epi32(index_control_, first), table);
    const auto sum = hn::Vec<D>{WideWindowSum<kMode, kFused>(window_a, window_b, offsets, fraction_, tap_scale)};
    const auto position = hn::Load(df, kFramePositions.twice[k / kWindowFrames]);
    const auto gain = MulAddOrNot<kFused>(hn::Vec<D>{gain_step_}, position, hn::Vec<D>{gain_});
    const __m512 value = hn::Mul(gain, sum).raw;
    // 32.32 addition with the carry out of the fraction.
    const __m512i next_fraction = _mm512_add_epi32(fraction_, step8_fraction_);
    const __mmask16 carry = _mm512_cmplt_epu32_mask(next_fraction, fraction_);
    const __m512i stepped = _mm512_add_epi32(index_control_, step8_control_);
    index_control_ = _mm512_mask_add_epi32(stepped, carry, stepped, _mm512_set1_epi32(kWideWordControl));
    fraction_ = next_fraction;
    return value;
  }

  // Where the lane path continues after the frames rendered (WidePhase::Continue).
  HWY_INLINE void ContinueA(std::int32_t& index, std::uint32_t& fraction, std::int32_t& looped,
                            std::int32_t was_looped) {
    a_.template Continue<kSeamA>(index, fraction, looped, was_looped);
  }
  HWY_INLINE void ContinueB(std::int32_t& index, std::uint32_t& fraction, std::int32_t& looped,
                            std::int32_t was_looped) {
    b_.template Continue<kSeamB>(index, fraction, looped, was_looped);
  }

 private:
  // 8 steps' index part times kWideWordControl: the same 32.32 sums as one step at a time.
  static HWY_INLINE std::int32_t Step8Control(Phase step) {
    return static_cast<std::int32_t>(phase_index(kWindowFrames * step) * static_cast<std::uint32_t>(kWideWordControl));
  }
  static HWY_INLINE __m512i Halves(__m256i low, __m256i high) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1);
  }
  static HWY_INLINE __m512 Halves(__m256 low, __m256 high) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(low)), _mm256_castps_pd(high), 1));
  }

  WidePhase a_, b_;
  __m512 gain_, gain_step_;
  __m512i index_control_;  // index * kWideWordControl
  __m512i fraction_;
  __m512i step8_fraction_;
  __m512i step8_control_;
};

// Frames [0, frames) (a multiple of 8) of lanes a and b (b < 0: a alone, rendered in both halves,
// so kSeamB must then be kSeamA) on the wide window path, each through its loop seam when its flag
// says so, into their rows of `tiles`; their states at `frames` into the lane path's arrays.
template <Interpolation kMode, bool kFused, bool kSeamA, bool kSeamB>
HWY_INLINE void RenderWidePair(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                               std::size_t first_lane, int a, int b, int frames, float tap_scale,
                               WindowTiles& HWY_RESTRICT tiles, std::int32_t* index, std::uint32_t* fraction,
                               std::int32_t* looped) {
  const std::size_t lane_a = first_lane + static_cast<std::size_t>(a);
  const std::size_t lane_b = first_lane + static_cast<std::size_t>(b < 0 ? a : b);
  std::int16_t seam_a[kWideSeamWords];
  std::int16_t seam_b[kWideSeamWords];
  if constexpr (kSeamA) FillWideSeam(words, s, lane_a, seam_a);
  if constexpr (kSeamB) FillWideSeam(words, s, lane_b, seam_b);
  WidePair<kMode, kFused, kSeamA, kSeamB> pair(s, lane_a, lane_b, seam_a, seam_b);
  const __m512 wide_scale = _mm512_set1_ps(tap_scale);
  if (b == a + 1 && a % 2 == 0) {
    for (int k = 0; k < frames; k += kWindowFrames) {
      _mm512_store_ps(tiles[k / kWindowFrames][a], pair.Next(words, k, wide_scale));
    }
  } else {
    for (int k = 0; k < frames; k += kWindowFrames) {
      const __m512 values = pair.Next(words, k, wide_scale);
      _mm256_store_ps(tiles[k / kWindowFrames][a], _mm512_castps512_ps256(values));
      if (b >= 0) {
        _mm256_store_ps(tiles[k / kWindowFrames][b],
                        _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(values), 1)));
      }
    }
  }
  pair.ContinueA(index[a], fraction[a], looped[a], s.looped[lane_a]);
  if (b >= 0) pair.ContinueB(index[b], fraction[b], looped[b], s.looped[lane_b]);
}
#endif  // TUTTI_HWY_WIDE_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
