// Publishing writes a file through to the disk before its final name appears, and all of it:
// what was on disk at the moment of the sync must be what the final name then holds (a WAV
// header written after the sync, as libsndfile's own sync left it, would be lost in a crash).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "datasets/atomic_file.h"
#include "datasets/audio_writer.h"
#include "datasets/hdf5_shard_writer.h"
#include "datasets/manifest.h"
#include "kernels/kernel_set.h"
#include "tests/datasets/scratch_folder.h"

namespace tutti::datasets {
namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What one sync saw: the path, its bytes when it is a file, and whether the final name existed.
struct SyncSeen {
  std::string path;
  bool is_folder = false;
  std::string bytes;
  bool final_existed = false;
};

// The observer is a plain function: it reports into these.
std::vector<SyncSeen> seen_syncs;
std::string watched_final_path;

void record_sync(const std::string& path) {
  SyncSeen seen;
  seen.path = path;
  seen.is_folder = fs::is_directory(path);
  if (!seen.is_folder) seen.bytes = read_bytes(path);
  seen.final_existed = fs::exists(watched_final_path);
  seen_syncs.push_back(seen);
}

class DurablePublish : public ::testing::Test {
 protected:
  void SetUp() override {
    seen_syncs.clear();
    set_durability_observer(&record_sync);
  }
  void TearDown() override { set_durability_observer(nullptr); }
  std::string watch(const std::string& name) {
    watched_final_path = (folder_ / name).string();
    return watched_final_path;
  }
  // The file was synced whole before its name appeared, then its folder after.
  void expect_written_through_before_published(const std::string& final_path) {
    ASSERT_EQ(seen_syncs.size(), 2u);
    EXPECT_FALSE(seen_syncs[0].is_folder);
    EXPECT_FALSE(seen_syncs[0].final_existed) << "synced after the rename";
    EXPECT_FALSE(seen_syncs[0].bytes.empty());
    EXPECT_TRUE(seen_syncs[0].bytes == read_bytes(final_path))
        << "the published file differs from what was synced (written to after the sync)";
    EXPECT_TRUE(seen_syncs[1].is_folder);
    EXPECT_EQ(fs::path(seen_syncs[1].path), folder_);
    EXPECT_TRUE(seen_syncs[1].final_existed);
  }
  test::ScratchFolder scratch_{"tutti-durable"};
  const fs::path& folder_ = scratch_.path();
};

std::vector<float> tone(std::size_t frames) {
  std::vector<float> samples(frames);
  for (std::size_t i = 0; i < frames; ++i) samples[i] = 0.5f * std::sin(0.05f * static_cast<float>(i));
  return samples;
}

TEST_F(DurablePublish, AWavFileIsSyncedWithItsFinalHeader) {
  const std::string path = watch("clip.wav");
  const kernels::KernelSet& kernels = *kernels::kernel_set(kernels::Backend::scalar);
  AudioFormat format;
  format.sample = SampleFormat::s16;
  auto writer = AudioWriter::create(path, format, kernels);
  ASSERT_TRUE(writer) << writer.error().message();
  const std::vector<float> samples = tone(3000);
  ASSERT_TRUE((*writer)->write(samples.data(), samples.data(), samples.size()));
  ASSERT_TRUE((*writer)->commit());
  expect_written_through_before_published(path);
  // The header's data size, as synced: 3000 stereo 16-bit frames.
  const std::string& synced = seen_syncs[0].bytes;
  ASSERT_GE(synced.size(), 44u);
  std::uint32_t data_bytes = 0;
  std::memcpy(&data_bytes, synced.data() + 40, sizeof data_bytes);
  EXPECT_EQ(data_bytes, 3000u * 4u);
}

TEST_F(DurablePublish, AnHdf5ShardIsSyncedWhole) {
  const std::string path = watch("shard.h5");
  const kernels::KernelSet& kernels = *kernels::kernel_set(kernels::Backend::scalar);
  ShardAttributes attributes;
  attributes.sample_format = SampleFormat::s16;
  auto writer = Hdf5ShardWriter::create(path, attributes, kernels);
  ASSERT_TRUE(writer) << writer.error().message();
  const std::vector<float> samples = tone(2000);
  (*writer)->begin_clip();
  ASSERT_TRUE((*writer)->append(samples.data(), samples.data(), samples.size()));
  ASSERT_TRUE((*writer)->end_clip("a.mid", std::string(64, 'b')));
  ASSERT_TRUE((*writer)->commit());
  expect_written_through_before_published(path);
}

TEST_F(DurablePublish, AManifestIsSyncedWhole) {
  const std::string path = watch("shard.jsonl");
  ManifestRecord record;
  record.source = "a.mid";
  record.path = "/corpus/a.mid";
  record.sha256 = std::string(64, 'c');
  record.ok = true;
  ASSERT_TRUE(write_manifest(path, {record}));
  expect_written_through_before_published(path);
}

TEST_F(DurablePublish, AMissingTemporaryIsAnErrorNamingTheOutput) {
  const std::string path = watch("never.wav");
  const auto published = publish_file((folder_ / ".never.wav.tmp-1-1").string(), path);
  ASSERT_FALSE(published);
  EXPECT_EQ(published.error().file, path);
  EXPECT_NE(published.error().message().find("cannot write output through to disk"), std::string::npos)
      << published.error().message();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(seen_syncs.empty());
}

}  // namespace
}  // namespace tutti::datasets
