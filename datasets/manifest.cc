#include "datasets/manifest.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "datasets/atomic_file.h"

namespace tutti::datasets {

using nlohmann::json;

std::string to_json_line(const ManifestRecord& record) {
  json line = {
      {"source", record.source},
      {"path", record.path},
      {"sha256", record.sha256},
      {"status", record.ok ? "ok" : "error"},
  };
  if (!record.ok) line["error"] = record.error;
  line["output"] = record.output;
  if (record.clip >= 0) line["clip"] = record.clip;
  line["frames"] = record.frames;
  line["duration"] = record.duration_seconds;
  line["notes"] = record.notes;
  line["programs"] = record.programs;
  line["percussion"] = record.percussion;
  line["peak_voices"] = record.peak_voices;
  line["render_seconds"] = record.render_seconds;
  if (record.has_clipping_count) line["clipped_samples"] = record.clipped_samples;
  // Replacement of invalid UTF-8 keeps a line writable whatever bytes a file name holds.
  return line.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool parse_json_line(const std::string& line, ManifestRecord& record) {
  const json value = json::parse(line, nullptr, false);
  if (value.is_discarded() || !value.is_object()) return false;
  try {
    record = ManifestRecord{};
    record.source = value.at("source").get<std::string>();
    record.path = value.value("path", "");
    record.sha256 = value.value("sha256", "");
    record.ok = value.at("status").get<std::string>() == "ok";
    record.error = value.value("error", "");
    record.output = value.value("output", "");
    record.clip = value.value("clip", std::int64_t{-1});
    record.frames = value.value("frames", std::int64_t{0});
    record.duration_seconds = value.value("duration", 0.0);
    record.notes = value.value("notes", std::uint64_t{0});
    record.programs = value.value("programs", std::vector<int>{});
    record.percussion = value.value("percussion", false);
    record.peak_voices = value.value("peak_voices", 0);
    record.render_seconds = value.value("render_seconds", 0.0);
    record.has_clipping_count = value.contains("clipped_samples");
    record.clipped_samples = value.value("clipped_samples", std::uint64_t{0});
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

Expected<std::map<std::string, ManifestRecord>> read_manifest(const std::string& path) {
  std::map<std::string, ManifestRecord> records;
  std::ifstream file(path);
  if (!file) return records;
  std::string line;
  while (std::getline(file, line)) {
    ManifestRecord record;
    if (parse_json_line(line, record)) records[record.source] = std::move(record);
  }
  if (file.bad()) return Unexpected{Error{path, "", -1, "cannot read manifest"}};
  return records;
}

namespace {

Expected<void> put_line(std::FILE* file, const std::string& path, const ManifestRecord& record) {
  const std::string line = to_json_line(record) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() || std::fflush(file) != 0) {
    return Unexpected{Error{path, "", -1, "cannot write manifest (disk full?)"}};
  }
  return {};
}

}  // namespace

ManifestWriter::~ManifestWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Expected<void> ManifestWriter::start(const std::string& path, const std::vector<ManifestRecord>& kept) {
  auto written = write_manifest(path, kept);
  if (!written) return written;
  path_ = path;
  file_ = std::fopen(path.c_str(), "ab");
  if (file_ == nullptr) return Unexpected{Error{path, "", -1, "cannot open manifest for appending"}};
  return {};
}

Expected<void> ManifestWriter::append(const ManifestRecord& record) {
  if (file_ == nullptr) return Unexpected{Error{path_, "", -1, "manifest is not open"}};
  return put_line(file_, path_, record);
}

Expected<void> ManifestWriter::close() {
  if (file_ == nullptr) return {};
  const int status = std::fclose(file_);
  file_ = nullptr;
  if (status != 0) return Unexpected{Error{path_, "", -1, "cannot finish manifest"}};
  return {};
}

Expected<void> write_manifest(const std::string& path, const std::vector<ManifestRecord>& records) {
  const std::string temporary = temporary_name_for(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return Unexpected{Error{path, "", -1, "cannot create manifest"}};
  for (const ManifestRecord& record : records) {
    auto written = put_line(file, path, record);
    if (!written) {
      std::fclose(file);
      std::remove(temporary.c_str());
      return written;
    }
  }
  if (std::fclose(file) != 0) {
    std::remove(temporary.c_str());
    return Unexpected{Error{path, "", -1, "cannot finish manifest (disk full?)"}};
  }
  return publish_file(temporary, path);
}

}  // namespace tutti::datasets
