#include "tools/analysis/audio_file.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "tools/analysis/audio_buffer.h"

namespace tutti::analysis {
namespace {

namespace fs = std::filesystem;

class AudioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::temp_directory_path() /
                 (std::string("tutti_analysis_") + info->name() + "_" +
                  std::to_string(std::random_device{}()));
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Written with libsndfile directly (not through the code under test), from int or float data.
  template <typename Sample>
  fs::path write_with_libsndfile(const std::string& name, int format, int channels, int rate,
                                 const std::vector<Sample>& interleaved) {
    const fs::path path = directory_ / name;
    SF_INFO info{};
    info.channels = channels;
    info.samplerate = rate;
    info.format = format;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    EXPECT_NE(file, nullptr) << sf_strerror(nullptr);
    const sf_count_t frames = static_cast<sf_count_t>(interleaved.size()) / channels;
    if constexpr (std::is_same_v<Sample, short>) {
      EXPECT_EQ(sf_writef_short(file, interleaved.data(), frames), frames);
    } else if constexpr (std::is_same_v<Sample, int>) {
      EXPECT_EQ(sf_writef_int(file, interleaved.data(), frames), frames);
    } else {
      EXPECT_EQ(sf_writef_float(file, interleaved.data(), frames), frames);
    }
    sf_close(file);
    return path;
  }

  fs::path directory_;
};

TEST_F(AudioFileTest, ReadsStereoPcm16Exactly) {
  std::vector<short> samples;
  for (int frame = 0; frame < 1000; ++frame) {
    samples.push_back(static_cast<short>(frame * 37 - 20000));
    samples.push_back(static_cast<short>(-frame * 11 + 5));
  }
  samples.push_back(-32768);
  samples.push_back(32767);
  const auto path = write_with_libsndfile("s16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 44100,
                                          samples);

  const auto audio = read_audio_file(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().message();
  EXPECT_EQ(audio->sample_rate, 44100);
  EXPECT_EQ(audio->channels, 2);
  ASSERT_EQ(audio->frames(), 1001);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    // libsndfile's normalisation of 16-bit integers is x / 32768: exact in float.
    ASSERT_EQ(audio->interleaved[i], samples[i] / 32768.0f) << "sample " << i;
  }
}

TEST_F(AudioFileTest, ReadsPcm24Exactly) {
  // sf_writef_int takes 32-bit values; the file keeps their top 24 bits.
  std::vector<int> samples;
  for (int i = 0; i < 500; ++i) samples.push_back((i * 16411 - 4000000) * 256);
  const auto path = write_with_libsndfile("s24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1, 48000,
                                          samples);
  const auto audio = read_audio_file(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().message();
  EXPECT_EQ(audio->sample_rate, 48000);
  ASSERT_EQ(audio->frames(), 500);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    ASSERT_FLOAT_EQ(audio->interleaved[i], static_cast<float>((samples[i] / 256) / 8388608.0));
  }
}

TEST_F(AudioFileTest, ReadsFloat32BitExactly) {
  std::vector<float> samples;
  for (int i = 0; i < 3 * 777; ++i) samples.push_back(std::sin(0.001f * i * i) * 0.9f);
  samples[5] = 1.5f;  // float WAV may exceed full scale; reading must not clip it
  const auto path = write_with_libsndfile("f32.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 22050,
                                          samples);
  const auto audio = read_audio_file(path);
  ASSERT_TRUE(audio.has_value()) << audio.error().message();
  EXPECT_EQ(audio->channels, 3);
  EXPECT_EQ(audio->interleaved, samples);
  EXPECT_DOUBLE_EQ(audio->seconds(), 777.0 / 22050.0);
}

TEST_F(AudioFileTest, MaxSecondsReadsOnlyTheStart) {
  std::vector<float> samples(2 * 10000, 0.25f);
  const auto path = write_with_libsndfile("long.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 10000,
                                          samples);
  ReadOptions options;
  options.max_seconds = 0.25;
  const auto audio = read_audio_file(path, options);
  ASSERT_TRUE(audio.has_value());
  EXPECT_EQ(audio->frames(), 2500);
}

TEST_F(AudioFileTest, InfoComesFromTheHeader) {
  std::vector<short> samples(2 * 4410, 100);
  const auto path = write_with_libsndfile("info.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 44100,
                                          samples);
  const auto info = read_audio_file_info(path);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->sample_rate, 44100);
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(info->frames, 4410);
  EXPECT_DOUBLE_EQ(info->seconds(), 0.1);
  EXPECT_FALSE(read_audio_file_info(directory_ / "nothing.wav").has_value());
}

