// Control lanes (kernels/control_lanes.h) for one Highway target: the scalar twin's operations
// on whole vectors of lanes, its branches as masks. Plain multiplies and adds (no MulAdd), so
// each lane is the twin's bits. Positions are compared as signed 64-bit numbers: the engine
// loads only voices whose positions stay below 2^63.
// Included once per target by kernels/control_lanes_hwy.cc and by tests/kernels/hwy_targets_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_CONTROL_LANES_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_CONTROL_LANES_HWY_INL_H_
#undef TUTTI_KERNELS_CONTROL_LANES_HWY_INL_H_
#else
#define TUTTI_KERNELS_CONTROL_LANES_HWY_INL_H_
#endif

#include <cstddef>
#include <cstdint>

#include "hwy/highway.h"
#include "kernels/control_lanes.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

namespace control_lanes_detail {

using DD = hn::ScalableTag<double>;
using DI = hn::RebindToSigned<DD>;
using VD = hn::Vec<DD>;
using VI = hn::Vec<DI>;
using MD = hn::Mask<DD>;
using MI = hn::Mask<DI>;

HWY_INLINE VI LoadI(const std::uint64_t* p) { return hn::Load(DI(), reinterpret_cast<const std::int64_t*>(p)); }
HWY_INLINE void StoreI(VI v, std::uint64_t* p) { hn::Store(v, DI(), reinterpret_cast<std::int64_t*>(p)); }
HWY_INLINE MI FlagI(const std::uint64_t* p) { return hn::Ne(LoadI(p), hn::Zero(DI())); }
HWY_INLINE MD FlagD(const std::uint64_t* p) { return hn::RebindMask(DD(), FlagI(p)); }
HWY_INLINE MD ToD(MI m) { return hn::RebindMask(DD(), m); }
HWY_INLINE MI ToI(MD m) { return hn::RebindMask(DI(), m); }
HWY_INLINE VI FlagsOf(MI m) { return hn::VecFromMask(DI(), m); }
// Per-lane choice between masks, and a >= b for integers (Highway has only <, >, ==).
template <class M>
HWY_INLINE M SelectMask(M choose, M yes, M no) {
  return hn::Or(hn::And(choose, yes), hn::AndNot(choose, no));
}
HWY_INLINE MI AtLeast(VI a, VI b) { return hn::Not(hn::Lt(a, b)); }

// An envelope's block; the mask says it stays in its stage.
HWY_INLINE MD AdvanceEnvelope(const ControlLanes::Envelopes& e, std::size_t i, VD& next) {
  const DD d;
  next = hn::Add(hn::Mul(hn::Load(d, e.coeff + i), hn::Load(d, e.value + i)), hn::Load(d, e.increment + i));
  const MD in_range = hn::Not(hn::Or(hn::Lt(next, hn::Load(d, e.min + i)), hn::Gt(next, hn::Load(d, e.max + i))));
  return hn::And(hn::Lt(hn::Load(d, e.done + i), hn::Load(d, e.blocks + i)), in_range);
}

HWY_INLINE VD AdvanceLfo(const double* value_in, const double* increment_in, const double* delay, VD frames,
                         std::size_t i, VD& increment) {
  const DD d;
  const VD value = hn::Load(d, value_in + i);
  increment = hn::Load(d, increment_in + i);
  const MD moving = hn::Ge(frames, hn::Load(d, delay + i));
  const VD moved = hn::Add(value, increment);
  const MD above = hn::Gt(moved, hn::Set(d, 1.0));
  const MD below = hn::AndNot(above, hn::Lt(moved, hn::Set(d, -1.0)));
  VD folded = hn::IfThenElse(above, hn::Sub(hn::Set(d, 2.0), moved), moved);
  folded = hn::IfThenElse(below, hn::Sub(hn::Set(d, -2.0), moved), folded);
  increment = hn::IfThenElse(hn::And(moving, hn::Or(above, below)), hn::Neg(increment), increment);
  return hn::IfThenElse(moving, folded, value);
}

HWY_INLINE VD TableGain(VD centibels, const ControlLaneConstants& c) {
  const DD d;
  VD clamped = hn::IfThenElseZero(hn::Gt(centibels, hn::Zero(d)), centibels);
  const VD top = hn::Set(d, c.attenuation_top);
  clamped = hn::IfThenElse(hn::Lt(clamped, top), clamped, top);
  return hn::GatherIndex(d, c.attenuation_table, hn::ConvertTo(DI(), clamped));
}

// wrap_once of the twin: `ok` clears lanes that would need more than one loop length.
HWY_INLINE VI WrapOnce(VI phase, VI loop_end, VI loop_length, VI half, MI& wrapped, MI& ok) {
  const VI over = hn::Sub(hn::ShiftRight<32>(hn::Add(phase, half)), loop_end);
  wrapped = AtLeast(over, hn::Zero(DI()));
  ok = hn::And(ok, hn::Not(hn::And(wrapped, AtLeast(over, loop_length))));
  return hn::IfThenElse(wrapped, hn::Sub(phase, hn::ShiftLeft<32>(loop_length)), phase);
}

HWY_INLINE void StepVector(ControlLanes& s, const ControlLaneConstants& c, ControlLaneOutput& out, std::size_t i) {
  const DD d;
  const DI di;
  const VD frames = hn::Load(d, s.frames + i);
  MD regular = hn::AndNot(hn::Ge(frames, hn::Load(d, s.note_off_at + i)), FlagD(s.active + i));

  VD volume, modulation;
  regular = hn::And(regular, AdvanceEnvelope(s.volume, i, volume));
  regular = hn::And(regular, AdvanceEnvelope(s.modulation, i, modulation));
  VD mod_lfo_increment, vib_lfo_increment;
  const VD mod_lfo = AdvanceLfo(s.mod_lfo_value, s.mod_lfo_increment, s.mod_lfo_delay, frames, i, mod_lfo_increment);
  const VD vib_lfo = AdvanceLfo(s.vib_lfo_value, s.vib_lfo_increment, s.vib_lfo_delay, frames, i, vib_lfo_increment);

  // Gain, both formulas, chosen per lane by the stage.
  const VD top = hn::Set(d, c.attenuation_top);
  const VD lfo_cb = hn::Mul(mod_lfo, hn::Load(d, s.lfo_to_volume + i));
  const MD in_attack = FlagD(s.volume_in_attack + i);
  const VD centibels =
      hn::Add(hn::Mul(hn::Set(d, 960.0), hn::Sub(hn::Set(d, 1.0), volume)), lfo_cb);
  const VD attenuation_gain = hn::Load(d, s.attenuation_gain + i);
  const VD table_gain = TableGain(hn::IfThenElse(in_attack, lfo_cb, centibels), c);
  const VD target = hn::IfThenElse(in_attack, hn::Mul(hn::Mul(attenuation_gain, table_gain), volume),
                                   hn::Mul(attenuation_gain, table_gain));
  const MD target_is_zero =
      SelectMask(in_attack, hn::Or(hn::Ge(lfo_cb, top), hn::Eq(volume, hn::Zero(d))), hn::Ge(centibels, top));
  const MD has_looped = FlagD(s.has_looped + i);
  const VD floor =
      hn::IfThenElse(has_looped, hn::Load(d, s.noise_floor_looped + i), hn::Load(d, s.noise_floor_unlooped + i));
  const MD below_floor = hn::AndNot(in_attack, hn::Lt(hn::Mul(hn::Load(d, s.min_attenuation_gain + i), volume), floor));
  const VD gain = hn::Load(d, s.gain + i);
  const VD block = hn::Set(d, kBlockFrames);
  const VD gain_step = hn::Mul(hn::Sub(target, gain), hn::Set(d, 1.0 / kBlockFrames));  // exact: a power of 2
  const MD silent = hn::And(hn::Eq(gain, hn::Zero(d)), target_is_zero);
  regular = hn::AndNot(hn::Or(below_floor, silent), regular);

  // Pitch: the held increment must still be the block's.
  VD pitch = hn::Add(hn::Load(d, s.pitch_cents + i), hn::Mul(mod_lfo, hn::Load(d, s.mod_lfo_to_pitch + i)));
  pitch = hn::Add(pitch, hn::Mul(vib_lfo, hn::Load(d, s.vib_lfo_to_pitch + i)));
  pitch = hn::Add(pitch, hn::Mul(modulation, hn::Load(d, s.mod_env_to_pitch + i)));
  regular = hn::And(regular, hn::Eq(pitch, hn::Load(d, s.last_pitch + i)));

  // Position: looping lanes wrap at most once at each end; the others stay short of the end.
  const VI increment = LoadI(s.increment + i);
  // The block's last frame, kBlockFrames - 1 increments on (no 64-bit multiply in every target).
  static_assert(kBlockFrames == 64);
  const VI last_offset = hn::Sub(hn::ShiftLeft<6>(increment), increment);
  const VI half = hn::Set(di, static_cast<std::int64_t>(c.half_point));
  const VI loop_end = LoadI(s.loop_end + i);
  const VI loop_length = LoadI(s.loop_length + i);
  const VI phase = LoadI(s.phase + i);
  MI ok = hn::MaskFromVec(hn::Set(di, -1));
  MI wrapped_start, wrapped_last;
  const VI start_looping = WrapOnce(phase, loop_end, loop_length, half, wrapped_start, ok);
  const MI has_looped_i = ToI(has_looped);
  const MI looped_at_start_looping = hn::Or(has_looped_i, wrapped_start);
  const VI last_looping = WrapOnce(hn::Add(start_looping, last_offset), loop_end, loop_length, half, wrapped_last, ok);
  const MI looping = FlagI(s.looping + i);
  const VI from = hn::Add(phase, half);
  const VI end_phase = LoadI(s.end_phase + i);
  const MI fits = hn::And(hn::Lt(from, end_phase),
                          AtLeast(hn::Sub(hn::Sub(end_phase, hn::Set(di, 1)), from), last_offset));
  regular = hn::And(regular, ToD(SelectMask(looping, ok, fits)));
  const VI start = hn::IfThenElse(looping, start_looping, phase);
  const MI looped_at_start = SelectMask(looping, looped_at_start_looping, has_looped_i);
  const VI next_phase =
      hn::Add(hn::IfThenElse(looping, last_looping, hn::Add(phase, last_offset)), increment);
  const MI next_has_looped = SelectMask(looping, hn::Or(looped_at_start_looping, wrapped_last), has_looped_i);

  // Filter: whether the whole cents of the limited cutoff moved.
  const VD cutoff_modulation = hn::Add(hn::Mul(mod_lfo, hn::Load(d, s.mod_lfo_to_cutoff + i)),
                                       hn::Mul(modulation, hn::Load(d, s.mod_env_to_cutoff + i)));
  VD cutoff = hn::Add(hn::Load(d, s.cutoff_cents + i), cutoff_modulation);
  const VD highest = hn::Set(d, c.highest_cutoff_cents);
  const VD lowest = hn::Set(d, c.lowest_cutoff_cents);
  cutoff = hn::IfThenElse(hn::Ge(cutoff, highest), highest, hn::IfThenElse(hn::Lt(cutoff, lowest), lowest, cutoff));
  const VD whole_cents = hn::Floor(cutoff);  // the limited cutoff is positive: truncation
  const VD last_whole = hn::Load(d, s.last_whole_cents + i);

  StoreI(FlagsOf(ToI(regular)), out.regular + i);
  StoreI(start, out.start + i);
  hn::Store(gain, d, out.gain + i);
  hn::Store(gain_step, d, out.gain_step + i);
  hn::Store(cutoff_modulation, d, out.cutoff_modulation + i);
  StoreI(FlagsOf(looped_at_start), out.looped_at_start + i);
  StoreI(FlagsOf(ToI(hn::Ne(whole_cents, last_whole))), out.filter_changed + i);

  // The state moves only where the block was regular.
  const auto keep = [&](VD next, double* field) {
    hn::Store(hn::IfThenElse(regular, next, hn::Load(d, field + i)), d, field + i);
  };
  const MI regular_i = ToI(regular);
  keep(volume, s.volume.value);
  keep(hn::Add(hn::Load(d, s.volume.done + i), hn::Set(d, 1.0)), s.volume.done);
  keep(modulation, s.modulation.value);
  keep(hn::Add(hn::Load(d, s.modulation.done + i), hn::Set(d, 1.0)), s.modulation.done);
  keep(mod_lfo, s.mod_lfo_value);
  keep(mod_lfo_increment, s.mod_lfo_increment);
  keep(vib_lfo, s.vib_lfo_value);
  keep(vib_lfo_increment, s.vib_lfo_increment);
  keep(hn::Add(frames, block), s.frames);
  const VD unheard_gain = hn::IfThenZeroElse(target_is_zero, hn::Set(d, kUnheardGain));
  keep(hn::IfThenElse(FlagD(s.unheard + i), unheard_gain, hn::Add(gain, hn::Mul(gain_step, block))), s.gain);
  keep(whole_cents, s.last_whole_cents);
  StoreI(hn::IfThenElse(regular_i, next_phase, phase), s.phase + i);
  StoreI(FlagsOf(SelectMask(regular_i, next_has_looped, has_looped_i)), s.has_looped + i);
}

}  // namespace control_lanes_detail

HWY_INLINE void StepControlLanes(ControlLanes& lanes, const ControlLaneConstants& constants, ControlLaneOutput& out) {
  const std::size_t n = hn::Lanes(control_lanes_detail::DD());
  for (std::size_t i = 0; i < static_cast<std::size_t>(kControlLanes); i += n) {
    control_lanes_detail::StepVector(lanes, constants, out, i);
  }
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
