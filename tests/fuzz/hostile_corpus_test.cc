// The mutated corpus (tests/support/hostile_inputs.h) through the real `tutti render` binary, one
// process per file, as a user would meet a broken file: every case either renders (exit 0, the
// output file complete) or fails with exactly one line on stderr that names the file, exit 1, and
// nothing left in the output folder. A crash, a sanitizer report, another exit code or a process
// still running after the hang guard fails the case. Under `make test-sanitize` the binary itself
// is built with ASan+UBSan, so this also checks memory safety on every case.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/hostile_inputs.h"
#include "tests/tools/render/cli_runner.h"

extern char** environ;

namespace tutti::test {
namespace {

namespace fs = std::filesystem;

// Fixed seed and sizes: the corpus is the same on every run and every machine with the same
// standard library, so a failing case is rebuilt from its name (song-017.mid).
constexpr std::uint32_t kCorpusSeed = 20261124;
constexpr std::size_t kSongCount = 240;
constexpr std::size_t kBankCount = 40;
// ctest runs the shards in parallel (one ctest test per shard).
constexpr int kShards = 8;
// The issue asks for every case to end within a few seconds; one still running after this long
// is killed and fails. The slowest case takes about 0.5 s in a release build on a busy 2-core
// machine; the margin covers ASan+UBSan at -O1 (several times slower) and other load.
constexpr auto kHangGuard = std::chrono::seconds(20);

struct RunResult {
  bool finished = false;
  int exit_code = -1;  // valid when the process exited
  int signal = 0;      // the signal that ended it, or 0
  std::string out, err;
  double seconds = 0.0;
};

// Runs `argv` with stdout and stderr captured under `scratch`; kills it at the hang guard.
RunResult run(const std::vector<std::string>& argv, const fs::path& scratch) {
  RunResult result;
  const auto start = std::chrono::steady_clock::now();
  CliProcess process(argv, scratch);
  bool killed = false;
  while (!killed && process.running()) {
    if (std::chrono::steady_clock::now() - start > kHangGuard) {
      process.kill_now();
      killed = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.finished = !killed;
  const CliResult ended = process.wait();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = ended.exit_code;
  result.signal = ended.signal;
  result.out = ended.out;
  result.err = ended.err;
  return result;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Checks the contract for one case. `names` are the paths a failure message may name (the song;
// for a broken bank also the bank). Returns a description of what was wrong, or "".
std::string check_case(const RunResult& r, const fs::path& output_dir, const fs::path& output_file,
                       const std::vector<std::string>& names) {
  if (!r.finished) return "still running after " + std::to_string(kHangGuard.count()) + " s (killed); stderr: " + r.err;
  if (r.signal != 0) return "killed by signal " + std::to_string(r.signal) + "; stderr: " + r.err;
  for (const char* report : {"Sanitizer", "runtime error:", "LeakSanitizer"}) {
    if (contains(r.err, report)) return "sanitizer report: " + r.err;
  }
  if (r.exit_code == 0) {
    std::error_code error;
    const auto size = fs::file_size(output_file, error);
    // A WAV header is 44 bytes; a success must have written audio after it.
    if (error || size <= 44) return "exit 0 but no complete output file " + output_file.string();
    return "";
  }
  if (r.exit_code != 1) return "exit code " + std::to_string(r.exit_code) + " (0 or 1 expected); stderr: " + r.err;
  if (r.err.empty() || r.err.back() != '\n' || r.err.find('\n') != r.err.size() - 1) {
    return "exit 1 without exactly one line on stderr: [" + r.err + "]";
  }
  bool named = false;
  for (const std::string& name : names) named = named || contains(r.err, name);
  if (!named) return "error does not name the file: " + r.err;
  // Nothing under the final name and no temporary file left behind.
  if (fs::exists(output_dir) && !fs::is_empty(output_dir)) {
    return "failed but left files in " + output_dir.string() + "; stderr: " + r.err;
  }
  return "";
}

class HostileCorpus : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("tutti_hostile_corpus_" + std::to_string(getpid()) + "_" +
                                               std::to_string(GetParam()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }

  bool in_shard(std::size_t index) const { return static_cast<int>(index % kShards) == GetParam(); }

  // tutti render at a modest rate and 16 bits: the contract, not the audio, is under test here,
  // and mutated songs can legitimately last minutes.
  std::vector<std::string> render_command(const fs::path& bank, const fs::path& output, const fs::path& song) const {
    return {TUTTI_BINARY, "render", "-q", "-s", bank.string(), "-o", output.string(),
            "--sample-rate", "22050", "--sample-format", "s16", song.string()};
  }

  void expect_contract(const Mutant& mutant, const std::vector<std::string>& argv, const fs::path& case_dir,
                       const fs::path& output_file, const std::vector<std::string>& names) {
    const RunResult r = run(argv, case_dir);
    ++cases_;
    if (r.exit_code == 0) ++successes_;
    slowest_ = std::max(slowest_, r.seconds);
    const std::string problem = check_case(r, output_file.parent_path(), output_file, names);
    EXPECT_EQ(problem, "") << mutant.name << " (from " << mutant.seed << ", " << mutant.mutation << ")";
  }

  struct Command {
    std::vector<std::string> argv;
    std::vector<std::string> names;  // the paths a failure message may name
  };

  // Writes each of this shard's mutants to its own folder, runs `command(input, output)` on it
  // and checks the contract; a passing case's folder is removed at once to keep /tmp small.
  template <typename MakeCommand>
  void run_shard(const std::vector<Mutant>& mutants, MakeCommand command) {
    for (std::size_t i = 0; i < mutants.size(); ++i) {
      if (!in_shard(i)) continue;
      const Mutant& mutant = mutants[i];
      const fs::path case_dir = root_ / mutant.name;
      fs::create_directories(case_dir);
      const fs::path input = case_dir / mutant.name;
      ASSERT_TRUE(write_file(input.string(), mutant.bytes));
      const fs::path output = case_dir / "out" / (input.stem().string() + ".wav");
      const Command c = command(input, output);
      expect_contract(mutant, c.argv, case_dir, output, c.names);
      if (!HasFailure()) fs::remove_all(case_dir);
    }
    report();
  }

  void report() const {
    std::printf("shard %d: %zu cases, %zu rendered, %zu refused, slowest %.2f s\n", GetParam(), cases_, successes_,
                cases_ - successes_, slowest_);
  }

  fs::path root_;
  std::size_t cases_ = 0, successes_ = 0;
  double slowest_ = 0.0;
};

TEST_P(HostileCorpus, MutatedSongsRenderOrFailWithOneLineAndExit1) {
  const fs::path bank = root_ / "render.sf2";
  ASSERT_TRUE(write_file(bank.string(), hostile_render_bank().bytes()));
  const std::vector<Mutant> songs = mutated_songs(kCorpusSeed, kSongCount);
  ASSERT_EQ(songs.size(), kSongCount);
  run_shard(songs, [&](const fs::path& song, const fs::path& output) {
    return Command{render_command(bank, output, song), {song.string()}};
  });
}

TEST_P(HostileCorpus, MutatedBanksPlayOrFailWithOneLineAndExit1) {
  const fs::path song = root_ / "probe.mid";
  ASSERT_TRUE(write_file(song.string(), hostile_probe_song().bytes()));
  const std::vector<Mutant> banks = mutated_banks(kCorpusSeed, kBankCount);
  ASSERT_EQ(banks.size(), kBankCount);
  // A broken bank may be reported through the song that needed it, so either name will do.
  run_shard(banks, [&](const fs::path& bank, const fs::path& output) {
    return Command{render_command(bank, output, song), {bank.string(), song.string()}};
  });
}

INSTANTIATE_TEST_SUITE_P(Shards, HostileCorpus, ::testing::Range(0, kShards));

}  // namespace
}  // namespace tutti::test