TEST_F(AudioFileTest, WriterRoundTripsThroughTheReader) {
  AudioBuffer original;
  original.sample_rate = 32000;
  original.channels = 2;
  for (int i = 0; i < 2 * 3000; ++i) {
    original.interleaved.push_back(0.8f * std::sin(0.01f * static_cast<float>(i)));
  }
  for (const auto& [format, tolerance] :
       {std::pair{WavSampleFormat::kFloat32, 0.0}, std::pair{WavSampleFormat::kPcm24, 2.0 / 8388608},
        std::pair{WavSampleFormat::kPcm16, 2.0 / 32768}}) {
    const auto path = directory_ / ("written" + std::to_string(static_cast<int>(format)) + ".wav");
    ASSERT_TRUE(write_wav_file(path, original, format).has_value());
    const auto audio = read_audio_file(path);
    ASSERT_TRUE(audio.has_value());
    EXPECT_EQ(audio->sample_rate, 32000);
    EXPECT_EQ(audio->channels, 2);
    ASSERT_EQ(audio->interleaved.size(), original.interleaved.size());
    for (std::size_t i = 0; i < original.interleaved.size(); ++i) {
      ASSERT_NEAR(audio->interleaved[i], original.interleaved[i], tolerance) << "sample " << i;
    }
  }
}

TEST_F(AudioFileTest, MissingFileErrorNamesTheFile) {
  const auto path = directory_ / "does_not_exist.wav";
  const auto audio = read_audio_file(path);
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().file, path.string());
  EXPECT_NE(audio.error().message().find("does_not_exist.wav"), std::string::npos);
}

TEST_F(AudioFileTest, NonAudioFileIsAnError) {
  const auto path = directory_ / "notes.wav";
  std::ofstream(path) << "this is not a RIFF file";
  const auto audio = read_audio_file(path);
  ASSERT_FALSE(audio.has_value());
  EXPECT_EQ(audio.error().file, path.string());
}

TEST(AudioBuffer, MonoMixIsTheMeanOfTheChannels) {
  AudioBuffer stereo{44100, 2, {1.0f, 0.0f, 0.5f, -0.5f, -1.0f, 0.25f}};
  EXPECT_EQ(mono_mix(stereo), (std::vector<float>{0.5f, 0.0f, -0.375f}));
  EXPECT_EQ(extract_channel(stereo, 1), (std::vector<float>{0.0f, -0.5f, 0.25f}));
  const auto planar = to_planar(stereo);
  ASSERT_EQ(planar.size(), 2u);
  EXPECT_EQ(planar[0], (std::vector<float>{1.0f, 0.5f, -1.0f}));
  EXPECT_EQ(first_frames(stereo, 2).interleaved, (std::vector<float>{1.0f, 0.0f, 0.5f, -0.5f}));
  EXPECT_EQ(first_frames(stereo, 99).frames(), 3);
}

TEST(AudioBuffer, MonoMixOfMonoIsTheSignal) {
  AudioBuffer mono{8000, 1, {0.1f, 0.2f, 0.3f}};
  EXPECT_EQ(mono_mix(mono), mono.interleaved);
}

}  // namespace
}  // namespace tutti::analysis
