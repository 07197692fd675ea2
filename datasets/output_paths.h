#pragma once
// Where an input's output may go: always below the output folder. Names come from input paths
// and @LIST files, which are untrusted, so a name that is absolute, climbs with "..", or
// would be written through a symbolic link inside the output folder is refused.
#include <string>
#include <string_view>

#include "engine/common/expected.h"

namespace tutti::datasets {

// `relative` (with '/' separators) below `output_folder`, its extension replaced by
// `extension` (".wav"). Fails for an empty, absolute or ".."-climbing name, and when a folder
// on the way that already exists is a symbolic link (it could point anywhere) or not a folder.
// Missing folders are not created here.
Expected<std::string> output_path_below(const std::string& output_folder, const std::string& relative,
                                        std::string_view extension);

// Creates the folders between `output_folder` and `path` (produced by output_path_below),
// refusing to step through a symbolic link created since.
Expected<void> create_parent_folders(const std::string& output_folder, const std::string& path);

}  // namespace tutti::datasets
