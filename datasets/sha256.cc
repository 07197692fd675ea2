#include "datasets/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

namespace tutti::datasets {

void Sha256::FreeContext::operator()(evp_md_ctx_st* context) const { EVP_MD_CTX_free(context); }

namespace {

// OpenSSL initialised for a digest alone: without reading the system's openssl.cnf and without
// registering every cipher and digest name (the digest is fetched from the default provider
// anyway). Its default initialisation cost about 1 ms of CPU per process, a tenth of a one-file
// render's start-up, on every file of a one-process-per-file job.
bool initialise_openssl_for_digests() {
  return OPENSSL_init_crypto(
             OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS,
             nullptr) == 1;
}

}  // namespace

Sha256::Sha256() {
  // Once per process, before the first context; a failure shows as the digest failing to start.
  static const bool initialised = initialise_openssl_for_digests();
  (void)initialised;
  context_.reset(EVP_MD_CTX_new());
  // Only allocation can fail here; a digest that cannot start is a broken process, not bad input.
  if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
  }
}

void Sha256::update(std::span<const std::uint8_t> bytes) {
  if (!bytes.empty()) EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
}

std::string Sha256::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_.get(), digest.data(), &length);
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

Expected<std::string> sha256_file(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Unexpected{Error{path, "", -1, "cannot open for hashing"}};
  Sha256 hash;
  std::vector<std::uint8_t> chunk(1 << 20);
  for (;;) {
    const std::size_t read = std::fread(chunk.data(), 1, chunk.size(), file.get());
    if (read > 0) hash.update({chunk.data(), read});
    if (read < chunk.size()) break;
  }
  if (std::ferror(file.get())) return Unexpected{Error{path, "", -1, "read error while hashing"}};
  return hash.hex_digest();
}

}  // namespace tutti::datasets
