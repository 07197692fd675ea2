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

// Publishes a finished file: writes `temporary_path`'s contents through to the disk, renames it
// to `final_path` (replacing an existing file atomically) and writes the rename through. After a
// crash or power loss the final name then holds the old file or the whole new one; a rename
// alone may reach the disk before the data it names, leaving a published file torn or empty,
// which a resumed run would take as done. The caller must have closed its writer first, so that
// everything it writes on close (a WAV header's sizes, HDF5's metadata) is in the file.
Expected<void> publish_file(const std::string& temporary_path, const std::string& final_path);

// For tests: called with each path publish_file has just written through to the disk (the
// temporary, then the folder of the final name), so a test can look at what was on disk at that
// moment. nullptr (the default): none.
using DurabilityObserver = void (*)(const std::string& synced_path);
void set_durability_observer(DurabilityObserver observer);

}  // namespace tutti::datasets
