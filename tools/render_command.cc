// `tutti render`: MIDI files to audio files or HDF5 shards, through the graph.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "datasets/job_array.h"
#include "datasets/provenance.h"
#include "datasets/sha256.h"
#include "graph/audio_file_stage.h"
#include "graph/batch_render.h"
#include "graph/cancellation.h"
#include "graph/hdf5_shard_stage.h"
#include "tools/bank_loading.h"
#include "tools/commands.h"

namespace tutti::tools {

namespace {

struct RenderArguments {
  std::string bank = kDefaultBank;
  std::string output;
  std::vector<std::string> inputs;
  int sample_rate = 44100;
  std::string sample_format = "f32";
  std::string container = "";
  std::string kernels = "auto";
  bool portable = false;
  std::string interpolation = "cubic";
  int polyphony = 256;
  std::string audibility_floor = "auto";  // dBFS, "off" or "auto"
  std::string coarse_interpolation = "auto";  // "auto" (with a floor and cubic) or "off"
  bool quiet = false;
  int threads = 0;
  int files_in_flight = 0;
  std::optional<int> shard_index;
  std::optional<int> num_shards;
  int shard_size = 0;
  int compression = 0;
  bool resume = false;
};

bool output_names_a_file(const std::string& output) {
  const std::string extension = std::filesystem::path(output).extension().string();
  return extension == ".wav" || extension == ".flac";
}

// The synthesizer's audibility floor as a peak amplitude, from "off" (render every voice to its
// end, as FluidSynth), a level in dBFS below 0, or "auto": for 16-bit output half a step of the
// output (2^-16, -96.3 dBFS: a voice below it could at most tip the rounding of a sample), for
// 24-bit and float output -120 dBFS (20 bits: below any converter's noise and any hearing).
std::optional<double> parse_audibility_floor(const std::string& text, const std::string& sample_format) {
  if (text == "off") return 0.0;
  if (text == "auto") return sample_format == "s16" ? 1.0 / 65536.0 : 1e-6;
  char* end = nullptr;
  const double dbfs = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(dbfs < 0.0) || dbfs < -300.0) return std::nullopt;
  return std::pow(10.0, dbfs / 20.0);
}

// The floor in effect (full scale 1), for the shard's config: "off" or its level in dBFS.
std::string audibility_floor_text(double floor) {
  if (floor <= 0.0) return "off";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f dBFS", 20.0 * std::log10(floor));
  return text;
}

// Whether coarse voices (Voice::coarse) are rendered linearly: with "auto", whenever a floor is
// set and the interpolation is cubic (the only case where the engine makes voices coarse).
bool coarse_interpolation_on(const RenderArguments& args, double floor) {
  return args.coarse_interpolation == "auto" && floor > 0.0 && args.interpolation == "cubic";
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "tutti render: %s\n", message.c_str());
  return kExitUsage;
}

// Everything that shapes the audio, for the HDF5 `config` attribute: a shard says how to
// reproduce it.
std::string config_json(const RenderArguments& args, const engine::synth::SynthSettings& synth,
                        const std::string& container, const kernels::KernelSet& kernels) {
  const nlohmann::json config = {
      {"sample_rate", args.sample_rate},   {"sample_format", args.sample_format},
      {"format", container},               {"interpolation", args.interpolation},
      {"polyphony", args.polyphony},       {"kernels", kernels.name},
      {"portable", kernels.portable},      {"gain", engine::synth::SynthSettings{}.gain},
      {"window_blocks", engine::render::RenderOptions{}.window_blocks},
      {"audibility_floor", audibility_floor_text(synth.audibility_floor)},
      {"coarse_interpolation", synth.coarse_interpolation ? "on" : "off"},
      {"soundfont", args.bank},
  };
  return config.dump();
}

void print_summary(const graph::BatchSummary& summary) {
  const double files_per_second = summary.wall_seconds > 0 ? static_cast<double>(summary.files) / summary.wall_seconds : 0;
  std::printf(
      "files=%zu failed=%zu skipped=%zu audio_hours=%.3f wall_seconds=%.2f files_per_second=%.2f "
      "real_time_factor=%.1f%s\n",
      summary.files, summary.failed, summary.skipped, summary.audio_seconds / 3600.0, summary.wall_seconds,
      files_per_second, summary.real_time_factor(), summary.cancelled ? " cancelled" : "");
  std::fflush(stdout);
}

using StageOrError = Expected<std::unique_ptr<graph::OutputStage>>;

