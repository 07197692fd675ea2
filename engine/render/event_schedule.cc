#include "engine/render/event_schedule.h"

#include <algorithm>
#include <cmath>

#include "kernels/voice_block.h"

namespace tutti::engine::render {

namespace {

float milliseconds_per_tick(std::uint32_t microseconds_per_quarter, int ticks_per_quarter) {
  return static_cast<float>(microseconds_per_quarter) / static_cast<float>(ticks_per_quarter) /
         1000.0f;
}

// The tick at which the song's last track ends, from its duration and the tempo map.
std::int64_t end_tick_of(const midi::Song& song) {
  std::int64_t last_event = song.events.empty() ? 0 : song.events.back().tick;
  if (song.tempo_map.empty() || song.ticks_per_quarter <= 0) return last_event;
  const midi::TempoChange* tempo = &song.tempo_map.front();
  for (const midi::TempoChange& change : song.tempo_map) {
    if (change.seconds <= song.duration_seconds) tempo = &change;
  }
  const double ticks = static_cast<double>(tempo->tick) +
                       (song.duration_seconds - tempo->seconds) * 1e6 /
                           tempo->microseconds_per_quarter * song.ticks_per_quarter;
  return std::max(last_event, static_cast<std::int64_t>(std::llround(ticks)));
}

}  // namespace

EventSchedule::EventSchedule(const midi::Song& song, double sample_rate)
    : song_(song), sample_rate_(sample_rate), smpte_(song.ticks_per_quarter <= 0 || song.tempo_map.empty()) {
  end_tick_ = end_tick_of(song);
  end_seconds_ = song.duration_seconds;
  if (!smpte_) {
    milliseconds_per_tick_ = milliseconds_per_tick(500000, song.ticks_per_quarter);
  }
}

std::int64_t EventSchedule::ticks_at(std::int64_t milliseconds) const {
  return anchor_ticks_ + static_cast<std::int64_t>(
                             static_cast<double>(milliseconds - anchor_milliseconds_) /
                                 static_cast<double>(milliseconds_per_tick_) + 0.5);
}

void EventSchedule::dispatch(std::int64_t block, std::vector<const midi::Event*>& out) {
  out.clear();
  if (finished_) return;
  // The player sees the block's start in whole milliseconds.
  const auto milliseconds = static_cast<std::int64_t>(
      (1000.0 * static_cast<double>(block * kernels::kBlockFrames)) / sample_rate_);
  const auto& events = song_.events;
  if (smpte_) {
    // No tempo: event times are absolute; an event is due once the block reaches it.
    const double now = static_cast<double>(milliseconds) / 1000.0;
    while (next_event_ < events.size() && events[next_event_].seconds <= now) {
      out.push_back(&events[next_event_++]);
    }
    finished_ = next_event_ == events.size() && now >= end_seconds_;
  } else {
    const std::int64_t now_ticks = ticks_at(milliseconds);
    while (next_event_ < events.size() && events[next_event_].tick <= now_ticks) {
      out.push_back(&events[next_event_++]);
    }
    // A tempo change re-anchors the clock at this block's time and rounded tick.
    const auto& tempo_map = song_.tempo_map;
    bool tempo_changed = false;
    while (next_tempo_ < tempo_map.size() && tempo_map[next_tempo_].tick <= now_ticks) {
      milliseconds_per_tick_ = milliseconds_per_tick(tempo_map[next_tempo_].microseconds_per_quarter,
                                                     song_.ticks_per_quarter);
      ++next_tempo_;
      tempo_changed = true;
    }
    if (tempo_changed) {
      anchor_milliseconds_ = milliseconds;
      anchor_ticks_ = now_ticks;
    }
    finished_ = next_event_ == events.size() && now_ticks >= end_tick_;
  }
  // The player walks the tracks one after another: within a block, track order comes first.
  if (out.size() > 1) {
    std::stable_sort(out.begin(), out.end(), [](const midi::Event* a, const midi::Event* b) {
      return a->track < b->track;
    });
  }
}

}  // namespace tutti::engine::render
