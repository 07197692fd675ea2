// The audio writer gathers a render's blocks into large writes: the file grows in runs of about
// AudioWriter::kFlushBytes, not block by block, and what it holds once committed reads back as
// exactly the encoding of every frame handed to it, in every sample format and container,
// whatever the sizes of the pieces.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/audio_writer.h"
#include "kernels/kernel_set.h"
#include "tests/datasets/scratch_folder.h"

namespace tutti::datasets {
namespace {

namespace fs = std::filesystem;

class AudioWriterTest : public ::testing::Test {
 protected:
  // The one file in the folder: the writer's temporary before commit.
  std::uintmax_t only_file_size() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder_)) files.push_back(entry.path());
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? 0 : fs::file_size(files.front());
  }

  test::ScratchFolder scratch_{"tutti-audio-writer"};
  const fs::path& folder_ = scratch_.path();
};

// A stereo test signal with values beyond full scale, so clipping is part of what is compared.
struct Signal {
  std::vector<float> left, right;
  explicit Signal(std::size_t frames) : left(frames), right(frames) {
    for (std::size_t i = 0; i < frames; ++i) {
      left[i] = 1.2f * static_cast<float>(std::sin(0.01 * static_cast<double>(i)));
      right[i] = 0.7f * static_cast<float>(std::cos(0.0031 * static_cast<double>(i)));
    }
  }
};

// Writes `signal` in pieces of `piece` frames and commits.
void write_in_pieces(const std::string& path, const AudioFormat& format, const Signal& signal, std::size_t piece) {
  const kernels::KernelSet& kernels = *kernels::kernel_set(kernels::Backend::scalar);
  auto writer = AudioWriter::create(path, format, kernels);
  ASSERT_TRUE(writer) << writer.error().message();
  for (std::size_t first = 0; first < signal.left.size(); first += piece) {
    const std::size_t frames = std::min(piece, signal.left.size() - first);
    ASSERT_TRUE((*writer)->write(signal.left.data() + first, signal.right.data() + first, frames));
  }
  EXPECT_EQ((*writer)->frames_written(), signal.left.size());
  ASSERT_TRUE((*writer)->commit());
}

TEST_F(AudioWriterTest, GathersBlocksIntoLargeWrites) {
  constexpr std::size_t kBlock = 4096;  // what a render hands over at a time
  constexpr std::size_t kBytesPerFrame = 4;  // 16-bit stereo
  constexpr std::size_t kFlushFrames = AudioWriter::kFlushBytes / kBytesPerFrame;
  const AudioFormat format{ContainerFormat::wav, SampleFormat::s16, 44100, 2};
  const Signal signal(3 * kFlushFrames);
  const kernels::KernelSet& kernels = *kernels::kernel_set(kernels::Backend::scalar);
  auto writer = AudioWriter::create((folder_ / "out.wav").string(), format, kernels);
  ASSERT_TRUE(writer);
  std::size_t written = 0;
  auto write_block = [&] {
    ASSERT_TRUE((*writer)->write(signal.left.data() + written, signal.right.data() + written, kBlock));
    written += kBlock;
  };
  // Short of a full run, nothing but the header has reached the file.
  while (written + kBlock < kFlushFrames) write_block();
  EXPECT_LT(only_file_size(), 4096u) << "blocks went to the file one by one";
  // The block that completes a run sends the whole run.
  write_block();
  EXPECT_GE(only_file_size(), AudioWriter::kFlushBytes);
  EXPECT_LT(only_file_size(), AudioWriter::kFlushBytes + 4096u);
  ASSERT_TRUE((*writer)->commit());
  EXPECT_EQ(fs::file_size(folder_ / "out.wav"), 44 + written * kBytesPerFrame);
}

