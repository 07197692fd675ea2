#include "datasets/hdf5_shard_writer.h"

#include <hdf5.h>

#include <filesystem>
#include <mutex>
#include <system_error>

#include "datasets/atomic_file.h"

namespace tutti::datasets {

namespace {

// 16384 frames per chunk: 128 KiB of float stereo, a good unit for deflate and for readers
// that slice one clip.
constexpr hsize_t kChunkFrames = 16384;

void silence_hdf5_error_stack() {
  // Errors are reported through Expected with one line; HDF5's own stack dump would be noise.
  static std::once_flag once;
  std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

hid_t memory_type(SampleFormat format) {
  switch (format) {
    case SampleFormat::s16: return H5T_NATIVE_INT16;
    case SampleFormat::s24: return H5T_NATIVE_INT32;
    case SampleFormat::f32: break;
  }
  return H5T_NATIVE_FLOAT;
}

hid_t file_type(SampleFormat format) {
  switch (format) {
    case SampleFormat::s16: return H5T_STD_I16LE;
    case SampleFormat::s24: return H5T_STD_I32LE;
    case SampleFormat::f32: break;
  }
  return H5T_IEEE_F32LE;
}

// Closes an HDF5 identifier with the right function when it goes out of scope.
class Id {
 public:
  Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Id() {
    if (id_ >= 0) close_(id_);
  }
  Id(Id&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Dataset creation properties without object timestamps (HDF5 records them by default), so a
// shard's bytes depend only on what it holds.
Id untimed_dataset() {
  Id properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(properties.get(), false);
  return properties;
}

bool write_string_attribute(hid_t object, const char* name, const std::string& value) {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) return false;
  const char* text = value.c_str();
  return H5Awrite(attribute.get(), type.get(), &text) >= 0;
}

bool write_int_attribute(hid_t object, const char* name, std::int64_t value) {
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute(H5Acreate2(object, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  return attribute.valid() && H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value) >= 0;
}

bool write_int64_dataset(hid_t group, const char* name, const std::vector<std::int64_t>& values) {
  const hsize_t size = values.size();
  Id space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  Id dataset(H5Dcreate2(group, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, untimed_dataset().get(), H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) return false;
  return values.empty() || H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0;
}

bool write_string_dataset(hid_t group, const char* name, const std::vector<std::string>& values, H5T_cset_t cset) {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), cset);
  const hsize_t size = values.size();
  Id space(H5Screate_simple(1, &size, nullptr), H5Sclose);
  Id dataset(H5Dcreate2(group, name, type.get(), space.get(), H5P_DEFAULT, untimed_dataset().get(), H5P_DEFAULT),
             H5Dclose);
  if (!dataset.valid()) return false;
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  return values.empty() || H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) >= 0;
}

}  // namespace

struct Hdf5ShardWriter::Handles {
  hid_t file = -1;
  hid_t audio = -1;
  ~Handles() {
    if (audio >= 0) H5Dclose(audio);
    if (file >= 0) H5Fclose(file);
  }
};

Hdf5ShardWriter::Hdf5ShardWriter(const std::string& final_path, SampleFormat format,
                                 const kernels::KernelSet& kernels)
    : final_path_(final_path), temporary_path_(temporary_name_for(final_path)), encoder_(format, kernels) {}

Expected<void> Hdf5ShardWriter::fail(const std::string& what) const {
  return Unexpected{Error{final_path_, "", -1, what}};
}

Expected<std::unique_ptr<Hdf5ShardWriter>> Hdf5ShardWriter::create(const std::string& final_path,
                                                                   const ShardAttributes& attributes,
                                                                   const kernels::KernelSet& kernels) {
  silence_hdf5_error_stack();
  std::unique_ptr<Hdf5ShardWriter> writer(new Hdf5ShardWriter(final_path, attributes.sample_format, kernels));
  writer->handles_ = std::make_unique<Handles>();
  Handles& h = *writer->handles_;
  Id file_properties(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
  H5Pset_obj_track_times(file_properties.get(), false);  // the root group's timestamps
  h.file = H5Fcreate(writer->temporary_path_.c_str(), H5F_ACC_TRUNC, file_properties.get(), H5P_DEFAULT);
  if (h.file < 0) return Unexpected{Error{final_path, "", -1, "cannot create HDF5 shard (folder unwritable?)"}};

  const hsize_t initial[2] = {0, 2};
  const hsize_t maximum[2] = {H5S_UNLIMITED, 2};
  const hsize_t chunk[2] = {kChunkFrames, 2};
  Id space(H5Screate_simple(2, initial, maximum), H5Sclose);
  Id properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  // No object timestamps: the same inputs give the same shard, byte for byte.
  H5Pset_obj_track_times(properties.get(), false);
  H5Pset_chunk(properties.get(), 2, chunk);
  if (attributes.compression > 0) {
    H5Pset_shuffle(properties.get());
    H5Pset_deflate(properties.get(), static_cast<unsigned>(attributes.compression));
  }
  h.audio = H5Dcreate2(h.file, "audio", file_type(attributes.sample_format), space.get(), H5P_DEFAULT,
                       properties.get(), H5P_DEFAULT);
  if (h.audio < 0) return Unexpected{Error{final_path, "", -1, "cannot create dataset 'audio'"}};

  const bool attributes_written =
      write_int_attribute(h.file, "sample_rate", attributes.sample_rate) &&
      write_string_attribute(h.file, "sample_format", std::string(sample_format_name(attributes.sample_format))) &&
      write_string_attribute(h.file, "soundfont", attributes.soundfont) &&
      write_string_attribute(h.file, "soundfont_sha256", attributes.soundfont_sha256) &&
      write_string_attribute(h.file, "tutti_version", attributes.tutti_version) &&
      write_string_attribute(h.file, "kernel_target", attributes.kernel_target) &&
      write_string_attribute(h.file, "config", attributes.config_json);
  if (!attributes_written) return Unexpected{Error{final_path, "", -1, "cannot write shard attributes"}};
  return writer;
}

Hdf5ShardWriter::~Hdf5ShardWriter() {
  handles_.reset();
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path_, ignored);
  }
}

void Hdf5ShardWriter::begin_clip() {
  clip_start_ = total_frames_;
  clipped_at_clip_start_ = encoder_.clipped_samples();
}

Expected<void> Hdf5ShardWriter::resize_audio(std::int64_t frames) {
  const hsize_t size[2] = {static_cast<hsize_t>(frames), 2};
  if (H5Dset_extent(handles_->audio, size) < 0) return fail("cannot extend dataset 'audio'");
  return {};
}

Expected<void> Hdf5ShardWriter::append(const float* left, const float* right, std::size_t frames) {
  if (!handles_ || handles_->audio < 0) return fail("append after close");
  if (frames == 0) return {};
  encoder_.encode(left, right, frames);
  auto resized = resize_audio(total_frames_ + static_cast<std::int64_t>(frames));
  if (!resized) return resized;
  Id file_space(H5Dget_space(handles_->audio), H5Sclose);
  const hsize_t start[2] = {static_cast<hsize_t>(total_frames_), 0};
  const hsize_t count[2] = {frames, 2};
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
  Id memory_space(H5Screate_simple(2, count, nullptr), H5Sclose);
  const void* data = encoder_.format() == SampleFormat::f32   ? static_cast<const void*>(encoder_.f32())
                     : encoder_.format() == SampleFormat::s16 ? static_cast<const void*>(encoder_.s16())
                                                             : static_cast<const void*>(encoder_.s24());
  if (H5Dwrite(handles_->audio, memory_type(encoder_.format()), memory_space.get(), file_space.get(),
               H5P_DEFAULT, data) < 0) {
    return fail("cannot write audio (disk full?)");
  }
  total_frames_ += static_cast<std::int64_t>(frames);
  return {};
}

Expected<std::int64_t> Hdf5ShardWriter::end_clip(const std::string& source, const std::string& sha256) {
  offsets_.push_back(clip_start_);
  frames_.push_back(total_frames_ - clip_start_);
  sources_.push_back(source);
  sha256s_.push_back(sha256);
  return static_cast<std::int64_t>(offsets_.size()) - 1;
}

Expected<void> Hdf5ShardWriter::abandon_clip() {
  total_frames_ = clip_start_;
  return resize_audio(total_frames_);
}

Expected<void> Hdf5ShardWriter::commit() {
  if (!handles_ || handles_->file < 0) return fail("commit after close");
  {
    Id group_properties(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    H5Pset_obj_track_times(group_properties.get(), false);
    Id clips(H5Gcreate2(handles_->file, "clips", H5P_DEFAULT, group_properties.get(), H5P_DEFAULT), H5Gclose);
    const bool written = clips.valid() && write_int64_dataset(clips.get(), "offset", offsets_) &&
                         write_int64_dataset(clips.get(), "frames", frames_) &&
                         write_string_dataset(clips.get(), "source", sources_, H5T_CSET_UTF8) &&
                         write_string_dataset(clips.get(), "sha256", sha256s_, H5T_CSET_ASCII);
    if (!written) return fail("cannot write the clip table (disk full?)");
  }
  H5Dclose(handles_->audio);
  handles_->audio = -1;
  const herr_t closed = H5Fclose(handles_->file);
  handles_->file = -1;
  if (closed < 0) return fail("cannot finish HDF5 shard (disk full?)");
  auto published = publish_file(temporary_path_, final_path_);
  if (!published) return published;
  committed_ = true;
  return {};
}

}  // namespace tutti::datasets
