// The window path of the Highway oscillator (kernels/oscillator_hwy-inl.h), for one target:
// along time instead of across lanes, cubic and linear. Inside the plain run (and, for a loop
// long enough, through its seams: WindowPhase) each half of a lane's next 8 frames (4 frames)
// reads its taps from 8 consecutive points at steps up to kWindowStepLimit, so two 16-byte loads
// and in-register byte shuffles replace 8 scattered loads per 8 values. The values are those of
// the lane path bit for bit: the same weights, tap sums and gain ramp, per frame, in the same
// order (kernels/oscillator_window_sums_hwy-inl.h). AVX2 and up; AVX-512 renders two lanes in
// one 512-bit vector (WindowPair; cubic from a window of 16 points per lane, as floats), and has
// the wide window path: for steps above kWindowStepLimit and up to kWideWindowStepLimit (notes
// played up to two octaves above their sample's pitch, which otherwise sent their whole vector
// to the lane path's scattered loads), each lane's next 8 frames read their taps from one window
// of 32 points (one 64-byte load), and a word permutation across two lanes' windows
// (WideWindowSum) puts each tap where the byte shuffles put it.

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
#include "kernels/oscillator_window_sums_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

#if TUTTI_HWY_WINDOW_PATH
// Frames of a lane per step of the window path.
inline constexpr int kWindowFrames = 8;

// The points of two windows, 8 words each, in the two 128-bit halves.
HWY_INLINE __m256i LoadWindows(const std::int16_t* low_half, const std::int16_t* high_half) {
  const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(low_half));
  const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(high_half));
  return _mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1);
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

// A lane's seam copy: the points [loop_end - kSeamWordsBefore, loop_end) followed by the loop's
// first kSeamWordsAfter (no more than the shortest loop it is made for, kWindowSeamLoopLength),
// that is, the loop played out past its end from kSeamWordsBefore points before it. Enough for
// the windows of 8 words (from at most 7 points before the loop end, to at most 12 past it), the
// float windows of 16 (from at most 15 before it, to at most 14 past it) and for the unit-step
// path's runs of 16 frames (19 words, from at most 18 points before the loop end, to at most 17
// past it).
inline constexpr int kSeamWordsBefore = 24;
inline constexpr int kSeamWordsAfter = kWindowSeamLoopLength;
inline constexpr int kSeamWords = kSeamWordsBefore + kSeamWordsAfter;
// The wide window path's seam copy, the same with windows of 32 points: a window read from it
// starts at most 31 points before the loop end (it is read from the sample while all of its
// points lie before the loop end) and at most at the loop end, so it ends at most 30 points past
// it; loops of at least kWideWindowSeamLoopLength points.
inline constexpr int kWideSeamWordsBefore = 32;
inline constexpr int kWideSeamWordsAfter = kWideWindowSeamLoopLength;
inline constexpr int kWideSeamWords = kWideSeamWordsBefore + kWideSeamWordsAfter;
static_assert(kWideSeamWordsAfter >= kWideWindowPointsAfter + 1, "a window from the loop end fits the copy");

// Copies the points a lane reads around its loop seam (see WindowPhase), kBefore of them before
// the loop end and the loop's first kAfter.
template <int kBefore = kSeamWordsBefore, int kAfter = kSeamWordsAfter>
HWY_INLINE void FillSeam(const std::int16_t* words, const OscillatorLaneSetup& s, std::size_t lane,
                         std::int16_t* seam) {
  const std::int32_t loop_end = s.wrap_at[lane];
  const std::int32_t loop_start = loop_end - s.loop_length[lane];
  std::copy_n(words + loop_end - kBefore, kBefore, seam);
  std::copy_n(words + loop_start, kAfter, seam + kBefore);
}

