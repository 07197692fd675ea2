#include "engine/midi/time_map.h"

#include <algorithm>

#include "engine/midi/checked_int.h"

namespace tutti::engine::midi::detail {

namespace {
constexpr std::int64_t kMicrosecondsPerSecond = 1'000'000;
// SMPTE 29 is NTSC colour timecode: 30 frame labels per second run at 30000/1001 frames/s.
constexpr std::int64_t kNtscNumerator = 1001;
constexpr std::int64_t kNtscFramesPer1001Seconds = 30000;
}  // namespace

TimeMap::TimeMap(bool metrical, std::int64_t denominator, std::int64_t rate)
    : metrical_(metrical), denominator_(denominator) {
  segments_.push_back(Segment{0, 0, rate});
}

TimeMap TimeMap::metrical(int ticks_per_quarter) {
  return TimeMap(true, std::int64_t{ticks_per_quarter} * kMicrosecondsPerSecond,
                 kDefaultMicrosecondsPerQuarter);
}

TimeMap TimeMap::smpte(int frames_per_second, int ticks_per_frame) {
  if (frames_per_second == 29) {
    return TimeMap(false, kNtscFramesPer1001Seconds * ticks_per_frame, kNtscNumerator);
  }
  return TimeMap(false, std::int64_t{frames_per_second} * ticks_per_frame, 1);
}

bool TimeMap::add_tempo(std::int64_t tick, std::uint32_t microseconds_per_quarter) {
  if (!metrical_) return true;
  Segment& last = segments_.back();
  if (tick <= last.tick) {
    last.rate = microseconds_per_quarter;
    return true;
  }
  std::int64_t span = 0;
  std::int64_t numerator = 0;
  if (!checked_mul(tick - last.tick, last.rate, span) ||
      !checked_add(last.numerator, span, numerator)) {
    return false;
  }
  segments_.push_back(Segment{tick, numerator, microseconds_per_quarter});
  return true;
}

std::optional<std::int64_t> TimeMap::numerator_at(std::int64_t tick) const {
  auto after = std::upper_bound(segments_.begin(), segments_.end(), tick,
                                [](std::int64_t t, const Segment& s) { return t < s.tick; });
  const Segment& segment = *(after - 1);  // segments_[0].tick == 0 <= tick
  std::int64_t span = 0;
  std::int64_t numerator = 0;
  if (!checked_mul(tick - segment.tick, segment.rate, span) ||
      !checked_add(segment.numerator, span, numerator)) {
    return std::nullopt;
  }
  return numerator;
}

std::vector<TempoChange> TimeMap::tempo_changes() const {
  std::vector<TempoChange> changes;
  if (!metrical_) return changes;
  changes.reserve(segments_.size());
  for (const Segment& segment : segments_) {
    changes.push_back(TempoChange{segment.tick, to_seconds(segment.numerator),
                                  static_cast<std::uint32_t>(segment.rate)});
  }
  return changes;
}

double TimeMap::Cursor::seconds(std::int64_t tick) {
  const auto& segments = map_.segments_;
  while (segment_ + 1 < segments.size() && segments[segment_ + 1].tick <= tick) ++segment_;
  const Segment& segment = segments[segment_];
  return map_.to_seconds(segment.numerator + (tick - segment.tick) * segment.rate);
}

}  // namespace tutti::engine::midi::detail
