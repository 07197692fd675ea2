// `tutti render` over a generated corpus, through the real binary: determinism across thread
// counts, job-array coverage, kill -9 and --resume, and the HDF5 layout as h5py reads it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "datasets/manifest.h"
#include "tests/tools/render/cli_runner.h"
#include "tests/tools/render/test_corpus.h"

namespace tutti::test {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_manifest(const fs::path& path) { return path.extension() == ".jsonl"; }

// Every file below `folder` except manifests, by relative path, with its bytes.
std::map<std::string, std::string> audio_outputs(const fs::path& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file() || is_manifest(entry.path())) continue;
    files[entry.path().lexically_relative(folder).generic_string()] = read_bytes(entry.path());
  }
  return files;
}

// "" when both folders hold the same outputs with the same bytes, else what differs (names
// only: the bytes of an audio file make no message).
std::string compare_outputs(const fs::path& a, const fs::path& b) {
  const auto files_a = audio_outputs(a), files_b = audio_outputs(b);
  std::string differences;
  for (const auto& [name, bytes] : files_a) {
    const auto other = files_b.find(name);
    if (other == files_b.end()) differences += " only in " + a.string() + ": " + name + ";";
    else if (other->second != bytes) differences += " bytes differ: " + name + ";";
  }
  for (const auto& [name, bytes] : files_b) {
    if (files_a.count(name) == 0) differences += " only in " + b.string() + ": " + name + ";";
  }
  if (files_a.empty()) differences += " no outputs in " + a.string();
  return differences;
}

// All manifest records below `folder`, from every manifest file.
std::vector<datasets::ManifestRecord> all_records(const fs::path& folder) {
  std::vector<datasets::ManifestRecord> records;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!is_manifest(entry.path())) continue;
    for (auto& record : manifest_records(entry.path())) records.push_back(record);
  }
  return records;
}

// A manifest line without the one field that measures the machine, not the output.
std::string without_timing(datasets::ManifestRecord record) {
  record.render_seconds = 0;
  return datasets::to_json_line(record);
}

class RenderBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / ("tutti_render_batch_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "scratch");
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }

  void make_corpus(std::size_t songs, double seconds) { corpus_ = write_test_corpus(root_ / "corpus", songs, seconds); }

  std::vector<std::string> render(const fs::path& output, std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv = {TUTTI_BINARY, "render", "-q", "-s", corpus_.bank.string(), "-o", output.string(),
                                     "--sample-rate", "22050"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(corpus_.root.string());
    return argv;
  }

  CliResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {}) const {
    return run_cli(argv, root_ / "scratch", env);
  }

  fs::path root_;
  TestCorpus corpus_;
};

TEST_F(RenderBatch, FindsEveryMidiFileInSortedOrderAndMirrorsTheTree) {
  make_corpus(8, 1.0);
  const fs::path out = root_ / "out";
  const CliResult r = run(render(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = manifest_records(out / "manifest.jsonl");
  ASSERT_EQ(records.size(), corpus_.relative_sources.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].source, corpus_.relative_sources[i]);
    EXPECT_TRUE(records[i].ok) << records[i].error;
    fs::path expected = fs::path(corpus_.relative_sources[i]).replace_extension(".wav");
    EXPECT_EQ(records[i].output, expected.generic_string());
    EXPECT_GT(fs::file_size(out / expected), 44u);
    EXPECT_GT(records[i].frames, 22050 / 4);
    EXPECT_GT(records[i].notes, 0u);
    EXPECT_EQ(records[i].sha256.size(), 64u);
  }
}

TEST_F(RenderBatch, OneAndTwoThreadsWriteIdenticalBytes) {
  make_corpus(10, 1.5);
  for (const std::vector<std::string>& format :
       {std::vector<std::string>{"--format", "wav"},
        std::vector<std::string>{"--format", "hdf5", "--sample-format", "s16", "--shard-size", "4"}}) {
    const fs::path one = root_ / ("one-" + format[1]), two = root_ / ("two-" + format[1]);
    auto argv_one = format, argv_two = format;
    argv_one.insert(argv_one.end(), {"--threads", "1"});
    argv_two.insert(argv_two.end(), {"--threads", "2", "--files-in-flight", "3"});
    const CliResult r1 = run(render(one, argv_one));
    const CliResult r2 = run(render(two, argv_two));
    ASSERT_EQ(r1.exit_code, 0) << r1.err;
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    EXPECT_EQ(compare_outputs(one, two), "") << format[1] << ": 1 and 2 threads";
    auto lines = [](const fs::path& folder) {
      std::vector<std::string> out;
      for (const auto& record : all_records(folder)) out.push_back(without_timing(record));
      std::sort(out.begin(), out.end());
      return out;
    };
    EXPECT_EQ(lines(one), lines(two));
  }
}

