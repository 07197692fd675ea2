#include "tools/heap_policy.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems, tested below

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tutti::tools {

void keep_heap_compact() {
#if defined(__GLIBC__)
  // glibc's own defaults; setting them explicitly is what stops the dynamic adjustment.
  constexpr int kTrimThresholdBytes = 128 * 1024;
  constexpr int kMmapThresholdBytes = 128 * 1024;
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
#endif
}

}  // namespace tutti::tools
