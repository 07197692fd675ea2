#pragma once
// Publishing a finished file under its final name in one step: the only place that relies on
// the OS's atomic rename, so a port to another OS looks here.
#include <cstddef>
#include <functional>
#include <string>

#include "engine/common/expected.h"

namespace tutti::datasets {

// A name beside `final_path`, unique to this process, that globbing for the final extension
// does not match: "dir/.name.wav.tmp-<pid>-<n>".
std::string temporary_name_for(const std::string& final_path);

// The final path a temporary name stands for ("dir/.name.wav.tmp-12-3" -> "dir/name.wav"), or
// an empty string for a name temporary_name_for() did not make.
std::string final_name_of_temporary(const std::string& temporary_path);

// Removes the temporaries left below `folder` by a killed run whose final names satisfy
// `owned` (only this task's outputs: other tasks of a job array may be writing theirs).
// Returns how many were removed.
std::size_t remove_stale_temporaries(const std::string& folder,
                                     const std::function<bool(const std::string& final_path)>& owned);

// Renames `temporary_path` to `final_path`, replacing an existing file atomically.
Expected<void> publish_file(const std::string& temporary_path, const std::string& final_path);

}  // namespace tutti::datasets
