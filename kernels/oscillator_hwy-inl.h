// The lane oscillator for one Highway target: voices side by side, one per lane, every lane
// following the scalar twin's rules (kernels/oscillator_scalar.cc) exactly. Included once per
// target by kernels/oscillator_hwy.cc and by tests/kernels/oscillator_test.cc.
//
// Exactness: the interpolation weights are computed, not looked up, in a way that rounds once,
// so they equal the table's (which rounds the exact rational once); sample points are integers;
// and scaling by powers of two commutes with rounding. With kFused == false every lane thus
// computes the scalar twin's bits; kFused lets the target fuse the tap sum and the gain ramp.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_OSCILLATOR_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_OSCILLATOR_HWY_INL_H_
#undef TUTTI_KERNELS_OSCILLATOR_HWY_INL_H_
#else
#define TUTTI_KERNELS_OSCILLATOR_HWY_INL_H_
#endif

#include <algorithm>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/oscillator.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/transpose_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

namespace hn = hwy::HWY_NAMESPACE;

// Lane kernels use at most 8 lanes per vector: one code path for SSE4 (4) and AVX2 (8); the
// AVX-512 targets run it at 256 bits.
using FloatTag = hn::CappedTag<float, 8>;
using IntTag = hn::RebindToSigned<FloatTag>;
using UintTag = hn::RebindToUnsigned<FloatTag>;
using IntVec = hn::Vec<IntTag>;
using FloatVec = hn::Vec<FloatTag>;

// Points as integers on the scale they are read at: 16-bit words, or 24-bit values when the
// bank has sm24 low bytes. The tap sums are scaled back by a power of two afterwards.
struct Taps {
  IntVec before, at, after, after2;
};

// Each 32-bit gather reads two neighbouring 16-bit words (little-endian: the lower index in the
// low half). Offsets are in bytes.
HWY_INLINE IntVec LowHalf(IntVec pair) { return hn::ShiftRight<16>(hn::ShiftLeft<16>(pair)); }
HWY_INLINE IntVec HighHalf(IntVec pair) { return hn::ShiftRight<16>(pair); }

HWY_INLINE IntVec GatherPairs(const std::int16_t* words, IntVec first_index) {
  const IntTag di;
  return hn::GatherOffset(di, reinterpret_cast<const std::int32_t*>(words),
                          hn::ShiftLeft<1>(first_index));
}

// The two word pairs at first_index and first_index + 2 of every lane (what two GatherPairs
// return). On AVX2 hardware gathers are microcoded and their throughput bounded the whole
// oscillator; eight plain 64-bit loads assembled into two vectors cost about a third of it.
HWY_INLINE void LoadQuads(const std::int16_t* words, IntVec first_index, IntVec& low_pairs,
                          IntVec& high_pairs) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2 && HWY_TARGET != HWY_SCALAR
  static_assert(hn::MaxLanes(IntTag()) == 8, "one 256-bit vector of lanes");
  alignas(32) std::int32_t at[8];
  hn::Store(first_index, IntTag(), at);
  auto quad = [words, &at](int lane) {
    std::int64_t value;
    __builtin_memcpy(&value, words + at[lane], sizeof value);
    return static_cast<long long>(value);
  };
  // Lanes 0,1,4,5 in one vector and 2,3,6,7 in the other, so that one in-lane shuffle puts
  // the low and high halves of every quad back in lane order.
  const __m256 first = _mm256_castsi256_ps(_mm256_set_epi64x(quad(5), quad(4), quad(1), quad(0)));
  const __m256 second = _mm256_castsi256_ps(_mm256_set_epi64x(quad(7), quad(6), quad(3), quad(2)));
  low_pairs = IntVec{_mm256_castps_si256(_mm256_shuffle_ps(first, second, 0x88))};
  high_pairs = IntVec{_mm256_castps_si256(_mm256_shuffle_ps(first, second, 0xDD))};
#else
  low_pairs = GatherPairs(words, first_index);
  high_pairs = GatherPairs(words, hn::Add(first_index, hn::Set(IntTag(), 2)));
#endif
}

// One word per lane at any valid index, reading only [index - 1, index] (or [0, 1]), so that a
// tap two points past a sample's end never reads further.
HWY_INLINE IntVec GatherWord(const std::int16_t* words, IntVec index) {
  const IntTag di;
  const IntVec base = hn::Max(hn::Sub(index, hn::Set(di, 1)), hn::Zero(di));
  const IntVec pair = GatherPairs(words, base);
  // index - base is 1 (take the high half) or 0 (the low half).
  const IntVec up = hn::ShiftLeft<4>(hn::Sub(hn::Set(di, 1), hn::Sub(index, base)));
  return hn::ShiftRight<16>(pair << up);
}

