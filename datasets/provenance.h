#pragma once
// What a dataset records about the program that made it.
#include <string_view>

namespace tutti::datasets {

// The project version from CMake, e.g. "0.1.0".
std::string_view tutti_version();

}  // namespace tutti::datasets
