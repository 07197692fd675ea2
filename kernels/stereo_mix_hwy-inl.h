// Pan mixing and span sums for one Highway target, vectorized along time. Each element gets
// the scalar twin's operations in the same order (kernels/stereo_mix_scalar.cc); with
// kFused == false the results are the twin's bits. Included once per target by
// kernels/stereo_mix_hwy.cc and by tests/kernels/hwy_targets_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#undef TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#else
#define TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#endif

#include <cstdint>
#include <cstring>

#include "hwy/highway.h"
#include "kernels/stereo_mix.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// One voice's ramped gain times its signal, added to a vector of the bus: the twin's
// operations, fused when kFused.
template <bool kFused, class V>
HWY_INLINE V AddPanned(V from, V step, V position, V signal, V bus) {
  if constexpr (kFused) {
    return hn::MulAdd(hn::MulAdd(step, position, from), signal, bus);
  } else {
    return hn::Add(bus, hn::Mul(hn::Add(from, hn::Mul(step, position)), signal));
  }
}

// One channel of one voice, gain `from` + `step` x frame, over frames [begin, end) of `bus`,
// `begin` a multiple of the vector length: whole vectors, then the rest frame by frame with the
// twin's expression. PanMix hands it a voice's last partial vector, PanMixLanes a voice that
// ends inside a stretch: all three split a voice's frames between vectors and single frames at
// the same places. (The channels share no arithmetic: a channel at a time gives the same bits.)
template <bool kFused>
HWY_INLINE void MixChannelRange(float from, float step, const float* HWY_RESTRICT mono, int begin, int end,
                                float* HWY_RESTRICT bus) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  const auto from_v = hn::Set(d, from);
  const auto step_v = hn::Set(d, step);
  int k = begin;
  for (; k + n <= end; k += n) {
    const auto position = hn::LoadU(d, kFramePositions.at + k);
    hn::StoreU(AddPanned<kFused>(from_v, step_v, position, hn::LoadU(d, mono + k), hn::LoadU(d, bus + k)), d, bus + k);
  }
  // The rest of a voice's last block, one frame at a time as the twin does.
  for (; k < end; ++k) bus[k] += (from + step * static_cast<float>(k)) * mono[k];
}

// Both channels in one pass over the signal (one load of it per vector); the same operations
// per frame as MixChannelRange.
template <bool kFused>
void PanMix(const PanBlock& pan, const float* HWY_RESTRICT mono, int frames,
            float* HWY_RESTRICT left, float* HWY_RESTRICT right) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  // The ramp always spans a full block, even when a voice ends early in it.
  const float left_step = (pan.left_to - pan.left_from) / kBlockFrames;
  const float right_step = (pan.right_to - pan.right_from) / kBlockFrames;
  const auto left_from_v = hn::Set(d, pan.left_from);
  const auto right_from_v = hn::Set(d, pan.right_from);
  const auto left_step_v = hn::Set(d, left_step);
  const auto right_step_v = hn::Set(d, right_step);
  const int whole = frames / n * n;
  for (int k = 0; k < whole; k += n) {
    const auto position = hn::LoadU(d, kFramePositions.at + k);
    const auto signal = hn::LoadU(d, mono + k);
    hn::StoreU(AddPanned<kFused>(left_from_v, left_step_v, position, signal, hn::LoadU(d, left + k)), d, left + k);
    hn::StoreU(AddPanned<kFused>(right_from_v, right_step_v, position, signal, hn::LoadU(d, right + k)), d, right + k);
  }
  if (whole == frames) return;
  MixChannelRange<kFused>(pan.left_from, left_step, mono, whole, frames, left);
  MixChannelRange<kFused>(pan.right_from, right_step, mono, whole, frames, right);
}

