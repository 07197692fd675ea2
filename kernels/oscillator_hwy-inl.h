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
#include "kernels/oscillator_cubic_hwy-inl.h"
#include "kernels/oscillator_lane_setup.h"
#include "kernels/oscillator_window_frames_hwy-inl.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {
namespace oscillator_detail {

namespace hn = hwy::HWY_NAMESPACE;

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


// The setup's per-lane fields, for standing one lane in for another.
using IntField = std::int32_t (OscillatorLaneSetup::*)[kLaneCount];
using UintField = std::uint32_t (OscillatorLaneSetup::*)[kLaneCount];
using FloatField = float (OscillatorLaneSetup::*)[kLaneCount];
inline constexpr IntField kIntFields[] = {
    &OscillatorLaneSetup::index,      &OscillatorLaneSetup::step_index_plus_one, &OscillatorLaneSetup::wrap_at,
    &OscillatorLaneSetup::loop_length, &OscillatorLaneSetup::start,              &OscillatorLaneSetup::loop_start,
    &OscillatorLaneSetup::loop_end_minus_one, &OscillatorLaneSetup::end,         &OscillatorLaneSetup::looped,
    &OscillatorLaneSetup::plain_below, &OscillatorLaneSetup::plain_frames,       &OscillatorLaneSetup::window_frames,
    &OscillatorLaneSetup::window_wraps};
inline constexpr UintField kUintFields[] = {&OscillatorLaneSetup::fraction, &OscillatorLaneSetup::step_fraction};
inline constexpr FloatField kGainFields[] = {&OscillatorLaneSetup::gain, &OscillatorLaneSetup::gain_step};

// The setup the lane path reads for the vector at first_lane, where every lane computes (the
// setup holds only the simulated lanes, prepare_simulated_lanes): `s` itself when all its lanes
// are simulated, otherwise `stand_ins`, in which each other lane holds the fields of a simulated
// lane of the same vector (the closest below, or the first above) with zero gain, so that it
// reads valid points. One permutation per field and vector, rather than copies lane by lane.
HWY_INLINE const OscillatorLaneSetup& WithStandIns(const OscillatorLaneSetup& s, std::size_t first_lane,
                                                   OscillatorLaneSetup& stand_ins) {
  const FloatTag df;
  const IntTag di;
  const UintTag du;
  const std::size_t lanes = hn::Lanes(di);
  const std::uint32_t vector_lanes = (1u << lanes) - 1u;
  const std::uint32_t simulated = ((s.active & ~s.scalar_lanes) >> first_lane) & vector_lanes;
  if (simulated == vector_lanes) return s;
  alignas(32) std::int32_t source[hn::MaxLanes(IntTag())];
  alignas(32) std::int32_t silenced[hn::MaxLanes(IntTag())];
  std::int32_t from = __builtin_ctz(simulated);
  for (std::size_t l = 0; l < lanes; ++l) {
    const bool own = (simulated >> l & 1u) != 0;
    if (own) from = static_cast<std::int32_t>(l);
    source[l] = from;
    silenced[l] = own ? 0 : -1;
  }
  const auto int_indices = hn::SetTableIndices(di, source);
  for (IntField field : kIntFields) {
    hn::StoreU(hn::TableLookupLanes(hn::LoadU(di, (s.*field) + first_lane), int_indices), di,
               (stand_ins.*field) + first_lane);
  }
  const auto uint_indices = hn::SetTableIndices(du, source);
  for (UintField field : kUintFields) {
    hn::StoreU(hn::TableLookupLanes(hn::LoadU(du, (s.*field) + first_lane), uint_indices), du,
               (stand_ins.*field) + first_lane);
  }
  const auto float_indices = hn::SetTableIndices(df, source);
  const auto keep = hn::RebindMask(df, hn::Eq(hn::Load(di, silenced), hn::Zero(di)));
  for (FloatField field : kGainFields) {
    hn::StoreU(hn::IfThenElseZero(keep, hn::TableLookupLanes(hn::LoadU(df, (s.*field) + first_lane), float_indices)),
               df, (stand_ins.*field) + first_lane);
  }
  stand_ins.active = s.active;
  stand_ins.scalar_lanes = s.scalar_lanes;
  stand_ins.linear_lanes = s.linear_lanes;
  stand_ins.wide_lanes = s.wide_lanes;
  return stand_ins;
}

template <bool kHas24, bool kFused>
HWY_NOINLINE void RenderLinearLanes(const SampleData& data, const OscillatorLaneSetup& s, std::size_t first_lane,
                                    std::uint32_t linear, float* HWY_RESTRICT frame_major);

// The block of one vector of lanes: of the lanes of `only` (bit 0: first_lane), the others'
// frames are unspecified. Everything a frame needs lives in registers; the only branch in the
// frame loop is the rare one that leaves the plain-neighbour path. Lanes that interpolate
// linearly in a call of another interpolation (s.linear_lanes) are the window path's, each on
// its own arithmetic; when it does not take the whole block (a lane of the vector near its
// sample's start or end, or a step above the window path's limit), the lane path renders them
// apart, linearly (RenderLinearLanes).
template <Interpolation kMode, bool kHas24, bool kFused>
HWY_NOINLINE void RenderVector(const SampleData& sample_data, const OscillatorLaneSetup& s,
                               std::size_t first_lane, std::uint32_t only, float* HWY_RESTRICT frame_major) {
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
  // (None in a linear call, whatever the setup says: RenderLinearLanes makes such calls.)
  const std::uint32_t linear =
      kMode == Interpolation::linear ? 0u : (s.linear_lanes >> first_lane) & ((1u << hn::Lanes(df)) - 1u) & only;

  // The leading groups of 8 frames every audible lane can take on the window path (all of
  // them for a lane it carries through its loop wraps); the lane path renders the rest.
  int window = 0;
  std::uint32_t audible = 0;
  alignas(32) std::int32_t next_index[8];
  alignas(32) std::uint32_t next_fraction[8];
  alignas(32) std::int32_t next_looped[8];
#if TUTTI_HWY_WINDOW_PATH
  if constexpr (kMode != Interpolation::none && !kHas24) {
    static_assert(kMode == Interpolation::cubic || kScaleExponent == 0, "linear's window path leaves out the scale");
    audible = ((s.active & ~s.scalar_lanes) >> first_lane) & only & 0xffu;
    window = kBlockFrames;
    // (Lanes out of `audible` play no part: the window path renders them as zeros.)
    for (std::size_t lane = first_lane; lane < first_lane + 8; ++lane) {
      if ((audible >> (lane - first_lane) & 1u) == 0 || s.window_wraps[lane] != 0) continue;
      window = std::min(window, static_cast<int>(s.window_frames[lane]));
    }
#if !TUTTI_HWY_WIDE_WINDOW_PATH
    // A lane of a step only the wide window path takes keeps the vector on the lane path.
    if (((s.wide_lanes >> first_lane) & audible) != 0) window = 0;
#endif
    window &= ~7;
    if (window > 0) {
      RenderWindowFrames<kMode, kFused>(data.words, s, first_lane, audible, linear, window, scale, frame_major,
                                        next_index, next_fraction, next_looped);
      if (window == kBlockFrames) return;
    }
  }
#endif
  OscillatorLaneSetup stand_ins;
  const OscillatorLaneSetup& v = WithStandIns(s, first_lane, stand_ins);
  if (window > 0) {
    // A lane out of `audible` restarts the lane path at its frame 0 (its output is not used).
    for (std::size_t l = 0; l < hn::Lanes(di); ++l) {
      if ((audible >> l & 1u) != 0) continue;
      next_index[l] = v.index[first_lane + l];
      next_fraction[l] = v.fraction[first_lane + l];
      next_looped[l] = v.looped[first_lane + l];
    }
  }
  auto load = [&](const std::int32_t* field) { return hn::LoadU(di, field + first_lane); };

  IntVec index = load(v.index);
  auto fraction = hn::LoadU(du, v.fraction + first_lane);
  const IntVec step_index_plus_one = load(v.step_index_plus_one);
  const auto step_fraction = hn::LoadU(du, v.step_fraction + first_lane);
  const IntVec wrap_at = load(v.wrap_at);
  const IntVec loop_length = load(v.loop_length);
  const IntVec start = load(v.start);
  const IntVec loop_start = load(v.loop_start);
  const IntVec end = load(v.end);
  const IntVec plain_below = load(v.plain_below);
  const IntVec loop_end_minus_one = load(v.loop_end_minus_one);
  // The first point of the sample, or of the loop once entered, and the tap before it there.
  const auto looped = hn::Ne(window > 0 ? hn::Load(di, next_looped) : load(v.looped), hn::Zero(di));
  IntVec start_index = hn::IfThenElse(looped, loop_start, start);
  IntVec before_start = hn::IfThenElse(looped, loop_end_minus_one, start);
  const FloatVec gain = hn::LoadU(df, v.gain + first_lane);
  const FloatVec gain_step = hn::LoadU(df, v.gain_step + first_lane);

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
      run = std::min(run, static_cast<int>(v.plain_frames[lane]));
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
  if constexpr (kMode != Interpolation::linear) {
    if (linear != 0) RenderLinearLanes<kHas24, kFused>(data, s, first_lane, linear, frame_major);
  }
}

// The lanes of `linear` (bit 0: first_lane) rendered linearly, all their frames, over what the
// vector's call of another interpolation wrote for them. The setup was derived for that
// interpolation, which reads the same phase fields and bounds the window path at least as
// strictly (see OscillatorLaneSetup::linear_lanes). The vector renders into scratch space, as it
// writes all its lanes.
template <bool kHas24, bool kFused>
HWY_NOINLINE void RenderLinearLanes(const SampleData& data, const OscillatorLaneSetup& s, std::size_t first_lane,
                                    std::uint32_t linear, float* HWY_RESTRICT frame_major) {
  alignas(64) float scratch[kLaneBlockSamples];
  RenderVector<Interpolation::linear, kHas24, kFused>(data, s, first_lane, linear, scratch);
  for (; linear != 0; linear &= linear - 1) {
    const std::size_t lane = first_lane + static_cast<std::size_t>(__builtin_ctz(linear));
    for (int k = 0; k < kBlockFrames; ++k) frame_major[k * kLaneCount + lane] = scratch[k * kLaneCount + lane];
  }
}

template <Interpolation kMode, bool kHas24, bool kFused>
void RenderLanes(const SampleData& data, const OscillatorLaneSetup& setup, float* frame_major) {
  constexpr std::size_t kVector = hn::MaxLanes(FloatTag());
  const std::uint32_t simulated = setup.active & ~setup.scalar_lanes;
  for (std::size_t first = 0; first < static_cast<std::size_t>(kLaneCount); first += kVector) {
    const std::uint32_t vector_lanes = ((1u << kVector) - 1u) << first;
    if ((simulated & vector_lanes) == 0) continue;
    RenderVector<kMode, kHas24, kFused>(data, setup, first, (1u << kVector) - 1u, frame_major);
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
  OscillatorLaneSetup prepared_here;
  if (lanes.prepared == nullptr) prepare_simulated_lanes(mode, lanes, prepared_here);
  const OscillatorLaneSetup& setup = lanes.prepared != nullptr ? *lanes.prepared : prepared_here;
  if (data.low_bytes != nullptr) {
    oscillator_detail::RenderForMode<true, kFused>(data, mode, setup, frame_major);
  } else {
    oscillator_detail::RenderForMode<false, kFused>(data, mode, setup, frame_major);
  }
  if (setup.scalar_lanes != 0) render_scalar_lanes(data, mode, lanes, setup.scalar_lanes, frame_major);
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
