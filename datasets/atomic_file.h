#pragma once
// Publishing a finished file under its final name in one step: the only place that relies on
// the OS's atomic rename, so a port to another OS looks here.
#include <string>

#include "engine/common/expected.h"

namespace tutti::datasets {

// A name beside `final_path`, unique to this process, that globbing for the final extension
// does not match: "dir/.name.wav.tmp-<pid>-<n>".
std::string temporary_name_for(const std::string& final_path);

// Renames `temporary_path` to `final_path`, replacing an existing file atomically.
Expected<void> publish_file(const std::string& temporary_path, const std::string& final_path);

}  // namespace tutti::datasets
