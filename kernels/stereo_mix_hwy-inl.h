// Pan mixing and span sums for one Highway target, vectorized along time. Each element gets
// the scalar twin's operations in the same order (kernels/stereo_mix_scalar.cc); with
// kFused == false the results are the twin's bits. Included once per target by
// kernels/stereo_mix_hwy.cc and by tests/kernels/stereo_mix_test.cc.

// Per-target include guard, as Highway's foreach_target.h requires.
#if defined(TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#undef TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#else
#define TUTTI_KERNELS_STEREO_MIX_HWY_INL_H_
#endif

#include "hwy/highway.h"
#include "kernels/stereo_mix.h"

HWY_BEFORE_NAMESPACE();
namespace tutti::kernels::HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

template <bool kFused>
void PanMix(const PanBlock& pan, const float* HWY_RESTRICT mono, int frames,
            float* HWY_RESTRICT left, float* HWY_RESTRICT right) {
  const hn::ScalableTag<float> d;
  const int n = static_cast<int>(hn::Lanes(d));
  // The ramp always spans a full block, even when a voice ends early in it.
  const float left_step = (pan.left_to - pan.left_from) / kBlockFrames;
  const float right_step = (pan.right_to - pan.right_from) / kBlockFrames;
  const auto left_from = hn::Set(d, pan.left_from);
  const auto right_from = hn::Set(d, pan.right_from);
  const auto left_step_v = hn::Set(d, left_step);
  const auto right_step_v = hn::Set(d, right_step);
  // Frame numbers as floats; whole numbers, so stepping them is exact.
  auto position = hn::Iota(d, 0.0f);
  const auto step = hn::Set(d, static_cast<float>(n));
  int k = 0;
  for (; k + n <= frames; k += n, position = hn::Add(position, step)) {
    const auto signal = hn::LoadU(d, mono + k);
    if constexpr (kFused) {
      const auto left_gain = hn::MulAdd(left_step_v, position, left_from);
      const auto right_gain = hn::MulAdd(right_step_v, position, right_from);
      hn::StoreU(hn::MulAdd(left_gain, signal, hn::LoadU(d, left + k)), d, left + k);
      hn::StoreU(hn::MulAdd(right_gain, signal, hn::LoadU(d, right + k)), d, right + k);
    } else {
      const auto left_gain = hn::Add(left_from, hn::Mul(left_step_v, position));
      const auto right_gain = hn::Add(right_from, hn::Mul(right_step_v, position));
      hn::StoreU(hn::Add(hn::LoadU(d, left + k), hn::Mul(left_gain, signal)), d, left + k);
      hn::StoreU(hn::Add(hn::LoadU(d, right + k), hn::Mul(right_gain, signal)), d, right + k);
    }
  }
  // The rest of a voice's last block, one frame at a time as the twin does.
  for (; k < frames; ++k) {
    const float frame = static_cast<float>(k);
    left[k] += (pan.left_from + left_step * frame) * mono[k];
    right[k] += (pan.right_from + right_step * frame) * mono[k];
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
