#include "datasets/output_paths.h"

#include <filesystem>
#include <system_error>

namespace tutti::datasets {

namespace fs = std::filesystem;

namespace {

Error refuse(const std::string& name, const std::string& what) { return Error{name, "", -1, what}; }

// Walks the folders from `root` to the parent of `path`, checking each existing one.
Expected<void> check_folders(const fs::path& root, const fs::path& relative_parent, bool create) {
  fs::path current = root;
  for (const fs::path& part : relative_parent) {
    current /= part;
    std::error_code error;
    const fs::file_status status = fs::symlink_status(current, error);
    if (!error && fs::is_symlink(status)) {
      return Unexpected{refuse(current.string(), "output folder is a symbolic link; refusing to write through it")};
    }
    if (!error && fs::exists(status)) {
      if (!fs::is_directory(status)) return Unexpected{refuse(current.string(), "exists and is not a folder")};
      continue;
    }
    if (!create) continue;
    fs::create_directory(current, error);
    if (error) return Unexpected{refuse(current.string(), "cannot create output folder: " + error.message())};
  }
  return {};
}

}  // namespace

Expected<std::string> output_path_below(const std::string& output_folder, const std::string& relative,
                                        std::string_view extension) {
  const fs::path name(relative);
  if (relative.empty() || name.is_absolute() || name.has_root_name() || name.has_root_directory()) {
    return Unexpected{refuse(relative, "output name must be relative to the output folder")};
  }
  for (const fs::path& part : name) {
    if (part == "..") return Unexpected{refuse(relative, "output name climbs out of the output folder with '..'")};
  }
  fs::path clean = name.lexically_normal();
  if (clean.empty() || clean == "." || !clean.has_filename()) {
    return Unexpected{refuse(relative, "output name has no file name")};
  }
  clean.replace_extension(std::string(extension));
  auto checked = check_folders(fs::path(output_folder), clean.parent_path(), false);
  if (!checked) return Unexpected{checked.error()};
  const fs::path full = fs::path(output_folder) / clean;
  std::error_code error;
  if (fs::is_symlink(fs::symlink_status(full, error))) {
    return Unexpected{refuse(full.string(), "output exists as a symbolic link; refusing to replace it")};
  }
  return full.string();
}

Expected<void> create_parent_folders(const std::string& output_folder, const std::string& path) {
  const fs::path relative = fs::path(path).lexically_relative(output_folder);
  return check_folders(fs::path(output_folder), relative.parent_path(), true);
}

}  // namespace tutti::datasets