// One low byte per lane, reading only [index - 3, index] (or [0, 3]).
HWY_INLINE IntVec GatherLowByte(const std::uint8_t* low_bytes, IntVec index) {
  const IntTag di;
  const IntVec base = hn::Max(hn::Sub(index, hn::Set(di, 3)), hn::Zero(di));
  const IntVec quad = hn::GatherOffset(di, reinterpret_cast<const std::int32_t*>(low_bytes), base);
  const IntVec down = hn::ShiftLeft<3>(hn::Sub(index, base));
  const hn::RebindToUnsigned<IntTag> du;
  return hn::BitCast(di, hn::And(hn::BitCast(du, quad) >> hn::BitCast(du, down),
                                 hn::Set(du, 0xffu)));
}

template <bool kHas24>
HWY_INLINE IntVec Point(const SampleData& data, IntVec index) {
  const IntVec word = GatherWord(data.words, index);
  if constexpr (!kHas24) {
    return word;
  } else {
    return hn::Or(hn::ShiftLeft<8>(word), GatherLowByte(data.low_bytes, index));
  }
}

// The four cubic taps when they are the plain neighbours index-1 .. index+2: two gathers (and
// one for the low bytes).
template <bool kHas24>
HWY_INLINE Taps PlainCubicTaps(const SampleData& data, IntVec index) {
  const IntTag di;
  const IntVec one = hn::Set(di, 1);
  IntVec low_pair, high_pair;
  LoadQuads(data.words, hn::Sub(index, one), low_pair, high_pair);
  Taps taps{LowHalf(low_pair), HighHalf(low_pair), LowHalf(high_pair), HighHalf(high_pair)};
  if constexpr (kHas24) {
    const hn::RebindToUnsigned<IntTag> du;
    const auto quad = hn::BitCast(
        du, hn::GatherOffset(di, reinterpret_cast<const std::int32_t*>(data.low_bytes),
                             hn::Sub(index, one)));
    const auto byte = hn::Set(du, 0xffu);
    taps.before = hn::Or(hn::ShiftLeft<8>(taps.before), hn::BitCast(di, hn::And(quad, byte)));
    taps.at = hn::Or(hn::ShiftLeft<8>(taps.at),
                     hn::BitCast(di, hn::And(hn::ShiftRight<8>(quad), byte)));
    taps.after = hn::Or(hn::ShiftLeft<8>(taps.after),
                        hn::BitCast(di, hn::And(hn::ShiftRight<16>(quad), byte)));
    taps.after2 = hn::Or(hn::ShiftLeft<8>(taps.after2), hn::BitCast(di, hn::ShiftRight<24>(quad)));
  }
  return taps;
}

// A tap past the loop end comes from the loop start; past the sample end it repeats the end.
HWY_INLINE IntVec FollowingTap(IntVec j, IntVec wrap_at, IntVec loop_length, IntVec end) {
  const IntVec wrapped = hn::Sub(j, hn::And(hn::VecFromMask(IntTag(), hn::Not(hn::Lt(j, wrap_at))), loop_length));
  return hn::Min(wrapped, end);
}

// Taps at the special places, exactly as the scalar twin chooses them: at the first point of
// the sample (or of the loop once entered) the tap before is the start point (or the last loop
// point) and the taps after are read as they are; elsewhere taps after the loop end come from
// the loop start and taps after the sample end repeat the end.
template <bool kHas24>
HWY_INLINE Taps SpecialCubicTaps(const SampleData& data, IntVec index, IntVec start_index,
                                 IntVec before_start, IntVec wrap_at, IntVec loop_length,
                                 IntVec end) {
  const IntTag di;
  const auto at_start = hn::Eq(index, start_index);
  const IntVec j1 = hn::Add(index, hn::Set(di, 1));
  const IntVec j2 = hn::Add(index, hn::Set(di, 2));
  const IntVec before =
      hn::Min(hn::IfThenElse(at_start, before_start, hn::Sub(index, hn::Set(di, 1))), end);
  const IntVec after = hn::IfThenElse(at_start, j1, FollowingTap(j1, wrap_at, loop_length, end));
  const IntVec after2 = hn::IfThenElse(at_start, j2, FollowingTap(j2, wrap_at, loop_length, end));
  return Taps{Point<kHas24>(data, before), Point<kHas24>(data, hn::Min(index, end)),
              Point<kHas24>(data, after), Point<kHas24>(data, after2)};
}

