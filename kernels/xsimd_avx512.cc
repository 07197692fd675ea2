// The xsimd kernels for avx512f. CMake compiles this file alone with -mavx512f; only
// the dispatcher calls into it, after checking that the CPU supports the set.
#include "kernels/xsimd_lane_kernels.h"

namespace tutti::kernels::detail {

const XsimdKernels& xsimd_avx512_kernels() {
  static const XsimdKernels kernels = xsimd_detail::make_kernels<xsimd::avx512f>();
  return kernels;
}

}  // namespace tutti::kernels::detail
