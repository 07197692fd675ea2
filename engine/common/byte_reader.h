#pragma once
// Bounds-checked reading of untrusted bytes. Every read checks the remaining length first and
// reports failure instead of reading past the end; the parsers turn a failure into an Error
// that names the offset. SMF is big-endian, RIFF little-endian: both are here.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tutti {

class ByteReader {
 public:
  // `base_offset` is the position of bytes[0] in the file, so offsets reported are absolute.
  explicit ByteReader(std::span<const std::uint8_t> bytes, std::int64_t base_offset = 0)
      : bytes_(bytes), base_offset_(base_offset) {}

  std::size_t remaining() const { return bytes_.size() - position_; }
  bool at_end() const { return position_ >= bytes_.size(); }
  std::size_t position() const { return position_; }
  std::int64_t file_offset() const { return base_offset_ + static_cast<std::int64_t>(position_); }

  std::optional<std::uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return bytes_[position_++];
  }
  std::optional<std::uint8_t> peek_u8() const {
    if (remaining() < 1) return std::nullopt;
    return bytes_[position_];
  }
  std::optional<std::uint16_t> u16_be() { return read_uint<std::uint16_t, 2>(true); }
  std::optional<std::uint32_t> u24_be() { return read_uint<std::uint32_t, 3>(true); }
  std::optional<std::uint32_t> u32_be() { return read_uint<std::uint32_t, 4>(true); }
  std::optional<std::uint16_t> u16_le() { return read_uint<std::uint16_t, 2>(false); }
  std::optional<std::uint32_t> u32_le() { return read_uint<std::uint32_t, 4>(false); }
  std::optional<std::int16_t> i16_le() {
    auto value = u16_le();
    if (!value) return std::nullopt;
    return static_cast<std::int16_t>(*value);
  }
  std::optional<std::int8_t> i8() {
    auto value = u8();
    if (!value) return std::nullopt;
    return static_cast<std::int8_t>(*value);
  }

  // `count` bytes as a sub-span; the reader moves past them.
  std::optional<std::span<const std::uint8_t>> bytes(std::size_t count) {
    if (remaining() < count) return std::nullopt;
    auto view = bytes_.subspan(position_, count);
    position_ += count;
    return view;
  }
  // A fixed-width text field (SF2 names, chunk ids): stops at the first NUL, keeps printable
  // ASCII and replaces anything else with '?', so names are always safe to print.
  std::optional<std::string> fixed_string(std::size_t width);

  bool skip(std::size_t count) {
    if (remaining() < count) return false;
    position_ += count;
    return true;
  }
  void seek(std::size_t position) { position_ = position < bytes_.size() ? position : bytes_.size(); }

 private:
  template <typename T, int N>
  std::optional<T> read_uint(bool big_endian) {
    if (remaining() < N) return std::nullopt;
    T value = 0;
    for (int i = 0; i < N; ++i) {
      T byte = bytes_[position_ + (big_endian ? i : N - 1 - i)];
      value = static_cast<T>((value << 8) | byte);
    }
    position_ += N;
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  std::int64_t base_offset_;
  std::size_t position_ = 0;
};

inline std::optional<std::string> ByteReader::fixed_string(std::size_t width) {
  auto raw = bytes(width);
  if (!raw) return std::nullopt;
  std::string text;
  for (std::uint8_t c : *raw) {
    if (c == 0) break;
    text.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  return text;
}

}  // namespace tutti
