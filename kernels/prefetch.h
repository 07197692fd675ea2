#pragma once
// A hint to bring the cache line holding an address into the nearest cache, for data a later
// step will read. It never faults, so the address may lie anywhere inside an allocation.
//
// Inline assembly rather than __builtin_prefetch: GCC counts that builtin as free of side
// effects, so a function whose only effect is a prefetch is found pure, and a call to it whose
// result is unused is deleted. That once silently removed every sample prefetch of the window
// renderer (the function that walked the lanes to prefetch compiled to a bare return). A volatile
// asm statement is never deleted.
namespace tutti::kernels {

// Forced inline: callers' checks (tests/engine/render/check-prefetch-compiled.sh) look for the
// instruction in their own code, which an unoptimized build would otherwise leave as a call.
[[gnu::always_inline]] inline void prefetch_line(const void* address) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#elif defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(address);
#else
  (void)address;
#endif
}

}  // namespace tutti::kernels
