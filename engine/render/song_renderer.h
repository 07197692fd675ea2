#pragma once
// The per-file render loop: drives the synthesizer from the song's events, in runs of blocks
// between them, scores a window of blocks, turns each window into audio with the kernels and
// hands it to a sink. Memory is bounded by one window, whatever the song's length.
#include <cstdint>
#include <functional>
#include <vector>

#include "engine/common/expected.h"
#include "engine/midi/song.h"
#include "engine/render/event_schedule.h"
#include "engine/render/window_renderer.h"
#include "engine/synth/prepared_bank.h"
#include "engine/synth/synthesizer.h"
#include "kernels/kernel_set.h"

namespace tutti::engine::render {

struct RenderOptions {
  synth::SynthSettings synth;
  // 4096 frames, 93 ms at 44.1 kHz. A window's score (about 60 voices x 64 blocks x 128 bytes)
  // then stays in the core's cache between scoring and rendering; 256-block windows, which
  // spill it, took 16% more CPU time on the OpenTTD files.
  std::uint32_t window_blocks = 64;
  // After the song's end every note is released; voices still sounding this long after it
  // (which only a broken bank could cause) are cut and reported.
  double max_tail_seconds = 120.0;
};

struct RenderResult {
  std::int64_t frames = 0;
  double seconds = 0.0;
  synth::SynthStatistics statistics;
  bool tail_cut = false;
  double peak = 0.0;  // largest absolute sample value
};

// Drives the synthesizer from the song's events (FluidSynth's player, block by block) and hands
// out one scored window at a time. The song's audio is then a matter of rendering the windows
// in order with one WindowRenderer; keeping scoring separate lets a caller score the next window
// while the voice groups of this one render on other threads.
class SongScorer {
 public:
  // `bank` and `song` must outlive the scorer.
  SongScorer(const synth::PreparedBank& bank, const midi::Song& song, const RenderOptions& options);

  // Scores the next window into `score` (cleared first). False once the song and its tail have
  // ended and no blocks are left; `score` is then empty.
  bool next_window(synth::WindowScore& score);

  bool tail_cut() const { return tail_cut_; }
  const synth::SynthStatistics& statistics() const { return synthesizer_.statistics(); }

 private:
  const midi::Song& song_;
  RenderOptions options_;
  synth::Synthesizer synthesizer_;
  EventSchedule schedule_;
  std::vector<const midi::Event*> due_;
  std::int64_t tail_limit_blocks_ = 0;
  std::int64_t block_ = 0;
  std::int64_t end_block_ = -1;  // the block in which the song's end reached the synthesizer
  bool tail_cut_ = false;
  bool finished_ = false;
};

// Receives planar stereo audio, window by window, in order.
using AudioSink = std::function<Expected<void>(const float* left, const float* right, std::size_t frames)>;

class SongRenderer {
 public:
  SongRenderer(const synth::PreparedBank& bank, const RenderOptions& options,
               const kernels::KernelSet& kernels);

  Expected<RenderResult> render(const midi::Song& song, const AudioSink& sink);

 private:
  const synth::PreparedBank& bank_;
  RenderOptions options_;
  const kernels::KernelSet& kernels_;
};

}  // namespace tutti::engine::render
