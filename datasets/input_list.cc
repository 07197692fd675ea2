#include "datasets/input_list.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

namespace tutti::datasets {

namespace fs = std::filesystem;

bool has_midi_extension(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".mid" || extension == ".midi" || extension == ".kar";
}

namespace {

// `relative_name` (a file's name below its root) defaults to the file name.
Expected<void> add_path(const std::string& argument, std::vector<InputFile>& out,
                        const std::string& relative_name = {}) {
  std::error_code error;
  const fs::file_status status = fs::status(argument, error);
  if (error || !fs::exists(status)) {
    return Unexpected{Error{argument, "", -1, "no such file or directory"}};
  }
  if (fs::is_directory(status)) {
    const fs::path root(argument);
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
    if (error) return Unexpected{Error{argument, "", -1, "cannot list directory: " + error.message()}};
    for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
      if (error) return Unexpected{Error{argument, "", -1, "cannot list directory: " + error.message()}};
      if (!it->is_regular_file(error) || !has_midi_extension(it->path().string())) continue;
      out.push_back({it->path().string(), it->path().lexically_relative(root).generic_string()});
    }
    return {};
  }
  out.push_back({argument, relative_name.empty() ? fs::path(argument).filename().generic_string() : relative_name});
  return {};
}

Expected<void> add_list(const std::string& list_path, std::vector<InputFile>& out) {
  std::ifstream list(list_path);
  if (!list) return Unexpected{Error{list_path, "", -1, "cannot read input list"}};
  const fs::path base = fs::path(list_path).parent_path();
  std::string line;
  int number = 0;
  while (std::getline(list, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    // Relative entries are relative to the list's folder, so a list travels with its corpus.
    const fs::path entry(line);
    // A relative file entry keeps its folders below the list's folder in its output name, so a
    // list can name a corpus tree; its name is untrusted (it may climb with ".."), and the
    // output side refuses names that would leave the output folder.
    const std::string resolved = entry.is_absolute() ? line : (base / entry).string();
    auto added = add_path(resolved, out, entry.is_absolute() ? std::string() : entry.lexically_normal().generic_string());
    if (!added) {
      return Unexpected{Error{list_path, "line " + std::to_string(number), -1, added.error().message()}};
    }
  }
  return {};
}

}  // namespace

Expected<std::vector<InputFile>> collect_inputs(const std::vector<std::string>& arguments) {
  std::vector<InputFile> inputs;
  for (const std::string& argument : arguments) {
    auto added = argument.size() > 1 && argument.front() == '@' ? add_list(argument.substr(1), inputs)
                                                               : add_path(argument, inputs);
    if (!added) return Unexpected{added.error()};
  }
  std::sort(inputs.begin(), inputs.end(),
            [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
  inputs.erase(std::unique(inputs.begin(), inputs.end(),
                           [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
               inputs.end());
  return inputs;
}

}  // namespace tutti::datasets
