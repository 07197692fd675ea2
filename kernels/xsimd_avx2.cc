// The xsimd kernels for fma3<xsimd::avx2>. CMake compiles this file alone with -mavx2 -mfma; only
// the dispatcher calls into it, after checking that the CPU supports the set.
#include "kernels/xsimd_lane_kernels.h"

namespace tutti::kernels::detail {

const XsimdKernels& xsimd_avx2_kernels() {
  static const XsimdKernels kernels = xsimd_detail::make_kernels<xsimd::fma3<xsimd::avx2>>();
  return kernels;
}

}  // namespace tutti::kernels::detail
