// Writes the fuzz targets' seed corpora, all built in code by tests/support (no committed
// binaries):  tutti_fuzz_seeds DIR  creates DIR/smf, DIR/sf2, DIR/render and DIR/bank_render.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "tests/support/hostile_inputs.h"

namespace {

using tutti::test::Bytes;

bool write(const std::filesystem::path& dir, const std::string& name, const Bytes& bytes) {
  if (!tutti::test::write_file((dir / name).string(), bytes)) {
    std::fprintf(stderr, "tutti_fuzz_seeds: cannot write %s\n", (dir / name).c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tutti_fuzz_seeds DIR\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  for (const char* sub : {"smf", "sf2", "render", "bank_render"}) {
    std::error_code error;
    std::filesystem::create_directories(root / sub, error);
    if (error) {
      std::fprintf(stderr, "tutti_fuzz_seeds: cannot create %s: %s\n", (root / sub).c_str(), error.message().c_str());
      return 1;
    }
  }
  bool ok = true;
  // The render target's first byte picks the settings (render_fuzzer.cc); give each song two.
  static constexpr std::uint8_t kConfigs[] = {0x00, 0x01, 0x16, 0x29, 0x47, 0x81, 0xC5, 0xB2};
  std::size_t index = 0;
  for (const auto& song : tutti::test::seed_songs()) {
    ok = write(root / "smf", song.name, song.bytes) && ok;
    for (std::size_t k = 0; k < 2; ++k) {
      Bytes input{kConfigs[(2 * index + k) % std::size(kConfigs)]};
      input.insert(input.end(), song.bytes.begin(), song.bytes.end());
      ok = write(root / "render", std::to_string(k) + "-" + song.name, input) && ok;
    }
    ++index;
  }
  for (const auto& bank : tutti::test::seed_banks()) {
    ok = write(root / "sf2", bank.name, bank.bytes) && ok;
    ok = write(root / "bank_render", bank.name, bank.bytes) && ok;
  }
  return ok ? 0 : 1;
}
