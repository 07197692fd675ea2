#pragma once
// Runs the real `tutti` binary as a user or a job-array scheduler would: separate processes,
// their own environment, stdout and stderr captured, and a handle to kill one mid-batch.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tutti::test {

struct CliResult {
  int exit_code = -1;  // when it exited
  int signal = 0;      // the signal that ended it, or 0
  std::string out, err;
};

class CliProcess {
 public:
  // Starts `argv` with `environment` added to (or, with an empty value, removed from) this
  // process's environment; stdout/stderr go to files in `scratch`.
  CliProcess(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
             const std::map<std::string, std::string>& environment = {});
  ~CliProcess();
  CliProcess(const CliProcess&) = delete;
  CliProcess& operator=(const CliProcess&) = delete;

  bool running();  // false once it has ended (reaps it)
  void kill_now();   // SIGKILL, as an out-of-memory killer or a pre-empting scheduler would
  void interrupt();  // SIGINT, as Ctrl-C sends it
  CliResult wait();

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::filesystem::path out_path_, err_path_;
};

CliResult run_cli(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
                  const std::map<std::string, std::string>& environment = {});

}  // namespace tutti::test
