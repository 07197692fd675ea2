#pragma once
// What the control-rate model decides for one voice and block, and one voice's list of them in
// a window. The list is a growable array like std::vector, except that append() hands out the
// next element without initialising it: Voice::step writes every field of its block, and
// value-initialising the 128 bytes first (what push_back and emplace_back do) doubled the
// stores of scoring's hottest loop, stores that miss the cache.
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

#include "kernels/biquad_lane_setup.h"
#include "kernels/voice_block.h"

namespace tutti::engine::synth {

// What a voice's block repeats of the voice's block before it, so that the renderer, which
// reads a block's first cache line every block, need not read the second one (region and filter)
// to find that nothing there changed. Set by mark_repeats from the list the block is in, never by
// the control-rate model.
struct BlockRepeats {
  bool filter_enabled = false;  // filter.enabled, copied into the first line
  bool filter = false;          // the filter block equals the previous block's, bit for bit
  bool region = false;          // the region equals the previous block's
};

// One voice for one block. frames == 0 means the voice is silent in this block (envelope delay
// or zero gain): nothing is rendered and its oscillator does not move.
//
// Two cache lines, aligned: the first holds what the renderer reads for every block (position,
// gain ramp, pan, interpolation, repeats), the second what it reads only when it changes (region
// and filter). Records are read 16 voices at a time, a block of each, from 16 lists: each line of
// a record is a first touch.
struct alignas(64) VoiceBlockControl {
  kernels::OscillatorBlock oscillator;
  kernels::PanBlock pan;
  // How this block is interpolated: the render's choice, or linear for a coarse voice
  // (Voice::coarse).
  kernels::Interpolation interpolation = kernels::Interpolation::cubic;
  BlockRepeats repeats;
  alignas(64) kernels::PlaybackRegion region;
  kernels::FilterBlock filter;
};
static_assert(offsetof(VoiceBlockControl, region) == 64 && sizeof(VoiceBlockControl) == 128,
              "what the renderer reads every block fills the first cache line");

// Sets `control`'s repeats against `previous`, the same voice's block before it in its list (null
// for the list's first block).
inline void mark_repeats(VoiceBlockControl& control, const VoiceBlockControl* previous) {
  control.repeats.filter_enabled = control.filter.enabled;
  control.repeats.filter = previous != nullptr && kernels::same_filter(previous->filter, control.filter);
  control.repeats.region = previous != nullptr && previous->region == control.region;
}

class ControlList {
 public:
  // Storage from std::allocator holds VoiceBlockControl objects as soon as it is written
  // (an implicit-lifetime type), and copying them bytewise is copying them.
  static_assert(std::is_trivially_copyable_v<VoiceBlockControl> &&
                std::is_trivially_destructible_v<VoiceBlockControl>);

  ControlList() = default;
  ControlList(const ControlList&) = delete;
  ControlList& operator=(const ControlList&) = delete;
  ControlList(ControlList&& other) noexcept { swap(other); }
  ControlList& operator=(ControlList&& other) noexcept {
    ControlList(std::move(other)).swap(*this);
    return *this;
  }
  ~ControlList() { release(); }

  void swap(ControlList& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  // The next element, uninitialised: the caller writes every field before anyone reads it.
  VoiceBlockControl& append() {
    if (size_ == capacity_) grow();
    return data_[size_++];
  }
  // A copy of `control` with its repeats marked against the list's last block.
  void push_back(const VoiceBlockControl& control) {
    VoiceBlockControl& added = append();  // may move the list: the previous block is found after
    added = control;
    mark_repeats(added, size_ > 1 ? &added - 1 : nullptr);
  }
  // The last block, null for an empty list: what the next block's repeats are marked against.
  // (Taken after reserve_more, which may move the list.)
  const VoiceBlockControl* last_or_null() const { return size_ == 0 ? nullptr : data_ + size_ - 1; }

  // Room for `count` more elements, uninitialised, after the last: the caller writes the first
  // n of them (every field of each) and then calls extend(n). No element moves until then.
  VoiceBlockControl* reserve_more(std::size_t count) {
    while (capacity_ - size_ < count) grow();
    return data_ + size_;
  }
  void extend(std::size_t count) { size_ += count; }

  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  VoiceBlockControl* data() { return data_; }
  const VoiceBlockControl* data() const { return data_; }
  VoiceBlockControl& operator[](std::size_t i) { return data_[i]; }
  const VoiceBlockControl& operator[](std::size_t i) const { return data_[i]; }
  VoiceBlockControl& back() { return data_[size_ - 1]; }
  const VoiceBlockControl* begin() const { return data_; }
  const VoiceBlockControl* end() const { return data_ + size_; }

 private:
  void grow() {
    // A window is 64 blocks; lists are recycled window to window, so growth stops early.
    const std::size_t capacity = capacity_ == 0 ? 64 : 2 * capacity_;
    VoiceBlockControl* data = std::allocator<VoiceBlockControl>().allocate(capacity);
    if (size_ != 0) std::memcpy(static_cast<void*>(data), data_, size_ * sizeof(VoiceBlockControl));
    release();
    data_ = data;
    capacity_ = capacity;
  }
  void release() {
    if (data_ != nullptr) std::allocator<VoiceBlockControl>().deallocate(data_, capacity_);
    data_ = nullptr;
  }

  VoiceBlockControl* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace tutti::engine::synth
