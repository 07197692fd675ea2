#include "graph/cancellation.h"

#include <atomic>
#include <csignal>

namespace tutti::graph {

namespace {

// Lock-free atomics are async-signal-safe.
std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int signal_number) {
  g_signal.store(signal_number);
  g_requested.store(true);
  std::signal(signal_number, SIG_DFL);
}

}  // namespace

void install_cancellation_handlers() {
  static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

bool cancellation_requested() { return g_requested.load(std::memory_order_relaxed); }
int cancellation_signal() { return g_signal.load(); }
void request_cancellation() { g_requested.store(true); }
void reset_cancellation() {
  g_requested.store(false);
  g_signal.store(0);
}

}  // namespace tutti::graph
