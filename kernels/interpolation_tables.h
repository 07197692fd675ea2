#pragma once
// Interpolation coefficients by the top 8 bits of the phase fraction: 256 rows, as FluidSynth
// uses, so the same fractional positions give the same weights. Cubic is the 4-point, 3rd-order
// Catmull-Rom-like polynomial (weights for points i-1, i, i+1, i+2).
#include "kernels/voice_block.h"

namespace tutti::kernels {

inline constexpr int kInterpolationRows = 256;

struct InterpolationTables {
  float cubic[kInterpolationRows][4];
  float linear[kInterpolationRows][2];
};

const InterpolationTables& interpolation_tables();

inline int interpolation_row(Phase phase) {
  return static_cast<int>((phase >> 24) & 0xff);
}
inline const float* cubic_coefficients(Phase phase) {
  return interpolation_tables().cubic[interpolation_row(phase)];
}
inline const float* linear_coefficients(Phase phase) {
  return interpolation_tables().linear[interpolation_row(phase)];
}

}  // namespace tutti::kernels