// Catmull-Rom weights for the top 8 bits of the fraction, scaled by 2^25 so they are
// integers; each is computed with a single rounding (the last operation), as the table is.
struct CubicWeights {
  FloatVec before, at, after, after2;
};

HWY_INLINE CubicWeights CubicWeightsFor(hn::Vec<UintTag> fraction) {
  const FloatTag df;
  const IntTag di;
  const IntVec row = hn::BitCast(di, hn::ShiftRight<24>(fraction));
  const FloatVec k = hn::ConvertTo(df, row);
  // k^2 (k - 256): below 2^24 in magnitude, exact.
  const FloatVec after2 = hn::Mul(hn::Mul(k, k), hn::Sub(k, hn::Set(df, 256.0f)));
  // k (k (512 - k) - 65536): exact.
  const FloatVec before =
      hn::Mul(k, hn::Sub(hn::Mul(k, hn::Sub(hn::Set(df, 512.0f), k)), hn::Set(df, 65536.0f)));
  // k (65536 + k (1024 - 3k)): exact up to the last multiplication, which rounds once.
  const FloatVec after = hn::Mul(
      k, hn::Add(hn::Mul(k, hn::Sub(hn::Set(df, 1024.0f), hn::Mul(hn::Set(df, 3.0f), k))),
                 hn::Set(df, 65536.0f)));
  // 2^25 + k^2 (3k - 1280): exact in integers, rounded once by the conversion.
  const IntVec at_integer =
      hn::Add(hn::Mul(hn::Mul(row, row), hn::Sub(hn::Mul(row, hn::Set(di, 3)), hn::Set(di, 1280))),
              hn::Set(di, 1 << 25));
  return CubicWeights{before, hn::ConvertTo(df, at_integer), after, after2};
}

template <bool kFused>
HWY_INLINE FloatVec MulAddOrNot(FloatVec a, FloatVec b, FloatVec c) {
  if constexpr (kFused) {
    return hn::MulAdd(a, b, c);
  } else {
    return hn::Add(hn::Mul(a, b), c);
  }
}

// The weighted tap sum, in the scalar twin's order.
template <bool kFused>
HWY_INLINE FloatVec CubicSum(const CubicWeights& w, const Taps& taps) {
  const FloatTag df;
  FloatVec sum = hn::Mul(w.before, hn::ConvertTo(df, taps.before));
  sum = MulAddOrNot<kFused>(w.at, hn::ConvertTo(df, taps.at), sum);
  sum = MulAddOrNot<kFused>(w.after, hn::ConvertTo(df, taps.after), sum);
  return MulAddOrNot<kFused>(w.after2, hn::ConvertTo(df, taps.after2), sum);
}

// One step of the 32.32 phase: the fraction's carry goes into the index (the step's integer
// part is stored plus one, and one is subtracted back when there is no carry).
HWY_INLINE void StepPhase(hn::Vec<UintTag>& fraction, IntVec& index,
                          hn::Vec<UintTag> step_fraction, IntVec step_index_plus_one) {
  const IntTag di;
  fraction = hn::Add(fraction, step_fraction);
  const auto no_carry = hn::Eq(hn::Min(fraction, step_fraction), step_fraction);
  index = hn::Add(hn::Add(index, step_index_plus_one),
                  hn::VecFromMask(di, hn::RebindMask(di, no_carry)));
}

// The window path: along time instead of across lanes. Inside the plain run (and, for a loop
// long enough, through its seams: WindowLane) each half of a lane's next 8 frames (4 frames)
// reads its taps from 8 consecutive points at steps up to kWindowStepLimit, so two 16-byte
// loads and in-register byte shuffles replace 8 scattered loads per 8 values. The values are those of the lane-parallel path bit for bit: the same
// weights, tap sums and gain ramp, per frame, in the same order; the taps come out scaled by
// 2^16, which the weights' scale takes back exactly. AVX2 (in-lane byte shuffles of 256 bits,
// and the fused multiply-add ScaledCubicWeights relies on).
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2 && HWY_TARGET != HWY_SCALAR
inline constexpr int kWindowTapBits = 16;

// The points of two windows, 8 words each, in the two 128-bit halves.
HWY_INLINE __m256i LoadWindows(const std::int16_t* low_half, const std::int16_t* high_half) {
  const __m128i low = _mm_loadu_si128(reinterpret_cast<const __m128i*>(low_half));
  const __m128i high = _mm_loadu_si128(reinterpret_cast<const __m128i*>(high_half));
  return _mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1);
}

