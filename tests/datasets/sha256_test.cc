#include "datasets/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tutti::datasets {
namespace {

std::string digest_of(const std::string& text) {
  return sha256_hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// FIPS 180-4 example vectors.
TEST(Sha256, MatchesTheStandardsVectors) {
  EXPECT_EQ(digest_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(digest_of(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesGiveTheSameDigestAsOneUpdate) {
  std::vector<std::uint8_t> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 31);
  for (std::size_t cut : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 999u}) {
    Sha256 hash;
    hash.update(std::span<const std::uint8_t>(bytes.data(), cut));
    hash.update(std::span<const std::uint8_t>(bytes.data() + cut, bytes.size() - cut));
    EXPECT_EQ(hash.hex_digest(), sha256_hex(bytes)) << cut;
  }
}

}  // namespace
}  // namespace tutti::datasets
