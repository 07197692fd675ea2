#pragma once
// Ticks to seconds, exactly. SMF time is piecewise linear in ticks, so the time of a tick is
// kept as an exact integer numerator over a fixed denominator and converted to double once:
//   metrical (PPQ):  numerator = sum over tempo segments of ticks x microseconds-per-quarter,
//                    denominator = PPQ x 10^6;
//   SMPTE:           numerator = ticks (x 1001 at 29.97 fps), denominator = fps x ticks-per-frame
//                    (30000 x ticks-per-frame at 29.97 fps).
// No rounding accumulates from event to event or from tempo change to tempo change: an event's
// seconds are the correctly rounded quotient of two exact integers (while the numerator stays
// below 2^53, about 2.6 h at PPQ 960; beyond that one extra rounding).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/midi/song.h"

namespace tutti::engine::midi::detail {

inline constexpr std::uint32_t kDefaultMicrosecondsPerQuarter = 500000;  // 120 bpm, SMF 1.0

class TimeMap {
 public:
  static TimeMap metrical(int ticks_per_quarter);
  // `frames_per_second` is the header's value: 24, 25, 29 (29.97 drop-frame) or 30.
  static TimeMap smpte(int frames_per_second, int ticks_per_frame);

  bool is_metrical() const { return metrical_; }

  // Tempo changes must arrive in tick order; a change at the same tick as the previous one
  // replaces it (the later event wins, as a player delivering them in order would end up).
  // Ignored for SMPTE time. Returns false if the time numerator would overflow int64.
  bool add_tempo(std::int64_t tick, std::uint32_t microseconds_per_quarter);

  // Exact time numerator at `tick` (>= 0); nullopt if it does not fit in int64.
  std::optional<std::int64_t> numerator_at(std::int64_t tick) const;
  double to_seconds(std::int64_t numerator) const {
    return static_cast<double>(numerator) / static_cast<double>(denominator_);
  }

  // The tempo map as Song reports it (empty for SMPTE time, where tempo has no effect).
  std::vector<TempoChange> tempo_changes() const;

  // Seconds for non-decreasing ticks in amortised O(1). Only valid for ticks whose numerator
  // was checked with numerator_at() (any tick up to a checked one is safe: numerators only grow).
  class Cursor {
   public:
    explicit Cursor(const TimeMap& map) : map_(map) {}
    double seconds(std::int64_t tick);

   private:
    const TimeMap& map_;
    std::size_t segment_ = 0;
  };

 private:
  struct Segment {
    std::int64_t tick = 0;
    std::int64_t numerator = 0;  // exact time numerator at `tick`
    std::int64_t rate = 0;       // numerator per tick in this segment
  };
  TimeMap(bool metrical, std::int64_t denominator, std::int64_t rate);

  bool metrical_;
  std::int64_t denominator_;
  std::vector<Segment> segments_;  // never empty, first at tick 0, ticks strictly increasing
};

}  // namespace tutti::engine::midi::detail
