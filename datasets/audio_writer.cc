#include "datasets/audio_writer.h"

#include <sndfile.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "datasets/atomic_file.h"

namespace tutti::datasets {

struct AudioWriter::Handle {
  SNDFILE* file = nullptr;
  ~Handle() {
    if (file != nullptr) sf_close(file);
  }
};

bool parse_container_format(std::string_view name, ContainerFormat& format) {
  if (name == "wav") format = ContainerFormat::wav;
  else if (name == "flac") format = ContainerFormat::flac;
  else return false;
  return true;
}

std::string_view extension(ContainerFormat format) {
  return format == ContainerFormat::flac ? ".flac" : ".wav";
}

namespace {

int libsndfile_format(const AudioFormat& format) {
  int container = format.container == ContainerFormat::flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV;
  switch (format.sample) {
    case SampleFormat::s16: return container | SF_FORMAT_PCM_16;
    case SampleFormat::s24: return container | SF_FORMAT_PCM_24;
    case SampleFormat::f32: return container | SF_FORMAT_FLOAT;
  }
  return 0;
}

}  // namespace

Expected<std::unique_ptr<AudioWriter>> AudioWriter::create(const std::string& final_path,
                                                           const AudioFormat& format,
                                                           const kernels::KernelSet& kernels) {
  if (format.container == ContainerFormat::flac && format.sample == SampleFormat::f32) {
    return Unexpected{Error{final_path, "", -1, "FLAC cannot store 32-bit float; use s16 or s24"}};
  }
  std::unique_ptr<AudioWriter> writer(new AudioWriter());
  writer->final_path_ = final_path;
  writer->temporary_path_ = temporary_name_for(final_path);
  writer->format_ = format;
  writer->encoder_ = std::make_unique<InterleavedEncoder>(format.sample, kernels);
  const std::size_t bytes_per_frame =
      static_cast<std::size_t>(format.channels) * (format.sample == SampleFormat::s16 ? 2 : 4);
  writer->flush_frames_ = kFlushBytes / bytes_per_frame;
  SF_INFO info{};
  info.samplerate = format.sample_rate;
  info.channels = format.channels;
  info.format = libsndfile_format(format);
  writer->handle_ = std::make_unique<Handle>();
  writer->handle_->file = sf_open(writer->temporary_path_.c_str(), SFM_WRITE, &info);
  if (writer->handle_->file == nullptr) {
    return Unexpected{Error{final_path, "", -1,
                            std::string("cannot create output: ") + sf_strerror(nullptr)}};
  }
  // libsndfile adds a PEAK chunk with the time of writing to float WAV files; without it the
  // same render gives the same bytes on every run.
  sf_command(writer->handle_->file, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
  return writer;
}

AudioWriter::~AudioWriter() {
  handle_.reset();
  if (!committed_ && !temporary_path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path_, ignored);
  }
}

Expected<void> AudioWriter::fail(const std::string& what) {
  return Unexpected{Error{final_path_, "", -1, what}};
}

Expected<void> AudioWriter::write(const float* left, const float* right, std::size_t frames) {
  if (!handle_ || handle_->file == nullptr) return fail("write after close");
  encoder_->append(left, right, frames);
  frames_written_ += frames;
  if (encoder_->held_frames() >= flush_frames_) return flush();
  return {};
}

Expected<void> AudioWriter::flush() {
  const std::size_t frames = encoder_->held_frames();
  if (frames == 0) return {};
  sf_count_t written = 0;
  const auto count = static_cast<sf_count_t>(frames);
  switch (format_.sample) {
    case SampleFormat::f32:
      written = sf_writef_float(handle_->file, encoder_->f32(), count);
      break;
    case SampleFormat::s16:
      written = sf_writef_short(handle_->file, encoder_->s16(), count);
      break;
    case SampleFormat::s24: {
      // libsndfile's int interface is full-scale 32-bit: move the 24-bit code to the top.
      std::int32_t* pcm = encoder_->s24_mutable();
      for (std::size_t i = 0; i < frames * 2; ++i) {
        pcm[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(pcm[i]) << 8);
      }
      written = sf_writef_int(handle_->file, pcm, count);
      break;
    }
  }
  encoder_->clear();
  if (written != count) {
    return fail(std::string("write failed: ") + sf_strerror(handle_->file));
  }
  return {};
}

Expected<void> AudioWriter::commit() {
  if (!handle_ || handle_->file == nullptr) return fail("commit after close");
  auto flushed = flush();
  if (!flushed) return flushed;
  // Closing writes the header's final sizes; publish_file then writes the whole file through to
  // the disk (libsndfile's own sync, before the header, would leave it out).
  const int status = sf_close(handle_->file);
  handle_->file = nullptr;
  if (status != 0) return fail(std::string("cannot finish output: ") + sf_error_number(status));
  auto published = publish_file(temporary_path_, final_path_);
  if (!published) return published;
  committed_ = true;
  return {};
}

}  // namespace tutti::datasets
