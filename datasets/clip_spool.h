#pragma once
// A rendered clip waiting for its turn in an HDF5 shard. Files render in parallel but a shard
// stores clips one after another in input order, so a clip that finishes early waits here.
// The first `memory_limit_bytes` stay in memory; the rest spills to an anonymous file in the
// output folder, so a 30-minute file costs disk, not memory.
//
// In memory, pieces go into pages of one size (kPageFloats) rather than into one vector grown
// to the clip's length: with several clips in flight, each grown by doubling and freed in turn,
// the heap filled with freed blocks of every size from 128 KiB to 8 MiB, which later requests
// rarely fitted. Pages of one size are reused as they are freed (see also tools/heap_policy).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
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
  // A page holds this many floats (256 KiB); a piece larger than that gets a page of its own size.
  static constexpr std::size_t kPageFloats = std::size_t{1} << 16;

  // Hands the clip back in the pieces it was written in, in order.
  using PieceReader = std::function<Expected<void>(const float* left, const float* right, std::size_t frames)>;
  Expected<void> read(const PieceReader& reader);

 private:
  Expected<void> spill(const float* left, const float* right, std::size_t frames);

  std::string spill_folder_;
  std::size_t memory_limit_bytes_;
  // Each piece is its left frames then its right frames, whole within one page.
  struct Page {
    std::unique_ptr<float[]> floats;
    std::size_t capacity = 0;
    std::size_t used = 0;
  };
  struct Piece {
    std::size_t page = 0;
    std::size_t offset = 0;
    std::uint32_t frames = 0;
  };
  float* place_in_memory(std::size_t floats, Piece& piece);
  std::vector<Page> pages_;
  std::vector<Piece> memory_pieces_;
  std::size_t memory_floats_ = 0;  // the pieces' floats (what the limit counts)
  std::FILE* spill_ = nullptr;
  std::vector<std::uint32_t> spilled_pieces_;
  std::int64_t frames_ = 0;
};

}  // namespace tutti::datasets