// libsndfile's readers, by sample type.
sf_count_t read_frames(SNDFILE* file, int* samples, sf_count_t frames) { return sf_readf_int(file, samples, frames); }
sf_count_t read_frames(SNDFILE* file, float* samples, sf_count_t frames) {
  return sf_readf_float(file, samples, frames);
}

// Reads a committed file back, interleaved: as 32-bit integers (16- and 24-bit codes moved to
// the top, as libsndfile scales them) or as floats.
template <class Sample>
std::vector<Sample> read_back(const std::string& path, std::size_t frames) {
  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
  if (file == nullptr) return {};
  EXPECT_EQ(static_cast<std::size_t>(info.frames), frames);
  std::vector<Sample> samples(frames * 2);
  EXPECT_EQ(read_frames(file, samples.data(), static_cast<sf_count_t>(frames)), static_cast<sf_count_t>(frames));
  sf_close(file);
  return samples;
}

// The scalar encoding of the signal, interleaved, as libsndfile's int interface reads it back.
std::vector<int> expected_ints(const Signal& signal, SampleFormat sample) {
  const kernels::KernelSet& kernels = *kernels::kernel_set(kernels::Backend::scalar);
  const std::size_t frames = signal.left.size();
  std::vector<float> interleaved(frames * 2);
  for (std::size_t i = 0; i < frames; ++i) {
    interleaved[2 * i] = signal.left[i];
    interleaved[2 * i + 1] = signal.right[i];
  }
  std::vector<int> expected(frames * 2);
  if (sample == SampleFormat::s16) {
    std::vector<std::int16_t> pcm(frames * 2);
    kernels.to_pcm16(interleaved.data(), pcm.size(), pcm.data());
    for (std::size_t i = 0; i < pcm.size(); ++i) expected[i] = static_cast<int>(static_cast<unsigned>(pcm[i]) << 16);
  } else {
    std::vector<std::int32_t> pcm(frames * 2);
    kernels.to_pcm24(interleaved.data(), pcm.size(), pcm.data());
    for (std::size_t i = 0; i < pcm.size(); ++i) expected[i] = static_cast<int>(static_cast<unsigned>(pcm[i]) << 8);
  }
  return expected;
}

TEST_F(AudioWriterTest, IntegerFilesReadBackAsTheirEncodingWhateverThePieces) {
  // Odd pieces, over several runs and a partial last one.
  const Signal signal(2 * 262144 + 12345);
  for (ContainerFormat container : {ContainerFormat::wav, ContainerFormat::flac}) {
    for (SampleFormat sample : {SampleFormat::s16, SampleFormat::s24}) {
      for (std::size_t piece : {std::size_t{4093}, std::size_t{1}, std::size_t{300000}}) {
        if (piece == 1 && container == ContainerFormat::flac) continue;  // slow, and the WAV run covers it
        const std::string name = std::string(sample_format_name(sample)) + "-" + std::to_string(piece) +
                                 std::string(extension(container));
        const std::string path = (folder_ / name).string();
        write_in_pieces(path, AudioFormat{container, sample, 44100, 2}, signal, piece);
        EXPECT_TRUE(read_back<int>(path, signal.left.size()) == expected_ints(signal, sample)) << name;
      }
    }
  }
}

TEST_F(AudioWriterTest, FloatFilesReadBackExactly) {
  const Signal signal(262144 + 777);
  const std::string path = (folder_ / "float.wav").string();
  write_in_pieces(path, AudioFormat{ContainerFormat::wav, SampleFormat::f32, 44100, 2}, signal, 4093);
  const std::vector<float> samples = read_back<float>(path, signal.left.size());
  ASSERT_EQ(samples.size(), 2 * signal.left.size());
  for (std::size_t i = 0; i < signal.left.size(); ++i) {
    ASSERT_EQ(samples[2 * i], signal.left[i]) << "frame " << i;
    ASSERT_EQ(samples[2 * i + 1], signal.right[i]) << "frame " << i;
  }
}

}  // namespace
}  // namespace tutti::datasets
