#include "datasets/manifest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "datasets/atomic_file.h"

namespace tutti::datasets {
namespace {

namespace fs = std::filesystem;

ManifestRecord sample_record(const std::string& source, bool ok) {
  ManifestRecord record;
  record.source = source;
  record.path = "/corpus/" + source;
  record.sha256 = std::string(64, 'a');
  record.ok = ok;
  record.error = ok ? "" : "/corpus/" + source + ": track 1 at byte 22: bad";
  record.output = "x.wav";
  record.frames = 44100;
  record.duration_seconds = 1.0;
  record.notes = 12;
  record.programs = {0, 33};
  record.percussion = true;
  record.peak_voices = 7;
  record.render_seconds = 0.25;
  record.has_clipping_count = true;
  record.clipped_samples = 3;
  return record;
}

TEST(Manifest, ALineRoundTrips) {
  const ManifestRecord record = sample_record("a/b.mid", false);
  ManifestRecord back;
  ASSERT_TRUE(parse_json_line(to_json_line(record), back));
  EXPECT_EQ(to_json_line(back), to_json_line(record));
  EXPECT_EQ(back.error, record.error);
  EXPECT_EQ(back.programs, record.programs);
  EXPECT_EQ(back.clipped_samples, 3u);
}

TEST(Manifest, ATornLastLineIsIgnoredAndLaterRecordsWin) {
  const fs::path path = fs::path(::testing::TempDir()) / ("tutti_manifest_" + std::to_string(getpid()) + ".jsonl");
  {
    std::ofstream out(path);
    out << to_json_line(sample_record("a.mid", false)) << "\n";
    out << to_json_line(sample_record("a.mid", true)) << "\n";
    const std::string torn = to_json_line(sample_record("b.mid", true));
    out << torn.substr(0, torn.size() / 2);  // killed mid-write
  }
  auto records = read_manifest(path.string());
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_TRUE(records->at("a.mid").ok);
  fs::remove(path);
}

TEST(Manifest, AMissingManifestIsEmpty) {
  auto records = read_manifest("/nonexistent/folder/manifest.jsonl");
  ASSERT_TRUE(records);
  EXPECT_TRUE(records->empty());
}

TEST(AtomicFile, TemporaryNamesMapBackToTheirFinalNames) {
  const std::string temporary = temporary_name_for("/out/dir/song.wav");
  EXPECT_NE(temporary, "/out/dir/song.wav");
  EXPECT_EQ(fs::path(temporary).parent_path(), fs::path("/out/dir"));
  EXPECT_EQ(final_name_of_temporary(temporary), "/out/dir/song.wav");
  EXPECT_EQ(final_name_of_temporary("/out/dir/song.wav"), "");
  EXPECT_EQ(final_name_of_temporary("/out/dir/.song.wav.tmp-x-1"), "");
}

}  // namespace
}  // namespace tutti::datasets
