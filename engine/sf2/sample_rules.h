#pragma once
// Checks and repairs one sample header (SoundFont 2.04 section 7.10), following FluidSynth 2.3.1
// where the spec leaves the repair open. Pure: the loader decides what to do with the verdict.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/sf2/bank.h"

namespace tutti::engine::sf2::detail {

// Repairs what can be repaired (loop points, sample rate 0, missing type flags, links out of
// range), adding one warning per repaired header. Returns why zones must not play the sample
// (ROM data, unsupported type, bounds outside smpl, too short), or nothing when it is usable.
// `sample_points` is the length of smpl in points; `sample_count` the number of headers.
std::optional<std::string> check_sample(SampleHeader& header, std::size_t sample_points,
                                        std::size_t sample_count, std::vector<std::string>& warnings);

}  // namespace tutti::engine::sf2::detail
