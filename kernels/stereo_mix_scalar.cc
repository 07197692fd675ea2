#include "kernels/stereo_mix.h"

namespace tutti::kernels::scalar {

void pan_mix(const PanBlock& pan, const float* mono, int frames, float* left, float* right) {
  // The ramp always spans a full block, even when a voice ends early in it.
  const float left_step = (pan.left_to - pan.left_from) / kBlockFrames;
  const float right_step = (pan.right_to - pan.right_from) / kBlockFrames;
  for (int k = 0; k < frames; ++k) {
    const float position = static_cast<float>(k);
    left[k] += (pan.left_from + left_step * position) * mono[k];
    right[k] += (pan.right_from + right_step * position) * mono[k];
  }
}

void pan_mix_lanes(const PanBlock* const* pans, const float* const* rows, const int* frames,
                   int count, float* left, float* right) {
  for (int v = 0; v < count; ++v) pan_mix(*pans[v], rows[v], frames[v], left, right);
}

void accumulate(const float* source, int count, float* destination) {
  for (int k = 0; k < count; ++k) destination[k] += source[k];
}

}  // namespace tutti::kernels::scalar
