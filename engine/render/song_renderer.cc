#include "engine/render/song_renderer.h"

#include <algorithm>

#include "engine/render/window_peak.h"

namespace tutti::engine::render {

namespace {

void apply(synth::Synthesizer& synthesizer, const midi::Song& song, const midi::Event& event) {
  switch (event.type) {
    case midi::EventType::NoteOn:
      synthesizer.note_on(event.channel, event.data1, event.data2);
      break;
    case midi::EventType::NoteOff:
      synthesizer.note_off(event.channel, event.data1);
      break;
    case midi::EventType::ControlChange:
      synthesizer.control_change(event.channel, event.data1, event.data2);
      break;
    case midi::EventType::ProgramChange:
      synthesizer.program_change(event.channel, event.data1);
      break;
    case midi::EventType::PitchBend:
      synthesizer.pitch_bend(event.channel, event.bend);
      break;
    case midi::EventType::ChannelPressure:
      synthesizer.channel_pressure(event.channel, event.data1);
      break;
    case midi::EventType::PolyPressure:
      synthesizer.key_pressure(event.channel, event.data1, event.data2);
      break;
    case midi::EventType::SysEx:
      if (event.sysex_index < song.sysex.size()) synthesizer.system_exclusive(song.sysex[event.sysex_index]);
      break;
  }
}

}  // namespace

SongScorer::SongScorer(const synth::PreparedBank& bank, const midi::Song& song,
                       const RenderOptions& options)
    : song_(song),
      options_(options),
      synthesizer_(bank, options.synth),
      schedule_(song, options.synth.sample_rate) {
  const double blocks_per_second = options_.synth.sample_rate / kernels::kBlockFrames;
  tail_limit_blocks_ = static_cast<std::int64_t>(options_.max_tail_seconds * blocks_per_second);
  synthesizer_.begin_window(0);
}

bool SongScorer::next_window(synth::WindowScore& score) {
  score.clear();
  if (finished_) return false;
  synthesizer_.reuse_lists_of(score);
  for (;;) {
    // What the player dispatched while the previous block was prepared reaches the voices now:
    // FluidSynth's one-block latency.
    for (const midi::Event* event : due_) apply(synthesizer_, song_, *event);
    if (end_block_ < 0 && schedule_.finished() && due_.empty()) {
      synthesizer_.release_pedals();
      synthesizer_.release_all_notes();
      end_block_ = block_;
    }
    if (end_block_ >= 0) {
      if (synthesizer_.active_voices() == 0) break;
      if (block_ - end_block_ > tail_limit_blocks_) {
        tail_cut_ = true;
        break;
      }
    }
    // A run of blocks up to the first whose dispatch has events (they reach the voices after
    // it), ends the song, or ends the window, or the tail's limit: no event falls between its
    // blocks, so the synthesizer steps them voice after voice. The player's clock does not
    // depend on the voices, so the run's dispatches come first.
    const std::int64_t window_end = (block_ / options_.window_blocks + 1) * options_.window_blocks;
    const std::int64_t run_end =
        end_block_ >= 0 ? std::min(window_end, end_block_ + tail_limit_blocks_ + 1) : window_end;
    std::int64_t last = block_;
    schedule_.dispatch(last, due_);
    while (last + 1 < run_end && due_.empty() && (end_block_ >= 0 || !schedule_.finished())) {
      schedule_.dispatch(++last, due_);
    }
    block_ += synthesizer_.step_blocks(static_cast<std::uint32_t>(last - block_ + 1), end_block_ >= 0);
    if (static_cast<std::uint32_t>(block_ % options_.window_blocks) == 0) {
      synthesizer_.finish_window(score);
      synthesizer_.begin_window(block_ * kernels::kBlockFrames);
      // `due_` is kept: it reaches the voices at the start of the next call, as it would have
      // in one uninterrupted loop.
      return true;
    }
  }
  // The song and its tail have ended: the last, partial window.
  finished_ = true;
  synthesizer_.finish_window(score);
  return score.block_count > 0;
}

SongRenderer::SongRenderer(const synth::PreparedBank& bank, const RenderOptions& options,
                           const kernels::KernelSet& kernels)
    : bank_(bank), options_(options), kernels_(kernels) {}

Expected<RenderResult> SongRenderer::render(const midi::Song& song, const AudioSink& sink) {
  SongScorer scorer(bank_, song, options_);
  WindowRenderer renderer(kernels_, static_cast<std::uint32_t>(options_.synth.polyphony));
  synth::WindowScore score;
  StereoBus audio;
  RenderResult result;
  while (scorer.next_window(score)) {
    if (score.block_count == 0) continue;
    renderer.render(score, audio);
    if (!raise_to_window_peak(audio, result.peak)) {
      return Unexpected{non_finite_render("", static_cast<double>(score.first_frame) / options_.synth.sample_rate)};
    }
    result.frames += static_cast<std::int64_t>(audio.frames());
    auto written = sink(audio.left.data(), audio.right.data(), audio.frames());
    if (!written) return Unexpected{written.error()};
  }
  result.seconds = static_cast<double>(result.frames) / options_.synth.sample_rate;
  result.tail_cut = scorer.tail_cut();
  result.statistics = scorer.statistics();
  return result;
}

}  // namespace tutti::engine::render
