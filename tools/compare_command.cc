// `tutti compare`: how close a render is to a reference render, as one key=value line.
#include <cstdio>
#include <memory>
#include <string>

#include "tools/analysis/compare.h"
#include "tools/commands.h"

namespace tutti::tools {

namespace {

struct CompareArguments {
  std::string reference;
  std::string candidate;
  double seconds = 60.0;  // the project measures the first minute of each file
};

int run_compare(const CompareArguments& args) {
  analysis::CompareOptions options;
  if (args.seconds > 0) options.max_seconds = args.seconds;
  else options.max_seconds.reset();
  auto report = analysis::compare_files(args.reference, args.candidate, options);
  if (!report) {
    std::fprintf(stderr, "%s\n", report.error().message().c_str());
    return kExitFailed;
  }
  std::printf("%s\n", analysis::format_report_line(*report).c_str());
  return kExitOk;
}

}  // namespace

Command add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArguments>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare a render with a reference: lag, level difference, level-matched log-mel distance "
      "and null-test SNR, as one key=value line");
  command->add_option("reference", args->reference, "Reference audio (e.g. FluidSynth's render)")->required();
  command->add_option("candidate", args->candidate, "Candidate audio (e.g. tutti's render)")->required();
  command->add_option("--seconds", args->seconds, "Analyse the first N seconds; 0 for everything")
      ->capture_default_str();
  return {command, [args] { return run_compare(*args); }};
}

}  // namespace tutti::tools
