#include "datasets/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

namespace tutti::datasets {

std::string temporary_name_for(const std::string& final_path) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path path(final_path);
  const std::string name = "." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                           "-" + std::to_string(counter.fetch_add(1));
  return (path.parent_path() / name).string();
}

Expected<void> publish_file(const std::string& temporary_path, const std::string& final_path) {
  std::error_code error;
  std::filesystem::rename(temporary_path, final_path, error);
  if (error) {
    const std::string reason = error.message();
    std::error_code ignored;
    std::filesystem::remove(temporary_path, ignored);
    return Unexpected{Error{final_path, "", -1, "cannot move output into place: " + reason}};
  }
  return {};
}

}  // namespace tutti::datasets
