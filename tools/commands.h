#pragma once
// The `tutti` subcommands. Each registers itself on the app and returns the subcommand with
// the handler that runs once the command line is parsed; handlers return the exit code.
#include <CLI/CLI.hpp>

#include <functional>

namespace tutti::tools {

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // some input failed; the rest was done
inline constexpr int kExitUsage = 2;

struct Command {
  CLI::App* subcommand;
  std::function<int()> run;
};

Command add_render_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_compare_command(CLI::App& app);

}  // namespace tutti::tools
