#include "kernels/interpolation_tables.h"

namespace tutti::kernels {

namespace {

InterpolationTables make_tables() {
  InterpolationTables tables{};
  for (int row = 0; row < kInterpolationRows; ++row) {
    // Computed in double and rounded once, so every backend reads identical weights.
    const double x = static_cast<double>(row) / kInterpolationRows;
    tables.cubic[row][0] = static_cast<float>(x * (-0.5 + x * (1.0 - 0.5 * x)));
    tables.cubic[row][1] = static_cast<float>(1.0 + x * x * (1.5 * x - 2.5));
    tables.cubic[row][2] = static_cast<float>(x * (0.5 + x * (2.0 - 1.5 * x)));
    tables.cubic[row][3] = static_cast<float>(0.5 * x * x * (x - 1.0));
    tables.linear[row][0] = static_cast<float>(1.0 - x);
    tables.linear[row][1] = static_cast<float>(x);
  }
  return tables;
}

}  // namespace

const InterpolationTables& interpolation_tables() {
  static const InterpolationTables tables = make_tables();
  return tables;
}

}  // namespace tutti::kernels
