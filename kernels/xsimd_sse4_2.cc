// The xsimd kernels for sse4_2. CMake compiles this file alone with -msse4.2; only
// the dispatcher calls into it, after checking that the CPU supports the set.
#include "kernels/xsimd_lane_kernels.h"

namespace tutti::kernels::detail {

const XsimdKernels& xsimd_sse4_2_kernels() {
  static const XsimdKernels kernels = xsimd_detail::make_kernels<xsimd::sse4_2>();
  return kernels;
}

}  // namespace tutti::kernels::detail
