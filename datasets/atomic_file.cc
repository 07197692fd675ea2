#include "datasets/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace tutti::datasets {

std::string temporary_name_for(const std::string& final_path) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path path(final_path);
  // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "." + std::string.
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
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

namespace {

std::atomic<DurabilityObserver> durability_observer{nullptr};

// fsync of `path` (a file, or a folder with `folder`); an error text, empty on success.
std::string sync_to_disk(const std::string& path, bool folder) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
  if (fd < 0) return std::strerror(errno);
  int status = ::fsync(fd);
  // Some file systems cannot sync a folder (EINVAL): the rename is as durable as they make it.
  if (status != 0 && folder && errno == EINVAL) status = 0;
  const std::string reason = status == 0 ? std::string() : std::strerror(errno);
  ::close(fd);
  if (reason.empty()) {
    if (DurabilityObserver observer = durability_observer.load()) observer(path);
  }
  return reason;
}

}  // namespace

void set_durability_observer(DurabilityObserver observer) { durability_observer.store(observer); }

Expected<void> publish_file(const std::string& temporary_path, const std::string& final_path) {
  auto fail = [&](const std::string& reason) {
    std::error_code ignored;
    std::filesystem::remove(temporary_path, ignored);
    return Unexpected{Error{final_path, "", -1, reason}};
  };
  if (const std::string reason = sync_to_disk(temporary_path, false); !reason.empty()) {
    return fail("cannot write output through to disk: " + reason);
  }
  std::error_code error;
  std::filesystem::rename(temporary_path, final_path, error);
  if (error) return fail("cannot move output into place: " + error.message());
  const std::filesystem::path folder = std::filesystem::path(final_path).parent_path();
  if (const std::string reason = sync_to_disk(folder.empty() ? "." : folder.string(), true); !reason.empty()) {
    return Unexpected{Error{final_path, "", -1, "output moved into place, but its folder cannot be written through to disk: " + reason}};
  }
  return {};
}

}  // namespace tutti::datasets