// True when a gain ramp's step is +0.0: its gain is then `from` + 0.0f at every frame, bit for
// bit (+0.0 times a frame position is +0.0, and fused or not, adding it to `from` rounds the
// same), so the voice needs one multiply-add per vector rather than two. (A step of -0.0 would
// keep a -0.0 `from`; it takes the general path.)
HWY_INLINE bool FlatGain(float step) {
  std::uint32_t bits;
  std::memcpy(&bits, &step, sizeof bits);
  return bits == 0;
}

// Both channels of `count` voices, a stretch of four vectors of frames at a time: the stretch of
// the bus stays in registers while every voice adds to it in order (the per-voice kernel loads
// and stores the bus once per voice), and each voice's signal is loaded once for both channels.
// Every bus element gets PanMix's operations in voice order.
template <bool kFused>
HWY_INLINE void MixLanes(const detail::PanRamps& ramps, const float* const* rows, const int* frames, int count,
                         float* HWY_RESTRICT left, float* HWY_RESTRICT right) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  const int stretch = 4 * n;
  if (stretch > kBlockFrames) {  // vectors wider than a quarter block: voice by voice
    for (int v = 0; v < count; ++v) {
      MixChannelRange<kFused>(ramps.left_from[v], ramps.left_step[v], rows[v], 0, frames[v], left);
      MixChannelRange<kFused>(ramps.right_from[v], ramps.right_step[v], rows[v], 0, frames[v], right);
    }
    return;
  }
  bool flat[detail::kPanVoicesPerPass];
  for (int v = 0; v < count; ++v) flat[v] = FlatGain(ramps.left_step[v]) && FlatGain(ramps.right_step[v]);
  // Lanes(d) is a power of two, so stretches tile the block.
  for (int begin = 0; begin < kBlockFrames; begin += stretch) {
    const float* position = kFramePositions.at + begin;
    float* out_l = left + begin;  // not restrict: MixChannelRange writes here through `left`
    float* out_r = right + begin;
    auto l0 = hn::LoadU(d, out_l), l1 = hn::LoadU(d, out_l + n);
    auto l2 = hn::LoadU(d, out_l + 2 * n), l3 = hn::LoadU(d, out_l + 3 * n);
    auto r0 = hn::LoadU(d, out_r), r1 = hn::LoadU(d, out_r + n);
    auto r2 = hn::LoadU(d, out_r + 2 * n), r3 = hn::LoadU(d, out_r + 3 * n);
    for (int v = 0; v < count; ++v) {
      if (frames[v] >= begin + stretch) {
        const float* HWY_RESTRICT mono = rows[v] + begin;
        const auto s0 = hn::LoadU(d, mono), s1 = hn::LoadU(d, mono + n);
        const auto s2 = hn::LoadU(d, mono + 2 * n), s3 = hn::LoadU(d, mono + 3 * n);
        if (flat[v]) {
          const auto gl = hn::Set(d, ramps.left_from[v] + 0.0f);
          const auto gr = hn::Set(d, ramps.right_from[v] + 0.0f);
          if constexpr (kFused) {
            l0 = hn::MulAdd(gl, s0, l0), l1 = hn::MulAdd(gl, s1, l1), l2 = hn::MulAdd(gl, s2, l2), l3 = hn::MulAdd(gl, s3, l3);
            r0 = hn::MulAdd(gr, s0, r0), r1 = hn::MulAdd(gr, s1, r1), r2 = hn::MulAdd(gr, s2, r2), r3 = hn::MulAdd(gr, s3, r3);
          } else {
            l0 = hn::Add(l0, hn::Mul(gl, s0)), l1 = hn::Add(l1, hn::Mul(gl, s1));
            l2 = hn::Add(l2, hn::Mul(gl, s2)), l3 = hn::Add(l3, hn::Mul(gl, s3));
            r0 = hn::Add(r0, hn::Mul(gr, s0)), r1 = hn::Add(r1, hn::Mul(gr, s1));
            r2 = hn::Add(r2, hn::Mul(gr, s2)), r3 = hn::Add(r3, hn::Mul(gr, s3));
          }
        } else {
          const auto p0 = hn::LoadU(d, position), p1 = hn::LoadU(d, position + n);
          const auto p2 = hn::LoadU(d, position + 2 * n), p3 = hn::LoadU(d, position + 3 * n);
          const auto from_l = hn::Set(d, ramps.left_from[v]), step_l = hn::Set(d, ramps.left_step[v]);
          const auto from_r = hn::Set(d, ramps.right_from[v]), step_r = hn::Set(d, ramps.right_step[v]);
          l0 = AddPanned<kFused>(from_l, step_l, p0, s0, l0), l1 = AddPanned<kFused>(from_l, step_l, p1, s1, l1);
          l2 = AddPanned<kFused>(from_l, step_l, p2, s2, l2), l3 = AddPanned<kFused>(from_l, step_l, p3, s3, l3);
          r0 = AddPanned<kFused>(from_r, step_r, p0, s0, r0), r1 = AddPanned<kFused>(from_r, step_r, p1, s1, r1);
          r2 = AddPanned<kFused>(from_r, step_r, p2, s2, r2), r3 = AddPanned<kFused>(from_r, step_r, p3, s3, r3);
        }
      } else if (frames[v] > begin) {
        // A voice ending in this stretch (its last block): through memory, as PanMix splits it.
        hn::StoreU(l0, d, out_l), hn::StoreU(l1, d, out_l + n), hn::StoreU(l2, d, out_l + 2 * n), hn::StoreU(l3, d, out_l + 3 * n);
        hn::StoreU(r0, d, out_r), hn::StoreU(r1, d, out_r + n), hn::StoreU(r2, d, out_r + 2 * n), hn::StoreU(r3, d, out_r + 3 * n);
        MixChannelRange<kFused>(ramps.left_from[v], ramps.left_step[v], rows[v], begin, frames[v], left);
        MixChannelRange<kFused>(ramps.right_from[v], ramps.right_step[v], rows[v], begin, frames[v], right);
        l0 = hn::LoadU(d, out_l), l1 = hn::LoadU(d, out_l + n), l2 = hn::LoadU(d, out_l + 2 * n), l3 = hn::LoadU(d, out_l + 3 * n);
        r0 = hn::LoadU(d, out_r), r1 = hn::LoadU(d, out_r + n), r2 = hn::LoadU(d, out_r + 2 * n), r3 = hn::LoadU(d, out_r + 3 * n);
      }
    }
    hn::StoreU(l0, d, out_l), hn::StoreU(l1, d, out_l + n), hn::StoreU(l2, d, out_l + 2 * n), hn::StoreU(l3, d, out_l + 3 * n);
    hn::StoreU(r0, d, out_r), hn::StoreU(r1, d, out_r + n), hn::StoreU(r2, d, out_r + 2 * n), hn::StoreU(r3, d, out_r + 3 * n);
  }
}

template <bool kFused>
void PanMixLanes(const PanBlock* const* pans, const float* const* rows, const int* frames,
                 int count, float* HWY_RESTRICT left, float* HWY_RESTRICT right) {
  // Each voice's gains once, a group's worth of voices per pass.
  detail::PanRamps ramps;
  for (int first = 0; first < count; first += detail::kPanVoicesPerPass) {
    const int voices = count - first < detail::kPanVoicesPerPass ? count - first : detail::kPanVoicesPerPass;
    detail::prepare_pan_ramps(pans + first, voices, ramps);
    MixLanes<kFused>(ramps, rows + first, frames + first, voices, left, right);
  }
}

HWY_INLINE void Accumulate(const float* HWY_RESTRICT source, int count,
                           float* HWY_RESTRICT destination) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  int k = 0;
  for (; k + n <= count; k += n) {
    hn::StoreU(hn::Add(hn::LoadU(d, destination + k), hn::LoadU(d, source + k)), d, destination + k);
  }
  for (; k < count; ++k) destination[k] += source[k];
}

}  // namespace tutti::kernels::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