TEST_F(RenderBatch, FourShardProcessesProduceEachOutputExactlyOnce) {
  make_corpus(14, 1.0);
  const fs::path whole = root_ / "whole", sharded = root_ / "sharded", h5 = root_ / "h5";
  ASSERT_EQ(run(render(whole)).exit_code, 0);
  {
    // Four independent processes at once, as a job array runs them, into one folder.
    std::vector<std::unique_ptr<CliProcess>> tasks;
    for (int i = 0; i < 4; ++i) {
      tasks.push_back(std::make_unique<CliProcess>(
          render(sharded, {"--threads", "1", "--shard-index", std::to_string(i), "--num-shards", "4"}), root_ / "scratch"));
    }
    for (auto& task : tasks) {
      const CliResult r = task->wait();
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }
  EXPECT_EQ(compare_outputs(sharded, whole), "");
  std::multiset<std::string> sources;
  for (int i = 0; i < 4; ++i) {
    const fs::path manifest = sharded / ("manifest-0000" + std::to_string(i) + "-of-00004.jsonl");
    const auto records = manifest_records(manifest);
    EXPECT_FALSE(records.empty()) << manifest;
    for (const auto& record : records) sources.insert(record.source);
  }
  EXPECT_EQ(sources, std::multiset<std::string>(corpus_.relative_sources.begin(), corpus_.relative_sources.end()));

  // HDF5: one shard per task; every clip lands in exactly one shard.
  for (int i = 0; i < 4; ++i) {
    const CliResult r = run(render(h5, {"--format", "hdf5", "--threads", "1"}),
                            {{"SLURM_ARRAY_TASK_ID", std::to_string(i + 1)}, {"SLURM_ARRAY_TASK_MIN", "1"},
                             {"SLURM_ARRAY_TASK_MAX", "4"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  sources.clear();
  for (int i = 0; i < 4; ++i) {
    const std::string stem = "shard-0000" + std::to_string(i) + "-of-00004";
    EXPECT_TRUE(fs::exists(h5 / (stem + ".h5"))) << stem;
    for (const auto& record : manifest_records(h5 / (stem + ".jsonl"))) {
      EXPECT_EQ(record.output, stem + ".h5");
      sources.insert(record.source);
    }
  }
  EXPECT_EQ(sources, std::multiset<std::string>(corpus_.relative_sources.begin(), corpus_.relative_sources.end()));
}

TEST_F(RenderBatch, JobArrayEnvironmentChoosesTheShard) {
  make_corpus(6, 0.5);
  const fs::path out = root_ / "out";
  CliResult r = run(render(out), {{"JOB_COMPLETION_INDEX", "2"}, {"TUTTI_NUM_SHARDS", "3"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = manifest_records(out / "manifest-00002-of-00003.jsonl");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].source, corpus_.relative_sources[4]);
  EXPECT_EQ(records[1].source, corpus_.relative_sources[5]);
  // SLURM_ARRAY_TASK_COUNT with an index counted from 0.
  r = run(render(out), {{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(manifest_records(out / "manifest-00000-of-00003.jsonl").size(), 2u);
  // An index without a count is a usage error.
  r = run(render(out), {{"JOB_COMPLETION_INDEX", "1"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("JOB_COMPLETION_INDEX"), std::string::npos) << r.err;
  r = run(render(out, {"--shard-index", "4", "--num-shards", "4"}));
  EXPECT_EQ(r.exit_code, 2);
}

// Kills a batch with SIGKILL once `manifest` has at least `lines_before_kill` lines (while it
// still runs), then resumes it; the result must equal an uninterrupted run's.
void kill_and_resume(const RenderBatch& test, const std::vector<std::string>& argv_kill,
                     const std::vector<std::string>& argv_resume, const fs::path& watched, std::size_t lines_before_kill,
                     const fs::path& scratch) {
  CliProcess victim(argv_kill, scratch);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool killed_mid_batch = false;
  while (std::chrono::steady_clock::now() < deadline) {
    std::size_t lines = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(watched.parent_path(), error)) {
      if (entry.path().extension() != ".jsonl") continue;
      std::ifstream in(entry.path());
      lines += static_cast<std::size_t>(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
    }
    if (lines >= lines_before_kill) {
      killed_mid_batch = victim.running();
      victim.kill_now();
      break;
    }
    if (!victim.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const CliResult killed = victim.wait();
  ASSERT_TRUE(killed_mid_batch) << "the batch ended before it could be killed; exit " << killed.exit_code << " "
                                << killed.err;
  EXPECT_EQ(killed.signal, SIGKILL);
  const CliResult resumed = run_cli(argv_resume, scratch);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("skipped="), std::string::npos);
  EXPECT_EQ(resumed.out.find("skipped=0 "), std::string::npos) << "resume redid everything: " << resumed.out;
  (void)test;
}

TEST_F(RenderBatch, KillNineThenResumeEndsComplete) {
  // Long enough that the batch is still running when the first records appear, on a fast machine.
  make_corpus(30, 30.0);
  const fs::path reference = root_ / "reference", wav = root_ / "wav", h5 = root_ / "h5", h5_reference = root_ / "h5ref";
  ASSERT_EQ(run(render(reference)).exit_code, 0);
  kill_and_resume(*this, render(wav, {"--threads", "1", "--files-in-flight", "2"}), render(wav, {"--threads", "2", "--resume"}),
                  wav / "manifest.jsonl", 2, root_ / "scratch");
  // Nothing lost, duplicated or truncated: the same files and bytes as the uninterrupted run,
  // no temporaries, and each input recorded once.
  EXPECT_EQ(compare_outputs(wav, reference), "");
  std::multiset<std::string> sources;
  for (const auto& record : manifest_records(wav / "manifest.jsonl")) {
    EXPECT_TRUE(record.ok) << record.error;
    sources.insert(record.source);
  }
  EXPECT_EQ(sources, std::multiset<std::string>(corpus_.relative_sources.begin(), corpus_.relative_sources.end()));

  const std::vector<std::string> h5_flags = {"--format", "hdf5", "--shard-size", "3", "--threads", "1",
                                             "--files-in-flight", "2"};
  auto h5_resume = h5_flags;
  h5_resume.push_back("--resume");
  ASSERT_EQ(run(render(h5_reference, h5_flags)).exit_code, 0);
  kill_and_resume(*this, render(h5, h5_flags), render(h5, h5_resume), h5 / "x.jsonl", 3, root_ / "scratch");
  EXPECT_EQ(compare_outputs(h5, h5_reference), "");
}

TEST_F(RenderBatch, AudibilityFloorIsALevelBelowFullScaleAutoOrOff) {
  make_corpus(2, 1.0);
  for (const char* bad : {"0", "3", "loud", "-96dB", ""}) {
    const CliResult r = run(render(root_ / "bad", {"--audibility-floor", bad}));
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "'";
    EXPECT_NE(r.err.find("--audibility-floor"), std::string::npos) << r.err;
  }
  // Off renders FluidSynth's model; a floor high enough to mute whole releases must change the
  // audio, and 'auto' must not change the length of any render.
  const fs::path off = root_ / "off", high = root_ / "high", automatic = root_ / "auto";
  ASSERT_EQ(run(render(off, {"--audibility-floor", "off"})).exit_code, 0);
  ASSERT_EQ(run(render(high, {"--audibility-floor", "-50"})).exit_code, 0);
  ASSERT_EQ(run(render(automatic)).exit_code, 0);
  std::size_t changed = 0;
  for (const std::string& source : corpus_.relative_sources) {
    const fs::path wav = fs::path(source).replace_extension(".wav");
    changed += read_bytes(off / wav) != read_bytes(high / wav) ? 1 : 0;
    EXPECT_EQ(fs::file_size(off / wav), fs::file_size(automatic / wav)) << source;
  }
  EXPECT_GT(changed, 0u) << "nothing muted at -50 dBFS";
}

TEST_F(RenderBatch, CoarseInterpolationIsAutoOrOffAndNeedsAFloor) {
  make_corpus(2, 1.0);
  for (const char* bad : {"on", "yes", ""}) {
    const CliResult r = run(render(root_ / "bad", {"--coarse-interpolation", bad}));
    EXPECT_EQ(r.exit_code, 2) << "'" << bad << "'";
    EXPECT_NE(r.err.find("--coarse-interpolation"), std::string::npos) << r.err;
  }
  // Without a floor no voice goes coarse: 'auto' (the default) and 'off' render the same bits.
  const fs::path automatic = root_ / "auto", off = root_ / "off";
  ASSERT_EQ(run(render(automatic, {"--audibility-floor", "off"})).exit_code, 0);
  ASSERT_EQ(run(render(off, {"--audibility-floor", "off", "--coarse-interpolation", "off"})).exit_code, 0);
  for (const std::string& source : corpus_.relative_sources) {
    const fs::path wav = fs::path(source).replace_extension(".wav");
    EXPECT_EQ(read_bytes(automatic / wav), read_bytes(off / wav)) << source;
  }
}

TEST_F(RenderBatch, Hdf5ClipsReadByH5pyEqualTheWavRenders) {
  make_corpus(7, 1.0);
  const fs::path wav = root_ / "wav", h5 = root_ / "h5";
  ASSERT_EQ(run(render(wav)).exit_code, 0);
  ASSERT_EQ(run(render(h5, {"--format", "hdf5", "--shard-size", "3", "--compression", "4"})).exit_code, 0);
  const CliResult check = run({TUTTI_PYTHON3, TUTTI_HDF5_CHECK, h5.string(), wav.string(), corpus_.root.string(),
                               corpus_.bank.string(), std::to_string(corpus_.relative_sources.size())});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("clips match"), std::string::npos) << check.out << check.err;
}

}  // namespace
}  // namespace tutti::test
