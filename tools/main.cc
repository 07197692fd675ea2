// tutti: renders MIDI files through SoundFont 2 banks, fast and deterministically.
#include <vector>

#include "tools/commands.h"
#include "tools/heap_policy.h"

int main(int argc, char** argv) {
  using namespace tutti::tools;
  keep_heap_compact();
  CLI::App app{"tutti: MIDI + SoundFont 2 to audio, at dataset scale"};
  app.require_subcommand(1);
  const std::vector<Command> commands = {add_render_command(app), add_info_command(app),
                                         add_compare_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (const Command& command : commands) {
    if (command.subcommand->parsed()) return command.run();
  }
  return kExitUsage;
}
