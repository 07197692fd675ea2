#pragma once
// The low-pass designs a render has made, remembered by their inputs. A song plays few distinct
// cutoffs: a modulation envelope sweeps every note of an instrument through the same whole
// cents, so one OpenTTD file designs up to 300 thousand filters from fewer than a thousand
// distinct inputs, each design a sine, a cosine and two divisions. A remembered design is the
// one computed from the same inputs, bit for bit, so the cache changes no output, whichever
// entries it keeps. One cache per synthesizer: it is never shared between threads.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace tutti::engine::synth {

// The normalised biquad coefficients, in double precision (b0 == b2).
struct LowpassCoefficients {
  double b02 = 0.0, b1 = 0.0, a1 = 0.0, a2 = 0.0;
};

// 2^kSlotBits slots of 64 bytes; FilterDesignCache below is the render's.
template <int kSlotBits>
class FilterDesignCacheOf {
 public:
  // The design for a cutoff and rate in Hz and a linear Q: the remembered one, or `design()`'s,
  // which is then remembered in place of whatever shared its slot.
  template <class Design>
  LowpassCoefficients get(double cutoff_hz, double rate, double q_linear, Design&& design) {
    const Key key{std::bit_cast<std::uint64_t>(cutoff_hz), std::bit_cast<std::uint64_t>(rate),
                  std::bit_cast<std::uint64_t>(q_linear)};
    Entry& entry = entries_[slot(key)];
    if (!(entry.filled && entry.key == key)) entry = Entry{key, design(), true};
    return entry.coefficients;
  }

 private:
  // Inputs compared as bits: a NaN or a signed zero never stands in for another value.
  struct Key {
    std::uint64_t cutoff_hz = 0, rate = 0, q_linear = 0;
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    LowpassCoefficients coefficients;
    bool filled = false;
  };
  static_assert(sizeof(Entry) == 64, "one cache line per slot");
  static std::size_t slot(const Key& key) {
    if constexpr (kSlotBits == 0) {
      return 0;
    } else {
      const std::uint64_t mixed = (key.cutoff_hz ^ (key.q_linear * 0x9E3779B97F4A7C15ull) ^ key.rate) *
                                  0xD6E8FEB86659FD93ull;
      return static_cast<std::size_t>(mixed >> (64 - kSlotBits));
    }
  }
  std::array<Entry, std::size_t{1} << kSlotBits> entries_{};
};

// 1024 slots: more than the distinct inputs of most songs, 64 KiB, within the L2 cache.
using FilterDesignCache = FilterDesignCacheOf<10>;

}  // namespace tutti::engine::synth
