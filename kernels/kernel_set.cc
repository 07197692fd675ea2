#include "kernels/kernel_set.h"

#include "kernels/hwy_backend.h"
#include "kernels/xsimd_backend.h"

namespace tutti::kernels {

namespace {

// The scalar twins never fuse (the project compiles with -ffp-contract=off), so they are
// portable by construction.
const KernelSet kScalarKernels{
    "scalar",          true,
    scalar::render_oscillator_lanes, scalar::apply_biquad_lanes, scalar::pan_mix,
    scalar::pan_mix_lanes, scalar::accumulate, scalar::to_pcm16, scalar::to_pcm24,
};

KernelSet make_hwy_kernels(Arithmetic arithmetic) {
  const std::string target = detail::hwy_choose_target();
  const bool portable = arithmetic == Arithmetic::portable;
  return KernelSet{
      "hwy:" + target + (portable ? ":portable" : ""),
      portable,
      detail::hwy_render_oscillator_lanes(arithmetic),
      detail::hwy_apply_biquad_lanes(arithmetic),
      detail::hwy_pan_mix(arithmetic),
      detail::hwy_pan_mix_lanes(arithmetic),
      detail::hwy_accumulate(),
      detail::hwy_to_pcm16(),
      detail::hwy_to_pcm24(),
  };
}

const KernelSet* hwy_kernels(Arithmetic arithmetic) {
  static const KernelSet fused = make_hwy_kernels(Arithmetic::fastest);
  static const KernelSet portable = make_hwy_kernels(Arithmetic::portable);
  return arithmetic == Arithmetic::portable ? &portable : &fused;
}

#if TUTTI_WITH_XSIMD
KernelSet make_xsimd_kernels(const detail::XsimdKernels& table, Arithmetic arithmetic) {
  const bool portable = arithmetic == Arithmetic::portable;
  return KernelSet{
      std::string("xsimd:") + table.arch + (portable ? ":portable" : ""),
      portable,
      portable ? table.oscillator_portable : table.oscillator_fused,
      portable ? table.biquad_portable : table.biquad_fused,
      portable ? table.pan_mix_portable : table.pan_mix_fused,
      portable ? table.pan_mix_lanes_portable : table.pan_mix_lanes_fused,
      table.accumulate,
      table.to_pcm16,
      table.to_pcm24,
  };
}

const KernelSet* xsimd_kernels(Arithmetic arithmetic) {
  const detail::XsimdKernels* chosen = detail::xsimd_chosen_kernels();
  if (chosen == nullptr) return nullptr;
  static const KernelSet fused = make_xsimd_kernels(*chosen, Arithmetic::fastest);
  static const KernelSet portable = make_xsimd_kernels(*chosen, Arithmetic::portable);
  return arithmetic == Arithmetic::portable ? &portable : &fused;
}
#else
// xsimd is compiled for x86-64 only (see kernels/CMakeLists.txt).
const KernelSet* xsimd_kernels(Arithmetic) { return nullptr; }
#endif

}  // namespace

const KernelSet* kernel_set(Backend backend, Arithmetic arithmetic) {
  switch (backend) {
    case Backend::scalar:
      return &kScalarKernels;
    case Backend::automatic:
    case Backend::hwy:
      return hwy_kernels(arithmetic);
    case Backend::xsimd:
      return xsimd_kernels(arithmetic);
  }
  return nullptr;
}

bool parse_backend(std::string_view name, Backend& backend) {
  if (name == "auto") backend = Backend::automatic;
  else if (name == "scalar") backend = Backend::scalar;
  else if (name == "hwy") backend = Backend::hwy;
  else if (name == "xsimd") backend = Backend::xsimd;
  else return false;
  return true;
}

std::vector<std::string> compiled_backends() {
  std::vector<std::string> names{"scalar"};
  for (const detail::HwyTarget& target : detail::hwy_compiled_targets()) {
    names.push_back("hwy:" + target.name + (target.supported ? "" : " (not on this CPU)"));
  }
#if TUTTI_WITH_XSIMD
  for (const detail::XsimdArch& arch : detail::xsimd_compiled_archs()) {
    names.push_back(std::string("xsimd:") + arch.name + (arch.kernels != nullptr ? "" : " (not on this CPU)"));
  }
#endif
  return names;
}

}  // namespace tutti::kernels
