#include "graph/file_render.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <system_error>
#include <vector>

#include "datasets/sha256.h"
#include "engine/midi/smf_reader.h"
#include "engine/midi/song_summary.h"
#include "engine/render/window_peak.h"
#include "graph/cancellation.h"

namespace tutti::graph {

namespace {

using Clock = std::chrono::steady_clock;

// Below -100 dBFS a render is silence for every purpose (a third of a 16-bit step); exact zero
// is too strict a test, because SF2 attenuation stops at 144 dB, so a song whose volume
// controller is 0 still leaves a residue of about 1e-6.
constexpr double kSilencePeak = 1e-5;

Expected<std::vector<std::uint8_t>> read_input(const std::string& path, std::uint64_t max_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return Unexpected{Error{path, "", -1, "cannot read: " + error.message()}};
  if (size > max_bytes) {
    return Unexpected{Error{path, "", -1, "file is " + std::to_string(size) + " bytes, over the limit of " +
                                              std::to_string(max_bytes)}};
  }
  std::ifstream file(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(size);
  if (!file || !file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    return Unexpected{Error{path, "", -1, "cannot read"}};
  }
  return bytes;
}

void describe_song(const engine::midi::Song& song, datasets::ManifestRecord& record) {
  const engine::midi::SongSummary summary = engine::midi::summarize(song);
  record.notes = summary.note_count;
  std::set<int> programs;
  for (const engine::midi::ChannelUse& channel : summary.channels) {
    if (channel.note_count == 0) continue;
    if (channel.percussion) {
      record.percussion = true;
      continue;
    }
    if (channel.programs.empty()) programs.insert(0);
    for (const engine::midi::ProgramSelection& selection : channel.programs) programs.insert(selection.program);
  }
  record.programs.assign(programs.begin(), programs.end());
}

// The windows of one song. Voice groups of a window render in parallel; their buses are summed
// in group order by WindowRenderer::finish, so the bits do not depend on the thread count.
class WindowPipeline {
 public:
  WindowPipeline(const FileRenderSettings& settings, const engine::midi::Song& song)
      : settings_(settings),
        scorer_(*settings.bank, song, settings.render),
        renderer_(*settings.kernels, static_cast<std::uint32_t>(settings.render.synth.polyphony)) {}

  Expected<void> run(const std::string& path, ClipTarget& clip, datasets::ManifestRecord& record) {
    engine::synth::WindowScore current, next;
    bool have_current = scorer_.next_window(current);
    double peak = 0.0;
    while (have_current) {
      if (cancellation_requested()) return Unexpected{Error{path, "", -1, "cancelled"}};
      if (current.block_count == 0) {
        have_current = scorer_.next_window(current);
        continue;
      }
      bool have_next = false;
      render_window(current, next, have_next);
      if (!engine::render::raise_to_window_peak(audio_, peak)) {
        return Unexpected{engine::render::non_finite_render(
            path, static_cast<double>(current.first_frame) / settings_.render.synth.sample_rate)};
      }
      auto written = clip.write(audio_.left.data(), audio_.right.data(), audio_.frames());
      if (!written) return written;
      record.frames += static_cast<std::int64_t>(audio_.frames());
      std::swap(current, next);
      have_current = have_next;
    }
    const auto& statistics = scorer_.statistics();
    record.peak_voices = statistics.peak_voices;
    if (statistics.notes_started > 0 && peak < kSilencePeak) {
      const long peak_dbfs = peak > 0 ? std::lround(20.0 * std::log10(peak)) : -999;
      return Unexpected{Error{path, "", -1, "render is silent (peak " + std::to_string(peak_dbfs) +
                                                " dBFS) although the song plays " +
                                                std::to_string(statistics.notes_started) + " notes"}};
    }
    return {};
  }

 private:
  void render_window(const engine::synth::WindowScore& score, engine::synth::WindowScore& next, bool& have_next) {
    renderer_.prepare(score);
    const std::size_t groups = engine::render::WindowRenderer::group_count(score);
    if (buses_.size() < groups) buses_.resize(groups);
    // Isolated, so a thread waiting here does not pick up another file's render and hold this
    // window (and its memory) hostage until that one ends.
    tbb::this_task_arena::isolate([&] {
      tbb::task_group scoring;
      scoring.run([&] { have_next = scorer_.next_window(next); });
      tbb::parallel_for(std::size_t{0}, groups, [&](std::size_t g) { renderer_.render_group(score, g, buses_[g]); });
      scoring.wait();
    });
    renderer_.finish(score, std::span<engine::render::StereoBus>(buses_.data(), groups), audio_);
  }

  const FileRenderSettings& settings_;
  engine::render::SongScorer scorer_;
  engine::render::WindowRenderer renderer_;
  std::vector<engine::render::StereoBus> buses_;
  engine::render::StereoBus audio_;
};

Expected<void> render_into(const FileRenderSettings& settings, const datasets::InputFile& input,
                           OutputStage& stage, FileResult& result) {
  datasets::ManifestRecord& record = result.record;
  const engine::midi::SmfLimits limits;
  auto bytes = read_input(input.path, limits.max_file_bytes);
  if (!bytes) return Unexpected{bytes.error()};
  record.sha256 = datasets::sha256_hex(*bytes);
  auto song = engine::midi::parse_smf(*bytes, input.path, limits);
  if (!song) return Unexpected{song.error()};
  describe_song(*song, record);

  auto clip = stage.open(result.input_index, record);
  if (!clip) return Unexpected{clip.error()};
  WindowPipeline pipeline(settings, *song);
  auto rendered = pipeline.run(input.path, **clip, record);
  if (!rendered) return rendered;  // the clip is dropped: its temporary output goes with it
  record.duration_seconds = static_cast<double>(record.frames) / settings.render.synth.sample_rate;
  auto completed = stage.complete(**clip, record);
  if (!completed) return completed;
  result.clip = std::move(*clip);
  return {};
}

}  // namespace

void render_file(const FileRenderSettings& settings, const datasets::InputFile& input, OutputStage& stage,
                 FileResult& result) {
  const auto started = Clock::now();
  result.record.source = input.relative;
  result.record.path = input.path;
  Expected<void> rendered = Unexpected{Error{input.path, "", -1, "internal error"}};
  try {
    rendered = render_into(settings, input, stage, result);
  } catch (const std::bad_alloc&) {
    rendered = Unexpected{Error{input.path, "", -1, "out of memory"}};
  } catch (const std::exception& e) {
    rendered = Unexpected{Error{input.path, "", -1, std::string("internal error: ") + e.what()}};
  }
  result.record.render_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (rendered) {
    result.record.ok = true;
    return;
  }
  result.clip.reset();
  result.record.ok = false;
  // The user reads errors line by line from a batch of thousands: each names its input, even
  // when the problem was found in the output (a full disk) or in the bank.
  const Error& error = rendered.error();
  result.record.error = error.file == input.path ? error.message() : input.path + ": " + error.message();
  result.cancelled = cancellation_requested();
}

}  // namespace tutti::graph
