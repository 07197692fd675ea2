#pragma once
// Turns the inputs a user names (files, directories searched recursively for *.mid, *.midi and
// *.kar in any case, and @LIST files with one path per line) into one sorted list without
// duplicates. Each entry keeps its path relative to the root it was found under, which is
// where its output goes below the output folder.
#include <string>
#include <vector>

#include "engine/common/expected.h"

namespace tutti::datasets {

struct InputFile {
  std::string path;      // as it can be opened
  std::string relative;  // below its input root, with '/' separators; the file name for a file
};

Expected<std::vector<InputFile>> collect_inputs(const std::vector<std::string>& arguments);

bool has_midi_extension(const std::string& path);

}  // namespace tutti::datasets
