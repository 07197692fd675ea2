#pragma once
// SHA-256 (FIPS 180-4) of MIDI files and banks, for manifests, HDF5 clip records and resume:
// a digest names the exact input bytes an output was rendered from.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "engine/common/expected.h"

namespace tutti::datasets {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::uint8_t> bytes);
  // Lower-case hex of the digest; the object is spent afterwards.
  std::string hex_digest();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

std::string sha256_hex(std::span<const std::uint8_t> bytes);
// Streams the file, so a 141 MiB bank costs no memory.
Expected<std::string> sha256_file(const std::string& path);

}  // namespace tutti::datasets