// Word w of its half's window (selected by the byte-shuffle control for w) in the
// upper 16 bits of every lane, as a float: the point times 2^16.
HWY_INLINE FloatVec WindowTap(__m256i windows, __m256i control) {
  return FloatVec{_mm256_cvtepi32_ps(_mm256_shuffle_epi8(windows, control))};
}

// The byte-shuffle control for word w (0..7) of a window is w * kWordControl + kFirstWord:
// bytes 0 and 1 zero, bytes 2 and 3 the word's bytes 2w and 2w + 1. Lanes keep their index
// times kWordControl (modulo 2^32), so a frame's control is one subtraction away.
inline constexpr std::int32_t kWordControl = 0x02020000;
inline constexpr std::int32_t kFirstWord = 0x01008080;

// CubicWeightsFor times `scale` (a power of two), bit for bit: every intermediate below is an
// integer computed exactly, and the one rounding left in each weight (the last multiplication
// or the fused multiply-add) commutes with the power of two, as the values stay normal. Folding
// the scale here takes one multiplication off the tap sum's chain. `at` needs a true fused
// multiply-add (one rounding), which every target of this path has.
HWY_INLINE CubicWeights ScaledCubicWeights(hn::Vec<UintTag> fraction, FloatVec scale) {
  const FloatTag df;
  const FloatVec k = hn::ConvertTo(df, hn::BitCast(IntTag(), hn::ShiftRight<24>(fraction)));
  const FloatVec k_scaled = hn::Mul(k, scale);
  const FloatVec k_squared = hn::Mul(k, k);
  const FloatVec after2 = hn::Mul(k_squared, hn::Sub(k_scaled, hn::Mul(hn::Set(df, 256.0f), scale)));
  const FloatVec before =
      hn::Mul(k_scaled, hn::MulAdd(k, hn::Sub(hn::Set(df, 512.0f), k), hn::Set(df, -65536.0f)));
  const FloatVec after = hn::Mul(
      k_scaled, hn::MulAdd(k, hn::NegMulAdd(hn::Set(df, 3.0f), k, hn::Set(df, 1024.0f)), hn::Set(df, 65536.0f)));
  const FloatVec at = hn::MulAdd(hn::Mul(k_squared, scale), hn::MulSub(hn::Set(df, 3.0f), k, hn::Set(df, 1280.0f)),
                                 hn::Mul(hn::Set(df, 33554432.0f), scale));
  return CubicWeights{before, at, after, after2};
}

// Words of a lane's seam copy: the points [loop_end - 8, loop_end) and the loop's first 16.
inline constexpr int kSeamWords = 24;

// One lane on the window path: its phases for 8 frames, stepped 8 frames at a time.
//
// Through a loop seam (kSeam): the phase runs on past the loop end, and every frame's taps are
// the plain neighbours of its index in the loop played out past its end (which is what the
// lane path's wrapped taps read, see window_carries_wraps in oscillator_lane_setup.cc). A
// window that reaches the loop end is read from the lane's seam copy instead of the sample;
// once a group of 8 frames starts with a window past the loop end, the phase goes back by the
// loop length, which leaves the offsets of the frames within a window unchanged, so the tap
// controls (index_control_, only ever used as differences) carry on untouched. The values are
// thus the lane path's bit for bit, wraps included.
template <bool kFused>
class WindowLane {
 public:
  static constexpr int kFrames = 8;

  HWY_INLINE WindowLane(const OscillatorLaneSetup& s, std::size_t l, FloatVec frame_numbers,
                        const std::int16_t* seam = nullptr)
      : step_(phase_from_index(static_cast<std::uint32_t>(s.step_index_plus_one[l] - 1)) | s.step_fraction[l]),
        phase_(phase_from_index(static_cast<std::uint32_t>(s.index[l])) | s.fraction[l]),
        loop_shift_(phase_from_index(static_cast<std::uint32_t>(s.loop_length[l]))),
        loop_end_(static_cast<std::uint32_t>(s.wrap_at[l])),
        seam_(seam),
        gain_(hn::Set(FloatTag(), s.gain[l])),
        gain_step_(hn::Set(FloatTag(), s.gain_step[l])),
        position_(frame_numbers) {
    // Phases of frames 0-3 and 4-7 as 64-bit lanes: k * step = (k & 1) step + (k & 2) step.
    // (Vectors built from lanes written just before would wait for the stores.)
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
    index_control_ = _mm256_mullo_epi32(index, _mm256_set1_epi32(kWordControl));
    fraction_ = hn::Vec<UintTag>{_mm256_permute4x64_epi64(_mm256_castps_si256(_mm256_shuffle_ps(a, b, 0x88)), kFrameOrder)};
    // 8 steps at once: the same 32.32 sums as one step at a time.
    const Phase step8 = kFrames * step_;
    step8_fraction_ = hn::Set(UintTag(), static_cast<std::uint32_t>(step8));
    step8_control_ = _mm256_set1_epi32(static_cast<std::int32_t>(phase_index(step8) * static_cast<std::uint32_t>(kWordControl)));
  }

