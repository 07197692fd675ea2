#include "tests/tools/render/cli_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

extern char** environ;

namespace tutti::test {

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& changes) {
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (changes.count(name) == 0) merged.push_back(text);
  }
  for (const auto& [name, value] : changes) {
    if (!value.empty()) merged.push_back(name + "=" + value);
  }
  return merged;
}

}  // namespace

CliProcess::CliProcess(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
                       const std::map<std::string, std::string>& environment) {
  static int counter = 0;
  const std::string stem = "cli-" + std::to_string(++counter);
  out_path_ = scratch / (stem + ".out");
  err_path_ = scratch / (stem + ".err");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::vector<std::string> env = merged_environment(environment);
  std::vector<char*> env_pointers;
  for (const std::string& e : env) env_pointers.push_back(const_cast<char*>(e.c_str()));
  env_pointers.push_back(nullptr);
  // A clean signal state, as a shell gives a command: ctest or a background shell may have
  // left SIGINT ignored or blocked, and the Ctrl-C test needs it delivered.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int spawned = posix_spawn(&pid_, args[0], &actions, &attributes, args.data(), env_pointers.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
}

CliProcess::~CliProcess() {
  if (!reaped_) {
    kill_now();
    wait();
  }
}

bool CliProcess::running() {
  if (reaped_) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

void CliProcess::kill_now() {
  if (!reaped_) ::kill(pid_, SIGKILL);
}

void CliProcess::interrupt() {
  if (!reaped_) ::kill(pid_, SIGINT);
}

CliResult CliProcess::wait() {
  if (!reaped_) {
    waitpid(pid_, &status_, 0);
    reaped_ = true;
  }
  CliResult result;
  if (WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) result.signal = WTERMSIG(status_);
  result.out = read_text(out_path_);
  result.err = read_text(err_path_);
  return result;
}

CliResult run_cli(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
                  const std::map<std::string, std::string>& environment) {
  CliProcess process(argv, scratch, environment);
  return process.wait();
}

}  // namespace tutti::test
