#include "tools/heap_policy.h"

#include <cstdlib>  // defines __GLIBC__ on glibc systems, tested below

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tutti::tools {

void keep_heap_compact() {
#if defined(__GLIBC__)
  // Blocks from 1 MiB are mappings of their own, unmapped when freed: each file's voice array
  // (1.3 MB) among them, whose freed place in the heap small long-lived allocations of the
  // batch (the shard's metadata) kept pinned, so the next file's array took new memory, file
  // after file (3.9 GB for 3,000 clips in one shard). Smaller blocks come from the heap, whose
  // free top goes back past 8 MiB. glibc's 128 KiB defaults bound memory as well but map and
  // fault in every mid-sized buffer anew (4 times the system time of such a batch).
  constexpr int kMmapThresholdBytes = 1 << 20;
  constexpr int kTrimThresholdBytes = 8 << 20;
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
#endif
}

}  // namespace tutti::tools
