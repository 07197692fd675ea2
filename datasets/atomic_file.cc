#include "datasets/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>
#include <vector>

namespace tutti::datasets {

std::string temporary_name_for(const std::string& final_path) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path path(final_path);
  const std::string name = "." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                           "-" + std::to_string(counter.fetch_add(1));
  return (path.parent_path() / name).string();
}

std::string final_name_of_temporary(const std::string& temporary_path) {
  const std::filesystem::path path(temporary_path);
  const std::string name = path.filename().string();
  const std::size_t marker = name.rfind(".tmp-");
  if (name.size() < 2 || name.front() != '.' || marker == std::string::npos || marker < 2) return {};
  const std::string suffix = name.substr(marker + 5);  // "<pid>-<n>"
  const std::size_t dash = suffix.find('-');
  const auto all_digits = [](const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  };
  if (dash == std::string::npos || !all_digits(suffix.substr(0, dash)) || !all_digits(suffix.substr(dash + 1))) {
    return {};
  }
  return (path.parent_path() / name.substr(1, marker - 1)).string();
}

std::size_t remove_stale_temporaries(const std::string& folder,
                                     const std::function<bool(const std::string& final_path)>& owned) {
  std::size_t removed = 0;
  std::error_code error;
  std::filesystem::recursive_directory_iterator it(folder, std::filesystem::directory_options::skip_permission_denied,
                                                   error);
  if (error) return 0;
  std::vector<std::filesystem::path> stale;
  for (const std::filesystem::recursive_directory_iterator end; it != end; it.increment(error)) {
    if (error) break;
    const std::string final_path = final_name_of_temporary(it->path().string());
    if (!final_path.empty() && owned(final_path)) stale.push_back(it->path());
  }
  for (const auto& path : stale) {
    if (std::filesystem::remove(path, error)) ++removed;
  }
  return removed;
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
