#include "engine/render/window_peak.h"

#include <algorithm>
#include <vector>

#include "kernels/signal_peak.h"

namespace tutti::engine::render {

bool raise_to_window_peak(const StereoBus& audio, double& peak) {
  // Highway's best target whatever kernels rendered the audio: the scan's answer is exact.
  static const kernels::SignalPeakFn scan = kernels::dispatched_signal_peak();
  for (const std::vector<float>* channel : {&audio.left, &audio.right}) {
    const kernels::SignalPeak window = scan(channel->data(), channel->size());
    if (!window.finite) return false;
    peak = std::max(peak, static_cast<double>(window.peak));
  }
  return true;
}

Error non_finite_render(const std::string& file, double seconds) {
  return Error{file, "", -1, "render produced NaN or infinity near " + std::to_string(seconds) + " s; nothing written"};
}

}  // namespace tutti::engine::render
