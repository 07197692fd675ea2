// `tutti compare`: how close a render is to a reference render.
#include <cstdio>
#include <string>

#include "tools/commands.h"

namespace tutti::tools {

Command add_compare_command(CLI::App& app) {
  auto reference = std::make_shared<std::string>();
  auto candidate = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("compare", "Compare a render with a reference render");
  command->add_option("reference", *reference, "Reference audio (e.g. FluidSynth's)")->required();
  command->add_option("candidate", *candidate, "Candidate audio (e.g. tutti's)")->required();
  return {command, [] {
            std::fprintf(stderr, "tutti compare: not built yet\n");
            return kExitFailed;
          }};
}

}  // namespace tutti::tools
