#pragma once
// How the C library's allocator returns freed memory, set once at start-up (the one OS-specific
// call behind it: glibc's mallopt; elsewhere it does nothing).

namespace tutti::tools {

// Fixes the allocator's trim and memory-map thresholds (see heap_policy.cc for the values). glibc
// otherwise raises both after each large block it frees, and then keeps freed memory mapped:
// a batch that renders, spools and writes thousands of clips in a row left holes in the heap
// that it neither reused nor returned (one thread, 3,000 six-second clips into one s16 HDF5
// shard: 3.9 GB resident; with fixed thresholds 83 MB).
void keep_heap_compact();

}  // namespace tutti::tools
