// Output safety of `tutti render` (issue 6), through the real binary: names from inputs and
// @LIST files never leave the output folder, an unwritable output fails clearly and only the
// file it concerns, renders are checked before they are kept, Ctrl-C leaves nothing half-done.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "datasets/manifest.h"
#include "tests/support/midi_builder.h"
#include "tests/tools/render/cli_runner.h"
#include "tests/tools/render/test_corpus.h"

namespace tutti::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Files below `folder` whose names mark them as temporaries (".name.tmp-<pid>-<n>").
std::vector<std::string> temporaries(const fs::path& folder) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (contains(entry.path().filename().string(), ".tmp-")) found.push_back(entry.path().string());
  }
  return found;
}

class RenderSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(::testing::TempDir()) / ("tutti_render_safety_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "scratch");
    corpus_ = write_test_corpus(root_ / "corpus", 8, 1.0);
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add);
      fs::remove_all(root_);
    }
  }

  std::vector<std::string> render(const fs::path& output, const std::vector<std::string>& inputs,
                                  const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> argv = {TUTTI_BINARY, "render", "-q", "-s", corpus_.bank.string(), "-o", output.string(),
                                     "--sample-rate", "22050"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return argv;
  }
  CliResult run(const std::vector<std::string>& argv) const { return run_cli(argv, root_ / "scratch"); }

  fs::path write_song(const fs::path& path, const Bytes& bytes) const {
    fs::create_directories(path.parent_path());
    EXPECT_TRUE(write_file(path.string(), bytes));
    return path;
  }

  fs::path root_;
  TestCorpus corpus_;
};

TEST_F(RenderSafety, ListEntriesThatClimbOutOfTheOutputFolderAreRefused) {
  write_song(root_ / "outside" / "climber.mid", test_song(1, 0.5));
  write_song(root_ / "lists" / "inside" / "good.mid", test_song(2, 0.5));
  const fs::path absolute = write_song(root_ / "elsewhere" / "absolute.mid", test_song(3, 0.5));
  const fs::path list = root_ / "lists" / "songs.txt";
  {
    std::ofstream out(list);
    out << "inside/good.mid\n../outside/climber.mid\n" << absolute.string() << "\n";
  }
  const fs::path out = root_ / "out";
  const CliResult r = run(render(out, {"@" + list.string()}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto errors = lines_of(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_TRUE(contains(errors[0], "climber.mid")) << errors[0];
  EXPECT_TRUE(contains(errors[0], "..")) << errors[0];
  EXPECT_TRUE(fs::exists(out / "inside" / "good.wav"));
  // An absolute entry keeps only its file name, below the output folder.
  EXPECT_TRUE(fs::exists(out / "absolute.wav"));
  EXPECT_FALSE(fs::exists(root_ / "outside" / "climber.wav"));
  EXPECT_FALSE(fs::exists(root_ / "climber.wav"));
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    EXPECT_FALSE(entry.path().extension() == ".wav" && !contains(entry.path().string(), out.string()))
        << "written outside the output folder: " << entry.path();
  }
}

TEST_F(RenderSafety, SymbolicLinksInTheOutputFolderAreNotFollowed) {
  const fs::path out = root_ / "out", elsewhere = root_ / "elsewhere";
  fs::create_directories(out);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, out / "set-b");  // the corpus has a set-b folder
  const fs::path victim = root_ / "victim.txt";
  { std::ofstream(victim) << "keep me"; }
  fs::create_symlink(victim, out / "song-003.wav");  // the corpus has song-003.mid at its root
  const CliResult r = run(render(out, {corpus_.root.string()}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::is_empty(elsewhere)) << "wrote through a symbolic link";
  std::ifstream in(victim);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "keep me");
  std::size_t refused = 0, written = 0;
  for (const auto& record : manifest_records(out / "manifest.jsonl")) {
    if (record.ok) {
      ++written;
      EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(out / record.output))) << record.output;
      continue;
    }
    ++refused;
    EXPECT_TRUE(contains(record.error, "symbolic link")) << record.error;
    EXPECT_TRUE(contains(record.error, record.path)) << "error must name the input: " << record.error;
  }
  EXPECT_EQ(refused, 3u);  // set-b holds songs 1 and 5; song-003 is the linked file
  EXPECT_EQ(written, corpus_.relative_sources.size() - 3);
  EXPECT_EQ(lines_of(r.err).size(), 3u) << r.err;
}

