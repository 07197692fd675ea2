// `tutti render`: MIDI files to audio files.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "graph/batch_render.h"
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
  std::string interpolation = "cubic";
  int polyphony = 256;
  bool quiet = false;
};

bool output_names_a_file(const std::string& output) {
  const std::string extension = std::filesystem::path(output).extension().string();
  return extension == ".wav" || extension == ".flac";
}

int run_render(const RenderArguments& args) {
  graph::BatchOptions options;
  if (!datasets::parse_sample_format(args.sample_format, options.format.sample)) {
    std::fprintf(stderr, "tutti render: unknown sample format '%s' (f32, s16, s24)\n", args.sample_format.c_str());
    return kExitUsage;
  }
  kernels::Backend backend{};
  if (!kernels::parse_backend(args.kernels, backend)) {
    std::fprintf(stderr, "tutti render: unknown kernels '%s' (auto, hwy, xsimd, scalar)\n", args.kernels.c_str());
    return kExitUsage;
  }
  options.kernels = kernels::kernel_set(backend);
  if (options.kernels == nullptr) {
    std::fprintf(stderr, "tutti render: kernels '%s' are not built into this binary\n", args.kernels.c_str());
    return kExitUsage;
  }
  if (args.interpolation == "none") options.render.synth.interpolation = kernels::Interpolation::none;
  else if (args.interpolation == "linear") options.render.synth.interpolation = kernels::Interpolation::linear;
  else if (args.interpolation == "cubic") options.render.synth.interpolation = kernels::Interpolation::cubic;
  else {
    std::fprintf(stderr, "tutti render: unknown interpolation '%s' (none, linear, cubic)\n", args.interpolation.c_str());
    return kExitUsage;
  }
  options.format.sample_rate = args.sample_rate;
  options.render.synth.sample_rate = args.sample_rate;
  options.render.synth.polyphony = args.polyphony;
  options.output = args.output;
  options.output_is_file = output_names_a_file(args.output);
  std::string container = args.container;
  if (container.empty()) {
    container = options.output_is_file && std::filesystem::path(args.output).extension() == ".flac" ? "flac" : "wav";
  }
  if (!datasets::parse_container_format(container, options.format.container)) {
    std::fprintf(stderr, "tutti render: unknown format '%s' (wav, flac)\n", container.c_str());
    return kExitUsage;
  }

  auto inputs = datasets::collect_inputs(args.inputs);
  if (!inputs) {
    std::fprintf(stderr, "%s\n", inputs.error().message().c_str());
    return kExitFailed;
  }
  if (options.output_is_file && inputs->size() != 1) {
    std::fprintf(stderr, "tutti render: -o %s names one file but %zu inputs were given; pass a folder\n",
                 args.output.c_str(), inputs->size());
    return kExitUsage;
  }
  auto bank = load_prepared_bank(args.bank);
  if (!bank) {
    std::fprintf(stderr, "%s\n", bank.error().message().c_str());
    return kExitFailed;
  }
  const auto summary = graph::render_batch(**bank, *inputs, options, [&](const graph::FileOutcome& file) {
    if (!file.ok) std::fprintf(stderr, "%s\n", file.error.c_str());
    else if (!args.quiet) {
      std::printf("%s -> %s  %.1f s audio in %.2f s\n", file.source.c_str(), file.output.c_str(),
                  file.audio_seconds, file.render_seconds);
    }
  });
  std::printf("files=%zu failed=%zu audio_seconds=%.1f wall_seconds=%.2f real_time_factor=%.1f\n",
              summary.files, summary.failed, summary.audio_seconds, summary.wall_seconds,
              summary.real_time_factor());
  return summary.failed == 0 ? kExitOk : kExitFailed;
}

}  // namespace

Command add_render_command(CLI::App& app) {
  auto args = std::make_shared<RenderArguments>();
  CLI::App* command = app.add_subcommand("render", "Render MIDI files to audio");
  command->add_option("-s,--soundfont", args->bank, "SoundFont 2 bank")->capture_default_str();
  command->add_option("-o,--output", args->output, "Output file (.wav/.flac, one input) or folder")->required();
  command->add_option("inputs", args->inputs, "MIDI files, folders (searched recursively) or @LIST files")->required();
  command->add_option("--sample-rate", args->sample_rate, "Output sample rate in Hz")
      ->capture_default_str()->check(CLI::Range(8000, 192000));
  command->add_option("--sample-format", args->sample_format, "f32, s16 or s24")->capture_default_str();
  command->add_option("--format", args->container, "wav or flac (default: from -o, else wav)");
  command->add_option("--kernels", args->kernels, "auto, hwy, xsimd or scalar")->capture_default_str();
  command->add_option("--interpolation", args->interpolation, "none, linear or cubic")->capture_default_str();
  command->add_option("--polyphony", args->polyphony, "Maximum voices")->capture_default_str()->check(CLI::Range(1, 4096));
  command->add_flag("-q,--quiet", args->quiet, "Print only errors and the summary");
  return {command, [args] { return run_render(*args); }};
}

}  // namespace tutti::tools
