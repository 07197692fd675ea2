#pragma once
// Overflow-checked arithmetic on non-negative int64 values. Tick positions and exact time
// numerators come from untrusted deltas and tempos; these let the parser refuse a file instead
// of wrapping around (signed overflow is undefined behaviour). Portable: no compiler builtins.
#include <cstdint>
#include <limits>

namespace tutti::engine::midi::detail {

// Both operands must be >= 0. Returns false, leaving `out` untouched, when the result would
// not fit in int64.
inline bool checked_add(std::int64_t a, std::int64_t b, std::int64_t& out) {
  if (a > std::numeric_limits<std::int64_t>::max() - b) return false;
  out = a + b;
  return true;
}

inline bool checked_mul(std::int64_t a, std::int64_t b, std::int64_t& out) {
  if (a != 0 && b > std::numeric_limits<std::int64_t>::max() / a) return false;
  out = a * b;
  return true;
}

}  // namespace tutti::engine::midi::detail
