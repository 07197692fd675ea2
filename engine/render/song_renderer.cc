#include "engine/render/song_renderer.h"

#include <cmath>
#include <vector>

#include "engine/render/event_schedule.h"

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

SongRenderer::SongRenderer(const synth::PreparedBank& bank, const RenderOptions& options,
                           const kernels::KernelSet& kernels)
    : bank_(bank), options_(options), kernels_(kernels) {}

Expected<RenderResult> SongRenderer::render(const midi::Song& song, const AudioSink& sink) {
  synth::Synthesizer synthesizer(bank_, options_.synth);
  EventSchedule schedule(song, options_.synth.sample_rate);
  WindowRenderer renderer(kernels_, static_cast<std::uint32_t>(options_.synth.polyphony));
  synth::WindowScore score;
  StereoBus audio;
  RenderResult result;

  const double blocks_per_second = options_.synth.sample_rate / kernels::kBlockFrames;
  const auto tail_limit = static_cast<std::int64_t>(options_.max_tail_seconds * blocks_per_second);
  std::vector<const midi::Event*> due;
  std::int64_t block = 0;
  std::int64_t end_block = -1;  // the block in which the song's end reached the synthesizer

  auto flush = [&]() -> Expected<void> {
    synthesizer.finish_window(score);
    if (score.block_count == 0) return {};
    renderer.render(score, audio);
    for (std::size_t i = 0; i < audio.frames(); ++i) {
      result.peak = std::max({result.peak, static_cast<double>(std::fabs(audio.left[i])),
                              static_cast<double>(std::fabs(audio.right[i]))});
    }
    result.frames += static_cast<std::int64_t>(audio.frames());
    return sink(audio.left.data(), audio.right.data(), audio.frames());
  };

  synthesizer.begin_window(0);
  for (;;) {
    // What the player dispatched while the previous block was prepared reaches the voices now:
    // FluidSynth's one-block latency.
    for (const midi::Event* event : due) apply(synthesizer, song, *event);
    if (end_block < 0 && schedule.finished() && due.empty()) {
      synthesizer.release_pedals();
      synthesizer.release_all_notes();
      end_block = block;
    }
    if (end_block >= 0) {
      if (synthesizer.active_voices() == 0) break;
      if (block - end_block > tail_limit) {
        result.tail_cut = true;
        break;
      }
    }
    synthesizer.step_block();
    schedule.dispatch(block, due);
    ++block;
    if (static_cast<std::uint32_t>(block % options_.window_blocks) == 0) {
      auto written = flush();
      if (!written) return Unexpected{written.error()};
      synthesizer.begin_window(block * kernels::kBlockFrames);
    }
  }
  auto written = flush();
  if (!written) return Unexpected{written.error()};
  result.seconds = static_cast<double>(result.frames) / options_.synth.sample_rate;
  result.statistics = synthesizer.statistics();
  return result;
}

}  // namespace tutti::engine::render
