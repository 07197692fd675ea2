#include "kernels/kernel_set.h"

namespace tutti::kernels {

namespace {

const KernelSet kScalarKernels{
    "scalar",          scalar::render_oscillator, scalar::apply_biquad, scalar::pan_mix,
    scalar::accumulate, scalar::to_pcm16,         scalar::to_pcm24,
};

}  // namespace

const KernelSet* kernel_set(Backend backend) {
  switch (backend) {
    case Backend::automatic:
    case Backend::scalar:
      return &kScalarKernels;
    case Backend::hwy:
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

std::vector<std::string> compiled_backends() { return {"scalar"}; }

}  // namespace tutti::kernels
