#include "kernels/kernel_set.h"

#include "kernels/hwy_backend.h"

namespace tutti::kernels {

namespace {

// The scalar twins never fuse (the project compiles with -ffp-contract=off), so they are
// portable by construction.
const KernelSet kScalarKernels{
    "scalar",          true,
    scalar::render_oscillator_lanes, scalar::apply_biquad_lanes, scalar::pan_mix,
    scalar::accumulate, scalar::to_pcm16, scalar::to_pcm24,
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

}  // namespace

const KernelSet* kernel_set(Backend backend, Arithmetic arithmetic) {
  switch (backend) {
    case Backend::scalar:
      return &kScalarKernels;
    case Backend::automatic:
    case Backend::hwy:
      return hwy_kernels(arithmetic);
    case Backend::xsimd:
      return nullptr;
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
  return names;
}

}  // namespace tutti::kernels