StageOrError hdf5_stage(const RenderArguments& args, const engine::synth::SynthSettings& synth,
                        const std::vector<datasets::InputFile>& inputs, const datasets::JobShard& task,
                        const datasets::AudioFormat& format, const std::string& container,
                        const kernels::KernelSet& kernel_set) {
  graph::Hdf5StageOptions options;
  options.output = args.output;
  options.kernels = &kernel_set;
  options.task = task;
  options.shard_size = static_cast<std::size_t>(args.shard_size);
  options.resume = args.resume;
  auto& attributes = options.attributes;
  attributes.sample_rate = args.sample_rate;
  attributes.sample_format = format.sample;
  attributes.soundfont = std::filesystem::path(args.bank).filename().string();
  auto bank_hash = datasets::sha256_file(args.bank);
  if (!bank_hash) return Unexpected{bank_hash.error()};
  attributes.soundfont_sha256 = *bank_hash;
  attributes.tutti_version = std::string(datasets::tutti_version());
  attributes.kernel_target = kernel_set.name;
  attributes.config_json = config_json(args, synth, container, kernel_set);
  attributes.compression = args.compression;
  auto created = graph::Hdf5ShardStage::create(inputs, options);
  if (!created) return Unexpected{created.error()};
  return std::unique_ptr<graph::OutputStage>(std::move(*created));
}

StageOrError audio_file_stage(const RenderArguments& args, const std::vector<datasets::InputFile>& inputs,
                              const datasets::JobShard& task, const datasets::AudioFormat& format,
                              bool output_is_file, const kernels::KernelSet& kernel_set) {
  graph::AudioFileStageOptions options;
  options.output = args.output;
  options.output_is_file = output_is_file;
  options.format = format;
  options.kernels = &kernel_set;
  options.task = task;
  options.resume = args.resume;
  auto created = graph::AudioFileStage::create(inputs, options);
  if (!created) return Unexpected{created.error()};
  return std::unique_ptr<graph::OutputStage>(std::move(*created));
}

int run_render(const RenderArguments& args) {
  datasets::AudioFormat format;
  if (!datasets::parse_sample_format(args.sample_format, format.sample)) {
    return usage_error("unknown sample format '" + args.sample_format + "' (f32, s16, s24)");
  }
  kernels::Backend backend{};
  if (!kernels::parse_backend(args.kernels, backend)) {
    return usage_error("unknown kernels '" + args.kernels + "' (auto, hwy, xsimd, scalar)");
  }
  const kernels::KernelSet* kernel_set =
      kernels::kernel_set(backend, args.portable ? kernels::Arithmetic::portable : kernels::Arithmetic::fastest);
  if (kernel_set == nullptr) return usage_error("kernels '" + args.kernels + "' are not built into this binary");

  graph::BatchOptions options;
  options.render.kernels = kernel_set;
  auto& synth = options.render.render.synth;
  if (args.interpolation == "none") synth.interpolation = kernels::Interpolation::none;
  else if (args.interpolation == "linear") synth.interpolation = kernels::Interpolation::linear;
  else if (args.interpolation == "cubic") synth.interpolation = kernels::Interpolation::cubic;
  else return usage_error("unknown interpolation '" + args.interpolation + "' (none, linear, cubic)");
  synth.sample_rate = args.sample_rate;
  synth.polyphony = args.polyphony;
  if (auto floor = parse_audibility_floor(args.audibility_floor, args.sample_format)) synth.audibility_floor = *floor;
  else return usage_error("--audibility-floor: '" + args.audibility_floor + "' is not a level in dBFS below 0, 'auto' or 'off'");
  if (args.coarse_interpolation != "auto" && args.coarse_interpolation != "off") {
    return usage_error("--coarse-interpolation: '" + args.coarse_interpolation + "' is not 'auto' or 'off'");
  }
  synth.coarse_interpolation = coarse_interpolation_on(args, synth.audibility_floor);
  format.sample_rate = args.sample_rate;
  options.threads = args.threads;
  options.files_in_flight = static_cast<std::size_t>(args.files_in_flight);

  const bool output_is_file = output_names_a_file(args.output);
  std::string container = args.container;
  if (container.empty()) {
    container = output_is_file && std::filesystem::path(args.output).extension() == ".flac" ? "flac" : "wav";
  }
  const bool hdf5 = container == "hdf5";
  if (!hdf5 && !datasets::parse_container_format(container, format.container)) {
    return usage_error("unknown format '" + container + "' (wav, flac, hdf5)");
  }
  if (format.container == datasets::ContainerFormat::flac && format.sample == datasets::SampleFormat::f32) {
    return usage_error("FLAC cannot store 32-bit float; pass --sample-format s16 or s24");
  }
  if (hdf5 && output_is_file) return usage_error("--format hdf5 writes shards into a folder; -o names a file");
  if (!hdf5 && (args.shard_size > 0 || args.compression > 0)) {
    return usage_error("--shard-size and --compression apply to --format hdf5");
  }
  auto task = datasets::resolve_job_shard(args.shard_index, args.num_shards, datasets::process_environment());
  if (!task) return usage_error(task.error().message());
  if (output_is_file && (task->count > 1 || args.resume)) {
    return usage_error("job arrays and --resume need -o to name a folder");
  }

  auto inputs = datasets::collect_inputs(args.inputs);
  if (!inputs) {
    std::fprintf(stderr, "%s\n", inputs.error().message().c_str());
    return kExitFailed;
  }
  if (inputs->empty()) return usage_error("no MIDI files (*.mid, *.midi, *.kar) found in the inputs");
  if (output_is_file && inputs->size() != 1) {
    return usage_error("-o " + args.output + " names one file but " + std::to_string(inputs->size()) +
                       " inputs were given; pass a folder");
  }
  auto bank = load_prepared_bank(args.bank);
  if (!bank) {
    std::fprintf(stderr, "%s\n", bank.error().message().c_str());
    return kExitFailed;
  }
  options.render.bank = bank->get();

  auto stage = hdf5 ? hdf5_stage(args, synth, *inputs, *task, format, container, *kernel_set)
                    : audio_file_stage(args, *inputs, *task, format, output_is_file, *kernel_set);
  if (!stage) {
    std::fprintf(stderr, "%s\n", stage.error().message().c_str());
    return kExitFailed;
  }

  graph::install_cancellation_handlers();
  graph::Progress progress((*stage)->to_render().size(), graph::progress_style_for(stderr, args.quiet), stderr);
  const auto summary = graph::render_batch(*inputs, **stage, options, &progress, [&](const datasets::ManifestRecord& file) {
    if (!file.ok) std::fprintf(stderr, "%s\n", file.error.c_str());
  });
  progress.stop();
  for (const std::string& error : summary.stage_errors) std::fprintf(stderr, "%s\n", error.c_str());
  print_summary(summary);
  if (summary.cancelled) {
    const int signal_number = graph::cancellation_signal();
    std::fprintf(stderr, "tutti render: cancelled; finished outputs are kept, run again with --resume\n");
    return signal_number > 0 ? 128 + signal_number : kExitFailed;
  }
  return summary.failed == 0 && summary.stage_errors.empty() ? kExitOk : kExitFailed;
}

}  // namespace

