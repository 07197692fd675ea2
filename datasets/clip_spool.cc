#include "datasets/clip_spool.h"

#include <algorithm>
#include <filesystem>

#include "datasets/atomic_file.h"

namespace tutti::datasets {

ClipSpool::~ClipSpool() {
  if (spill_ != nullptr) std::fclose(spill_);
}

Expected<void> ClipSpool::write(const float* left, const float* right, std::size_t frames) {
  if (frames == 0) return {};
  frames_ += static_cast<std::int64_t>(frames);
  if (spill_ == nullptr && (memory_floats_ + 2 * frames) * sizeof(float) <= memory_limit_bytes_) {
    Piece piece;
    piece.frames = static_cast<std::uint32_t>(frames);
    float* into = place_in_memory(2 * frames, piece);
    std::copy(left, left + frames, into);
    std::copy(right, right + frames, into + frames);
    memory_pieces_.push_back(piece);
    memory_floats_ += 2 * frames;
    return {};
  }
  return spill(left, right, frames);
}

float* ClipSpool::place_in_memory(std::size_t floats, Piece& piece) {
  if (pages_.empty() || pages_.back().capacity - pages_.back().used < floats) {
    Page page;
    page.capacity = std::max(kPageFloats, floats);
    page.floats = std::make_unique_for_overwrite<float[]>(page.capacity);
    pages_.push_back(std::move(page));
  }
  Page& page = pages_.back();
  piece.page = pages_.size() - 1;
  piece.offset = page.used;
  page.used += floats;
  return page.floats.get() + piece.offset;
}

Expected<void> ClipSpool::spill(const float* left, const float* right, std::size_t frames) {
  if (spill_ == nullptr) {
    // Unlinked once open: the space is returned however the process ends (POSIX semantics).
    const std::string name = temporary_name_for((std::filesystem::path(spill_folder_) / "spool").string());
    spill_ = std::fopen(name.c_str(), "w+b");
    if (spill_ == nullptr) return Unexpected{Error{name, "", -1, "cannot create spool file for a long clip"}};
    std::remove(name.c_str());
  }
  if (std::fwrite(left, sizeof(float), frames, spill_) != frames ||
      std::fwrite(right, sizeof(float), frames, spill_) != frames) {
    return Unexpected{Error{spill_folder_, "", -1, "cannot write spool file for a long clip (disk full?)"}};
  }
  spilled_pieces_.push_back(static_cast<std::uint32_t>(frames));
  return {};
}

Expected<void> ClipSpool::read(const PieceReader& reader) {
  for (const Piece& piece : memory_pieces_) {
    const float* left = pages_[piece.page].floats.get() + piece.offset;
    auto done = reader(left, left + piece.frames, piece.frames);
    if (!done) return done;
  }
  if (spill_ == nullptr) return {};
  if (std::fflush(spill_) != 0 || std::fseek(spill_, 0, SEEK_SET) != 0) {
    return Unexpected{Error{spill_folder_, "", -1, "cannot read back spool file"}};
  }
  std::vector<float> piece;
  for (const std::uint32_t frames : spilled_pieces_) {
    piece.resize(2 * static_cast<std::size_t>(frames));
    if (std::fread(piece.data(), sizeof(float), piece.size(), spill_) != piece.size()) {
      return Unexpected{Error{spill_folder_, "", -1, "spool file is short"}};
    }
    auto done = reader(piece.data(), piece.data() + frames, frames);
    if (!done) return done;
  }
  return {};
}

}  // namespace tutti::datasets
