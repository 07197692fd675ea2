// Chooses the xsimd kernels for this CPU. This file is compiled without -m flags: it only
// reads the CPU's features and returns pointers into the per-set translation units.
#include "kernels/xsimd_backend.h"

#include <string_view>
#include <xsimd/xsimd.hpp>

namespace tutti::kernels::detail {

namespace {

// The sets compiled in, best first, as xsimd::dispatch requires. fma3<avx2> rather than avx2:
// every AVX2 CPU has FMA, and the `fastest` kernels use it.
using CompiledArchs = xsimd::arch_list<xsimd::avx512f, xsimd::fma3<xsimd::avx2>, xsimd::sse4_2>;

struct TableFor {
  const XsimdKernels* operator()(xsimd::avx512f) const { return &xsimd_avx512_kernels(); }
  const XsimdKernels* operator()(xsimd::fma3<xsimd::avx2>) const { return &xsimd_avx2_kernels(); }
  const XsimdKernels* operator()(xsimd::sse4_2) const { return &xsimd_sse4_2_kernels(); }
  // xsimd names this file's default architecture in the dispatcher's return type only.
  template <class Arch>
  const XsimdKernels* operator()(Arch) const {
    return nullptr;
  }
};

bool cpu_runs(const char* name) {
  const auto cpu = xsimd::available_architectures();
  const std::string_view set(name);
  if (set == xsimd::avx512f::name()) return cpu.avx512f;
  if (set == xsimd::fma3<xsimd::avx2>::name()) return cpu.fma3_avx2;
  if (set == xsimd::sse4_2::name()) return cpu.sse4_2;
  return false;
}

}  // namespace

std::vector<XsimdArch> xsimd_compiled_archs() {
  std::vector<XsimdArch> archs;
  CompiledArchs::for_each([&](auto arch) {
    using Arch = decltype(arch);
    archs.push_back({Arch::name(), cpu_runs(Arch::name()) ? TableFor{}(arch) : nullptr});
  });
  return archs;
}

const XsimdKernels* xsimd_chosen_kernels() {
  // The dispatcher falls through to the last set of the list without checking it.
  if (!xsimd::available_architectures().sse4_2) return nullptr;
  static const XsimdKernels* chosen = xsimd::dispatch<CompiledArchs>(TableFor{})();
  return chosen;
}

}  // namespace tutti::kernels::detail
