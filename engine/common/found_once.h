#pragma once
// A value found on first use and kept, for data shared by every thread of a render that not
// every render needs (a sample's suffix bounds, a filter Q's gain table). Concurrent first uses
// may each compute it; the first to publish wins and the others drop theirs, so `find` must
// give the same value whoever calls it. Owned; a copy starts without the value and finds it again.
#include <atomic>
#include <memory>

namespace tutti::engine {

template <class T>
class FoundOnce {
 public:
  FoundOnce() = default;
  FoundOnce(const FoundOnce&) {}
  FoundOnce& operator=(const FoundOnce&) {
    delete value_.exchange(nullptr, std::memory_order_acq_rel);
    return *this;
  }
  ~FoundOnce() { delete value_.load(std::memory_order_acquire); }

  // The value, from `find()` (returning a T) the first time.
  template <class Find>
  const T& get(Find&& find) const {
    if (const T* known = value_.load(std::memory_order_acquire)) return *known;
    auto found = std::make_unique<const T>(find());
    const T* expected = nullptr;
    if (value_.compare_exchange_strong(expected, found.get(), std::memory_order_acq_rel)) return *found.release();
    return *expected;
  }

 private:
  mutable std::atomic<const T*> value_{nullptr};
};

}  // namespace tutti::engine