// Where the point `first` of the loop played out past its end lies in the seam copy (which holds
// the points from kBefore before the loop end on).
template <int kBefore = kSeamWordsBefore>
HWY_INLINE const std::int16_t* InSeam(const std::int16_t* seam, std::uint32_t first, std::uint32_t loop_end) {
  return seam + (first + kBefore - loop_end);
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

  // 8 steps, as a fraction and as the index's part times kControl (kWordControl, or the wide
  // window path's kWideWordControl): the same 32.32 sums as one step at a time.
  HWY_INLINE std::uint32_t Step8Fraction() const { return static_cast<std::uint32_t>(kWindowFrames * step_); }
  template <std::int32_t kControl = kWordControl>
  HWY_INLINE std::int32_t Step8Control() const {
    return static_cast<std::int32_t>(phase_index(kWindowFrames * step_) * static_cast<std::uint32_t>(kControl));
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
      WrapBackPastLoopEnd();
      first = SeamWindow<6, kSeamWordsBefore>(words, phase_index(phase_));
      middle = SeamWindow<6, kSeamWordsBefore>(words, phase_index(phase_ + 4 * step_));
    } else {
      first = words + phase_index(phase_) - 1;
      middle = words + phase_index(phase_ + 4 * step_) - 1;
    }
    phase_ += kWindowFrames * step_;
    return LoadWindows(first, middle);
  }

  // The one window of the next 8 frames, from the tap before the first to kPointsAfter points
  // past it: the wide window path's 32 points (the frames lie at most 28 points past its start,
  // so their taps are among them; kPointsAfter kWideWindowPointsAfter, kSeamBefore
  // kWideSeamWordsBefore), or a float window's 16 (at steps up to kWindowStepLimit, at most 10;
  // kWindowPointsAfter and kSeamWordsBefore). Then on by 8 frames. Through a seam as NextWindows
  // goes through it, with the matching seam copy (a group starts at most at the loop end; the
  // copy holds what a window reads from there, and the loop is at least as long).
  template <bool kSeam, int kPointsAfter, int kSeamBefore>
  HWY_INLINE const std::int16_t* NextWindow(const std::int16_t* HWY_RESTRICT words) {
    const std::int16_t* window;
    if constexpr (kSeam) {
      WrapBackPastLoopEnd();
      window = SeamWindow<kPointsAfter, kSeamBefore>(words, phase_index(phase_));
    } else {
      window = words + phase_index(phase_) - 1;
    }
    phase_ += kWindowFrames * step_;
    return window;
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
  HWY_INLINE void WrapBackPastLoopEnd() {
    if (phase_index(phase_) > loop_end_) {
      phase_ -= loop_shift_;
      wrapped_ = true;
    }
  }

  // The window of points from index - 1 to index + kPointsAfter: in the sample while it ends
  // before the loop end, otherwise in the seam copy (of kSeamBefore points before the loop end).
  // For the window path's 8 words, index then lies at least 6 points before the loop end and at
  // most 6 past it (a group's first index at most at the loop end, its middle 4 steps on), so
  // they lie inside the copy; for the float window's 16, at least 14 before and at most at it;
  // for the wide window's 32, see kWideSeamWordsBefore.
  template <int kPointsAfter, int kSeamBefore>
  HWY_INLINE const std::int16_t* SeamWindow(const std::int16_t* words, std::uint32_t index) const {
    return index + kPointsAfter < loop_end_ ? words + index - 1 : InSeam<kSeamBefore>(seam_, index - 1, loop_end_);
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
template <Interpolation kMode, bool kFused>
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

  // The next 8 frames, from frame `k` of the block on; `tap_scale` as WindowSum takes it.
  template <bool kSeam>
  HWY_INLINE FloatVec Next(const std::int16_t* HWY_RESTRICT words, int k, FloatVec tap_scale) {
    const FloatTag df;
    const __m256i windows = phase_.template NextWindows<kSeam>(words);
    const __m256i offsets = _mm256_sub_epi32(index_control_, _mm256_shuffle_epi32(index_control_, 0));
    const FloatVec sum = WindowSum<kMode, kFused>(df, windows, offsets, fraction_, tap_scale);
    const FloatVec position = hn::Load(df, kFramePositions.once + k);
    const FloatVec value = hn::Mul(MulAddOrNot<kFused>(gain_step_, position, gain_), sum);
    // 32.32 addition with the carry out of the fraction.
    const auto next_fraction = hn::Add(fraction_, step8_fraction_);
    const __m256i stepped = _mm256_add_epi32(index_control_, step8_control_);
    index_control_ = AddWhere(hn::Lt(next_fraction, fraction_), stepped, _mm256_set1_epi32(kWordControl));
    fraction_ = next_fraction;
    return value;
  }

  template <bool kSeam>
  HWY_INLINE void Continue(std::int32_t& index, std::uint32_t& fraction, std::int32_t& looped, std::int32_t was_looped) {
    phase_.template Continue<kSeam>(index, fraction, looped, was_looped);
  }

 private:
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
// of two WindowLanes. Cubic reads each lane's 8 frames from one window of 16 points as floats
// instead, one permutation per tap (kFloatTaps: 0.6% less CPU time on the OpenTTD files than
// the byte shuffles and their conversions, 5 passes). With kWide, the wide window path: each
// lane's 8 frames from one window of 32 points (b may repeat a: a lane alone).
template <Interpolation kMode, bool kFused, bool kWide = false>
class WindowPair {
 public:
  using WideTag = hn::ScalableTag<float>;
  using WideUintTag = hn::RebindToUnsigned<WideTag>;
  static constexpr bool kFloatTaps = !kWide && kMode == Interpolation::cubic;
  static_assert(hn::MaxLanes(WideTag()) == 2 * kWindowFrames, "a 512-bit vector");

  HWY_INLINE WindowPair(const OscillatorLaneSetup& s, std::size_t a, std::size_t b, const std::int16_t* seam_a,
                        const std::int16_t* seam_b)
      : a_(s, a, seam_a),
        b_(s, b, seam_b),
        gain_(Halves(_mm256_set1_ps(s.gain[a]), _mm256_set1_ps(s.gain[b]))),
        gain_step_(Halves(_mm256_set1_ps(s.gain_step[a]), _mm256_set1_ps(s.gain_step[b]))),
        step8_fraction_(Halves(_mm256_set1_epi32(static_cast<std::int32_t>(a_.Step8Fraction())),
                               _mm256_set1_epi32(static_cast<std::int32_t>(b_.Step8Fraction())))),
        step8_control_(Halves(_mm256_set1_epi32(a_.template Step8Control<kControl>()),
                              _mm256_set1_epi32(b_.template Step8Control<kControl>()))) {
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
    index_control_ = _mm512_mullo_epi32(index, _mm512_set1_epi32(kControl));
  }

  // The next 8 frames of lane a (low half) and of lane b (high half), from frame `k` of the
  // block on; `tap_scale` as WindowSum takes it, or for kFloatTaps the lane path's scale.
  template <bool kSeamA, bool kSeamB>
  HWY_INLINE __m512 Next(const std::int16_t* HWY_RESTRICT words, int k, __m512 tap_scale) {
    const WideTag df;
    hn::Vec<WideTag> sum;
    if constexpr (kWide) {
      const __m512i window_a =
          _mm512_loadu_si512(a_.template NextWindow<kSeamA, kWideWindowPointsAfter, kWideSeamWordsBefore>(words));
      const __m512i window_b =
          _mm512_loadu_si512(b_.template NextWindow<kSeamB, kWideWindowPointsAfter, kWideSeamWordsBefore>(words));
      sum = hn::Vec<WideTag>{WideWindowSum<kMode, kFused>(window_a, window_b, Offsets(kSecondTable), fraction_, tap_scale)};
    } else if constexpr (kFloatTaps) {
      const __m512 window_a =
          LoadFloatWindow(a_.template NextWindow<kSeamA, kWindowPointsAfter, kSeamWordsBefore>(words));
      const __m512 window_b =
          LoadFloatWindow(b_.template NextWindow<kSeamB, kWindowPointsAfter, kSeamWordsBefore>(words));
      sum = hn::Vec<WideTag>{FloatWindowCubicSum<kFused>(window_a, window_b, Offsets(kFloatSecondTable), fraction_, tap_scale)};
    } else {
      const __m512i windows =
          Halves(a_.template NextWindows<kSeamA>(words), b_.template NextWindows<kSeamB>(words));
      const __m512i offsets = _mm512_sub_epi32(index_control_, _mm512_shuffle_epi32(index_control_, _MM_PERM_AAAA));
      sum = WindowSum<kMode, kFused>(df, windows, offsets, hn::Vec<WideUintTag>{fraction_},
                                     hn::Vec<WideTag>{tap_scale});
    }
    const auto position = hn::Load(df, kFramePositions.twice[k / kWindowFrames]);
    const auto gain = MulAddOrNot<kFused>(hn::Vec<WideTag>{gain_step_}, position, hn::Vec<WideTag>{gain_});
    const __m512 value = hn::Mul(gain, sum).raw;
    // 32.32 addition with the carry out of the fraction.
    const __m512i next_fraction = _mm512_add_epi32(fraction_, step8_fraction_);
    const __mmask16 carry = _mm512_cmplt_epu32_mask(next_fraction, fraction_);
    const __m512i stepped = _mm512_add_epi32(index_control_, step8_control_);
    index_control_ = _mm512_mask_add_epi32(stepped, carry, stepped, _mm512_set1_epi32(kControl));
    fraction_ = next_fraction;
    return value;
  }

  // b < 0 (kWide only): lane a alone, in both halves.
  template <bool kSeamA, bool kSeamB>
  HWY_INLINE void Continue(std::int32_t* index, std::uint32_t* fraction, std::int32_t* looped, int a, int b,
                           const OscillatorLaneSetup& s, std::size_t lane_a, std::size_t lane_b) {
    a_.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
    if (!kWide || b >= 0) b_.template Continue<kSeamB>(index[b], fraction[b], looped[b], s.looped[lane_b]);
  }

 private:
  // A lane's index times this in index_control_: the byte shuffles' control, the word
  // permutation's, or the float permutation's (the index itself).
  static constexpr std::int32_t kControl = kWide ? kWideWordControl : (kFloatTaps ? 1 : kWordControl);
  // Lane b's window is the second table of the float permutation: its points are 16 on.
  static constexpr std::int32_t kFloatSecondTable = 16;

  // Each frame's index minus its lane's first frame's, times kControl, plus `second_table` in
  // lane b's half: where the permutations of one window per lane find its taps.
  HWY_INLINE __m512i Offsets(std::int32_t second_table) const {
    const __m512i first =
        _mm512_permutexvar_epi32(_mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8), index_control_);
    const __m512i table = _mm512_setr_epi32(0, 0, 0, 0, 0, 0, 0, 0, second_table, second_table, second_table,
                                            second_table, second_table, second_table, second_table, second_table);
    return _mm512_add_epi32(_mm512_sub_epi32(index_control_, first), table);
  }

  static HWY_INLINE __m512i Halves(__m256i low, __m256i high) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1);
  }
  static HWY_INLINE __m512 Halves(__m256 low, __m256 high) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(low)), _mm256_castps_pd(high), 1));
  }

  WindowPhase a_, b_;
  __m512 gain_, gain_step_;
  __m512i index_control_;  // index * kControl
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
// With kWide (AVX-512 only), on the wide window path; a lane alone then renders in both halves of
// a pair, through its seam in both (kSeamB must be kSeamA), so that the second half reads only
// what the lane reads.
template <Interpolation kMode, bool kFused, bool kSeamA, bool kSeamB, bool kWide = false>
HWY_INLINE void RenderWindowPair(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                 std::size_t first_lane, int a, int b, int frames, FloatVec tap_scale,
                                 WindowTiles& HWY_RESTRICT tiles, std::int32_t* index, std::uint32_t* fraction,
                                 std::int32_t* looped) {
  const FloatTag df;
  const std::size_t lane_a = first_lane + static_cast<std::size_t>(a);
  const std::size_t lane_b = first_lane + static_cast<std::size_t>(b < 0 ? a : b);
  constexpr int kBefore = kWide ? kWideSeamWordsBefore : kSeamWordsBefore;
  constexpr int kAfter = kWide ? kWideSeamWordsAfter : kSeamWordsAfter;
  std::int16_t seam_a[kBefore + kAfter];
  std::int16_t seam_b[kBefore + kAfter];
  if constexpr (kSeamA) FillSeam<kBefore, kAfter>(words, s, lane_a, seam_a);
  if constexpr (kSeamB) FillSeam<kBefore, kAfter>(words, s, lane_b, seam_b);
  if (!kWide && b < 0) {
    WindowLane<kMode, kFused> lane_a_window(s, lane_a, seam_a);
    for (int k = 0; k < frames; k += kWindowFrames) {
      hn::Store(lane_a_window.template Next<kSeamA>(words, k, tap_scale), df, tiles[k / kWindowFrames][a]);
    }
    lane_a_window.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
    return;
  }
#if HWY_TARGET <= HWY_AVX3
  WindowPair<kMode, kFused, kWide> pair(s, lane_a, lane_b, seam_a, seam_b);
  // Float taps are the points themselves, not 2^kWindowTapBits times them.
  const float pair_scale = hn::GetLane(tap_scale) * (decltype(pair)::kFloatTaps ? 1 << kWindowTapBits : 1);
  const __m512 wide_scale = _mm512_set1_ps(pair_scale);
  if (b == a + 1 && a % 2 == 0) {
    for (int k = 0; k < frames; k += kWindowFrames) {
      _mm512_store_ps(tiles[k / kWindowFrames][a], pair.template Next<kSeamA, kSeamB>(words, k, wide_scale));
    }
  } else {
    for (int k = 0; k < frames; k += kWindowFrames) {
      const __m512 values = pair.template Next<kSeamA, kSeamB>(words, k, wide_scale);
      _mm256_store_ps(tiles[k / kWindowFrames][a], _mm512_castps512_ps256(values));
      if (!kWide || b >= 0) {
        _mm256_store_ps(tiles[k / kWindowFrames][b],
                        _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(values), 1)));
      }
    }
  }
  pair.template Continue<kSeamA, kSeamB>(index, fraction, looped, a, b, s, lane_a, lane_b);
#else
  static_assert(!kWide, "the wide window path needs AVX-512");
  WindowLane<kMode, kFused> lane_a_window(s, lane_a, seam_a);
  WindowLane<kMode, kFused> lane_b_window(s, lane_b, seam_b);
  for (int k = 0; k < frames; k += kWindowFrames) {
    hn::Store(lane_a_window.template Next<kSeamA>(words, k, tap_scale), df, tiles[k / kWindowFrames][a]);
    hn::Store(lane_b_window.template Next<kSeamB>(words, k, tap_scale), df, tiles[k / kWindowFrames][b]);
  }
  lane_a_window.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
  lane_b_window.template Continue<kSeamB>(index[b], fraction[b], looped[b], s.looped[lane_b]);
#endif
}

#endif  // TUTTI_HWY_WINDOW_PATH

}  // namespace oscillator_detail
}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
