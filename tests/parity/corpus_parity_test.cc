// Renders a spread of real General MIDI files from the Debian corpus with FluidSynth and with
// tutti, and holds tutti to the project's parity bounds on each (first 60 s, FluidR3_GM, dry).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/input_list.h"
#include "engine/midi/smf_reader.h"
#include "tests/parity/parity_support.h"
#include "tools/analysis/compare.h"

namespace tutti::parity {
namespace {

namespace fs = std::filesystem;

// Short and medium files from every package, chosen by rule so the set survives corpus updates:
// sorted by name, files up to two minutes, every k-th one.
std::vector<std::string> chosen_files(std::size_t count) {
  std::vector<std::string> candidates;
  for (const auto& entry : fs::directory_iterator(corpus_directory())) {
    const std::string path = entry.path().string();
    if (!datasets::has_midi_extension(path)) continue;
    auto song = engine::midi::read_smf(path);
    if (song && song->duration_seconds <= 120.0) candidates.push_back(path);
  }
  std::sort(candidates.begin(), candidates.end());
  std::vector<std::string> chosen;
  const std::size_t step = std::max<std::size_t>(1, candidates.size() / count);
  for (std::size_t i = step / 2; i < candidates.size() && chosen.size() < count; i += step) {
    chosen.push_back(candidates[i]);
  }
  return chosen;
}

TEST(CorpusParity, DebianFilesMatchFluidSynthWithinBounds) {
  const auto files = chosen_files(12);
  ASSERT_GE(files.size(), 10u) << "the Debian corpus was not fetched into " << corpus_directory();
  std::vector<double> distances;
  for (const std::string& midi : files) {
    const std::string name = fs::path(midi).stem().string();
    auto reference = render_with_fluidsynth(midi, scratch_directory() + "/" + name + ".fluidsynth.wav");
    ASSERT_TRUE(reference.has_value()) << reference.error().message();
    auto candidate = render_with_tutti(midi);
    ASSERT_TRUE(candidate.has_value()) << candidate.error().message();
    auto report = analysis::compare_audio(*reference, *candidate);
    ASSERT_TRUE(report.has_value()) << report.error().message();
    std::printf("%-55s %s\n", name.c_str(), analysis::format_report_line(*report).c_str());
    distances.push_back(report->logmel_db);
    // Issue bounds: every file within 1.0 dB log-mel and 0.5 dB level.
    EXPECT_LE(report->logmel_db, 1.0) << name;
    EXPECT_LE(std::abs(report->level_db), 0.5) << name;
  }
  std::sort(distances.begin(), distances.end());
  const double median = distances[distances.size() / 2];
  std::printf("median log-mel distance %.3f dB over %zu files\n", median, distances.size());
  EXPECT_LE(median, 0.5);
}

}  // namespace
}  // namespace tutti::parity
