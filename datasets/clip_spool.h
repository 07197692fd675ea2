#pragma once
// A rendered clip waiting for its turn in an HDF5 shard. Files render in parallel but a shard
// stores clips one after another in input order, so a clip that finishes early waits here.
// The first `memory_limit_bytes` stay in memory; the rest spills to an anonymous file in the
// output folder, so a 30-minute file costs disk, not memory.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "engine/common/expected.h"

namespace tutti::datasets {

class ClipSpool {
 public:
  ClipSpool(std::string spill_folder, std::size_t memory_limit_bytes)
      : spill_folder_(std::move(spill_folder)), memory_limit_bytes_(memory_limit_bytes) {}
  ~ClipSpool();
  ClipSpool(const ClipSpool&) = delete;
  ClipSpool& operator=(const ClipSpool&) = delete;

  Expected<void> write(const float* left, const float* right, std::size_t frames);
  std::int64_t frames() const { return frames_; }

  // Hands the clip back in the pieces it was written in, in order.
  using PieceReader = std::function<Expected<void>(const float* left, const float* right, std::size_t frames)>;
  Expected<void> read(const PieceReader& reader);

 private:
  Expected<void> spill(const float* left, const float* right, std::size_t frames);

  std::string spill_folder_;
  std::size_t memory_limit_bytes_;
  // Each piece is its left frames then its right frames.
  std::vector<float> memory_;
  std::vector<std::uint32_t> memory_pieces_;
  std::FILE* spill_ = nullptr;
  std::vector<std::uint32_t> spilled_pieces_;
  std::int64_t frames_ = 0;
};

}  // namespace tutti::datasets
