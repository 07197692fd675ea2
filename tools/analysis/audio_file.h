#pragma once
// Reading and writing audio files through libsndfile (WAV s16/s24/f32, FLAC, AIFF... whatever
// the installed libsndfile decodes). Integer formats are scaled to full-scale floats by
// libsndfile's normalisation (s16: x / 32768).
#include <cstdint>
#include <filesystem>
#include <optional>

#include "engine/common/expected.h"
#include "tools/analysis/audio_buffer.h"

namespace tutti::analysis {

struct ReadOptions {
  // Stop after this many seconds of audio; nullopt reads the whole file. Saves decoding time
  // when only the start of a long file is analysed.
  std::optional<double> max_seconds;
};

// Errors name the file and say what libsndfile reported.
Expected<AudioBuffer> read_audio_file(const std::filesystem::path& path,
                                      const ReadOptions& options = {});

struct AudioFileInfo {
  int sample_rate = 0;
  int channels = 0;
  std::int64_t frames = 0;  // as the header states it; -1 when it does not know (a stream)
  double seconds() const {
    return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0.0;
  }
};

// The format and length from the file's header, without decoding any audio.
Expected<AudioFileInfo> read_audio_file_info(const std::filesystem::path& path);

enum class WavSampleFormat { kPcm16, kPcm24, kFloat32 };

// Writes a WAV file, clipping out-of-range values for the integer formats (instead of letting
// them wrap). Meant for tests and for dumping a failing render next to its report.
Expected<void> write_wav_file(const std::filesystem::path& path, const AudioBuffer& audio,
                              WavSampleFormat format);

}  // namespace tutti::analysis
