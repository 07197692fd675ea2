#pragma once
// The check every rendered window passes before it is written, wherever a song is rendered
// (the library's SongRenderer, the batch's file renders): a NaN or infinity fails the render
// rather than reaching its output; otherwise the window's largest magnitude feeds the peak the
// render reports.
#include <string>

#include "engine/common/error.h"
#include "engine/render/window_renderer.h"

namespace tutti::engine::render {

// Raises `peak` to the largest magnitude in `audio`; false when any sample is NaN or infinite
// (`peak` then means nothing).
bool raise_to_window_peak(const StereoBus& audio, double& peak);

// The error for a window that failed that check, `seconds` into the render of `file`.
Error non_finite_render(const std::string& file, double seconds);

}  // namespace tutti::engine::render