TEST_F(RenderSafety, AnOutputFolderThatCannotBeWrittenFailsClearly) {
  const fs::path blocked = root_ / "blocked";
  { std::ofstream(blocked) << "a file where the output folder should be"; }
  CliResult r = run(render(blocked, {corpus_.root.string()}));
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(contains(r.err, blocked.string())) << r.err;
  r = run(render(blocked, {corpus_.root.string()}, {"--format", "hdf5"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, blocked.string())) << r.err;

  // One sub-folder blocked: its files fail, each naming its input; the others are written.
  const fs::path out = root_ / "out";
  fs::create_directories(out);
  { std::ofstream(out / "set-a") << "not a folder"; }
  r = run(render(out, {corpus_.root.string()}));
  EXPECT_EQ(r.exit_code, 1);
  std::size_t failed = 0;
  for (const auto& record : manifest_records(out / "manifest.jsonl")) {
    if (record.ok) {
      EXPECT_GT(fs::file_size(out / record.output), 44u);
      continue;
    }
    ++failed;
    EXPECT_TRUE(contains(record.source, "set-a/")) << record.source;
    EXPECT_TRUE(contains(record.error, record.path)) << record.error;
  }
  EXPECT_EQ(failed, 4u);  // songs 0, 2, 4, 6 live in set-a and set-a/deeper
  EXPECT_TRUE(temporaries(out).empty());

  // Without root's privileges a read-only folder is refused too (root writes anyway).
  if (geteuid() != 0) {
    const fs::path read_only = root_ / "read-only";
    fs::create_directories(read_only);
    fs::permissions(read_only, fs::perms::owner_read | fs::perms::owner_exec);
    r = run(render(read_only, {corpus_.root.string()}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(contains(r.err, read_only.string())) << r.err;
  }
}

// A full disk, simulated with a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that a
// write past it fails with EFBIG as one past the end of a disk fails with ENOSPC): the outputs
// that do not fit fail with a line naming their input, the others are complete, and no
// temporary is left behind.
TEST_F(RenderSafety, AFullDiskFailsTheFilesThatDoNotFitAndKeepsTheOthers) {
  const fs::path out = root_ / "out";
  fs::create_directories(out);
  std::vector<std::string> argv = {"/bin/bash", "-c", "ulimit -f 180; trap '' XFSZ; exec \"$0\" \"$@\""};
  for (const std::string& arg : render(out, {corpus_.root.string()})) argv.push_back(arg);
  const CliResult r = run(argv);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  std::size_t ok = 0, failed = 0;
  for (const auto& record : manifest_records(out / "manifest.jsonl")) {
    if (record.ok) {
      ++ok;
      // 22050 Hz float stereo: 8 bytes a frame after the header.
      EXPECT_GE(fs::file_size(out / record.output), static_cast<std::uintmax_t>(record.frames) * 8) << record.output;
      continue;
    }
    ++failed;
    EXPECT_TRUE(contains(record.error, record.path)) << record.error;
    EXPECT_TRUE(contains(record.error, "write failed")) << record.error;
    EXPECT_FALSE(fs::exists(out / fs::path(record.source).replace_extension(".wav"))) << record.source;
  }
  EXPECT_GT(ok, 0u) << "the limit is meant to let the shorter songs through";
  EXPECT_GT(failed, 0u) << "the limit is meant to stop the longer songs";
  EXPECT_EQ(lines_of(r.err).size(), failed) << r.err;
  EXPECT_TRUE(temporaries(out).empty());
}

TEST_F(RenderSafety, OneInputToANamedFileCreatesItsFoldersAndNamesTheInputOnFailure) {
  const fs::path target = root_ / "a" / "b" / "song.wav";
  const fs::path song = corpus_.root / corpus_.relative_sources[0];
  CliResult r = run(render(target, {song.string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(fs::file_size(target), 44u);
  EXPECT_FALSE(fs::exists(root_ / "a" / "b" / "manifest.jsonl"));

  const fs::path broken = write_song(root_ / "broken.mid", Bytes{'M', 'T', 'h', 'd', 0, 0});
  const fs::path target2 = root_ / "c" / "broken.wav";
  r = run(render(target2, {broken.string()}));
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_TRUE(contains(r.err, broken.string())) << r.err;
  EXPECT_FALSE(fs::exists(target2));

  // Usage errors exit 2.
  const fs::path other = corpus_.root / corpus_.relative_sources[1];
  EXPECT_EQ(run(render(target, {song.string(), other.string()})).exit_code, 2);
  EXPECT_EQ(run(render(root_ / "o", {song.string()}, {"--format", "mp3"})).exit_code, 2);
  EXPECT_EQ(run(render(root_ / "o", {song.string()}, {"--sample-format", "f64"})).exit_code, 2);
}

TEST_F(RenderSafety, ASilentRenderOfASongWithNotesIsAnError) {
  MidiBuilder builder(480);
  builder.track().control_change(0, 0, 7, 0).note_on(0, 0, 60, 100).note_off(960, 0, 60);
  const fs::path song = write_song(root_ / "in" / "muted.mid", builder.bytes());
  const fs::path out = root_ / "out";
  const CliResult r = run(render(out, {(root_ / "in").string()}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, song.string())) << r.err;
  EXPECT_TRUE(contains(r.err, "silent")) << r.err;
  EXPECT_FALSE(fs::exists(out / "muted.wav"));
  EXPECT_TRUE(temporaries(out).empty());
}

TEST_F(RenderSafety, ClippedSamplesAreCountedInTheManifestNotNormalised) {
  MidiBuilder builder(480);
  MidiTrack& track = builder.track();
  for (int channel = 0; channel < 8; ++channel) {
    // Program 0 of the test bank is a looped sine: 128 of them at full velocity sum far past 1.
    track.program_change(0, channel, 0).control_change(0, channel, 7, 127).control_change(0, channel, 11, 127);
    for (int key = 40; key < 72; key += 2) track.note_on(0, channel, key, 127);
  }
  track.note_off(960, 0, 40);
  write_song(root_ / "in" / "loud.mid", builder.bytes());
  write_song(root_ / "in" / "quiet.mid", test_song(0, 0.5));
  const fs::path s16 = root_ / "s16", f32 = root_ / "f32";
  ASSERT_EQ(run(render(s16, {(root_ / "in").string()}, {"--sample-format", "s16"})).exit_code, 0);
  ASSERT_EQ(run(render(f32, {(root_ / "in").string()})).exit_code, 0);
  const auto records = manifest_records(s16 / "manifest.jsonl");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].source, "loud.mid");
  EXPECT_TRUE(records[0].has_clipping_count);
  EXPECT_GT(records[0].clipped_samples, 0u);
  EXPECT_TRUE(records[1].has_clipping_count);
  EXPECT_EQ(records[1].clipped_samples, 0u);
  // Float output keeps the values past full scale: nothing clipped, no count.
  EXPECT_FALSE(manifest_records(f32 / "manifest.jsonl")[0].has_clipping_count);
}

TEST_F(RenderSafety, CtrlCStopsCleanlyAndResumeFinishes) {
  const TestCorpus longer = write_test_corpus(root_ / "longer", 40, 30.0);
  const fs::path out = root_ / "out";
  std::vector<std::string> argv = {TUTTI_BINARY, "render", "-q", "-s", longer.bank.string(), "-o", out.string(),
                                   "--threads", "1", "--files-in-flight", "1", longer.root.string()};
  CliProcess process(argv, root_ / "scratch");
  // Interrupt once the first file is recorded, while later ones render.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && process.running()) {
    std::error_code error;
    if (fs::file_size(out / "manifest.jsonl", error) > 0 && !error) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(process.running()) << "the batch ended before it could be interrupted";
  // SIGINT, as Ctrl-C sends it.
  process.interrupt();
  const CliResult interrupted = process.wait();
  EXPECT_EQ(interrupted.exit_code, 128 + SIGINT) << interrupted.err;
  EXPECT_TRUE(contains(interrupted.err, "--resume")) << interrupted.err;
  EXPECT_TRUE(temporaries(out).empty()) << "a temporary survived the interruption";
  const auto before = manifest_records(out / "manifest.jsonl");
  EXPECT_LT(before.size(), longer.relative_sources.size());
  for (const auto& record : before) {
    EXPECT_TRUE(record.ok) << record.error;
    EXPECT_TRUE(fs::exists(out / record.output));
  }
  argv.push_back("--resume");
  const CliResult resumed = run_cli(argv, root_ / "scratch");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(manifest_records(out / "manifest.jsonl").size(), longer.relative_sources.size());
}

}  // namespace
}  // namespace tutti::test
