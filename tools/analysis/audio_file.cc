#include "tools/analysis/audio_file.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

namespace tutti::analysis {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfileHandle = std::unique_ptr<SNDFILE, SndfileCloser>;

Unexpected file_error(const std::filesystem::path& path, std::string what) {
  return Unexpected{Error{path.string(), "", -1, std::move(what)}};
}

// Frames decoded per sf_readf_float call; the total is not trusted (pipes and some headers
// report SF_COUNT_MAX), so the file is read until libsndfile stops returning frames.
constexpr sf_count_t kReadChunkFrames = 1 << 16;

// A decoded file larger than this is refused rather than exhausting memory on a corrupt header.
constexpr std::int64_t kMaxSamples = std::int64_t{1} << 31;

}  // namespace

Expected<AudioFileInfo> read_audio_file_info(const std::filesystem::path& path) {
  SF_INFO info{};
  SndfileHandle file(sf_open(path.string().c_str(), SFM_READ, &info));
  if (!file) {
    return file_error(path, std::string("cannot open audio file: ") + sf_strerror(nullptr));
  }
  // libsndfile reports SF_COUNT_MAX when the length is unknown (a stream).
  const std::int64_t frames = info.frames == SF_COUNT_MAX ? -1 : info.frames;
  return AudioFileInfo{info.samplerate, info.channels, frames};
}

Expected<AudioBuffer> read_audio_file(const std::filesystem::path& path,
                                      const ReadOptions& options) {
  SF_INFO info{};
  SndfileHandle file(sf_open(path.string().c_str(), SFM_READ, &info));
  if (!file) {
    return file_error(path, std::string("cannot open audio file: ") + sf_strerror(nullptr));
  }
  if (info.channels <= 0 || info.samplerate <= 0) {
    return file_error(path, "audio file has " + std::to_string(info.channels) + " channels at " +
                                std::to_string(info.samplerate) + " Hz");
  }

  std::int64_t frame_limit = kMaxSamples / info.channels;
  if (options.max_seconds) {
    if (!(*options.max_seconds >= 0.0)) {
      return file_error(path, "max_seconds must be non-negative");
    }
    const double limit = std::ceil(*options.max_seconds * info.samplerate);
    if (limit < static_cast<double>(frame_limit)) frame_limit = static_cast<std::int64_t>(limit);
  }

  AudioBuffer audio;
  audio.sample_rate = info.samplerate;
  audio.channels = info.channels;
  if (info.frames > 0 && info.frames < frame_limit) {
    audio.interleaved.reserve(static_cast<std::size_t>(info.frames * info.channels));
  }

  std::int64_t frames_read = 0;
  while (frames_read < frame_limit) {
    const sf_count_t wanted = std::min<sf_count_t>(kReadChunkFrames, frame_limit - frames_read);
    const std::size_t old_size = audio.interleaved.size();
    audio.interleaved.resize(old_size + static_cast<std::size_t>(wanted * info.channels));
    const sf_count_t got = std::max<sf_count_t>(
        0, sf_readf_float(file.get(), audio.interleaved.data() + old_size, wanted));
    audio.interleaved.resize(old_size + static_cast<std::size_t>(got * info.channels));
    frames_read += got;
    if (got < wanted) break;
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR) {
    return file_error(path, std::string("error while decoding: ") + sf_strerror(file.get()));
  }
  return audio;
}

Expected<void> write_wav_file(const std::filesystem::path& path, const AudioBuffer& audio,
                              WavSampleFormat format) {
  if (audio.channels <= 0 || audio.sample_rate <= 0) {
    return file_error(path, "cannot write audio with " + std::to_string(audio.channels) +
                                " channels at " + std::to_string(audio.sample_rate) + " Hz");
  }
  SF_INFO info{};
  info.samplerate = audio.sample_rate;
  info.channels = audio.channels;
  switch (format) {
    case WavSampleFormat::kPcm16: info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16; break;
    case WavSampleFormat::kPcm24: info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24; break;
    case WavSampleFormat::kFloat32: info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT; break;
  }
  SndfileHandle file(sf_open(path.string().c_str(), SFM_WRITE, &info));
  if (!file) {
    return file_error(path, std::string("cannot create audio file: ") + sf_strerror(nullptr));
  }
  sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
  const sf_count_t frames = audio.frames();
  if (sf_writef_float(file.get(), audio.interleaved.data(), frames) != frames) {
    return file_error(path, std::string("short write: ") + sf_strerror(file.get()));
  }
  if (sf_close(file.release()) != 0) {
    return file_error(path, "cannot finish writing the audio file");
  }
  return {};
}

}  // namespace tutti::analysis
