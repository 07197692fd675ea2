#pragma once
// Decides in which 64-frame block each song event reaches the synthesizer, reproducing how
// FluidSynth's MIDI file player is driven by its sample timer: once per block it converts the
// block's start time to whole milliseconds, the milliseconds to MIDI ticks at the current tempo
// (rounded), and dispatches every event up to that tick, track by track. Matching this keeps
// note onsets on the same frames as a FluidSynth render, which the null test needs.
#include <cstdint>
#include <vector>

#include "engine/midi/song.h"

namespace tutti::engine::render {

class EventSchedule {
 public:
  EventSchedule(const midi::Song& song, double sample_rate);

  // The events dispatched while block `block` is prepared, in dispatch order. Call with
  // block = 0, 1, 2, ... in turn.
  void dispatch(std::int64_t block, std::vector<const midi::Event*>& out);

  // Every event, including each track's end, has been dispatched.
  bool finished() const { return finished_; }

 private:
  std::int64_t ticks_at(std::int64_t milliseconds) const;

  const midi::Song& song_;
  double sample_rate_;
  bool smpte_;
  std::size_t next_event_ = 0;
  std::size_t next_tempo_ = 0;
  std::int64_t end_tick_ = 0;
  double end_seconds_ = 0.0;
  // The player's anchor: the time and tick of the last tempo change, and milliseconds per tick
  // in single precision, as FluidSynth keeps it.
  std::int64_t anchor_milliseconds_ = 0;
  std::int64_t anchor_ticks_ = 0;
  float milliseconds_per_tick_ = 0.0f;
  bool finished_ = false;
};

}  // namespace tutti::engine::render
