// Which Highway targets are compiled in and which one runs here.
#include <cstdint>

#include "hwy/highway.h"
#include "hwy/targets.h"
#include "kernels/hwy_backend.h"

namespace tutti::kernels::detail {

namespace {

// HWY_TARGETS as the kernels' translation units see it (same flags, same value): lower bits
// are better targets.
std::int64_t lowest_bit(std::int64_t targets) { return targets & -targets; }

}  // namespace

std::string hwy_choose_target() {
  // The dispatch tables' first entries are trampolines that choose on first call; choosing now
  // makes HWY_DYNAMIC_DISPATCH yield each target's own function.
  hwy::GetChosenTarget().Update(hwy::SupportedTargets());
  return hwy::TargetName(lowest_bit(hwy::SupportedTargets() & HWY_TARGETS));
}

std::vector<HwyTarget> hwy_compiled_targets() {
  std::vector<HwyTarget> targets;
  const std::int64_t supported = hwy::SupportedTargets();
  for (std::int64_t remaining = HWY_TARGETS; remaining != 0;) {
    const std::int64_t target = lowest_bit(remaining);
    remaining &= ~target;
    targets.push_back({hwy::TargetName(target), (supported & target) != 0});
  }
  return targets;
}

}  // namespace tutti::kernels::detail
