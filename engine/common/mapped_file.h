#pragma once
// A read-only memory map of a whole file: the one place that calls the OS for it, so a port
// to another OS touches this file pair only. Banks are mapped once and shared by all threads.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "engine/common/expected.h"

namespace tutti {

class MappedFile {
 public:
  static Expected<MappedFile> open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }

 private:
  void release();
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

}  // namespace tutti