  // The next 8 frames, scaled by 2^-kWindowTapBits `scale`.
  template <bool kSeam>
  HWY_INLINE FloatVec Next(const std::int16_t* HWY_RESTRICT words, FloatVec scale) {
    const FloatTag df;
    // Each half's window starts at the tap before its first frame; frames lie at most 4
    // points past it, so their 4 taps are among its 8 words.
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
    const __m256i windows = LoadWindows(first, middle);
    const __m256i next_word = _mm256_set1_epi32(kWordControl);
    const __m256i before_control = _mm256_add_epi32(
        _mm256_sub_epi32(index_control_, _mm256_shuffle_epi32(index_control_, 0)), _mm256_set1_epi32(kFirstWord));
    const __m256i at_control = _mm256_add_epi32(before_control, next_word);
    const __m256i after_control = _mm256_add_epi32(at_control, next_word);
    const __m256i after2_control = _mm256_add_epi32(after_control, next_word);
    const CubicWeights w = ScaledCubicWeights(fraction_, scale);
    FloatVec sum = hn::Mul(w.before, WindowTap(windows, before_control));
    sum = MulAddOrNot<kFused>(w.at, WindowTap(windows, at_control), sum);
    sum = MulAddOrNot<kFused>(w.after, WindowTap(windows, after_control), sum);
    sum = MulAddOrNot<kFused>(w.after2, WindowTap(windows, after2_control), sum);
    const FloatVec value = hn::Mul(MulAddOrNot<kFused>(gain_step_, position_, gain_), sum);
    // 32.32 addition with the carry out of the fraction.
    const auto next_fraction = hn::Add(fraction_, step8_fraction_);
    const __m256i carry = _mm256_and_si256(hn::VecFromMask(UintTag(), hn::Lt(next_fraction, fraction_)).raw, next_word);
    index_control_ = _mm256_add_epi32(_mm256_add_epi32(index_control_, step8_control_), carry);
    fraction_ = next_fraction;
    position_ = hn::Add(position_, hn::Set(df, static_cast<float>(kFrames)));
    phase_ += kFrames * step_;
    return value;
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
  FloatVec gain_, gain_step_, position_;
  __m256i index_control_;  // index * kWordControl
  hn::Vec<UintTag> fraction_;
  hn::Vec<UintTag> step8_fraction_;
  __m256i step8_control_;
};

// Copies the points a lane's window reads around its loop seam (see WindowLane).
HWY_INLINE void FillSeam(const std::int16_t* words, const OscillatorLaneSetup& s, std::size_t lane,
                         std::int16_t* seam) {
  const std::int32_t loop_end = s.wrap_at[lane];
  const std::int32_t loop_start = loop_end - s.loop_length[lane];
  std::copy_n(words + loop_end - 8, 8, seam);
  std::copy_n(words + loop_start, kSeamWords - 8, seam + 8);
}

// Frames [0, frames) (a multiple of 8) of two lanes, side by side so that the processor
// finds independent work next to each lane's long chain of dependent steps (`b` may be absent:
// a lane alone), into their rows; their states at `frames` into the lane path's arrays.
template <bool kFused, bool kSeamA, bool kSeamB>
HWY_INLINE void RenderWindowPair(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                 std::size_t first_lane, int a, int b, int frames, FloatVec frame_numbers,
                                 FloatVec tap_scale, float (*HWY_RESTRICT rows)[kBlockFrames], std::int32_t* index,
                                 std::uint32_t* fraction, std::int32_t* looped) {
  constexpr int kFrames = WindowLane<kFused>::kFrames;
  const FloatTag df;
  const std::size_t lane_a = first_lane + static_cast<std::size_t>(a);
  const std::size_t lane_b = first_lane + static_cast<std::size_t>(b < 0 ? a : b);
  std::int16_t seam_a[kSeamWords];
  std::int16_t seam_b[kSeamWords];
  if constexpr (kSeamA) FillSeam(words, s, lane_a, seam_a);
  if constexpr (kSeamB) FillSeam(words, s, lane_b, seam_b);
  WindowLane<kFused> lane_a_window(s, lane_a, frame_numbers, seam_a);
  if (b < 0) {
    for (int k = 0; k < frames; k += kFrames) {
      hn::Store(lane_a_window.template Next<kSeamA>(words, tap_scale), df, rows[a] + k);
    }
  } else {
    WindowLane<kFused> lane_b_window(s, lane_b, frame_numbers, seam_b);
    for (int k = 0; k < frames; k += kFrames) {
      hn::Store(lane_a_window.template Next<kSeamA>(words, tap_scale), df, rows[a] + k);
      hn::Store(lane_b_window.template Next<kSeamB>(words, tap_scale), df, rows[b] + k);
    }
    lane_b_window.template Continue<kSeamB>(index[b], fraction[b], looped[b], s.looped[lane_b]);
  }
  lane_a_window.template Continue<kSeamA>(index[a], fraction[a], looped[a], s.looped[lane_a]);
}

// Frames [0, frames) (a multiple of 8) of the vector's lanes, which must all be window
// frames of every lane in `audible` (bit 0: first_lane), or frames the window path carries
// that lane through its loop wraps in; returns each lane's state at frame `frames` in
// `index`, `fraction` and `looped` (a lane out of `audible`: at frame 0). Only the audible
// lanes are rendered, two at a time, the others' frames are zero: lanes render one by one
// here, so idle lanes cost nothing.
template <bool kFused>
HWY_NOINLINE void RenderWindowFrames(const std::int16_t* HWY_RESTRICT words, const OscillatorLaneSetup& s,
                                     std::size_t first_lane, std::uint32_t audible, int frames,
                                     FloatVec scale, float* HWY_RESTRICT frame_major, std::int32_t* index,
                                     std::uint32_t* fraction, std::int32_t* looped) {
  constexpr int kFrames = WindowLane<kFused>::kFrames;
  static_assert(hn::MaxLanes(FloatTag()) == kFrames, "8 frames per vector");
  const FloatTag df;
  const FloatVec tap_scale = hn::Mul(scale, hn::Set(df, 1.0f / static_cast<float>(1 << kWindowTapBits)));
  alignas(32) static constexpr float kFrameNumbers[kFrames] = {0, 1, 2, 3, 4, 5, 6, 7};
  const FloatVec frame_numbers = hn::Load(df, kFrameNumbers);
  // One row of frames per lane, transposed into frame_major 8 x 8 at a time.
  alignas(32) float rows[kFrames][kBlockFrames];
  // A lane goes through its loop seam copy when its plain run ends inside these frames.
  auto seam = [&](int l) { return s.window_frames[first_lane + static_cast<std::size_t>(l)] < frames; };
  auto render = [&](int a, int b) {
    const bool seam_b = b >= 0 && seam(b);
    if (seam(a)) {
      if (seam_b) return RenderWindowPair<kFused, true, true>(words, s, first_lane, a, b, frames, frame_numbers, tap_scale, rows, index, fraction, looped);
      return RenderWindowPair<kFused, true, false>(words, s, first_lane, a, b, frames, frame_numbers, tap_scale, rows, index, fraction, looped);
    }
    if (seam_b) return RenderWindowPair<kFused, false, true>(words, s, first_lane, a, b, frames, frame_numbers, tap_scale, rows, index, fraction, looped);
    RenderWindowPair<kFused, false, false>(words, s, first_lane, a, b, frames, frame_numbers, tap_scale, rows, index, fraction, looped);
  };
  int waiting = -1;  // an audible lane without a partner yet
  for (int l = 0; l < kFrames; ++l) {
    if ((audible >> l & 1u) == 0) {
      for (int k = 0; k < frames; k += kFrames) hn::Store(hn::Zero(df), df, rows[l] + k);
      const std::size_t lane = first_lane + static_cast<std::size_t>(l);
      index[l] = s.index[lane];
      fraction[l] = s.fraction[lane];
      looped[l] = s.looped[lane];
    } else if (waiting < 0) {
      waiting = l;
    } else {
      render(waiting, l);
      waiting = -1;
    }
  }
  if (waiting >= 0) render(waiting, -1);
  for (int k = 0; k < frames; k += kFrames) {
    TransposeTile(df, &rows[0][k], kBlockFrames, frame_major + k * kLaneCount + first_lane, kLaneCount);
  }
}
#endif

// The block of one vector of lanes. Everything a frame needs lives in registers; the only
// branch in the frame loop is the rare one that leaves the plain-neighbour path.
template <Interpolation kMode, bool kHas24, bool kFused>
HWY_NOINLINE void RenderVector(const SampleData& sample_data, const OscillatorLaneSetup& s,
                               std::size_t first_lane, float* HWY_RESTRICT frame_major) {
  // A local copy: the stores to frame_major could otherwise alias the pointers, which would
  // then be reloaded every frame.
  const SampleData data = sample_data;
  const FloatTag df;
  const IntTag di;
  const UintTag du;

  // Weights and points are integers scaled by 2^-weight_bits and 2^point_bits.
  constexpr int kWeightBits = kMode == Interpolation::cubic ? 25 : (kMode == Interpolation::linear ? 8 : 0);
  constexpr int kPointBits = kHas24 ? 0 : 8;
  constexpr int kScaleExponent = kPointBits - kWeightBits;
  const FloatVec scale = hn::Set(df, kScaleExponent >= 0 ? static_cast<float>(1 << kScaleExponent)
                                                         : 1.0f / static_cast<float>(1 << -kScaleExponent));

  // The leading groups of 8 frames every audible lane can take on the window path (all of
  // them for a lane it carries through its loop wraps); the lane path renders the rest.
  int window = 0;
  alignas(32) std::int32_t next_index[8];
  alignas(32) std::uint32_t next_fraction[8];
  alignas(32) std::int32_t next_looped[8];
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2 && HWY_TARGET != HWY_SCALAR
  if constexpr (kMode == Interpolation::cubic && !kHas24) {
    const std::uint32_t audible = ((s.active & ~s.scalar_lanes) >> first_lane) & 0xffu;
    window = kBlockFrames;
    // A lane out of `audible` restarts the lane path at its frame 0 (its output is not used).
    for (std::size_t lane = first_lane; lane < first_lane + 8; ++lane) {
      if ((audible >> (lane - first_lane) & 1u) == 0 || s.window_wraps[lane] != 0) continue;
      window = std::min(window, static_cast<int>(s.window_frames[lane]));
    }
    window &= ~7;
    if (window > 0) {
      RenderWindowFrames<kFused>(data.words, s, first_lane, audible, window, scale, frame_major, next_index,
                                 next_fraction, next_looped);
      if (window == kBlockFrames) return;
    }
  }
#endif
  auto load = [&](const std::int32_t* field) { return hn::LoadU(di, field + first_lane); };

  IntVec index = load(s.index);
  auto fraction = hn::LoadU(du, s.fraction + first_lane);
  const IntVec step_index_plus_one = load(s.step_index_plus_one);
  const auto step_fraction = hn::LoadU(du, s.step_fraction + first_lane);
  const IntVec wrap_at = load(s.wrap_at);
  const IntVec loop_length = load(s.loop_length);
  const IntVec start = load(s.start);
  const IntVec loop_start = load(s.loop_start);
  const IntVec end = load(s.end);
  const IntVec plain_below = load(s.plain_below);
  const IntVec loop_end_minus_one = load(s.loop_end_minus_one);
  // The first point of the sample, or of the loop once entered, and the tap before it there.
  const auto looped = hn::Ne(window > 0 ? hn::Load(di, next_looped) : load(s.looped), hn::Zero(di));
  IntVec start_index = hn::IfThenElse(looped, loop_start, start);
  IntVec before_start = hn::IfThenElse(looped, loop_end_minus_one, start);
  const FloatVec gain = hn::LoadU(df, s.gain + first_lane);
  const FloatVec gain_step = hn::LoadU(df, s.gain_step + first_lane);

  FloatVec position = hn::Zero(df);
  const FloatVec one = hn::Set(df, 1.0f);

  // A lane whose index reached the loop end goes back by the loop length; from then on its
  // first point is the loop start.
  auto wrap_once = [&] {
    const auto wraps = hn::Not(hn::Lt(index, wrap_at));
    index = hn::Sub(index, hn::And(hn::VecFromMask(di, wraps), loop_length));
    if constexpr (kMode == Interpolation::cubic) {
      start_index = hn::IfThenElse(wraps, loop_start, start_index);
      before_start = hn::IfThenElse(wraps, loop_end_minus_one, before_start);
    }
  };

  int k = 0;
  if (window > 0) {
    // Continue from the phase the window path reached: at most one step past the loop end,
    // which the wrap takes back, or for a lane not audible its frame 0.
    index = hn::Load(di, next_index);
    fraction = hn::Load(du, next_fraction);
    position = hn::Set(df, static_cast<float>(window));
    k = window;
    wrap_once();
  }
  if constexpr (kMode == Interpolation::cubic) {
    // The leading frames every lane of the vector plays on the plain path: no tap checks and
    // no wrap inside them, the same arithmetic as the general loop below. (A lane left at
    // frame 0 above, or carried through its loop wraps, is at most as far into its plain run
    // as frame k.)
    int run = kBlockFrames;
    for (std::size_t lane = first_lane; lane < first_lane + hn::Lanes(df); ++lane) {
      run = std::min(run, static_cast<int>(s.plain_frames[lane]));
    }
    if (k < run) {
      for (; k < run; ++k) {
        const CubicWeights w = CubicWeightsFor(fraction);
        const FloatVec sum = CubicSum<kFused>(w, PlainCubicTaps<kHas24>(data, index));
        const FloatVec lane_gain = MulAddOrNot<kFused>(gain_step, position, gain);
        hn::StoreU(hn::Mul(lane_gain, hn::Mul(sum, scale)), df, frame_major + k * kLaneCount + first_lane);
        StepPhase(fraction, index, step_fraction, step_index_plus_one);
        position = hn::Add(position, one);
      }
      // The step out of the run may cross the loop end (at most once: a step is shorter than
      // the loop), as in the general loop.
      wrap_once();
    }
  }
  for (; k < kBlockFrames; ++k) {
    FloatVec value;
    if constexpr (kMode == Interpolation::cubic) {
      const CubicWeights w = CubicWeightsFor(fraction);
      const auto plain = hn::And(hn::Gt(index, start_index), hn::Lt(index, plain_below));
      const Taps taps = HWY_LIKELY(hn::AllTrue(di, plain))
                            ? PlainCubicTaps<kHas24>(data, index)
                            : SpecialCubicTaps<kHas24>(data, index, start_index, before_start,
                                                       wrap_at, loop_length, end);
      value = hn::Mul(CubicSum<kFused>(w, taps), scale);
    } else if constexpr (kMode == Interpolation::linear) {
      const IntVec row = hn::BitCast(di, hn::ShiftRight<24>(fraction));
      const FloatVec w_next = hn::ConvertTo(df, row);
      const FloatVec w_at = hn::ConvertTo(df, hn::Sub(hn::Set(di, 256), row));
      const IntVec next = FollowingTap(hn::Add(index, hn::Set(di, 1)), wrap_at, loop_length, end);
      const FloatVec at = hn::ConvertTo(df, Point<kHas24>(data, hn::Min(index, end)));
      const FloatVec after = hn::ConvertTo(df, Point<kHas24>(data, next));
      value = hn::Mul(MulAddOrNot<kFused>(w_next, after, hn::Mul(w_at, at)), scale);
    } else {
      value = hn::Mul(hn::ConvertTo(df, Point<kHas24>(data, hn::Min(index, end))), scale);
    }
    const FloatVec lane_gain = MulAddOrNot<kFused>(gain_step, position, gain);
    hn::StoreU(hn::Mul(lane_gain, value), df, frame_major + k * kLaneCount + first_lane);

    // Next frame: 32.32 addition with the carry out of the fraction, then at most one wrap.
    StepPhase(fraction, index, step_fraction, step_index_plus_one);
    wrap_once();
    position = hn::Add(position, one);
  }
}

template <Interpolation kMode, bool kHas24, bool kFused>
void RenderLanes(const SampleData& data, const OscillatorLaneSetup& setup, float* frame_major) {
  constexpr std::size_t kVector = hn::MaxLanes(FloatTag());
  const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += kVector) {
    const std::uint32_t vector_lanes = ((1u << kVector) - 1u) << first;
    if ((simulated & vector_lanes) == 0) continue;
    RenderVector<kMode, kHas24, kFused>(data, setup, first, frame_major);
  }
}

template <bool kHas24, bool kFused>
void RenderForMode(const SampleData& data, Interpolation mode, const OscillatorLaneSetup& setup,
                   float* frame_major) {
  switch (mode) {
    case Interpolation::none:
      return RenderLanes<Interpolation::none, kHas24, kFused>(data, setup, frame_major);
    case Interpolation::linear:
      return RenderLanes<Interpolation::linear, kHas24, kFused>(data, setup, frame_major);
    case Interpolation::cubic:
      return RenderLanes<Interpolation::cubic, kHas24, kFused>(data, setup, frame_major);
  }
}

}  // namespace oscillator_detail

template <bool kFused>
void RenderOscillatorLanes(const SampleData& data, Interpolation mode,
                           const OscillatorLanes& lanes, float* frame_major) {
  OscillatorLaneSetup setup;
  prepare_oscillator_lanes(mode, lanes, setup);
  if (data.low_bytes != nullptr) {
    oscillator_detail::RenderForMode<true, kFused>(data, mode, setup, frame_major);
  } else {
    oscillator_detail::RenderForMode<false, kFused>(data, mode, setup, frame_major);
  }
  if (setup.scalar_lanes != 0) render_scalar_lanes(data, mode, lanes, setup, frame_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
