// ClipSpool hands a clip back exactly as it was written, piece by piece and in order: pieces
// that fill pages, that do not fit a page's rest, that are larger than a page, and those past
// the memory limit that spill to disk.
#include "datasets/clip_spool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace tutti::datasets {
namespace {

struct Piece {
  std::vector<float> left, right;
};

// Distinct values everywhere, so a piece read from the wrong place or channel shows.
Piece make_piece(std::size_t frames, int number) {
  Piece piece;
  for (std::size_t k = 0; k < frames; ++k) {
    piece.left.push_back(static_cast<float>(number * 1000003 + static_cast<int>(k)));
    piece.right.push_back(-static_cast<float>(number * 1000003 + static_cast<int>(k)) - 0.5f);
  }
  return piece;
}

void expect_round_trip(const std::vector<std::size_t>& sizes, std::size_t memory_limit_bytes) {
  ClipSpool spool(std::filesystem::temp_directory_path().string(), memory_limit_bytes);
  std::vector<Piece> written;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    written.push_back(make_piece(sizes[i], static_cast<int>(i)));
    ASSERT_TRUE(spool.write(written.back().left.data(), written.back().right.data(), sizes[i]));
    total += static_cast<std::int64_t>(sizes[i]);
  }
  EXPECT_EQ(spool.frames(), total);
  std::vector<Piece> read;
  ASSERT_TRUE(spool.read([&](const float* left, const float* right, std::size_t frames) -> Expected<void> {
    read.push_back({std::vector<float>(left, left + frames), std::vector<float>(right, right + frames)});
    return {};
  }));
  std::vector<Piece> nonempty;
  for (const Piece& piece : written) {
    if (!piece.left.empty()) nonempty.push_back(piece);
  }
  ASSERT_EQ(read.size(), nonempty.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].left, nonempty[i].left) << "piece " << i;
    EXPECT_EQ(read[i].right, nonempty[i].right) << "piece " << i;
  }
}

constexpr std::size_t kPage = ClipSpool::kPageFloats;  // floats: a piece of n frames takes 2n

TEST(ClipSpool, PiecesThatFillPagesComeBackInOrder) {
  // Windows of 4096 frames: eight to a page exactly, then the next page.
  expect_round_trip(std::vector<std::size_t>(20, 4096), 64u << 20);
}

TEST(ClipSpool, APieceThatDoesNotFitAPagesRestStartsAPage) {
  expect_round_trip({kPage / 2 - 7, 100, kPage / 2 - 50, 3, 1, 0, kPage / 2, 17}, 64u << 20);
}

TEST(ClipSpool, APieceLargerThanAPageGetsItsOwn) {
  expect_round_trip({10, kPage, 3 * kPage / 2 + 1, 10, kPage / 2}, 64u << 20);
}

TEST(ClipSpool, PiecesPastTheMemoryLimitSpillToDiskAndComeBackAfterTheOthers) {
  // Room in memory for three pieces of 1000 frames (8 KB each), then the file.
  expect_round_trip(std::vector<std::size_t>(9, 1000), 3 * 8000);
}

}  // namespace
}  // namespace tutti::datasets