Command add_render_command(CLI::App& app) {
  auto args = std::make_shared<RenderArguments>();
  CLI::App* command = app.add_subcommand("render", "Render MIDI files to audio files or HDF5 shards");
  command->add_option("-s,--soundfont", args->bank, "SoundFont 2 bank")->capture_default_str();
  command->add_option("-o,--output", args->output, "Output folder, or one .wav/.flac file for one input")->required();
  command->add_option("inputs", args->inputs, "MIDI files, folders (searched recursively) or @LIST files")->required();
  command->add_option("--sample-rate", args->sample_rate, "Output sample rate in Hz")
      ->capture_default_str()->check(CLI::Range(8000, 192000));
  command->add_option("--sample-format", args->sample_format, "f32, s16 or s24")->capture_default_str();
  command->add_option("--format", args->container, "wav, flac or hdf5 (default: from -o, else wav)");
  command->add_option("--kernels", args->kernels, "auto, hwy, xsimd or scalar")->capture_default_str();
  command->add_flag("--portable", args->portable,
                    "Kernels without fused multiply-add: the same bits on every machine and SIMD target");
  command->add_option("--interpolation", args->interpolation, "none, linear or cubic")->capture_default_str();
  command->add_option("--polyphony", args->polyphony, "Maximum voices")->capture_default_str()->check(CLI::Range(1, 4096));
  command->add_option("--audibility-floor", args->audibility_floor,
                      "Voices that can no longer reach this peak (dBFS) are not rendered; 'auto': -96.3 for s16, "
                      "-120 otherwise; 'off' renders every voice to its end, as FluidSynth")
      ->capture_default_str();
  command->add_option("--coarse-interpolation", args->coarse_interpolation,
                      "'auto': with a floor and cubic interpolation, voices whose linear interpolation would stray "
                      "from cubic by less than the floor are interpolated linearly (faster); 'off': every voice cubic")
      ->capture_default_str();
  command->add_option("--threads", args->threads, "Worker threads (0: every core)")
      ->capture_default_str()->check(CLI::Range(0, 1024));
  command->add_option("--files-in-flight", args->files_in_flight, "Files rendering or waiting at once (0: 4 per thread + 2)")
      ->check(CLI::Range(0, 100000));
  command->add_option("--shard-index", args->shard_index,
                      "This task's index in a job array (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)")
      ->check(CLI::Range(0, 999999));
  command->add_option("--num-shards", args->num_shards,
                      "Tasks in the job array (default: SLURM_ARRAY_TASK_COUNT, TUTTI_NUM_SHARDS)")
      ->check(CLI::Range(1, 1000000));
  command->add_option("--shard-size", args->shard_size, "HDF5: clips per shard (default: one shard per task)")
      ->check(CLI::Range(0, 100000000));
  command->add_option("--compression", args->compression, "HDF5: deflate level 0 (off) to 9")->check(CLI::Range(0, 9));
  command->add_flag("--resume", args->resume, "Skip inputs (HDF5: shards) a previous run finished");
  command->add_flag("-q,--quiet", args->quiet, "No progress display; errors and the summary only");
  return {command, [args] { return run_render(*args); }};
}

}  // namespace tutti::tools
